#include "jobspanel.h"

#include "jobstatuslook.h"
#include "runcontroller.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace stagecraft::gui {

namespace {

constexpr int jobIdRole = Qt::UserRole + 1;

bool canPlay(exec::JobStatus s)
{
    return s == exec::JobStatus::Manual || s == exec::JobStatus::Scheduled;
}

bool canRetry(exec::JobStatus s)
{
    return s == exec::JobStatus::Success || s == exec::JobStatus::Failed ||
           s == exec::JobStatus::Canceled;
}

bool canCancel(exec::JobStatus s)
{
    return s == exec::JobStatus::Created || s == exec::JobStatus::WaitingForResource ||
           s == exec::JobStatus::Pending || s == exec::JobStatus::Preparing ||
           s == exec::JobStatus::Running || s == exec::JobStatus::Scheduled;
}

} // namespace

JobsPanel::JobsPanel(RunController *runs, QWidget *parent)
    : QWidget(parent)
    , m_runs(runs)
    , m_pipeline(new QLabel(this))
    , m_play(new QToolButton(this))
    , m_retry(new QToolButton(this))
    , m_cancel(new QToolButton(this))
    , m_cancelPipeline(new QToolButton(this))
    , m_tree(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("jobsPanel"));
    m_pipeline->setObjectName(QStringLiteral("pipelineStatus"));
    m_pipeline->setText(tr("No pipeline has run yet."));
    m_play->setObjectName(QStringLiteral("playJob"));
    m_retry->setObjectName(QStringLiteral("retryJob"));
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    m_cancelPipeline->setObjectName(QStringLiteral("cancelPipelineButton"));
    m_play->setText(tr("Play"));
    m_play->setToolTip(tr("Run the selected manual job"));
    m_play->setIcon(JobStatusLook::icon(exec::JobStatus::Manual));
    m_retry->setText(tr("Retry"));
    m_retry->setToolTip(tr("Run the selected job again"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the selected job"));
    m_cancelPipeline->setText(tr("Cancel pipeline"));
    m_cancelPipeline->setToolTip(tr("Cancel every job of the pipeline that has not finished"));
    for (QToolButton *b : {m_play, m_retry, m_cancel, m_cancelPipeline})
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_tree->setObjectName(QStringLiteral("jobsTree"));
    m_tree->setHeaderLabels({tr("Job"), tr("Stage"), tr("Status"), tr("Duration")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(StageColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(DurationColumn, QHeaderView::ResizeToContents);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_pipeline, 1);
    bar->addWidget(m_play);
    bar->addWidget(m_retry);
    bar->addWidget(m_cancel);
    bar->addWidget(m_cancelPipeline);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_tree, 1);

    connect(m_runs, &RunController::runStarting, this, &JobsPanel::clear);
    connect(m_runs, &RunController::jobAdded, this, &JobsPanel::jobAdded);
    connect(m_runs, &RunController::jobChanged, this, &JobsPanel::jobChanged);
    connect(m_runs, &RunController::started, this, &JobsPanel::updatePipeline);
    connect(m_runs, &RunController::statusChanged, this, &JobsPanel::updatePipeline);
    connect(m_runs, &RunController::finished, this, &JobsPanel::updatePipeline);
    connect(m_runs, &RunController::startFailed, this, [this](const QString &error) {
        m_pipeline->setText(tr("The pipeline could not start: %1").arg(error));
        updateButtons();
    });
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &JobsPanel::updateButtons);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (const int id = jobIdOf(item))
            emit logRequested(id);
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, &JobsPanel::showMenu);
    connect(m_play, &QToolButton::clicked, this, [this] { m_runs->play(selectedJob()); });
    connect(m_retry, &QToolButton::clicked, this, [this] { m_runs->retry(selectedJob()); });
    connect(m_cancel, &QToolButton::clicked, this, [this] { m_runs->cancel(selectedJob()); });
    connect(m_cancelPipeline, &QToolButton::clicked, m_runs, &RunController::cancelPipeline);
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &JobsPanel::tick);
    updateButtons();
}

int JobsPanel::jobIdOf(const QTreeWidgetItem *item)
{
    return item ? item->data(NameColumn, jobIdRole).toInt() : 0;
}

int JobsPanel::selectedJob() const
{
    return jobIdOf(m_tree->currentItem());
}

void JobsPanel::selectJob(int jobId)
{
    if (QTreeWidgetItem *item = m_items.value(jobId))
        m_tree->setCurrentItem(item);
}

QString JobsPanel::pipelineText() const
{
    return m_pipeline->text();
}

QString JobsPanel::durationText(qint64 seconds)
{
    auto two = [](qint64 n) { return QString::number(n).rightJustified(2, u'0'); };
    const QString mmss = two(seconds / 60 % 60) + u':' + two(seconds % 60);
    return seconds >= 3600 ? two(seconds / 3600) + u':' + mmss : mmss;
}

