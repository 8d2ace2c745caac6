#pragma once

#include "ci/config.h"

#include <QString>

#include <optional>

namespace stagecraft::gui {

/// Where "go to definition" leads.
struct Target
{
    QString file; ///< relative to the project (as diagnostics name files)
    int line = 1; ///< 1-based
    int column = 1;
};

/// Go to definition for a YAML buffer: `extends`, `needs`, `dependencies` and `!reference` lead
/// to the job's key (in whichever file defines it, from the last resolved configuration, or the
/// same buffer when the configuration does not know it yet), `*alias` to its `&anchor`,
/// `include:local` to the file. No widgets: the window opens the target.
std::optional<Target> definitionAt(const QString &file, const QString &text, int line, int column,
                                   const ci::ResolvedConfig *config);

} // namespace stagecraft::gui
