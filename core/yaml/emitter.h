#pragma once

#include "node.h"

#include <QByteArray>

namespace stagecraft::yaml {

/// Writes a Node tree as block-style YAML that any YAML 1.1 or 1.2 reader reads back to the
/// same values (strings that would read as something else are quoted).
QByteArray toYaml(const Node &node);

/// Whether a string must be quoted to stay a string.
bool needsQuotes(const QString &value);

} // namespace stagecraft::yaml
