// Placeholder until the workspace module lands (branch `workspace`).
#include "exec/variablesfile.h"

#include <QCoreApplication>

namespace stagecraft::exec {

VariablesFileResult readVariablesFile(const QString &path, const QString &, const QString &)
{
    return {{}, {path + QStringLiteral(": ")
                 + QCoreApplication::translate("stagecraft::exec", "not implemented yet")}};
}

Masker::Masker(const QStringList &values)
{
    for (const QString &v : values)
        m_values.append(v.toUtf8());
}
QByteArray Masker::feed(QByteArrayView bytes)
{
    return bytes.toByteArray();
}
QByteArray Masker::flush()
{
    return {};
}
bool Masker::isActive() const
{
    return false;
}

} // namespace stagecraft::exec
