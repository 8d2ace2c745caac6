#pragma once

#include <QString>
#include <QStringList>

namespace stagecraft::pipeline {

/// Ruby's `File.fnmatch?(pattern, path, FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB)`, which GitLab
/// uses for `rules:changes`, `rules:exists` and `only:changes`: `*` and `?` stay inside one folder,
/// `**/` spans zero or more folders, `[...]` classes (`[!...]`/`[^...]` negate), `{a,b}`
/// alternatives, `\` escapes, dot files match.
bool globMatch(QStringView pattern, QStringView path);

/// `{a,b}` alternatives expanded (nested braces too); a pattern without braces gives itself.
QStringList expandBraces(const QString &pattern);

/// True when any path matches any of the patterns.
bool anyMatch(const QStringList &patterns, const QStringList &paths);

} // namespace stagecraft::pipeline
