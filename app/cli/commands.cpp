#include "commands.h"

#include "ci/linter.h"
#include "ci/scriptcheck.h"
#include "diag/report.h"
#include "dockerfile/linter.h"
#include "dockerfile/parser.h"
#include "dockerfile/shellcheck.h"
#include "pipeline/gitcontext.h"
#include "yaml/emitter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace stagecraft::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft-cli", text);
}

struct CommonOptions
{
    QString format = QStringLiteral("text");
    QString includeCache;
    QStringList paths;
    bool shellcheck = true;
};

std::optional<CommonOptions> parseOptions(const QStringList &arguments, bool allowFormat,
                                          QTextStream &err)
{
    CommonOptions options;
    options.includeCache = qEnvironmentVariable("STAGECRAFT_INCLUDE_CACHE");
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        auto value = [&](const QString &name) -> std::optional<QString> {
            if (a.startsWith(name + u'='))
                return a.mid(name.size() + 1);
            if (i + 1 < arguments.size())
                return arguments.at(++i);
            err << tr("stagecraft-cli: %1 needs a value\n").arg(name);
            return std::nullopt;
        };
        if (allowFormat && (a == u"--format" || a.startsWith(u"--format="))) {
            const auto v = value(QStringLiteral("--format"));
            if (!v)
                return std::nullopt;
            if (!diag::reportFormatFromName(*v)) {
                err << tr("stagecraft-cli: unknown format '%1' (use text, json or codequality)\n")
                           .arg(*v);
                return std::nullopt;
            }
            options.format = *v;
        } else if (a == u"--include-cache" || a.startsWith(u"--include-cache=")) {
            const auto v = value(QStringLiteral("--include-cache"));
            if (!v)
                return std::nullopt;
            options.includeCache = *v;
        } else if (allowFormat && a == u"--no-shellcheck") {
            options.shellcheck = false;
        } else if (a == u"--") {
            options.paths += arguments.mid(i + 1);
            break;
        } else if (a.startsWith(u'-') && a.size() > 1) {
            err << tr("stagecraft-cli: unknown option '%1'\n").arg(a);
            return std::nullopt;
        } else {
            options.paths << a;
        }
    }
    if (options.paths.isEmpty()) {
        err << tr("stagecraft-cli: no PATH given\n");
        return std::nullopt;
    }
    return options;
}

/// Display names relative to the current folder, so that `file:line:col` opens in editors.
QString displayPath(const Project &target, const QString &file)
{
    const QString absolute = QDir(target.root).absoluteFilePath(file);
    const QString relative = QDir::current().relativeFilePath(absolute);
    return relative.startsWith(QStringLiteral("../../..")) ? absolute : relative;
}

bool isDockerfileName(const QString &name)
{
    if (name.endsWith(u".dockerignore")) // Dockerfile.dockerignore belongs to the Dockerfile
        return false;
    return name == u"Dockerfile" || name == u"Containerfile" || name.endsWith(u".Dockerfile") ||
           name.startsWith(u"Dockerfile.") || name.startsWith(u"Containerfile.");
}

/// Dockerfiles named by PATH: the file itself, or those in the folder and its subfolders (a few
/// levels down, skipping VCS, dependency and build folders).
QStringList dockerfilesFor(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile())
        return isDockerfileName(info.fileName()) ? QStringList{info.absoluteFilePath()}
                                                 : QStringList();
    if (!info.isDir())
        return {};
    static const QStringList skipped = {QStringLiteral(".git"),  QStringLiteral("node_modules"),
                                        QStringLiteral("build"), QStringLiteral("vendor"),
                                        QStringLiteral(".venv"), QStringLiteral("target")};
    constexpr int maxDepth = 5;
    QStringList found;
    QList<QPair<QString, int>> pending{{info.absoluteFilePath(), 0}};
    while (!pending.isEmpty()) {
        const auto [dir, depth] = pending.takeFirst();
        const QFileInfoList entries = QDir(dir).entryInfoList(
            QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
        for (const QFileInfo &e : entries) {
            if (e.isDir()) {
                if (depth < maxDepth && !e.isSymLink() && !skipped.contains(e.fileName()))
                    pending.append({e.absoluteFilePath(), depth + 1});
            } else if (isDockerfileName(e.fileName())) {
                found.append(e.absoluteFilePath());
            }
        }
    }
    return found;
}

diag::Diagnostics lintDockerfile(const QString &absolutePath,
                                 const dockerfile::ShellCheck *shellcheck)
{
    QString shown = QDir::current().relativeFilePath(absolutePath);
    if (shown.startsWith(QStringLiteral("../../..")))
        shown = absolutePath;
    const dockerfile::Dockerfile df = dockerfile::Parser::parseFile(absolutePath, shown);
    // The build context is taken to be the Dockerfile's folder (for CopyIgnoredFile).
    dockerfile::LintOptions options;
    const QFileInfo info(absolutePath);
    for (const QString &name : QStringList{info.fileName() + QStringLiteral(".dockerignore"),
                                           QStringLiteral(".dockerignore")}) {
        QFile ignore(info.dir().filePath(name));
        if (ignore.open(QIODevice::ReadOnly)) {
            options.dockerignore = QString::fromUtf8(ignore.readAll()).split(u'\n');
            break;
        }
    }
    return dockerfile::lintWithShellCheck(df, options, shellcheck);
}

} // namespace

