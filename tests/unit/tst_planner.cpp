#include "pipeline/glob.h"
#include "plantestutil.h"
#include "vars/predefined.h"

#include <QtTest>

using namespace stagecraft;
using plantest::excludedSummary;
using plantest::planYaml;
using plantest::summary;

class TestPlanner : public QObject
{
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void onlyExcept_data();
    void onlyExcept();
    void parallel_data();
    void parallel();
    void workflow_data();
    void workflow();
    void variables();
    void matchedRule_data();
    void matchedRule();
    void autoCancel_data();
    void autoCancel();
    void childPipeline();
    void incompleteConfig();
    void slug_data();
    void slug();
    void glob_data();
    void glob();
    void predefined_data();
    void predefined();
};

namespace {

pipeline::PipelineContext makeContext(const QString &spec)
{
    // spec: "source ref [tag] [changed=a,b] [exists=a,b] [var=K=V]"
    pipeline::PipelineContext c;
    c.defaultBranch = QStringLiteral("main");
    const QStringList words = spec.split(u' ', Qt::SkipEmptyParts);
    c.source = words.value(0, QStringLiteral("push"));
    c.ref = words.value(1, QStringLiteral("main"));
    for (const QString &w : words.mid(2)) {
        if (w == u"tag")
            c.tag = true;
        else if (w.startsWith(QStringLiteral("changed=")))
            c.changedFiles = w.mid(8).split(u',', Qt::SkipEmptyParts);
        else if (w.startsWith(QStringLiteral("exists=")))
            c.existingFiles = w.mid(7).split(u',', Qt::SkipEmptyParts);
        else if (w.startsWith(QStringLiteral("var=")))
            c.variables.insert(w.mid(4).section(u'=', 0, 0), w.mid(4).section(u'=', 1));
        else if (w.startsWith(QStringLiteral("target=")))
            c.mergeRequestTargetBranch = w.mid(7);
    }
    return c;
}

void addRow(const char *name, const char *yaml, const char *context, const char *jobs,
            const char *excluded)
{
    QTest::newRow(name) << QByteArray(yaml) << QString::fromUtf8(context) << QString::fromUtf8(jobs)
                        << QString::fromUtf8(excluded);
}

} // namespace

