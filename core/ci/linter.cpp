#include "linter.h"

#include "validator.h"

#include <QCoreApplication>
#include <QHash>

namespace stagecraft::ci {

namespace {

/// A template (hidden job, anchor, `extends` parent) with a mistake is inherited by every job that
/// uses it, and each of those jobs reports it at the same place. Users need it once, with a count.
diag::Diagnostics collapseRepeats(const diag::Diagnostics &in)
{
    diag::Diagnostics out;
    out.reserve(in.size());
    QHash<QString, qsizetype> firstIndex;
    QHash<qsizetype, int> repeats;
    for (const diag::Diagnostic &d : in) {
        const QString key = d.file + u'\x1f' + QString::number(d.range.start.line) + u'\x1f'
                            + QString::number(d.range.start.column) + u'\x1f' + d.code + u'\x1f'
                            + QString::number(int(d.severity));
        if (d.range.start.line > 0) {
            if (const auto it = firstIndex.constFind(key); it != firstIndex.constEnd()) {
                ++repeats[*it];
                continue;
            }
            firstIndex.insert(key, out.size());
        }
        out.append(d);
    }
    for (auto it = repeats.cbegin(); it != repeats.cend(); ++it) {
        diag::Diagnostic &d = out[it.key()];
        const QString note = QCoreApplication::translate(
                                 "stagecraft::ci", "the same problem is reported for %n more job(s)",
                                 nullptr, it.value());
        d.hint = d.hint.isEmpty() ? note : d.hint + QStringLiteral("; ") + note;
    }
    return out;
}

} // namespace

LintResult lint(const ResolveOptions &givenOptions)
{
    // Variables that are the same in every GitLab pipeline, so that `include:rules` such as
    // `if: $GITLAB_CI == "true"` evaluate as they do on GitLab even without a pipeline context.
    ResolveOptions options = givenOptions;
    const std::pair<const char16_t *, const char16_t *> constants[] = {
        {u"CI", u"true"}, {u"GITLAB_CI", u"true"}, {u"CI_SERVER", u"yes"}};
    for (const auto &[name, value] : constants) {
        const QString key = QString::fromUtf16(name);
        if (!options.variables.contains(key))
            options.variables.insert(key, QString::fromUtf16(value));
    }
    LintResult result;
    result.config = Resolver::resolve(options);
    result.diagnostics = result.config.diagnostics;
    result.diagnostics += Validator::validate(result.config);
    result.diagnostics = collapseRepeats(result.diagnostics);
    diag::sortDiagnostics(result.diagnostics);
    return result;
}

} // namespace stagecraft::ci
