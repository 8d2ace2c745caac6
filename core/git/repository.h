#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace stagecraft::git {

struct CommitInfo
{
    QString sha;
    QString message;
    QString authorName;
    QString authorEmail;
    QString timestamp; ///< ISO 8601, UTC
    QStringList parents;
};

/// A read-only view of a git repository through libgit2 (never a git process). Copies share the
/// same libgit2 handle. All revisions accept what git_revparse_single accepts (`main`, `HEAD~1`,
/// `origin/main`, a SHA, a tag).
class Repository
{
public:
    /// Finds the repository containing `path` (walking up). Nothing when there is none.
    static std::optional<Repository> discover(const QString &path, QString *error = nullptr);

    QString workdir() const;                         ///< absolute, without trailing slash
    QString currentBranch() const;                   ///< empty when HEAD is detached or unborn
    QString headSha() const;                         ///< empty when unborn
    QString resolve(const QString &rev) const;       ///< commit SHA, empty when unknown
    bool isTag(const QString &name) const;           ///< refs/tags/<name> exists
    bool isBranch(const QString &name) const;        ///< local or origin branch exists
    QString tagPointingAt(const QString &sha) const; ///< first tag (by name) on that commit
    /// The remote's HEAD (refs/remotes/origin/HEAD), else a local/remote `main` or `master`,
    /// else "main".
    QString defaultBranch() const;
    QString remoteUrl(const QString &remote = QStringLiteral("origin")) const;
    QString configValue(const QString &key) const;

    std::optional<CommitInfo> commit(const QString &rev) const;
    QString mergeBase(const QString &a, const QString &b) const;
    /// Paths that differ between two commits (old and new path of renames), sorted.
    QStringList changedFiles(const QString &fromRev, const QString &toRev) const;
    /// Paths changed in the index and working tree against HEAD, untracked files included.
    QStringList uncommittedChanges() const;
    /// Every file (blob) path of a commit's tree, sorted.
    QStringList listFiles(const QString &rev) const;
    std::optional<QByteArray> readFile(const QString &rev, const QString &path) const;

private:
    struct Handle;
    std::shared_ptr<Handle> d;
};

/// `group/project` from a remote URL (`git@host:group/project.git`, `https://host/group/project`,
/// `ssh://git@host:22/group/project.git`); empty when it cannot tell.
QString projectPathFromUrl(const QString &url);
/// `https://host` from a remote URL; empty when it cannot tell.
QString serverUrlFromUrl(const QString &url);

} // namespace stagecraft::git
