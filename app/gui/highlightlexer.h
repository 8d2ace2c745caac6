#pragma once

#include "theme.h"

#include <Qsci/qscilexercustom.h>

namespace stagecraft::gui {

/// The QScintilla adapter of `Highlighter`: restyles the document with the engine and sets
/// YAML fold levels. Colours come from a `Theme`.
class HighlightLexer final : public QsciLexerCustom
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HighlightLexer)

public:
    enum class Language { Yaml, Dockerfile, Plain };

    HighlightLexer(Language language, QObject *parent = nullptr);

    Language kind() const { return m_language; }
    void setTheme(const Theme &theme, const QFont &font);

    const char *language() const final;
    QString description(int style) const final;
    void styleText(int start, int end) final;
    const char *blockStart(int *style = nullptr) const final;
    const char *blockEnd(int *style = nullptr) const final;
    const char *wordCharacters() const final;

private:
    Language m_language;
};

} // namespace stagecraft::gui
