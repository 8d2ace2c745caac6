#include "codeeditor.h"

#include <QTest>

using namespace stagecraft;
using gui::CodeEditor;

namespace {
const QString file = QStringLiteral(".gitlab-ci.yml");
const QString text = QStringLiteral("build:\n"              // line 1
                                    "  stage: build\n"      // line 2
                                    "  script:\n"           // line 3
                                    "    - make all\n"      // line 4
                                    "\n"                    // line 5
                                    "test: {script: x}\n"); // line 6

diag::Diagnostic at(diag::Severity severity, int line, int column, int endLine = 0,
                    int endColumn = 0, const QString &inFile = file)
{
    return diag::make(severity, QStringLiteral("code"),
                      QStringLiteral("message %1:%2").arg(line).arg(column), inFile, line, column,
                      endLine, endColumn);
}

long indicatorAt(const CodeEditor &editor, diag::Severity severity, int line, int index)
{
    return editor.SendScintilla(QsciScintillaBase::SCI_INDICATORVALUEAT,
                                CodeEditor::indicatorFor(severity),
                                editor.positionFromLineIndex(line, index));
}
} // namespace

class TestCodeEditor : public QObject
{
    Q_OBJECT

private slots:
    // Which 0-based (line, index) cells a diagnostic underlines.
    void spans_data()
    {
        QTest::addColumn<diag::Diagnostic>("diagnostic");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("firstIndex");
        QTest::addColumn<int>("endIndex"); // exclusive
        QTest::newRow("range") << at(diag::Severity::Error, 2, 3, 2, 8) << 1 << 2 << 7;
        QTest::newRow("point inside a word: the word")
            << at(diag::Severity::Error, 4, 9, 4, 9) << 3 << 6 << 10;
        QTest::newRow("point on a colon: the token")
            << at(diag::Severity::Error, 1, 6) << 0 << 0 << 6;
        QTest::newRow("point past the end: last token")
            << at(diag::Severity::Warning, 3, 40) << 2 << 2 << 9;
        QTest::newRow("point on a space: that space")
            << at(diag::Severity::Info, 4, 1) << 3 << 0 << 1;
    }
    void spans()
    {
        QFETCH(diag::Diagnostic, diagnostic);
        QFETCH(int, line);
        QFETCH(int, firstIndex);
        QFETCH(int, endIndex);
        CodeEditor editor;
        editor.setText(text);
        editor.setDiagnostics({diagnostic}, file);
        for (int index = 0; index < 12; ++index) {
            const bool inside = index >= firstIndex && index < endIndex;
            QCOMPARE(editor.diagnosticsAt(line, index).size(), inside ? 1 : 0);
            if (index < editor.text(line).size() - 1)
                QCOMPARE(indicatorAt(editor, diagnostic.severity, line, index), inside ? 1L : 0L);
        }
    }

    void severitiesMarkersAnnotations()
    {
        CodeEditor editor;
        editor.setText(text);
        editor.setDiagnostics({at(diag::Severity::Error, 2, 3, 2, 8),
                               at(diag::Severity::Warning, 2, 10, 2, 15),
                               at(diag::Severity::Info, 4, 7, 4, 11),
                               at(diag::Severity::Error, 4, 1, 0, 0, u"other.yml"_qs),
                               diag::make(diag::Severity::Error, u"c"_qs, u"no position"_qs, file)},
                              file);
        QCOMPARE(editor.diagnostics().size(), 3); // other files and unpositioned ones are left out
        QCOMPARE(indicatorAt(editor, diag::Severity::Error, 1, 3), 1L);
        QCOMPARE(indicatorAt(editor, diag::Severity::Warning, 1, 3), 0L);
        QCOMPARE(indicatorAt(editor, diag::Severity::Warning, 1, 10), 1L);
        QCOMPARE(indicatorAt(editor, diag::Severity::Info, 3, 7), 1L);
        QCOMPARE(editor.markersAtLine(1),
                 (1u << CodeEditor::markerFor(diag::Severity::Error)) |
                     (1u << CodeEditor::markerFor(diag::Severity::Warning)));
        QCOMPARE(editor.markersAtLine(3), 1u << CodeEditor::markerFor(diag::Severity::Info));
        QCOMPARE(editor.annotation(1), u"Error: message 2:3\nWarning: message 2:10");
        QCOMPARE(editor.annotation(3), u"Info: message 4:7");
        QCOMPARE(editor.annotation(0), QString());

        // A new result replaces the old one completely.
        editor.setDiagnostics({at(diag::Severity::Warning, 6, 1, 6, 5)}, file);
        QCOMPARE(editor.diagnostics().size(), 1);
        QCOMPARE(indicatorAt(editor, diag::Severity::Error, 1, 3), 0L);
        QCOMPARE(editor.markersAtLine(1), 0u);
        QCOMPARE(editor.annotation(1), QString());
        QCOMPARE(indicatorAt(editor, diag::Severity::Warning, 5, 0), 1L);
    }

