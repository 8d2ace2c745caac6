#pragma once

#include "diag/diagnostic.h"
#include "highlightlexer.h"

#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#include <vector>

namespace stagecraft::gui {

/// The editor of one file: QScintilla with the Stagecraft lexer of its language (YAML with shell
/// scripts, Dockerfile), folding and brace matching, plus the diagnostics of the file drawn as
/// squiggles (red error, orange warning, blue info), margin markers, boxed annotations under the
/// line, a tooltip when the mouse rests on a marked range or on a keyword or variable, completion
/// from `completion::contextAt` and go to definition requests (F12, Ctrl+click).
class CodeEditor final : public QsciScintilla
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeEditor)

public:
    explicit CodeEditor(QWidget *parent = nullptr);

    void setLanguage(HighlightLexer::Language language);
    HighlightLexer::Language language() const;
    void applyTheme(const Theme &theme, const QFont &font);

    /// Job and stage names offered by completion (from the last lint).
    void setCompletionSymbols(const QStringList &jobs, const QStringList &stages);
    /// What completion offers at the cursor (for the popup and tests).
    QStringList completionsAtCursor() const;
    void showCompletions();
    /// Help for the keyword or variable at a 0-based line and character column; empty if none.
    QString helpAt(int line, int column) const;
    /// The cursor's 0-based line and character (UTF-16) column.
    void cursorCharPosition(int *line, int *column) const;

    /// Shows the diagnostics whose file is `file`; the others are ignored.
    void setDiagnostics(const diag::Diagnostics &diagnostics, const QString &file);
    const diag::Diagnostics &diagnostics() const { return m_diagnostics; }

    /// Moves the cursor to a 1-based line and column and shows it.
    void goTo(int line, int column);

    /// The diagnostics whose range covers a 0-based line and index (for tooltips and tests).
    diag::Diagnostics diagnosticsAt(int line, int index) const;
    /// Indicator number used for a severity (for tests).
    static int indicatorFor(diag::Severity severity);
    static int markerFor(diag::Severity severity);

signals:
    /// F12 or Ctrl+click: follow the name at this 0-based line and character column.
    void definitionRequested(int line, int column);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void charAdded(int character);
    void completionChosen(int id, const QString &text);
    int charColumn(int line, int byteIndex) const;

    struct Span
    {
        int startLine, startIndex, endLine, endIndex; ///< 0-based, end exclusive
    };
    Span spanOf(const diag::Diagnostic &d) const;
    void showTooltip(int position, int x, int y);
    void clearDiagnostics();

    diag::Diagnostics m_diagnostics;
    QList<Span> m_spans;
    std::vector<QsciStyle> m_annotationStyles; ///< by severity level: error, warning, info
    HighlightLexer *m_lexer = nullptr;
    Theme m_theme;
    QFont m_font;
    QStringList m_jobs;
    QStringList m_stages;
    int m_completionStart = 0; ///< character column where the completed word starts
};

} // namespace stagecraft::gui
