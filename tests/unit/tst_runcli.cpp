// stagecraft-cli run as a user runs it: live output, summary, exit codes, Ctrl+C.

#include "gitrepobuilder.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

struct Result
{
    int code = -1;
    QString out;
    QString err;
};

class Project
{
public:
    explicit Project(const QByteArray &ci, const QHash<QString, QByteArray> &files = {},
                     bool git = true)
    {
        root = dir.filePath(QStringLiteral("project"));
        QDir().mkpath(root);
        if (!git) {
            QHash<QString, QByteArray> all = files;
            all.insert(QStringLiteral(".gitlab-ci.yml"), ci);
            for (auto it = all.cbegin(); it != all.cend(); ++it) {
                QFile f(QDir(root).filePath(it.key()));
                if (f.open(QIODevice::WriteOnly))
                    f.write(it.value());
            }
            return;
        }
        gittest::RepoBuilder repo(root);
        repo.write(QStringLiteral(".gitlab-ci.yml"), ci);
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            repo.write(it.key(), it.value());
        repo.commit("ci");
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("SHARED"), dir.path());
        return env;
    }

    QStringList withDataDir(QStringList args) const
    {
        args << QStringLiteral("--data-dir") << dir.filePath(QStringLiteral("data"));
        return args;
    }

    Result run(const QStringList &args) const
    {
        QProcess p;
        p.setWorkingDirectory(root);
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(STAGECRAFT_CLI_PATH),
                QStringList{QStringLiteral("run")} + withDataDir(args));
        p.waitForFinished(60000);
        return {p.exitCode(), withoutTmp(QString::fromUtf8(p.readAllStandardOutput())),
                withoutTmp(QString::fromUtf8(p.readAllStandardError()))};
    }

    /// The temporary folder's path as `$TMP`.
    QString withoutTmp(QString text) const
    {
        return text.replace(dir.path(), QStringLiteral("$TMP"));
    }

    QTemporaryDir dir;
    QString root;
};

/// Durations vary: `12 ms`, `1.25 s` become `<t>`.
QString normalized(QString text)
{
    static const QRegularExpression duration(QStringLiteral("\\d+(\\.\\d+)? m?s\\b"));
    text.replace(duration, QStringLiteral("<t>"));
    // Summary columns are padded to the widest value, which varies with the durations.
    static const QRegularExpression spaces(QStringLiteral(" +(?=\\S)"));
    text.replace(spaces, QStringLiteral(" "));
    return text;
}

bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) != "Z";
}

} // namespace

class TestRunCli : public QObject
{
    Q_OBJECT

private slots:
    void twoStages();
    void exitCodes_data();
    void exitCodes();
    void namedJobs();
    void invalidConfiguration();
    void badInput_data();
    void badInput();
    void notARepository();
    void keepFailedSummary();
    void variables();
    void mergeRequestPipeline();
    void keepPipelines_data();
    void keepPipelines();
    void dockerOptions_data();
    void dockerOptions();
    void interrupt();
    void interruptTwice();
};

void TestRunCli::twoStages()
{
    Project p("stages: [build, test]\n"
              "build-job:\n  stage: build\n  script:\n    - echo \"hi $GREETING\"\n"
              "    - echo err >&2\n"
              "  variables:\n    GREETING: there\n"
              "test-job:\n  stage: test\n  image: alpine:3\n  script:\n    - |\n"
              "      echo multi\n      echo line\n  after_script:\n    - echo done\n");
    const Result r = p.run({});
    QCOMPARE(r.err, QString());
    QCOMPARE(r.code, 0);
    QCOMPARE(normalized(r.out),
             QStringLiteral("build-job starting shell (build)\n"
                            "build-job $ echo \"hi $GREETING\"\n"
                            "build-job > hi there\n"
                            "build-job $ echo err >&2\n"
                            "build-job > err\n"
                            "build-job finished in <t>: success\n"
                            "test-job starting shell (test)\n"
                            "test-job WARNING: image \"alpine:3\" ignored: the shell executor runs "
                            "jobs on this machine\n"
                            "test-job $ echo multi # collapsed multi-line command\n"
                            "test-job > multi\n"
                            "test-job > line\n"
                            "test-job $ echo done\n"
                            "test-job > done\n"
                            "test-job finished in <t>: success\n"
                            "\n"
                            "job stage status duration exit code\n"
                            "build-job build success <t> 0\n"
                            "test-job test success <t> 0\n"
                            "pipeline 1: success\nLogs and artifacts: $TMP/data/pipelines/1\n"));
}

