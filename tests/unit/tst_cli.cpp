#include "gitrepobuilder.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList &args, const QString &cwd = {})
{
    QProcess p;
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
    p.start(QStringLiteral(STAGECRAFT_CLI_PATH), args);
    p.waitForFinished(60000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

void write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void usage()
    {
        QCOMPARE(cli({}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("lint")}).exitCode, 2);
        QCOMPARE(cli({QStringLiteral("lint"), QStringLiteral("--format"), QStringLiteral("xml"),
                      QStringLiteral(".")})
                     .exitCode,
                 2);
        QCOMPARE(cli({QStringLiteral("--help")}).exitCode, 0);
    }

    void missingPath()
    {
        const Run r = cli({QStringLiteral("lint"), QStringLiteral("/nonexistent/x.yml")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no such file"));
    }

    void cleanProjectExitsZero()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral(".gitlab-ci.yml")), "build:\n  script: make\n");
        const Run r = cli({QStringLiteral("lint"), dir.path()});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray());
    }

    void syntaxErrorExitsOne()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral(".gitlab-ci.yml")), "build:\n  script: [make\n");
        const Run text = cli({QStringLiteral("lint"), QStringLiteral(".gitlab-ci.yml")}, dir.path());
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.startsWith(".gitlab-ci.yml:2:11: error: this flow sequence"), text.out.constData());
        QVERIFY(text.out.contains(": error: "));

        const Run json = cli({QStringLiteral("lint"), QStringLiteral("--format=json"),
                              QStringLiteral(".")},
                             dir.path());
        QCOMPARE(json.exitCode, 1);
        const QJsonArray d = QJsonDocument::fromJson(json.out)
                                 .object()
                                 .value(QStringLiteral("diagnostics"))
                                 .toArray();
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.at(0).toObject().value(QStringLiteral("file")).toString(),
                 QStringLiteral(".gitlab-ci.yml"));
        QCOMPARE(d.at(0).toObject().value(QStringLiteral("code")).toString(),
                 QStringLiteral("yaml-syntax"));

        const Run cq = cli({QStringLiteral("lint"), QStringLiteral("--format"),
                            QStringLiteral("codequality"), QStringLiteral(".")},
                           dir.path());
        QCOMPARE(cq.exitCode, 1);
        QVERIFY(QJsonDocument::fromJson(cq.out).isArray());
    }

    void includeRulesSeeTheCheckedOutBranch()
    {
        // An include that only applies on the default branch: linted on `main` it is read (and
        // here reported missing); outside a repository no branch is known and it is skipped.
        const QByteArray config = "include:\n"
                                  "  - local: main-only.yml\n"
                                  "    rules:\n"
                                  "      - if: $CI_COMMIT_BRANCH == \"main\"\n"
                                  "job:\n  script: make\n";
        QTemporaryDir repoDir;
        {
            gittest::RepoBuilder repo(repoDir.path(), "main");
            repo.write(QStringLiteral(".gitlab-ci.yml"), config);
            repo.commit("ci");
        }
        const Run onMain = cli({QStringLiteral("lint"), QStringLiteral("--no-shellcheck"),
                                repoDir.path()});
        QCOMPARE(onMain.exitCode, 1);
        QVERIFY2(onMain.out.contains("Local file `main-only.yml` does not exist!"),
                 onMain.out.constData());

        QTemporaryDir plain;
        write(plain.filePath(QStringLiteral(".gitlab-ci.yml")), config);
        const Run outside = cli({QStringLiteral("lint"), QStringLiteral("--no-shellcheck"),
                                 plain.path()});
        QCOMPARE(outside.exitCode, 0);
    }

    void configPrintsMergedYaml()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral(".gitlab-ci.yml")),
              ".base: &b\n  image: alpine\nbuild:\n  <<: *b\n  script: make\n");
        const Run r = cli({QStringLiteral("config"), dir.path()});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("build:\n  image: alpine\n  script: make\n") || r.out.contains("build:\n  script: make\n  image: alpine\n"),
                 r.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