std::optional<Project> projectFor(const QString &path, QTextStream &err)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        err << tr("stagecraft-cli: %1: no such file or folder\n").arg(path);
        return std::nullopt;
    }
    if (info.isDir()) {
        const QDir dir(info.absoluteFilePath());
        if (!dir.exists(QStringLiteral(".gitlab-ci.yml"))) {
            err << tr("stagecraft-cli: %1: no .gitlab-ci.yml in this folder\n").arg(path);
            return std::nullopt;
        }
        return Project{dir.absolutePath(), QStringLiteral(".gitlab-ci.yml")};
    }
    // A file: its project root is the enclosing git work tree, else its folder.
    QDir dir = info.absoluteDir();
    QDir probe = dir;
    while (true) {
        if (probe.exists(QStringLiteral(".git"))) {
            return Project{probe.absolutePath(), probe.relativeFilePath(info.absoluteFilePath())};
        }
        if (!probe.cdUp())
            break;
    }
    return Project{dir.absolutePath(), info.fileName()};
}

int runLint(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto options = parseOptions(arguments, true, err);
    if (!options)
        return UsageOrIo;
    diag::Diagnostics all;
    bool ioFailure = false;
    const dockerfile::ShellCheck shellcheck;
    for (const QString &path : options->paths) {
        // Dockerfiles first; a folder without .gitlab-ci.yml may hold only Dockerfiles.
        const QStringList dockerfiles = dockerfilesFor(path);
        for (const QString &file : dockerfiles)
            all += lintDockerfile(file, options->shellcheck ? &shellcheck : nullptr);
        if (!dockerfiles.isEmpty() &&
            (QFileInfo(path).isFile() || !QDir(path).exists(QStringLiteral(".gitlab-ci.yml"))))
            continue;
        const auto target = projectFor(path, err);
        if (!target) {
            ioFailure = true;
            continue;
        }
        ci::ResolveOptions resolve;
        resolve.projectRoot = target->root;
        resolve.mainFile = target->mainFile;
        resolve.includeCacheDir = options->includeCache;
        resolve.variables = pipeline::checkoutVariables(target->root);
        const ci::LintResult result = ci::lint(resolve);
        diag::Diagnostics found = result.diagnostics;
        if (options->shellcheck && result.config.root.isDefined()) {
            // The job scripts through ShellCheck, findings at their YAML positions.
            const QString root = target->root;
            const ci::FileTextProvider fileText = [root](const QString &file) {
                QFile f(QDir(root).filePath(file));
                return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            };
            found += ci::shellCheckScripts(result.config, fileText, shellcheck);
            diag::sortDiagnostics(found);
        }
        for (diag::Diagnostic d : std::as_const(found)) {
            if (!d.file.isEmpty())
                d.file = displayPath(*target, d.file);
            all.append(d);
        }
    }
    // "ShellCheck is not installed" once per run, not once per Dockerfile.
    bool noted = false;
    all.removeIf([&noted](const diag::Diagnostic &d) {
        if (d.code != u"shellcheck-unavailable")
            return false;
        const bool duplicate = noted;
        noted = true;
        return duplicate;
    });
    const auto format = *diag::reportFormatFromName(options->format);
    out << QString::fromUtf8(diag::format(all, format));
    out.flush();
    if (ioFailure)
        return UsageOrIo;
    return diag::hasErrors(all) ? Findings : Ok;
}

int runConfig(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto options = parseOptions(arguments, false, err);
    if (!options)
        return UsageOrIo;
    if (options->paths.size() != 1) {
        err << tr("stagecraft-cli: config takes exactly one PATH\n");
        return UsageOrIo;
    }
    const auto target = projectFor(options->paths.first(), err);
    if (!target)
        return UsageOrIo;
    ci::ResolveOptions resolve;
    resolve.projectRoot = target->root;
    resolve.mainFile = target->mainFile;
    resolve.includeCacheDir = options->includeCache;
    const ci::ResolvedConfig config = ci::Resolver::resolve(resolve);
    diag::Diagnostics errors;
    for (diag::Diagnostic d : config.diagnostics) {
        if (d.severity != diag::Severity::Error)
            continue;
        if (!d.file.isEmpty())
            d.file = displayPath(*target, d.file);
        errors.append(d);
    }
    if (!errors.isEmpty() && !config.root.isDefined()) {
        err << QString::fromUtf8(diag::formatText(errors));
        return Findings;
    }
    out << QString::fromUtf8(yaml::toYaml(config.root));
    out.flush();
    if (!errors.isEmpty()) {
        err << QString::fromUtf8(diag::formatText(errors));
        return Findings;
    }
    return Ok;
}

} // namespace stagecraft::cli
