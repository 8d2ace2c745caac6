#include "graphpanel.h"

#include "git/repository.h"
#include "jobstatuslook.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSceneContextMenuEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QPointer>
#include <QSvgGenerator>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace stagecraft::gui {

namespace {

constexpr int jobNameKey = 0; // QGraphicsItem data key holding the job name

// Diff colours: GitLab's diff green, red and amber, readable on light and dark cards.
const QColor addedColor(0x21, 0x8f, 0x4f);
const QColor removedColor(0xdd, 0x2b, 0x0e);
const QColor changedColor(0xc1, 0x7d, 0x10);

QColor diffColor(GraphPanel::DiffState state)
{
    switch (state) {
    case GraphPanel::DiffState::Added:
        return addedColor;
    case GraphPanel::DiffState::Removed:
        return removedColor;
    case GraphPanel::DiffState::Changed:
        return changedColor;
    case GraphPanel::DiffState::Unchanged:
        break;
    }
    return {};
}

/// The card colour with a little of the diff colour in it.
QColor tint(const QColor &card, const QColor &with)
{
    const double a = 0.16;
    return QColor::fromRgbF(float(card.redF() * (1 - a) + with.redF() * a),
                            float(card.greenF() * (1 - a) + with.greenF() * a),
                            float(card.blueF() * (1 - a) + with.blueF() * a));
}

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

/// A card's run state: GitLab's round status icon.
class StatusBadge final : public QGraphicsItem
{
public:
    StatusBadge(const QRectF &rect, QGraphicsItem *parent)
        : QGraphicsItem(parent)
        , m_rect(rect)
    {
    }
    void set(exec::JobStatus status, bool allowedToFail)
    {
        m_status = status;
        m_allowedToFail = allowedToFail;
        update();
    }
    QRectF boundingRect() const override { return m_rect; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        JobStatusLook::paint(*painter, m_rect, m_status, m_allowedToFail);
    }

private:
    QRectF m_rect;
    exec::JobStatus m_status = exec::JobStatus::Created;
    bool m_allowedToFail = false;
};

/// Which state a card of several jobs (parallel, matrix) shows: the one that needs attention.
int statusWeight(exec::JobStatus s, bool allowedToFail)
{
    switch (s) {
    case exec::JobStatus::Failed:
        return allowedToFail ? 7 : 10;
    case exec::JobStatus::Running:
        return 9;
    case exec::JobStatus::Preparing:
        return 8;
    case exec::JobStatus::Pending:
    case exec::JobStatus::WaitingForResource:
        return 6;
    case exec::JobStatus::Created:
        return 5;
    case exec::JobStatus::Manual:
    case exec::JobStatus::Scheduled:
        return 4;
    case exec::JobStatus::Canceled:
        return 3;
    case exec::JobStatus::Skipped:
        return 1;
    case exec::JobStatus::Success:
        return 2;
    }
    return 0;
}

constexpr double badgeSize = 16;

/// The layout's axis-aligned route with rounded corners. A corner's curve stays inside the
/// corner's own two segments (the radius is at most half of each), i.e. in the free space the
/// layout routed the edge through.
QPainterPath roundedPath(const QList<QPointF> &points)
{
    constexpr double radius = 6;
    QPainterPath path(points.constFirst());
    for (qsizetype i = 1; i + 1 < points.size(); ++i) {
        const QPointF corner = points.at(i);
        const QPointF in = corner - points.at(i - 1);
        const QPointF out = points.at(i + 1) - corner;
        const double inLength = std::hypot(in.x(), in.y());
        const double outLength = std::hypot(out.x(), out.y());
        const double r = std::min({radius, inLength / 2, outLength / 2});
        if (r <= 0) {
            path.lineTo(corner);
            continue;
        }
        path.lineTo(corner - in * (r / inLength));
        path.quadTo(corner, corner + out * (r / outLength));
    }
    path.lineTo(points.constLast());
    return path;
}

} // namespace

