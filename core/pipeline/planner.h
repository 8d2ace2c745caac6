#pragma once

#include "ci/config.h"
#include "ci/resolver.h"
#include "pipeline/pipelinecontext.h"
#include "vars/predefined.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace stagecraft::pipeline {

enum class When { OnSuccess, OnFailure, Always, Manual, Delayed, Never };

QString whenName(When when);
std::optional<When> whenFromName(QStringView name);

/// One resolved `needs` entry (after parallel/matrix expansion: the real job name).
struct Need
{
    QString job;
    bool artifacts = true;
    bool optional = false;
    QString pipeline; ///< `needs:pipeline` (cross-pipeline; not a job of this plan)
    QString project;  ///< `needs:project` (cross-project; not a job of this plan)

    bool isLocal() const { return pipeline.isEmpty() && project.isEmpty(); }
    bool operator==(const Need &) const = default;
};

struct Plan;

/// A job that will be created.
struct PlannedJob
{
    QString name;     ///< GitLab's name, e.g. `test 1/3`, `build: [linux, amd64]`
    QString baseName; ///< the job key in the YAML (`test`, `build`)
    QString stage;
    int stageIndex = 0; ///< index in Plan::allStages
    When when = When::OnSuccess;
    QString startIn; ///< delayed jobs
    bool allowFailure = false;
    /// `allow_failure:exit_codes` that apply: the job's, unless the matched `rules:` entry sets
    /// `allow_failure` (GitLab then drops the job's criteria). With codes, a failure is allowed
    /// only for a script exit code in the list (allowFailure is false then).
    QList<int> allowFailureExitCodes;
    /// Index (0-based, after flattening `!reference`d lists) of the `rules:` entry that made the
    /// job; -1 without `rules:`. `reason` says the same in words, for people.
    int matchedRule = -1;
    bool allowFailureFromRule = false; ///< that entry set `allow_failure`
    /// That `rules:` entry itself (`interruptible`, ... that it overrides); undefined without.
    yaml::Node rule;
    bool hasNeeds = false; ///< `needs:` given (even empty): the job does not wait for stages
    QList<Need> needs;
    bool hasDependencies = false;
    QStringList dependencies;
    QList<vars::Variable>
        variables; ///< YAML variables of the job (global, job, matrix, rule), expanded
    QList<vars::Variable> matrix; ///< the matrix values of this instance (empty otherwise)
    int nodeIndex = 0;            ///< CI_NODE_INDEX (1-based) for parallel jobs, 0 otherwise
    int nodeTotal = 1;
    QString reason; ///< why it runs: "rules: rule 1 matched", "only: refs branches"
    ci::Job source; ///< the YAML definition (for positions and diffs)
    /// The job with `default:` and global variables applied (ci::effectiveJob); only filled when
    /// PlanOptions::effectiveJobs is set, for diffs that should see inherited changes.
    yaml::Node effective;
    /// `trigger:` jobs: the downstream project, or the planned child pipeline for local includes.
    bool trigger = false;
    QString triggerProject;
    std::shared_ptr<const Plan> child;
};

/// A job that will not be created, and why in words.
struct ExcludedJob
{
    QString name;
    QString stage;
    QString
        reason; ///< "rules: no rule matched", "except: refs main", "workflow: pipeline not created"
    ci::Job source;
};

struct Plan
{
    bool created = true;
    /// Why the pipeline is (not) created: "workflow: rule 1 matched",
    /// "workflow: no rule matched", an error such as a missing `needs` target.
    QString reason;
    QString name;                            ///< `workflow:name`, expanded
    QStringList allStages;                   ///< .pre, stages:, .post
    QStringList stages;                      ///< the stages that have jobs, in order
    QList<PlannedJob> jobs;                  ///< by stage, then definition order
    QList<ExcludedJob> excluded;             ///< definition order
    QList<vars::Variable> workflowVariables; ///< from the matching `workflow:rules` entry
    QStringList errors;                      ///< pipeline-creation errors with GitLab's wording
    /// `workflow:auto_cancel:on_new_commit` (the matching `workflow:rules` entry's first):
    /// `conservative` (GitLab's default), `interruptible` or `none`.
    QString autoCancelOnNewCommit = QStringLiteral("conservative");
    /// `workflow:auto_cancel:on_job_failure` (the matching rule's first): `all` cancels the
    /// pipeline's unfinished jobs once a job fails that is not allowed to; `none` (the default).
    QString autoCancelOnJobFailure = QStringLiteral("none");
    /// Some include could not be read offline (ci::ResolvedConfig::incomplete): jobs may be
    /// missing, and findings that could come from the missing content are in `warnings`.
    bool incomplete = false;
    QStringList warnings;
    QHash<QString, QString> pipelineVariables; ///< predefined + user: what rules saw

    const PlannedJob *job(QStringView name) const;
    int jobIndex(QStringView name) const;
};

struct PlanOptions
{
    /// Where child pipelines (`trigger:include:local`) are read from: root, overlay, cache.
    ci::ResolveOptions resolve;
    bool planChildren = true;
    bool effectiveJobs = false; ///< fill PlannedJob::effective
    int maxChildDepth = 2;      ///< GitLab allows two levels of child pipelines
};

/// Simulates GitLab's pipeline creation for a resolved configuration.
class Planner
{
public:
    static Plan plan(const ci::ResolvedConfig &config, const PipelineContext &context,
                     const PlanOptions &options = {});
    /// Resolves `options.resolve` and plans it.
    static Plan planProject(const PipelineContext &context, const PlanOptions &options);
};

/// Name of a `parallel: N` instance (`test 2/5`) and of a matrix instance (`test: [a, b]`).
QString parallelName(const QString &base, int index, int total);
QString matrixName(const QString &base, const QStringList &values);

} // namespace stagecraft::pipeline
