#include "scriptcheck.h"

#include "dockerfile/shellcheck.h"
#include "effective.h"

#include <QCoreApplication>
#include <QHash>
#include <QSet>

namespace stagecraft::ci {

namespace {

using dockerfile::ShellScript;
using yaml::Node;

/// Appends the lines of one script item with their source positions.
class ScriptBuilder
{
public:
    ScriptBuilder(const FileTextProvider &fileText, QHash<QString, QList<QByteArray>> &lines)
        : m_fileText(fileText)
        , m_lines(lines)
    {
    }

    void addItems(const Node &node)
    {
        if (node.isScalar()) {
            addScalar(node);
        } else if (node.isSequence()) {
            for (const Node &item : node.items())
                addItems(item); // nested arrays run in order, as GitLab flattens them
        }
    }

    ShellScript take(const QString &shell)
    {
        ShellScript s;
        s.text = m_text;
        s.shell = shell;
        s.file = m_file;
        s.lineStarts = m_starts;
        // GitLab Runner runs job scripts under `set -eo pipefail`: a failing `cd` stops the
        // script, so "cd without || exit" (SC2164) is no finding there.
        s.excluded = {QStringLiteral("SC2164")};
        return s;
    }

    bool isEmpty() const { return m_starts.isEmpty(); }
    const QStringList &lineFiles() const { return m_lineFiles; }

private:
    const QList<QByteArray> &fileLines(const QString &file)
    {
        auto it = m_lines.find(file);
        if (it == m_lines.end())
            it = m_lines.insert(file,
                                m_fileText ? m_fileText(file).split('\n') : QList<QByteArray>());
        return *it;
    }

    void addScalar(const Node &node)
    {
        const yaml::Location &loc = node.location();
        if (m_file.isEmpty())
            m_file = loc.file;
        const QStringList parts = node.scalar().split(u'\n');
        const bool block =
            node.style() == Node::Style::Literal || node.style() == Node::Style::Folded;
        int indent = 0;
        if (block) {
            // Block content starts on the line after the indicator, at the block's indentation.
            const QList<QByteArray> &lines = fileLines(loc.file);
            for (int l = loc.line; l < lines.size(); ++l) {
                const QByteArray &text = lines.at(l);
                if (text.trimmed().isEmpty())
                    continue;
                while (indent < text.size() && text.at(indent) == ' ')
                    ++indent;
                break;
            }
        }
        const int quoteOffset = node.isQuoted() ? 1 : 0;
        int written = 0;
        for (int i = 0; i < parts.size(); ++i) {
            // A literal block ends with a newline: no script line for the empty tail.
            if (i == parts.size() - 1 && parts.at(i).isEmpty() && i > 0)
                break;
            diag::Position start;
            if (block && node.style() == Node::Style::Literal) {
                start = {loc.line + 1 + i, indent + 1};
            } else if (block) {
                start = {loc.line + 1, indent + 1};
            } else {
                start = {loc.line + i, i == 0 ? loc.column + quoteOffset : 1};
            }
            m_text += parts.at(i) + u'\n';
            m_starts.append(start);
            m_lineFiles.append(loc.file);
            ++written;
        }
        Q_UNUSED(written);
    }

