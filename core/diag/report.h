#pragma once

#include "diagnostic.h"

#include <QByteArray>

namespace stagecraft::diag {

enum class ReportFormat { Text, Json, CodeQuality };

std::optional<ReportFormat> reportFormatFromName(QStringView name);

/// `file:line:col: severity: message [code]`, one line each, plus the hint on its own line.
QByteArray formatText(const Diagnostics &diagnostics);
/// `{"diagnostics":[{"file","line","column","endLine","endColumn","severity","code","message"}]}`
QByteArray formatJson(const Diagnostics &diagnostics);
/// GitLab's Code Quality report (a JSON array of CodeClimate-style issues).
QByteArray formatCodeQuality(const Diagnostics &diagnostics);

QByteArray format(const Diagnostics &diagnostics, ReportFormat format);

} // namespace stagecraft::diag
