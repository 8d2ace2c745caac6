#include "repository.h"

#include <QDateTime>
#include <QDir>
#include <QTimeZone>

#include <git2.h>

#include <algorithm>

namespace stagecraft::git {

namespace {

struct LibGit2
{
    LibGit2() { git_libgit2_init(); }
    ~LibGit2() { git_libgit2_shutdown(); }
};

void ensureInit()
{
    static LibGit2 instance;
}

QString lastError()
{
    const git_error *e = git_error_last();
    return e && e->message ? QString::fromUtf8(e->message) : QString();
}

QString oidString(const git_oid *oid)
{
    char buffer[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buffer, sizeof buffer, oid);
    return QString::fromLatin1(buffer);
}

template <typename T, void (*Free)(T *)> struct Owned
{
    T *p = nullptr;
    Owned() = default;
    Owned(const Owned &) = delete;
    Owned &operator=(const Owned &) = delete;
    ~Owned()
    {
        if (p)
            Free(p);
    }
    T **out() { return &p; }
    T *get() const { return p; }
    explicit operator bool() const { return p != nullptr; }
};

using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using Reference = Owned<git_reference, git_reference_free>;
using Diff = Owned<git_diff, git_diff_free>;
using Blob = Owned<git_blob, git_blob_free>;
using Config = Owned<git_config, git_config_free>;

void collectDiff(git_diff *diff, QStringList &out)
{
    const size_t n = git_diff_num_deltas(diff);
    for (size_t i = 0; i < n; ++i) {
        const git_diff_delta *delta = git_diff_get_delta(diff, i);
        if (delta->old_file.path)
            out << QString::fromUtf8(delta->old_file.path);
        if (delta->new_file.path)
            out << QString::fromUtf8(delta->new_file.path);
    }
}

void sortUnique(QStringList &list)
{
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
}

} // namespace

struct Repository::Handle
{
    git_repository *repo = nullptr;
    ~Handle()
    {
        if (repo)
            git_repository_free(repo);
    }