void TestPlanner::rules_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("jobs");
    QTest::addColumn<QString>("excluded");

    const char *branchRules =
        "a:\n  script: x\n  rules:\n"
        "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n"
        "    - if: $CI_COMMIT_BRANCH =~ /^feature\\//\n      when: manual\n"
        "    - if: $CI_COMMIT_TAG\n      when: delayed\n      start_in: 5 minutes\n";
    addRow("if: default branch", branchRules, "push main", "a@test", "");
    addRow("if: regex -> manual (allow_failure false)", branchRules, "push feature/x",
           "a@test:manual", "");
    addRow("if: tag -> delayed", branchRules, "push v1.0 tag", "a@test:delayed(5 minutes)", "");
    addRow("if: no rule matched", branchRules, "push other", "", "a=rules: no rule matched");
    addRow("if: MR source",
           "a:\n  script: x\n  rules:\n"
           "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n",
           "merge_request_event feature/x", "a@test", "");
    addRow("if: null and presence",
           "a:\n  script: x\n  rules:\n    - if: $UNSET == null && $CI_COMMIT_BRANCH\n"
           "b:\n  script: x\n  rules:\n    - if: $CI_COMMIT_TAG\n",
           "push main", "a@test", "b=rules: no rule matched");
    addRow("if: parentheses and ||",
           "a:\n  script: x\n  rules:\n    - if: '($CI_PIPELINE_SOURCE == \"web\" || "
           "$CI_PIPELINE_SOURCE == \"push\") && $DEPLOY == \"true\"'\n",
           "push main var=DEPLOY=true", "a@test", "");
    addRow("when: never",
           "a:\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH\n      when: never\n"
           "    - when: always\n",
           "push main", "", "a=rules: rule 1 sets when: never");
    addRow("rule without if matches", "a:\n  script: x\n  rules:\n    - when: on_failure\n",
           "push main", "a@test:on_failure", "");
    addRow("job when is the rule default",
           "a:\n  script: x\n  when: manual\n  rules:\n    - if: $CI_COMMIT_BRANCH\n", "push main",
           "a@test:manual!", "");
    addRow("rules allow_failure",
           "a:\n  script: x\n  rules:\n    - when: manual\n      allow_failure: true\n"
           "b:\n  script: x\n  allow_failure: true\n  rules:\n    - allow_failure: false\n",
           "push main", "a@test:manual!; b@test", "");
    addRow("rules needs replace job needs",
           "stages: [build, test]\nb1:\n  stage: build\n  script: x\nb2:\n  stage: build\n  "
           "script: x\n"
           "t:\n  script: x\n  needs: [b1]\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n"
           "      needs: [b2]\n    - when: on_success\n",
           "push main", "b1@build; b2@build; t@test<b2>", "");
    addRow("rules needs: job needs otherwise",
           "stages: [build, test]\nb1:\n  stage: build\n  script: x\nb2:\n  stage: build\n  "
           "script: x\n"
           "t:\n  script: x\n  needs: [b1]\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n"
           "      needs: [b2]\n    - when: on_success\n",
           "push dev", "b1@build; b2@build; t@test<b1>", "");
    const char *changes =
        "a:\n  script: x\n  rules:\n    - changes: ['src/**/*.cpp', 'docs/{a,b}.md']\n";
    addRow("changes: ** spans folders", changes, "push main changed=src/x/y/z.cpp", "a@test", "");
    addRow("changes: ** matches zero folders", changes, "push main changed=src/z.cpp", "a@test",
           "");
    addRow("changes: braces", changes, "push main changed=docs/b.md", "a@test", "");
    addRow("changes: no match", changes, "push main changed=docs/c.md,README.md", "",
           "a=rules: no rule matched");
    addRow("changes: unknown diff is true", changes, "schedule main", "a@test", "");
    addRow("changes: paths form",
           "a:\n  script: x\n  rules:\n    - changes:\n        paths: ['*.md']\n",
           "push main changed=README.md", "a@test", "");
    addRow("changes: star stays in folder",
           "a:\n  script: x\n  rules:\n    - changes:\n        paths: ['*.md']\n",
           "push main changed=docs/README.md", "", "a=rules: no rule matched");
    addRow("changes: variables in paths",
           "variables:\n  DIR: app\na:\n  script: x\n  rules:\n    - changes: ['$DIR/**/*']\n",
           "push main changed=app/.hidden/f", "a@test", "");
    const char *exists = "a:\n  script: x\n  rules:\n    - exists: [Dockerfile]\n"
                         "b:\n  script: x\n  rules:\n    - exists:\n        paths: ['**/*.go']\n";
    addRow("exists: both", exists, "push main exists=Dockerfile,cmd/main.go", "a@test; b@test", "");
    addRow("exists: none", exists, "push main exists=README.md", "",
           "a=rules: no rule matched; b=rules: no rule matched");
    addRow("if && changes in one rule",
           "a:\n  script: x\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n      changes: "
           "[a.txt]\n",
           "push main changed=b.txt", "", "a=rules: no rule matched");
    addRow(
        "when: on_failure / always / delayed (no rules)",
        "a:\n  script: x\n  when: on_failure\nb:\n  script: x\n  when: always\n"
        "c:\n  script: x\n  when: delayed\n  start_in: 1 hour\nd:\n  script: x\n  when: manual\n",
        "push main", "a@test:on_failure; b@test:always; c@test:delayed(1 hour); d@test:manual!",
        "");
    addRow("stage order with .pre and .post",
           "stages: [build, deploy]\nz:\n  stage: .post\n  script: x\nd:\n  stage: deploy\n  "
           "script: x\n"
           "b:\n  stage: build\n  script: x\na:\n  stage: .pre\n  script: x\n",
           "push main", "a@.pre; b@build; d@deploy; z@.post", "");
    addRow("needs: optional dropped, artifacts false",
           "stages: [build, test]\nn:\n  stage: build\n  script: x\n  rules:\n    - when: never\n"
           "b:\n  stage: build\n  script: x\nt:\n  script: x\n  needs:\n    - job: n\n      "
           "optional: true\n"
           "    - job: b\n      artifacts: false\ne:\n  script: x\n  needs: []\n",
           "push main", "b@build; t@test<b->; e@test<>", "n=rules: rule 1 sets when: never");
    addRow("needs: same stage", "a:\n  script: x\n  needs: [b]\nb:\n  script: x\n", "push main",
           "a@test<b>; b@test", "");
    addRow("dependencies kept",
           "stages: [build, test]\nb:\n  stage: build\n  script: x\n"
           "t:\n  script: x\n  dependencies: [b]\n",
           "push main", "b@build; t@test", "");
}

