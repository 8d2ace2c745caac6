// "Review before pushing": the graph's diff mode against a git revision and the full
// configuration view, on a real repository built with libgit2.
#include "../unit/gitrepobuilder.h"
#include "codeeditor.h"
#include "configview.h"
#include "graphpanel.h"
#include "mainwindow.h"
#include "plancontroller.h"

#include <QCheckBox>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stagecraft;
using gui::GraphPanel;
using gui::MainWindow;

namespace {

const QByteArray committed = "stages: [build, test]\n"
                             "\n"
                             "a:\n"
                             "  stage: build\n"
                             "  script: make a\n"
                             "b:\n"
                             "  stage: build\n"
                             "  script: make b\n"
                             "c:\n"
                             "  stage: test\n"
                             "  script: make check\n";

// b removed, d added, c's script changed, a untouched; `d` extends a hidden job.
const QByteArray working = "stages: [build, test]\n"
                           "\n"
                           ".base:\n"
                           "  image: alpine:3.19\n"
                           "a:\n"
                           "  stage: build\n"
                           "  script: make a\n"
                           "c:\n"
                           "  stage: test\n"
                           "  script: make check-all\n"
                           "d:\n"
                           "  extends: .base\n"
                           "  stage: test\n"
                           "  script: make d\n";

/// Waits until the graph was redrawn with a finished diff (the legend shows counts).
bool waitForDiff(GraphPanel *graph)
{
    QSignalSpy redrawn(graph, &GraphPanel::redrawn);
    for (int i = 0; i < 20; ++i) {
        if (graph->legendText().contains(u"added") && !redrawn.isEmpty())
            return true;
        redrawn.wait(500);
    }
    return graph->legendText().contains(u"added");
}

} // namespace

