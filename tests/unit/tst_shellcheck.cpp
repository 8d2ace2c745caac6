#include "dockerfile/linter.h"
#include "dockerfile/parser.h"
#include "dockerfile/shellcheck.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace stagecraft;
using namespace stagecraft::dockerfile;

namespace {

QStringList render(const diag::Diagnostics &all, bool onlyShellCheck = true)
{
    QStringList out;
    for (const auto &d : all) {
        if (onlyShellCheck && !d.code.startsWith(u"SC"))
            continue;
        out << QStringLiteral("%1 %2:%3-%4:%5 %6")
                   .arg(d.code)
                   .arg(d.range.start.line)
                   .arg(d.range.start.column)
                   .arg(d.range.end.line)
                   .arg(d.range.end.column)
                   .arg(diag::severityName(d.severity));
    }
    return out;
}

} // namespace

class TestShellCheck : public QObject
{
    Q_OBJECT

private slots:
    void findingsMapToDockerfileLines_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("SC2086 on a continued RUN")
            << QStringLiteral(
                   "FROM debian:12\nARG DIR\nRUN echo start \\\n    # comment\n    && ls $DIR\n")
            << QStringList{QStringLiteral("SC2086 5:11-5:15 info")};
        QTest::newRow("undeclared variable")
            << QStringLiteral("FROM debian:12\nRUN echo \"$unset\"\n")
            << QStringList{QStringLiteral("SC2154 2:11-2:17 warning")};
        QTest::newRow("ENV names are declared")
            << QStringLiteral("FROM debian:12\nENV APP=/app\nRUN echo \"$APP\"\n") << QStringList();
        QTest::newRow("heredoc body lines")
            << QStringLiteral("FROM debian:12\nARG dir\nRUN <<EOF\necho start\n\tcd $dir\nEOF\n")
            << QStringList{QStringLiteral("SC2164 5:2-5:9 warning"),
                           QStringLiteral("SC2086 5:5-5:9 info")};
        QTest::newRow("bashism in sh")
            << QStringLiteral("FROM debian:12\nRUN [[ -f /x ]] && echo y\n")
            << QStringList{QStringLiteral("SC3010 2:5-2:16 warning")};
        QTest::newRow("SHELL bash")
            << QStringLiteral(
                   "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [[ -f /x ]] && echo y\n")
            << QStringList();
        QTest::newRow("powershell is skipped")
            << QStringLiteral("FROM windows:1\nSHELL [\"powershell\", \"-Command\"]\nRUN echo $x\n")
            << QStringList();
        QTest::newRow("Windows images default to cmd")
            << QStringLiteral(
                   "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo %PATH% $x\n")
            << QStringList();
        QTest::newRow("backtick escape means Windows")
            << QStringLiteral("# escape=`\nFROM base:1\nRUN echo $x\n") << QStringList();
        QTest::newRow("exec form is skipped")
            << QStringLiteral("FROM debian:12\nRUN [\"sh\", \"-c\", \"echo $x\"]\n")
            << QStringList();
        QTest::newRow("hadolint ignore works for SC codes")
            << QStringLiteral(
                   "FROM debian:12\nARG DIR\n# hadolint ignore=SC2086\nRUN ls $DIR\nRUN ls $DIR\n")
            << QStringList{QStringLiteral("SC2086 5:8-5:12 info")};
        QTest::newRow("ONBUILD RUN")
            << QStringLiteral("FROM debian:12\nARG DIR\nONBUILD RUN ls $DIR\n")
            << QStringList{QStringLiteral("SC2086 3:16-3:20 info")};
        QTest::newRow("ONBUILD RUN heredoc")
            << QStringLiteral("FROM debian:12\nARG D\nONBUILD RUN <<EOF\necho start\nls $D\nEOF\n")
            << QStringList{QStringLiteral("SC2086 5:4-5:6 info")};
        QTest::newRow("command with heredoc")
            << QStringLiteral("FROM debian:12\nARG D\nRUN cat <<EOF > $D\nhello\nEOF\n")
            << QStringList{QStringLiteral("SC2086 3:17-3:19 info")};
    }

    void findingsMapToDockerfileLines()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const ShellCheck shellcheck;
        if (!shellcheck.isAvailable())
            QSKIP("the shellcheck binary is not installed");
        const Dockerfile df = Parser::parse(text, QStringLiteral("Dockerfile"));
        const auto all = lintWithShellCheck(df, {}, &shellcheck);
        QCOMPARE(render(all), expected);
        for (const auto &d : all)
            QCOMPARE(d.file, QStringLiteral("Dockerfile"));
    }

    void asyncGivesTheSameResult()
    {
        const ShellCheck shellcheck;
        if (!shellcheck.isAvailable())
            QSKIP("the shellcheck binary is not installed");
        const Dockerfile df =
            Parser::parse(QStringLiteral("FROM debian:12\nARG D\nRUN ls $D\nRUN cd /x\n"),
                          QStringLiteral("Dockerfile"));
        const auto scripts = Linter::shellScripts(df);
        QCOMPARE(scripts.size(), 2);
        auto future = shellcheck.checkAsync(scripts);
        future.waitForFinished();
        QCOMPARE(render(future.result()), render(shellcheck.check(scripts)));
        QCOMPARE(render(future.result()), (QStringList{QStringLiteral("SC2086 3:8-3:10 info"),
                                                       QStringLiteral("SC2164 4:5-4:10 warning")}));
    }

    /// Other sources (CI scripts) give their own line starts.
    void genericScripts()
    {
        const ShellCheck shellcheck;
        if (!shellcheck.isAvailable())
            QSKIP("the shellcheck binary is not installed");
        ShellScript s;
        s.file = QStringLiteral(".gitlab-ci.yml");
        s.text = QStringLiteral("echo ok\nls $X\n");
        s.lineStarts = {{10, 7}, {11, 7}};
        s.variables = {QStringLiteral("X")};
        QCOMPARE(render(shellcheck.check({s})),
                 QStringList{QStringLiteral("SC2086 11:10-11:12 info")});
    }

    void missingBinaryIsANote()
    {
        const ShellCheck missing(QStringLiteral("/nonexistent/shellcheck"));
        QVERIFY(!missing.isAvailable());
        QVERIFY(missing.check({ShellScript{}}).isEmpty());
        const Dockerfile df = Parser::parse(QStringLiteral("FROM debian:12\nRUN ls $D\n"),
                                            QStringLiteral("Dockerfile"));
        const auto all = lintWithShellCheck(df, {}, &missing);
        QCOMPARE(render(all, false),
                 QStringList{QStringLiteral("shellcheck-unavailable 2:5-2:5 info")});
        QVERIFY(!diag::hasErrors(all));
        // Disabled on purpose (--no-shellcheck): no note either.
        QCOMPARE(render(lintWithShellCheck(df, {}, nullptr), false), QStringList());
    }

    /// A hung ShellCheck is killed at the deadline and reported as one info note.
    void timeout()
    {
        QTemporaryDir dir;
        const QString fake = dir.filePath(QStringLiteral("shellcheck"));
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 9.9'; exit 0; fi\n"
                "exec sleep 30\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const ShellCheck slow(fake);
        QVERIFY(slow.isAvailable());
        QCOMPARE(slow.version(), QStringLiteral("9.9"));
        ShellScript s;
        s.file = QStringLiteral("Dockerfile");
        s.text = QStringLiteral("ls\n");
        s.lineStarts = {{4, 5}};
        QElapsedTimer timer;
        timer.start();
        const auto found = slow.check({s, s}, 300);
        QVERIFY2(timer.elapsed() < 5000, "the deadline was not kept");
        QCOMPARE(found.size(), 1);
        for (const auto &d : found) {
            QCOMPARE(d.code, QStringLiteral("shellcheck-timeout"));
            QCOMPARE(d.severity, diag::Severity::Info);
            QCOMPARE(d.range.start, (diag::Position{4, 5}));
        }
    }

    void mapping()
    {
        ShellScript s;
        s.file = QStringLiteral("Dockerfile");
        s.text = QStringLiteral("a\nb\n");
        s.lineStarts = {{3, 5}, {4, 3}};
        const QByteArray json = R"({"comments":[
            {"line":1,"endLine":1,"column":1,"endColumn":2,"level":"style","code":2001,"message":"p"},
            {"line":2,"endLine":2,"column":2,"endColumn":4,"level":"error","code":1000,"message":"m"},
            {"line":3,"endLine":3,"column":1,"endColumn":2,"level":"warning","code":2086,"message":"x"},
            {"line":3,"endLine":3,"column":1,"endColumn":2,"level":"warning","code":1091,"message":"s"}]})";
        const auto found = ShellCheck::mapFindings(json, s, 1, {QStringLiteral("SC1091")});
        QCOMPARE(render(found), (QStringList{QStringLiteral("SC1000 3:6-3:8 error"),
                                             QStringLiteral("SC2086 4:3-4:4 warning")}));
        QCOMPARE(found.first().message, QStringLiteral("m"));
    }
};

QTEST_GUILESS_MAIN(TestShellCheck)
#include "tst_shellcheck.moc"