void TestRunCli::exitCodes_data()
{
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("summaryOrError");
    QTest::newRow("failure")
        << QByteArray("a:\n  script: exit 3\n") << QStringList() << 1
        << "a test failed <t> 3\npipeline 1: failed\nLogs and artifacts: $TMP/data/pipelines/1\n";
    QTest::newRow("timeout") << QByteArray("a:\n  timeout: 1s\n  script: sleep 5\n")
                             << QStringList() << 1
                             << "a test failed (job_execution_timeout) <t>\n"
                                "pipeline 1: failed\nLogs and artifacts: $TMP/data/pipelines/1\n";
    QTest::newRow("allowed failure")
        << QByteArray("a:\n  script: exit 3\n  allow_failure: true\n") << QStringList() << 0
        << "a test failed (allowed) <t> 3\npipeline 1: success\nLogs and artifacts: "
           "$TMP/data/pipelines/1\n";
    QTest::newRow("skipped after failure")
        << QByteArray("a:\n  script: exit 1\nb:\n  stage: deploy\n  script: echo\n")
        << QStringList() << 1
        << "a test failed <t> 1\nb deploy skipped\npipeline 1: failed\nLogs and artifacts: "
           "$TMP/data/pipelines/1\n";
    QTest::newRow("unknown option")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--nope")} << 2
        << "stagecraft-cli: unknown option '--nope'\n";
    QTest::newRow("unknown executor")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--executor"), QStringLiteral("lxc")} << 2
        << "stagecraft-cli: Unknown executor \"lxc\"; use shell, docker or kubernetes\n";
    QTest::newRow("unknown job") << QByteArray("a:\n  script: echo\nb:\n  script: echo\n")
                                 << QStringList{QStringLiteral("c")} << 2
                                 << "stagecraft-cli: Job \"c\" not found in the pipeline; jobs "
                                    "are: a, b\n";
    QTest::newRow("bad concurrency")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--concurrency"), QStringLiteral("0")} << 2
        << "stagecraft-cli: --concurrency needs a number of 1 or more, got '0'\n";
    QTest::newRow("manual left") << QByteArray("a:\n  script: echo\nb:\n  when: manual\n"
                                               "  script: echo\n")
                                 << QStringList() << 0
                                 << "a test success <t> 0\nb test manual\npipeline 1: "
                                    "success\nLogs and artifacts: $TMP/data/pipelines/1\n";
    QTest::newRow("delayed") << QByteArray("a:\n  when: delayed\n  start_in: 1 second\n"
                                           "  script: echo\n")
                             << QStringList() << 0
                             << "a delayed, starts in 1 second\na starting shell (test)\n";
    QTest::newRow("--manual") << QByteArray("a:\n  script: echo\nb:\n  when: manual\n"
                                            "  script: echo\n")
                              << QStringList{QStringLiteral("--manual")} << 0
                              << "a test success <t> 0\nb test success <t> 0\n"
                                 "pipeline 1: success\nLogs and artifacts: $TMP/data/pipelines/1\n";
}

void TestRunCli::exitCodes()
{
    QFETCH(QByteArray, ci);
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, summaryOrError);
    Project p(ci);
    const Result r = p.run(args);
    QCOMPARE(r.code, code);
    if (code == 2)
        QCOMPARE(r.err, summaryOrError);
    else
        QVERIFY2(normalized(r.out).endsWith(summaryOrError) ||
                     normalized(r.out).startsWith(summaryOrError),
                 qPrintable(r.out));
}

void TestRunCli::namedJobs()
{
    Project p("stages: [build, test]\n"
              "build:\n  stage: build\n  script: echo b\n"
              "lint:\n  stage: build\n  script: echo l\n"
              "test:\n  stage: test\n  needs: [build]\n  script: echo t\n");
    Result r = p.run({QStringLiteral("test")});
    QCOMPARE(r.code, 0);
    QVERIFY2(normalized(r.out).endsWith(QStringLiteral(
                 "\njob stage status duration exit code\ntest test success <t> 0\n"
                 "pipeline 1: success\nLogs and artifacts: $TMP/data/pipelines/1\n")),
             qPrintable(r.out));
    r = p.run({p.root, QStringLiteral("test"), QStringLiteral("--needs")});
    QCOMPARE(r.code, 0);
    QVERIFY2(normalized(r.out).endsWith(QStringLiteral(
                 "\njob stage status duration exit code\n"
                 "build build success <t> 0\ntest test success <t> 0\n"
                 "pipeline 2: success\nLogs and artifacts: $TMP/data/pipelines/2\n")),
             qPrintable(r.out));
}

