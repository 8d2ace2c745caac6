#include "highlightlexer.h"

#include <Qsci/qsciscintilla.h>

namespace stagecraft::gui {

HighlightLexer::HighlightLexer(Language language, QObject *parent)
    : QsciLexerCustom(parent)
    , m_language(language)
{
}

void HighlightLexer::setTheme(const Theme &theme, const QFont &font)
{
    setDefaultPaper(theme.paper);
    setDefaultColor(theme.text);
    setDefaultFont(font);
    setPaper(theme.paper, -1);
    setFont(font, -1);
    for (int s = 0; s < Highlighter::StyleCount; ++s) {
        setColor(theme.styles[s], s);
        setPaper(theme.paper, s);
        QFont f = font;
        f.setItalic(s == Highlighter::Comment);
        f.setBold(s == Highlighter::JobKey || s == Highlighter::Instruction);
        setFont(f, s);
    }
}

const char *HighlightLexer::language() const
{
    switch (m_language) {
    case Language::Yaml:
        return "YAML";
    case Language::Dockerfile:
        return "Dockerfile";
    case Language::Plain:
        break;
    }
    return "Text";
}

QString HighlightLexer::description(int style) const
{
    static const char *const names[] = {
        "Default", "Comment",       "Key",         "Job",      "String",   "Number",
        "Literal", "Anchor",        "Tag",         "Variable", "Operator", "Document marker",
        "Command", "Shell keyword", "Instruction", "Flag",     "Heredoc"};
    if (style < 0 || style >= Highlighter::StyleCount)
        return {};
    return QString::fromLatin1(names[style]);
}

void HighlightLexer::styleText(int /*start*/, int /*end*/)
{
    QsciScintilla *e = editor();
    if (!e)
        return;
    // The YAML state (block scalars, script sections) depends on earlier lines: restyle all.
    // The engine handles thousands of lines per millisecond.
    const int length = int(e->SendScintilla(QsciScintillaBase::SCI_GETLENGTH));
    QByteArray text(length + 1, '\0');
    e->SendScintilla(QsciScintillaBase::SCI_GETTEXT, length + 1, text.data());
    text.truncate(length);
    QByteArray styles;
    if (m_language == Language::Yaml)
        styles = Highlighter::yaml(text);
    else if (m_language == Language::Dockerfile)
        styles = Highlighter::dockerfile(text);
    else
        styles = QByteArray(length, Highlighter::Default);
    startStyling(0);
    int runStart = 0;
    for (int i = 1; i <= length; ++i) {
        if (i == length || styles.at(i) != styles.at(runStart)) {
            setStyling(i - runStart, int(styles.at(runStart)));
            runStart = i;
        }
    }
    if (m_language == Language::Yaml) {
        const QList<int> levels = Highlighter::yamlFoldLevels(text);
        for (qsizetype line = 0; line < levels.size(); ++line)
            e->SendScintilla(QsciScintillaBase::SCI_SETFOLDLEVEL, ulong(line),
                             long(levels.at(line)));
    }
}

const char *HighlightLexer::blockStart(int *style) const
{
    if (style)
        *style = Highlighter::Operator;
    return "";
}

const char *HighlightLexer::blockEnd(int *style) const
{
    if (style)
        *style = Highlighter::Operator;
    return "";
}

const char *HighlightLexer::wordCharacters() const
{
    return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
}

} // namespace stagecraft::gui
