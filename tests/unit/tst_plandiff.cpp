#include "gitrepobuilder.h"
#include "pipeline/plandiff.h"
#include "pipeline/planexport.h"
#include "plantestutil.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace stagecraft;

namespace {

pipeline::PipelineContext mainContext()
{
    pipeline::PipelineContext c;
    c.ref = u"main"_qs;
    return c;
}

QString changes(const pipeline::PlanDiff &d)
{
    QStringList out;
    for (const pipeline::JobChange &c : d.changed)
        out << c.name + u'[' + c.keys.join(u',') + u']';
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestPlanDiff : public QObject
{
    Q_OBJECT

private slots:
    void diff_data();
    void diff();
    void needsAndStages();
    void againstRevision();
    void inheritedChanges();
    void revisionIgnoresWorkingTree();
};

void TestPlanDiff::diff_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<QString>("added");
    QTest::addColumn<QString>("removed");
    QTest::addColumn<QString>("changed");
    const QByteArray base = "stages: [build, test]\nb:\n  stage: build\n  script: make\n"
                            "t:\n  stage: test\n  script: ctest\n";
    QTest::newRow("same") << base << base << QString() << QString() << QString();
    QTest::newRow("job added") << base << base + "d:\n  stage: test\n  script: deploy\n"
                               << u"d"_qs << QString() << QString();
    QTest::newRow("job removed") << base + "d:\n  script: x\n"
                                 << base << QString() << u"d"_qs << QString();
    QTest::newRow("script and image")
        << base
        << QByteArray(
               "stages: [build, test]\nb:\n  stage: build\n  script: make all\n  image: gcc\n"
               "t:\n  stage: test\n  script: ctest\n")
        << QString() << QString() << u"b[script,image]"_qs;
    QTest::newRow("rules make a job manual") << base << base + "  rules:\n    - when: manual\n"
                                             << QString() << QString() << u"t[rules,when]"_qs;
    QTest::newRow("parallel renames jobs") << base << base + "  parallel: 2\n"
                                           << u"t 1/2, t 2/2"_qs << u"t"_qs << QString();
    QTest::newRow("rules remove a job") << base << base + "  rules:\n    - if: $CI_COMMIT_TAG\n"
                                        << QString() << u"t"_qs << QString();
}

void TestPlanDiff::diff()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(QString, added);
    QFETCH(QString, removed);
    QFETCH(QString, changed);
    const pipeline::PlanDiff d = pipeline::diffPlans(plantest::planYaml(before, mainContext()),
                                                     plantest::planYaml(after, mainContext()));
    QCOMPARE(d.added.join(QStringLiteral(", ")), added);
    QCOMPARE(d.removed.join(QStringLiteral(", ")), removed);
    QCOMPARE(changes(d), changed);
    QCOMPARE(d.isEmpty(), added.isEmpty() && removed.isEmpty() && changed.isEmpty());
}

void TestPlanDiff::needsAndStages()
{
    const QByteArray before = "stages: [build, test]\na:\n  stage: build\n  script: x\n"
                              "b:\n  stage: build\n  script: x\n"
                              "t:\n  stage: test\n  script: x\n  needs: [a]\n";
    const QByteArray after = "stages: [build, test, deploy]\na:\n  stage: build\n  script: x\n"
                             "b:\n  stage: build\n  script: x\n"
                             "t:\n  stage: deploy\n  script: x\n  needs: [b]\n";
    const pipeline::PlanDiff d = pipeline::diffPlans(plantest::planYaml(before, mainContext()),
                                                     plantest::planYaml(after, mainContext()));
    QCOMPARE(d.changed.size(), 1);
    const pipeline::JobChange &c = d.changed.first();
    QCOMPARE(c.name, u"t"_qs);
    QCOMPARE(c.keys, (QStringList{u"stage"_qs, u"needs"_qs}));
    QVERIFY(c.stageMoved());
    QCOMPARE(c.oldStage, u"test"_qs);
    QCOMPARE(c.newStage, u"deploy"_qs);
    QCOMPARE(c.needsAdded, QStringList{u"b"_qs});
    QCOMPARE(c.needsRemoved, QStringList{u"a"_qs});
    QCOMPARE(d.stagesAdded, QStringList{u"deploy"_qs});
    QCOMPARE(d.stagesRemoved, QStringList{u"test"_qs});
    QCOMPARE(pipeline::diffToText(d),
             u"+ stage deploy\n- stage test\n~ t: stage test -> deploy, needs (+b, -a)\n"_qs);
}

