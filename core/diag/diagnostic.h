#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace stagecraft::diag {

enum class Severity { Info, Warning, Error };

/// A 1-based position in a file; 0 means "unknown".
struct Position
{
    int line = 0;
    int column = 0;

    friend bool operator==(const Position &, const Position &) = default;
};

/// A half-open range [start, end) of a file; end may equal start when only a point is known.
struct Range
{
    Position start;
    Position end;

    friend bool operator==(const Range &, const Range &) = default;
};

/// One finding of a validator: what every checker produces and every front-end shows.
struct Diagnostic
{
    Severity severity = Severity::Error;
    QString code;    ///< stable identifier, e.g. "unknown-key", "DL3008"
    QString message; ///< the text shown to users (GitLab's wording where it has one)
    QString file;    ///< path as the user knows it (relative to the project when possible)
    Range range;
    QString hint; ///< optional suggestion ("did you mean ...")

    bool isError() const { return severity == Severity::Error; }
    friend bool operator==(const Diagnostic &, const Diagnostic &) = default;
};

using Diagnostics = QList<Diagnostic>;

QString severityName(Severity severity);
std::optional<Severity> severityFromName(QStringView name);

/// Builds a diagnostic; a small helper so that call sites stay on one line.
Diagnostic make(Severity severity, const QString &code, const QString &message,
                const QString &file = {}, int line = 0, int column = 0, int endLine = 0,
                int endColumn = 0);

bool hasErrors(const Diagnostics &diagnostics);
int countOf(const Diagnostics &diagnostics, Severity severity);

/// Stable order for output: file, line, column, then severity (errors first), then code.
void sortDiagnostics(Diagnostics &diagnostics);

} // namespace stagecraft::diag

Q_DECLARE_METATYPE(stagecraft::diag::Diagnostic)