void JobsPanel::clear()
{
    m_tree->clear();
    m_items.clear();
    m_pipeline->setText(tr("Starting the pipeline…"));
    updateButtons();
}

void JobsPanel::jobAdded(int jobId)
{
    const exec::JobRecord *job = m_runs->job(jobId);
    if (!job)
        return;
    if (m_items.contains(jobId)) {
        jobChanged(jobId);
        return;
    }
    auto *item = new QTreeWidgetItem;
    item->setData(NameColumn, jobIdRole, jobId);
    if (QTreeWidgetItem *parent = m_items.value(job->parentId)) {
        parent->addChild(item);
        parent->setExpanded(true);
    } else {
        m_tree->addTopLevelItem(item);
    }
    m_items.insert(jobId, item);
    refresh(item, jobId);
    updatePipeline();
}

void JobsPanel::jobChanged(int jobId)
{
    if (QTreeWidgetItem *item = m_items.value(jobId)) {
        refresh(item, jobId);
        updatePipeline();
        if (item == m_tree->currentItem())
            updateButtons();
    } else {
        jobAdded(jobId);
    }
}

void JobsPanel::refresh(QTreeWidgetItem *item, int jobId)
{
    const exec::JobRecord *job = m_runs->job(jobId);
    if (!job)
        return;
    QString name = job->name;
    if (job->attempt > 1)
        name += tr(" (attempt %1)").arg(job->attempt);
    item->setText(NameColumn, name);
    item->setText(StageColumn, job->stage);
    item->setText(StatusColumn, JobStatusLook::text(job->status, job->allowedToFail));
    item->setIcon(StatusColumn, JobStatusLook::icon(job->status, job->allowedToFail));
    item->setForeground(StatusColumn, JobStatusLook::color(job->status, job->allowedToFail));
    QStringList tip;
    if (job->failureReason != exec::FailureReason::None)
        tip << tr("Failure reason: %1").arg(exec::failureReasonName(job->failureReason));
    if (job->exitCode >= 0 && exec::isFinished(job->status))
        tip << tr("Exit code: %1").arg(job->exitCode);
    if (!job->enterCommand.isEmpty())
        tip << tr("Environment kept; enter it with: %1").arg(job->enterCommand);
    item->setToolTip(NameColumn, tip.join(u'\n'));
    item->setToolTip(StatusColumn, tip.join(u'\n'));
    if (job->started.isValid()) {
        const QDateTime end =
            job->finished.isValid() ? job->finished : QDateTime::currentDateTimeUtc();
        item->setText(DurationColumn, durationText(std::max<qint64>(0, job->started.secsTo(end))));
    } else {
        item->setText(DurationColumn, QString());
    }
    if (job->status == exec::JobStatus::Running && !m_clock.isActive())
        m_clock.start();
}

void JobsPanel::updatePipeline()
{
    if (m_runs->pipelineId().isEmpty() && m_items.isEmpty())
        return;
    const exec::PipelineStatus s = m_runs->status();
    m_pipeline->setText(tr("Pipeline %1: %2").arg(m_runs->pipelineId(), JobStatusLook::text(s)));
    updateButtons();
}

void JobsPanel::updateButtons()
{
    const exec::JobRecord *job = m_runs->job(selectedJob());
    m_play->setEnabled(job && canPlay(job->status));
    m_retry->setEnabled(job && canRetry(job->status));
    m_cancel->setEnabled(job && canCancel(job->status));
    m_cancelPipeline->setEnabled(m_runs->isRunning());
}

void JobsPanel::tick()
{
    bool running = false;
    for (auto it = m_items.constBegin(); it != m_items.constEnd(); ++it) {
        const exec::JobRecord *job = m_runs->job(it.key());
        if (job && job->started.isValid() && !job->finished.isValid()) {
            running = true;
            refresh(it.value(), it.key());
        }
    }
    if (!running)
        m_clock.stop();
}

void JobsPanel::showMenu(const QPoint &at)
{
    QTreeWidgetItem *item = m_tree->itemAt(at);
    const int id = jobIdOf(item);
    const exec::JobRecord *job = m_runs->job(id);
    if (!job)
        return;
    m_tree->setCurrentItem(item);
    QMenu menu(this);
    menu.addAction(tr("Show Log"), this, [this, id] { emit logRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Play"), this, [this, id] { m_runs->play(id); })
        ->setEnabled(canPlay(job->status));
    menu.addAction(tr("Retry"), this, [this, id] { m_runs->retry(id); })
        ->setEnabled(canRetry(job->status));
    menu.addAction(tr("Cancel"), this, [this, id] { m_runs->cancel(id); })
        ->setEnabled(canCancel(job->status));
    menu.exec(m_tree->viewport()->mapToGlobal(at));
}

} // namespace stagecraft::gui
