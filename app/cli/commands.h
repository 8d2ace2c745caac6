#pragma once

#include <QStringList>
#include <QTextStream>

namespace stagecraft::cli {

/// Exit codes shared by every command.
enum ExitCode { Ok = 0, Findings = 1, UsageOrIo = 2 };

int runLint(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runConfig(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace stagecraft::cli
