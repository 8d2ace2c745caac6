#pragma once

#include "dockerfile.h"
#include "shellcheck.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace stagecraft::dockerfile {

/// Where a rule comes from; its code is the one users know from that tool.
enum class RuleSource { Hadolint, BuildKit };

struct RuleInfo
{
    QString code; ///< "DL3008", "JSONArgsRecommended"
    RuleSource source = RuleSource::Hadolint;
    diag::Severity severity = diag::Severity::Warning;
    bool enabledByDefault = true; ///< false for hadolint's "ignore" rules and experimental checks
    QString description;
};

struct LintOptions
{
    QSet<QString> disabledRules;   ///< project setting: codes never reported
    QSet<QString> enabledRules;    ///< opt-in for rules off by default (DL1001, DL3057, ...)
    QStringList trustedRegistries; ///< DL3026 runs only when this is not empty
    /// hadolint's `label-schema`: label -> "text", "url", "spdx", "hash", "rfc3339", "semver" or
    /// "email". DL3049 and DL3051-DL3058 run only when it is not empty.
    QHash<QString, QString> labelSchema;
    bool strictLabels = false; ///< hadolint's `strict-labels`: DL3050 for labels not in the schema
    /// Lines of the build context's `.dockerignore` (CopyIgnoredFile, experimental); empty when
    /// there is none.
    QStringList dockerignore;
    /// BuildKit's `--check`-less default: checks are warnings unless `# check=error=true`.
    bool buildkitChecks = true;
    bool hadolintRules = true;
};

class Linter
{
public:
    /// Parse diagnostics plus every enabled rule, with inline suppressions applied, sorted.
    static diag::Diagnostics lint(const Dockerfile &dockerfile, const LintOptions &options = {});
    static diag::Diagnostics lintText(const QString &text, const QString &file = {},
                                      const LintOptions &options = {});

    static const QList<RuleInfo> &rules();
    static const RuleInfo *rule(QStringView code);

    /// The shell-form RUN bodies that ShellCheck should see (hadolint's selection: POSIX-like
    /// shells only, heredoc bodies whose shebang is a POSIX-like shell).
    static QList<ShellScript> shellScripts(const Dockerfile &dockerfile);

    /// Applies `# hadolint ignore=`, `# hadolint global ignore=`, `# check=skip=` and the
    /// disabled set to findings produced elsewhere (e.g. ShellCheck's SC codes).
    static diag::Diagnostics applySuppressions(const Dockerfile &dockerfile,
                                               const diag::Diagnostics &findings,
                                               const LintOptions &options = {});
};

} // namespace stagecraft::dockerfile