void TestRunCli::invalidConfiguration()
{
    Project p("ok:\n  script: echo\nbroken:\n  stage: test\n");
    const Result r = p.run({});
    QCOMPARE(r.code, 1);
    QCOMPARE(r.out, QString());
    QCOMPARE(r.err, QStringLiteral("stagecraft-cli: the configuration is invalid, GitLab would not "
                                   "create the pipeline:\n"
                                   ".gitlab-ci.yml:3:1: error: jobs broken config should implement "
                                   "the script:, run:, or trigger: keyword [missing-script]\n"));
}

void TestRunCli::badInput_data()
{
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("error");
    QTest::newRow("invalid YAML")
        << QByteArray("a:\n  script: [echo\n") << QStringList() << 1
        << "stagecraft-cli: the configuration is invalid, GitLab would not create the "
           "pipeline:\n.gitlab-ci.yml:2:11: error: this flow sequence '[' is never closed "
           "[yaml-syntax]\n  hint: yaml-cpp: end of sequence flow not found (noticed at line 3)\n";
    // The executor is checked first: a usage error whatever the configuration says.
    QTest::newRow("unknown executor, invalid YAML")
        << QByteArray("a:\n  script: [echo\n") << QStringList{QStringLiteral("--executor=lxc")} << 2
        << "stagecraft-cli: Unknown executor \"lxc\"; use shell, docker or kubernetes\n";
    QTest::newRow("junk concurrency")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--concurrency"), QStringLiteral("two")} << 2
        << "stagecraft-cli: --concurrency needs a number of 1 or more, got 'two'\n";
    QTest::newRow("negative concurrency")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--concurrency=-1")}
        << 2 << "stagecraft-cli: --concurrency needs a number of 1 or more, got '-1'\n";
    QTest::newRow("concurrency without value")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--concurrency")} << 2
        << "stagecraft-cli: --concurrency needs a value\n";
    QTest::newRow("junk keep-pipelines")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--keep-pipelines"), QStringLiteral("few")} << 2
        << "stagecraft-cli: --keep-pipelines needs a number of 0 (keep all) or more, got 'few'\n";
    QTest::newRow("negative keep-pipelines")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--keep-pipelines=-2")}
        << 2
        << "stagecraft-cli: --keep-pipelines needs a number of 0 (keep all) or more, got "
           "'-2'\n";
    QTest::newRow("unknown pull policy")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--pull-policy"), QStringLiteral("always,sometimes")} << 2
        << "stagecraft-cli: --pull-policy needs always, if-not-present or never (several "
           "separated by commas), got 'always,sometimes'\n";
    QTest::newRow("default image without value")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--default-image")} << 2
        << "stagecraft-cli: --default-image needs a value\n";
    QTest::newRow("docker host without value")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--docker-host"), QStringLiteral("--needs")} << 2
        << "stagecraft-cli: --docker-host needs a value\n";
    QTest::newRow("flag with a value")
        << QByteArray("a:\n  script: echo\n") << QStringList{QStringLiteral("--needs=yes")} << 2
        << "stagecraft-cli: --needs takes no value\n";
    QTest::newRow("ref without value")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--ref"), QStringLiteral("--needs")} << 2
        << "stagecraft-cli: --ref needs a value\n";
    QTest::newRow("kubernetes quantity")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--executor"), QStringLiteral("kubernetes"),
                       QStringLiteral("--memory-limit"), QStringLiteral("1GB")}
        << 2
        << "stagecraft-cli: Kubernetes memory limit: \"1GB\" is not a Kubernetes quantity (such "
           "as 500m, 2, 512Mi or 1Gi)\n";
    QTest::newRow("kubernetes node selector")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--executor=kubernetes"), QStringLiteral("--node-selector"),
                       QStringLiteral("zone=a"), QStringLiteral("--node-selector=gpu")}
        << 2 << "stagecraft-cli: --node-selector needs LABEL=VALUE, got 'gpu'\n";
    QTest::newRow("kubernetes node selector value")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--executor=kubernetes"),
                       QStringLiteral("--node-selector=zone=a b")}
        << 2
        << "stagecraft-cli: Kubernetes node selector: \"a b\" is not a label value (for zone)\n";
    QTest::newRow("mount-project is a flag")
        << QByteArray("a:\n  script: echo\n")
        << QStringList{QStringLiteral("--executor=kubernetes"),
                       QStringLiteral("--mount-project=no")}
        << 2 << "stagecraft-cli: --mount-project takes no value\n";
    QTest::newRow("job excluded by rules")
        << QByteArray("a:\n  script: echo\nb:\n  script: echo\n  rules:\n    - if: $NOPE\n")
        << QStringList{QStringLiteral("b")} << 2
        << "stagecraft-cli: Job \"b\" is not in the pipeline: rules: no rule matched\n";
    QTest::newRow("hidden job")
        << QByteArray(".b:\n  script: echo\na:\n  extends: .b\n")
        << QStringList{QStringLiteral(".b")} << 2
        << "stagecraft-cli: Job \".b\" is not in the pipeline: it is hidden (its name starts "
           "with a dot), a template for other jobs\n";
}

