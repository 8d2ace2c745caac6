// Real repositories made with libgit2 in temporary folders: branch, tag, merge request and
// changed-file cases of contextFromRepository, and the Repository wrapper itself.

#include "git/repository.h"
#include "pipeline/gitcontext.h"
#include "pipeline/planner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <git2.h>

using namespace stagecraft;

namespace {

/// Minimal writer over libgit2 for building test repositories.
class RepoBuilder
{
public:
    explicit RepoBuilder(const QString &path, const char *initialBranch = "main") : m_path(path)
    {
        git_libgit2_init();
        git_repository_init_options o = GIT_REPOSITORY_INIT_OPTIONS_INIT;
        o.initial_head = initialBranch;
        QVERIFY(git_repository_init_ext(&m_repo, QFile::encodeName(path).constData(), &o) == 0);
    }
    ~RepoBuilder()
    {
        git_repository_free(m_repo);
        git_libgit2_shutdown();
    }

    void write(const QString &file, const QByteArray &content)
    {
        const QString full = QDir(m_path).filePath(file);
        QDir().mkpath(QFileInfo(full).absolutePath());
        QFile f(full);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

    void remove(const QString &file) { QFile::remove(QDir(m_path).filePath(file)); }

    /// Stages everything and commits on HEAD; returns the SHA.
    QString commit(const char *message)
    {
        git_index *index = nullptr;
        git_repository_index(&index, m_repo);
        const char *all = "*";
        git_strarray paths{const_cast<char **>(&all), 1};
        git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, nullptr, nullptr);
        git_index_update_all(index, &paths, nullptr, nullptr);
        git_index_write(index);
        git_oid treeId;
        git_index_write_tree(&treeId, index);
        git_index_free(index);
        git_tree *tree = nullptr;
        git_tree_lookup(&tree, m_repo, &treeId);
        git_signature *sig = nullptr;
        git_signature_new(&sig, "Testersen", "test@test.com", 1700000000 + (m_time++), 0);
        git_oid parentId;
        git_commit *parent = nullptr;
        int parents = 0;
        if (git_reference_name_to_id(&parentId, m_repo, "HEAD") == 0) {
            git_commit_lookup(&parent, m_repo, &parentId);
            parents = 1;
        }
        const git_commit *parentList[] = {parent};
        git_oid id;
        git_commit_create(&id, m_repo, "HEAD", sig, sig, nullptr, message, tree, parents,
                          parentList);
        git_commit_free(parent);
        git_signature_free(sig);
        git_tree_free(tree);
        char hex[GIT_OID_HEXSZ + 1];
        git_oid_tostr(hex, sizeof hex, &id);
        return QString::fromLatin1(hex);
    }

    void branch(const char *name, const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_commit *c = nullptr;
        git_commit_lookup(&c, m_repo, &id);
        git_reference *ref = nullptr;
        git_branch_create(&ref, m_repo, name, c, 1);
        git_reference_free(ref);
        git_commit_free(c);
    }

    /// Points HEAD at a branch and checks its tree out (forced).
    void checkout(const char *branch)
    {
        const QByteArray ref = QByteArray("refs/heads/") + branch;
        git_repository_set_head(m_repo, ref.constData());
        git_checkout_options o = GIT_CHECKOUT_OPTIONS_INIT;
        o.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
        git_checkout_head(m_repo, &o);
    }

    void detach(const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_repository_set_head_detached(m_repo, &id);
    }

    void tag(const char *name, const QString &at)
    {
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_object *obj = nullptr;
        git_object_lookup(&obj, m_repo, &id, GIT_OBJECT_COMMIT);
        git_oid tagId;
        git_tag_create_lightweight(&tagId, m_repo, name, obj, 1);
        git_object_free(obj);
    }

