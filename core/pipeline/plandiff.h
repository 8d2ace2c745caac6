#pragma once

#include "pipeline/gitcontext.h"
#include "pipeline/planner.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace stagecraft::pipeline {

struct JobChange
{
    QString name;
    /// Job keys whose YAML value differs (`script`, `image`, `rules`...), plus the planned
    /// attributes `stage`, `when`, `allow_failure`, `needs` when those differ.
    QStringList keys;
    QString oldStage;
    QString newStage;
    QStringList needsAdded;
    QStringList needsRemoved;
    QString oldWhen;
    QString newWhen;

    bool stageMoved() const { return oldStage != newStage; }
};

struct PlanDiff
{
    bool createdBefore = true;
    bool createdAfter = true;
    QStringList added;   ///< jobs only in the new plan (plan order)
    QStringList removed; ///< jobs only in the old plan
    QList<JobChange> changed;
    QStringList stagesAdded;
    QStringList stagesRemoved;

    bool isEmpty() const;
};

/// What changes from `before` to `after`.
PlanDiff diffPlans(const Plan &before, const Plan &after);

struct RevisionPlanOptions
{
    PlanOptions plan;        ///< resolve.projectRoot/mainFile/includeCacheDir are used
    QString revision;        ///< any revision libgit2 understands
    PipelineContext context; ///< existingFiles is replaced by the revision's files
};

/// Plans the configuration as it is in a git revision: every YAML file of that commit is read
/// through libgit2 and given to the resolver as `ResolveOptions::overlay`, so includes come from
/// the revision too. Nothing (with `error`) when the repository or revision cannot be read.
std::optional<Plan> planAtRevision(const RevisionPlanOptions &options, QString *error = nullptr);

} // namespace stagecraft::pipeline
