// Artifacts and dotenv reports, and the path matching that cache shares (GitLab Runner's
// `artifacts:paths`/`exclude` semantics: doublestar globs relative to the project folder, a
// matching folder brings everything under it).
#include "exec/fileops.h"
#include "exec/pathmatch.h"
#include "exec/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <optional>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

QString trn(const char *text, int n)
{
    return QCoreApplication::translate("stagecraft::exec", text, nullptr, n);
}

const QString ReportsDir = QStringLiteral(".stagecraft-reports");

/// A doublestar glob as a regular expression over a whole relative path.
QRegularExpression globToRegex(const QString &glob)
{
    QString re;
    const QStringList parts = glob.split(QLatin1Char('/'));
    for (qsizetype p = 0; p < parts.size(); ++p) {
        const QString &part = parts[p];
        const bool last = p == parts.size() - 1;
        if (part == QLatin1String("**")) {
            // Zero or more folders (and, last, anything below).
            re += last ? QStringLiteral(".*") : QStringLiteral("(?:[^/]+/)*");
            continue;
        }
        int braces = 0;
        for (qsizetype i = 0; i < part.size(); ++i) {
            const QChar c = part[i];
            if (c == QLatin1Char('*')) {
                re += QStringLiteral("[^/]*");
                while (i + 1 < part.size() && part[i + 1] == QLatin1Char('*'))
                    ++i;
            } else if (c == QLatin1Char('?')) {
                re += QStringLiteral("[^/]");
            } else if (c == QLatin1Char('[')) {
                const qsizetype end = part.indexOf(QLatin1Char(']'), i + 2);
                if (end < 0) {
                    re += QStringLiteral("\\[");
                    continue;
                }
                QString cls = part.mid(i + 1, end - i - 1);
                if (cls.startsWith(QLatin1Char('!')) || cls.startsWith(QLatin1Char('^')))
                    cls = QLatin1Char('^') + cls.mid(1);
                cls.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
                re += QLatin1Char('[') + cls + QLatin1Char(']');
                i = end;
            } else if (c == QLatin1Char('{')) {
                ++braces;
                re += QStringLiteral("(?:");
            } else if (c == QLatin1Char('}') && braces > 0) {
                --braces;
                re += QLatin1Char(')');
            } else if (c == QLatin1Char(',') && braces > 0) {
                re += QLatin1Char('|');
            } else if (c == QLatin1Char('\\') && i + 1 < part.size()) {
                re += QRegularExpression::escape(part.mid(++i, 1));
            } else {
                re += QRegularExpression::escape(QString(c));
            }
        }
        while (braces-- > 0)
            re += QLatin1Char(')');
        if (!last)
            re += QLatin1Char('/');
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(re));
}

/// `path` and its parent folders, shortest first.
QStringList selfAndAncestors(const QString &path)
{
    QStringList out;
    qsizetype from = 0;
    for (;;) {
        const qsizetype slash = path.indexOf(QLatin1Char('/'), from);
        if (slash < 0)
            break;
        out.append(path.left(slash));
        from = slash + 1;
    }
    out.append(path);
    return out;
}

} // namespace