void TestPlanner::rules()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, context);
    QFETCH(QString, jobs);
    QFETCH(QString, excluded);
    const pipeline::Plan plan = planYaml(yaml, makeContext(context));
    QCOMPARE(summary(plan), jobs);
    QCOMPARE(excludedSummary(plan), excluded);
    QVERIFY2(plan.errors.isEmpty(), qPrintable(plan.errors.join(u'\n')));
}

void TestPlanner::onlyExcept_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("jobs");
    QTest::addColumn<QString>("excluded");
    const char *defaults = "a:\n  script: x\n";
    addRow("default: branch", defaults, "push feature/x", "a@test", "");
    addRow("default: tag", defaults, "push v1 tag", "a@test", "");
    addRow("default: not in MR pipelines", defaults, "merge_request_event feature/x", "",
           "a=only: refs branches, tags (the default) not matched");
    // workflow:rules drop the only/except defaults (GitLab's Entry::Processable#compose!).
    addRow("no default with workflow:rules",
           "workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n"
           "a:\n  script: x\nb:\n  script: x\n  except: [main]\n",
           "merge_request_event feature/x", "a@test; b@test", "");
    const char *refs = "a:\n  script: x\n  only: [main, /^release-.*$/]\n"
                       "b:\n  script: x\n  only: [tags]\n"
                       "c:\n  script: x\n  only: [merge_requests]\n"
                       "d:\n  script: x\n  except: [main]\n"
                       "e:\n  script: x\n  only: [schedules, web]\n";
    addRow("refs on main", refs, "push main", "a@test",
           "b=only: refs tags not matched; c=only: refs merge_requests not matched; "
           "d=except: refs main; e=only: refs schedules, web not matched");
    addRow("refs on release branch", refs, "push release-1.2", "a@test; d@test",
           "b=only: refs tags not matched; c=only: refs merge_requests not matched; "
           "e=only: refs schedules, web not matched");
    addRow("refs on tag", refs, "push v2 tag", "b@test; d@test",
           "a=only: refs main, /^release-.*$/ not matched; c=only: refs merge_requests not "
           "matched; e=only: refs schedules, web not matched");
    // `except` alone keeps the default `only: [branches, tags]`: not in MR pipelines.
    addRow("refs in MR", refs, "merge_request_event feature/y", "c@test",
           "a=only: refs main, /^release-.*$/ not matched; b=only: refs tags not matched; "
           "d=only: refs branches, tags (the default) not matched; "
           "e=only: refs schedules, web not matched");
    addRow("refs on schedule", refs, "schedule main", "a@test; e@test",
           "b=only: refs tags not matched; c=only: refs merge_requests not matched; "
           "d=except: refs main");
    const char *variables = "a:\n  script: x\n  only:\n    variables: [$DEPLOY == \"yes\"]\n"
                            "b:\n  script: x\n  except:\n    variables: [$DEPLOY]\n"
                            "c:\n  script: x\n  only:\n    refs: [branches]\n    changes: [src/*]\n"
                            "k:\n  script: x\n  only:\n    kubernetes: active\n";
    addRow("only/except variables and changes", variables, "push main var=DEPLOY=yes changed=src/a",
           "a@test; c@test", "b=except: variables $DEPLOY; k=only: kubernetes active not matched");
    addRow("only variables not matched", variables, "push main changed=README", "b@test",
           "a=only: variables $DEPLOY == \"yes\" not matched; c=only: changes src/* not matched; "
           "k=only: kubernetes active not matched");
    addRow("refs with @project",
           "a:\n  script: x\n  only: [main@group/project]\n"
           "b:\n  script: x\n  only: [main@fork/project]\n"
           "c:\n  script: x\n  only: [pushes, api]\n"
           "d:\n  script: x\n  except: [pushes]\n",
           "push main", "a@test; c@test",
           "b=only: refs main@fork/project not matched; d=except: refs pushes");
    addRow("when: never without rules", "a:\n  script: x\n  when: never\n", "push main", "",
           "a=when: never");
}

