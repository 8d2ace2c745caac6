#pragma once

// Internal pieces of the resolver shared by its source files (not installed, not for consumers).

#include "diag/diagnostic.h"
#include "resolver.h"
#include "yaml/loader.h"
#include "yaml/node.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>

namespace stagecraft::ci::detail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::ci", text);
}

/// Appends a diagnostic located at a node (its whole range when known).
void report(diag::Diagnostics &out, diag::Severity severity, const QString &code,
            const QString &message, const yaml::Location &at, const QString &hint = {});

/// Ruby's Hash#deep_merge as GitLab uses it: maps are merged recursively (b wins), anything
/// else is replaced by b. Key order: a's keys first, then b's new keys. Key nodes come from b
/// when b has the key (where the value in effect was written); values keep their locations.
yaml::Node deepMerge(const yaml::Node &a, const yaml::Node &b);

/// The map without the given key (same node when absent).
yaml::Node withoutKey(const yaml::Node &map, QStringView key);

/// Replaces (or appends) the value of a key, keeping the existing key node.
yaml::Node withValue(const yaml::Node &map, const yaml::Node &key, const yaml::Node &value);

/// `$VAR` / `${VAR}` expansion with known variables; unknown ones are left as written.
QString expandVariables(const QString &text, const QHash<QString, QString> &variables);

/// Glob as GitLab documents it for `include:local` and `rules:exists`: `*` within a folder,
/// `**` across folders (`a/**/*.yml` needs at least one sub-folder), `?`, `{a,b}`. Dot files
/// match. Returns an anchored regular-expression pattern.
QString globToRegex(const QString &glob);

/// Text of a scalar as GitLab's JSON-like rendering of arrays in messages: ["a", "b"].
QString inspectList(const QStringList &items);

// ---- spec:inputs (inputs.cpp) ------------------------------------------------------------------

struct InputContext
{
    /// Provided values (include:inputs or ResolveOptions::inputs), name -> value node.
    QList<QPair<yaml::Node, yaml::Node>> provided; ///< (key node, value node) in written order
    yaml::Location providedAt;         ///< where the inputs were given (the include entry)
    QHash<QString, QString> component; ///< `component.*` interpolation keys (name, version...)
    const QHash<QString, QString> *variables = nullptr; ///< for `expand_vars`
};

/// Validates the header against the provided inputs and interpolates `$[[ ... ]]` everywhere in
/// `content` (keys too). Diagnostics go to `out`. Returns the interpolated content.
yaml::Node applyInputs(const yaml::Node &header, const yaml::Node &content,
                       const InputContext &context, diag::Diagnostics &out);

// ---- extends (extends.cpp) ---------------------------------------------------------------------

/// Resolves `extends` of every job of the merged root (the key is kept, as GitLab does).
yaml::Node resolveExtends(const yaml::Node &root, bool incomplete, diag::Diagnostics &out);

// ---- !reference (references.cpp) ---------------------------------------------------------------

/// Replaces every `!reference [...]` of the root, then flattens nested arrays in the script keys.
yaml::Node resolveReferences(const yaml::Node &root, bool incomplete, diag::Diagnostics &out);

/// Flattens nested arrays of script/before_script/after_script (at most 10 levels, beyond which
/// the value is left as is for the validator to report).
yaml::Node flattenScripts(const yaml::Node &root);

// ---- includes (includes.cpp) -------------------------------------------------------------------

struct IncludeResult
{
    yaml::Node root; ///< merged map without `include`
    QStringList files;
    bool incomplete = false;
};

/// Expands the `include:` of the main file content (recursively) and merges everything.
IncludeResult processIncludes(const ResolveOptions &options, const QString &mainDisplay,
                              const yaml::Node &content, diag::Diagnostics &out);

/// Splits the documents of a loaded file into header (`spec:`) and content; reports bad layouts.
struct SplitDocuments
{
    yaml::Node header;
    yaml::Node content;
    bool ok = true;
};
SplitDocuments splitDocuments(const QList<yaml::Document> &documents, const QString &file,
                              diag::Diagnostics &out);

} // namespace stagecraft::ci::detail
