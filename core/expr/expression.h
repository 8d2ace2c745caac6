#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>
#include <optional>

namespace stagecraft::expr {

/// Variables visible to an expression: name -> value. Absent names are undefined (null).
using Variables = QHash<QString, QString>;

struct ParseError
{
    QString message;
    int column = 0; ///< 1-based column inside the expression text

    friend bool operator==(const ParseError &, const ParseError &) = default;
};

/// A parsed `rules:if` / `only:variables` expression (GitLab's CI/CD variable expressions).
///
/// Grammar (GitLab's lexer and precedence; `&&` binds tighter than `||`):
///   or      := and ('||' and)*
///   and     := term ('&&' term)*
///   term    := '(' or ')' | operand [('==' | '!=') operand]
///                         | operand ('=~' | '!~') (regex | variable | string)
///   operand := $NAME | "string" | 'string' | null | /regex/flags
/// A quoted string right of `=~` is accepted because GitLab accepts it (real projects use it),
/// but it is not a regex match, so it is reported through warnings().
class Expression
{
public:
    static Expression parse(QStringView text);

    bool isValid() const;
    const std::optional<ParseError> &error() const;
    /// GitLab's result for these variables; false for an invalid expression.
    bool evaluate(const Variables &variables) const;

    /// Things GitLab accepts but that almost certainly do not mean what the author wanted
    /// (message + 1-based column, like error()); empty for an invalid expression.
    QList<ParseError> warnings() const;
    /// The variables the expression reads, in order of first use, without the `$`.
    QStringList variableNames() const;
    /// A fully parenthesised prefix form, e.g. `(|| (== $A "x") $B)`, for tests and debugging;
    /// empty for an invalid expression.
    QString toString() const;

private:
    struct Impl;
    std::shared_ptr<const Impl> d;
    std::optional<ParseError> m_error;
};

} // namespace stagecraft::expr
