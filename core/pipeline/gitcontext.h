#pragma once

#include "pipeline/pipelinecontext.h"

#include <QHash>
#include <QString>

#include <optional>

namespace stagecraft::pipeline {

struct GitContextOptions
{
    QString source;           ///< empty: `push`
    QString ref;              ///< empty: the current branch (or the tag on a detached HEAD)
    QString targetBranch;     ///< merge requests; empty: the default branch
    bool uncommitted = false; ///< add working tree and index changes to the changed files
};

/// A pipeline context filled from the git repository at (or above) `path`, through libgit2:
/// branch or tag, default branch (origin/HEAD, else main/master), commit facts, project path
/// from `origin`, changed files as GitLab computes them (merge requests: against the merge base
/// with the target branch; branch pushes: against the previous commit; tags, schedules, web and
/// the like: unknown, so `changes` is true), existing files of the commit.
/// Nothing (with `error` set) when `path` is not in a repository.
std::optional<PipelineContext> contextFromRepository(const QString &path,
                                                     const GitContextOptions &options,
                                                     QString *error = nullptr);

/// The predefined variables of a push pipeline on the branch (or tag) checked out at `path`, read
/// cheaply (no diff, no file listing): what `include:rules` see when a configuration is linted
/// the way GitLab's pipeline editor validates the branch being edited. Empty outside a
/// repository or on an unborn branch.
QHash<QString, QString> checkoutVariables(const QString &path);

} // namespace stagecraft::pipeline
