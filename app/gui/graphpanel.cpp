#include "graphpanel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QToolButton>
#include <QVBoxLayout>

namespace stagecraft::gui {

namespace {

constexpr int jobNameKey = 0; // QGraphicsItem data key holding the job name

QString flagsOf(const pipeline::PlannedJob &job)
{
    QString f;
    if (job.trigger)
        f += u"⇢ "_qs;
    if (job.when == pipeline::When::Manual)
        f += u"▶ "_qs;
    if (job.when == pipeline::When::Delayed)
        f += u"⏱ "_qs;
    if (job.allowFailure)
        f += u"⚠ "_qs;
    return f;
}

} // namespace

GraphPanel::GraphPanel(PlanController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_viewBox(new QComboBox(this))
    , m_refBox(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_graphView(new QGraphicsView(this))
    , m_scene(new QGraphicsScene(this))
{
    setObjectName(QStringLiteral("graphPanel"));
    m_viewBox->addItem(tr("Group jobs by: Stage"));
    m_viewBox->addItem(tr("Group jobs by: Job dependencies"));
    m_refBox->setObjectName(QStringLiteral("refSelector"));
    m_refBox->addItem(tr("Push to the current branch"), int(RefChoice::CurrentBranch));
    m_refBox->addItem(tr("Push to the default branch"), int(RefChoice::DefaultBranch));
    m_refBox->addItem(tr("Tag"), int(RefChoice::Tag));
    m_refBox->addItem(tr("Merge request"), int(RefChoice::MergeRequest));
    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export…"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(exportButton);
    menu->addAction(tr("Export as PNG…"), this, [this] {
        const QString f =
            QFileDialog::getSaveFileName(this, tr("Export Graph"), {}, tr("PNG images (*.png)"));
        if (!f.isEmpty())
            exportPng(f);
    });
    menu->addAction(tr("Export as SVG…"), this, [this] {
        const QString f =
            QFileDialog::getSaveFileName(this, tr("Export Graph"), {}, tr("SVG images (*.svg)"));
        if (!f.isEmpty())
            exportSvg(f);
    });
    exportButton->setMenu(menu);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_viewBox);
    bar->addWidget(m_refBox);
    bar->addStretch(1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addWidget(m_graphView, 1);
    m_graphView->setScene(m_scene);
    m_graphView->setRenderHint(QPainter::Antialiasing);
    m_graphView->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_graphView->setMouseTracking(true);
    m_scene->installEventFilter(this);

    connect(m_viewBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setView(index == 0 ? View::Stages : View::Dependencies); });
    connect(m_refBox, &QComboBox::currentIndexChanged, this, &GraphPanel::refChosen);
    connect(m_controller, &PlanController::planReady, this, &GraphPanel::redraw);
}

void GraphPanel::setView(View view)
{
    m_view = view;
    m_viewBox->setCurrentIndex(view == View::Stages ? 0 : 1);
    redraw();
}

void GraphPanel::setRef(RefChoice choice)
{
    m_refBox->setCurrentIndex(m_refBox->findData(int(choice)));
}

void GraphPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitWidth();
}

void GraphPanel::fitWidth()
{
    // Shrink a wide graph to the panel (down to 60 %); beyond that it scrolls, as GitLab's does.
    const double available = m_graphView->viewport()->width();
    const double wanted = m_scene->sceneRect().width();
    const double scale = wanted > 0 ? qBound(0.6, available / wanted, 1.0) : 1.0;
    m_graphView->setTransform(QTransform::fromScale(scale, scale));
}

void GraphPanel::refChosen(int index)
{
    m_controller->setRef(RefChoice(m_refBox->itemData(index).toInt()));
}

void GraphPanel::redraw()
{
    m_scene->clear();
    m_planned.clear();
    m_dimmed.clear();
    m_definitions.clear();
    m_edges.clear();
    m_hovered.clear();
    const PlanResult *r = m_controller->result();
    if (!r)
        return;
    const pipeline::Plan &plan = r->plan;
    const pipeline::Layout &layout = m_view == View::Stages ? r->stages : r->dependencies;
    if (!plan.created)
        m_status->setText(tr("No pipeline for %1 (%2): %3").arg(r->ref, r->source, plan.reason));
    else if (!plan.errors.isEmpty())
        m_status->setText(tr("%1 (%2): %3").arg(r->ref, r->source, plan.errors.join(u"; ")));
    else
        m_status->setText(
            tr("%n job(s) for %1 (%2)", nullptr, int(plan.jobs.size())).arg(r->ref, r->source));

    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor card = pal.color(QPalette::Base);
    const QColor border = pal.color(QPalette::Mid);
    const QColor accent = pal.color(QPalette::Highlight);
    auto remember = [this](const QString &name, const ci::Job &source) {
        const yaml::Location at = source.key.location();
        m_definitions.insert(name, Where{at.file, at.line, at.column});
    };

    QPen edgePen(border, 1.5);
    for (const pipeline::LayoutEdge &e : layout.edges) {
        if (e.points.size() < 2)
            continue;
        QPainterPath path(e.points.constFirst());
        if (e.points.size() == 2) {
            const QPointF a = e.points.at(0);
            const QPointF b = e.points.at(1);
            const double mid = (a.x() + b.x()) / 2;
            path.cubicTo(QPointF(mid, a.y()), QPointF(mid, b.y()), b);
        } else {
            for (qsizetype i = 1; i < e.points.size(); ++i)
                path.lineTo(e.points.at(i));
        }
        QGraphicsPathItem *item = m_scene->addPath(path, edgePen);
        m_edges.append(Edge{item, layout.nodes.value(e.from).jobs.value(0),
                            layout.nodes.value(e.to).jobs.value(0)});
    }
    QFont titleFont = font();
    titleFont.setBold(true);
    double right = 0;
    QHash<QString, double> columnX;
    QHash<QString, double> columnBottom;
    for (const pipeline::LayoutColumn &c : layout.columns) {
        auto *title = m_scene->addSimpleText(c.title, titleFont);
        title->setBrush(text);
        title->setPos(c.x, 8);
        columnX.insert(c.title, c.x);
    }
    const pipeline::LayoutOptions geometry = PlanController::cardGeometry();
    const QFontMetrics metrics(font());
    auto fit = [&metrics, &geometry](const QString &s) {
        return metrics.elidedText(s, Qt::ElideMiddle, int(geometry.nodeWidth) - 16);
    };
    for (const pipeline::LayoutNode &n : layout.nodes) {
        const pipeline::PlannedJob *job = plan.job(n.jobs.value(0));
        auto *rect = m_scene->addRect(n.x, n.y, n.width, n.height, QPen(border), card);
        QString label = n.label;
        if (n.jobs.size() > 1)
            label += u"  (%1)"_qs.arg(n.jobs.size());
        if (job)
            label.prepend(flagsOf(*job));
        auto *t = m_scene->addSimpleText(fit(label));
        t->setBrush(text);
        t->setParentItem(rect);
        t->setPos(n.x + 8, n.y + (n.height - t->boundingRect().height()) / 2);
        rect->setData(jobNameKey, n.jobs.value(0));
        QStringList tips;
        for (const QString &name : n.jobs) {
            m_planned.append(name);
            if (const pipeline::PlannedJob *j = plan.job(name)) {
                remember(name, j->source);
                tips.append(u"%1 — %2"_qs.arg(name, j->reason));
            }
        }
        rect->setToolTip(tips.join(u'\n'));
        rect->setCursor(Qt::PointingHandCursor);
        if (job && job->when == pipeline::When::Manual)
            rect->setPen(QPen(accent, 1.5));
        right = qMax(right, n.x + n.width);
        const QString col = layout.columns.value(n.column).title;
        columnBottom[col] = qMax(columnBottom.value(col), n.y + n.height);
    }
    // Excluded jobs: dimmed, in their stage's column (stage view) or in a column of their own.
    double extraX = layout.columns.isEmpty() ? 0 : right + geometry.columnGap;
    double extraY = geometry.headerHeight;
    bool extraColumn = false;
    for (const pipeline::ExcludedJob &x : plan.excluded) {
        if (x.name.startsWith(u'.'))
            continue;
        double cx = extraX;
        double cy = extraY;
        if (m_view == View::Stages && columnX.contains(x.stage)) {
            cx = columnX.value(x.stage);
            cy = columnBottom.value(x.stage, geometry.headerHeight - geometry.rowGap) +
                 geometry.rowGap;
            columnBottom[x.stage] = cy + geometry.nodeHeight;
        } else {
            extraColumn = true;
            extraY += geometry.nodeHeight + geometry.rowGap;
        }
        QColor dimBorder = border;
        dimBorder.setAlpha(110);
        auto *rect = m_scene->addRect(cx, cy, geometry.nodeWidth, geometry.nodeHeight,
                                      QPen(dimBorder, 1, Qt::DashLine), Qt::NoBrush);
        auto *t = m_scene->addSimpleText(fit(x.name));
        QColor dim = text;
        dim.setAlpha(110);
        t->setBrush(dim);
        t->setParentItem(rect);
        t->setPos(cx + 8, cy + (geometry.nodeHeight - t->boundingRect().height()) / 2);
        rect->setToolTip(tr("Not in this pipeline: %1").arg(x.reason));
        rect->setData(jobNameKey, x.name);
        m_dimmed.append(x.name);
        remember(x.name, x.source);
    }
    if (extraColumn) {
        auto *title = m_scene->addSimpleText(tr("Not created"), titleFont);
        QColor dim = text;
        dim.setAlpha(110);
        title->setBrush(dim);
        title->setPos(extraX, 8);
    }
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-10, -10, 10, 10));
    fitWidth();
    emit redrawn();
}

