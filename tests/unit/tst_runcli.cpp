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
    explicit Project(const QByteArray &ci, const QHash<QString, QByteArray> &files = {})
    {
        root = dir.filePath(QStringLiteral("project"));
        QDir().mkpath(root);
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
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
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
    void variables();
    void interrupt();
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
                            "pipeline 1: success\n"));
}

void TestRunCli::exitCodes_data()
{
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("summaryOrError");
    QTest::newRow("failure") << QByteArray("a:\n  script: exit 3\n") << QStringList() << 1
                             << "a test failed <t> 3\npipeline 1: failed\n";
    QTest::newRow("allowed failure")
        << QByteArray("a:\n  script: exit 3\n  allow_failure: true\n") << QStringList() << 0
        << "a test failed (allowed) <t> 3\npipeline 1: success\n";
    QTest::newRow("skipped after failure")
        << QByteArray("a:\n  script: exit 1\nb:\n  stage: deploy\n  script: echo\n")
        << QStringList() << 1 << "a test failed <t> 1\nb deploy skipped\npipeline 1: failed\n";
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
                                 << "a test success <t> 0\nb test manual\npipeline 1: success\n";
    QTest::newRow("--manual") << QByteArray("a:\n  script: echo\nb:\n  when: manual\n"
                                            "  script: echo\n")
                              << QStringList{QStringLiteral("--manual")} << 0
                              << "a test success <t> 0\nb test success <t> 0\n"
                                 "pipeline 1: success\n";
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
        QVERIFY2(normalized(r.out).endsWith(summaryOrError), qPrintable(r.out));
}

void TestRunCli::namedJobs()
{
    Project p("stages: [build, test]\n"
              "build:\n  stage: build\n  script: echo b\n"
              "lint:\n  stage: build\n  script: echo l\n"
              "test:\n  stage: test\n  needs: [build]\n  script: echo t\n");
    Result r = p.run({QStringLiteral("test")});
    QCOMPARE(r.code, 0);
    QVERIFY2(normalized(r.out).endsWith(
                 QStringLiteral("\njob stage status duration exit code\ntest test success <t> 0\n"
                                "pipeline 1: success\n")),
             qPrintable(r.out));
    r = p.run({p.root, QStringLiteral("test"), QStringLiteral("--needs")});
    QCOMPARE(r.code, 0);
    QVERIFY2(normalized(r.out).endsWith(
                 QStringLiteral("\njob stage status duration exit code\n"
                                "build build success <t> 0\ntest test success <t> 0\n"
                                "pipeline 2: success\n")),
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
    const QString out = normalized(QString::fromUtf8(cli.readAllStandardOutput()));
    QVERIFY2(out.endsWith(QStringLiteral("sleeper one canceled <t>\nnext two canceled\n"
                                         "pipeline 1: canceled\n")),
             qPrintable(out));
    QCOMPARE(QString::fromUtf8(cli.readAllStandardError()),
             QStringLiteral("stagecraft-cli: interrupted, canceling the pipeline\n"));
    // The sleep was killed with its job (a zombie until init collects it counts as dead).
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 5000);
}

QTEST_GUILESS_MAIN(TestRunCli)
#include "tst_runcli.moc"
