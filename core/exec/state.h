#pragma once

#include <QString>

namespace stagecraft::exec {

/// Job states with GitLab's names (`CI_JOB_STATUS`, the API's `status`).
enum class JobStatus {
    Created,            ///< waiting for earlier stages or needs
    WaitingForResource, ///< `resource_group` busy
    Pending,            ///< ready, waiting for a free slot (concurrency limit)
    Preparing,          ///< environment being set up (image, services, source)
    Running,
    Success,
    Failed,
    Canceled,
    Skipped,   ///< will not run (earlier failure with `on_success`, dependency not run, ...)
    Manual,    ///< waits for a play action
    Scheduled, ///< `when: delayed`, waiting for `start_in`
};

/// Pipeline states with GitLab's names.
enum class PipelineStatus { Created, Running, Success, Failed, Canceled, Skipped, Manual };

/// Why a job failed, with GitLab's `failure_reason` names.
enum class FailureReason {
    None,
    ScriptFailure,            ///< script_failure
    RunnerSystemFailure,      ///< runner_system_failure (backend error, image pull, ...)
    JobExecutionTimeout,      ///< job_execution_timeout
    MissingDependency,        ///< missing_dependency_failure
    Canceled,                 ///< not a GitLab failure reason: the job was canceled
};

QString statusName(JobStatus status);         ///< `success`, `waiting_for_resource`, ...
QString statusName(PipelineStatus status);
QString failureReasonName(FailureReason reason); ///< `script_failure`, ...
bool isFinished(JobStatus status); ///< success, failed, canceled, skipped

} // namespace stagecraft::exec