    bool peelCommit(const QString &rev, Commit &commit) const
    {
        Object obj;
        if (git_revparse_single(obj.out(), repo, rev.toUtf8().constData()) != 0)
            return false;
        return git_object_peel(reinterpret_cast<git_object **>(commit.out()), obj.get(),
                               GIT_OBJECT_COMMIT) == 0;
    }
};

std::optional<Repository> Repository::discover(const QString &path, QString *error)
{
    ensureInit();
    git_buf buf = GIT_BUF_INIT;
    if (git_repository_discover(&buf, QFile::encodeName(path).constData(), 0, nullptr) != 0) {
        if (error)
            *error = lastError();
        return std::nullopt;
    }
    auto handle = std::make_shared<Handle>();
    const int rc = git_repository_open(&handle->repo, buf.ptr);
    git_buf_dispose(&buf);
    if (rc != 0) {
        if (error)
            *error = lastError();
        return std::nullopt;
    }
    Repository r;
    r.d = handle;
    return r;
}

QString Repository::workdir() const
{
    const char *w = git_repository_workdir(d->repo);
    QString s = w ? QFile::decodeName(w) : QString();
    while (s.size() > 1 && s.endsWith(u'/'))
        s.chop(1);
    return s;
}

QString Repository::currentBranch() const
{
    if (git_repository_head_detached(d->repo) == 1)
        return {};
    Reference head;
    if (git_repository_head(head.out(), d->repo) != 0) {
        // Unborn branch: HEAD points at a branch that has no commit yet.
        Reference sym;
        if (git_reference_lookup(sym.out(), d->repo, "HEAD") == 0 &&
            git_reference_type(sym.get()) == GIT_REFERENCE_SYMBOLIC) {
            QString target = QString::fromUtf8(git_reference_symbolic_target(sym.get()));
            return target.startsWith(u"refs/heads/") ? target.mid(11) : QString();
        }
        return {};
    }
    return QString::fromUtf8(git_reference_shorthand(head.get()));
}

QString Repository::headSha() const
{
    return resolve(QStringLiteral("HEAD"));
}

QString Repository::resolve(const QString &rev) const
{
    Commit c;
    if (!d->peelCommit(rev, c))
        return {};
    return oidString(git_commit_id(c.get()));
}

bool Repository::isTag(const QString &name) const
{
    Reference r;
    return git_reference_lookup(r.out(), d->repo,
                                QByteArray("refs/tags/" + name.toUtf8()).constData()) == 0;
}

bool Repository::isBranch(const QString &name) const
{
    Reference r;
    if (git_reference_lookup(r.out(), d->repo,
                             QByteArray("refs/heads/" + name.toUtf8()).constData()) == 0)
        return true;
    Reference o;
    return git_reference_lookup(o.out(), d->repo,
                                QByteArray("refs/remotes/origin/" + name.toUtf8()).constData()) ==
           0;
}

QString Repository::tagPointingAt(const QString &sha) const
{
    git_strarray names{};
    if (git_tag_list(&names, d->repo) != 0)
        return {};
    QStringList tags;
    for (size_t i = 0; i < names.count; ++i)
        tags << QString::fromUtf8(names.strings[i]);
    git_strarray_dispose(&names);
    std::sort(tags.begin(), tags.end());
    for (const QString &t : tags) {
        if (resolve(QStringLiteral("refs/tags/") + t) == sha)
            return t;
    }
    return {};
}

QString Repository::defaultBranch() const
{
    Reference head;
    if (git_reference_lookup(head.out(), d->repo, "refs/remotes/origin/HEAD") == 0 &&
        git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
        const QString target = QString::fromUtf8(git_reference_symbolic_target(head.get()));
        const QString prefix = QStringLiteral("refs/remotes/origin/");
        if (target.startsWith(prefix))
            return target.mid(prefix.size());
    }
    for (const QString &candidate : {QStringLiteral("main"), QStringLiteral("master")}) {
        if (isBranch(candidate))
            return candidate;
    }
    return QStringLiteral("main");
}

QString Repository::remoteUrl(const QString &remote) const
{
    // Read from the configuration rather than git_remote_lookup: libgit2 1.5's remote lookup
    // leaks PCRE2 match data on every call (seen with AddressSanitizer).
    return configValue(QStringLiteral("remote.") + remote + QStringLiteral(".url"));
}

QString Repository::configValue(const QString &key) const
{
    Config cfg;
    if (git_repository_config_snapshot(cfg.out(), d->repo) != 0)
        return {};
    const char *value = nullptr;
    if (git_config_get_string(&value, cfg.get(), key.toUtf8().constData()) != 0 || !value)
        return {};
    return QString::fromUtf8(value);
}

std::optional<CommitInfo> Repository::commit(const QString &rev) const
{
    Commit c;
    if (!d->peelCommit(rev, c))
        return std::nullopt;
    CommitInfo info;
    info.sha = oidString(git_commit_id(c.get()));
    const char *message = git_commit_message(c.get());
    info.message = message ? QString::fromUtf8(message) : QString();
    while (info.message.endsWith(u'\n'))
        info.message.chop(1);
    if (const git_signature *a = git_commit_author(c.get())) {
        info.authorName = QString::fromUtf8(a->name);
        info.authorEmail = QString::fromUtf8(a->email);
        info.timestamp = QDateTime::fromSecsSinceEpoch(a->when.time, Qt::UTC).toString(Qt::ISODate);
    }
    const unsigned n = git_commit_parentcount(c.get());
    for (unsigned i = 0; i < n; ++i)
        info.parents << oidString(git_commit_parent_id(c.get(), i));
    return info;
}

QString Repository::mergeBase(const QString &a, const QString &b) const
{
    Commit ca;
    Commit cb;
    if (!d->peelCommit(a, ca) || !d->peelCommit(b, cb))
        return {};
    git_oid base;
    if (git_merge_base(&base, d->repo, git_commit_id(ca.get()), git_commit_id(cb.get())) != 0)
        return {};
    return oidString(&base);
}

QStringList Repository::changedFiles(const QString &fromRev, const QString &toRev) const
{
    Commit from;
    Commit to;
    if (!d->peelCommit(fromRev, from) || !d->peelCommit(toRev, to))
        return {};
    Tree a;
    Tree b;
    if (git_commit_tree(a.out(), from.get()) != 0 || git_commit_tree(b.out(), to.get()) != 0)
        return {};
    Diff diff;
    if (git_diff_tree_to_tree(diff.out(), d->repo, a.get(), b.get(), nullptr) != 0)
        return {};
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    git_diff_find_similar(diff.get(), &find);
    QStringList out;
    collectDiff(diff.get(), out);
    sortUnique(out);
    return out;
}

QStringList Repository::uncommittedChanges() const
{
    Tree head;
    Commit c;
    if (d->peelCommit(QStringLiteral("HEAD"), c))
        git_commit_tree(head.out(), c.get());
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
    Diff diff;
    if (git_diff_tree_to_workdir_with_index(diff.out(), d->repo, head.get(), &options) != 0)
        return {};
    QStringList out;
    collectDiff(diff.get(), out);
    sortUnique(out);
    return out;
}

namespace {

int collectBlob(const char *root, const git_tree_entry *entry, void *payload)
{
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
        auto *out = static_cast<QStringList *>(payload);
        out->append(QString::fromUtf8(root) + QString::fromUtf8(git_tree_entry_name(entry)));
    }
    return 0;
}

} // namespace

