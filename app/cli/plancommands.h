#pragma once

#include <QStringList>
#include <QTextStream>

namespace stagecraft::cli {

/// `stagecraft-cli graph [PATH] [--ref R] [--source S] [--var K=V]... [--changed F]...
/// [--target-branch B] [--uncommitted] [--view stage|needs] [--format text|json|dot|mermaid|svg]`
int runGraph(const QStringList &arguments, QTextStream &out, QTextStream &err);
/// `stagecraft-cli diff [PATH] [--against REV] [same context options] [--format text|json]`
int runDiff(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace stagecraft::cli