bool GraphPanel::activateJob(const QString &name)
{
    const auto it = m_definitions.constFind(name);
    if (it == m_definitions.constEnd() || it->line <= 0)
        return false;
    emit jobActivated(it->file, it->line, it->column);
    return true;
}

void GraphPanel::highlightLinks(const QString &job)
{
    if (job == m_hovered)
        return;
    m_hovered = job;
    const QColor normal = palette().color(QPalette::Mid);
    const QColor accent = palette().color(QPalette::Highlight);
    for (const Edge &e : std::as_const(m_edges)) {
        const bool linked = !job.isEmpty() && (e.from == job || e.to == job);
        e.item->setPen(QPen(linked ? accent : normal, linked ? 2.5 : 1.5));
        e.item->setZValue(linked ? 1 : 0);
    }
}

int GraphPanel::highlightedLinks() const
{
    int n = 0;
    for (const Edge &e : m_edges)
        n += e.item->zValue() > 0 ? 1 : 0;
    return n;
}

bool GraphPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_scene && event->type() == QEvent::GraphicsSceneMouseMove) {
        // As GitLab does: the links of the job under the mouse are highlighted.
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        QString job;
        for (QGraphicsItem *item = m_scene->itemAt(e->scenePos(), QTransform()); item;
             item = item->parentItem()) {
            job = item->data(jobNameKey).toString();
            if (!job.isEmpty())
                break;
        }
        highlightLinks(job);
    }
    if (watched == m_scene && event->type() == QEvent::GraphicsSceneMousePress) {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        for (QGraphicsItem *item = m_scene->itemAt(e->scenePos(), QTransform()); item;
             item = item->parentItem()) {
            const QString name = item->data(jobNameKey).toString();
            if (!name.isEmpty()) {
                activateJob(name);
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool GraphPanel::exportPng(const QString &file) const
{
    const QRectF r = m_scene->sceneRect();
    QImage image((r.size() * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Base));
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    m_scene->render(&p, QRectF(QPointF(0, 0), r.size() * 2), r);
    p.end();
    return image.save(file, "PNG");
}

bool GraphPanel::exportSvg(const QString &file) const
{
    const QRectF r = m_scene->sceneRect();
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(r.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), r.size()));
    svg.setTitle(tr("Pipeline graph"));
    QPainter p;
    if (!p.begin(&svg))
        return false;
    m_scene->render(&p, QRectF(QPointF(0, 0), r.size()), r);
    return p.end();
}

} // namespace stagecraft::gui
