#include "ci/linter.h"
#include "ci/scriptcheck.h"
#include "dockerfile/shellcheck.h"

#include <QTest>

using namespace stagecraft;

namespace {
struct Project
{
    QHash<QString, QByteArray> files;

    ci::ResolvedConfig resolve() const
    {
        ci::ResolveOptions options;
        options.projectRoot = QStringLiteral("/nonexistent-project");
        options.overlay = files;
        return ci::lint(options).config;
    }
    ci::FileTextProvider provider() const
    {
        const QHash<QString, QByteArray> copy = files;
        return [copy](const QString &file) { return copy.value(file); };
    }
};

const QByteArray mainText = ".t:\n"
                            "  before_script:\n"
                            "    - cd $DIR\n"
                            "default:\n"
                            "  after_script:\n"
                            "    - rm -rf $HOME/$X/*\n"
                            "job:\n"
                            "  extends: .t\n"
                            "  script:\n"
                            "    - |\n"
                            "      for f in $(ls *.txt); do\n"
                            "        echo $f\n"
                            "      done\n"
                            "    - \"echo `date`\"\n"
                            "other:\n"
                            "  extends: .t\n"
                            "  script: [make]\n"
                            "  after_script: [make clean]\n";
} // namespace

class TestScriptCheck : public QObject
{
    Q_OBJECT

private slots:
    void scriptsKeepTheirYamlPositions()
    {
        Project p;
        p.files.insert(QStringLiteral(".gitlab-ci.yml"), mainText);
        const QList<dockerfile::ShellScript> scripts = ci::jobScripts(p.resolve(), p.provider());
        // job: before_script+script, job: after_script (from default), other: main, other: after.
        QCOMPARE(scripts.size(), 4);
        const dockerfile::ShellScript &job = scripts.at(0);
        QCOMPARE(job.file, QStringLiteral(".gitlab-ci.yml"));
        QCOMPARE(job.text, QStringLiteral("cd $DIR\nfor f in $(ls *.txt); do\n  echo $f\ndone\n"
                                          "echo `date`\n"));
        const QList<diag::Position> expected = {{3, 7}, {11, 7}, {12, 7}, {13, 7}, {14, 8}};
        QCOMPARE(job.lineStarts, expected);
        QCOMPARE(scripts.at(1).text, QStringLiteral("rm -rf $HOME/$X/*\n"));
        QCOMPARE(scripts.at(1).lineStarts, (QList<diag::Position>{{6, 7}}));
    }

    void includedTemplateLinesStayInTheirFile()
    {
        Project p;
        p.files.insert(QStringLiteral(".gitlab-ci.yml"),
                       "include: ci/t.yml\njob:\n  extends: .t\n  script: [echo $1]\n");
        p.files.insert(QStringLiteral("ci/t.yml"), ".t:\n  before_script:\n    - cd $DIR\n");
        const QList<dockerfile::ShellScript> scripts = ci::jobScripts(p.resolve(), p.provider());
        QCOMPARE(scripts.size(), 2); // one per file
        QCOMPARE(scripts.at(0).file, QStringLiteral("ci/t.yml"));
        QCOMPARE(scripts.at(0).text, QStringLiteral("cd $DIR\n:\n"));
        QCOMPARE(scripts.at(0).lineStarts.at(0), (diag::Position{3, 7}));
        QCOMPARE(scripts.at(1).file, QStringLiteral(".gitlab-ci.yml"));
        QCOMPARE(scripts.at(1).text, QStringLiteral(":\necho $1\n"));
        QCOMPARE(scripts.at(1).lineStarts.at(1), (diag::Position{4, 12}));
    }

    void sharedTemplateCheckedOnce()
    {
        Project p;
        p.files.insert(QStringLiteral(".gitlab-ci.yml"),
                       ".t:\n  script: [cd $DIR]\na:\n  extends: .t\nb:\n  extends: .t\n");
        QCOMPARE(ci::jobScripts(p.resolve(), p.provider()).size(), 1);
    }

    void shellCheckFindingsAtYamlPositions()
    {
        const dockerfile::ShellCheck shellcheck;
        if (!shellcheck.isAvailable())
            QSKIP("shellcheck is not installed (Debian package shellcheck)");
        Project p;
        p.files.insert(QStringLiteral(".gitlab-ci.yml"), mainText);
        const diag::Diagnostics found =
            ci::shellCheckScripts(p.resolve(), p.provider(), shellcheck);
        auto has = [&](const char *code, int line, int column) {
            for (const diag::Diagnostic &d : found) {
                if (d.code == QLatin1String(code) && d.range.start.line == line &&
                    d.range.start.column == column)
                    return true;
            }
            return false;
        };
        // cd without || exit: no finding, job scripts run under set -e.
        QVERIFY(!has("SC2164", 3, 7));
        QVERIFY(has("SC2086", 3, 10));  // $DIR unquoted
        QVERIFY(has("SC2045", 11, 16)); // for over ls, inside the literal block
        QVERIFY(has("SC2006", 14, 13)); // backticks inside a quoted item
        QVERIFY(has("SC2115", 6, 14));  // default: after_script
        for (const diag::Diagnostic &d : found) {
            QVERIFY2(d.severity != diag::Severity::Error, qPrintable(d.message));
            QCOMPARE(d.file, QStringLiteral(".gitlab-ci.yml"));
        }
        // The template's findings once, not once per job that extends it.
        int unquoted = 0;
        for (const diag::Diagnostic &d : found)
            unquoted += d.code == u"SC2086" && d.range.start.line == 3 ? 1 : 0;
        QCOMPARE(unquoted, 1);
    }

    void missingShellCheckIsAnInfoNote()
    {
        const dockerfile::ShellCheck missing(QStringLiteral("/nonexistent/shellcheck"));
        Project p;
        p.files.insert(QStringLiteral(".gitlab-ci.yml"), mainText);
        const diag::Diagnostics found = ci::shellCheckScripts(p.resolve(), p.provider(), missing);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().severity, diag::Severity::Info);
        QCOMPARE(found.first().code, QStringLiteral("shellcheck-unavailable"));
    }
};

QTEST_GUILESS_MAIN(TestScriptCheck)
#include "tst_scriptcheck.moc"
