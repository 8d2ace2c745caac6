#include "../unit/gitrepobuilder.h"
#include "codeeditor.h"
#include "editortabs.h"
#include "gitstatus.h"
#include "graphpanel.h"
#include "lintcontroller.h"
#include "mainwindow.h"
#include "noticebar.h"
#include "plancontroller.h"
#include "problemsmodel.h"
#include "projecttree.h"
#include "recoverycontroller.h"
#include "settings.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileSystemModel>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <atomic>
#include <sys/stat.h>
#include <thread>

using namespace stagecraft;
using gui::MainWindow;
using gui::ProblemsModel;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QByteArray mainWithInclude = "include:\n"
                                   "  - local: ci/jobs.yml\n"
                                   "stages: [build, test]\n"
                                   "lint:\n"
                                   "  stage: test\n"
                                   "  extends: .base\n"
                                   "  needs: [build]\n"
                                   "  script: make lint\n";
const QByteArray jobsFile = "# shared jobs\n"
                            ".base:\n"
                            "  image: alpine\n"
                            "build:\n"
                            "  stage: build\n"
                            "  script: make\n";

const QByteArray withRules = "stages: [build, deploy]\n"
                             "build:\n"
                             "  stage: build\n"
                             "  script: make\n"
                             "deploy:\n"
                             "  stage: deploy\n"
                             "  script: ./deploy\n"
                             "  rules:\n"
                             "    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n"
                             "      when: manual\n";

QStringList withCodes(const diag::Diagnostics &diagnostics)
{
    QStringList codes;
    for (const diag::Diagnostic &d : diagnostics)
        codes << d.code;
    return codes;
}

int rowFor(const ProblemsModel *model, const QString &file)
{
    for (int r = 0; r < model->rowCount(); ++r) {
        if (model->index(r, ProblemsModel::FileColumn).data().toString() == file)
            return r;
    }
    return -1;
}

} // namespace

