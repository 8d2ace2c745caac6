#pragma once

#include <QByteArray>
#include <QHash>
#include <QIODevice>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace stagecraft::exec {

// Files of a job: its source snapshot, artifacts and cache. Pure functions on host folders,
// usable from any thread. All relative paths use '/'.

/// Copies what a job sees of the project at `projectRoot` into `dest` (created): the working tree
/// as it is now, tracked files with uncommitted changes and untracked files that are not ignored
/// (libgit2 status), deleted files left out, symlinks kept as links, executable bits kept. Outside
/// a git repository: every file except `.git`. Never writes under `projectRoot` (a `dest` inside
/// it is refused). The project may be a subfolder of a repository; submodules and nested
/// repositories are copied as plain files (without their `.git`). Returns the relative paths
/// copied (sorted), nothing with `error` set on failure.
std::optional<QStringList> snapshotSource(const QString &projectRoot, const QString &dest,
                                          QString *error = nullptr);

/// `artifacts:` of a job.
struct ArtifactsSpec
{
    QString name;
    QStringList paths;   ///< globs with `**`, expanded variables already
    QStringList exclude;
    bool untracked = false;  ///< files that were not in the source snapshot
    QString when = QStringLiteral("on_success"); ///< on_success, on_failure, always
    QStringList dotenv;  ///< `artifacts:reports:dotenv` files
    /// CI_PROJECT_DIR as the job saw it (`/builds/group/project`), for GitLab Runner's warning
    /// text; empty: the workspace's host path.
    QString workingDirectory;
    bool isEmpty() const { return paths.isEmpty() && !untracked && dotenv.isEmpty(); }
};

struct CollectResult
{
    QStringList files;     ///< relative paths stored
    QStringList warnings;  ///< GitLab Runner's wording: "WARNING: foo: no matching files. Ensure
                           ///< that the artifact path is relative to the working directory"
    QStringList errors;    ///< "ERROR: No files to upload"
    /// Progress lines in GitLab Runner's wording: "foo: found 3 matching artifact files and
    /// directories", "untracked: found 2 files".
    QStringList messages;
    /// The dotenv reports' variables (parsed with parseDotenv(); their errors are in `errors`).
    QList<QPair<QString, QString>> dotenvVariables;
};

/// Where collectArtifacts() keeps a dotenv report inside `storeDir` (apart from the artifact
/// files: GitLab does not hand the report file itself to later jobs). restoreArtifacts() skips
/// this folder.
QString dotenvReportPath(const QString &storeDir, const QString &file);

/// Copies the files matching `spec` from `workspace` into `storeDir` (created), keeping their
/// relative paths. `sourceFiles` is what snapshotSource() returned (for `untracked`). Dotenv
/// report files are stored too (at dotenvReportPath()) and parsed into `dotenvVariables`.
/// Paths: doublestar globs relative to the project (`**` = any number of folders), a matching
/// folder brings everything under it, `exclude` removes files and folders (a folder whose
/// content is all excluded stays, empty, as GitLab Runner keeps it); `..` and absolute paths
/// outside the project are refused with a warning. `spec.when` is the engine's business.
CollectResult collectArtifacts(const QString &workspace, const ArtifactsSpec &spec,
                               const QStringList &sourceFiles, const QString &storeDir);

/// Copies stored artifacts into a job's workspace (overwriting).
bool restoreArtifacts(const QString &storeDir, const QString &workspace, QString *error = nullptr);

/// A dotenv report (`KEY=value` lines) parsed as GitLab does (Ci::ParseDotenvArtifactService):
/// split at the first `=`, key and value stripped, one pair of matching surrounding quotes (`"`
/// or `'`) removed, keys of letters, digits and `_`, last definition wins; blank lines skipped.
/// Invalid lines reported with their line number ("line 3: Invalid Format"); any error or an
/// exceeded limit ("Dotenv files cannot have more than 50 variables", "Dotenv Artifact Too Big.
/// Maximum Allowable Size: 5120") leaves `variables` empty, as GitLab rejects the report.
struct DotenvResult
{
    QList<QPair<QString, QString>> variables;
    QStringList errors;
};
DotenvResult parseDotenv(const QByteArray &text);
/// GitLab's default limits for a dotenv report (plan limits `dotenv_size`, `dotenv_variables`).
inline constexpr int DotenvMaxBytes = 5 * 1024;
inline constexpr int DotenvMaxVariables = 50;

/// One `cache:` entry of a job.
struct CacheSpec
{
    QString key = QStringLiteral("default"); ///< expanded `key` (or the `prefix` for key:files)
    QStringList keyFiles;      ///< `key:files` (up to two)
    QString keyPrefix;         ///< `key:prefix`
    QStringList paths;
    bool untracked = false;
    QString policy = QStringLiteral("pull-push"); ///< pull, push, pull-push
    QString when = QStringLiteral("on_success");
    QStringList fallbackKeys;
    /// CI_PROJECT_DIR as the job saw it, for warnings (as ArtifactsSpec::workingDirectory).
    QString workingDirectory;
};

/// The effective key: `key`, or for `key:files` `<prefix->-<sha of the files' contents>` (the
/// files as they are in the workspace), "default" when none of the files exist. Keys are
/// sanitised as GitLab does (`/` and `.` / `..` not allowed: replaced).
/// Details: SHA-1 (hex) over, per existing file in the order given, its relative path, a NUL
/// byte and its content; paths under `workingDirectory` or the workspace may be absolute. `/`,
/// `\` and `%2F` become `-`; an empty key, `.` and `..` become "default". Caches are stored as
/// plain folders: `<cacheRoot>/<key>/<files>`.
QString cacheKey(const CacheSpec &spec, const QString &workspace);

/// Restores the first of key, fallback keys, that exists in `cacheRoot` into the workspace.
/// Returns the key used (empty: none found). Messages in GitLab Runner's wording go to `log`.
QString restoreCache(const CacheSpec &spec, const QString &key, const QString &cacheRoot,
                     const QString &workspace, QStringList *log);
/// Saves the matching paths of the workspace under `key` in `cacheRoot` (replacing atomically).
bool saveCache(const CacheSpec &spec, const QString &key, const QString &cacheRoot,
               const QString &workspace, const QStringList &sourceFiles, QStringList *log);

/// Writes a POSIX ustar (with GNU long names) archive of `files` (relative to `root`; folders,
/// symlinks and modes kept) to `out`. Used to upload a workspace into containers and pods.
/// Parent folders are written before their files; a folder in `files` is written with
/// everything under it (`.` = the whole root). Owner root:root (uid/gid 0).
bool writeTar(const QString &root, const QStringList &files, QIODevice *out,
              QString *error = nullptr);
/// Extracts a tar stream (ustar, GNU long names, pax paths) into `dest`; refuses entries that
/// would escape it: absolute or `..` paths, entries under a symlink (one the archive made, or
/// one already there), hard links to outside. Symlinks themselves are created as they are (a
/// workspace may hold links to `/usr/...`). `in` may be sequential (a process's output).
bool extractTar(QIODevice *in, const QString &dest, QString *error = nullptr);

} // namespace stagecraft::exec
