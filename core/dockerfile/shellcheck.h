#pragma once

#include "diag/diagnostic.h"

#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace stagecraft::dockerfile {

struct Dockerfile;
struct LintOptions;

/// A shell script cut out of a bigger file (a Dockerfile RUN, later a CI `script:`), with where
/// each of its lines starts in that file so that findings map back to it.
struct ShellScript
{
    QString text;
    QString shell = QStringLiteral("sh"); ///< ShellCheck dialect: sh, bash, dash or ksh
    QString file;                         ///< file name put on the diagnostics
    QList<diag::Position> lineStarts;     ///< lineStarts[i]: source position of script line i+1
    QStringList variables;                ///< names defined outside the script (no SC2154)
    QStringList excluded;                 ///< codes not reported for this script
};

/// Runs the `shellcheck` binary on scripts. A missing binary is a normal state, not an error:
/// isAvailable() is false and check() returns nothing.
class ShellCheck
{
public:
    explicit ShellCheck(const QString &program = QStringLiteral("shellcheck"));

    bool isAvailable() const;
    QString version() const;
    QString program() const { return m_program; }

    /// Codes never reported (hadolint's choice: SC2187 ash, SC1090/SC1091 sourced files).
    QStringList excluded = {QStringLiteral("SC2187"), QStringLiteral("SC1090"),
                            QStringLiteral("SC1091")};

    /// Synchronous (for the CLI and worker threads): every script, within `timeoutMs` in total.
    /// A timeout gives one info note on the first unfinished script; later ones are skipped.
    diag::Diagnostics check(const QList<ShellScript> &scripts, int timeoutMs = 20000) const;

    /// The same on the global thread pool: never blocks the calling (GUI) thread.
    QFuture<diag::Diagnostics> checkAsync(const QList<ShellScript> &scripts,
                                          int timeoutMs = 20000) const;

    /// The info note shown once when ShellCheck is not installed.
    static diag::Diagnostic unavailableNote(const QString &file, diag::Position where);

    /// Turns ShellCheck's json1 output for `script` (run with `preludeLines` extra lines in
    /// front) into diagnostics at Dockerfile positions. Public for tests.
    static diag::Diagnostics mapFindings(const QByteArray &json1, const ShellScript &script,
                                         int preludeLines, const QStringList &excluded);

private:
    struct State;
    QString m_program;
    std::shared_ptr<State> m_state;
};

/// Parser diagnostics + linter rules + ShellCheck on RUN (hadolint's behaviour), suppressions
/// applied. With `shellcheck` null or unavailable, one info note replaces the ShellCheck part.
diag::Diagnostics lintWithShellCheck(const Dockerfile &dockerfile, const LintOptions &options,
                                     const ShellCheck *shellcheck, int timeoutMs = 20000);

} // namespace stagecraft::dockerfile