    void remote(const char *url, const char *headBranch, const QString &at)
    {
        git_remote *r = nullptr;
        git_remote_create(&r, m_repo, "origin", url);
        git_remote_free(r);
        git_oid id;
        git_oid_fromstr(&id, at.toLatin1().constData());
        git_reference *ref = nullptr;
        const QByteArray name = QByteArray("refs/remotes/origin/") + headBranch;
        git_reference_create(&ref, m_repo, name.constData(), &id, 1, nullptr);
        git_reference_free(ref);
        git_reference_symbolic_create(&ref, m_repo, "refs/remotes/origin/HEAD", name.constData(),
                                      1, nullptr);
        git_reference_free(ref);
    }

private:
    QString m_path;
    git_repository *m_repo = nullptr;
    int m_time = 0;
};

QString changed(const pipeline::PipelineContext &c)
{
    return c.changedFiles ? c.changedFiles->join(u',') : u"<unknown>"_qs;
}

} // namespace

class TestGitContext : public QObject
{
    Q_OBJECT

private slots:
    void branchPush();
    void defaultBranch();
    void mergeRequest();
    void tagPipeline();
    void explicitRef();
    void uncommitted();
    void compareTo();
    void readAtRevision();
    void notARepository();
    void projectPath_data();
    void projectPath();
};

void TestGitContext::branchPush()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs, "a:\n  script: x\n");
    repo.write(u"a.txt"_qs, "1");
    repo.commit("first");
    repo.write(u"src/b.txt"_qs, "2");
    const QString second = repo.commit("Second title\n\nBody line");
    const auto c = pipeline::contextFromRepository(dir.path() + u"/src"_qs, {});
    QVERIFY(c);
    QCOMPARE(c->source, u"push"_qs);
    QCOMPARE(c->ref, u"main"_qs);
    QVERIFY(!c->tag);
    QCOMPARE(c->defaultBranch, u"main"_qs);
    QCOMPARE(changed(*c), u"src/b.txt"_qs);
    QCOMPARE(c->existingFiles, (QStringList{u".gitlab-ci.yml"_qs, u"a.txt"_qs, u"src/b.txt"_qs}));
    QCOMPARE(c->facts.sha, second);
    QCOMPARE(c->facts.message, u"Second title\n\nBody line"_qs);
    QCOMPARE(c->facts.author, u"Testersen <test@test.com>"_qs);
    const auto vars = vars::predefinedVariables(c->effectiveFacts());
    QCOMPARE(vars.value(u"CI_COMMIT_TITLE"_qs), u"Second title"_qs);
    QCOMPARE(vars.value(u"CI_COMMIT_SHORT_SHA"_qs), second.left(8));
    QCOMPARE(vars.value(u"CI_COMMIT_BRANCH"_qs), u"main"_qs);
}

void TestGitContext::defaultBranch()
{
    {
        QTemporaryDir dir;
        RepoBuilder repo(dir.path(), "master");
        repo.write(u"a"_qs, "1");
        const QString c1 = repo.commit("c1");
        QCOMPARE(pipeline::contextFromRepository(dir.path(), {})->defaultBranch, u"master"_qs);
        repo.remote("git@gitlab.com:gcl/test-project.git", "trunk", c1);
        const auto c = pipeline::contextFromRepository(dir.path(), {});
        QCOMPARE(c->defaultBranch, u"trunk"_qs);
        QCOMPARE(c->ref, u"master"_qs);
        QCOMPARE(c->facts.projectPath, u"gcl/test-project"_qs);
        QCOMPARE(c->facts.serverUrl, u"https://gitlab.com"_qs);
    }
    {
        QTemporaryDir dir;
        RepoBuilder repo(dir.path(), "develop");
        repo.write(u"a"_qs, "1");
        repo.commit("c1");
        QCOMPARE(pipeline::contextFromRepository(dir.path(), {})->defaultBranch, u"main"_qs);
    }
}