void TestRunCli::badInput()
{
    QFETCH(QByteArray, ci);
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, error);
    Project p(ci);
    const Result r = p.run(args);
    QCOMPARE(r.err, error);
    QCOMPARE(r.code, code);
    QCOMPARE(r.out, QString());
}

void TestRunCli::notARepository()
{
    Project p(
        "job:\n  script:\n    - echo \"$CI_COMMIT_REF_NAME $CI_COMMIT_SHA $CI_PROJECT_PATH\"\n"
        "    - cat file\n",
        {{QStringLiteral("file"), "on disk\n"}}, false);
    const Result r = p.run({});
    QCOMPARE(r.err, QStringLiteral("stagecraft-cli: WARNING: $TMP/project is not a git repository "
                                   "with a commit: running the files of the folder as they are, "
                                   "for a push pipeline of main without a commit (CI_COMMIT_SHA "
                                   "is zeros)\n"));
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("job > main 0000000000000000000000000000000000000000 "
                                           "local/project\njob $ cat file\njob > on disk\n")),
             qPrintable(r.out));
}

void TestRunCli::keepFailedSummary()
{
    Project p("ok:\n  script: echo\nbroken:\n  script: exit 2\n");
    const Result r = p.run({QStringLiteral("--keep-failed")});
    QCOMPARE(r.code, 1);
    QVERIFY2(normalized(r.out).endsWith(
                 QStringLiteral("ok test success <t> 0\nbroken test failed <t> 2\n"
                                "pipeline 1: failed\n"
                                "broken: environment kept, enter it with: cd "
                                "$TMP/data/pipelines/1/jobs/2/project && bash\n"
                                "Logs and artifacts: $TMP/data/pipelines/1\n")),
             qPrintable(r.out));
}

void TestRunCli::variables()
{
    Project p("variables:\n  A: yaml\n"
              "job:\n  script:\n    - echo \"A=$A B=$B\"\n");
    const Result r =
        p.run({QStringLiteral("--var"), QStringLiteral("A=cli"), QStringLiteral("--var=B=two=2")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("job > A=cli B=two=2\n")), qPrintable(r.out));

    // CI_REGISTRY: GitLab.com's registry for a gitlab.com project, else --registry.
    Project q("job:\n  script:\n    - echo \"[$CI_REGISTRY] [$CI_REGISTRY_IMAGE]\"\n");
    const Result none = q.run({});
    QVERIFY2(none.out.contains(QStringLiteral("job > [registry.gitlab.com] [registry.gitlab.com/")),
             qPrintable(none.out));
    const Result set = q.run({QStringLiteral("--registry"), QStringLiteral("registry.local:5000")});
    QCOMPARE(set.code, 0);
    static const QRegularExpression image(QStringLiteral(
        "job > \\[registry\\.local:5000\\] \\[registry\\.local:5000/[a-z0-9_./-]+\\]\n"));
    QVERIFY2(image.match(set.out).hasMatch(), qPrintable(set.out));
}

