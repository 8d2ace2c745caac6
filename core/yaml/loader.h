#pragma once

#include "diag/diagnostic.h"
#include "node.h"

#include <QByteArray>
#include <QList>

namespace stagecraft::yaml {

/// Limits that turn hostile or broken input into a clear error instead of a crash or a hang.
struct LoadLimits
{
    qint64 maxFileBytes = 4 * 1024 * 1024;
    int maxDepth = 100;                    ///< GitLab's MAX_YAML_DEPTH
    qint64 maxExpandedNodes = 2'000'000;   ///< nodes after alias expansion ("billion laughs")
};

struct Document
{
    Node root;           ///< undefined for an empty document
    Location start;      ///< where the document starts (its `---` when written)
    bool explicitStart = false;
};

struct LoadResult
{
    QList<Document> documents;
    diag::Diagnostics diagnostics;
    bool ok = true; ///< false on a syntax error or an exceeded limit (documents may be partial)
};

/// The one place that talks to yaml-cpp: parses YAML text into positioned Node trees, applies
/// `<<` merge keys, resolves aliases (sharing, not copying), keeps tags, reports duplicate keys.
class Loader
{
public:
    static LoadResult load(const QByteArray &text, const QString &fileName,
                           const LoadLimits &limits = {});
    /// Reads the file (refusing files over the size limit before reading them).
    static LoadResult loadFile(const QString &path, const QString &displayName,
                               const LoadLimits &limits = {});
};

} // namespace stagecraft::yaml
