#include "../unit/gitrepobuilder.h"
#include "lintcontroller.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace stagecraft;
using gui::LintController;

namespace {
const QByteArray broken = "stages: [build, test\n\nbuild:\n  script: make\n";
const QByteArray valid = "stages: [build, test]\n\nbuild:\n  script: make\n";
const QString mainFile = QStringLiteral(".gitlab-ci.yml");

diag::Diagnostics lastDiagnostics(const QSignalSpy &spy)
{
    return spy.last().at(0).value<diag::Diagnostics>();
}

diag::Diagnostics withCode(const diag::Diagnostics &all, QStringView code)
{
    diag::Diagnostics out;
    for (const diag::Diagnostic &d : all) {
        if (d.code == code)
            out.append(d);
    }
    return out;
}

bool hasShellCheck()
{
    return !QStandardPaths::findExecutable(QStringLiteral("shellcheck")).isEmpty();
}

/// `count` jobs whose scripts each have an unquoted variable (SC2086) on line 3 + 3 * i.
QByteArray unquotedJobs(int count, int fixed = -1)
{
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        out += "job" + QByteArray::number(i) + ":\n  script:\n";
        out += i == fixed ? QByteArray("    - echo fixed\n")
                          : QByteArray("    - echo $foo" + QByteArray::number(i) + "\n");
    }
    return out;
}

/// Lints now and waits until both stages are done (no pass in flight or queued).
bool lintAndSettle(LintController &lint)
{
    lint.lintNow();
    QDeadlineTimer deadline(30000);
    while (lint.isRunning() || lint.isCheckingScripts()) {
        if (deadline.hasExpired())
            return false;
        QTest::qWait(10);
    }
    return true;
}
} // namespace