// The pipeline-choosing options of graph and diff work for run too: a merge request pipeline
// into a given branch, with the files it changes.
void TestRunCli::mergeRequestPipeline()
{
    Project p("mr:\n  script: echo \"into $CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"\n"
              "  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n"
              "docs:\n  script: echo docs\n"
              "  rules:\n    - changes: [docs/*]\n");
    const Result r = p.run({QStringLiteral("--source"), QStringLiteral("merge_request_event"),
                            QStringLiteral("--target-branch=develop"), QStringLiteral("--changed"),
                            QStringLiteral("src/main.c")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QStringLiteral("mr > into develop\n")), qPrintable(r.out));
    QVERIFY2(!r.out.contains(QStringLiteral("docs >")), qPrintable(r.out));
    const Result d = p.run({QStringLiteral("--source=merge_request_event"),
                            QStringLiteral("--changed=docs/index.md")});
    QCOMPARE(d.code, 0);
    QVERIFY2(d.out.contains(QStringLiteral("docs > docs\n")), qPrintable(d.out));
}

void TestRunCli::keepPipelines_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("kept");
    const QStringList all{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                          QStringLiteral("4")};
    QTest::newRow("default (20)") << QStringList() << all;
    QTest::newRow("0: all") << QStringList{QStringLiteral("--keep-pipelines"), QStringLiteral("0")}
                            << all;
    QTest::newRow("2") << QStringList{QStringLiteral("--keep-pipelines"), QStringLiteral("2")}
                       << QStringList{QStringLiteral("3"), QStringLiteral("4")};
    QTest::newRow("1, inline") << QStringList{QStringLiteral("--keep-pipelines=1")}
                               << QStringList{QStringLiteral("4")};
}

void TestRunCli::keepPipelines()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, kept);
    Project p("job:\n  script: echo\n");
    for (int i = 1; i <= 4; ++i) {
        const Result r = p.run(args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.endsWith(QStringLiteral("pipeline %1: success\nLogs and artifacts: "
                                               "$TMP/data/pipelines/%1\n")
                                    .arg(i)),
                 qPrintable(r.out));
    }
    QDir pipelines(p.dir.filePath(QStringLiteral("data/pipelines")));
    QStringList names = pipelines.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(names.begin(), names.end());
    QCOMPARE(names, kept);
}

void TestRunCli::dockerOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("image");
    QTest::newRow("default image, never pulled")
        << QStringList{QStringLiteral("--default-image"), QStringLiteral("busybox:local"),
                       QStringLiteral("--pull-policy"), QStringLiteral("never")}
        << 0 << QStringLiteral("job > hi\n") << QStringLiteral("busybox:local");
    QTest::newRow("absent default image, never pulled")
        << QStringList{QStringLiteral("--default-image=stagecraft-test/absent:1"),
                       QStringLiteral("--pull-policy=never")}
        << 1
        << QStringLiteral("job ERROR: Job failed (system failure): failed to pull image "
                          "\"stagecraft-test/absent:1\" with specified policies [never]: Error: "
                          "No such image: stagecraft-test/absent:1\n")
        << QStringLiteral("stagecraft-test/absent:1");
}