void TestPlanner::onlyExcept()
{
    rules();
}

void TestPlanner::parallel_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("jobs");
    QTest::addColumn<QString>("excluded");
    addRow("parallel: 3", "t:\n  script: x\n  parallel: 3\n", "push main",
           "t 1/3@test; t 2/3@test; t 3/3@test", "");
    addRow("matrix: product, first key slowest",
           "b:\n  script: x\n  parallel:\n    matrix:\n      - OS: [linux, mac]\n        ARCH: "
           "[amd64, arm64]\n"
           "      - OS: windows\n",
           "push main",
           "b: [linux, amd64]@test; b: [linux, arm64]@test; b: [mac, amd64]@test; "
           "b: [mac, arm64]@test; b: [windows]@test",
           "");
    addRow("needs on a parallel job needs every instance",
           "stages: [build, test]\nb:\n  stage: build\n  script: x\n  parallel: 2\n"
           "t:\n  script: x\n  needs: [b]\n",
           "push main", "b 1/2@build; b 2/2@build; t@test<b 1/2,b 2/2>", "");
    addRow("needs:parallel:matrix selects instances",
           "stages: [build, test]\nb:\n  stage: build\n  script: x\n  parallel:\n    matrix:\n"
           "      - P: [x, y, z]\n"
           "t:\n  script: x\n  needs:\n    - job: b\n      parallel:\n        matrix:\n          - "
           "P: [x, z]\n",
           "push main", "b: [x]@build; b: [y]@build; b: [z]@build; t@test<b: [x],b: [z]>", "");
    addRow("matrix expressions in needs",
           "stages: [build, test]\nb:\n  stage: build\n  script: x\n  parallel:\n    matrix:\n"
           "      - P: [x, y]\n"
           "t:\n  script: x\n  parallel:\n    matrix:\n      - P: [x, y]\n  needs:\n    - job: b\n"
           "      parallel:\n        matrix:\n          - P: ['$[[ matrix.P ]]']\n",
           "push main", "b: [x]@build; b: [y]@build; t: [x]@test<b: [x]>; t: [y]@test<b: [y]>", "");
    addRow("rules per matrix instance",
           "b:\n  script: x\n  parallel:\n    matrix:\n      - ENV: [dev, prod]\n  rules:\n"
           "    - if: $ENV == \"prod\" && $CI_COMMIT_BRANCH != \"main\"\n      when: never\n"
           "    - when: on_success\n",
           "push feature", "b: [dev]@test", "b: [prod]=rules: rule 1 sets when: never");
}

void TestPlanner::parallel()
{
    rules();
}

