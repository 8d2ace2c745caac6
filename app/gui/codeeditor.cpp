#include "codeeditor.h"

#include "problemsmodel.h"

#include <QFontDatabase>
#include <QToolTip>
#include <Qsci/qscilexeryaml.h>

namespace stagecraft::gui {

namespace {

constexpr int symbolMargin = 1;
// Indicators 0-7 belong to lexers; containers use 8 and above.
constexpr int firstIndicator = 8;
constexpr int firstMarker = 1;

int level(diag::Severity severity)
{
    switch (severity) {
    case diag::Severity::Error:
        return 0;
    case diag::Severity::Warning:
        return 1;
    case diag::Severity::Info:
        return 2;
    }
    return 2;
}

QColor colorFor(diag::Severity severity)
{
    switch (severity) {
    case diag::Severity::Error:
        return QColor(0xd3, 0x2f, 0x2f);
    case diag::Severity::Warning:
        return QColor(0xf5, 0x7c, 0x00);
    case diag::Severity::Info:
        return QColor(0x19, 0x76, 0xd2);
    }
    return Qt::black;
}

QColor annotationPaper(diag::Severity severity)
{
    switch (severity) {
    case diag::Severity::Error:
        return QColor(0xfd, 0xec, 0xea);
    case diag::Severity::Warning:
        return QColor(0xff, 0xf4, 0xe5);
    case diag::Severity::Info:
        return QColor(0xe8, 0xf1, 0xfb);
    }
    return Qt::white;
}

constexpr diag::Severity allSeverities[] = {diag::Severity::Error, diag::Severity::Warning,
                                            diag::Severity::Info};

} // namespace

CodeEditor::CodeEditor(QWidget *parent)
    : QsciScintilla(parent)
{
    const QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto *lexer = new QsciLexerYAML(this);
    lexer->setDefaultFont(font);
    lexer->setFont(font);
    setLexer(lexer);
    setUtf8(true);
    setIndentationsUseTabs(false);
    setIndentationWidth(2);
    setAutoIndent(true);
    setCaretLineVisible(true);
    setCaretLineBackgroundColor(QColor(0xf4, 0xf6, 0xf8));

    setMarginType(0, NumberMargin);
    setMarginsFont(font);
    setMarginWidth(0, QStringLiteral("00000"));
    setMarginType(symbolMargin, SymbolMargin);
    setMarginWidth(symbolMargin, 18);
    int mask = 0;
    for (diag::Severity s : allSeverities) {
        const int indicator = indicatorFor(s);
        indicatorDefine(SquiggleIndicator, indicator);
        setIndicatorForegroundColor(colorFor(s), indicator);
        setIndicatorDrawUnder(true, indicator);
        const int marker = markerFor(s);
        markerDefine(ProblemsModel::severityIcon(s).pixmap(14, 14), marker);
        mask |= 1 << marker;
    }
    setMarginMarkerMask(symbolMargin, mask);
    setMarginMarkerMask(0, 0);

    setAnnotationDisplay(AnnotationBoxed);
    QFont annotationFont = font;
    annotationFont.setItalic(true);
    for (diag::Severity s : allSeverities) {
        m_annotationStyles.emplace_back(-1, diag::severityName(s), colorFor(s), annotationPaper(s),
                                        annotationFont);
    }

    // The horizontal scroll bar follows the longest line instead of a fixed 2000 pixels.
    SendScintilla(SCI_SETSCROLLWIDTH, 1);
    SendScintilla(SCI_SETSCROLLWIDTHTRACKING, true);

    SendScintilla(SCI_SETMOUSEDWELLTIME, 400);
    connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &CodeEditor::showTooltip);
    connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

int CodeEditor::indicatorFor(diag::Severity severity)
{
    return firstIndicator + level(severity);
}

int CodeEditor::markerFor(diag::Severity severity)
{
    return firstMarker + level(severity);
}

CodeEditor::Span CodeEditor::spanOf(const diag::Diagnostic &d) const
{
    const int last = qMax(0, lines() - 1);
    Span s{};
    s.startLine = qBound(0, d.range.start.line - 1, last);
    QString lineText = text(s.startLine);
    while (lineText.endsWith(u'\n') || lineText.endsWith(u'\r'))
        lineText.chop(1);
    const int length = int(lineText.size());
    s.startIndex = qBound(0, d.range.start.column - 1, length);
    if (d.range.end.line > d.range.start.line ||
        (d.range.end.line == d.range.start.line && d.range.end.column > d.range.start.column)) {
        s.endLine = qBound(0, d.range.end.line - 1, last);
        s.endIndex = qMax(0, d.range.end.column - 1);
        return s;
    }
    // A point (YAML syntax errors are): underline the token there, or the one just before it,
    // so that the squiggle is visible.
    s.endLine = s.startLine;
    if (length == 0) {
        s.endIndex = 0;
        return s;
    }
    int at = qMin(s.startIndex, length - 1);
    if (lineText.at(at).isSpace() && at > 0 && !lineText.at(at - 1).isSpace())
        --at;
    if (lineText.at(at).isSpace()) {
        s.startIndex = at;
        s.endIndex = at + 1;
        return s;
    }
    int from = at;
    while (from > 0 && !lineText.at(from - 1).isSpace())
        --from;
    int to = at + 1;
    while (to < length && !lineText.at(to).isSpace())
        ++to;
    s.startIndex = from;
    s.endIndex = to;
    return s;
}

void CodeEditor::clearDiagnostics()
{
    const int last = qMax(0, lines() - 1);
    const int lastLength = int(text(last).size());
    for (diag::Severity s : allSeverities) {
        clearIndicatorRange(0, 0, last, lastLength, indicatorFor(s));
        markerDeleteAll(markerFor(s));
    }
    clearAnnotations();
    m_diagnostics.clear();
    m_spans.clear();
}

void CodeEditor::setDiagnostics(const diag::Diagnostics &diagnostics, const QString &file)
{
    clearDiagnostics();
    QMap<int, QList<qsizetype>> byLine; // 0-based line -> indexes into m_diagnostics
    for (const diag::Diagnostic &d : diagnostics) {
        if (d.file != file || d.range.start.line <= 0)
            continue;
        const Span span = spanOf(d);
        m_diagnostics.append(d);
        m_spans.append(span);
        fillIndicatorRange(span.startLine, span.startIndex, span.endLine, span.endIndex,
                           indicatorFor(d.severity));
        markerAdd(span.startLine, markerFor(d.severity));
        byLine[span.startLine].append(m_diagnostics.size() - 1);
    }
    for (auto it = byLine.cbegin(); it != byLine.cend(); ++it) {
        QStringList texts;
        int worst = level(diag::Severity::Info);
        for (qsizetype i : it.value()) {
            const diag::Diagnostic &d = m_diagnostics.at(i);
            texts.append(ProblemsModel::severityText(d.severity) + u": " + d.message);
            worst = qMin(worst, level(d.severity));
        }
        annotate(it.key(), texts.join(u'\n'), m_annotationStyles.at(size_t(worst)));
    }
}

diag::Diagnostics CodeEditor::diagnosticsAt(int line, int index) const
{
    diag::Diagnostics found;
    for (qsizetype i = 0; i < m_spans.size(); ++i) {
        const Span &s = m_spans.at(i);
        const bool afterStart =
            line > s.startLine || (line == s.startLine && index >= s.startIndex);
        const bool beforeEnd = line < s.endLine || (line == s.endLine && index < s.endIndex);
        if (afterStart && beforeEnd)
            found.append(m_diagnostics.at(i));
    }
    return found;
}

void CodeEditor::showTooltip(int position, int x, int y)
{
    if (position < 0)
        return;
    int line = 0;
    int index = 0;
    lineIndexFromPosition(position, &line, &index);
    const diag::Diagnostics here = diagnosticsAt(line, index);
    if (here.isEmpty())
        return;
    QStringList texts;
    for (const diag::Diagnostic &d : here)
        texts.append(ProblemsModel::severityText(d.severity) + u": " + d.message);
    QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), texts.join(u'\n'), viewport());
}

void CodeEditor::goTo(int line, int column)
{
    const int l = qBound(0, line - 1, qMax(0, lines() - 1));
    setCursorPosition(l, qMax(0, column - 1));
    ensureLineVisible(l);
    setFocus(Qt::OtherFocusReason);
}

} // namespace stagecraft::gui
