#pragma once

#include "commands.h"
#include "pipeline/pipelinecontext.h"
#include "pipeline/planner.h"

#include <QHash>
#include <QStringList>
#include <QTextStream>

#include <optional>

namespace stagecraft::cli {

/// The context options `graph`, `diff` and `run` share.
struct PlanArguments
{
    QString path = QStringLiteral(".");
    QString ref;
    QString source;
    QString targetBranch;
    QString format = QStringLiteral("text");
    QString view = QStringLiteral("stage");
    QString against = QStringLiteral("HEAD");
    QString includeCache;
    QHash<QString, QString> variables;
    std::optional<QStringList> changed;
    bool uncommitted = false;
};

/// The pipeline context of `a` for `project`: from its git repository when there is one, else
/// what the options say and the files on disk.
pipeline::PipelineContext contextFor(const Project &project, const PlanArguments &a);
/// Planner options for `project` (root, main file, include cache).
pipeline::PlanOptions planOptionsFor(const Project &project, const PlanArguments &a);

/// `stagecraft-cli graph [PATH] [--ref R] [--source S] [--var K=V]... [--changed F]...
/// [--target-branch B] [--uncommitted] [--view stage|needs] [--format text|json|dot|mermaid|svg]`
int runGraph(const QStringList &arguments, QTextStream &out, QTextStream &err);
/// `stagecraft-cli diff [PATH] [--against REV] [same context options] [--format text|json]`
int runDiff(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace stagecraft::cli
