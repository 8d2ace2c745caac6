#pragma once

#include <QStringList>
#include <QTextStream>

namespace stagecraft::cli {

/// `stagecraft-cli run [PATH] [JOB...] [--needs] [--executor shell|docker|kubernetes]
/// [--var K=V]... [--variables-file F]... [--privileged] [--concurrency N] [--keep-failed]
/// [--manual] [--data-dir D] [--ref R] [--source S]`: runs the pipeline (or the named jobs)
/// locally, prints every job's output prefixed by its name and a summary table.
/// Exit status: 0 the pipeline passed, 1 it failed, 2 usage, 130 interrupted (SIGINT).
int runRun(const QStringList &arguments, QTextStream &out, QTextStream &err);

} // namespace stagecraft::cli
