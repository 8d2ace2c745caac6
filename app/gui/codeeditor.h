#pragma once

#include "diag/diagnostic.h"

#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#include <vector>

namespace stagecraft::gui {

/// The YAML editor: QScintilla with the YAML lexer, plus the diagnostics of the open file drawn
/// as squiggles (red error, orange warning, blue info), margin markers, boxed annotations under
/// the line, and a tooltip when the mouse rests on a marked range.
class CodeEditor final : public QsciScintilla
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeEditor)

public:
    explicit CodeEditor(QWidget *parent = nullptr);

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

private:
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
};

} // namespace stagecraft::gui
