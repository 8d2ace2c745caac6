// Running pipelines from the IDE: a real pipeline on the shell executor in a temporary git
// project, started from the window; the graph's cards, the jobs panel and the job log follow it;
// cancel stops a running job. With STAGECRAFT_SCREENSHOTS=DIR, screenshot() writes DIR/run.png.

#include "../unit/gitrepobuilder.h"
#include "graphpanel.h"
#include "jobspanel.h"
#include "logview.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "settings.h"

#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using stagecraft::exec::JobStatus;
using stagecraft::exec::PipelineStatus;
using namespace stagecraft::gui;
namespace exec = stagecraft::exec;

namespace {

const QByteArray twoJobs = R"(stages: [build, test]

build:
  stage: build
  script:
    - echo "hello from build"
    - echo "built" > out.txt

test:
  stage: test
  script:
    - echo "testing on $CI_COMMIT_REF_NAME"
    - printf '\033[32;1mall tests passed\033[0m\n'
)";

const QByteArray slowJob = R"(slow:
  script:
    - echo "started"
    - sleep 60
    - echo "never printed"
)";

/// What the screenshot shows: success, an allowed failure, a manual job, a failure, coloured
/// output with sections.
const QByteArray showcase = R"(stages: [build, test, deploy]

compile:
  stage: build
  script:
    - echo "Compiling 42 sources"
    - for i in 1 2 3; do printf '\033[36m[%d/3]\033[0m cc module_%d.c\n' $i $i; done
    - printf '\033[32;1mBuild succeeded\033[0m\n'

unit tests:
  stage: test
  needs: [compile]
  script:
    - printf '\033[1m\033[42m PASS \033[49m\033[22m src/parser.test.ts\n'
    - printf '\033[1m\033[42m PASS \033[49m\033[22m src/layout.test.ts\n'
    - printf 'Tests \033[1m\033[32m41 passed\033[39m\033[22m, 41 total\n'

lint:
  stage: test
  allow_failure: true
  script:
    - printf '\033[33mwarning:\033[0m unused variable x\n'
    - exit 1

integration:
  stage: test
  script:
    - printf '\033[31;1mERROR:\033[0m connection refused\n'
    - exit 3

e2e:
  stage: test
  script:
    - echo "Starting the browser"
    - sleep 60

review app:
  stage: test
  when: manual
  script: echo reviewing

deploy:
  stage: deploy
  script: echo deploying
)";

QString jobText(const JobsPanel *panel, int id, int column)
{
    QTreeWidgetItem *item = panel->itemFor(id);
    return item ? item->text(column) : QString();
}

bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) != "Z"; // a zombie is dead already
}

bool logContains(LogView *view, const QString &text)
{
    for (qint64 row = 0; row < view->rowCount(); ++row) {
        if (view->parsedLine(view->lineAtRow(row)).text.contains(text))
            return true;
    }
    return false;
}

} // namespace

