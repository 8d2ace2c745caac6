#pragma once

#include "exec/backend.h"
#include "exec/logstore.h"
#include "exec/state.h"
#include "pipeline/pipelinecontext.h"
#include "pipeline/planner.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace stagecraft::exec {

struct RunOptions
{
    QString projectRoot;
    /// Jobs to run (names as planned); empty: the whole pipeline.
    QStringList jobs;
    bool withNeeds = false; ///< also run what the chosen jobs need, transitively
    int concurrency = 0;    ///< 0: number of cores
    /// `--var K=V`: pipeline variables, above everything else.
    QHash<QString, QString> variables;
    /// User variables files, lowest first (home file, then the project's
    /// `.gitlab-ci-local-variables.yml`, then `--variables-file`).
    QStringList variablesFiles;
    bool privileged = false;
    bool keepFailedEnvironment = false;
    /// Where runs keep their files: `<dataDir>/pipelines/<id>/{logs,artifacts,jobs}` and
    /// `<dataDir>/cache`. Empty: QStandardPaths' cache location + "/runs".
    QString dataDir;
    /// Pipelines kept under `<dataDir>/pipelines` (the newest by id, this one included); older
    /// ones are removed when a pipeline starts, except those whose Engine still exists (in any
    /// process: a lock file) and those with kept failed environments. 0: keep all. A finished
    /// pipeline keeps its logs and artifacts; its copies of the project are removed when
    /// finished() comes with no manual or delayed job left (a later retry copies the working
    /// tree again).
    int keepPipelines = 20;
    QString registry;       ///< CI_REGISTRY (`--registry`); empty: the server's (registry.gitlab.com)
    int defaultTimeoutSeconds = 3600;     ///< project default (GitLab: 60 minutes)
    int afterScriptTimeoutSeconds = 300;  ///< GitLab Runner: 5 minutes
    bool manualJobsRun = false;           ///< `--manual`: start manual jobs as if played
};

/// One job of a run (also the jobs of child pipelines, with `parentId` set to the trigger job).
struct JobRecord
{
    int id = 0;        ///< CI_JOB_ID, unique in the run
    int parentId = 0;  ///< trigger job of a child pipeline; 0 for top-level jobs
    QString name;
    QString stage;
    JobStatus status = JobStatus::Created;
    FailureReason failureReason = FailureReason::None;
    bool allowedToFail = false; ///< failed with allow_failure: the pipeline still passes
    int exitCode = -1;
    int attempt = 1;   ///< retries count up
    QDateTime started;
    QDateTime finished;
    QString enterCommand; ///< set when a failed job's environment was kept
    std::shared_ptr<LogStore> log;
};

/// Runs a planned pipeline job by job as GitLab Runner would: stages and the `needs` DAG, a
/// concurrency limit, `when`, `allow_failure`, `retry`, `timeout`, `resource_group`,
/// `interruptible`, manual and delayed jobs, artifacts, cache, dotenv, masked variables, child
/// pipelines of `trigger:include:local` (and `include:artifact`, planned once the generating job
/// ran). Lives in one thread (its event loop drives the backend; copies of the project, cache
/// and artifacts run on worker threads); every state change is reported through signals.
///
/// finished() comes whenever nothing is running or waiting for a timer any more: at the end,
/// or with manual jobs left to play (status Manual when one of them blocks). play() and retry()
/// start it again, and finished() follows again. Plan with PlanOptions::effectiveJobs so that
/// jobs see `default:` (before_script, image, cache...).
class Engine : public QObject
{
    Q_OBJECT
public:
    explicit Engine(std::unique_ptr<Backend> backend, QObject *parent = nullptr);
    ~Engine() override;

    /// Starts running `plan` (planned with `context`). False, with `error`, when the backend
    /// cannot be initialised or the selection is invalid (unknown job name: GitLab-like message;
    /// a hidden or excluded job: `Job "x" is not in the pipeline: rules: no rule matched`).
    bool start(const pipeline::Plan &plan, const pipeline::PipelineContext &context,
               const RunOptions &options, QString *error = nullptr);
    /// Whether the last failed start() was refused for its selection: a job named in
    /// RunOptions::jobs that the pipeline does not have, or has but does not create (hidden,
    /// excluded by rules). The command line's usage error.
    bool selectionRefused() const;

    void play(int jobId);   ///< a manual job (or a delayed one, now)
    void retry(int jobId);  ///< a finished job: runs again as a new attempt
    void cancel(int jobId); ///< one job
    void cancelPipeline();  ///< everything; pipelineFinished(Canceled) follows after cleanup

    /// GitLab's auto-cancel of redundant pipelines, for a caller that starts a newer pipeline on
    /// the same ref while this one runs (`workflow:auto_cancel:on_new_commit: conservative`,
    /// GitLab's default): the pipeline can be auto-canceled while it is in progress (not
    /// finished, not blocked on manual jobs) and no job with `interruptible: false` (the
    /// default; `rules:interruptible` overrides the job's) has started (is preparing, running,
    /// or succeeded or failed: trigger jobs do not count, child pipeline jobs do). Then jobs
    /// that have not started are canceled whatever their `interruptible`, and the running ones,
    /// all interruptible, are canceled too (after_script runs, as for cancel()); manual jobs are
    /// left alone. Once a non-interruptible job has started, the pipeline is no longer
    /// auto-cancelable and runs to its end. `workflow:auto_cancel:on_new_commit` changes this
    /// (pipeline::Plan::autoCancelOnNewCommit): `interruptible` cancels only the unfinished
    /// interruptible jobs (started or not) and lets the others run on; `none` never cancels.
    bool autoCancelable() const;
    /// Cancels the pipeline when autoCancelable(); each canceled job's trace says it was
    /// redundant with `newerPipelineId`. Whether it was canceled.
    bool cancelRedundant(const QString &newerPipelineId = QString());

    PipelineStatus status() const;
    QString pipelineId() const;
    /// `<dataDir>/pipelines/<id>`: `logs/<job id>.log`, `artifacts/<job id>/`, and while jobs
    /// run (or their failed environments are kept) `jobs/<job id>/`.
    QString pipelineDir() const;
    QList<JobRecord> jobs() const;
    const JobRecord *job(int jobId) const;
    const JobRecord *job(const QString &name, int parentId = 0) const;
    /// The planned job a record runs (child pipeline jobs included, dynamic ones too).
    const pipeline::PlannedJob *plannedJob(int jobId) const;
    Backend *backend() const;

Q_SIGNALS:
    void jobAdded(int jobId);  ///< a job record exists (at start, and for child pipeline jobs)
    void jobChanged(int jobId); ///< status, exit code, timing changed
    /// New trace bytes were appended to the job's LogStore (already masked).
    void jobOutput(int jobId, const QByteArray &bytes);
    void pipelineStatusChanged(stagecraft::exec::PipelineStatus status);
    void finished(stagecraft::exec::PipelineStatus status);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace stagecraft::exec
