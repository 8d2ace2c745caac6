// stagecraft-cli graph / diff as a user runs them: exit codes and exact output.

#include "gitrepobuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList &args, const QString &cwd)
{
    QProcess p;
    p.setWorkingDirectory(cwd);
    p.start(QStringLiteral(STAGECRAFT_CLI_PATH), args);
    p.waitForFinished(30000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

const QByteArray project =
    "stages: [build, test]\n"
    "build:\n  stage: build\n  script: make\n"
    "  except:\n    variables: [$NO_BUILD]\n"
    "test:\n  script: ctest\n  needs: [build]\n  parallel: 2\n"
    "docs:\n  script: x\n  rules:\n    - changes: [docs/**/*]\n"
    "mr:\n  script: x\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n";

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

} // namespace

class TestPlanCli : public QObject
{
    Q_OBJECT

private slots:
    void graph_data();
    void graph();
    void graphJson();
    void graphSvg();
    void diff();
};

void TestPlanCli::graph_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("err");
    QTest::newRow("text on a branch")
        << QStringList{u"graph"_qs, u"--ref"_qs, u"feature/x"_qs, u"--changed"_qs, u"src/a.c"_qs}
        << 0
        << u"push pipeline for branch feature/x (default branch main)\n"
           "Pipeline created (no workflow:rules)\n"
           "build\n"
           "  build                            on_success\n"
           "test\n"
           "  test 1/2                         on_success  needs: [build]\n"
           "  test 2/2                         on_success  needs: [build]\n"
           "not in the pipeline:\n"
           "  docs                             rules: no rule matched\n"
           "  mr                               rules: no rule matched\n"_qs
        << QString();
    // Jobs without rules/only keep GitLab's default `only: [branches, tags]`.
    QTest::newRow("merge request")
        << QStringList{u"graph"_qs,      u"--source"_qs,  u"merge_request_event"_qs,
                       u"--ref=feat"_qs, u"--changed"_qs, u"docs/x/y.md"_qs}
        << 0
        << u"merge_request_event pipeline for branch feat (default branch main)\n"
           "Pipeline created (no workflow:rules)\n"
           "test\n"
           "  docs                             on_success\n"
           "  mr                               on_success\n"
           "not in the pipeline:\n"
           "  build                            only: refs branches, tags (the default) not "
           "matched\n"
           "  test 1/2                         only: refs branches, tags (the default) not "
           "matched\n"
           "  test 2/2                         only: refs branches, tags (the default) not matched\n"_qs
        << QString();
    QTest::newRow("needs error")
        << QStringList{u"graph"_qs, u"--var"_qs, u"NO_BUILD=1"_qs} << 1
        << u"push pipeline for branch main (default branch main)\n"
           "Pipeline not created: 'test 1/2' job needs 'build' job, but 'build' does not exist in "
           "the pipeline. This might be because of the only, except, or rules keywords. To need "
           "a job that sometimes does not exist in the pipeline, use needs:optional.\n"
           "test\n"
           "  test 1/2                         on_success  needs: []\n"
           "  test 2/2                         on_success  needs: []\n"
           "  docs                             on_success\n"
           "not in the pipeline:\n"
           "  build                            except: variables $NO_BUILD\n"
           "  mr                               rules: no rule matched\n"
           "error: 'test 1/2' job needs 'build' job, but 'build' does not exist in the pipeline. "
           "This might be because of the only, except, or rules keywords. To need a job that "
           "sometimes does not exist in the pipeline, use needs:optional.\n"
           "error: 'test 2/2' job needs 'build' job, but 'build' does not exist in the pipeline. "
           "This might be because of the only, except, or rules keywords. To need a job that "
           "sometimes does not exist in the pipeline, use needs:optional.\n"_qs
        << QString();
    QTest::newRow("dot") << QStringList{u"graph"_qs, u"--format"_qs, u"dot"_qs} << 0
                         << u"digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n"
                            "  subgraph cluster_0 {\n    label=\"build\";\n    \"build\";\n  }\n"
                            "  subgraph cluster_1 {\n    label=\"test\";\n    \"test 1/2\";\n"
                            "    \"test 2/2\";\n    \"docs\";\n  }\n"
                            "  \"build\" -> \"test 1/2\";\n  \"build\" -> \"test 2/2\";\n}\n"_qs
                         << QString();
    QTest::newRow("mermaid")
        << QStringList{u"graph"_qs, u"--format"_qs, u"mermaid"_qs} << 0
        << u"flowchart LR\n  subgraph s0[\"build\"]\n    j0[\"build\"]\n  end\n"
           "  subgraph s1[\"test\"]\n    j1[\"test 1/2\"]\n    j2[\"test 2/2\"]\n"
           "    j3[\"docs\"]\n  end\n  j0 --> j1\n  j0 --> j2\n"_qs
        << QString();
    QTest::newRow("bad format") << QStringList{u"graph"_qs, u"--format"_qs, u"png"_qs} << 2
                                << QString()
                                << u"stagecraft-cli: unknown format 'png' (use text, json, dot, "
                                   "mermaid, svg)\n"_qs;
    QTest::newRow("bad var") << QStringList{u"graph"_qs, u"--var"_qs, u"X"_qs} << 2 << QString()
                             << u"stagecraft-cli: --var needs KEY=VALUE, got 'X'\n"_qs;
    QTest::newRow("against is for diff")
        << QStringList{u"graph"_qs, u"--against"_qs, u"HEAD"_qs} << 2 << QString()
        << u"stagecraft-cli: unknown option '--against'\n"_qs;
    QTest::newRow("option where a value belongs")
        << QStringList{u"graph"_qs, u"--ref"_qs, u"--view"_qs, u"needs"_qs} << 2 << QString()
        << u"stagecraft-cli: --ref needs a value\n"_qs;
    QTest::newRow("uncommitted with a value")
        << QStringList{u"graph"_qs, u"--uncommitted=1"_qs} << 2 << QString()
        << u"stagecraft-cli: --uncommitted takes no value\n"_qs;
    QTest::newRow("missing path") << QStringList{u"graph"_qs, u"nope"_qs} << 2 << QString()
                                  << u"stagecraft-cli: nope: no such file or folder\n"_qs;
}

