#include "plancommands.h"

#include "commands.h"
#include "options.h"
#include "pipeline/gitcontext.h"
#include "pipeline/layout.h"
#include "pipeline/plandiff.h"
#include "pipeline/planexport.h"
#include "pipeline/planner.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonDocument>

#include <optional>

namespace stagecraft::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft-cli", text);
}

std::optional<PlanArguments> parse(const QStringList &arguments, bool diff, QTextStream &err)
{
    PlanArguments a;
    a.includeCache = qEnvironmentVariable("STAGECRAFT_INCLUDE_CACHE");
    bool pathSeen = false;
    OptionReader reader(arguments, err);
    while (reader.next()) {
        switch (readPipelineOption(reader, a)) {
        case OptionResult::Read:
            continue;
        case OptionResult::Error:
            return std::nullopt;
        case OptionResult::NotMine:
            break;
        }
        const QString &name = reader.name();
        if (name == u"--format" || name == u"--view" || (diff && name == u"--against")) {
            const auto v = reader.value();
            if (!v)
                return std::nullopt;
            if (name == u"--format") {
                const QStringList formats =
                    diff ? QStringList{QStringLiteral("text"), QStringLiteral("json")}
                         : QStringList{QStringLiteral("text"), QStringLiteral("json"),
                                       QStringLiteral("dot"), QStringLiteral("mermaid"),
                                       QStringLiteral("svg")};
                if (!formats.contains(*v)) {
                    reader.usageError(tr("unknown format '%1' (use %2)")
                                          .arg(*v, formats.join(QStringLiteral(", "))));
                    return std::nullopt;
                }
                a.format = *v;
            } else if (name == u"--view") {
                if (*v != u"stage" && *v != u"needs") {
                    reader.usageError(tr("unknown view '%1' (use stage or needs)").arg(*v));
                    return std::nullopt;
                }
                a.view = *v;
            } else {
                a.against = *v;
            }
        } else if (reader.isOption()) {
            reader.unknownOption();
            return std::nullopt;
        } else if (pathSeen) {
            reader.usageError(tr("only one PATH may be given"));
            return std::nullopt;
        } else {
            a.path = name;
            pathSeen = true;
        }
    }
    return a;
}

} // namespace

pipeline::PipelineContext contextFor(const Project &project, const PlanArguments &a)
{
    pipeline::GitContextOptions git;
    git.source = a.source;
    git.ref = a.ref;
    git.targetBranch = a.targetBranch;
    git.uncommitted = a.uncommitted;
    pipeline::PipelineContext context;
    if (const auto fromGit = pipeline::contextFromRepository(project.root, git)) {
        context = *fromGit;
    } else {
        // Not a repository: what the user says, the files on disk, changes unknown.
        if (!a.source.isEmpty())
            context.source = a.source;
        if (!a.ref.isEmpty())
            context.ref = a.ref;
        context.tag = context.source == u"tag";
        context.mergeRequestTargetBranch = a.targetBranch;
        const QDir dir(project.root);
        QDirIterator it(project.root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            context.existingFiles << dir.relativeFilePath(it.next());
        context.existingFiles.sort();
    }
    if (a.changed)
        context.changedFiles = a.changed;
    context.variables.insert(a.variables);
    context.facts.configPath = project.mainFile;
    return context;
}

pipeline::PlanOptions planOptionsFor(const Project &project, const PlanArguments &a)
{
    pipeline::PlanOptions options;
    options.resolve.projectRoot = project.root;
    options.resolve.mainFile = project.mainFile;
    options.resolve.includeCacheDir = a.includeCache;
    return options;
}

int runGraph(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto a = parse(arguments, false, err);
    if (!a)
        return UsageOrIo;
    const auto project = projectFor(a->path, err);
    if (!project)
        return UsageOrIo;
    const pipeline::PipelineContext context = contextFor(*project, *a);
    const pipeline::Plan plan =
        pipeline::Planner::planProject(context, planOptionsFor(*project, *a));
    if (a->format == u"json") {
        out << QString::fromUtf8(
            QJsonDocument(pipeline::planToJson(plan)).toJson(QJsonDocument::Indented));
    } else if (a->format == u"dot") {
        out << pipeline::planToDot(plan);
    } else if (a->format == u"mermaid") {
        out << pipeline::planToMermaid(plan);
    } else if (a->format == u"svg") {
        const pipeline::Layout layout =
            a->view == u"needs" ? pipeline::dependencyLayout(plan) : pipeline::stageLayout(plan);
        out << pipeline::layoutToSvg(layout);
    } else {
        out << tr("%1 pipeline for %2 %3 (default branch %4)\n")
                   .arg(context.source, context.tag ? tr("tag") : tr("branch"), context.ref,
                        context.defaultBranch);
        out << pipeline::planToText(plan);
    }
    out.flush();
    return plan.errors.isEmpty() ? Ok : Findings;
}

int runDiff(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto a = parse(arguments, true, err);
    if (!a)
        return UsageOrIo;
    const auto project = projectFor(a->path, err);
    if (!project)
        return UsageOrIo;
    const pipeline::PipelineContext context = contextFor(*project, *a);
    pipeline::PlanOptions options = planOptionsFor(*project, *a);
    options.effectiveJobs = true; // a change to default: or global variables changes the jobs
    pipeline::RevisionPlanOptions revision;
    revision.plan = options;
    revision.revision = a->against;
    revision.context = context;
    QString error;
    const auto before = pipeline::planAtRevision(revision, &error);
    if (!before) {
        err << tr("stagecraft-cli: %1: %2\n").arg(a->path, error);
        return UsageOrIo;
    }
    const pipeline::Plan after = pipeline::Planner::planProject(context, options);
    const pipeline::PlanDiff diff = pipeline::diffPlans(*before, after);
    if (a->format == u"json") {
        out << QString::fromUtf8(
            QJsonDocument(pipeline::diffToJson(diff)).toJson(QJsonDocument::Indented));
    } else {
        out << tr("working tree against %1:\n").arg(a->against);
        out << pipeline::diffToText(diff);
    }
    out.flush();
    return diff.isEmpty() ? Ok : Findings;
}

} // namespace stagecraft::cli
