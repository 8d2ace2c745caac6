#pragma once

#include "config.h"

#include <QList>
#include <QPair>
#include <QString>

namespace stagecraft::ci {

/// A job as the runner sees it: the job's own map (extends and !reference already resolved by
/// the resolver) plus what it inherits:
/// - keys of `default:` (and the legacy top-level image, services, cache, before_script,
///   after_script) that the job does not set, filtered by `inherit:default` (true, false or a
///   list of keys);
/// - global `variables:` under the job's own, filtered by `inherit:variables` (true, false or a
///   list of names); the job's values win.
/// Every node keeps the location it was written at (the job's file, or the `default:` block).
yaml::Node effectiveJob(const ResolvedConfig &config, const Job &job);

/// Keys that `default:` may hold (GitLab's Entry::Default).
const QStringList &defaultableKeys();

/// Where each key of a job was written: "image", "variables.FOO", "artifacts.paths" -> location
/// of the key node (the job's file, an included file or an extended parent). Keys come in the
/// job's order, sub-keys of maps after their parent.
QList<QPair<QString, yaml::Location>> provenance(const Job &job);

/// Same for the effective job (inherited default keys and global variables included).
QList<QPair<QString, yaml::Location>> provenance(const ResolvedConfig &config, const Job &job);

} // namespace stagecraft::ci
