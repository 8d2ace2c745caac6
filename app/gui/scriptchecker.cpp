#include "scriptchecker.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>
#include <QSet>

#include <atomic>

namespace stagecraft::gui {

namespace {

using dockerfile::ShellScript;

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::gui::ScriptChecker", text);
}

/// What ShellCheck's answer depends on; positions are not part of it.
QString cacheKey(const ShellScript &script)
{
    return script.shell + u'\x1f' + script.variables.join(u'\x1e') + u'\x1f' + script.text;
}

/// The script as ShellCheck sees it, with script-relative positions.
ShellScript relative(const ShellScript &script, const QString &tag)
{
    ShellScript out = script;
    out.file = tag;
    for (qsizetype i = 0; i < out.lineStarts.size(); ++i)
        out.lineStarts[i] = {int(i) + 1, 1};
    return out;
}

/// Script-relative findings at the YAML positions of `script`. Lines that stand for another
/// file's part of the script (position 0:0, see ci::jobScripts) report nothing.
diag::Diagnostics toSource(const diag::Diagnostics &found, const ShellScript &script)
{
    diag::Diagnostics out;
    const int lines = int(script.lineStarts.size());
    for (const diag::Diagnostic &r : found) {
        const int line = r.range.start.line;
        if (line < 1 || line > lines)
            continue;
        const diag::Position start = script.lineStarts.at(line - 1);
        if (start.line <= 0)
            continue;
        diag::Diagnostic d = r;
        d.file = script.file;
        d.range.start = {start.line, start.column + r.range.start.column - 1};
        const int endLine = r.range.end.line;
        const diag::Position endBase =
            endLine >= line && endLine <= lines ? script.lineStarts.at(endLine - 1) : start;
        d.range.end = endBase.line > 0 && endLine >= line
                          ? diag::Position{endBase.line, endBase.column + r.range.end.column - 1}
                          : d.range.start;
        // GitLab runs the pipeline whatever the scripts do: a warning at most (as the CLI).
        if (d.severity == diag::Severity::Error)
            d.severity = diag::Severity::Warning;
        if (d.code.startsWith(u"SC") && d.hint.isEmpty())
            d.hint = ScriptChecker::wikiHint(d.code);
        out.append(d);
    }
    return out;
}

} // namespace

void ScriptChecker::removeRepeats(diag::Diagnostics &found)
{
    QSet<QString> seen;
    found.removeIf([&seen](const diag::Diagnostic &d) {
        if (!d.code.startsWith(u"SC"))
            return false;
        const QString key = d.file + u'\x1f' + QString::number(d.range.start.line) + u':' +
                            QString::number(d.range.start.column) + u'\x1f' + d.code;
        if (seen.contains(key))
            return true;
        seen.insert(key);
        return false;
    });
}

namespace {

/// Enough for the scripts of several big projects; past it the cache starts over rather than
/// growing with every edit of a long session.
constexpr qsizetype maxCacheEntries = 20000;
/// ShellCheck::check runs this many processes at once; cancellation is looked at in between.
constexpr qsizetype batchSize = 4;

} // namespace

struct ScriptChecker::Shared
{
    mutable QMutex mutex;
    QHash<QString, diag::Diagnostics> cache; ///< relative findings by cacheKey
    dockerfile::ShellCheck shellcheck;
    Check check; ///< empty: shellcheck
    std::atomic<int> checked{0};
};

ScriptChecker::ScriptChecker()
    : m_shared(std::make_shared<Shared>())
{
}

void ScriptChecker::setProgram(const QString &program)
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->shellcheck = dockerfile::ShellCheck(program);
}

void ScriptChecker::setCheck(Check check)
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->check = std::move(check);
}

bool ScriptChecker::isAvailable() const
{
    QMutexLocker lock(&m_shared->mutex);
    if (m_shared->check)
        return true;
    const dockerfile::ShellCheck shellcheck = m_shared->shellcheck;
    lock.unlock(); // the first call starts `shellcheck --version`
    return shellcheck.isAvailable();
}

QString ScriptChecker::wikiHint(const QString &code)
{
    return tr("ShellCheck wiki: %1").arg(u"https://www.shellcheck.net/wiki/" + code);
}

