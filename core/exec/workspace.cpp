// Placeholder until the workspace module lands (branch `workspace`): every function fails
// loudly so nothing can mistake it for the real thing.
#include "exec/workspace.h"

#include <QCoreApplication>

namespace stagecraft::exec {

namespace {
QString notYet()
{
    return QCoreApplication::translate("stagecraft::exec", "not implemented yet");
}
} // namespace

CollectResult collectArtifacts(const QString &, const ArtifactsSpec &, const QStringList &,
                               const QString &)
{
    return {{}, {}, {notYet()}};
}
bool restoreArtifacts(const QString &, const QString &, QString *error)
{
    if (error)
        *error = notYet();
    return false;
}
DotenvResult parseDotenv(const QByteArray &)
{
    return {{}, {notYet()}};
}
QString cacheKey(const CacheSpec &spec, const QString &)
{
    return spec.key;
}
QString restoreCache(const CacheSpec &, const QString &, const QString &, const QString &,
                     QStringList *log)
{
    if (log)
        log->append(notYet());
    return {};
}
bool saveCache(const CacheSpec &, const QString &, const QString &, const QString &,
               const QStringList &, QStringList *log)
{
    if (log)
        log->append(notYet());
    return false;
}

} // namespace stagecraft::exec
