#include "exec/services.h"

#include <QRegularExpression>

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

} // namespace stagecraft::exec
