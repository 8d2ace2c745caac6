#pragma once

// Shared helpers of the planner tests: plan a YAML text in a throw-away project folder.

#include "ci/resolver.h"
#include "pipeline/planner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace plantest {

using namespace stagecraft;

/// Writes `files` (path -> content) into a temporary project and plans `.gitlab-ci.yml`.
inline pipeline::Plan planFiles(const QHash<QString, QByteArray> &files,
                                const pipeline::PipelineContext &context)
{
    QTemporaryDir dir;
    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        const QString path = dir.filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(it.value());
    }
    pipeline::PlanOptions options;
    options.resolve.projectRoot = dir.path();
    return pipeline::Planner::planProject(context, options);
}

inline pipeline::Plan planYaml(const QByteArray &yaml, const pipeline::PipelineContext &context)
{
    return planFiles({{QStringLiteral(".gitlab-ci.yml"), yaml}}, context);
}

/// `name@stage[:when][!][<needs,...>]` per planned job, joined by "; ".
inline QString summary(const pipeline::Plan &plan)
{
    QStringList parts;
    for (const pipeline::PlannedJob &job : plan.jobs) {
        QString s = job.name + u'@' + job.stage;
        if (job.when != pipeline::When::OnSuccess)
            s += u':' + pipeline::whenName(job.when);
        if (job.when == pipeline::When::Delayed)
            s += u'(' + job.startIn + u')';
        if (job.allowFailure)
            s += u'!';
        if (job.hasNeeds) {
            QStringList needs;
            for (const pipeline::Need &n : job.needs)
                needs << n.job + (n.optional ? QStringLiteral("?") : QString()) +
                             (n.artifacts ? QString() : QStringLiteral("-"));
            s += u'<' + needs.join(u',') + u'>';
        }
        parts << s;
    }
    return parts.join(QStringLiteral("; "));
}

/// `name=reason` per excluded job, joined by "; ".
inline QString excludedSummary(const pipeline::Plan &plan)
{
    QStringList parts;
    for (const pipeline::ExcludedJob &job : plan.excluded)
        parts << job.name + u'=' + job.reason;
    return parts.join(QStringLiteral("; "));
}

} // namespace plantest
