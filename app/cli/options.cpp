#include "options.h"

#include "plancommands.h"

#include <QCoreApplication>

namespace stagecraft::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft-cli", text);
}

} // namespace

OptionReader::OptionReader(const QStringList &arguments, QTextStream &err)
    : m_arguments(arguments)
    , m_err(err)
{
}

bool OptionReader::next()
{
    if (++m_index >= m_arguments.size())
        return false;
    const QString &arg = m_arguments.at(m_index);
    m_name = arg;
    m_inline.reset();
    if (arg.startsWith(QStringLiteral("--")) && arg.contains(u'=')) {
        m_name = arg.section(u'=', 0, 0);
        m_inline = arg.section(u'=', 1);
    }
    return true;
}

bool OptionReader::isOption() const
{
    return m_name.startsWith(u'-') && m_name.size() > 1;
}

std::optional<QString> OptionReader::value()
{
    if (m_inline)
        return m_inline;
    if (m_index + 1 < m_arguments.size() &&
        !m_arguments.at(m_index + 1).startsWith(QStringLiteral("--")))
        return m_arguments.at(++m_index);
    m_err << tr("stagecraft-cli: %1 needs a value\n").arg(m_name);
    return std::nullopt;
}

bool OptionReader::flag()
{
    if (!m_inline)
        return true;
    m_err << tr("stagecraft-cli: %1 takes no value\n").arg(m_name);
    return false;
}

void OptionReader::unknownOption()
{
    m_err << tr("stagecraft-cli: unknown option '%1'\n").arg(m_arguments.at(m_index));
}

void OptionReader::usageError(const QString &message)
{
    m_err << tr("stagecraft-cli: %1\n").arg(message);
}

OptionResult readPipelineOption(OptionReader &reader, PlanArguments &a)
{
    const QString &name = reader.name();
    if (name == u"--uncommitted") {
        if (!reader.flag())
            return OptionResult::Error;
        a.uncommitted = true;
        return OptionResult::Read;
    }
    static const QStringList valued = {
        QStringLiteral("--ref"),           QStringLiteral("--source"),
        QStringLiteral("--var"),           QStringLiteral("--changed"),
        QStringLiteral("--target-branch"), QStringLiteral("--include-cache")};
    if (!valued.contains(name))
        return OptionResult::NotMine;
    const auto v = reader.value();
    if (!v)
        return OptionResult::Error;
    if (name == u"--ref") {
        a.ref = *v;
    } else if (name == u"--source") {
        a.source = *v;
    } else if (name == u"--var") {
        if (!v->contains(u'=')) {
            reader.usageError(tr("--var needs KEY=VALUE, got '%1'").arg(*v));
            return OptionResult::Error;
        }
        a.variables.insert(v->section(u'=', 0, 0), v->section(u'=', 1));
    } else if (name == u"--changed") {
        if (!a.changed)
            a.changed = QStringList{};
        a.changed->append(*v);
    } else if (name == u"--target-branch") {
        a.targetBranch = *v;
    } else {
        a.includeCache = *v;
    }
    return OptionResult::Read;
}

} // namespace stagecraft::cli