void TestPlanner::workflow_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("created");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("jobs");
    QTest::addColumn<QString>("excluded");
    const char *wf = "workflow:\n  rules:\n"
                     "    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n"
                     "    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS\n      when: never\n"
                     "    - if: $CI_COMMIT_BRANCH\n      variables:\n        DEPLOY: \"yes\"\n"
                     "a:\n  script: x\n  rules:\n    - if: $DEPLOY == \"yes\"\n    - if: "
                     "$CI_MERGE_REQUEST_IID\n";
    QTest::newRow("branch: rule 3, variables")
        << QByteArray(wf) << u"push main"_qs << u"yes"_qs << u"workflow: rule 3 matched"_qs
        << u"a@test"_qs << QString();
    QTest::newRow("MR: rule 1") << QByteArray(wf) << u"merge_request_event feat"_qs << u"yes"_qs
                                << u"workflow: rule 1 matched"_qs << u"a@test"_qs << QString();
    QTest::newRow("open MR: never")
        << QByteArray(wf) << u"push feat var=CI_OPEN_MERGE_REQUESTS=g/p!1"_qs << u"no"_qs
        << u"workflow: rule 2 sets when: never"_qs << QString()
        << u"a=workflow: pipeline not created"_qs;
    QTest::newRow("tag: no rule") << QByteArray(wf) << u"push v1 tag"_qs << u"no"_qs
                                  << u"workflow: no rule matched"_qs << QString()
                                  << u"a=workflow: pipeline not created"_qs;
    QTest::newRow("no jobs") << QByteArray("a:\n  script: x\n  rules:\n    - when: never\n")
                             << u"push main"_qs << u"no"_qs
                             << u"Pipeline will not run for the selected trigger. The rules "
                                "configuration prevented any jobs from being added to the "
                                "pipeline."_qs
                             << QString() << u"a=rules: rule 1 sets when: never"_qs;
    QTest::newRow("only .pre and .post jobs")
        << QByteArray("p:\n  stage: .pre\n  script: x\nq:\n  stage: .post\n  script: x\n"
                      "t:\n  script: x\n  rules:\n    - if: $CI_COMMIT_TAG\n")
        << u"push main"_qs << u"no"_qs << u"No stages / jobs for this pipeline."_qs
        << u"p@.pre; q@.post"_qs << u"t=rules: no rule matched"_qs;
    QTest::newRow("empty configuration")
        << QByteArray("variables:\n  A: b\n.hidden:\n  script: x\n") << u"push main"_qs << u"no"_qs
        << u"No stages / jobs for this pipeline."_qs << QString() << QString();
    QTest::newRow("dependency in a later stage")
        << QByteArray("stages: [build, test]\nb:\n  stage: build\n  script: x\n"
                      "  dependencies: [t]\nt:\n  stage: test\n  script: x\n")
        << u"push main"_qs << u"no"_qs
        << u"b job: dependency t is not defined in current or prior stages"_qs
        << u"b@build; t@test"_qs << QString();
    QTest::newRow("needs a job removed by rules")
        << QByteArray(
               "n:\n  script: x\n  rules:\n    - when: never\nt:\n  script: x\n  needs: [n]\n")
        << u"push main"_qs << u"no"_qs
        << u"'t' job needs 'n' job, but 'n' does not exist in the pipeline. This might be because "
           "of the only, except, or rules keywords. To need a job that sometimes does not exist "
           "in the pipeline, use needs:optional."_qs
        << u"t@test<>"_qs << u"n=rules: rule 1 sets when: never"_qs;
    QTest::newRow("unknown stage")
        << QByteArray("stages: [build]\nt:\n  stage: tset\n  script: x\n") << u"push main"_qs
        << u"no"_qs
        << u"t job: chosen stage tset does not exist; available stages are .pre, build, .post"_qs
        << u"t@tset"_qs << QString();
}

void TestPlanner::workflow()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, context);
    QFETCH(QString, created);
    QFETCH(QString, reason);
    QFETCH(QString, jobs);
    QFETCH(QString, excluded);
    const pipeline::Plan plan = planYaml(yaml, makeContext(context));
    QCOMPARE(plan.created ? u"yes"_qs : u"no"_qs, created);
    QCOMPARE(plan.reason, reason);
    QCOMPARE(summary(plan), jobs);
    QCOMPARE(excludedSummary(plan), excluded);
}

void TestPlanner::variables()
{
    const QByteArray yaml =
        "variables:\n  G: global\n  REF: \"$CI_COMMIT_REF_SLUG-x\"\n"
        "  RAW:\n    value: \"$G\"\n    expand: false\n"
        "workflow:\n  rules:\n    - variables:\n        G: from-workflow\n"
        "a:\n  script: x\n  variables:\n    J: \"$G/j\"\n"
        "  rules:\n    - if: $J == \"from-workflow/j\"\n      variables:\n        R: rule\n"
        "b:\n  script: x\n  inherit:\n    variables: false\n"
        "  rules:\n    - if: $G\n    - when: manual\n";
    const pipeline::Plan plan = planYaml(yaml, makeContext(u"push Feature/ABC_1 var=USER=u"_qs));
    QCOMPARE(summary(plan), u"a@test; b@test:manual"_qs);
    const pipeline::PlannedJob *a = plan.job(u"a");
    QVERIFY(a);
    QStringList got;
    for (const vars::Variable &v : a->variables)
        got << v.name + u'=' + v.value;
    QCOMPARE(got, (QStringList{u"G=from-workflow"_qs, u"REF=feature-abc-1-x"_qs, u"RAW=$G"_qs,
                               u"J=from-workflow/j"_qs, u"R=rule"_qs}));
    QCOMPARE(plan.workflowVariables.size(), 1);
    QCOMPARE(plan.pipelineVariables.value(u"USER"_qs), u"u"_qs);
    QVERIFY(plan.job(u"b")->variables.isEmpty());
}