class TestLintController : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QFile file(m_dir.filePath(mainFile));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }

    void lintsTheFileOnDisk()
    {
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.lintNow();
        QVERIFY(lint.isRunning());
        QVERIFY(ready.wait(10000));
        const diag::Diagnostics d = lastDiagnostics(ready);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.at(0).code, u"yaml-syntax");
        QCOMPARE(d.at(0).message, u"this flow sequence '[' is never closed");
        QCOMPARE(d.at(0).range.start, (diag::Position{1, 9})); // the unclosed bracket
        QVERIFY(!lint.isRunning());
    }

    void overlayWinsOverDisk()
    {
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, valid);
        QVERIFY(ready.wait(10000));
        QVERIFY(lastDiagnostics(ready).isEmpty());
    }

    void editsAreDebounced()
    {
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QCOMPARE(lint.delay(), LintController::defaultDelayMs);
        QSignalSpy started(&lint, &LintController::lintStarted);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, broken);
        lint.setBuffer(mainFile, broken + "# edit\n");
        lint.setBuffer(mainFile, valid);
        QCOMPARE(started.count(), 0); // nothing before the delay
        QVERIFY(ready.wait(10000));
        QCOMPARE(started.count(), 1);
        QCOMPARE(ready.count(), 1);
        QVERIFY(lastDiagnostics(ready).isEmpty());
    }

    void staleResultsAreDropped()
    {
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy started(&lint, &LintController::lintStarted);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, broken);
        lint.lintNow();
        QVERIFY(lint.isRunning());
        // A newer snapshot while the first run is in flight: it waits, the first is dropped.
        lint.setBuffer(mainFile, valid);
        lint.lintNow();
        QCOMPARE(started.count(), 1);
        QVERIFY(ready.wait(10000));
        // Runs are sequential, so when the newest result arrives the first one is done too.
        QCOMPARE(started.count(), 2);
        QCOMPARE(ready.count(), 1);
        QVERIFY(lastDiagnostics(ready).isEmpty());
        QCOMPARE(started.last().at(0).toULongLong(), lint.generation());
    }

    void switchingProjectDropsTheRunInFlight()
    {
        QTemporaryDir other;
        QVERIFY(other.isValid());
        QFile file(other.filePath(mainFile));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(valid);
        file.close();

        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.lintNow();
        lint.setProject(other.path(), mainFile);
        lint.lintNow();
        QVERIFY(ready.wait(10000));
        QCOMPARE(ready.count(), 1);
        QVERIFY(lastDiagnostics(ready).isEmpty());
        QCOMPARE(lint.projectRoot(), other.path());
    }

    void includeRulesSeeTheCheckedOutBranch()
    {
        QTemporaryDir repoDir;
        {
            gittest::RepoBuilder repo(repoDir.path(), "main");
            repo.write(QStringLiteral(".gitlab-ci.yml"),
                       "include:\n  - local: main-only.yml\n    rules:\n"
                       "      - if: $CI_COMMIT_BRANCH == \"main\"\njob:\n  script: make\n");
            repo.commit("ci");
        }
        LintController lint;
        lint.setProject(repoDir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.lintNow();
        QVERIFY(ready.wait(10000));
        const diag::Diagnostics d = lastDiagnostics(ready);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.at(0).message, u"Local file `main-only.yml` does not exist!");
    }

    // ---- ShellCheck on the job scripts (second stage) ---------------------------------------

    void shellCheckFindingAtTheYamlPosition_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("endColumn");
        // `- echo $foo`: the item starts at column 7, `$foo` is its 6th character.
        QTest::newRow("sequence item")
            << QByteArray("job:\n  script:\n    - echo $foo\n") << 3 << 12 << 16;
        QTest::newRow("plain scalar") << QByteArray("job:\n  script: echo $foo\n") << 2 << 16 << 20;
        QTest::newRow("double quoted")
            << QByteArray("job:\n  script: \"echo $foo\"\n") << 2 << 17 << 21;
        QTest::newRow("literal block, second line")
            << QByteArray("job:\n  script:\n    - |\n      set -e\n      rm -rf $dir/x\n") << 5
            << 14 << 18;
        QTest::newRow("inherited from default: before_script")
            << QByteArray("default:\n  before_script:\n    - cd $foo\njob:\n  script: make\n") << 3
            << 10 << 14;
        QTest::newRow("after_script")
            << QByteArray("job:\n  script: make\n  after_script:\n    - echo $foo\n") << 4 << 12
            << 16;
        QTest::newRow("extends")
            << QByteArray(".tpl:\n  script:\n    - echo $foo\njob:\n  extends: .tpl\n") << 3 << 12
            << 16;
        QTest::newRow("!reference") << QByteArray(".snip:\n  s:\n    - echo $foo\n"
                                                  "job:\n  script:\n    - !reference [.snip, s]\n")
                                    << 3 << 12 << 16;
    }

    void shellCheckFindingAtTheYamlPosition()
    {
        if (!hasShellCheck())
            QSKIP("shellcheck is not installed");
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(int, endColumn);
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        QSignalSpy checked(&lint, &LintController::scriptsChecked);
        lint.setBuffer(mainFile, text);
        QVERIFY(lintAndSettle(lint));
        // First the GitLab result without the script, then everything.
        QCOMPARE(ready.count(), 2);
        QCOMPARE(checked.count(), 1);
        QCOMPARE(withCode(ready.first().at(0).value<diag::Diagnostics>(), u"SC2086").size(), 0);
        const diag::Diagnostics found = withCode(lastDiagnostics(ready), u"SC2086");
        QCOMPARE(found.size(), 1); // once, though several jobs may inherit it
        const diag::Diagnostic &d = found.first();
        QCOMPARE(d.file, mainFile);
        QCOMPARE(d.range.start, (diag::Position{line, column}));
        QCOMPARE(d.range.end, (diag::Position{line, endColumn}));
        QCOMPARE(d.severity, diag::Severity::Info);
        QCOMPARE(d.message, u"Double quote to prevent globbing and word splitting.");
        QCOMPARE(d.hint, u"ShellCheck wiki: https://www.shellcheck.net/wiki/SC2086");
    }

    void fixingTheScriptClearsTheFinding()
    {
        if (!hasShellCheck())
            QSKIP("shellcheck is not installed");
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, "job:\n  script:\n    - echo $FOO\n");
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(withCode(lastDiagnostics(ready), u"SC2086").size(), 1);
        lint.setBuffer(mainFile, "job:\n  script:\n    - echo \"$FOO\"\n");
        QVERIFY(lintAndSettle(lint));
        QVERIFY(lastDiagnostics(ready).isEmpty());
    }

    void includedFileFindingsCarryTheirFile()
    {
        if (!hasShellCheck())
            QSKIP("shellcheck is not installed");
        QFile inc(m_dir.filePath(QStringLiteral("jobs.yml")));
        QVERIFY(inc.open(QIODevice::WriteOnly));
        inc.write("# included\nbuild:\n  script:\n    - |\n      make\n      cp $out /tmp\n");
        inc.close();
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, "include: jobs.yml\ndefault:\n  before_script: cd $HOME\n");
        QVERIFY(lintAndSettle(lint));
        const diag::Diagnostics d = lastDiagnostics(ready);
        const diag::Diagnostics in = withCode(d, u"SC2086");
        QCOMPARE(in.size(), 2);
        // Sorted by file: the main file's inherited before_script, then the included script.
        QCOMPARE(in.at(0).file, mainFile);
        QCOMPARE(in.at(0).range.start, (diag::Position{3, 21}));
        QCOMPARE(in.at(1).file, u"jobs.yml");
        QCOMPARE(in.at(1).range.start, (diag::Position{6, 10}));
    }

    void settingOffGivesNoFindings()
    {
        LintController lint;
        int runs = 0;
        lint.scriptChecker().setCheck([&runs](const QList<dockerfile::ShellScript> &) {
            ++runs;
            return diag::Diagnostics{};
        });
        lint.setShellCheck(false);
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, "job:\n  script:\n    - echo $foo\n");
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(ready.count(), 1);
        QVERIFY(lastDiagnostics(ready).isEmpty());
        QCOMPARE(runs, 0);
        QCOMPARE(lint.scriptChecker().scriptsChecked(), 0);
    }

    void missingShellCheckIsOneInfoNote()
    {
        LintController lint;
        lint.scriptChecker().setProgram(QStringLiteral("/nonexistent/shellcheck"));
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, "a:\n  script: echo $foo\nb:\n  script: echo $bar\n");
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(ready.count(), 1);
        const diag::Diagnostics d = lastDiagnostics(ready);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.at(0).severity, diag::Severity::Info);
        QCOMPARE(d.at(0).code, u"shellcheck-unavailable");
        QCOMPARE(d.at(0).message, u"ShellCheck is not installed: the job scripts are not checked");
        QCOMPARE(d.at(0).range.start, (diag::Position{2, 11}));
    }

    void unchangedScriptsComeFromTheCache()
    {
        if (!hasShellCheck())
            QSKIP("shellcheck is not installed");
        LintController lint;
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        QSignalSpy checked(&lint, &LintController::scriptsChecked);
        const ScriptCounter counter(lint);
        lint.setBuffer(mainFile, unquotedJobs(20));
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(counter.scripts(), 20);
        QCOMPARE(withCode(lastDiagnostics(ready), u"SC2086").size(), 20);

        // Fixing one job's script checks that script only.
        lint.setBuffer(mainFile, unquotedJobs(20, 7));
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(counter.scripts(), 21);
        QCOMPARE(withCode(lastDiagnostics(ready), u"SC2086").size(), 19);

        // Moving every script down a line checks nothing: the cached findings move with them,
        // and they come with the first result already.
        const qsizetype before = ready.count();
        const qsizetype checkedBefore = checked.count();
        lint.setBuffer(mainFile, "# moved\n" + unquotedJobs(20, 7));
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(counter.scripts(), 21);
        QCOMPARE(ready.count(), before + 1);
        QCOMPARE(checked.count(), checkedBefore);
        const diag::Diagnostics moved = withCode(lastDiagnostics(ready), u"SC2086");
        QCOMPARE(moved.size(), 19);
        QCOMPARE(moved.first().range.start, (diag::Position{4, 12})); // job0's `$foo0`
    }

    void aNewerEditSupersedesARunningCheck()
    {
        if (!hasShellCheck())
            QSKIP("shellcheck is not installed");
        LintController lint;
        // A slow ShellCheck: every batch of (at most 4) scripts takes 300 ms longer.
        std::atomic<int> scripts{0};
        const dockerfile::ShellCheck real;
        lint.scriptChecker().setCheck([&scripts, real](const QList<dockerfile::ShellScript> &s) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            scripts += int(s.size());
            return real.check(s);
        });
        lint.setProject(m_dir.path(), mainFile);
        QSignalSpy started(&lint, &LintController::lintStarted);
        QSignalSpy ready(&lint, &LintController::diagnosticsReady);
        lint.setBuffer(mainFile, unquotedJobs(12));
        lint.lintNow();
        QVERIFY(ready.wait(10000));
        QVERIFY(lint.isCheckingScripts()); // the 12 scripts are on their way
        // job0 fixed while ShellCheck runs on the old text.
        lint.setBuffer(mainFile, unquotedJobs(12, 0));
        QVERIFY(lintAndSettle(lint));
        QCOMPARE(started.count(), 2);

        // The old pass never shows: the old text's GitLab result, then the newest text's GitLab
        // result and its ShellCheck result, which have nothing on job0's line.
        QCOMPARE(ready.count(), 3);
        for (qsizetype i = 1; i < ready.count(); ++i) {
            for (const diag::Diagnostic &d : ready.at(i).at(0).value<diag::Diagnostics>())
                QVERIFY2(d.range.start.line != 3, qPrintable(d.message));
        }
        QCOMPARE(withCode(lastDiagnostics(ready), u"SC2086").size(), 11);
        // The old pass stopped after its batch in flight (or before it): 12 scripts at most for
        // the old text, and the new pass checks only what the old one had not.
        QVERIFY2(scripts <= 4 + 9, qPrintable(QString::number(scripts)));
        QVERIFY(lint.scriptChecker().scriptsChecked() == scripts);
        // Unchanged or not: everything ends up cached.
        QVERIFY(lint.scriptChecker().cacheSize() >= 12);
    }

    void noProjectNoLint()
    {
        LintController lint;
        QSignalSpy started(&lint, &LintController::lintStarted);
        lint.lintNow();
        QCOMPARE(started.count(), 0);
        QVERIFY(!lint.isRunning());
    }

private:
    /// Counts the scripts handed to ShellCheck through the controller's injectable check.
    class ScriptCounter
    {
    public:
        explicit ScriptCounter(LintController &lint)
        {
            const dockerfile::ShellCheck real;
            auto count = m_count;
            lint.scriptChecker().setCheck([count, real](const QList<dockerfile::ShellScript> &s) {
                *count += int(s.size());
                return real.check(s);
            });
        }
        int scripts() const { return *m_count; }

    private:
        std::shared_ptr<std::atomic<int>> m_count = std::make_shared<std::atomic<int>>(0);
    };

    QTemporaryDir m_dir;
};

QTEST_MAIN(TestLintController)
#include "tst_lintcontroller.moc"
