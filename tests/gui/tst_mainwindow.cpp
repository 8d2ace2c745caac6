#include "codeeditor.h"
#include "lintcontroller.h"
#include "mainwindow.h"
#include "problemsmodel.h"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace stagecraft;
using gui::MainWindow;
using gui::ProblemsModel;

namespace {
const QByteArray broken = "stages: [build, test\n\nbuild:\n  script: make\n";
const QByteArray fixed = "stages: [build, test]\n\nbuild:\n  script: make\n";
const QString brokenStatus =
    QStringLiteral("This GitLab CI configuration is invalid: this flow sequence '[' is never closed");
const QString validStatus = QStringLiteral("Pipeline syntax is correct.");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir.emplace();
        QVERIFY(m_dir->isValid());
        QFile file(m_dir->filePath(QStringLiteral(".gitlab-ci.yml")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(broken);
    }

    void statusWording_data()
    {
        QTest::addColumn<diag::Diagnostics>("diagnostics");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << diag::Diagnostics{} << validStatus;
        QTest::newRow("warnings only")
            << diag::Diagnostics{diag::make(diag::Severity::Warning, u"w"_qs, u"careful"_qs)}
            << validStatus;
        QTest::newRow("first error")
            << diag::Diagnostics{diag::make(diag::Severity::Warning, u"w"_qs, u"careful"_qs),
                                 diag::make(diag::Severity::Error, u"e"_qs,
                                            u"jobs config should "
                                            "contain at least one "
                                            "visible job"_qs),
                                 diag::make(diag::Severity::Error, u"e"_qs, u"second"_qs)}
            << u"This GitLab CI configuration is invalid: jobs config should contain at least one "
               "visible job"_qs;
    }
    void statusWording()
    {
        QFETCH(diag::Diagnostics, diagnostics);
        QFETCH(QString, text);
        QCOMPARE(MainWindow::statusTextFor(diagnostics), text);
    }

    void showsSyntaxErrorThenFix()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QVERIFY(window.openProject(m_dir->path()));
        QCOMPARE(window.currentFile(), u".gitlab-ci.yml");
        QVERIFY(applied.wait(10000));

        // Problems dock.
        const ProblemsModel *problems = window.problemsModel();
        QCOMPARE(problems->rowCount(), 1);
        QCOMPARE(problems->index(0, ProblemsModel::SeverityColumn).data().toString(), u"Error");
        QCOMPARE(problems->index(0, ProblemsModel::MessageColumn).data().toString(),
                 u"this flow sequence '[' is never closed");
        QCOMPARE(problems->index(0, ProblemsModel::FileColumn).data().toString(),
                 u".gitlab-ci.yml");
        QCOMPARE(problems->index(0, ProblemsModel::PositionColumn).data().toString(), u"1:9");
        QCOMPARE(window.findChild<QDockWidget *>(u"problemsDock"_qs)->windowTitle(),
                 u"Problems (1)");

        // Status bar.
        QCOMPARE(window.statusText(), brokenStatus);
        QCOMPARE(window.findChild<QLabel *>(u"lintStatus"_qs)->text(), brokenStatus);

        // Editor: squiggle under the unclosed '[' at 1:9, marker and annotation on line 1.
        gui::CodeEditor *editor = window.editor();
        QCOMPARE(editor->diagnostics().size(), 1);
        QCOMPARE(editor->diagnosticsAt(0, 8).size(), 1);
        QCOMPARE(editor->diagnosticsAt(0, 9).size(), 0);
        QCOMPARE(editor->diagnosticsAt(2, 0).size(), 0);
        const int indicator = gui::CodeEditor::indicatorFor(diag::Severity::Error);
        const int position = editor->positionFromLineIndex(0, 8);
        QCOMPARE(
            editor->SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, indicator, position),
            1L);
        QCOMPARE(editor->SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, indicator,
                                       editor->positionFromLineIndex(2, 0)),
                 0L);
        QCOMPARE(editor->markersAtLine(0), 1u << gui::CodeEditor::markerFor(diag::Severity::Error));
        QCOMPARE(editor->markersAtLine(2), 0u);
        QCOMPARE(editor->annotation(0), u"Error: this flow sequence '[' is never closed");

        // Double-clicking the problem moves the cursor there.
        editor->setCursorPosition(3, 0);
        auto *view = window.findChild<QTreeView *>(u"problemsView"_qs);
        QVERIFY(view);
        const QRect rect = view->visualRect(problems->index(0, ProblemsModel::MessageColumn));
        QVERIFY(rect.isValid());
        QSignalSpy activated(view, &QAbstractItemView::activated);
        // A double-click is a press/release then a press/double-click/release, as a user makes it.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(activated.count(), 1);
        int line = -1;
        int index = -1;
        editor->getCursorPosition(&line, &index);
        QCOMPARE(line, 0);
        QCOMPARE(index, 8);

        // Fixing the text in the editor (no save) clears everything.
        editor->setText(QString::fromUtf8(fixed));
        QVERIFY(window.isWindowModified());
        QVERIFY(applied.wait(10000));
        QCOMPARE(problems->rowCount(), 0);
        QCOMPARE(window.statusText(), validStatus);
        QCOMPARE(editor->diagnostics().size(), 0);
        QCOMPARE(editor->markersAtLine(0), 0u);
        QCOMPARE(editor->annotation(2), QString());
        QCOMPARE(
            editor->SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT, indicator, position),
            0L);
        // Only the buffer changed: the file on disk is still the broken one.
        QCOMPARE(readFile(m_dir->filePath(u".gitlab-ci.yml"_qs)), broken);
    }

    void saveWritesTheBuffer()
    {
        MainWindow window;
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QVERIFY(window.openProject(m_dir->path()));
        QVERIFY(applied.wait(10000));
        QVERIFY(!window.editor()->isModified());
        window.editor()->setText(QString::fromUtf8(fixed));
        QVERIFY(window.editor()->isModified());
        QVERIFY(window.save());
        QVERIFY(!window.editor()->isModified());
        QVERIFY(!window.isWindowModified());
        QCOMPARE(readFile(m_dir->filePath(u".gitlab-ci.yml"_qs)), fixed);
        QVERIFY(applied.wait(10000)); // the edit is linted too
        QCOMPARE(window.statusText(), validStatus);
    }

    void folderWithoutConfig()
    {
        QTemporaryDir empty;
        MainWindow window;
        QSignalSpy applied(&window, &MainWindow::diagnosticsApplied);
        QVERIFY(window.openProject(empty.path()));
        QVERIFY(window.editor()->text().isEmpty());
        QVERIFY(applied.wait(10000));
        // Saving creates the file.
        window.editor()->setText(QString::fromUtf8(fixed));
        QVERIFY(window.save());
        QCOMPARE(readFile(empty.filePath(u".gitlab-ci.yml"_qs)), fixed);
    }

    void missingFolder()
    {
        MainWindow window;
        QVERIFY(!window.openProject(m_dir->filePath(u"does-not-exist"_qs)));
        QVERIFY(window.projectRoot().isEmpty());
        QCOMPARE(window.statusText(), u"No project open.");
    }

private:
    std::optional<QTemporaryDir> m_dir;
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