    void multiLineRange()
    {
        CodeEditor editor;
        editor.setText(text);
        editor.setDiagnostics({at(diag::Severity::Error, 2, 9, 4, 5)}, file);
        QCOMPARE(editor.diagnosticsAt(1, 7).size(), 0);
        QCOMPARE(editor.diagnosticsAt(1, 8).size(), 1);
        QCOMPARE(editor.diagnosticsAt(2, 0).size(), 1);
        QCOMPARE(editor.diagnosticsAt(3, 3).size(), 1);
        QCOMPARE(editor.diagnosticsAt(3, 4).size(), 0);
        QCOMPARE(indicatorAt(editor, diag::Severity::Error, 2, 4), 1L);
    }

    void goTo()
    {
        CodeEditor editor;
        editor.setText(text);
        editor.goTo(4, 7);
        int line = -1;
        int index = -1;
        editor.getCursorPosition(&line, &index);
        QCOMPARE(line, 3);
        QCOMPARE(index, 6);
        editor.goTo(99, 1); // clamped to the last line
        editor.getCursorPosition(&line, &index);
        QCOMPARE(line, editor.lines() - 1);
    }

    void completionReplacesThePrefix()
    {
        CodeEditor editor;
        editor.setCompletionSymbols({u".base"_qs, u"build"_qs, u"lint"_qs},
                                    {u"build"_qs, u"test"_qs});
        editor.setText(u"test:\n  needs: [bu]\n"_qs);
        editor.setCursorPosition(1, 12); // after "bu"
        QCOMPARE(editor.completionsAtCursor(), QStringList{u"build"_qs});
        editor.showCompletions();
        QVERIFY(editor.isListActive());
        // What choosing the entry in the popup does.
        emit editor.userListActivated(1, u"build"_qs);
        QCOMPARE(editor.text(), u"test:\n  needs: [build]\n");
    }

    void languages_data()
    {
        QTest::addColumn<int>("language");
        QTest::addColumn<QString>("sample");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("style");
        QTest::newRow("yaml job key")
            << int(gui::HighlightLexer::Language::Yaml) << u"build:\n  script: make\n"_qs << 0
            << int(gui::Highlighter::JobKey);
        QTest::newRow("yaml script")
            << int(gui::HighlightLexer::Language::Yaml) << u"build:\n  script: make\n"_qs << 17
            << int(gui::Highlighter::ShellCommand);
        QTest::newRow("dockerfile")
            << int(gui::HighlightLexer::Language::Dockerfile) << u"FROM alpine\n"_qs << 0
            << int(gui::Highlighter::Instruction);
    }
    void languages()
    {
        QFETCH(int, language);
        QFETCH(QString, sample);
        QFETCH(int, index);
        QFETCH(int, style);
        CodeEditor editor;
        editor.setLanguage(gui::HighlightLexer::Language(language));
        editor.setText(sample);
        // Styling is lazy: ask for the whole document as painting would.
        editor.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0, -1);
        QCOMPARE(int(editor.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, index)), style);
    }

    void helpForKeywordsAndVariables()
    {
        CodeEditor editor;
        editor.setText(u"build:\n  script: echo $CI_COMMIT_SHA\n"_qs);
        QVERIFY(editor.helpAt(1, 4).contains(u"shell commands of the job"_qs));
        QVERIFY(editor.helpAt(1, 20).contains(u"CI_COMMIT_SHA"_qs));
        QCOMPARE(editor.helpAt(0, 1), QString()); // the job's own name
    }

    void completionPopsUpWhereNamesStart_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("popup");
        QTest::newRow("needs flow") << u"test:\n  needs: "_qs << u"["_qs << true;
        QTest::newRow("stage value") << u"test:\n  stage:"_qs << u" "_qs << true;
        QTest::newRow("variable") << u"test:\n  script: echo "_qs << u"$"_qs << true;
        QTest::newRow("two letters of a key") << u"test:\n  s"_qs << u"t"_qs << true;
        QTest::newRow("space in a script") << u"test:\n  script: echo"_qs << u" "_qs << false;
        QTest::newRow("space after a plain key") << u"test:\n  image:"_qs << u" "_qs << false;
    }
    void completionPopsUpWhereNamesStart()
    {
        QFETCH(QString, before);
        QFETCH(QString, typed);
        QFETCH(bool, popup);
        CodeEditor editor;
        editor.setCompletionSymbols({u"build"_qs}, {u"build"_qs, u"test"_qs});
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setText(before);
        const int last = editor.lines() - 1;
        editor.setCursorPosition(last, int(editor.text(last).size()));
        QTest::keyClicks(editor.viewport(), typed);
        QCOMPARE(editor.isListActive(), popup);
    }
};

QTEST_MAIN(TestCodeEditor)
#include "tst_codeeditor.moc"
