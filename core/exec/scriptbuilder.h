#pragma once

#include "yaml/node.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace stagecraft::exec {

// The scripts and trace markers of a job in GitLab Runner's shape (shells/bash.go).

/// ANSI sequences GitLab Runner uses in traces.
namespace ansi {
inline constexpr char boldGreen[] = "\x1b[32;1m";
inline constexpr char boldRed[] = "\x1b[31;1m";
inline constexpr char boldCyan[] = "\x1b[36;1m";
inline constexpr char yellow[] = "\x1b[0;33m";
inline constexpr char reset[] = "\x1b[0;m";
} // namespace ansi

/// The lines of `script:`/`before_script:`/`after_script:` (a string or nested sequences).
QStringList scriptCommands(const yaml::Node &node);

/// POSIX single-quoted word ('it'\''s').
QString shellQuote(const QString &text);

/// What the trace shows for a command: the first line, with " # collapsed multi-line command"
/// when there are more.
QString displayCommand(const QString &command);

struct ScriptOptions
{
    bool debugTrace = false; ///< CI_DEBUG_TRACE: `set -o xtrace`
    /// Lines run before the commands without being echoed (e.g. `export CI_JOB_STATUS=...`).
    QStringList prologue;
};

/// A complete script: errexit and pipefail as the runner sets them, each command echoed as
/// `$ command` in bold green before it runs, everything in one `eval` with an empty stdin.
/// Runs in bash and in POSIX sh.
QByteArray buildScript(const QStringList &commands, const ScriptOptions &options = {});

/// `section_start:<unix>:<name>\r\e[0K\e[0K\e[36;1m<title>\e[0;m\n`
QByteArray sectionStart(const QString &name, const QString &title);
/// `section_end:<unix>:<name>\r\e[0K\n`
QByteArray sectionEnd(const QString &name);

/// Go's time.Duration string of whole seconds: `1h0m0s`, `1m30s`, `2s`.
QString goDuration(qint64 seconds);

/// GitLab Runner's detect script (shells/bash.go, BashDetectShellScript) for containers and pods:
/// runs bash when the image has it, else sh, with the script's arguments ("$@") passed on.
extern const char kDetectShell[];

} // namespace stagecraft::exec