class TestRunUi : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_data;

    std::unique_ptr<MainWindow> openWindow(const QString &root)
    {
        auto w = std::make_unique<MainWindow>();
        w->setRunDataDir(m_data.path());
        w->resize(1400, 900);
        w->show();
        if (!QTest::qWaitForWindowExposed(w.get()))
            return {};
        QSignalSpy drawn(w->graphPanel(), &GraphPanel::redrawn);
        if (!w->openProject(root))
            return {};
        QElapsedTimer t;
        t.start();
        while (w->graphPanel()->plannedJobs().isEmpty() && t.elapsed() < 30000)
            drawn.wait(1000);
        return w;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StagecraftTest"_qs);
        QCoreApplication::setApplicationName(u"tst_runui"_qs);
        QSettings().clear();
        Settings s = Settings::load();
        s.executor = u"shell"_qs;
        s.save();
        QVERIFY(m_data.isValid());
    }

    void runPipelineFromTheWindow()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, twoJobs);
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        QCOMPARE(w->graphPanel()->plannedJobs(), (QStringList{u"build"_qs, u"test"_qs}));
        QVERIFY(w->runPipelineAction()->isEnabled());
        QVERIFY(!w->cancelPipelineAction()->isEnabled());

        RunController *runs = w->runController();
        QSignalSpy finished(runs, &RunController::finished);
        QSignalSpy changed(runs, &RunController::jobChanged);
        w->runPipelineAction()->trigger();
        QVERIFY(runs->isRunning());
        QVERIFY(!w->runPipelineAction()->isEnabled());
        QVERIFY(finished.wait(120000));
        QCOMPARE(runs->status(), PipelineStatus::Success);
        QVERIFY(!runs->isRunning());
        QVERIFY(w->runPipelineAction()->isEnabled());
        QVERIFY(changed.size() >= 4); // each job went through several states

        // The cards show GitLab's states.
        QCOMPARE(w->graphPanel()->jobStatus(u"build"_qs), JobStatus::Success);
        QCOMPARE(w->graphPanel()->cardStatus(u"test"_qs), JobStatus::Success);

        // The jobs panel lists both jobs, with stage, status and duration.
        const exec::JobRecord *build = runs->job(u"build"_qs);
        const exec::JobRecord *test = runs->job(u"test"_qs);
        QVERIFY(build && test);
        QVERIFY2(build->log->path().startsWith(m_data.path()), qPrintable(build->log->path()));
        JobsPanel *panel = w->jobsPanel();
        QCOMPARE(panel->tree()->topLevelItemCount(), 2);
        QCOMPARE(jobText(panel, build->id, JobsPanel::NameColumn), u"build");
        QCOMPARE(jobText(panel, build->id, JobsPanel::StageColumn), u"build");
        QCOMPARE(jobText(panel, test->id, JobsPanel::StageColumn), u"test");
        QCOMPARE(jobText(panel, build->id, JobsPanel::StatusColumn), u"passed");
        QCOMPARE(jobText(panel, test->id, JobsPanel::StatusColumn), u"passed");
        QVERIFY(jobText(panel, build->id, JobsPanel::DurationColumn)
                    .contains(QRegularExpression(u"^\\d\\d:\\d\\d$"_qs)));
        QVERIFY(panel->pipelineText().endsWith(u": passed"));

        // A double click opens the job's log, which shows its output.
        QSignalSpy logRequested(panel, &JobsPanel::logRequested);
        QTreeWidgetItem *item = panel->itemFor(build->id);
        const QRect at = panel->tree()->visualItemRect(item);
        QTest::mouseClick(panel->tree()->viewport(), Qt::LeftButton, {}, at.center());
        QTest::mouseDClick(panel->tree()->viewport(), Qt::LeftButton, {}, at.center());
        QCOMPARE(logRequested.size(), 1);
        QCOMPARE(logRequested.first().first().toInt(), build->id);
        QCOMPARE(w->logTabs()->count(), 1);
        auto *log = qobject_cast<LogView *>(w->logTabs()->currentWidget());
        QVERIFY(log);
        QCOMPARE(log->store(), build->log);
        QTRY_VERIFY_WITH_TIMEOUT(log->indexedLines() == build->log->lineCount(), 10000);
        QVERIFY(logContains(log, u"hello from build"_qs));
        LogView *testLog = w->openJobLog(test->id);
        QVERIFY(testLog);
        QTRY_VERIFY_WITH_TIMEOUT(testLog->indexedLines() == test->log->lineCount(), 10000);
        QVERIFY(logContains(testLog, u"all tests passed"_qs));
        QVERIFY(logContains(testLog, u"testing on main"_qs));
        QCOMPARE(w->logTabs()->count(), 2);
        QCOMPARE(w->openJobLog(build->id), log); // the same tab again
        QCOMPARE(w->logTabs()->count(), 2);

        // The card's menu runs one job; the new run replaces the old one's states and logs.
        std::unique_ptr<QMenu> menu(w->graphPanel()->createCardMenu(u"test"_qs));
        QVERIFY(menu);
        QAction *runJob = nullptr;
        QAction *showLog = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->text() == u"Run Job")
                runJob = a;
            if (a->text() == u"Show Log")
                showLog = a;
        }
        QVERIFY(runJob && showLog);
        QVERIFY(showLog->isEnabled());
        runJob->trigger();
        QCOMPARE(w->logTabs()->count(), 0);
        QCOMPARE(w->graphPanel()->jobStatus(u"build"_qs), std::nullopt);
        QVERIFY(finished.wait(120000));
        QCOMPARE(runs->status(), PipelineStatus::Success);
        QCOMPARE(runs->jobs().size(), 1);
        QCOMPARE(w->graphPanel()->jobStatus(u"test"_qs), JobStatus::Success);
        QCOMPARE(w->graphPanel()->jobStatus(u"build"_qs), std::nullopt);
    }

    void cancelStopsARunningJob()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, slowJob);
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        RunController *runs = w->runController();
        QSignalSpy finished(runs, &RunController::finished);
        QVERIFY(w->runJob(u"slow"_qs, false));
        QTRY_VERIFY_WITH_TIMEOUT(
            runs->job(u"slow"_qs) && runs->job(u"slow"_qs)->status == JobStatus::Running, 60000);
        QCOMPARE(w->graphPanel()->jobStatus(u"slow"_qs), JobStatus::Running);
        const int id = runs->job(u"slow"_qs)->id;
        QCOMPARE(jobText(w->jobsPanel(), id, JobsPanel::StatusColumn), u"running");
        LogView *log = w->openJobLog(id);
        QVERIFY(log);
        QTRY_VERIFY_WITH_TIMEOUT(logContains(log, u"started"_qs), 20000);
        JobsPanel *panel = w->jobsPanel();
        auto button = [panel](const char *name) {
            return panel->findChild<QToolButton *>(QString::fromLatin1(name));
        };
        panel->selectJob(id);
        QVERIFY(button("cancelJob")->isEnabled());
        QVERIFY(!button("retryJob")->isEnabled());
        QVERIFY(!button("playJob")->isEnabled());
        QVERIFY(button("cancelPipelineButton")->isEnabled());
        QVERIFY(w->cancelPipelineAction()->isEnabled());

        // Cancel the job from the jobs panel: its processes stop at once, not after the sleep.
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(button("cancelJob"), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QVERIFY2(t.elapsed() < 30000, "cancel must not wait for the job's sleep");
        QCOMPARE(runs->status(), PipelineStatus::Canceled);
        QCOMPARE(runs->job(id)->status, JobStatus::Canceled);
        QCOMPARE(w->graphPanel()->jobStatus(u"slow"_qs), JobStatus::Canceled);
        QCOMPARE(jobText(panel, id, JobsPanel::StatusColumn), u"canceled");
        QVERIFY(!logContains(log, u"never printed"_qs));
        QVERIFY(!w->cancelPipelineAction()->isEnabled());

        // Retry runs it again as a new attempt with a new log, shown in the same tab.
        QVERIFY(button("retryJob")->isEnabled());
        QTest::mouseClick(button("retryJob"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            runs->job(id)->attempt == 2 && runs->job(id)->status == JobStatus::Running, 60000);
        QCOMPARE(jobText(panel, id, JobsPanel::NameColumn), u"slow (attempt 2)");
        QCOMPARE(log->store(), runs->job(id)->log);
        QTRY_VERIFY_WITH_TIMEOUT(w->cancelPipelineAction()->isEnabled(), 10000);

        // Cancel the whole pipeline from the Run menu.
        t.restart();
        w->cancelPipelineAction()->trigger();
        QVERIFY(finished.wait(60000));
        QVERIFY(t.elapsed() < 30000);
        QCOMPARE(runs->status(), PipelineStatus::Canceled);
        QCOMPARE(runs->job(id)->status, JobStatus::Canceled);
        QCOMPARE(w->graphPanel()->jobStatus(u"slow"_qs), JobStatus::Canceled);
    }

    void childPipelineJobsUnderTheirTrigger()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, "stages: [build, deploy]\n"
                                         "build:\n  stage: build\n  script: echo build\n"
                                         "downstream:\n  stage: deploy\n"
                                         "  trigger:\n    include: child.yml\n");
        repo.write(u"child.yml"_qs, "inner:\n  script: echo inside the child\n");
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        RunController *runs = w->runController();
        QSignalSpy finished(runs, &RunController::finished);
        QVERIFY(w->runPipeline());
        QVERIFY(finished.wait(120000));
        QCOMPARE(runs->status(), PipelineStatus::Success);
        const exec::JobRecord *trigger = runs->job(u"downstream"_qs);
        QVERIFY(trigger);
        const exec::JobRecord *inner = runs->job(u"inner"_qs, trigger->id);
        QVERIFY(inner);
        JobsPanel *panel = w->jobsPanel();
        QCOMPARE(panel->tree()->topLevelItemCount(), 2);
        QTreeWidgetItem *item = panel->itemFor(inner->id);
        QVERIFY(item);
        QCOMPARE(item->parent(), panel->itemFor(trigger->id));
        QCOMPARE(item->text(JobsPanel::StatusColumn), u"passed");
        QCOMPARE(w->graphPanel()->jobStatus(u"downstream"_qs), JobStatus::Success);
        QCOMPARE(w->graphPanel()->jobStatus(u"inner"_qs), std::nullopt); // not a card here
        LogView *log = w->openJobLog(inner->id);
        QVERIFY(log);
        QTRY_VERIFY_WITH_TIMEOUT(logContains(log, u"inside the child"_qs), 10000);
    }

    void closingTheWindowStopsTheRun()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        const QString pidFile = dir.filePath(u"sleep.pid"_qs);
        repo.write(u".gitlab-ci.yml"_qs, "slow:\n  script:\n    - sleep 60 &\n    - echo $! > " +
                                             QFile::encodeName(pidFile) + "\n    - wait\n");
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        QVERIFY(w->runPipeline());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(pidFile).size() > 0, 60000);
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const qint64 sleeper = f.readAll().trimmed().toLongLong();
        QVERIFY(sleeper > 0);
        QVERIFY(processAlive(sleeper));
        QElapsedTimer t;
        t.start();
        w.reset(); // cancels the pipeline in the engine's thread and waits for its cleanup
        QVERIFY(t.elapsed() < 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(sleeper), 5000);
    }

    void playAManualJobAfterThePipelineStopped()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs,
                   "build:\n  script: echo build\n"
                   "deploy:\n  when: manual\n  allow_failure: false\n  script: echo deployed\n");
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        RunController *runs = w->runController();
        QSignalSpy finished(runs, &RunController::finished);
        QVERIFY(w->runPipeline());
        QVERIFY(finished.wait(60000));
        QCOMPARE(runs->status(), PipelineStatus::Manual); // blocked by the manual job
        QVERIFY(!runs->isRunning());
        const int id = runs->job(u"deploy"_qs)->id;
        QCOMPARE(w->graphPanel()->jobStatus(u"deploy"_qs), JobStatus::Manual);
        QCOMPARE(jobText(w->jobsPanel(), id, JobsPanel::StatusColumn), u"manual");
        w->jobsPanel()->selectJob(id);
        auto *play = w->jobsPanel()->findChild<QToolButton *>(u"playJob"_qs);
        QVERIFY(play->isEnabled());
        QTest::mouseClick(play, Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(runs->status(), PipelineStatus::Success);
        QCOMPARE(runs->job(id)->status, JobStatus::Success);
        QCOMPARE(w->graphPanel()->jobStatus(u"deploy"_qs), JobStatus::Success);
        QVERIFY(!runs->isRunning());
        QVERIFY(w->runPipelineAction()->isEnabled());
    }

    void startFailureIsReported()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, twoJobs);
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        QSignalSpy failed(w->runController(), &RunController::startFailed);
        QVERIFY(w->runJob(u"no such job"_qs, false));
        QVERIFY(failed.wait(30000));
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(!w->runController()->isRunning());
        QVERIFY(w->runPipelineAction()->isEnabled());
        QVERIFY(w->jobsPanel()->pipelineText().contains(failed.first().first().toString()));
    }

    void screenshot()
    {
        QTemporaryDir dir;
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, showcase);
        repo.commit("init");
        auto w = openWindow(dir.path());
        QVERIFY(w);
        RunController *runs = w->runController();
        QSignalSpy finished(runs, &RunController::finished);
        QVERIFY(w->runPipeline());
        // The picture is taken while e2e runs: the other test jobs have finished by then.
        auto done = [runs](const QString &name) {
            const exec::JobRecord *r = runs->job(name);
            return r && exec::isFinished(r->status);
        };
        QTRY_VERIFY_WITH_TIMEOUT(done(u"unit tests"_qs) && done(u"lint"_qs) &&
                                     done(u"integration"_qs) && runs->job(u"e2e"_qs) &&
                                     runs->job(u"e2e"_qs)->status == JobStatus::Running,
                                 120000);
        QCOMPARE(w->graphPanel()->jobStatus(u"compile"_qs), JobStatus::Success);
        QCOMPARE(w->graphPanel()->jobStatus(u"lint"_qs), JobStatus::Failed);
        QVERIFY(runs->job(u"lint"_qs)->allowedToFail);
        QCOMPARE(jobText(w->jobsPanel(), runs->job(u"lint"_qs)->id, JobsPanel::StatusColumn),
                 u"failed (allowed to fail)");
        QCOMPARE(w->graphPanel()->jobStatus(u"integration"_qs), JobStatus::Failed);
        QCOMPARE(w->graphPanel()->jobStatus(u"review app"_qs), JobStatus::Manual);
        QCOMPARE(w->graphPanel()->jobStatus(u"e2e"_qs), JobStatus::Running);
        QCOMPARE(w->graphPanel()->jobStatus(u"deploy"_qs), JobStatus::Created);
        LogView *log = w->openJobLog(runs->job(u"unit tests"_qs)->id);
        QVERIFY(log);
        QTRY_VERIFY_WITH_TIMEOUT(logContains(log, u"41 passed"_qs), 10000);
        log->setFollowTail(false);
        log->scrollToLine(0);
        w->jobsPanel()->selectJob(runs->job(u"unit tests"_qs)->id);
        QTest::qWait(200);
        const QByteArray out = qgetenv("STAGECRAFT_SCREENSHOTS");
        if (!out.isEmpty())
            QVERIFY(w->grab().save(QString::fromLocal8Bit(out) + u"/run.png"_qs));
        // Play the manual job from its card's menu while e2e still runs.
        std::unique_ptr<QMenu> menu(w->graphPanel()->createCardMenu(u"review app"_qs));
        QVERIFY(menu);
        QAction *play = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->text() == u"Play")
                play = a;
        }
        QVERIFY(play);
        play->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w->graphPanel()->jobStatus(u"review app"_qs),
                                  std::optional(JobStatus::Success), 60000);
        w->cancelPipelineAction()->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(runs->status(), PipelineStatus::Canceled);
        QCOMPARE(w->graphPanel()->jobStatus(u"e2e"_qs), JobStatus::Canceled);
    }
};

QTEST_MAIN(TestRunUi)
#include "tst_runui.moc"
