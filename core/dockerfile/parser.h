#pragma once

#include "dockerfile.h"

#include <QByteArray>
#include <QHash>

namespace stagecraft::dockerfile {

/// `$NAME` or `${NAME...}` inside a word.
struct VariableReference
{
    QString name;
    qsizetype start = 0; ///< offset of '$'
    qsizetype end = 0;   ///< one past the reference
    QString modifier;    ///< ":-", "+", "#", ... empty for plain references
    QString word;        ///< the text after the modifier
    bool braced = false;
};

struct SubstitutionError
{
    QString message; ///< BuildKit's wording, without the "failed to process" prefix
    qsizetype offset = -1;
};

/// Variable references in a word, as BuildKit's shell lexer finds them (single quotes and the
/// escape character suppress expansion); nested references in modifier words are included.
QList<VariableReference> variableReferences(QStringView text, QChar escape = u'\\',
                                            SubstitutionError *error = nullptr);

/// BuildKit's word expansion as used for FROM: plain references and the `-`, `:-`, `+`, `:+`
/// modifiers, quotes removed; unknown variables expand to nothing.
QString expandVariables(const QString &text, const QHash<QString, QString> &values,
                        QChar escape = u'\\');

/// A BuildKit-faithful Dockerfile parser that keeps the exact position of every token.
class Parser
{
public:
    static Dockerfile parse(const QString &text, const QString &file = {});
    static Dockerfile parse(const QByteArray &bytes, const QString &file = {});
    /// Reads and parses a file; an unreadable file gives one error diagnostic.
    static Dockerfile parseFile(const QString &path, const QString &displayName = {});

    /// True for the errors BuildKit's parser itself reports (the file cannot be parsed at all), as
    /// opposed to instruction errors (unknown instruction, bad flag...) found when building.
    static bool isSyntaxError(QStringView code);

    /// The instructions BuildKit knows, upper case.
    static const QStringList &instructionNames();
};

} // namespace stagecraft::dockerfile