class TestReview : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void diffStates_data()
    {
        QTest::addColumn<QString>("job");
        QTest::addColumn<int>("state");
        QTest::newRow("added d") << u"d"_qs << int(GraphPanel::DiffState::Added);
        QTest::newRow("removed b") << u"b"_qs << int(GraphPanel::DiffState::Removed);
        QTest::newRow("changed c") << u"c"_qs << int(GraphPanel::DiffState::Changed);
        QTest::newRow("unchanged a") << u"a"_qs << int(GraphPanel::DiffState::Unchanged);
    }
    void diffStates()
    {
        QFETCH(QString, job);
        QFETCH(int, state);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            gittest::RepoBuilder repo(dir.path());
            repo.write(u".gitlab-ci.yml"_qs, committed);
            repo.commit("jobs a, b, c");
            repo.write(u".gitlab-ci.yml"_qs, working);
        }
        MainWindow window;
        GraphPanel *graph = window.graphPanel();
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(dir.path()));
        QVERIFY(planned.wait(10000));
        QVERIFY(graph->canCompare());
        QVERIFY(graph->findChild<QCheckBox *>(u"compareToggle"_qs)->isEnabled());
        QCOMPARE(graph->legendText(), QString());

        graph->setCompare(true, u"HEAD"_qs);
        QVERIFY(waitForDiff(graph));
        QCOMPARE(graph->legendText(), u"1 added, 1 removed, 1 changed against HEAD"_qs);
        QCOMPARE(int(graph->diffState(job)), state);
        // The removed job is drawn (a ghost card) like the others.
        QVERIFY(!graph->cardToolTip(job).isEmpty());
        if (job == u"c")
            QVERIFY2(graph->cardToolTip(job).contains(u"script"),
                     qPrintable(graph->cardToolTip(job)));
        if (job == u"a")
            QVERIFY(!graph->cardToolTip(job).contains(u"Changed"));

        // Off again: no diff colours, no legend.
        graph->setCompare(false);
        QCOMPARE(int(graph->diffState(job)), int(GraphPanel::DiffState::Unchanged));
        QCOMPARE(graph->legendText(), QString());
    }

    void diffFollowsTheOpenBufferAndHead()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        gittest::RepoBuilder repo(dir.path());
        repo.write(u".gitlab-ci.yml"_qs, committed);
        repo.commit("jobs a, b, c");
        MainWindow window;
        GraphPanel *graph = window.graphPanel();
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(dir.path()));
        QVERIFY(planned.wait(10000));
        graph->setCompare(true, u"HEAD"_qs);
        QVERIFY(waitForDiff(graph));
        QCOMPARE(graph->legendText(), u"0 added, 0 removed, 0 changed against HEAD"_qs);
        // An unsaved edit counts: the diff is of the buffers, not of the disk.
        window.editor()->setText(QString::fromUtf8(working));
        QTRY_COMPARE_WITH_TIMEOUT(graph->legendText(),
                                  u"1 added, 1 removed, 1 changed against HEAD"_qs, 10000);
        QCOMPARE(int(graph->diffState(u"b"_qs)), int(GraphPanel::DiffState::Removed));
        // Committed: HEAD moved, so the revision is planned again (no stale cached plan).
        QVERIFY(window.save());
        repo.commit("b removed, d added");
        window.editor()->setText(QString::fromUtf8(working + "# reviewed\n"));
        QTRY_COMPARE_WITH_TIMEOUT(graph->legendText(),
                                  u"0 added, 0 removed, 0 changed against HEAD"_qs, 10000);
        // An older revision: the first commit.
        graph->setCompare(true, u"HEAD~1"_qs);
        QTRY_COMPARE_WITH_TIMEOUT(graph->legendText(),
                                  u"1 added, 1 removed, 1 changed against HEAD~1"_qs, 10000);
    }

    void unknownRevision()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            gittest::RepoBuilder repo(dir.path());
            repo.write(u".gitlab-ci.yml"_qs, committed);
            repo.commit("jobs a, b, c");
        }
        MainWindow window;
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(dir.path()));
        QVERIFY(planned.wait(10000));
        window.graphPanel()->setCompare(true, u"nope~3"_qs);
        QTRY_COMPARE_WITH_TIMEOUT(window.graphPanel()->legendText(),
                                  u"Cannot compare with nope~3: unknown revision 'nope~3'"_qs,
                                  10000);
    }

    void outsideGitTheToggleIsDisabled()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u".gitlab-ci.yml"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(committed);
        file.close();
        MainWindow window;
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(dir.path()));
        QVERIFY(planned.wait(10000));
        auto *toggle = window.graphPanel()->findChild<QCheckBox *>(u"compareToggle"_qs);
        QVERIFY(!window.graphPanel()->canCompare());
        QVERIFY(!toggle->isEnabled());
        QCOMPARE(
            toggle->toolTip(),
            u"The project is not in a git repository: there is no revision to compare with"_qs);
    }

    void fullConfiguration()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile file(dir.filePath(u".gitlab-ci.yml"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(working);
        file.close();
        MainWindow window;
        gui::ConfigView *view = window.configView();
        QVERIFY(view);
        QVERIFY(view->editor()->isReadOnly());
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(dir.path()));
        QVERIFY(planned.wait(10000));
        // `d` extends .base: the merged job carries the parent's image.
        const QString text = view->text();
        const qsizetype d = text.indexOf(u"\nd:\n"_qs);
        QVERIFY2(d >= 0, qPrintable(text));
        const QString job = text.mid(d + 4).section(u"\n"_qs, 0, 4);
        QVERIFY2(job.contains(u"  image: alpine:3.19"_qs), qPrintable(text));
        QVERIFY(job.contains(u"  script: make d"_qs));

        const int before = view->refreshes();
        window.editor()->setText(QString::fromUtf8(working).replace(u"make d"_qs, u"make e"_qs));
        QTRY_VERIFY_WITH_TIMEOUT(view->text().contains(u"script: make e"_qs), 10000);
        QCOMPARE(view->refreshes(), before + 1);
        QVERIFY(!view->text().contains(u"script: make d"_qs));
    }

    void fullConfigurationKeepsItsPlace()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray many;
        for (int i = 0; i < 60; ++i)
            many += QByteArray("job") + QByteArray::number(i) + ":\n  script: echo " +
                    QByteArray::number(i) + "\n";
        QFile file(dir.filePath(u".gitlab-ci.yml"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(many);
        file.close();
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        gui::ConfigView *view = window.configView();
        QVERIFY(window.openProject(dir.path()));
        QTRY_VERIFY_WITH_TIMEOUT(view->text().contains(u"job59:"_qs), 10000);
        view->editor()->setFirstVisibleLine(40);
        QCOMPARE(view->editor()->firstVisibleLine(), 40);
        window.editor()->setText(QString::fromUtf8(many).replace(u"echo 59"_qs, u"echo last"_qs));
        QTRY_VERIFY_WITH_TIMEOUT(view->text().contains(u"echo last"_qs), 10000);
        QCOMPARE(view->editor()->firstVisibleLine(), 40);
    }
};

QTEST_MAIN(TestReview)
#include "tst_review.moc"