void TestGitContext::mergeRequest()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs,
               "a:\n  script: x\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n"
               "      changes: [feature/**/*]\n"
               "b:\n  script: x\n  rules:\n    - if: $CI_MERGE_REQUEST_TARGET_BRANCH_NAME == \"main\"\n"
               "      changes: [main-only.txt]\n");
    const QString base = repo.commit("base");
    repo.branch("feature", base);
    repo.write(u"main-only.txt"_qs, "m");
    repo.commit("main moves on");
    repo.checkout("feature");
    repo.write(u"feature/x/f.txt"_qs, "f");
    repo.commit("feature work");
    pipeline::GitContextOptions o;
    o.source = u"merge_request_event"_qs;
    const auto c = pipeline::contextFromRepository(dir.path(), o);
    QVERIFY(c);
    QCOMPARE(c->ref, u"feature"_qs);
    QCOMPARE(c->mergeRequestTargetBranch, u"main"_qs);
    // Against the merge base: the target's own later commits are not changes of the MR.
    QCOMPARE(changed(*c), u"feature/x/f.txt"_qs);
    QCOMPARE(c->facts.mergeRequestDiffBaseSha, base);
    pipeline::PlanOptions options;
    options.resolve.projectRoot = dir.path();
    const pipeline::Plan plan = pipeline::Planner::planProject(*c, options);
    QCOMPARE(plan.jobs.size(), 1);
    QCOMPARE(plan.jobs.first().name, u"a"_qs);
    QCOMPARE(plan.excluded.first().reason, u"rules: no rule matched"_qs);
    // A branch push of the same commit: against the previous commit.
    const auto push = pipeline::contextFromRepository(dir.path(), {});
    QCOMPARE(changed(*push), u"feature/x/f.txt"_qs);
    QCOMPARE(push->source, u"push"_qs);
}

void TestGitContext::tagPipeline()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u"a"_qs, "1");
    repo.commit("c1");
    repo.write(u"b"_qs, "2");
    const QString c2 = repo.commit("c2");
    repo.tag("v1.0.0", c2);
    repo.detach(c2);
    const auto c = pipeline::contextFromRepository(dir.path(), {});
    QVERIFY(c);
    QCOMPARE(c->ref, u"v1.0.0"_qs);
    QVERIFY(c->tag);
    QCOMPARE(changed(*c), u"<unknown>"_qs); // tags: changes are always true
    const auto vars = vars::predefinedVariables(c->effectiveFacts());
    QCOMPARE(vars.value(u"CI_COMMIT_TAG"_qs), u"v1.0.0"_qs);
    QCOMPARE(vars.value(u"CI_COMMIT_REF_SLUG"_qs), u"v1-0-0"_qs);
    QVERIFY(!vars.contains(u"CI_COMMIT_BRANCH"_qs));
}

void TestGitContext::explicitRef()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u"a"_qs, "1");
    const QString c1 = repo.commit("c1");
    repo.tag("v0.1", c1);
    repo.write(u"b"_qs, "2");
    const QString c2 = repo.commit("c2");
    pipeline::GitContextOptions o;
    o.ref = u"v0.1"_qs;
    auto c = pipeline::contextFromRepository(dir.path(), o);
    QVERIFY(c->tag);
    QCOMPARE(c->facts.sha, c1);
    QCOMPARE(c->existingFiles, QStringList{u"a"_qs});
    o.ref = u"not-pushed-yet"_qs;
    c = pipeline::contextFromRepository(dir.path(), o);
    QVERIFY(!c->tag);
    QCOMPARE(c->ref, u"not-pushed-yet"_qs);
    QCOMPARE(c->facts.sha, c2);
    o = {};
    o.source = u"schedule"_qs;
    c = pipeline::contextFromRepository(dir.path(), o);
    QCOMPARE(changed(*c), u"<unknown>"_qs);
    o.source = u"tag"_qs;
    o.ref = u"v0.1"_qs;
    c = pipeline::contextFromRepository(dir.path(), o);
    QCOMPARE(c->source, u"push"_qs);
    QVERIFY(c->tag);
}

