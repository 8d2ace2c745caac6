#pragma once

// Internal: the path selection shared by artifacts and cache (GitLab Runner's semantics).

#include <QString>
#include <QStringList>

namespace stagecraft::exec::pathmatch {

struct Selection
{
    QStringList files;    ///< relative files, symlinks and empty folders selected, sorted
    QStringList messages; ///< "foo: found 3 matching artifact files and directories"
    QStringList warnings; ///< "WARNING: foo: no matching files. ..."
};

/// The entries of `workspace` matching `paths` (doublestar globs; a matching folder brings what
/// is under it) minus `exclude`. `workingDirectory` is the job's CI_PROJECT_DIR for messages
/// and for absolute paths inside it.
Selection select(const QString &workspace, const QStringList &paths, const QStringList &exclude,
                 const QString &workingDirectory);

/// Entries of `workspace` that are not in `sourceFiles` (the snapshot), `.git` left out.
QStringList untracked(const QString &workspace, const QStringList &sourceFiles);

} // namespace stagecraft::exec::pathmatch
