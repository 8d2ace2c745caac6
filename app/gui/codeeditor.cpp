#include "codeeditor.h"

#include "completion.h"
#include "helpcatalog.h"
#include "problemsmodel.h"

#include <QApplication>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QToolTip>

namespace stagecraft::gui {

namespace {

constexpr int symbolMargin = 1;
constexpr int foldMargin = 2;
constexpr int completionList = 1;
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
    setUtf8(true);
    m_font = font;
    m_theme = Theme::make(Theme::Kind::System, QApplication::palette());
    setLanguage(HighlightLexer::Language::Yaml);
    setIndentationsUseTabs(false);
    setIndentationWidth(2);
    setAutoIndent(true);
    setCaretLineVisible(true);
    setCaretLineBackgroundColor(QColor(0xf4, 0xf6, 0xf8));
    setBraceMatching(SloppyBraceMatch);
    setFolding(BoxedTreeFoldStyle, foldMargin);
    setAutoCompletionCaseSensitivity(false);

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
    connect(this, &QsciScintillaBase::SCN_CHARADDED, this, &CodeEditor::charAdded);
    connect(this, &QsciScintilla::userListActivated, this, &CodeEditor::completionChosen);
    applyTheme(m_theme, m_font);
}

void CodeEditor::setLanguage(HighlightLexer::Language language)
{
    if (m_lexer && m_lexer->kind() == language)
        return;
    auto *lexer = new HighlightLexer(language, this);
    // The editor lets go of the old lexer before it is deleted.
    lexer->setTheme(m_theme, m_font);
    setLexer(lexer);
    delete m_lexer;
    m_lexer = lexer;
    applyTheme(m_theme, m_font);
}

HighlightLexer::Language CodeEditor::language() const
{
    return m_lexer->kind();
}

void CodeEditor::applyTheme(const Theme &theme, const QFont &font)
{
    m_theme = theme;
    m_font = font;
    m_lexer->setTheme(theme, font);
    // setLexer re-reads the lexer's styles.
    setLexer(m_lexer);
    setCaretLineBackgroundColor(theme.caretLine);
    setCaretForegroundColor(theme.text);
    setMarginsBackgroundColor(theme.margin);
    setMarginsForegroundColor(theme.marginText);
    setMarginsFont(font);
    setFoldMarginColors(theme.margin, theme.margin);
    setSelectionBackgroundColor(theme.selection);
    setMatchedBraceBackgroundColor(theme.braceMatch);
    setMatchedBraceForegroundColor(theme.text);
    setUnmatchedBraceForegroundColor(QColor(0xd3, 0x2f, 0x2f));
    setMarginWidth(0, QStringLiteral("00000"));
}

void CodeEditor::setCompletionSymbols(const QStringList &jobs, const QStringList &stages)
{
    m_jobs = jobs;
    m_stages = stages;
}

void CodeEditor::cursorCharPosition(int *line, int *column) const
{
    int index = 0;
    getCursorPosition(line, &index);
    *column = charColumn(*line, index);
}

int CodeEditor::charColumn(int line, int byteIndex) const
{
    // QScintilla's index counts UTF-8 bytes; the analysis counts UTF-16 units.
    const QByteArray bytes = text(line).toUtf8();
    return int(QString::fromUtf8(bytes.left(byteIndex)).size());
}

QStringList CodeEditor::completionsAtCursor() const
{
    if (language() != HighlightLexer::Language::Yaml)
        return {};
    int line = 0;
    int column = 0;
    cursorCharPosition(&line, &column);
    const completion::Context ctx = completion::contextAt(text(), line, column);
    return completion::candidates(ctx, m_jobs, m_stages, HelpCatalog::instance().variableNames());
}

void CodeEditor::showCompletions()
{
    if (language() != HighlightLexer::Language::Yaml)
        return;
    int line = 0;
    int column = 0;
    cursorCharPosition(&line, &column);
    const completion::Context ctx = completion::contextAt(text(), line, column);
    QStringList items =
        completion::candidates(ctx, m_jobs, m_stages, HelpCatalog::instance().variableNames());
    if (items.isEmpty() || (items.size() == 1 && items.constFirst() == ctx.prefix))
        return;
    m_completionStart = ctx.prefixStart;
    showUserList(completionList, items);
}

void CodeEditor::charAdded(int character)
{
    if (isListActive() || language() != HighlightLexer::Language::Yaml)
        return;
    const QChar c(character);
    int line = 0;
    int column = 0;
    cursorCharPosition(&line, &column);
    const QString before = text(line).left(column);
    int word = 0;
    while (word < before.size() && (before.at(before.size() - 1 - word).isLetterOrNumber() ||
                                    before.at(before.size() - 1 - word) == u'_'))
        ++word;
    // Pop up after `$`, after two letters of a word, and where a list of names starts
    // (`needs: [`, `stage: `, `- ` under `needs`), but not after a space in a script.
    bool show = c == u'$' || (c.isLetter() && word == 2);
    if (c == u' ' || c == u'[' || c == u',') {
        using Kind = completion::Context::Kind;
        const Kind kind = completion::contextAt(text(), line, column).kind;
        show = kind == Kind::JobName || kind == Kind::StageName || kind == Kind::Value;
    }
    if (show)
        showCompletions();
}

void CodeEditor::completionChosen(int id, const QString &chosen)
{
    if (id != completionList)
        return;
    int line = 0;
    int column = 0;
    cursorCharPosition(&line, &column);
    const QString lineText = text(line);
    // Replace the typed prefix and the rest of the word under the cursor.
    int end = column;
    while (end < lineText.size() && (lineText.at(end).isLetterOrNumber() ||
                                     lineText.at(end) == u'_' || lineText.at(end) == u'-'))
        ++end;
    const int startByte = int(lineText.left(m_completionStart).toUtf8().size());
    const int endByte = int(lineText.left(end).toUtf8().size());
    setSelection(line, startByte, line, endByte);
    replaceSelectedText(chosen);
}

QString CodeEditor::helpAt(int line, int column) const
{
    if (language() != HighlightLexer::Language::Yaml)
        return {};
    const completion::Symbol symbol = completion::symbolAt(text(), line, column);
    if (symbol.kind == completion::Symbol::Kind::Keyword)
        return HelpCatalog::instance().keywordTooltip(symbol.name);
    if (symbol.kind == completion::Symbol::Kind::Variable)
        return HelpCatalog::instance().variableTooltip(symbol.name);
    return {};
}

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_F12) {
        int line = 0;
        int column = 0;
        cursorCharPosition(&line, &column);
        emit definitionRequested(line, column);
        return;
    }
    if (event->key() == Qt::Key_Space && (event->modifiers() & Qt::ControlModifier)) {
        showCompletions();
        return;
    }
    QsciScintilla::keyPressEvent(event);
}

void CodeEditor::mouseReleaseEvent(QMouseEvent *event)
{
    QsciScintilla::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier)) {
        int line = 0;
        int column = 0;
        cursorCharPosition(&line, &column);
        emit definitionRequested(line, column);
    }
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
    if (here.isEmpty()) {
        const QString help = helpAt(line, charColumn(line, index));
        if (!help.isEmpty())
            QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)), help, viewport());
        return;
    }
    QStringList texts;
    for (const diag::Diagnostic &d : here) {
        // The code and hint as in the problems list (ShellCheck's SC2086 and its wiki page).
        QString text = ProblemsModel::severityText(d.severity) + u": " + d.message;
        if (!d.code.isEmpty())
            text += u" [" + d.code + u']';
        if (!d.hint.isEmpty())
            text += u'\n' + d.hint;
        texts.append(text);
    }
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
