#pragma once

#include "config.h"

#include <functional>

namespace stagecraft::dockerfile {
class ShellCheck;
struct ShellScript;
} // namespace stagecraft::dockerfile

namespace stagecraft::ci {

/// Reads a file of the configuration by its display name (for block scalars' indentation).
using FileTextProvider = std::function<QByteArray(const QString &displayName)>;

/// The shell scripts of the visible jobs, as the runner executes them: `before_script` + `script`
/// in one shell, `after_script` in another (after `extends`, `!reference` and `default:`).
/// Every script line keeps the file, line and column of the YAML text it came from; identical
/// scripts (the same template inherited by many jobs) appear once.
QList<dockerfile::ShellScript> jobScripts(const ResolvedConfig &config,
                                          const FileTextProvider &fileText);

/// ShellCheck on those scripts, findings at their YAML positions. When ShellCheck is not
/// installed: one info note, never an error.
diag::Diagnostics shellCheckScripts(const ResolvedConfig &config, const FileTextProvider &fileText,
                                    const dockerfile::ShellCheck &shellcheck,
                                    int timeoutMs = 30000);

} // namespace stagecraft::ci
