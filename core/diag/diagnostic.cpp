#include "diagnostic.h"

#include <algorithm>

namespace stagecraft::diag {

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return {};
}

std::optional<Severity> severityFromName(QStringView name)
{
    if (name == u"info")
        return Severity::Info;
    if (name == u"warning")
        return Severity::Warning;
    if (name == u"error")
        return Severity::Error;
    return std::nullopt;
}

Diagnostic make(Severity severity, const QString &code, const QString &message,
                const QString &file, int line, int column, int endLine, int endColumn)
{
    Diagnostic d;
    d.severity = severity;
    d.code = code;
    d.message = message;
    d.file = file;
    d.range.start = {line, column};
    d.range.end = {endLine > 0 ? endLine : line, endColumn > 0 ? endColumn : column};
    return d;
}

bool hasErrors(const Diagnostics &diagnostics)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic &d) { return d.isError(); });
}

int countOf(const Diagnostics &diagnostics, Severity severity)
{
    return int(std::count_if(diagnostics.begin(), diagnostics.end(),
                             [severity](const Diagnostic &d) { return d.severity == severity; }));
}

void sortDiagnostics(Diagnostics &diagnostics)
{
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic &a, const Diagnostic &b) {
                         if (a.file != b.file)
                             return a.file < b.file;
                         if (a.range.start.line != b.range.start.line)
                             return a.range.start.line < b.range.start.line;
                         if (a.range.start.column != b.range.start.column)
                             return a.range.start.column < b.range.start.column;
                         if (a.severity != b.severity)
                             return int(a.severity) > int(b.severity);
                         return a.code < b.code;
                     });
}

} // namespace stagecraft::diag