void TestRunCli::dockerOptions()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    QFETCH(QString, image);
    const QString host = qEnvironmentVariable("STAGECRAFT_TEST_DOCKER_HOST");
    if (host.isEmpty())
        QSKIP("STAGECRAFT_TEST_DOCKER_HOST is not set: no container engine (scripts/engines.sh)");
    Project p("job:\n  script: echo hi\n");
    // The host comes from --docker-host only: DOCKER_HOST names a socket that does not exist.
    QProcess process;
    process.setWorkingDirectory(p.root);
    QProcessEnvironment env = p.environment();
    env.insert(QStringLiteral("DOCKER_HOST"), QStringLiteral("unix:///nonexistent/docker.sock"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(STAGECRAFT_CLI_PATH),
                  QStringList{QStringLiteral("run"), QStringLiteral("--executor"),
                              QStringLiteral("docker"), QStringLiteral("--docker-host"), host} +
                      p.withDataDir(args));
    QVERIFY(process.waitForFinished(120000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    QVERIFY2(out.contains(expected), qPrintable(out));
    QCOMPARE(process.exitCode(), code);
    // The job's trace names the image it ran in.
    QFile log(p.dir.filePath(QStringLiteral("data/pipelines/1/logs/1.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString trace = QString::fromUtf8(log.readAll());
    QVERIFY2(trace.contains(u"Using Docker executor with image " + image + u" ...\n"),
             qPrintable(trace));

    // Without --docker-host, DOCKER_HOST is the host.
    process.start(
        QStringLiteral(STAGECRAFT_CLI_PATH),
        QStringList{QStringLiteral("run"), QStringLiteral("--executor"), QStringLiteral("docker")} +
            p.withDataDir(args));
    QVERIFY(process.waitForFinished(120000));
    QCOMPARE(QString::fromUtf8(process.readAllStandardError()),
             QStringLiteral("stagecraft-cli: Cannot connect to the Docker daemon at "
                            "unix:///nonexistent/docker.sock: dial unix /nonexistent/docker.sock: "
                            "connect: no such file or directory. Is the docker daemon running?\n"));
}

void TestRunCli::interrupt()
{
    Project p("stages: [one, two]\n"
              "sleeper:\n  stage: one\n  script:\n    - sleep 30 &\n"
              "    - echo $! > $SHARED/child\n    - wait\n"
              "next:\n  stage: two\n  script: echo next\n");
    QProcess cli;
    cli.setWorkingDirectory(p.root);
    cli.setProcessEnvironment(p.environment());
    cli.start(QStringLiteral(STAGECRAFT_CLI_PATH),
              QStringList{QStringLiteral("run")} + p.withDataDir({}));
    QVERIFY(cli.waitForStarted());
    const QString pidFile = p.dir.filePath(QStringLiteral("child"));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 15000);
    QFile f(pidFile);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const qint64 child = f.readAll().trimmed().toLongLong();
    QVERIFY(child > 0);
    QVERIFY(QFileInfo::exists(QStringLiteral("/proc/%1").arg(child)));
    ::kill(pid_t(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(15000));
    QCOMPARE(cli.exitCode(), 130);
    const QString out = normalized(p.withoutTmp(QString::fromUtf8(cli.readAllStandardOutput())));
    QVERIFY2(out.endsWith(QStringLiteral(
                 "sleeper one canceled <t>\nnext two canceled\n"
                 "pipeline 1: canceled\nLogs and artifacts: $TMP/data/pipelines/1\n")),
             qPrintable(out));
    QCOMPARE(QString::fromUtf8(cli.readAllStandardError()),
             QStringLiteral("stagecraft-cli: interrupted, canceling the pipeline\n"));
    // The sleep was killed with its job (a zombie until init collects it counts as dead).
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 5000);
}

void TestRunCli::interruptTwice()
{
    // The first Ctrl+C cancels and runs the after_script (GitLab 17); the second stops it.
    Project p("job:\n  script:\n    - touch $SHARED/started\n    - sleep 30\n"
              "  after_script:\n    - echo cleaning\n    - sleep 30\n");
    QProcess cli;
    cli.setWorkingDirectory(p.root);
    cli.setProcessEnvironment(p.environment());
    cli.start(QStringLiteral(STAGECRAFT_CLI_PATH),
              QStringList{QStringLiteral("run")} + p.withDataDir({}));
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(p.dir.filePath(QStringLiteral("started"))), 15000);
    ::kill(pid_t(cli.processId()), SIGINT);
    QByteArray out;
    QTRY_VERIFY_WITH_TIMEOUT((out += cli.readAllStandardOutput()).contains("job > cleaning\n"),
                             15000);
    ::kill(pid_t(cli.processId()), SIGINT);
    QVERIFY(cli.waitForFinished(15000));
    QCOMPARE(cli.exitCode(), 130);
    out += cli.readAllStandardOutput();
    QVERIFY2(normalized(p.withoutTmp(QString::fromUtf8(out)))
                 .endsWith(QStringLiteral("job test canceled <t>\npipeline 1: canceled\nLogs and "
                                          "artifacts: $TMP/data/pipelines/1\n")),
             out.constData());
    QCOMPARE(QString::fromUtf8(cli.readAllStandardError()),
             QStringLiteral("stagecraft-cli: interrupted, canceling the pipeline\n"
                            "stagecraft-cli: interrupted again, stopping\n"));
}

QTEST_GUILESS_MAIN(TestRunCli)
#include "tst_runcli.moc"