namespace pathmatch {

Selection select(const QString &workspace, const QStringList &paths, const QStringList &exclude,
                 const QString &workingDirectory)
{
    Selection result;
    const QString shownDir = workingDirectory.isEmpty() ? workspace : workingDirectory;
    // The whole tree is listed only for glob patterns: a plain path (`node_modules`) lists just
    // what is under it, which matters for big workspaces.
    std::optional<QStringList> everything;
    static const QRegularExpression globChars(QStringLiteral("[*?\\[{]"));
    auto entriesFor = [&](const QString &pattern) -> QStringList {
        if (pattern == QLatin1String(".") || pattern.contains(globChars)) {
            if (!everything)
                everything = fileops::walk(workspace, {}, true);
            return *everything;
        }
        const QString full = workspace + QLatin1Char('/') + pattern;
        const QFileInfo info(full);
        if (!info.exists() && !info.isSymLink())
            return {};
        if (!info.isDir() || info.isSymLink())
            return {pattern};
        QStringList under = fileops::walk(full, {}, true);
        if (under.isEmpty())
            return {pattern};
        for (QString &u : under)
            u = pattern + QLatin1Char('/') + u;
        return under;
    };
    QList<QRegularExpression> excludes;
    for (const QString &e : exclude) {
        QString clean = QDir::cleanPath(e);
        if (clean.startsWith(shownDir + QLatin1Char('/')))
            clean = clean.mid(shownDir.size() + 1);
        excludes.append(globToRegex(clean));
    }
    auto excludedItself = [&](const QString &path) {
        for (const QRegularExpression &re : excludes) {
            if (re.match(path).hasMatch())
                return true;
        }
        return false;
    };
    QSet<QString> chosen;
    QSet<QString> chosenDirs;
    for (const QString &raw : paths) {
        QString pattern = QDir::cleanPath(raw);
        for (const QString &base : {shownDir, workspace}) {
            if (pattern == base)
                pattern = QStringLiteral(".");
            else if (pattern.startsWith(base + QLatin1Char('/')))
                pattern = pattern.mid(base.size() + 1);
        }
        if (pattern.startsWith(QLatin1Char('/')) || pattern == QLatin1String("..") ||
            pattern.startsWith(QLatin1String("../"))) {
            result.warnings.append(
                tr("WARNING: %1: artifact path is not a subpath of project directory: %2")
                    .arg(raw, shownDir));
            continue;
        }
        const QRegularExpression re = globToRegex(pattern);
        QSet<QString> matched;
        const QStringList entries = entriesFor(pattern);
        for (const QString &entry : entries) {
            const QStringList chain = selfAndAncestors(entry);
            qsizetype hit = -1;
            if (pattern == QLatin1String(".")) {
                hit = 0;
            } else {
                for (qsizetype i = 0; i < chain.size(); ++i) {
                    if (re.match(chain[i]).hasMatch()) {
                        hit = i;
                        break;
                    }
                }
            }
            if (hit < 0)
                continue;
            // Folders on the way are kept even when everything in them is excluded (GitLab
            // Runner archives the folder entry itself).
            bool out = false;
            for (qsizetype i = 0; i < chain.size() && !out; ++i)
                out = excludedItself(chain[i]) && i < hit;
            if (out)
                continue;
            for (qsizetype i = hit; i < chain.size(); ++i) {
                if (excludedItself(chain[i]))
                    break;
                matched.insert(chain[i]);
                if (i == chain.size() - 1)
                    chosen.insert(chain[i]);
                else
                    chosenDirs.insert(chain[i]);
            }
        }
        if (matched.isEmpty()) {
            result.warnings.append(
                tr("WARNING: %1: no matching files. Ensure that the artifact path is relative to "
                   "the working directory (%2)")
                    .arg(raw, shownDir));
        } else {
            result.messages.append(
                trn("%1: found %n matching artifact files and directories", int(matched.size()))
                    .arg(raw));
        }
    }
    // Folders appear as entries only when nothing under them is chosen.
    QSet<QString> parents;
    for (const QString &c : std::as_const(chosen)) {
        for (const QString &a : selfAndAncestors(c))
            parents.insert(a);
    }
    for (const QString &d : std::as_const(chosenDirs)) {
        if (!parents.contains(d))
            chosen.insert(d);
    }
    result.files = QStringList(chosen.cbegin(), chosen.cend());
    std::sort(result.files.begin(), result.files.end());
    return result;
}

QStringList untracked(const QString &workspace, const QStringList &sourceFiles)
{
    const QSet<QString> source(sourceFiles.cbegin(), sourceFiles.cend());
    QStringList out;
    for (const QString &f : fileops::walk(workspace, {QStringLiteral(".git")}, true)) {
        if (!source.contains(f))
            out.append(f);
    }
    return out;
}

} // namespace pathmatch

QString dotenvReportPath(const QString &storeDir, const QString &file)
{
    return storeDir + QLatin1Char('/') + ReportsDir + QStringLiteral("/dotenv/") +
           QDir::cleanPath(file);
}

