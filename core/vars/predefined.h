#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace stagecraft::vars {

/// One variable in precedence order; `raw` is `expand: false` (no `$VAR` expansion).
struct Variable
{
    QString name;
    QString value;
    bool raw = false;
};

/// GitLab's `Gitlab::Utils.slugify`: lowercase, every character outside a-z0-9 becomes `-`
/// (runs are kept), cut to 63 characters, then leading and trailing `-` removed.
QString slugify(QStringView text);

/// What is known about a pipeline when GitLab creates it.
struct PipelineFacts
{
    QString source = QStringLiteral("push");
    QString ref; ///< branch or tag name (the source branch for merge requests)
    bool tag = false;
    QString defaultBranch = QStringLiteral("main");
    QString sha;
    QString beforeSha;
    QString message;
    QString author;    ///< "Name <email>"
    QString timestamp; ///< ISO 8601
    QString projectPath = QStringLiteral("group/project");
    QString serverUrl = QStringLiteral("https://gitlab.com");
    QString configPath = QStringLiteral(".gitlab-ci.yml");
    QString mergeRequestTargetBranch; ///< merge request pipelines only
    QString mergeRequestDiffBaseSha;
    QString userLogin;
    QString userEmail;
    QString userName;
    bool protectedRef = false;
};

/// The predefined variables that exist at pipeline creation (usable in rules), as
/// predefined-variables.md lists them. Job-runtime variables (CI_JOB_*, CI_NODE_*) are not here.
QHash<QString, QString> predefinedVariables(const PipelineFacts &facts);

/// Expands `$NAME`, `${NAME}` and `$$` in `text` from `values` (undefined names become empty,
/// as GitLab's runner does for job variables).
QString expand(const QString &text, const QHash<QString, QString> &values);

/// Expands a list of variables in order: each value may refer to earlier ones or to `base`.
/// Later definitions of a name win. References to a name that is being defined refer to the
/// value it had before (as GitLab's sorted expansion does for self-references).
QHash<QString, QString> expandAll(const QList<Variable> &variables,
                                  const QHash<QString, QString> &base);

} // namespace stagecraft::vars
