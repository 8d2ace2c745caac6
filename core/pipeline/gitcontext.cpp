#include "gitcontext.h"

#include "git/repository.h"
#include "vars/predefined.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>

namespace stagecraft::pipeline {

namespace {

QStringList workingTreeFiles(const QString &root)
{
    QStringList out;
    const QDir dir(root);
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = dir.relativeFilePath(it.next());
        if (rel.startsWith(QStringLiteral(".git/")))
            continue;
        out << rel;
    }
    out.sort();
    return out;
}

} // namespace

std::optional<PipelineContext>
contextFromRepository(const QString &path, const GitContextOptions &options, QString *error)
{
    const auto repo = git::Repository::discover(path, error);
    if (!repo)
        return std::nullopt;
    PipelineContext c;
    c.source = options.source.isEmpty() ? QStringLiteral("push") : options.source;
    c.defaultBranch = repo->defaultBranch();
    const QString head = repo->headSha();
    QString rev = QStringLiteral("HEAD");
    if (!options.ref.isEmpty()) {
        c.ref = options.ref;
        if (repo->isTag(options.ref) && !repo->isBranch(options.ref)) {
            c.tag = true;
            rev = QStringLiteral("refs/tags/") + options.ref;
        } else if (!repo->resolve(options.ref).isEmpty()) {
            rev = options.ref;
        } else if (!repo->resolve(QStringLiteral("origin/") + options.ref).isEmpty()) {
            rev = QStringLiteral("origin/") + options.ref;
        }
        // A ref that does not exist yet (a branch about to be pushed) keeps HEAD's content.
    } else {
        c.ref = repo->currentBranch();
        if (c.ref.isEmpty()) {
            c.ref = repo->tagPointingAt(head);
            c.tag = !c.ref.isEmpty();
        }
        if (c.ref.isEmpty())
            c.ref = head.left(8);
    }
    if (c.source == u"tag") {
        c.source = QStringLiteral("push");
        c.tag = true;
    }
    const QString sha = repo->resolve(rev);
    const auto commit = repo->commit(rev);
    vars::PipelineFacts &f = c.facts;
    f.sha = sha;
    if (commit) {
        f.message = commit->message;
        f.author = commit->authorName + QStringLiteral(" <") + commit->authorEmail + u'>';
        f.timestamp = commit->timestamp;
        if (!commit->parents.isEmpty())
            f.beforeSha = commit->parents.first();
    }
    const QString url = repo->remoteUrl();
    if (const QString p = git::projectPathFromUrl(url); !p.isEmpty())
        f.projectPath = p;
    else
        f.projectPath = QStringLiteral("local/") + QDir(repo->workdir()).dirName();
    if (const QString s = git::serverUrlFromUrl(url); !s.isEmpty())
        f.serverUrl = s;
    f.userEmail = repo->configValue(QStringLiteral("user.email"));
    f.userName = repo->configValue(QStringLiteral("user.name"));
    f.userLogin = f.userEmail.section(u'@', 0, 0);

    // Changed files, as GitLab computes them.
    if (c.source == u"merge_request_event") {
        c.mergeRequestTargetBranch =
            options.targetBranch.isEmpty() ? c.defaultBranch : options.targetBranch;
        QString target = c.mergeRequestTargetBranch;
        if (repo->resolve(target).isEmpty())
            target = QStringLiteral("origin/") + target;
        const QString base = repo->mergeBase(target, rev);
        f.mergeRequestDiffBaseSha = base;
        if (!base.isEmpty())
            c.changedFiles = repo->changedFiles(base, rev);
    } else if (c.source == u"push" && !c.tag && commit && !commit->parents.isEmpty()) {
        c.changedFiles = repo->changedFiles(commit->parents.first(), rev);
    }
    if (options.uncommitted) {
        QStringList files = c.changedFiles.value_or(QStringList{});
        files += repo->uncommittedChanges();
        files.removeDuplicates();
        files.sort();
        c.changedFiles = files;
        c.existingFiles = workingTreeFiles(repo->workdir());
    } else {
        c.existingFiles = repo->listFiles(rev);
    }
    const git::Repository r = *repo;
    c.changesAgainst = [r, rev](const QString &other) -> std::optional<QStringList> {
        QString base = other;
        if (r.resolve(base).isEmpty())
            base = QStringLiteral("origin/") + other;
        if (r.resolve(base).isEmpty())
            return std::nullopt;
        return r.changedFiles(base, rev);
    };
    return c;
}

QHash<QString, QString> checkoutVariables(const QString &root)
{
    const auto repository = git::Repository::discover(root);
    if (!repository)
        return {};
    vars::PipelineFacts facts;
    facts.defaultBranch = repository->defaultBranch();
    facts.sha = repository->headSha();
    facts.ref = repository->currentBranch();
    if (facts.ref.isEmpty() && !facts.sha.isEmpty()) {
        facts.ref = repository->tagPointingAt(facts.sha);
        facts.tag = !facts.ref.isEmpty();
    }
    if (facts.ref.isEmpty())
        return {};
    if (const QString path = git::projectPathFromUrl(repository->remoteUrl()); !path.isEmpty())
        facts.projectPath = path;
    else
        facts.projectPath = QStringLiteral("local/") + QDir(repository->workdir()).dirName();
    return vars::predefinedVariables(facts);
}


} // namespace stagecraft::pipeline
