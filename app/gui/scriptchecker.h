#pragma once

#include "ci/scriptcheck.h"
#include "diag/diagnostic.h"
#include "dockerfile/shellcheck.h"

#include <functional>
#include <memory>

namespace stagecraft::gui {

/// ShellCheck on the CI job scripts for the IDE, in two steps so that a slow ShellCheck never
/// delays the GitLab errors: `prepare` (cheap, with the YAML lint) gives the findings of every
/// script already checked, at the positions the script has now, and the scripts still to check;
/// `check` (a second pass) runs ShellCheck on those. Findings are cached by what ShellCheck
/// sees (dialect, names defined outside, text) with script-relative positions, so a script that
/// only moved, or is shared by many jobs, is checked once. Copies share the cache and are safe
/// to use from several threads.
class ScriptChecker
{
public:
    /// What runs ShellCheck: findings of each script at script-relative positions (line i of the
    /// text is line i, column 1 its first character), `file` = the script's `file`. Replaceable
    /// by tests (to count or slow down the runs); the default is dockerfile::ShellCheck.
    using Check = std::function<diag::Diagnostics(const QList<dockerfile::ShellScript> &)>;

    struct Prepared
    {
        diag::Diagnostics findings;             ///< cached findings, at the YAML positions
        QList<dockerfile::ShellScript> pending; ///< scripts without cached findings
    };
    struct Result
    {
        diag::Diagnostics findings; ///< of the pending scripts, at the YAML positions
        bool complete = false;      ///< false when cancelled before every script was checked
    };

    ScriptChecker();

    /// Another ShellCheck binary (tests: a missing one). Keeps the cache.
    void setProgram(const QString &program);
    void setCheck(Check check);
    bool isAvailable() const;

    /// The job scripts of `config`, the cached findings, and what is left to check. With
    /// ShellCheck absent: one info note instead, nothing pending.
    Prepared prepare(const ci::ResolvedConfig &config, const ci::FileTextProvider &fileText) const;
    /// Runs ShellCheck on `scripts` a few at a time, asking `cancelled` between the batches.
    Result check(const QList<dockerfile::ShellScript> &scripts,
                 const std::function<bool()> &cancelled = {}) const;

    /// Scripts handed to ShellCheck so far (cache misses), for tests and the benchmark.
    int scriptsChecked() const;
    int cacheSize() const;
    void clearCache();

    /// Drops repeated ShellCheck findings (same file, position and code): the part of a
    /// `default:` before_script in the main file is checked once per job that inherits it.
    static void removeRepeats(diag::Diagnostics &found);

    /// The link shown with a ShellCheck finding: its page in the ShellCheck wiki.
    static QString wikiHint(const QString &code);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

} // namespace stagecraft::gui