GraphPanel::GraphPanel(PlanController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_viewBox(new QComboBox(this))
    , m_refBox(new QComboBox(this))
    , m_status(new QLabel(this))
    , m_compare(new QCheckBox(this))
    , m_revisionBox(new QComboBox(this))
    , m_legend(new QLabel(this))
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
    m_compare->setObjectName(QStringLiteral("compareToggle"));
    m_compare->setText(tr("Compare with"));
    m_revisionBox->setObjectName(QStringLiteral("compareRevision"));
    m_revisionBox->setEditable(true);
    m_revisionBox->addItems({QStringLiteral("HEAD"), QStringLiteral("HEAD~1")});
    m_revisionBox->setToolTip(tr("A revision: HEAD, HEAD~1, a branch, a tag or a commit"));
    m_revisionBox->setMinimumContentsLength(7);
    m_legend->setObjectName(QStringLiteral("diffLegend"));
    m_legend->setTextFormat(Qt::RichText);
    m_legend->hide();
    updateCompareAvailability();
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
    bar->addWidget(m_compare);
    bar->addWidget(m_revisionBox);
    bar->addStretch(1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addWidget(m_legend);
    layout->addWidget(m_graphView, 1);
    m_graphView->setScene(m_scene);
    m_graphView->setRenderHint(QPainter::Antialiasing);
    m_graphView->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_graphView->setMouseTracking(true);
    m_scene->installEventFilter(this);

    connect(m_viewBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setView(index == 0 ? View::Stages : View::Dependencies); });
    connect(m_refBox, &QComboBox::currentIndexChanged, this, &GraphPanel::refChosen);
    connect(m_controller, &PlanController::planReady, this, &GraphPanel::planArrived);
    connect(m_compare, &QCheckBox::toggled, this, &GraphPanel::compareChanged);
    connect(m_revisionBox, &QComboBox::currentTextChanged, this, [this] {
        if (isComparing())
            compareChanged();
    });
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

void GraphPanel::setCompare(bool on, const QString &revision)
{
    if (!revision.isEmpty())
        m_revisionBox->setCurrentText(revision);
    m_compare->setChecked(on);
}

bool GraphPanel::isComparing() const
{
    return m_compare->isChecked();
}

QString GraphPanel::compareRevision() const
{
    const QString r = m_revisionBox->currentText().trimmed();
    return r.isEmpty() ? QStringLiteral("HEAD") : r;
}

bool GraphPanel::canCompare() const
{
    return m_inRepository;
}

GraphPanel::DiffState GraphPanel::diffState(const QString &job) const
{
    return m_diffStates.value(job, DiffState::Unchanged);
}

QString GraphPanel::cardToolTip(const QString &job) const
{
    const QGraphicsRectItem *card = m_cards.value(job);
    return card ? card->toolTip() : QString();
}

QString GraphPanel::legendText() const
{
    if (m_legend->isHidden())
        return {};
    QTextDocument plain;
    plain.setHtml(m_legend->text());
    return plain.toPlainText().remove(u"■ "_qs);
}

void GraphPanel::updateCompareAvailability()
{
    const QString root = m_controller->projectRoot();
    if (root.isEmpty() || root != m_checkedRoot) {
        m_checkedRoot = root;
        m_inRepository = !root.isEmpty() && git::Repository::discover(root).has_value();
    }
    m_compare->setEnabled(m_inRepository);
    m_revisionBox->setEnabled(m_inRepository);
    m_compare->setToolTip(
        m_inRepository
            ? tr("Show how the planned pipeline differs from the one at a revision")
            : tr("The project is not in a git repository: there is no revision to compare with"));
}

void GraphPanel::planArrived()
{
    updateCompareAvailability();
    if (isComparing() && m_inRepository) {
        startDiff(); // the scene keeps the previous picture until the diff is there
        return;
    }
    m_diff.reset();
    redraw();
}

void GraphPanel::compareChanged()
{
    if (isComparing() && m_inRepository) {
        m_diff.reset(); // the legend says "Comparing…" rather than the old revision's counts
        startDiff();
        return;
    }
    ++m_diffGeneration; // a run in flight is no longer wanted
    m_diff.reset();
    redraw();
}

GraphPanel::DiffResult GraphPanel::computeDiff(const pipeline::Plan &after,
                                               std::shared_ptr<const ci::ResolvedConfig> config,
                                               const QString &root, RefChoice choice,
                                               const QString &revision,
                                               std::shared_ptr<const DiffResult> previous)
{
    DiffResult r;
    r.revision = revision;
    if (const auto repo = git::Repository::discover(root)) {
        r.basisKey = QStringList{root,
                                 config->mainFile,
                                 QString::number(int(choice)),
                                 repo->resolve(revision),
                                 repo->headSha(),
                                 repo->currentBranch()}
                         .join(u'\n');
    }
    if (previous && previous->basis && !r.basisKey.isEmpty() && previous->basisKey == r.basisKey) {
        r.basis = previous->basis;
    } else {
        pipeline::RevisionPlanOptions options;
        options.plan.resolve.projectRoot = root;
        options.plan.resolve.mainFile = config->mainFile;
        options.revision = revision;
        // The same simulated pipeline as the working tree's plan: only the configuration
        // differs.
        options.context = PlanController::contextFor(root, choice);
        std::optional<pipeline::Plan> before = pipeline::planAtRevision(options, &r.error);
        if (!before) {
            if (r.error.isEmpty())
                r.error = tr("the revision cannot be read");
            return r;
        }
        r.basis = std::make_shared<const pipeline::Plan>(std::move(*before));
    }
    r.diff = pipeline::diffPlans(*r.basis, after);
    for (const QString &name : std::as_const(r.diff.removed)) {
        if (const pipeline::PlannedJob *job = r.basis->job(name))
            r.removedStages.insert(name, job->stage);
    }
    return r;
}

void GraphPanel::startDiff()
{
    const PlanResult *result = m_controller->result();
    const auto config = m_controller->config();
    if (!result || !config)
        return; // the plan's arrival starts it
    const quint64 generation = ++m_diffGeneration;
    m_diffRunning = true;
    updateLegend();
    auto *watcher = new QFutureWatcher<DiffResult>(this);
    QPointer<GraphPanel> self(this);
    connect(watcher, &QFutureWatcher<DiffResult>::finished, this, [self, watcher, generation] {
        watcher->deleteLater();
        if (!self || generation != self->m_diffGeneration)
            return; // an edit, another ref or another revision came meanwhile
        self->m_diffRunning = false;
        self->m_diff = std::make_shared<const DiffResult>(watcher->result());
        self->m_lastDiff = self->m_diff;
        self->redraw();
    });
    watcher->setFuture(QtConcurrent::run(&GraphPanel::computeDiff, result->plan, config,
                                         m_controller->projectRoot(), m_controller->ref(),
                                         compareRevision(), m_lastDiff));
}

void GraphPanel::updateLegend()
{
    if (!isComparing() || !m_inRepository) {
        m_legend->clear();
        m_legend->hide();
        return;
    }
    m_legend->show();
    if (m_diffRunning && !m_diff) {
        m_legend->setText(tr("Comparing with %1…").arg(compareRevision()).toHtmlEscaped());
    } else if (m_diff && !m_diff->error.isEmpty()) {
        m_legend->setText(
            tr("Cannot compare with %1: %2").arg(m_diff->revision, m_diff->error).toHtmlEscaped());
    } else if (m_diff) {
        // The counts in the cards' colours: the legend doubles as the key to the colours.
        const pipeline::PlanDiff &d = m_diff->diff;
        auto count = [](qsizetype n, const QColor &c) {
            return u"<b style=\"color:%1\">■ %2</b>"_qs.arg(c.name()).arg(n);
        };
        m_legend->setText(
            tr("%1 added, %2 removed, %3 changed against %4")
                .arg(count(d.added.size(), addedColor), count(d.removed.size(), removedColor),
                     count(d.changed.size(), changedColor), m_diff->revision.toHtmlEscaped()));
    }
}

void GraphPanel::redraw()
{
    m_scene->clear();
    m_planned.clear();
    m_dimmed.clear();
    m_definitions.clear();
    m_edges.clear();
    m_hovered.clear();
    m_diffStates.clear();
    m_cards.clear();
    m_planCards.clear();
    updateLegend();
    const PlanResult *r = m_controller->result();
    if (!r)
        return;
    // Diff mode: what each job's card says about the compared revision.
    const bool diffing = isComparing() && m_diff && m_diff->error.isEmpty();
    QHash<QString, QString> diffTips;
    if (diffing) {
        const pipeline::PlanDiff &d = m_diff->diff;
        for (const QString &name : d.added) {
            m_diffStates.insert(name, DiffState::Added);
            diffTips.insert(name, tr("Added since %1").arg(m_diff->revision));
        }
        for (const QString &name : d.removed)
            m_diffStates.insert(name, DiffState::Removed);
        for (const pipeline::JobChange &c : d.changed) {
            m_diffStates.insert(c.name, DiffState::Changed);
            QStringList lines{tr("Changed since %1: %2").arg(m_diff->revision, c.keys.join(u", "))};
            if (c.stageMoved())
                lines << tr("Stage: %1 → %2").arg(c.oldStage, c.newStage);
            if (!c.needsAdded.isEmpty())
                lines << tr("Needs added: %1").arg(c.needsAdded.join(u", "));
            if (!c.needsRemoved.isEmpty())
                lines << tr("Needs removed: %1").arg(c.needsRemoved.join(u", "));
            if (c.oldWhen != c.newWhen)
                lines << tr("When: %1 → %2").arg(c.oldWhen, c.newWhen);
            diffTips.insert(c.name, lines.join(u'\n'));
        }
    }
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
        QGraphicsPathItem *item = m_scene->addPath(roundedPath(e.points), edgePen);
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
        DiffState state = DiffState::Unchanged;
        for (const QString &name : n.jobs) {
            m_planned.append(name);
            m_cards.insert(name, rect);
            if (const pipeline::PlannedJob *j = plan.job(name)) {
                remember(name, j->source);
                tips.append(u"%1 — %2"_qs.arg(name, j->reason));
            }
            if (diffTips.contains(name))
                tips.append(diffTips.value(name));
            if (state == DiffState::Unchanged)
                state = diffState(name);
        }
        rect->setToolTip(tips.join(u'\n'));
        rect->setCursor(Qt::PointingHandCursor);
        if (job && job->when == pipeline::When::Manual)
            rect->setPen(QPen(accent, 1.5));
        if (state != DiffState::Unchanged) {
            rect->setPen(QPen(diffColor(state), 2));
            rect->setBrush(tint(card, diffColor(state)));
        }
        QString plain = n.label;
        if (n.jobs.size() > 1)
            plain += u"  (%1)"_qs.arg(n.jobs.size());
        m_planCards.append(Card{rect, t, nullptr, label, plain, n.jobs, rect->pen()});
        right = qMax(right, n.x + n.width);
        const QString col = layout.columns.value(n.column).title;
        columnBottom[col] = qMax(columnBottom.value(col), n.y + n.height);
    }
    // Cards outside the plan: excluded jobs (dimmed) and, in diff mode, the removed jobs (red
    // ghosts), in their stage's column (stage view) or in a column of their own.
    struct ExtraColumn
    {
        QString title;
        double x = 0;
        double y = 0;
        bool used = false;
    };
    // Links may cross a column below its last card (in the row gaps of taller columns):
    // dimmed cards go below those too.
    for (const pipeline::LayoutEdge &e : layout.edges) {
        for (qsizetype i = 1; i < e.points.size(); ++i) {
            const QPointF a = e.points.at(i - 1);
            const QPointF b = e.points.at(i);
            if (a.y() != b.y())
                continue;
            for (const pipeline::LayoutColumn &c : layout.columns) {
                if (std::min(a.x(), b.x()) < c.x + geometry.nodeWidth &&
                    std::max(a.x(), b.x()) > c.x)
                    columnBottom[c.title] = qMax(columnBottom.value(c.title), a.y());
            }
        }
    }
    double nextX = layout.columns.isEmpty() ? 0 : qMax(right, layout.width) + geometry.columnGap;
    auto place = [&](ExtraColumn &extra, const QString &stage) {
        if (m_view == View::Stages && columnX.contains(stage)) {
            const double cy = columnBottom.value(stage, geometry.headerHeight - geometry.rowGap) +
                              geometry.rowGap;
            columnBottom[stage] = cy + geometry.nodeHeight;
            return QPointF(columnX.value(stage), cy);
        }
        if (!extra.used) {
            extra.used = true;
            extra.x = nextX;
            extra.y = geometry.headerHeight;
            nextX += geometry.nodeWidth + geometry.columnGap;
        }
        const QPointF at(extra.x, extra.y);
        extra.y += geometry.nodeHeight + geometry.rowGap;
        return at;
    };
    QColor dim = text;
    dim.setAlpha(110);
    auto ghost = [&](const QPointF &at, const QString &name, const QPen &pen, const QBrush &brush) {
        auto *rect =
            m_scene->addRect(at.x(), at.y(), geometry.nodeWidth, geometry.nodeHeight, pen, brush);
        auto *t = m_scene->addSimpleText(fit(name));
        t->setBrush(dim);
        t->setParentItem(rect);
        t->setPos(at.x() + 8, at.y() + (geometry.nodeHeight - t->boundingRect().height()) / 2);
        rect->setData(jobNameKey, name);
        m_cards.insert(name, rect);
        return rect;
    };
    ExtraColumn notCreated{tr("Not created")};
    QColor dimBorder = border;
    dimBorder.setAlpha(110);
    for (const pipeline::ExcludedJob &x : plan.excluded) {
        if (x.name.startsWith(u'.') || m_diffStates.contains(x.name))
            continue;
        auto *rect = ghost(place(notCreated, x.stage), x.name, QPen(dimBorder, 1, Qt::DashLine),
                           Qt::NoBrush);
        rect->setToolTip(tr("Not in this pipeline: %1").arg(x.reason));
        m_dimmed.append(x.name);
        remember(x.name, x.source);
    }
    ExtraColumn removed{tr("Removed")};
    if (diffing) {
        QColor removedTint = removedColor;
        removedTint.setAlpha(40);
        for (const QString &name : m_diff->diff.removed) {
            auto *rect = ghost(place(removed, m_diff->removedStages.value(name)), name,
                               QPen(removedColor, 2, Qt::DashLine), removedTint);
            rect->setToolTip(tr("%1 — removed since %2").arg(name, m_diff->revision));
        }
    }
    for (const ExtraColumn *extra : {&notCreated, &removed}) {
        if (!extra->used)
            continue;
        auto *title = m_scene->addSimpleText(extra->title, titleFont);
        title->setBrush(dim);
        title->setPos(extra->x, 8);
    }
    applyRunStates();
    m_scene->setSceneRect(m_scene->itemsBoundingRect().adjusted(-10, -10, 10, 10));
    fitWidth();
    emit redrawn();
}

