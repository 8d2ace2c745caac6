#include "plandiff.h"

#include "git/repository.h"

#include <QCoreApplication>
#include <QDir>

namespace stagecraft::pipeline {

namespace {

QStringList needNames(const PlannedJob &job)
{
    QStringList out;
    for (const Need &n : job.needs)
        out << (n.isLocal() ? n.job : n.project + n.pipeline + u':' + n.job);
    return out;
}

/// Top-level keys whose YAML value differs between two job definitions.
QStringList changedKeys(const yaml::Node &a, const yaml::Node &b)
{
    QStringList keys;
    for (const yaml::MapEntry &e : a.entries()) {
        const yaml::Node other = b.value(e.key.scalar());
        if (!other.isDefined() || !other.equals(e.value))
            keys << e.key.scalar();
    }
    for (const yaml::MapEntry &e : b.entries()) {
        if (!a.contains(e.key.scalar()))
            keys << e.key.scalar();
    }
    return keys;
}

} // namespace

bool PlanDiff::isEmpty() const
{
    return createdBefore == createdAfter && added.isEmpty() && removed.isEmpty() &&
           changed.isEmpty() && stagesAdded.isEmpty() && stagesRemoved.isEmpty();
}

PlanDiff diffPlans(const Plan &before, const Plan &after)
{
    PlanDiff diff;
    diff.createdBefore = before.created;
    diff.createdAfter = after.created;
    QHash<QString, int> oldIndex;
    for (int i = 0; i < before.jobs.size(); ++i)
        oldIndex.insert(before.jobs[i].name, i);
    QSet<QString> newNames;
    for (const PlannedJob &job : after.jobs) {
        newNames.insert(job.name);
        const auto it = oldIndex.constFind(job.name);
        if (it == oldIndex.cend()) {
            diff.added << job.name;
            continue;
        }
        const PlannedJob &old = before.jobs[*it];
        JobChange change;
        change.name = job.name;
        change.oldStage = old.stage;
        change.newStage = job.stage;
        change.oldWhen = whenName(old.when);
        change.newWhen = whenName(job.when);
        // Inherited keys (default:, global variables) count when both plans carry them.
        const bool effective = old.effective.isDefined() && job.effective.isDefined();
        change.keys = effective ? changedKeys(old.effective, job.effective)
                                : changedKeys(old.source.node, job.source.node);
        auto mark = [&](const QString &key) {
            if (!change.keys.contains(key))
                change.keys << key;
        };
        if (old.stage != job.stage)
            mark(QStringLiteral("stage"));
        if (old.when != job.when)
            mark(QStringLiteral("when"));
        if (old.allowFailure != job.allowFailure)
            mark(QStringLiteral("allow_failure"));
        const QStringList oldNeeds = needNames(old);
        const QStringList newNeeds = needNames(job);
        for (const QString &n : newNeeds) {
            if (!oldNeeds.contains(n))
                change.needsAdded << n;
        }
        for (const QString &n : oldNeeds) {
            if (!newNeeds.contains(n))
                change.needsRemoved << n;
        }
        if (!change.needsAdded.isEmpty() || !change.needsRemoved.isEmpty() ||
            old.hasNeeds != job.hasNeeds)
            mark(QStringLiteral("needs"));
        if (!change.keys.isEmpty())
            diff.changed << change;
    }
    for (const PlannedJob &job : before.jobs) {
        if (!newNames.contains(job.name))
            diff.removed << job.name;
    }
    for (const QString &s : after.stages) {
        if (!before.stages.contains(s))
            diff.stagesAdded << s;
    }
    for (const QString &s : before.stages) {
        if (!after.stages.contains(s))
            diff.stagesRemoved << s;
    }
    return diff;
}

std::optional<Plan> planAtRevision(const RevisionPlanOptions &options, QString *error)
{
    const auto repo = git::Repository::discover(options.plan.resolve.projectRoot, error);
    if (!repo)
        return std::nullopt;
    if (repo->resolve(options.revision).isEmpty()) {
        if (error) {
            *error = QCoreApplication::translate("stagecraft::pipeline", "unknown revision '%1'")
                         .arg(options.revision);
        }
        return std::nullopt;
    }
    // Paths in the repository are relative to the work tree; the project may be a sub-folder.
    const QString prefix =
        QDir(repo->workdir())
            .relativeFilePath(QDir(options.plan.resolve.projectRoot).absolutePath());
    const QString base = prefix == u"." || prefix.isEmpty() ? QString() : prefix + u'/';
    PlanOptions planOptions = options.plan;
    planOptions.effectiveJobs = true;
    PipelineContext context = options.context;
    context.existingFiles.clear();
    planOptions.resolve.projectFiles = QStringList();
    for (const QString &file : repo->listFiles(options.revision)) {
        if (!base.isEmpty() && !file.startsWith(base))
            continue;
        const QString relative = file.mid(base.size());
        context.existingFiles << relative;
        planOptions.resolve.projectFiles->append(relative);
        if (relative.endsWith(QStringLiteral(".yml")) ||
            relative.endsWith(QStringLiteral(".yaml"))) {
            if (const auto bytes = repo->readFile(options.revision, file))
                planOptions.resolve.overlay.insert(relative, *bytes);
        }
    }
    if (!planOptions.resolve.overlay.contains(planOptions.resolve.mainFile)) {
        // The file did not exist then: an empty configuration (no pipeline).
        planOptions.resolve.overlay.insert(planOptions.resolve.mainFile, QByteArray("{}\n"));
    }
    return Planner::planProject(context, planOptions);
}

} // namespace stagecraft::pipeline