CollectResult collectArtifacts(const QString &workspace, const ArtifactsSpec &spec,
                               const QStringList &sourceFiles, const QString &storeDir)
{
    CollectResult result;
    pathmatch::Selection sel =
        pathmatch::select(workspace, spec.paths, spec.exclude, spec.workingDirectory);
    result.warnings = sel.warnings;
    result.messages = sel.messages;
    QStringList files = sel.files;
    if (spec.untracked) {
        const QStringList extra = pathmatch::untracked(workspace, sourceFiles);
        result.messages.append(trn("untracked: found %n files", int(extra.size())));
        files += extra;
        std::sort(files.begin(), files.end());
        files.erase(std::unique(files.begin(), files.end()), files.end());
    }
    QString error;
    if (!QDir().mkpath(storeDir)) {
        result.errors.append(tr("ERROR: %1: cannot create the artifacts folder").arg(storeDir));
        return result;
    }
    if (!fileops::copyAll(workspace, storeDir, files, &error)) {
        result.errors.append(QStringLiteral("ERROR: ") + error);
        return result;
    }
    result.files = files;

    const QString shownDir = spec.workingDirectory.isEmpty() ? workspace : spec.workingDirectory;
    bool anyReport = false;
    for (const QString &report : spec.dotenv) {
        QString rel = QDir::cleanPath(report);
        if (rel.startsWith(shownDir + QLatin1Char('/')))
            rel = rel.mid(shownDir.size() + 1);
        const QString from = workspace + QLatin1Char('/') + rel;
        if (rel.startsWith(QLatin1Char('/')) || rel.startsWith(QLatin1String("../")) ||
            !QFileInfo(from).isFile()) {
            result.warnings.append(
                tr("WARNING: %1: no matching files. Ensure that the artifact path is relative to "
                   "the working directory (%2)")
                    .arg(report, shownDir));
            continue;
        }
        anyReport = true;
        const QString to = dotenvReportPath(storeDir, rel);
        QDir().mkpath(QFileInfo(to).absolutePath());
        QFile::remove(to);
        QFile::copy(from, to);
        QFile in(from);
        if (!in.open(QIODevice::ReadOnly)) {
            result.errors.append(QStringLiteral("ERROR: %1: %2").arg(report, in.errorString()));
            continue;
        }
        const DotenvResult parsed = parseDotenv(in.read(DotenvMaxBytes + 1));
        for (const QString &e : parsed.errors)
            result.errors.append(QStringLiteral("ERROR: %1: %2").arg(report, e));
        result.dotenvVariables += parsed.variables;
    }
    if (result.files.isEmpty() && !anyReport)
        result.errors.append(tr("ERROR: No files to upload"));
    return result;
}

bool restoreArtifacts(const QString &storeDir, const QString &workspace, QString *error)
{
    if (!QFileInfo(storeDir).isDir()) {
        if (error)
            *error = tr("%1: no such artifacts folder").arg(storeDir);
        return false;
    }
    return fileops::copyAll(storeDir, workspace, fileops::walk(storeDir, {ReportsDir}, true),
                            error);
}

// ---- dotenv -------------------------------------------------------------------------------

DotenvResult parseDotenv(const QByteArray &text)
{
    // GitLab's Ci::ParseDotenvArtifactService: every line `KEY=VALUE` (split at the first '='),
    // key and value stripped, one pair of matching surrounding quotes removed from the value,
    // keys of letters, digits and '_'. Limits: 5 KiB, 50 variables (gitlab.com's defaults).
    DotenvResult result;
    if (text.size() > DotenvMaxBytes) {
        result.errors.append(
            tr("Dotenv Artifact Too Big. Maximum Allowable Size: %1").arg(DotenvMaxBytes));
        return result;
    }
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z0-9_]+$"));
    static const QRegularExpression quoted(QStringLiteral("^([\"'])(.*)\\1$"));
    const QList<QByteArray> lines = text.split('\n');
    QStringList order;
    QHash<QString, QString> values;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray raw = lines[i];
        if (raw.endsWith('\r'))
            raw.chop(1);
        // Blank lines (the newline at the end of the file, spacing) carry nothing.
        if (raw.trimmed().isEmpty())
            continue;
        const QString line = QString::fromUtf8(raw);
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq < 0) {
            result.errors.append(tr("line %1: Invalid Format").arg(i + 1));
            continue;
        }
        const QString key = line.left(eq).trimmed();
        QString value = line.mid(eq + 1).trimmed();
        if (key.isEmpty()) {
            result.errors.append(tr("line %1: Key can't be empty").arg(i + 1));
            continue;
        }
        if (!keyRe.match(key).hasMatch()) {
            result.errors.append(
                tr("line %1: Validation failed: Key can contain only letters, digits and '_'.")
                    .arg(i + 1));
            continue;
        }
        const QRegularExpressionMatch m = quoted.match(value);
        if (m.hasMatch())
            value = m.captured(2);
        if (!values.contains(key))
            order.append(key);
        values.insert(key, value);
    }
    if (order.size() > DotenvMaxVariables) {
        result.errors.append(
            tr("Dotenv files cannot have more than %1 variables").arg(DotenvMaxVariables));
        return result;
    }
    if (!result.errors.isEmpty())
        return result;
    for (const QString &k : std::as_const(order))
        result.variables.append({k, values.value(k)});
    return result;
}

} // namespace stagecraft::exec
