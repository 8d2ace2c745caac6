#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace stagecraft::expr {

/// A regular expression with RE2 semantics, as GitLab evaluates `rules:if`, `only:refs`,
/// `coverage` and the like. RE2 rejects look-around and back-references.
class Regex
{
public:
    /// `pattern` without slashes; `flags` from the `/.../flags` literal (i, m, s, U).
    static Regex compile(const QString &pattern, const QString &flags = {});
    /// Parses a `/pattern/flags` literal; a string that is not one gives an invalid Regex whose
    /// error says so.
    static Regex fromLiteral(const QString &literal);
    static bool isLiteral(const QString &text);

    bool isValid() const;
    QString error() const; ///< RE2's message when invalid
    /// Unanchored search, as GitLab does (`/^x/` needs the caret to anchor).
    bool search(const QString &text) const;

    struct Impl;

private:
    static Regex compileUncached(const QString &pattern, const QString &flags);
    std::shared_ptr<const Impl> d;
};

/// The RE2 error for a pattern, or nothing when RE2 accepts it.
std::optional<QString> re2Error(const QString &pattern, const QString &flags = {});

} // namespace stagecraft::expr
