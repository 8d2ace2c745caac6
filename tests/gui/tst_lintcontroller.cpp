#include "lintcontroller.h"

#include "../unit/gitrepobuilder.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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

    void noProjectNoLint()
    {
        LintController lint;
        QSignalSpy started(&lint, &LintController::lintStarted);
        lint.lintNow();
        QCOMPARE(started.count(), 0);
        QVERIFY(!lint.isRunning());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestLintController)
#include "tst_lintcontroller.moc"