    const FileTextProvider &m_fileText;
    QHash<QString, QList<QByteArray>> &m_lines;
    QString m_text;
    QString m_file;
    QList<diag::Position> m_starts;
    QStringList m_lineFiles; ///< file of each script line (scripts may mix included files)
};

QString shellFor(const Node &job)
{
    // GitLab Runner prefers bash and falls back to sh; Alpine and BusyBox images have only sh.
    Node image = job.value(u"image");
    if (image.isMap())
        image = image.value(u"name");
    const QString name = image.scalar().toLower();
    if (name.contains(QStringLiteral("alpine")) || name.contains(QStringLiteral("busybox")))
        return QStringLiteral("sh");
    return QStringLiteral("bash");
}

QStringList variableNames(const Node &job)
{
    QStringList names;
    for (const yaml::MapEntry &e : job.value(u"variables").entries())
        names << e.key.scalar();
    return names;
}

/// A script whose lines come from several files (a `default:` before_script in the main file, a
/// script from an included template) is checked once per file: lines of the other files become
/// `:` so the shell structure and line numbers stay intact, and findings land in their own file.
QList<ShellScript> splitByFile(const ShellScript &script, const QStringList &lineFiles)
{
    QStringList files;
    for (const QString &f : lineFiles) {
        if (!files.contains(f))
            files << f;
    }
    if (files.size() <= 1)
        return {script};
    QList<ShellScript> out;
    const QStringList lines = script.text.split(u'\n');
    for (const QString &file : std::as_const(files)) {
        ShellScript part = script;
        part.file = file;
        QStringList text = lines;
        for (int i = 0; i < lineFiles.size() && i < text.size(); ++i) {
            if (lineFiles.at(i) != file) {
                text[i] = QStringLiteral(":");
                part.lineStarts[i] = {0, 0};
            }
        }
        part.text = text.join(u'\n');
        out.append(part);
    }
    return out;
}

} // namespace

QList<ShellScript> jobScripts(const ResolvedConfig &config, const FileTextProvider &fileText)
{
    QList<ShellScript> out;
    QSet<QString> seen;
    QHash<QString, QList<QByteArray>> lineCache;
    for (const Job &job : config.jobs) {
        if (job.hidden || !job.node.isMap())
            continue;
        const Node effective = effectiveJob(config, job);
        if (effective.contains(u"trigger"))
            continue;
        const QString shell = shellFor(effective);
        const QStringList variables = variableNames(effective);
        auto add = [&](ScriptBuilder &builder) {
            if (builder.isEmpty())
                return;
            ShellScript script = builder.take(shell);
            script.variables = variables;
            QString key = script.file + u'\x1f' + script.shell + u'\x1f' + script.text;
            for (const diag::Position &p : std::as_const(script.lineStarts))
                key += u'\x1f' + QString::number(p.line) + u':' + QString::number(p.column);
            if (seen.contains(key))
                return;
            seen.insert(key);
            out += splitByFile(script, builder.lineFiles());
        };
        ScriptBuilder main(fileText, lineCache);
        main.addItems(effective.value(u"before_script"));
        main.addItems(effective.value(u"script"));
        add(main);
        ScriptBuilder after(fileText, lineCache);
        after.addItems(effective.value(u"after_script"));
        add(after);
    }
    return out;
}

diag::Diagnostics shellCheckScripts(const ResolvedConfig &config, const FileTextProvider &fileText,
                                    const dockerfile::ShellCheck &shellcheck, int timeoutMs)
{
    diag::Diagnostics out;
    const QList<ShellScript> scripts = jobScripts(config, fileText);
    if (scripts.isEmpty())
        return out;
    if (!shellcheck.isAvailable()) {
        diag::Diagnostic note =
            diag::make(diag::Severity::Info, QStringLiteral("shellcheck-unavailable"),
                       QCoreApplication::translate(
                           "stagecraft::ci", "ShellCheck is not installed: the job scripts are not "
                                             "checked"),
                       scripts.first().file, scripts.first().lineStarts.value(0).line,
                       scripts.first().lineStarts.value(0).column);
        out.append(note);
        return out;
    }
    // Drop findings on the placeholder lines of other files and collapse repeats.
    QSet<QString> seen;
    for (const diag::Diagnostic &d : shellcheck.check(scripts, timeoutMs)) {
        if (d.range.start.line <= 0)
            continue;
        const QString key = d.file + u'\x1f' + QString::number(d.range.start.line) + u':' +
                            QString::number(d.range.start.column) + u'\x1f' + d.code;
        if (seen.contains(key))
            continue;
        seen.insert(key);
        diag::Diagnostic finding = d;
        // GitLab accepts the configuration whatever the scripts do: a script problem is a
        // warning at most, so `lint` keeps exiting 0 for a pipeline GitLab would run.
        if (finding.severity == diag::Severity::Error)
            finding.severity = diag::Severity::Warning;
        out.append(finding);
    }
    return out;
}

} // namespace stagecraft::ci
