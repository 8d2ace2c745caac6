#pragma once

#include "vars/predefined.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace stagecraft::pipeline {

/// Everything the planner needs to know about the pipeline being simulated. Build one by hand
/// (tests, "what if" questions) or from a repository with `contextFromRepository`.
struct PipelineContext
{
    /// `push`, `merge_request_event`, `tag` (a push of a tag: source becomes `push`), `schedule`,
    /// `web`, `api`, `trigger`, `parent_pipeline`, ...
    QString source = QStringLiteral("push");
    QString ref = QStringLiteral("main"); ///< branch or tag (merge requests: the source branch)
    bool tag = false;                     ///< `ref` is a tag
    QString defaultBranch = QStringLiteral("main");
    QString mergeRequestTargetBranch; ///< merge request pipelines; empty: default branch
    /// User-supplied pipeline variables (trigger/schedule/UI/project): above every YAML variable.
    QHash<QString, QString> variables;
    /// Files changed by the push or merge request. Nothing means "not known / not applicable":
    /// then `changes` is true, as GitLab does for tags, schedules, web and new branches.
    std::optional<QStringList> changedFiles;
    /// Changed files against another ref for `rules:changes:compare_to`; nothing: unknown ref.
    std::function<std::optional<QStringList>(const QString &ref)> changesAgainst;
    /// Project files for `rules:exists` (paths relative to the project root).
    QStringList existingFiles;
    /// Commit and project facts for the predefined variables.
    vars::PipelineFacts facts;

    /// `facts` completed from the fields above (source, ref, tag, default branch).
    vars::PipelineFacts effectiveFacts() const;
};

} // namespace stagecraft::pipeline