ScriptChecker::Prepared ScriptChecker::prepare(const ci::ResolvedConfig &config,
                                               const ci::FileTextProvider &fileText) const
{
    Prepared out;
    const QList<ShellScript> scripts = ci::jobScripts(config, fileText);
    if (scripts.isEmpty())
        return out;
    if (!isAvailable()) {
        // The CLI's note: a missing ShellCheck is a normal state, never an error.
        const diag::Position where = scripts.first().lineStarts.value(0, {1, 1});
        out.findings.append(
            diag::make(diag::Severity::Info, QStringLiteral("shellcheck-unavailable"),
                       tr("ShellCheck is not installed: the job scripts are not checked"),
                       scripts.first().file, where.line, where.column, where.line, where.column));
        return out;
    }
    QMutexLocker lock(&m_shared->mutex);
    for (const ShellScript &script : scripts) {
        const auto it = m_shared->cache.constFind(cacheKey(script));
        if (it == m_shared->cache.cend())
            out.pending.append(script);
        else
            out.findings += toSource(*it, script);
    }
    lock.unlock();
    removeRepeats(out.findings);
    return out;
}

ScriptChecker::Result ScriptChecker::check(const QList<ShellScript> &scripts,
                                           const std::function<bool()> &cancelled) const
{
    Result out;
    Check check;
    {
        QMutexLocker lock(&m_shared->mutex);
        check = m_shared->check;
        if (!check) {
            const dockerfile::ShellCheck shellcheck = m_shared->shellcheck;
            check = [shellcheck](const QList<ShellScript> &batch) {
                return shellcheck.check(batch);
            };
        }
    }
    // Relative findings of every script text met in this pass, from the cache or ShellCheck.
    QHash<QString, diag::Diagnostics> known;
    for (qsizetype first = 0; first < scripts.size();) {
        if (cancelled && cancelled())
            return out;
        // The next few scripts that are not cached yet (another pass may have checked them
        // meanwhile; identical texts at other places are checked once).
        QList<ShellScript> batch;
        QList<const ShellScript *> sources;
        QStringList keys;
        {
            QMutexLocker lock(&m_shared->mutex);
            for (; first < scripts.size() && batch.size() < batchSize; ++first) {
                const QString key = cacheKey(scripts.at(first));
                if (known.contains(key) || keys.contains(key))
                    continue;
                const auto it = m_shared->cache.constFind(key);
                if (it != m_shared->cache.cend()) {
                    known.insert(key, *it);
                    continue;
                }
                keys.append(key);
                sources.append(&scripts.at(first));
                batch.append(relative(scripts.at(first), QString::number(batch.size())));
            }
        }
        if (batch.isEmpty())
            continue;
        m_shared->checked += int(batch.size());
        const diag::Diagnostics found = check(batch);
        QList<diag::Diagnostics> perScript(batch.size());
        bool timedOut = false;
        for (const diag::Diagnostic &d : found) {
            bool ok = false;
            const int index = d.file.toInt(&ok);
            if (!ok || index < 0 || index >= perScript.size())
                continue;
            if (d.code == u"shellcheck-timeout")
                timedOut = true;
            perScript[index].append(d);
        }
        if (timedOut) {
            // Only the note, and nothing cached: the scripts after the one that did not finish
            // were not checked at all.
            for (qsizetype i = 0; i < batch.size(); ++i) {
                diag::Diagnostics notes = perScript.at(i);
                notes.removeIf(
                    [](const diag::Diagnostic &d) { return d.code != u"shellcheck-timeout"; });
                out.findings += toSource(notes, *sources.at(i));
            }
            removeRepeats(out.findings);
            return out;
        }
        QMutexLocker lock(&m_shared->mutex);
        if (m_shared->cache.size() + batch.size() > maxCacheEntries)
            m_shared->cache.clear();
        for (qsizetype i = 0; i < batch.size(); ++i) {
            m_shared->cache.insert(keys.at(i), perScript.at(i));
            known.insert(keys.at(i), perScript.at(i));
        }
    }
    for (const ShellScript &script : scripts)
        out.findings += toSource(known.value(cacheKey(script)), script);
    removeRepeats(out.findings);
    out.complete = true;
    return out;
}

int ScriptChecker::scriptsChecked() const
{
    return m_shared->checked;
}

int ScriptChecker::cacheSize() const
{
    QMutexLocker lock(&m_shared->mutex);
    return int(m_shared->cache.size());
}

void ScriptChecker::clearCache()
{
    QMutexLocker lock(&m_shared->mutex);
    m_shared->cache.clear();
}

} // namespace stagecraft::gui
