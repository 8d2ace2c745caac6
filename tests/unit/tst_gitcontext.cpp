// Real repositories made with libgit2 in temporary folders: branch, tag, merge request and
// changed-file cases of contextFromRepository, and the Repository wrapper itself.

#include "git/repository.h"
#include "gitrepobuilder.h"
#include "pipeline/gitcontext.h"
#include "pipeline/planner.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace stagecraft;

using gittest::RepoBuilder;

namespace {

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
    repo.write(
        u".gitlab-ci.yml"_qs,
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
