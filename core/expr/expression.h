#pragma once

#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace stagecraft::expr {

/// Variables visible to an expression: name -> value. Absent names are undefined (null).
using Variables = QHash<QString, QString>;

struct ParseError
{
    QString message;
    int column = 0; ///< 1-based column inside the expression text
};

/// A parsed `rules:if` / `only:variables` expression (GitLab's CI/CD variable expressions).
class Expression
{
public:
    static Expression parse(QStringView text);

    bool isValid() const;
    const std::optional<ParseError> &error() const;
    bool evaluate(const Variables &variables) const;

private:
    struct Impl;
    std::shared_ptr<const Impl> d;
    std::optional<ParseError> m_error;
};

} // namespace stagecraft::expr