void GraphPanel::setJobStatus(const QString &job, exec::JobStatus status, bool allowedToFail)
{
    m_runStates.insert(job, RunState{status, allowedToFail});
    applyRunStates();
}

void GraphPanel::clearJobStatuses()
{
    m_runStates.clear();
    applyRunStates();
}

std::optional<exec::JobStatus> GraphPanel::jobStatus(const QString &job) const
{
    const auto it = m_runStates.constFind(job);
    if (it == m_runStates.constEnd())
        return std::nullopt;
    return it->status;
}

std::optional<exec::JobStatus> GraphPanel::cardStatus(const QString &job) const
{
    for (const Card &c : m_planCards) {
        if (!c.jobs.contains(job))
            continue;
        std::optional<exec::JobStatus> shown;
        int weight = -1;
        for (const QString &name : c.jobs) {
            const auto it = m_runStates.constFind(name);
            if (it != m_runStates.constEnd() &&
                statusWeight(it->status, it->allowedToFail) > weight) {
                weight = statusWeight(it->status, it->allowedToFail);
                shown = it->status;
            }
        }
        return shown;
    }
    return std::nullopt;
}

void GraphPanel::applyRunStates()
{
    const pipeline::LayoutOptions geometry = PlanController::cardGeometry();
    const QFontMetrics metrics(font());
    for (Card &c : m_planCards) {
        const RunState *shown = nullptr;
        int weight = -1;
        for (const QString &name : std::as_const(c.jobs)) {
            const auto it = m_runStates.constFind(name);
            if (it != m_runStates.constEnd() &&
                statusWeight(it->status, it->allowedToFail) > weight) {
                weight = statusWeight(it->status, it->allowedToFail);
                shown = &*it;
            }
        }
        const QRectF r = c.rect->rect();
        if (!shown) {
            delete c.badge;
            c.badge = nullptr;
            c.rect->setPen(c.pen);
            c.text->setText(
                metrics.elidedText(c.label, Qt::ElideMiddle, int(geometry.nodeWidth) - 16));
            c.text->setPos(r.x() + 8, c.text->pos().y());
            continue;
        }
        if (!c.badge) {
            c.badge = new StatusBadge(
                QRectF(r.x() + 7, r.y() + (r.height() - badgeSize) / 2, badgeSize, badgeSize),
                c.rect);
        }
        static_cast<StatusBadge *>(c.badge)->set(shown->status, shown->allowedToFail);
        // The icon takes the place of the text's start, as on GitLab's job cards.
        // The icon says manual, allowed to fail and so on: the name goes without the flags.
        c.text->setText(metrics.elidedText(c.plainLabel, Qt::ElideMiddle,
                                           int(geometry.nodeWidth - badgeSize) - 22));
        c.text->setPos(r.x() + badgeSize + 12, c.text->pos().y());
        c.rect->setPen(QPen(JobStatusLook::color(shown->status, shown->allowedToFail), 1.5));
    }
}

QMenu *GraphPanel::createCardMenu(const QString &job)
{
    if (!m_menuProvider)
        return nullptr;
    auto *menu = new QMenu(this);
    m_menuProvider(menu, job);
    if (menu->isEmpty()) {
        delete menu;
        return nullptr;
    }
    return menu;
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
    if (watched == m_scene && event->type() == QEvent::GraphicsSceneContextMenu) {
        auto *e = static_cast<QGraphicsSceneContextMenuEvent *>(event);
        for (QGraphicsItem *item = m_scene->itemAt(e->scenePos(), QTransform()); item;
             item = item->parentItem()) {
            const QString name = item->data(jobNameKey).toString();
            if (name.isEmpty())
                continue;
            if (QMenu *menu = createCardMenu(name)) {
                menu->exec(e->screenPos());
                delete menu;
            }
            return true;
        }
    }
    if (watched == m_scene && event->type() == QEvent::GraphicsSceneMousePress) {
        auto *e = static_cast<QGraphicsSceneMouseEvent *>(event);
        if (e->button() != Qt::LeftButton)
            return QWidget::eventFilter(watched, event);
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