void TestPlanCli::graph()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, out);
    QFETCH(QString, err);
    QTemporaryDir dir;
    writeFile(dir.filePath(u".gitlab-ci.yml"_qs), project);
    const Run r = cli(args, dir.path());
    QCOMPARE(r.err, err);
    QCOMPARE(r.out, out);
    QCOMPARE(r.code, code);
}

void TestPlanCli::graphJson()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(u".gitlab-ci.yml"_qs),
              project + "variables:\n  G: \"$CI_COMMIT_REF_SLUG\"\n");
    const Run r = cli({u"graph"_qs, u"."_qs, u"--format"_qs, u"json"_qs, u"--ref"_qs,
                       u"Fix__Bug"_qs, u"--var"_qs, u"X=1"_qs},
                      dir.path());
    QCOMPARE(r.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[u"created"].toBool(), true);
    QCOMPARE(o[u"reason"].toString(), u"no workflow:rules"_qs);
    QCOMPARE(o[u"stages"].toArray(), (QJsonArray{u"build"_qs, u"test"_qs}));
    const QJsonArray jobs = o[u"jobs"].toArray();
    QCOMPARE(jobs.size(), 4);
    const QJsonObject test = jobs[1].toObject();
    QCOMPARE(test[u"name"].toString(), u"test 1/2"_qs);
    QCOMPARE(test[u"stage"].toString(), u"test"_qs);
    QCOMPARE(test[u"when"].toString(), u"on_success"_qs);
    QCOMPARE(test[u"allowFailure"].toBool(), false);
    QCOMPARE(test[u"needs"].toArray(), QJsonArray{u"build"_qs});
    QCOMPARE(test[u"dag"].toBool(), true);
    QCOMPARE(test[u"variables"].toObject()[u"G"].toString(), u"fix--bug"_qs);
    QCOMPARE(jobs[0].toObject()[u"dag"].toBool(), false);
    const QJsonArray excluded = o[u"excluded"].toArray();
    QCOMPARE(excluded.size(), 1);
    QCOMPARE(excluded[0].toObject()[u"name"].toString(), u"mr"_qs);
    QCOMPARE(excluded[0].toObject()[u"reason"].toString(), u"rules: no rule matched"_qs);
}

void TestPlanCli::graphSvg()
{
    QTemporaryDir dir;
    writeFile(dir.filePath(u".gitlab-ci.yml"_qs), project);
    for (const QString &view : {u"stage"_qs, u"needs"_qs}) {
        const Run r = cli({u"graph"_qs, u"--format=svg"_qs, u"--view"_qs, view}, dir.path());
        QCOMPARE(r.code, 0);
        QXmlStreamReader xml(r.out);
        int rects = 0;
        int lines = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"rect")
                ++rects;
            if (xml.isStartElement() && xml.name() == u"polyline")
                ++lines;
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(rects, 3); // build, test (group of 2), docs
        QCOMPARE(lines, 1); // build -> test
        QVERIFY(r.out.contains(u">test  (2)</text>"_qs));
    }
}

void TestPlanCli::diff()
{
    QTemporaryDir dir;
    gittest::RepoBuilder repo(dir.path());
    repo.write(u".gitlab-ci.yml"_qs, project);
    repo.commit("c1");
    Run r = cli({u"diff"_qs}, dir.path());
    QCOMPARE(r.err, QString());
    QCOMPARE(r.out, u"working tree against HEAD:\nno changes to the pipeline\n"_qs);
    QCOMPARE(r.code, 0);
    repo.write(u".gitlab-ci.yml"_qs, "stages: [build, test, deploy]\n"
                                     "build:\n  stage: build\n  script: make -j\n"
                                     "test:\n  script: ctest\n  needs: [build]\n  parallel: 2\n"
                                     "deploy:\n  stage: deploy\n  script: x\n  when: manual\n");
    r = cli({u"diff"_qs, u"."_qs, u"--against"_qs, u"HEAD"_qs}, dir.path());
    // `docs` ran before: the first commit has no parent, so its changes are unknown (true).
    QCOMPARE(r.out, u"working tree against HEAD:\n+ stage deploy\n+ deploy\n- docs\n"
                    "~ build: script, except\n"_qs);
    QCOMPARE(r.code, 1);
    r = cli({u"diff"_qs, u"--format"_qs, u"json"_qs}, dir.path());
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[u"added"].toArray(), QJsonArray{u"deploy"_qs});
    r = cli({u"diff"_qs, u"--against"_qs, u"v9"_qs}, dir.path());
    QCOMPARE(r.code, 2);
    QCOMPARE(r.err, u"stagecraft-cli: .: unknown revision 'v9'\n"_qs);
}

QTEST_GUILESS_MAIN(TestPlanCli)
#include "tst_plancli.moc"
