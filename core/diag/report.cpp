#include "report.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace stagecraft::diag {

std::optional<ReportFormat> reportFormatFromName(QStringView name)
{
    if (name == u"text")
        return ReportFormat::Text;
    if (name == u"json")
        return ReportFormat::Json;
    if (name == u"codequality")
        return ReportFormat::CodeQuality;
    return std::nullopt;
}

QByteArray formatText(const Diagnostics &diagnostics)
{
    QString out;
    for (const Diagnostic &d : diagnostics) {
        out += d.file.isEmpty() ? QStringLiteral("<input>") : d.file;
        out += u':' + QString::number(std::max(d.range.start.line, 1)) + u':'
               + QString::number(std::max(d.range.start.column, 1));
        out += u": " + severityName(d.severity) + u": " + d.message;
        if (!d.code.isEmpty())
            out += u" [" + d.code + u']';
        out += u'\n';
        if (!d.hint.isEmpty())
            out += u"  hint: " + d.hint + u'\n';
    }
    return out.toUtf8();
}

QByteArray formatJson(const Diagnostics &diagnostics)
{
    QJsonArray array;
    for (const Diagnostic &d : diagnostics) {
        QJsonObject o;
        o.insert(QStringLiteral("file"), d.file);
        o.insert(QStringLiteral("line"), std::max(d.range.start.line, 1));
        o.insert(QStringLiteral("column"), std::max(d.range.start.column, 1));
        o.insert(QStringLiteral("endLine"), std::max(d.range.end.line, std::max(d.range.start.line, 1)));
        o.insert(QStringLiteral("endColumn"), std::max(d.range.end.column, 1));
        o.insert(QStringLiteral("severity"), severityName(d.severity));
        o.insert(QStringLiteral("code"), d.code);
        o.insert(QStringLiteral("message"), d.message);
        if (!d.hint.isEmpty())
            o.insert(QStringLiteral("hint"), d.hint);
        array.append(o);
    }
    QJsonObject root;
    root.insert(QStringLiteral("diagnostics"), array);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray formatCodeQuality(const Diagnostics &diagnostics)
{
    // https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
    QJsonArray array;
    for (const Diagnostic &d : diagnostics) {
        QJsonObject o;
        o.insert(QStringLiteral("description"), d.message);
        o.insert(QStringLiteral("check_name"), d.code);
        const QByteArray key = (d.file + u'\x1f' + d.code + u'\x1f' + d.message + u'\x1f'
                                + QString::number(d.range.start.line) + u'\x1f'
                                + QString::number(d.range.start.column))
                                   .toUtf8();
        o.insert(QStringLiteral("fingerprint"),
                 QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Md5).toHex()));
        QString severity;
        switch (d.severity) {
        case Severity::Error:
            severity = QStringLiteral("major");
            break;
        case Severity::Warning:
            severity = QStringLiteral("minor");
            break;
        case Severity::Info:
            severity = QStringLiteral("info");
            break;
        }
        o.insert(QStringLiteral("severity"), severity);
        QJsonObject lines;
        lines.insert(QStringLiteral("begin"), std::max(d.range.start.line, 1));
        lines.insert(QStringLiteral("end"), std::max(d.range.end.line, std::max(d.range.start.line, 1)));
        QJsonObject location;
        location.insert(QStringLiteral("path"), d.file);
        location.insert(QStringLiteral("lines"), lines);
        o.insert(QStringLiteral("location"), location);
        array.append(o);
    }
    return QJsonDocument(array).toJson(QJsonDocument::Indented);
}

QByteArray format(const Diagnostics &diagnostics, ReportFormat f)
{
    switch (f) {
    case ReportFormat::Text:
        return formatText(diagnostics);
    case ReportFormat::Json:
        return formatJson(diagnostics);
    case ReportFormat::CodeQuality:
        return formatCodeQuality(diagnostics);
    }
    return {};
}

} // namespace stagecraft::diag