void TestPlanner::matchedRule_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("fromRule");
    QTest::addColumn<bool>("allowFailure");
    QTest::addColumn<QString>("exitCodes");
    QTest::newRow("no rules") << QByteArray("a:\n  script: x\n") << -1 << false << false << "";
    QTest::newRow("job exit codes")
        << QByteArray("a:\n  script: x\n  allow_failure:\n    exit_codes: [3, 4]\n") << -1 << false
        << false << "3,4";
    QTest::newRow("single exit code")
        << QByteArray("a:\n  script: x\n  allow_failure:\n    exit_codes: 137\n") << -1 << false
        << false << "137";
    QTest::newRow("second rule, job's codes kept")
        << QByteArray("a:\n  script: x\n  allow_failure:\n    exit_codes: 3\n  rules:\n"
                      "    - if: $NOPE\n      allow_failure: true\n    - when: on_success\n")
        << 1 << false << false << "3";
    QTest::newRow("rule replaces the job's codes")
        << QByteArray("a:\n  script: x\n  allow_failure:\n    exit_codes: 3\n  rules:\n"
                      "    - if: $CI_COMMIT_BRANCH\n      allow_failure: true\n")
        << 0 << true << true << "";
    QTest::newRow("rule with its own codes")
        << QByteArray("a:\n  script: x\n  allow_failure: true\n  rules:\n"
                      "    - allow_failure:\n        exit_codes: [2]\n")
        << 0 << true << false << "2";
    // !reference lists are flattened: the index counts the entries GitLab sees.
    QTest::newRow("after a referenced list")
        << QByteArray(".r:\n  rules:\n    - if: $NOPE\n    - if: $NOPE_TOO\n"
                      "a:\n  script: x\n  rules:\n    - !reference [.r, rules]\n"
                      "    - if: $CI_COMMIT_BRANCH\n      allow_failure: false\n")
        << 2 << true << false << "";
}

void TestPlanner::matchedRule()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, index);
    QFETCH(bool, fromRule);
    QFETCH(bool, allowFailure);
    QFETCH(QString, exitCodes);
    const pipeline::Plan plan = planYaml(yaml, makeContext(u"push main"_qs));
    const pipeline::PlannedJob *a = plan.job(u"a");
    QVERIFY2(a, qPrintable(plan.errors.join(u'\n') + plan.reason));
    QCOMPARE(a->matchedRule, index);
    QCOMPARE(a->rule.isDefined(), index >= 0);
    QCOMPARE(a->allowFailureFromRule, fromRule);
    QCOMPARE(a->allowFailure, allowFailure);
    QStringList codes;
    for (int code : a->allowFailureExitCodes)
        codes << QString::number(code);
    QCOMPARE(codes.join(u','), exitCodes);
}

void TestPlanner::autoCancel_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("mode");
    const QByteArray job = "a:\n  script: x\n";
    QTest::newRow("default") << job << "conservative";
    QTest::newRow("workflow") << "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n" +
                                     job
                              << "interruptible";
    QTest::newRow("matching rule wins")
        << "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n  rules:\n"
           "    - if: $NOPE\n      auto_cancel:\n        on_new_commit: conservative\n"
           "    - auto_cancel:\n        on_new_commit: none\n" +
               job
        << "none";
    QTest::newRow("rule without auto_cancel")
        << "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n  rules:\n"
           "    - when: always\n" +
               job
        << "interruptible";
}

void TestPlanner::autoCancel()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, mode);
    const pipeline::Plan plan = planYaml(yaml, makeContext(u"push main"_qs));
    QVERIFY2(plan.created, qPrintable(plan.reason));
    QCOMPARE(plan.autoCancelOnNewCommit, mode);
}