void TestPlanDiff::againstRevision()
{
    QTemporaryDir dir;
    gittest::RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs, "include: ci/jobs.yml\nbuild:\n  script: make\n");
    repo.write(u"ci/jobs.yml"_qs, "test:\n  script: ctest\n");
    repo.commit("c1");
    // Working tree: the included file changes, a job moves into the main file.
    repo.write(u"ci/jobs.yml"_qs, "test:\n  script: ctest -j4\nlint:\n  script: lint\n");
    pipeline::RevisionPlanOptions options;
    options.plan.resolve.projectRoot = dir.path();
    options.revision = u"HEAD"_qs;
    options.context = mainContext();
    QString error;
    const auto before = pipeline::planAtRevision(options, &error);
    QVERIFY2(before, qPrintable(error));
    QCOMPARE(plantest::summary(*before), u"build@test; test@test"_qs);
    const pipeline::Plan after = pipeline::Planner::planProject(mainContext(), options.plan);
    const pipeline::PlanDiff d = pipeline::diffPlans(*before, after);
    QCOMPARE(d.added, QStringList{u"lint"_qs});
    QCOMPARE(changes(d), u"test[script]"_qs);
    options.revision = u"no-such-rev"_qs;
    QVERIFY(!pipeline::planAtRevision(options, &error));
    QCOMPARE(error, u"unknown revision 'no-such-rev'"_qs);
}

void TestPlanDiff::inheritedChanges()
{
    QTemporaryDir dir;
    gittest::RepoBuilder repo(dir.path());
    repo.write(
        u".gitlab-ci.yml"_qs,
        "default:\n  image: gcc:12\nvariables:\n  V: \"1\"\n"
        "a:\n  script: x\nb:\n  script: x\n  image: clang\n  inherit:\n    variables: false\n");
    repo.commit("c1");
    repo.write(
        u".gitlab-ci.yml"_qs,
        "default:\n  image: gcc:13\nvariables:\n  V: \"2\"\n"
        "a:\n  script: x\nb:\n  script: x\n  image: clang\n  inherit:\n    variables: false\n");
    pipeline::RevisionPlanOptions options;
    options.plan.resolve.projectRoot = dir.path();
    options.revision = u"HEAD"_qs;
    options.context = mainContext();
    const auto before = pipeline::planAtRevision(options, nullptr);
    QVERIFY(before);
    pipeline::PlanOptions now = options.plan;
    now.effectiveJobs = true;
    const pipeline::Plan after = pipeline::Planner::planProject(mainContext(), now);
    // `a` inherits both changes; `b` sets its own image and inherits no variables.
    QCOMPARE(changes(pipeline::diffPlans(*before, after)), u"a[image,variables]"_qs);
    // Without effective jobs only the jobs' own keys are compared.
    const pipeline::Plan plain = pipeline::Planner::planProject(mainContext(), options.plan);
    QCOMPARE(changes(pipeline::diffPlans(*before, plain)), QString());
}

// The configuration at a revision is that revision's files only: a wildcard include, an include
// rule's `exists` and a plain include never see files that exist only in the working tree.
void TestPlanDiff::revisionIgnoresWorkingTree()
{
    QTemporaryDir dir;
    gittest::RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs, "include:\n  - local: 'ci/*.yml'\n  - local: extra/more.yml\n"
                                     "    rules:\n      - exists: [extra/more.yml]\n"
                                     "build:\n  script: make\n");
    repo.write(u"ci/a.yml"_qs, "a:\n  script: a\n");
    repo.commit("c1");
    // Untracked and uncommitted: a second wildcard match and the file the rule looks for.
    repo.write(u"ci/b.yml"_qs, "b:\n  script: b\n");
    repo.write(u"extra/more.yml"_qs, "more:\n  script: more\n");
    pipeline::RevisionPlanOptions options;
    options.plan.resolve.projectRoot = dir.path();
    options.revision = u"HEAD"_qs;
    options.context = mainContext();
    QString error;
    const auto before = pipeline::planAtRevision(options, &error);
    QVERIFY2(before, qPrintable(error));
    QCOMPARE(plantest::summary(*before), u"build@test; a@test"_qs);
    QVERIFY2(before->errors.isEmpty(), qPrintable(before->errors.join(u'\n')));
    const pipeline::Plan after = pipeline::Planner::planProject(mainContext(), options.plan);
    QCOMPARE(plantest::summary(after), u"build@test; a@test; b@test; more@test"_qs);
    QCOMPARE(pipeline::diffPlans(*before, after).added, (QStringList{u"b"_qs, u"more"_qs}));

    // A plain include of a file the revision does not have brings nothing in, even though the
    // working tree has it (the resolver reports GitLab's "does not exist" error).
    repo.write(u".gitlab-ci.yml"_qs, "include: extra/later.yml\nbuild:\n  script: make\n");
    repo.commit("c2");
    repo.write(u"extra/later.yml"_qs, "later:\n  script: later\n");
    const auto second = pipeline::planAtRevision(options, &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(plantest::summary(*second), u"build@test"_qs);
}

QTEST_GUILESS_MAIN(TestPlanDiff)
#include "tst_plandiff.moc"
