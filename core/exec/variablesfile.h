#pragma once

#include "exec/backend.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace stagecraft::exec {

/// User variables (GitLab's project/group/instance CI/CD variables, which a local run cannot
/// fetch) from a YAML file. Reads Stagecraft's file and gitlab-ci-local's
/// `.gitlab-ci-local-variables.yml` / `~/.gitlab-ci-local/variables.yml` shapes, so that its users
/// can switch:
///   NAME: value
///   NAME: {value: v, type: file|variable, masked: true, expand: false}
///   NAME: {type: file, values: {"*": v, "production": w}}   # environment-scoped
///   project: {...} / group: {...} / global: {...}            # gitlab-ci-local's home file
/// Details of the reading:
/// - `environment` picks among `values:`: the exact environment name first, then the matching
///   wildcard pattern that is longest (`review/special*` over `review/*`), `*` last (`*` also
///   applies to jobs without an environment). A variable with no matching scope is left out.
/// - `projectPath` (`group/project`, optionally with the host) selects the home file's
///   `project:` and `group:` entries; keys may be `host/group/project`, `host:group/project`,
///   with or without `.git`. Precedence global < group < project; a name defined again
///   replaces the earlier value (keeping the first position).
/// - A file of `KEY=value` lines (gitlab-ci-local's dotenv-shaped project file) is read as
///   such; one pair of surrounding quotes is stripped.
/// - A plain value `~/path` naming an existing file becomes a file variable with that file's
///   content (gitlab-ci-local's rule; `~` is the folder holding `.gitlab-ci-local/`, else HOME).
/// - `expand: false` (or `raw: true`) doubles every `$` (`$$`), so that the engine's expansion
///   yields the literal value, as GitLab's raw variables.
/// - Errors ("file:line:column: message") leave the entry out; the rest is still read.
struct VariablesFileResult
{
    QList<JobVariable> variables;
    QStringList errors; ///< "file:line:column: message"
};
VariablesFileResult readVariablesFile(const QString &path, const QString &environment = {},
                                      const QString &projectPath = {});

/// Replaces every occurrence of the masked values in a byte stream by `[MASKED]`, also across
/// chunk boundaries (holds back at most the longest value minus one byte). GitLab masks only
/// values of 8 characters or more; shorter values are not masked (the engine warns).
class Masker
{
public:
    explicit Masker(const QStringList &values);
    /// Returns the bytes that are safe to show now.
    QByteArray feed(QByteArrayView bytes);
    /// The held-back rest, at the end of the stream.
    QByteArray flush();
    bool isActive() const;

private:
    QList<QByteArray> m_values;
    QByteArray m_pending;
    qsizetype m_longest = 0;
};

} // namespace stagecraft::exec
