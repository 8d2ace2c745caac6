#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace stagecraft::gui {

/// The highlighting engine for the editors: YAML (with `script:` blocks as shell) and Dockerfiles
/// (with shell in RUN). Plain C++ over UTF-8 bytes, one style per byte, so it is testable without
/// widgets; `HighlightLexer` is the QScintilla adapter.
class Highlighter
{
public:
    enum Style : char {
        Default = 0,
        Comment,
        Key,    ///< a mapping key
        JobKey, ///< a top-level key that is not a global keyword (a job or a hidden job)
        String,
        Number,
        Literal,  ///< true/false/null, `AS` in FROM
        Anchor,   ///< &anchor and *alias
        Tag,      ///< !reference, !!str
        Variable, ///< $VAR, ${VAR}, $(...)
        Operator, ///< YAML indicators, shell operators, JSON brackets
        DocumentMarker,
        ShellCommand, ///< first word of a shell command
        ShellKeyword,
        Instruction, ///< Dockerfile FROM, RUN...
        Flag,        ///< --from=..., --mount=...
        Heredoc,     ///< heredoc delimiters and non-shell heredoc bodies
        StyleCount
    };

    static QByteArray yaml(QByteArrayView text);
    static QByteArray dockerfile(QByteArrayView text);
    /// Styles one line of shell (no newline) into `styles`, one byte per byte of `line`.
    static void shell(QByteArrayView line, char *styles);

    /// Indentation-based fold levels for YAML, one per line (Scintilla's encoding: 0x400 base,
    /// 0x1000 white line, 0x2000 header).
    static QList<int> yamlFoldLevels(QByteArrayView text);
};

} // namespace stagecraft::gui
