#pragma once

// The `[service:<name>] <timestamp> <text>` lines (CI_DEBUG_SERVICES) of a job trace, for the
// Docker and Kubernetes executor tests.

#include <QByteArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

namespace servicelines {

// One `[service:<name>] <timestamp> <text>` line of a trace.
struct ServiceLine
{
    QString name;
    QString timestamp;
    QByteArray text;
};

// The service log lines of a trace, in order; `other` receives the rest.
inline QList<ServiceLine> serviceLines(const QByteArray &trace, QByteArray *other = nullptr)
{
    static const QRegularExpression shape(
        QStringLiteral("^\x1b\\[0;37m\\[service:([^\\]]*)\\] "
                       "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?Z) "
                       "(.*)\x1b\\[0;m$"));
    QList<ServiceLine> lines;
    for (const QByteArray &line : trace.split('\n')) {
        const QRegularExpressionMatch m = shape.match(QString::fromUtf8(line));
        if (m.hasMatch())
            lines.append({m.captured(1), m.captured(2), m.captured(3).toUtf8()});
        else if (other && !line.isEmpty())
            *other += line + '\n';
    }
    return lines;
}

} // namespace servicelines