void TestPlanner::childPipeline()
{
    const QHash<QString, QByteArray> files = {
        {u".gitlab-ci.yml"_qs, "variables:\n  G: g\nchild:\n  variables:\n    V: from-parent\n  "
                               "trigger:\n    include: ci/child.yml\n"
                               "multi:\n  trigger: group/other\n"},
        {u"ci/child.yml"_qs, "c1:\n  script: x\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "
                             "\"parent_pipeline\" && $V == \"from-parent\"\n"
                             "c2:\n  script: x\n"}};
    const pipeline::Plan plan = plantest::planFiles(files, makeContext(u"push main"_qs));
    QCOMPARE(summary(plan), u"child@test; multi@test"_qs);
    const pipeline::PlannedJob *child = plan.job(u"child");
    QVERIFY(child && child->trigger);
    QVERIFY(child->child);
    QCOMPARE(summary(*child->child), u"c1@test; c2@test"_qs);
    QCOMPARE(plan.job(u"multi")->triggerProject, u"group/other"_qs);
    QVERIFY(!plan.job(u"multi")->child);

    // Two levels of child pipelines, as GitLab allows; the third is not planned.
    const QHash<QString, QByteArray> nested = {
        {u".gitlab-ci.yml"_qs, "l0:\n  trigger:\n    include: l1.yml\n"},
        {u"l1.yml"_qs, "l1:\n  trigger:\n    include:\n      - local: l2.yml\n"},
        {u"l2.yml"_qs, "l2:\n  trigger:\n    include: l3.yml\n"},
        {u"l3.yml"_qs, "l3:\n  script: x\n"}};
    const pipeline::Plan deep = plantest::planFiles(nested, makeContext(u"push main"_qs));
    const auto l1 = deep.job(u"l0")->child;
    QVERIFY(l1);
    const auto l2 = l1->job(u"l1")->child;
    QVERIFY(l2);
    QCOMPARE(summary(*l2), u"l2@test"_qs);
    QVERIFY(l2->job(u"l2")->trigger);
    QVERIFY(!l2->job(u"l2")->child);
}

void TestPlanner::incompleteConfig()
{
    // The remote include cannot be read offline: its stages and jobs are unknown, so a missing
    // stage or need is a warning and the pipeline is still planned.
    const QByteArray yaml = "include:\n  - remote: https://example.invalid/ci.yml\n"
                            "stages: [build]\n"
                            "t:\n  stage: lint\n  script: x\n  needs: [from-remote]\n";
    const pipeline::Plan plan = planYaml(yaml, makeContext(u"push main"_qs));
    QVERIFY(plan.incomplete);
    QVERIFY(plan.created);
    QVERIFY(plan.errors.isEmpty());
    QCOMPARE(plan.warnings,
             (QStringList{u"t job: chosen stage lint does not exist; available stages are .pre, "
                          "build, .post"_qs,
                          u"t job: undefined need: from-remote"_qs}));
    QCOMPARE(summary(plan), u"t@lint<>"_qs);
}

void TestPlanner::slug_data()
{
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("slug");
    QTest::newRow("branch") << u"feature/ABC_1"_qs << u"feature-abc-1"_qs;
    QTest::newRow("runs kept") << u"Fix__Bug"_qs << u"fix--bug"_qs;
    QTest::newRow("version") << u"v1.0.0"_qs << u"v1-0-0"_qs;
    QTest::newRow("trim") << u"-x-"_qs << u"x"_qs;
    QTest::newRow("63 then trim") << QString(62, u'a') + u"/b"_qs << QString(62, u'a');
    QTest::newRow("unicode") << u"caf\u00e9"_qs << u"caf"_qs;
}

void TestPlanner::slug()
{
    QFETCH(QString, ref);
    QFETCH(QString, slug);
    QCOMPARE(vars::slugify(ref), slug);
}

