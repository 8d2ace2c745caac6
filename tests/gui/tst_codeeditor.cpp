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
};

QTEST_MAIN(TestCodeEditor)
#include "tst_codeeditor.moc"
