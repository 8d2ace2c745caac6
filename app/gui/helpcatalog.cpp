#include "helpcatalog.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace stagecraft::gui {

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace

const HelpCatalog &HelpCatalog::instance()
{
    static const HelpCatalog catalog;
    return catalog;
}

HelpCatalog::HelpCatalog()
{
    const QJsonObject keywords = readJson(QStringLiteral(":/help/keywords.json"));
    for (auto it = keywords.begin(); it != keywords.end(); ++it)
        m_keywords.insert(it.key(), it.value().toString());
    const QJsonObject variables = readJson(QStringLiteral(":/help/variables.json"));
    for (auto it = variables.begin(); it != variables.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        m_variables.insert(it.key(), o.value(u"help").toString());
        m_availability.insert(it.key(), o.value(u"availability").toString());
        m_variableNames.append(it.key());
    }
    m_variableNames.sort();
}

QString HelpCatalog::keywordTooltip(const QString &name) const
{
    const QString help = keyword(name);
    if (help.isEmpty())
        return {};
    return u"<b>"_qs + name.toHtmlEscaped() + u"</b><br/>"_qs + help.toHtmlEscaped();
}

QString HelpCatalog::variableTooltip(const QString &name) const
{
    const QString help = variable(name);
    if (help.isEmpty())
        return {};
    const QString availability = variableAvailability(name);
    QString when;
    if (availability == u"pipeline")
        when = QCoreApplication::translate("stagecraft::gui::HelpCatalog",
                                           "Known when the pipeline is created (usable in rules).");
    else if (availability == u"job")
        when = QCoreApplication::translate("stagecraft::gui::HelpCatalog",
                                           "Only set while the job runs (not in rules).");
    else
        when = QCoreApplication::translate("stagecraft::gui::HelpCatalog",
                                           "Only in merge request pipelines.");
    QString text = help;
    text.replace(u'`', QString());
    return u"<b>$"_qs + name + u"</b><br/>"_qs + text.toHtmlEscaped() + u"<br/><i>"_qs + when +
           u"</i>"_qs;
}

} // namespace stagecraft::gui
