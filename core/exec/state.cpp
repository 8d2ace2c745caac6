#include "exec/state.h"

namespace stagecraft::exec {

QString statusName(JobStatus status)
{
    switch (status) {
    case JobStatus::Created: return QStringLiteral("created");
    case JobStatus::WaitingForResource: return QStringLiteral("waiting_for_resource");
    case JobStatus::Pending: return QStringLiteral("pending");
    case JobStatus::Preparing: return QStringLiteral("preparing");
    case JobStatus::Running: return QStringLiteral("running");
    case JobStatus::Success: return QStringLiteral("success");
    case JobStatus::Failed: return QStringLiteral("failed");
    case JobStatus::Canceled: return QStringLiteral("canceled");
    case JobStatus::Skipped: return QStringLiteral("skipped");
    case JobStatus::Manual: return QStringLiteral("manual");
    case JobStatus::Scheduled: return QStringLiteral("scheduled");
    }
    return {};
}

QString statusName(PipelineStatus status)
{
    switch (status) {
    case PipelineStatus::Created: return QStringLiteral("created");
    case PipelineStatus::Running: return QStringLiteral("running");
    case PipelineStatus::Success: return QStringLiteral("success");
    case PipelineStatus::Failed: return QStringLiteral("failed");
    case PipelineStatus::Canceled: return QStringLiteral("canceled");
    case PipelineStatus::Skipped: return QStringLiteral("skipped");
    case PipelineStatus::Manual: return QStringLiteral("manual");
    }
    return {};
}

QString failureReasonName(FailureReason reason)
{
    switch (reason) {
    case FailureReason::None: return {};
    case FailureReason::ScriptFailure: return QStringLiteral("script_failure");
    case FailureReason::RunnerSystemFailure: return QStringLiteral("runner_system_failure");
    case FailureReason::JobExecutionTimeout: return QStringLiteral("job_execution_timeout");
    case FailureReason::MissingDependency: return QStringLiteral("missing_dependency_failure");
    case FailureReason::Canceled: return QStringLiteral("canceled");
    }
    return {};
}

bool isFinished(JobStatus status)
{
    return status == JobStatus::Success || status == JobStatus::Failed
        || status == JobStatus::Canceled || status == JobStatus::Skipped;
}

} // namespace stagecraft::exec