void TestPlanner::glob_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("match");
    QTest::newRow("star in folder") << u"*.md"_qs << u"README.md"_qs << true;
    QTest::newRow("star not across /") << u"*.md"_qs << u"docs/a.md"_qs << false;
    QTest::newRow("** zero folders") << u"docs/**/*.md"_qs << u"docs/a.md"_qs << true;
    QTest::newRow("** many folders") << u"docs/**/*.md"_qs << u"docs/x/y/a.md"_qs << true;
    QTest::newRow("** at start") << u"**/*.go"_qs << u"main.go"_qs << true;
    QTest::newRow("dot files match") << u"*"_qs << u".gitlab-ci.yml"_qs << true;
    QTest::newRow("dot folders with **") << u"**/*"_qs << u".ci/a.yml"_qs << true;
    QTest::newRow("braces") << u"{src,lib}/*.c"_qs << u"lib/a.c"_qs << true;
    QTest::newRow("nested braces") << u"a.{c,{h,hpp}}"_qs << u"a.hpp"_qs << true;
    QTest::newRow("question") << u"?.txt"_qs << u"a.txt"_qs << true;
    QTest::newRow("question not /") << u"a?b"_qs << u"a/b"_qs << false;
    QTest::newRow("class") << u"[a-c].txt"_qs << u"b.txt"_qs << true;
    QTest::newRow("negated class") << u"[!a-c].txt"_qs << u"b.txt"_qs << false;
    QTest::newRow("escape") << u"\\*.txt"_qs << u"*.txt"_qs << true;
    QTest::newRow("whole path") << u"src"_qs << u"src/a.c"_qs << false;
    QTest::newRow("dir star") << u"existsDir/*"_qs << u"existsDir/.gitkeep"_qs << true;
}

void TestPlanner::glob()
{
    QFETCH(QString, pattern);
    QFETCH(QString, path);
    QFETCH(bool, match);
    QCOMPARE(pipeline::globMatch(pattern, path), match);
}

void TestPlanner::predefined_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value"); // <unset> when absent
    QTest::newRow("branch") << u"push Feature/X"_qs << u"CI_COMMIT_BRANCH"_qs << u"Feature/X"_qs;
    QTest::newRow("branch slug") << u"push Feature/X"_qs << u"CI_COMMIT_REF_SLUG"_qs
                                 << u"feature-x"_qs;
    QTest::newRow("no tag on branch") << u"push main"_qs << u"CI_COMMIT_TAG"_qs << u"<unset>"_qs;
    QTest::newRow("tag") << u"push v1.2 tag"_qs << u"CI_COMMIT_TAG"_qs << u"v1.2"_qs;
    QTest::newRow("no branch on tag")
        << u"push v1.2 tag"_qs << u"CI_COMMIT_BRANCH"_qs << u"<unset>"_qs;
    QTest::newRow("tag source is push") << u"tag v1.2"_qs << u"CI_PIPELINE_SOURCE"_qs << u"push"_qs;
    QTest::newRow("no branch in MR")
        << u"merge_request_event feat"_qs << u"CI_COMMIT_BRANCH"_qs << u"<unset>"_qs;
    QTest::newRow("MR target") << u"merge_request_event feat target=develop"_qs
                               << u"CI_MERGE_REQUEST_TARGET_BRANCH_NAME"_qs << u"develop"_qs;
    QTest::newRow("MR target default") << u"merge_request_event feat"_qs
                                       << u"CI_MERGE_REQUEST_TARGET_BRANCH_NAME"_qs << u"main"_qs;
    QTest::newRow("MR before sha")
        << u"merge_request_event feat"_qs << u"CI_COMMIT_BEFORE_SHA"_qs << QString(40, u'0');
    QTest::newRow("default branch") << u"push x"_qs << u"CI_DEFAULT_BRANCH"_qs << u"main"_qs;
    QTest::newRow("user override")
        << u"push x var=CI_DEFAULT_BRANCH=trunk"_qs << u"CI_DEFAULT_BRANCH"_qs << u"trunk"_qs;
    QTest::newRow("no job variables") << u"push x"_qs << u"CI_JOB_NAME"_qs << u"<unset>"_qs;
}

void TestPlanner::predefined()
{
    QFETCH(QString, context);
    QFETCH(QString, variable);
    QFETCH(QString, value);
    const pipeline::Plan plan = planYaml("a:\n  script: x\n", makeContext(context));
    QCOMPARE(plan.pipelineVariables.value(variable, u"<unset>"_qs), value);
}

QTEST_GUILESS_MAIN(TestPlanner)
#include "tst_planner.moc"
