#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace stagecraft::gui {

/// Short help texts for CI keywords and predefined variables, read from the resources
/// (`:/help/keywords.json`, `:/help/variables.json`).
class HelpCatalog
{
public:
    /// The catalog of the application resources, loaded once.
    static const HelpCatalog &instance();

    QString keyword(const QString &name) const { return m_keywords.value(name); }
    QString variable(const QString &name) const { return m_variables.value(name); }
    QString variableAvailability(const QString &name) const { return m_availability.value(name); }
    QStringList variableNames() const { return m_variableNames; }
    /// Rich text for a tooltip; empty when there is no help.
    QString keywordTooltip(const QString &name) const;
    QString variableTooltip(const QString &name) const;

private:
    HelpCatalog();
    QHash<QString, QString> m_keywords;
    QHash<QString, QString> m_variables;
    QHash<QString, QString> m_availability;
    QStringList m_variableNames;
};

} // namespace stagecraft::gui
