#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace stagecraft::dockerfile {

/// A word of a shell command, quotes removed.
struct ShellWord
{
    QString text;
    qsizetype start = 0; ///< offset in the script
    qsizetype end = 0;
};

/// One simple command of a shell script, as the hadolint rules look at it: leading variable
/// assignments and reserved words dropped, redirections removed.
struct ShellCommand
{
    QList<ShellWord> words; ///< words[0] is the command
    qsizetype start = 0;
    qsizetype end = 0;
    bool pipedInto = false; ///< output goes to a pipe (`cmd | ...`)

    /// Base name of the command (`/usr/bin/apt-get` -> `apt-get`).
    QString name() const;
    QStringList arguments() const; ///< words after the command
    bool hasArgument(QStringView word) const;
    /// True when a short flag cluster (`-qy`) contains `letter` or a long flag equals `longName`.
    bool hasFlag(QChar letter, QStringView longName = {}) const;
    /// Arguments that are not flags, skipping the values of flags listed in `flagsWithValue`.
    QStringList operands(const QStringList &flagsWithValue = {}) const;

    /// Splits a shell script into simple commands (`&&`, `||`, `;`, `|`, `&`, newlines, subshells
    /// and command substitutions all separate commands).
    static QList<ShellCommand> split(QStringView script);
};

} // namespace stagecraft::dockerfile