void TestGitContext::uncommitted()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u"a"_qs, "1");
    repo.write(u"b"_qs, "1");
    repo.commit("c1");
    repo.write(u"c"_qs, "2");
    repo.commit("c2");
    repo.write(u"a"_qs, "changed");
    repo.write(u"new/untracked.txt"_qs, "n");
    pipeline::GitContextOptions o;
    QCOMPARE(changed(*pipeline::contextFromRepository(dir.path(), o)), u"c"_qs);
    o.uncommitted = true;
    const auto c = pipeline::contextFromRepository(dir.path(), o);
    QCOMPARE(changed(*c), u"a,c,new/untracked.txt"_qs);
    QVERIFY(c->existingFiles.contains(u"new/untracked.txt"_qs));
}

void TestGitContext::compareTo()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs,
               "a:\n  script: x\n  rules:\n    - changes:\n        paths: [one.txt]\n"
               "        compare_to: refs/heads/main\n"
               "b:\n  script: x\n  rules:\n    - changes: [one.txt]\n");
    const QString c1 = repo.commit("c1");
    repo.branch("topic", c1);
    repo.checkout("topic");
    repo.write(u"one.txt"_qs, "1");
    repo.commit("one");
    repo.write(u"two.txt"_qs, "2");
    repo.commit("two");
    const auto c = pipeline::contextFromRepository(dir.path(), {});
    QCOMPARE(changed(*c), u"two.txt"_qs);
    QCOMPARE(c->changesAgainst(u"main"_qs)->join(u','), u"one.txt,two.txt"_qs);
    QVERIFY(!c->changesAgainst(u"no-such-ref"_qs));
    pipeline::PlanOptions options;
    options.resolve.projectRoot = dir.path();
    const pipeline::Plan plan = pipeline::Planner::planProject(*c, options);
    QCOMPARE(plan.jobs.size(), 1);
    QCOMPARE(plan.jobs.first().name, u"a"_qs);
}

void TestGitContext::readAtRevision()
{
    QTemporaryDir dir;
    RepoBuilder repo(dir.path());
    repo.write(u"ci/x.yml"_qs, "old");
    const QString c1 = repo.commit("c1");
    repo.write(u"ci/x.yml"_qs, "new");
    repo.commit("c2");
    const auto r = git::Repository::discover(dir.path());
    QVERIFY(r);
    QCOMPARE(*r->readFile(c1, u"ci/x.yml"_qs), QByteArray("old"));
    QCOMPARE(*r->readFile(u"HEAD"_qs, u"ci/x.yml"_qs), QByteArray("new"));
    QVERIFY(!r->readFile(u"HEAD"_qs, u"missing"_qs));
    QCOMPARE(r->listFiles(u"HEAD~1"_qs), QStringList{u"ci/x.yml"_qs});
    QCOMPARE(r->changedFiles(u"HEAD~1"_qs, u"HEAD"_qs), QStringList{u"ci/x.yml"_qs});
    QCOMPARE(r->resolve(u"HEAD~1"_qs), c1);
    QVERIFY(r->resolve(u"nope"_qs).isEmpty());
}

void TestGitContext::notARepository()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!pipeline::contextFromRepository(dir.path(), {}, &error));
    QVERIFY(!error.isEmpty());
}

void TestGitContext::projectPath_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("server");
    QTest::newRow("scp") << u"git@gitlab.com:gcl/test-project.git"_qs << u"gcl/test-project"_qs
                         << u"https://gitlab.com"_qs;
    QTest::newRow("https") << u"https://gitlab.example.com/a/b/c"_qs << u"a/b/c"_qs
                           << u"https://gitlab.example.com"_qs;
    QTest::newRow("ssh port") << u"ssh://git@host:2222/g/p.git"_qs << u"g/p"_qs
                              << u"https://host"_qs;
    QTest::newRow("https user") << u"https://user@host:8443/g/p.git"_qs << u"g/p"_qs
                                << u"https://host:8443"_qs;
}

void TestGitContext::projectPath()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    QFETCH(QString, server);
    QCOMPARE(git::projectPathFromUrl(url), path);
    QCOMPARE(git::serverUrlFromUrl(url), server);
}

QTEST_GUILESS_MAIN(TestGitContext)
#include "tst_gitcontext.moc"
