#pragma once

#include <QStringList>
#include <QTextStream>

#include <optional>

namespace stagecraft::cli {

/// Exit codes shared by every command.
enum ExitCode { Ok = 0, Findings = 1, UsageOrIo = 2 };

/// The project a PATH argument names: a CI file (its project root is the enclosing git work
/// tree, else its folder) or a folder holding `.gitlab-ci.yml`. Prints why not on `err`.
struct Project
{
    QString root;     ///< project folder
    QString mainFile; ///< relative to root
};
std::optional<Project> projectFor(const QString &path, QTextStream &err);

int runLint(const QStringList &arguments, QTextStream &out, QTextStream &err);
int runConfig(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace stagecraft::cli