class TestIde : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // Settings, recent projects and the recovery folder go to test locations.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StagecraftTest"_qs);
        QCoreApplication::setApplicationName(u"tst_ide"_qs);
    }

    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
    }

    void includedFileOpensWithItsOwnErrors()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), mainWithInclude));
        QVERIFY(writeFile(m_dir->filePath(u"ci/jobs.yml"_qs), jobsFile));
        MainWindow window;
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(applied.wait(10000));
        QCOMPARE(window.problemsModel()->rowCount(), 0);
        QCOMPARE(window.tabs()->paths(), (QStringList{u".gitlab-ci.yml"_qs, u"ci/jobs.yml"_qs}));
        QCOMPARE(window.currentFile(), u".gitlab-ci.yml");
        QVERIFY(gui::Settings::recentProjects().contains(QDir(m_dir->path()).absolutePath()));

        // Typing an error into the included file (unsaved) shows it in that file's tab only.
        gui::CodeEditor *jobs = window.tabs()->editor(u"ci/jobs.yml"_qs);
        QVERIFY(jobs);
        jobs->setText(QString::fromUtf8(jobsFile).replace(u"stage: build"_qs, u"stage: nope"_qs));
        QVERIFY(applied.wait(10000));
        const int row = rowFor(window.problemsModel(), u"ci/jobs.yml"_qs);
        QVERIFY2(row >= 0, "no problem listed for ci/jobs.yml");
        QCOMPARE(window.problemsModel()
                     ->index(row, ProblemsModel::PositionColumn)
                     .data()
                     .toString()
                     .section(u':', 0, 0),
                 u"5");
        QCOMPARE(jobs->diagnostics().size(), 1);
        QCOMPARE(jobs->diagnostics().constFirst().range.start.line, 5);
        QCOMPARE(window.tabs()->editor(u".gitlab-ci.yml"_qs)->diagnostics().size(), 0);
        QCOMPARE(readFile(m_dir->filePath(u"ci/jobs.yml"_qs)), jobsFile);

        // Activating the problem opens that tab and moves the cursor there.
        QVERIFY(window.tabs()->currentPath() != u"ci/jobs.yml");
        auto *view = window.findChild<QTreeView *>(u"problemsView"_qs);
        emit view->activated(window.problemsModel()->index(row, ProblemsModel::MessageColumn));
        QCOMPARE(window.currentFile(), u"ci/jobs.yml");
        int line = -1;
        int index = -1;
        jobs->getCursorPosition(&line, &index);
        QCOMPARE(line, 4);

        // Fixing it removes the diagnostic.
        jobs->setText(QString::fromUtf8(jobsFile));
        QVERIFY(applied.wait(10000));
        QCOMPARE(window.problemsModel()->rowCount(), 0);
        QCOMPARE(jobs->diagnostics().size(), 0);
    }

    void dockerfilesAreCheckedToo()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        QVERIFY(writeFile(m_dir->filePath(u"Dockerfile"_qs), "FROM alpine:3.20\nMAINTAINER me\n"));
        MainWindow window;
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QVERIFY(window.openProject(m_dir->path()));
        QCOMPARE(window.tabs()->paths(), (QStringList{u".gitlab-ci.yml"_qs, u"Dockerfile"_qs}));
        QCOMPARE(window.currentFile(), u".gitlab-ci.yml");
        QVERIFY(applied.wait(10000));
        const int row = rowFor(window.problemsModel(), u"Dockerfile"_qs);
        QVERIFY(row >= 0);
        QCOMPARE(window.problemsModel()->index(row, 0).data(ProblemsModel::CodeRole).toString(),
                 u"DL4000");
        QVERIFY(!window.tabs()->editor(u"Dockerfile"_qs)->diagnostics().isEmpty());
        // The status line speaks about the CI configuration, which is fine.
        QCOMPARE(window.statusText(), u"Pipeline syntax is correct.");
    }

    void completionAndGoToDefinition()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), mainWithInclude));
        QVERIFY(writeFile(m_dir->filePath(u"ci/jobs.yml"_qs), jobsFile));
        MainWindow window;
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(applied.wait(10000));
        QVERIFY(planned.wait(10000));
        // Hovering a job highlights its `needs` links, as in GitLab.
        window.graphPanel()->highlightLinks(u"lint"_qs);
        QCOMPARE(window.graphPanel()->highlightedLinks(), 1);
        window.graphPanel()->highlightLinks({});
        QCOMPARE(window.graphPanel()->highlightedLinks(), 0);
        gui::CodeEditor *editor = window.tabs()->editor(u".gitlab-ci.yml"_qs);
        window.tabs()->setCurrentWidget(editor);

        // `needs: [` offers the jobs of every file (build is in the included one), not hidden
        // ones.
        editor->setCursorPosition(6, 10); // after "  needs: ["
        QCOMPARE(editor->completionsAtCursor(), (QStringList{u"build"_qs, u"lint"_qs}));
        editor->setCursorPosition(5, 11); // "  extends: " + nothing typed
        QVERIFY(editor->completionsAtCursor().contains(u".base"_qs));
        // A key position of a job offers job keywords.
        editor->insertAt(u"  ar\n"_qs, 7, 0);
        editor->setCursorPosition(7, 4);
        QCOMPARE(editor->completionsAtCursor(), QStringList{u"artifacts"_qs});
        editor->undo();

        // Hover help for keywords and variables.
        QVERIFY(editor->helpAt(4, 3).contains(u"stage the job belongs to"_qs));

        // F12 on `.base` in `extends` goes to its definition in the included file.
        QVERIFY(window.goToDefinition(u".gitlab-ci.yml"_qs, 5, 12));
        QCOMPARE(window.currentFile(), u"ci/jobs.yml");
        int line = -1;
        int index = -1;
        window.editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 1);
        // And on `build` in needs.
        QVERIFY(window.goToDefinition(u".gitlab-ci.yml"_qs, 6, 11));
        window.editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 3);
        QVERIFY(!window.goToDefinition(u".gitlab-ci.yml"_qs, 4, 3)); // a keyword
    }

    void graphShowsPlanAndFollowsTheRef()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        MainWindow window;
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(planned.wait(10000));
        gui::GraphPanel *graph = window.graphPanel();
        // Not a repository: the current branch is a feature branch, so deploy is excluded.
        QCOMPARE(graph->plannedJobs(), QStringList{u"build"_qs});
        QCOMPARE(graph->dimmedJobs(), QStringList{u"deploy"_qs});
        auto cardTexts = [graph] {
            QStringList texts;
            for (QGraphicsItem *item : graph->scene()->items()) {
                if (auto *t = dynamic_cast<QGraphicsSimpleTextItem *>(item))
                    texts.append(t->text());
            }
            texts.sort();
            return texts;
        };
        QVERIFY(cardTexts().contains(u"deploy"_qs)); // dimmed, without flags
        QStringList reasons;
        for (QGraphicsItem *item : graph->scene()->items()) {
            if (item->toolTip().startsWith(u"Not in this pipeline"_qs))
                reasons.append(item->toolTip());
        }
        QCOMPARE(reasons.size(), 1);
        QVERIFY2(reasons.constFirst().contains(u"rules"_qs), qPrintable(reasons.constFirst()));

        auto *refs = graph->findChild<QComboBox *>(u"refSelector"_qs);
        QVERIFY(refs);
        refs->setCurrentIndex(refs->findData(int(gui::RefChoice::DefaultBranch)));
        QVERIFY(planned.wait(10000));
        QCOMPARE(graph->plannedJobs(), (QStringList{u"build"_qs, u"deploy"_qs}));
        QVERIFY(graph->dimmedJobs().isEmpty());
        QVERIFY(cardTexts().contains(u"▶ deploy"_qs)); // a manual job

        // Redrawn as you type: a new job appears.
        window.editor()->append(u"test:\n  stage: build\n  script: make test\n"_qs);
        QVERIFY(planned.wait(10000));
        QCOMPARE(graph->plannedJobs(), (QStringList{u"build"_qs, u"test"_qs, u"deploy"_qs}));

        // The dependency view has the same jobs.
        graph->setView(gui::GraphPanel::View::Dependencies);
        QCOMPARE(graph->plannedJobs().size(), 3);

        // Clicking a job jumps to its definition.
        QVERIFY(graph->activateJob(u"deploy"_qs));
        int line = -1;
        int index = -1;
        window.editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 4);

        // Export.
        const QString png = m_dir->filePath(u"graph.png"_qs);
        const QString svg = m_dir->filePath(u"graph.svg"_qs);
        QVERIFY(graph->exportPng(png));
        QVERIFY(QImage(png).width() > 100);
        QVERIFY(graph->exportSvg(svg));
        const QByteArray svgText = readFile(svg);
        QVERIFY(svgText.startsWith("<?xml"));
        QVERIFY(svgText.contains("deploy"));
    }

    void graphLinksAvoidCards_data()
    {
        QTest::addColumn<int>("view");
        QTest::newRow("stages") << int(gui::GraphPanel::View::Stages);
        QTest::newRow("needs") << int(gui::GraphPanel::View::Dependencies);
    }

    void graphLinksAvoidCards()
    {
        // Needs that skip the test stage pass its column below its only planned card, where the
        // stage view puts the dimmed cards of the jobs not in the pipeline: those go below the
        // links. No drawn link (rounded corners included) may enter any card.
        QFETCH(int, view);
        // Enough of them that row gaps must grow to fit their lanes, which moves the rows below.
        QByteArray yaml = "stages: [build, test, deploy]\n";
        for (int i = 0; i < 8; ++i)
            yaml += "b" + QByteArray::number(i) + ":\n  stage: build\n  script: x\n";
        yaml += "t0:\n  stage: test\n  script: x\n  needs: [b0]\n";
        for (int i = 1; i < 4; ++i)
            yaml += "t" + QByteArray::number(i) +
                    ":\n  stage: test\n  script: x\n  rules:\n    - when: never\n";
        for (int i = 0; i < 8; ++i)
            yaml += "d" + QByteArray::number(i) + ":\n  stage: deploy\n  script: x\n  needs: [b" +
                    QByteArray::number(7 - i) + ", b" + QByteArray::number((i + 2) % 8) + ", t0]\n";
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), yaml));
        MainWindow window;
        QSignalSpy planned(window.planController(), &gui::PlanController::planReady);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(planned.wait(10000));
        gui::GraphPanel *graph = window.graphPanel();
        graph->setView(gui::GraphPanel::View(view));
        QCOMPARE(graph->dimmedJobs().size(), 3);
        QList<QRectF> cards;
        QList<QPainterPath> links;
        for (QGraphicsItem *item : graph->scene()->items()) {
            if (auto *rect = dynamic_cast<QGraphicsRectItem *>(item))
                cards.append(rect->rect().adjusted(1, 1, -1, -1));
            else if (auto *path = dynamic_cast<QGraphicsPathItem *>(item))
                links.append(path->path());
        }
        QCOMPARE(cards.size(), 20);
        QCOMPARE(links.size(), 25);
        for (const QPainterPath &link : std::as_const(links)) {
            for (int step = 0; step <= 1000; ++step) {
                const QPointF at = link.pointAtPercent(step / 1000.0);
                for (const QRectF &card : std::as_const(cards))
                    QVERIFY2(!card.contains(at),
                             qPrintable(u"(%1, %2)"_qs.arg(at.x()).arg(at.y())));
            }
        }
    }

    void saveIsAtomic()
    {
        // A reader polling the file while it is saved over and over must only ever see the whole
        // old or the whole new content (QSaveFile writes a temporary file and renames it).
        const QByteArray oldContent = "build:\n  script: make\n" + QByteArray(400000, '#') + '\n';
        const QByteArray newContent =
            "build:\n  script: make all\n" + QByteArray(600000, '-') + '\n';
        const QString path = m_dir->filePath(u".gitlab-ci.yml"_qs);
        QVERIFY(writeFile(path, oldContent));
        MainWindow window;
        QVERIFY(window.openProject(m_dir->path()));
        std::atomic<bool> stop = false;
        std::atomic<int> reads = 0;
        std::atomic<int> torn = 0;
        std::thread reader([&] {
            while (!stop) {
                const QByteArray seen = readFile(path);
                if (seen.isEmpty() && !QFile::exists(path))
                    ++torn; // a moment without the file is not atomic either
                else if (seen != oldContent && seen != newContent)
                    ++torn;
                ++reads;
            }
        });
        int saved = 0;
        for (int i = 0; i < 20; ++i) {
            window.editor()->setText(QString::fromLatin1(i % 2 ? oldContent : newContent));
            saved += window.save() ? 1 : 0;
        }
        stop = true;
        reader.join();
        QCOMPARE(saved, 20);
        QVERIFY(reads > 0);
        QCOMPARE(int(torn), 0);
        QCOMPARE(readFile(path), oldContent);
    }

    void recoveryAfterCrash()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        const QString edited = QString::fromUtf8(withRules) + u"# unsaved work\n"_qs;
        {
            auto *window = new MainWindow;
            QVERIFY(window->openProject(m_dir->path()));
            window->editor()->setText(edited);
            QSignalSpy autosaved(window->recovery(), &gui::RecoveryController::autosaved);
            window->recovery()->autosaveNow();
            QVERIFY(autosaved.wait(10000));
            QVERIFY(window->recovery()->store().has(m_dir->path()));
            // The next start opens this project by itself.
            QVERIFY(window->recovery()->store().projects().contains(m_dir->path()));
            // A crash: the window goes away without closeEvent.
            delete window;
        }
        MainWindow window;
        QVERIFY(window.openProject(m_dir->path()));
        gui::NoticeBar *notice = window.noticeBar();
        QVERIFY(!notice->isHidden());
        QCOMPARE(notice->tag(), u"recover");
        QVERIFY(notice->text().contains(u"1 file"_qs));
        QVERIFY(!window.editor()->isModified());
        notice->accept();
        QCOMPARE(window.editor()->text(), edited);
        QVERIFY(window.editor()->isModified());
        QCOMPARE(readFile(m_dir->filePath(u".gitlab-ci.yml"_qs)), withRules);
        // Saving everything: nothing left to recover.
        QVERIFY(window.saveAll());
        QVERIFY(!window.recovery()->store().has(m_dir->path()));
    }

    void discardRecovery()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        gui::RecoveryStore store;
        QVERIFY(store.store(m_dir->path(), {{u".gitlab-ci.yml"_qs, "x: 1\n"}}));
        MainWindow window;
        QVERIFY(window.openProject(m_dir->path()));
        window.noticeBar()->reject();
        QVERIFY(!store.has(m_dir->path()));
        QCOMPARE(window.editor()->text().toUtf8(), withRules);
    }

    void fileChangedOnDisk()
    {
        const QString path = m_dir->filePath(u".gitlab-ci.yml"_qs);
        QVERIFY(writeFile(path, withRules));
        MainWindow window;
        QVERIFY(window.openProject(m_dir->path()));
        QSignalSpy changed(window.tabs(), &gui::EditorTabs::fileChangedOnDisk);
        // Our own save is not a change from another program.
        window.editor()->setText(QString::fromUtf8(withRules + "# mine\n"));
        QVERIFY(window.save());
        QVERIFY(!changed.wait(500));
        QVERIFY(writeFile(path, "other:\n  script: x\n"));
        QVERIFY(changed.wait(10000));
        QCOMPARE(changed.constFirst().constFirst().toString(), u".gitlab-ci.yml");
        QVERIFY(!window.noticeBar()->isHidden());
        window.noticeBar()->accept();
        QCOMPARE(window.editor()->text(), u"other:\n  script: x\n");
        QVERIFY(!window.editor()->isModified());
    }

    void projectTreeHidesGit()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        QVERIFY(writeFile(m_dir->filePath(u".git/HEAD"_qs), "ref: refs/heads/main\n"));
        QVERIFY(writeFile(m_dir->filePath(u"app/Dockerfile"_qs), "FROM alpine\n"));
        gui::ProjectTree tree;
        QAbstractItemModelTester tester(tree.filesModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(tree.filesModel(), &QAbstractItemModel::rowsInserted);
        tree.setRoot(m_dir->path());
        // The file system model fills in the background; rows arrive in batches.
        // Bounded: a wait that keeps receiving other folders' rows must not loop for ever.
        const QDeadlineTimer deadline(10000);
        while (tree.filesModel()->rowCount(tree.rootIndex()) < 2 && !deadline.hasExpired())
            inserted.wait(int(std::max<qint64>(1, deadline.remainingTime())));
        QStringList names;
        const QModelIndex root = tree.rootIndex();
        for (int r = 0; r < tree.filesModel()->rowCount(root); ++r)
            names.append(tree.filesModel()->index(r, 0, root).data().toString());
        names.sort();
        QCOMPARE(names, (QStringList{u".gitlab-ci.yml"_qs, u"app"_qs}));
        QCOMPARE(gui::ProjectTree::dockerfiles(m_dir->path()), QStringList{u"app/Dockerfile"_qs});
    }

    void projectTreeDoesNotBlockOnFifos()
    {
        // A named pipe in the project: listing it must not read it (nobody ever writes to it).
        // One pipe inside the project and one beside it (the model lists the root's parent too,
        // and projects often live next to pipes, in /tmp say).
        const QString project = m_dir->filePath(u"project"_qs);
        QVERIFY(writeFile(project + u"/.gitlab-ci.yml"_qs, withRules));
        QCOMPARE(::mkfifo(QFile::encodeName(project + u"/pipe"_qs).constData(), 0600), 0);
        QCOMPARE(::mkfifo(QFile::encodeName(m_dir->filePath(u"pipe"_qs)).constData(), 0600), 0);
        gui::ProjectTree tree;
        QSignalSpy inserted(tree.filesModel(), &QAbstractItemModel::rowsInserted);
        tree.setRoot(project);
        const QDeadlineTimer deadline(10000);
        while (tree.filesModel()->rowCount(tree.rootIndex()) < 1 && !deadline.hasExpired())
            inserted.wait(int(std::max<qint64>(1, deadline.remainingTime())));
        // Pipes, sockets and devices are not project files: not listed.
        QCOMPARE(tree.filesModel()->rowCount(tree.rootIndex()), 1);
        const QModelIndex file = tree.filesModel()->index(0, 0, tree.rootIndex());
        QCOMPARE(file.data().toString(), u".gitlab-ci.yml");
        // Icons come from the kind of entry, never from reading the file.
        file.data(Qt::DecorationRole);
    }

    void shellCheckFindingsInTheProblemsAndTheEditor()
    {
        if (QStandardPaths::findExecutable(u"shellcheck"_qs).isEmpty())
            QSKIP("shellcheck is not installed");
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs),
                          "include:\n  - local: ci/jobs.yml\n"
                          "lint:\n  extends: .base\n  script:\n    - echo $foo\n"));
        QVERIFY(writeFile(m_dir->filePath(u"ci/jobs.yml"_qs),
                          ".base:\n  image: alpine\nbuild:\n  script: cp $out /tmp\n"));
        MainWindow window;
        gui::LintController *lint = window.lintController();
        QSignalSpy checked(lint, &gui::LintController::scriptsChecked);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(checked.wait(20000));
        QTRY_VERIFY(!lint->isRunning() && !lint->isCheckingScripts());

        // In the problems list: ShellCheck's code and wiki link, at the YAML line:column.
        auto rowOf = [&window](const QString &file, const QString &code) {
            const ProblemsModel *m = window.problemsModel();
            for (int r = 0; r < m->rowCount(); ++r) {
                const QModelIndex i = m->index(r, ProblemsModel::MessageColumn);
                if (i.data(ProblemsModel::FileRole).toString() == file &&
                    i.data(ProblemsModel::CodeRole).toString() == code)
                    return r;
            }
            return -1;
        };
        const ProblemsModel *model = window.problemsModel();
        const int row = rowOf(u".gitlab-ci.yml"_qs, u"SC2086"_qs);
        QVERIFY2(row >= 0, "no SC2086 for .gitlab-ci.yml");
        QCOMPARE(model->index(row, ProblemsModel::PositionColumn).data().toString(), u"6:12");
        QCOMPARE(model->index(row, ProblemsModel::MessageColumn).data().toString(),
                 u"Double quote to prevent globbing and word splitting.");
        QCOMPARE(model->index(row, ProblemsModel::CodeColumn).data().toString(), u"SC2086");
        QCOMPARE(model->index(row, ProblemsModel::CodeColumn).data(Qt::ToolTipRole).toString(),
                 u"ShellCheck wiki: https://www.shellcheck.net/wiki/SC2086");
        QCOMPARE(model->index(row, ProblemsModel::MessageColumn).data(Qt::ToolTipRole).toString(),
                 u"Double quote to prevent globbing and word splitting.\n"
                 u"ShellCheck wiki: https://www.shellcheck.net/wiki/SC2086\n[SC2086]");
        // The included file's script, at its own file's position.
        const int included = rowOf(u"ci/jobs.yml"_qs, u"SC2086"_qs);
        QVERIFY2(included >= 0, "no SC2086 for ci/jobs.yml");
        QCOMPARE(model->index(included, ProblemsModel::PositionColumn).data().toString(), u"4:14");
        // A ShellCheck finding is never an error: the configuration is valid.
        QCOMPARE(window.statusText(), u"Pipeline syntax is correct.");

        // The squiggles: in each file's own editor.
        gui::CodeEditor *main = window.tabs()->editor(u".gitlab-ci.yml"_qs);
        gui::CodeEditor *jobs = window.tabs()->editor(u"ci/jobs.yml"_qs);
        QVERIFY(main && jobs);
        auto codesAt = [](const gui::CodeEditor *e, int line) {
            QStringList codes;
            for (const diag::Diagnostic &d : e->diagnostics()) {
                if (d.range.start.line == line)
                    codes << d.code;
            }
            return codes;
        };
        QVERIFY(codesAt(main, 6).contains(u"SC2086"_qs));
        QVERIFY(codesAt(jobs, 4).contains(u"SC2086"_qs));
        // The squiggle covers `$foo` (0-based line 5, characters 11 to 14), not the blank.
        QVERIFY(withCodes(main->diagnosticsAt(5, 11)).contains(u"SC2086"_qs));
        QVERIFY(withCodes(main->diagnosticsAt(5, 14)).contains(u"SC2086"_qs));
        QVERIFY(!withCodes(main->diagnosticsAt(5, 10)).contains(u"SC2086"_qs));

        // Fixing the script (unsaved) clears its findings; the other file's stay.
        main->setText(main->text().replace(u"echo $foo"_qs, u"echo fixed"_qs));
        QVERIFY(checked.wait(20000));
        QTRY_VERIFY(!lint->isRunning() && !lint->isCheckingScripts());
        QVERIFY(codesAt(main, 6).isEmpty());
        QCOMPARE(rowOf(u".gitlab-ci.yml"_qs, u"SC2086"_qs), -1);
        QVERIFY(rowOf(u"ci/jobs.yml"_qs, u"SC2086"_qs) >= 0);

        // The setting switches it off.
        gui::Settings settings = gui::Settings::load();
        settings.shellcheck = false;
        window.applySettings(settings);
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        lint->lintNow();
        QVERIFY(applied.wait(10000));
        QTRY_VERIFY(!lint->isRunning() && !lint->isCheckingScripts());
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(jobs->diagnostics().isEmpty());
    }

    void gitStatusInTheStatusBar()
    {
        QVERIFY(writeFile(m_dir->filePath(u".gitlab-ci.yml"_qs), withRules));
        gittest::RepoBuilder repo(m_dir->path(), "topic");
        repo.commit("init");
        const gui::GitState clean = gui::GitStatus::read(m_dir->path());
        QVERIFY(clean.repository);
        QCOMPARE(clean.branch, u"topic");
        QCOMPARE(clean.sha.size(), 8);
        QVERIFY(!clean.dirty);
        QCOMPARE(clean.text(), u"topic @ "_qs + clean.sha);

        QVERIFY(writeFile(m_dir->filePath(u"new.txt"_qs), "x"));
        MainWindow window;
        auto *status = window.findChild<gui::GitStatus *>();
        QVERIFY(status);
        QSignalSpy changed(status, &gui::GitStatus::stateChanged);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(changed.wait(10000));
        QCOMPARE(window.gitText(), u"topic @ "_qs + clean.sha + u" ●"_qs);
    }

private:
    std::optional<QTemporaryDir> m_dir;
};

QTEST_MAIN(TestIde)
#include "tst_ide.moc"
