#pragma once

#include "config.h"

#include <QHash>
#include <QStringList>

#include <optional>

namespace stagecraft::ci {

struct ResolveOptions
{
    QString projectRoot;                                 ///< absolute path of the project folder
    QString mainFile = QStringLiteral(".gitlab-ci.yml"); ///< relative to projectRoot
    /// Folder with offline copies of remote includes (project/template/remote/component).
    /// Layout: see docs/includes-cache.md. Empty: such includes are reported as not resolved.
    QString includeCacheDir;
    /// Unsaved editor buffers: relative path -> content, read instead of the disk.
    QHash<QString, QByteArray> overlay;
    /// The project as of a revision: its files (relative paths). When set, nothing of the project
    /// is read from or listed on disk: wildcards and `exists` see these files, and the files
    /// read come from `overlay` (which holds the revision's YAML files).
    std::optional<QStringList> projectFiles;
    /// Variables known when includes are evaluated (`include:rules`, variables in paths).
    QHash<QString, QString> variables;
    int maxIncludes = 150;
    /// Values for the main file's own `spec:inputs` (name -> value); absent ones take defaults.
    QHash<QString, yaml::Node> inputs;
};

/// Reads a project's CI configuration the way GitLab does: includes, spec:inputs, extends,
/// !reference, default handling stays for the validator. Never throws; problems become diagnostics.
class Resolver
{
public:
    static ResolvedConfig resolve(const ResolveOptions &options);
};

} // namespace stagecraft::ci
