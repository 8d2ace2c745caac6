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

Run cli(const QStringList &args, const QString &cwd)
{
    QProcess p;
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

/// file:line:code of every finding in the JSON report.
QStringList findings(const QByteArray &json)
{
    QStringList out;
    const QJsonArray all = QJsonDocument::fromJson(json).object().value(u"diagnostics").toArray();
    for (const QJsonValue &v : all) {
        const QJsonObject o = v.toObject();
        out << QStringLiteral("%1:%2:%3")
                   .arg(o.value(u"file").toString())
                   .arg(o.value(u"line").toInt())
                   .arg(o.value(u"code").toString());
    }
    out.sort();
    return out;
}
} // namespace

/// `stagecraft-cli lint` on Dockerfiles: discovery, formats, exit codes, --no-shellcheck.
class TestCliDockerfile : public QObject
{
    Q_OBJECT

private slots:
    void discovery()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("Dockerfile")), "FROM a:1\nMAINTAINER me\n");
        write(dir.filePath(QStringLiteral("sub/api.Dockerfile")), "FROM a:1\nWORKDIR app\n");
        write(dir.filePath(QStringLiteral("sub/Dockerfile.dev")), "FROM a:1\nCMD x\n");
        write(dir.filePath(QStringLiteral("a/b/Containerfile")), "FROM a:1\nEXPOSE 99999\n");
        write(dir.filePath(QStringLiteral("node_modules/x/Dockerfile")), "FROM a:1\nWORKDIR x\n");
        write(dir.filePath(QStringLiteral("build/Dockerfile")), "FROM a:1\nWORKDIR x\n");
        write(dir.filePath(QStringLiteral(".git/Dockerfile")), "FROM a:1\nWORKDIR x\n");
        write(dir.filePath(QStringLiteral("notes.txt")), "FROM\n");
        write(dir.filePath(QStringLiteral("Dockerfile.dockerignore")), "FROM\n");
        const Run r = cli({QStringLiteral("lint"), QStringLiteral("--format=json"),
                           QStringLiteral("--no-shellcheck"), QStringLiteral(".")},
                          dir.path());
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(findings(r.out),
                 (QStringList{QStringLiteral("Dockerfile:2:DL4000"),
                              QStringLiteral("Dockerfile:2:MaintainerDeprecated"),
                              QStringLiteral("a/b/Containerfile:2:DL3011"),
                              QStringLiteral("sub/Dockerfile.dev:2:DL3025"),
                              QStringLiteral("sub/Dockerfile.dev:2:JSONArgsRecommended"),
                              QStringLiteral("sub/api.Dockerfile:2:DL3000"),
                              QStringLiteral("sub/api.Dockerfile:2:WorkdirRelativePath")}));
    }

    void singleFileAndExitCodes()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("Dockerfile")), "FROM a:1\nCMD [\"x\"]\n");
        write(dir.filePath(QStringLiteral("bad.Dockerfile")), "FROM a:1\nFOO x\n");
        const Run clean = cli({QStringLiteral("lint"), QStringLiteral("Dockerfile")}, dir.path());
        QCOMPARE(clean.exitCode, 0);
        QCOMPARE(clean.out, QByteArray());
        const Run bad = cli({QStringLiteral("lint"), QStringLiteral("--no-shellcheck"),
                             QStringLiteral("bad.Dockerfile")},
                            dir.path());
        QCOMPARE(bad.exitCode, 1);
        QCOMPARE(bad.out, QByteArray("bad.Dockerfile:2:1: error: unknown instruction: FOO "
                                     "[unknown-instruction]\n  hint: did you mean FROM?\n"));
        const Run cq = cli({QStringLiteral("lint"), QStringLiteral("--format"),
                            QStringLiteral("codequality"), QStringLiteral("bad.Dockerfile")},
                           dir.path());
        QCOMPARE(cq.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(cq.out).array().size(), 1);
    }

    void shellcheckOnRun()
    {
        QTemporaryDir dir;
        write(dir.filePath(QStringLiteral("Dockerfile")), "FROM a:1\nARG D\nRUN ls $D\n");
        const Run with = cli(
            {QStringLiteral("lint"), QStringLiteral("--format=json"), QStringLiteral("Dockerfile")},
            dir.path());
        QCOMPARE(with.exitCode, 0);
        const QStringList got = findings(with.out);
        QVERIFY(got == QStringList{QStringLiteral("Dockerfile:3:SC2086")} ||
                got == QStringList{QStringLiteral("Dockerfile:3:shellcheck-unavailable")});
        const Run without = cli({QStringLiteral("lint"), QStringLiteral("--format=json"),
                                 QStringLiteral("--no-shellcheck"), QStringLiteral("Dockerfile")},
                                dir.path());
        QCOMPARE(findings(without.out), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestCliDockerfile)
#include "tst_cli_dockerfile.moc"
