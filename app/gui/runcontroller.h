#pragma once

#include "exec/engine.h"
#include "plancontroller.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>

class QThread;

namespace stagecraft::gui {

/// What a run is started with (from the settings and the action the user chose).
struct RunRequest
{
    QString projectRoot;
    QString mainFile = QStringLiteral(".gitlab-ci.yml");
    QString includeCacheDir;
    RefChoice ref = RefChoice::CurrentBranch;
    QStringList jobs;       ///< empty: the whole pipeline
    bool withNeeds = false; ///< also what the jobs need
    QString executor = QStringLiteral("shell");
    bool privileged = false;
    bool keepFailedEnvironment = false;
    int concurrency = 0;
    QString kubeContext;
    QString dataDir; ///< empty: the engine's default
};

/// Runs pipelines for the IDE: the Engine lives in a thread of its own (planning, the
/// backend's processes and containers never block the window) and is only spoken to by queued
/// calls; its state comes back as copies of the job records. One run at a time; a new run
/// replaces the finished one.
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    /// Plans the project as it is on disk (what the engine copies) and starts the run.
    /// False when a run is still going; startFailed() reports later errors.
    bool start(const RunRequest &request);
    bool isRunning() const { return m_running; }
    /// The status of the current (or last) run.
    exec::PipelineStatus status() const { return m_status; }
    QString pipelineId() const { return m_pipelineId; }

    /// The jobs of the current run, in id order (copies, updated as the engine reports).
    QList<exec::JobRecord> jobs() const;
    const exec::JobRecord *job(int id) const;
    /// The newest record of a job by name (0: top-level pipeline).
    const exec::JobRecord *job(const QString &name, int parentId = 0) const;

    void play(int jobId);
    void retry(int jobId);
    void cancel(int jobId);
    void cancelPipeline();

signals:
    /// A new run begins: the previous run's jobs are gone.
    void runStarting();
    void started();
    void startFailed(const QString &error);
    void jobAdded(int jobId);
    void jobChanged(int jobId);
    void statusChanged(stagecraft::exec::PipelineStatus status);
    void finished(stagecraft::exec::PipelineStatus status);

private:
    void runInEngine(std::function<void(exec::Engine &)> call);
    void update(const exec::JobRecord &record, bool added);

    QThread *m_thread;
    QObject *m_context;               ///< lives in m_thread: queued calls go through it
    exec::Engine *m_engine = nullptr; ///< owned and used in m_thread only
    bool m_running = false;
    exec::PipelineStatus m_status = exec::PipelineStatus::Created;
    QString m_pipelineId;
    std::map<int, exec::JobRecord> m_jobs;
    quint64 m_generation = 0; ///< reports of an older run are dropped
};

} // namespace stagecraft::gui