QStringList Repository::listFiles(const QString &rev) const
{
    Commit c;
    Tree tree;
    if (!d->peelCommit(rev, c) || git_commit_tree(tree.out(), c.get()) != 0)
        return {};
    QStringList out;
    git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collectBlob, &out);
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<QByteArray> Repository::readFile(const QString &rev, const QString &path) const
{
    Commit c;
    Tree tree;
    if (!d->peelCommit(rev, c) || git_commit_tree(tree.out(), c.get()) != 0)
        return std::nullopt;
    git_tree_entry *entry = nullptr;
    if (git_tree_entry_bypath(&entry, tree.get(), path.toUtf8().constData()) != 0)
        return std::nullopt;
    Blob blob;
    const int rc = git_blob_lookup(blob.out(), d->repo, git_tree_entry_id(entry));
    git_tree_entry_free(entry);
    if (rc != 0)
        return std::nullopt;
    return QByteArray(static_cast<const char *>(git_blob_rawcontent(blob.get())),
                      qsizetype(git_blob_rawsize(blob.get())));
}

QString projectPathFromUrl(const QString &url)
{
    QString rest;
    const qsizetype scheme = url.indexOf(QStringLiteral("://"));
    if (scheme >= 0) {
        rest = url.mid(scheme + 3);
        const qsizetype slash = rest.indexOf(u'/');
        if (slash < 0)
            return {};
        rest = rest.mid(slash + 1);
    } else {
        const qsizetype colon = url.indexOf(u':');
        if (colon < 0)
            return {};
        rest = url.mid(colon + 1);
    }
    if (rest.endsWith(QStringLiteral(".git")))
        rest.chop(4);
    while (rest.endsWith(u'/'))
        rest.chop(1);
    return rest;
}

QString serverUrlFromUrl(const QString &url)
{
    const qsizetype scheme = url.indexOf(QStringLiteral("://"));
    QString host;
    if (scheme >= 0) {
        host = url.mid(scheme + 3).section(u'/', 0, 0);
        const QString proto = url.left(scheme);
        if (proto == u"http" || proto == u"https")
            return proto + QStringLiteral("://") + host.section(u'@', -1);
        host = host.section(u'@', -1).section(u':', 0, 0);
    } else {
        host = url.section(u':', 0, 0).section(u'@', -1);
    }
    return host.isEmpty() ? QString() : QStringLiteral("https://") + host;
}

} // namespace stagecraft::git
