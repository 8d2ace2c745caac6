#pragma once

#include <QStringView>

#include <optional>

namespace stagecraft::ci {

/// Parses a duration the way GitLab does with ChronicDuration (`3 hours 30 min`, `1h 30m`,
/// `2 weeks`, `90` = seconds, `1:30:00`). Returns the number of seconds, or nothing when the text
/// is not a duration. `never` is not handled here: only some keywords allow it.
std::optional<qint64> parseDuration(QStringView text);

} // namespace stagecraft::ci
