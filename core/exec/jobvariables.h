#pragma once

#include "exec/backend.h"
#include "vars/predefined.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

namespace stagecraft::exec {

/// The layers of a job's variables, lowest precedence first (GitLab's order, "CI/CD variable
/// precedence"): predefined pipeline variables, predefined job variables, YAML variables
/// (global, job, matrix, rules: as planned), dotenv reports of dependencies, user variables
/// files (project/group/instance settings), pipeline variables (`--var`, trigger, schedule).
struct JobVariableLayers
{
    QHash<QString, QString> pipeline;      ///< Plan::pipelineVariables (predefined + user)
    QList<QPair<QString, QString>> job;    ///< CI_JOB_ID, CI_PROJECT_DIR, ...
    QList<vars::Variable> yaml;            ///< PlannedJob::variables, expanded
    QList<QPair<QString, QString>> dotenv; ///< in dependency order
    QList<JobVariable> files;              ///< readVariablesFile results, lowest first
    QHash<QString, QString> user;          ///< highest
};

/// The final list: one entry per name, predefined first, later layers replacing earlier values
/// (a variable keeps the place it was first defined at).
QList<JobVariable> mergeJobVariables(const JobVariableLayers &layers);

/// The values of masked variables GitLab would mask (8 characters or more).
QStringList maskedValues(const QList<JobVariable> &variables);

} // namespace stagecraft::exec
