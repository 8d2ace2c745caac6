#pragma once

#include "exec/state.h"

#include <QHash>
#include <QTimer>
#include <QWidget>

class QLabel;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace stagecraft::gui {

class RunController;

/// The jobs of the current run as GitLab's jobs list shows them: name, stage, status, duration;
/// the jobs of a child pipeline under their trigger job. Play (manual), retry, cancel and
/// cancel the pipeline; a double click opens the job's log.
class JobsPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsPanel)

public:
    enum Column { NameColumn, StageColumn, StatusColumn, DurationColumn };

    explicit JobsPanel(RunController *runs, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    QTreeWidgetItem *itemFor(int jobId) const { return m_items.value(jobId); }
    /// The job of an item (0 for none).
    static int jobIdOf(const QTreeWidgetItem *item);
    int selectedJob() const;
    void selectJob(int jobId);
    /// The pipeline line above the list ("Pipeline 12: running").
    QString pipelineText() const;

    /// GitLab's duration format: 00:42, 01:02:03.
    static QString durationText(qint64 seconds);

signals:
    void logRequested(int jobId);

private:
    void clear();
    void jobAdded(int jobId);
    void jobChanged(int jobId);
    void refresh(QTreeWidgetItem *item, int jobId);
    void updatePipeline();
    void updateButtons();
    void tick();
    void showMenu(const QPoint &at);

    RunController *m_runs;
    QLabel *m_pipeline;
    QToolButton *m_play;
    QToolButton *m_retry;
    QToolButton *m_cancel;
    QToolButton *m_cancelPipeline;
    QTreeWidget *m_tree;
    QHash<int, QTreeWidgetItem *> m_items;
    QTimer m_clock; ///< running jobs' durations count up
};

} // namespace stagecraft::gui
