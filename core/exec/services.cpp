#include "exec/services.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace stagecraft::exec {

ImageReference parseImageReference(const QString &image)
{
    ImageReference ref;
    QString rest = image.trimmed();
    const qsizetype at = rest.indexOf(u'@');
    if (at >= 0) {
        ref.digest = rest.mid(at + 1);
        rest.truncate(at);
    }
    // A ':' after the last '/' starts the tag; one before it is a registry port.
    const qsizetype colon = rest.lastIndexOf(u':');
    if (colon > rest.lastIndexOf(u'/')) {
        ref.tag = rest.mid(colon + 1);
        rest.truncate(colon);
    }
    ref.repository = rest;
    return ref;
}

QStringList serviceAliases(const QString &imageName, const QString &explicitAlias)
{
    QStringList aliases;
    const auto add = [&aliases](const QString &name) {
        if (!name.isEmpty() && !aliases.contains(name))
            aliases.append(name);
    };
    QString service = parseImageReference(imageName).repository;
    // GitLab drops the registry's port: `host:5000/img` -> `host/img`.
    static const QRegularExpression port(QStringLiteral("^([^/]*?):[0-9]+(/.*)?$"));
    const QRegularExpressionMatch m = port.match(service);
    if (m.hasMatch())
        service = m.captured(1) + m.captured(2);
    if (!service.isEmpty()) {
        add(QString(service).replace(u'/', QStringLiteral("__")));
        add(QString(service).replace(u'/', u'-'));
    }
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    const QStringList explicitOnes = explicitAlias.split(separators, Qt::SkipEmptyParts);
    for (const QString &alias : explicitOnes)
        add(alias);
    return aliases;
}

bool debugServicesEnabled(const QList<JobVariable> &variables, QString *warning)
{
    QString value;
    for (const JobVariable &v : variables) {
        if (v.name == u"CI_DEBUG_SERVICES")
            value = v.value;
    }
    if (value.isEmpty())
        return false;
    static const QStringList yes{QStringLiteral("1"),    QStringLiteral("t"),
                                 QStringLiteral("T"),    QStringLiteral("TRUE"),
                                 QStringLiteral("true"), QStringLiteral("True")};
    static const QStringList no{QStringLiteral("0"),     QStringLiteral("f"),
                                QStringLiteral("F"),     QStringLiteral("FALSE"),
                                QStringLiteral("false"), QStringLiteral("False")};
    if (yes.contains(value))
        return true;
    if (!no.contains(value) && warning)
        *warning =
            QCoreApplication::translate(
                "stagecraft::exec", "failed to parse value '%1' for CI_DEBUG_SERVICES variable: %2")
                .arg(value, QStringLiteral("strconv.ParseBool: parsing \"%1\": invalid "
                                           "syntax")
                                .arg(value));
    return false;
}

QString serviceLogName(const ServiceSpec &service)
{
    return service.aliases.join(u'-');
}

namespace {

// GitLab Runner's ANSI_GREY and ANSI_RESET (helpers/ansi_colors.go).
constexpr char kGrey[] = "\x1b[0;37m";
constexpr char kReset[] = "\x1b[0;m";

} // namespace

ServiceLogWriter::ServiceLogWriter(const QString &name)
    : m_prefix(kGrey + QByteArray("[service:") + name.toUtf8() + "] ")
{
}

QByteArray ServiceLogWriter::line(const QByteArray &text) const
{
    return m_prefix + text + kReset + '\n';
}

qsizetype ServiceLogWriter::timestampLength(QByteArrayView entry)
{
    // 2023-01-26T20:28:39.843063600Z, 2023-01-26T20:28:39Z (Podman), ...+01:00.
    static const QRegularExpression stamp(QStringLiteral(
        "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d) "));
    const QRegularExpressionMatch m =
        stamp.match(QString::fromLatin1(entry.first(std::min<qsizetype>(entry.size(), 48))));
    return m.hasMatch() ? m.capturedLength() : 0;
}

QByteArray ServiceLogWriter::feed(const QByteArray &entry)
{
    m_pending.append(m_pending.isEmpty() ? QByteArrayView(entry)
                                         : QByteArrayView(entry).sliced(timestampLength(entry)));
    QByteArray out;
    qsizetype start = 0;
    qsizetype nl;
    while ((nl = m_pending.indexOf('\n', start)) >= 0) {
        out += line(m_pending.sliced(start, nl - start));
        start = nl + 1;
    }
    m_pending.remove(0, start);
    return out;
}

QByteArray ServiceLogWriter::flush()
{
    if (m_pending.isEmpty())
        return {};
    const QByteArray out = line(m_pending);
    m_pending.clear();
    return out;
}

QByteArray ServiceLineMerger::job(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return {};
    m_open = !bytes.endsWith('\n');
    if (m_open || m_held.isEmpty())
        return bytes;
    QByteArray out = bytes + m_held;
    m_held.clear();
    return out;
}

QByteArray ServiceLineMerger::service(const QByteArray &lines)
{
    if (!m_open)
        return lines;
    m_held += lines;
    return {};
}

QByteArray ServiceLineMerger::release()
{
    if (m_held.isEmpty())
        return {};
    QByteArray out = m_open ? '\n' + m_held : m_held;
    m_open = false;
    m_held.clear();
    return out;
}

} // namespace stagecraft::exec
