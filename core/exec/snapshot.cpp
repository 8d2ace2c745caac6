// snapshotSource(): what a job sees of the project (the working tree as it is, through libgit2's
// index and status, never a git process).
#include "exec/fileops.h"
#include "exec/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <git2.h>

#include <algorithm>
#include <sys/stat.h>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

struct LibGit2
{
    LibGit2() { git_libgit2_init(); }
    ~LibGit2() { git_libgit2_shutdown(); }
};

QString gitError()
{
    const git_error *e = git_error_last();
    return e && e->message ? QString::fromUtf8(e->message) : tr("unknown libgit2 error");
}

/// Relative paths (to the project) of what the job sees, from git; nothing when `project` is not
/// in a work tree.
std::optional<QStringList> gitFiles(const QString &project, QString *error, bool *isRepo)
{
    static LibGit2 init;
    *isRepo = false;
    git_repository *repo = nullptr;
    const QByteArray projectPath = QFile::encodeName(project);
    if (git_repository_open_ext(&repo, projectPath.constData(), 0, nullptr) != 0)
        return QStringList();
    std::unique_ptr<git_repository, void (*)(git_repository *)> repoOwner(repo,
                                                                          git_repository_free);
    const char *workdirRaw = git_repository_workdir(repo);
    if (!workdirRaw)
        return QStringList(); // bare: treat as a plain folder
    *isRepo = true;
    const QString workdir = QFileInfo(QFile::decodeName(workdirRaw)).canonicalFilePath();
    QString prefix = QDir(workdir).relativeFilePath(project);
    if (prefix == QLatin1String("."))
        prefix.clear();
    if (!prefix.isEmpty())
        prefix += QLatin1Char('/');
    const QByteArray prefixBytes = prefix.toUtf8();
    const QByteArray workdirBytes = QFile::encodeName(workdir);

    QStringList files;
    auto addTree = [&](const QByteArray &rel) {
        // A submodule, a nested repository or a folder where a file was: its files, plainly.
        const QString dir = QFile::decodeName(workdirBytes + '/' + rel);
        const QString relToProject = QString::fromUtf8(rel.mid(prefixBytes.size()));
        for (const QString &f : fileops::walk(dir, {QStringLiteral(".git")}))
            files.append(relToProject + QLatin1Char('/') + f);
    };
    auto addPath = [&](const QByteArray &rel) {
        if (!rel.startsWith(prefixBytes))
            return;
        struct stat st;
        if (::lstat(QByteArray(workdirBytes + '/' + rel).constData(), &st) != 0)
            return; // deleted in the working tree
        if (S_ISDIR(st.st_mode))
            addTree(rel);
        else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
            files.append(QString::fromUtf8(rel.mid(prefixBytes.size())));
    };

    git_index *index = nullptr;
    if (git_repository_index(&index, repo) != 0) {
        if (error)
            *error = gitError();
        return std::nullopt;
    }
    const size_t count = git_index_entrycount(index);
    for (size_t i = 0; i < count; ++i) {
        const git_index_entry *e = git_index_get_byindex(index, i);
        if (!e || git_index_entry_is_conflict(e)) {
            // Conflicted paths appear once per stage: take the working-tree file once.
            if (e && git_index_entry_stage(e) == 2)
                addPath(QByteArray(e->path));
            continue;
        }
        addPath(QByteArray(e->path));
    }
    git_index_free(index);

    git_status_options opts;
    git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
    opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                 GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
    QByteArray spec = prefixBytes;
    char *specPtr = spec.data();
    if (!prefix.isEmpty()) {
        opts.pathspec.strings = &specPtr;
        opts.pathspec.count = 1;
    }
    git_status_list *status = nullptr;
    if (git_status_list_new(&status, repo, &opts) != 0) {
        if (error)
            *error = gitError();
        return std::nullopt;
    }
    const size_t n = git_status_list_entrycount(status);
    for (size_t i = 0; i < n; ++i) {
        const git_status_entry *e = git_status_byindex(status, i);
        if (!(e->status & GIT_STATUS_WT_NEW) || !e->index_to_workdir)
            continue;
        const QByteArray rel(e->index_to_workdir->new_file.path);
        if (rel.endsWith('/')) { // an untracked nested repository
            if (rel.startsWith(prefixBytes))
                addTree(rel.chopped(1));
        } else {
            addPath(rel);
        }
    }
    git_status_list_free(status);
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

} // namespace

std::optional<QStringList> snapshotSource(const QString &projectRoot, const QString &dest,
                                          QString *error)
{
    const QString project = QFileInfo(projectRoot).canonicalFilePath();
    if (project.isEmpty() || !QFileInfo(project).isDir()) {
        if (error)
            *error = tr("%1: no such project folder").arg(projectRoot);
        return std::nullopt;
    }
    const QString target = QDir::cleanPath(QDir(dest).absolutePath());
    const QString targetCanonical = QFileInfo(target).canonicalFilePath();
    for (const QString &t : {target, targetCanonical}) {
        if (!t.isEmpty() && (t == project || t.startsWith(project + QLatin1Char('/')))) {
            if (error)
                *error = tr("%1: the snapshot folder must not be inside the project %2")
                             .arg(dest, projectRoot);
            return std::nullopt;
        }
    }

    bool isRepo = false;
    std::optional<QStringList> files = gitFiles(project, error, &isRepo);
    if (!files)
        return std::nullopt;
    if (!isRepo)
        files = fileops::walk(project, {QStringLiteral(".git")});

    if (!fileops::copyAll(project, target, *files, error))
        return std::nullopt;
    return files;
}

} // namespace stagecraft::exec
