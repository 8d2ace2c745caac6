#pragma once

#include "exec/backends.h"
#include "exec/engine.h"
#include "plancontroller.h"
#include "settings.h"

#include <QHash>
#include <QList>
#include <QMetaType>
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
    QString registry; ///< CI_REGISTRY; empty: the server's
    QString kubeContext;
    QString dataDir; ///< empty: the engine's default
    // The executors' settings (exec::BackendSettings); empty: the backend's default.
    QString dockerHost;
    QString dockerDefaultImage;
    QString dockerPullPolicy;
    QString kubeNamespace;
    QString kubeHelperImage;
    bool kubeMountProject = false;
    QString kubeServiceAccount;
    QString kubePullPolicy; ///< Always, IfNotPresent, Never
    QString kubeCpuRequest, kubeCpuLimit, kubeMemoryRequest, kubeMemoryLimit;
    QString kubeNodeSelector; ///< "key=value, key=value"
    QString kubeCacheClaim;
};

/// A run request with the user's run and executor settings (no project, ref or jobs yet).
RunRequest runRequestFrom(const Settings &settings);
/// What the backend of the run gets (the Kubernetes settings in `extra`, under the keys of
/// exec::kube::settingsFrom()).
exec::BackendSettings backendSettings(const RunRequest &request);

/// What became of a run that was going when a new one started.
enum class PreviousRun {
    AutoCanceled,     ///< redundant: same project and ref, nothing non-interruptible started
    NotInterruptible, ///< same ref, but a job with `interruptible: false` has started
    OtherRef,         ///< another project or ref: GitLab would not cancel it either
};

/// Runs pipelines for the IDE: the Engine lives in a thread of its own (planning, the
/// backend's processes and containers never block the window) and is only spoken to by queued
/// calls; its state comes back as copies of the job records. One run is shown at a time; a new
/// run replaces the finished one. Starting a run while one is going does what GitLab does for a
/// newer pipeline: the running one is auto-canceled when it is redundant (same project and ref,
/// Engine::cancelRedundant()); otherwise it runs on out of sight until it finishes.
class RunController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunController)

public:
    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    /// Plans the project as it is on disk (what the engine copies) and starts the run.
    /// A run still going is auto-canceled or goes on in the background (previousRun() says
    /// which, after started()); startFailed() reports later errors.
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
    /// What became of the run that was going when this one started (after started()).
    void previousRun(const QString &pipelineId, stagecraft::gui::PreviousRun outcome);

private:
    void runInEngine(std::function<void(exec::Engine &)> call);
    void update(const exec::JobRecord &record, bool added);
    /// In m_thread: what becomes of `previous`, still going when the run `newerId` started.
    void retire(exec::Engine *previous, bool sameRef, const QString &newerId, quint64 generation);

    QThread *m_thread;
    QObject *m_context;               ///< lives in m_thread: queued calls go through it
    exec::Engine *m_engine = nullptr; ///< owned and used in m_thread only
    /// Where m_engine runs (m_thread only): project root and ref name.
    QString m_engineRoot;
    QString m_engineRef;
    /// Runs replaced while still going (m_thread only): deleted once they finish.
    QList<exec::Engine *> m_background;
    bool m_running = false;
    exec::PipelineStatus m_status = exec::PipelineStatus::Created;
    QString m_pipelineId;
    std::map<int, exec::JobRecord> m_jobs;
    quint64 m_generation = 0; ///< reports of an older run are dropped
};

} // namespace stagecraft::gui

Q_DECLARE_METATYPE(stagecraft::gui::PreviousRun)
