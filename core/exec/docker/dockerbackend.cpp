#include "exec/docker/dockerbackend.h"

#include "exec/docker/dockerenvironment.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cerrno>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace stagecraft::exec {

namespace {

QString managedFilter()
{
    QJsonObject filters;
    filters.insert(
        QStringLiteral("label"),
        QJsonArray{QString(QLatin1String(dockerlabels::managed) + QStringLiteral("=true"))});
    return DockerClient::encode(
        QString::fromUtf8(QJsonDocument(filters).toJson(QJsonDocument::Compact)));
}

// An object whose creator is this host's process that no longer runs is a left-over.
bool isLeftOver(const QJsonObject &labels)
{
    const QString owner = labels.value(QLatin1String(dockerlabels::owner)).toString();
    const qsizetype colon = owner.lastIndexOf(u':');
    if (colon < 0)
        return true;
    if (owner.left(colon) != QHostInfo::localHostName())
        return false; // another machine's run on a shared engine
    bool ok = false;
    const qint64 pid = owner.mid(colon + 1).toLongLong(&ok);
    if (!ok)
        return true;
    if (pid == qint64(::getpid()))
        return false;
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

DockerBackend::DockerBackend(DockerSettings settings)
    : m_settings(std::move(settings))
    , m_client(DockerEndpoint::fromEnvironment(m_settings.host))
{
}

DockerSettings DockerBackend::settingsFrom(const BackendSettings &settings)
{
    DockerSettings docker;
    docker.host = settings.dockerHost;
    docker.privileged = settings.privileged;
    if (!settings.dockerDefaultImage.isEmpty())
        docker.defaultImage = settings.dockerDefaultImage;
    if (!settings.dockerHelperImage.isEmpty())
        docker.helperImage = settings.dockerHelperImage;
    if (!settings.dockerPullPolicy.isEmpty())
        docker.pullPolicy = settings.dockerPullPolicy;
    return docker;
}

QString DockerBackend::ownerLabel()
{
    return QHostInfo::localHostName() + u':' + QString::number(::getpid());
}

QString DockerBackend::buildsDir(const JobSpec &) const
{
    return QStringLiteral("/builds");
}

QString DockerBackend::projectDir(const JobSpec &spec) const
{
    return QStringLiteral("/builds/") + spec.projectPath;
}

bool DockerBackend::initialize(QString *error)
{
    if (!m_client.negotiate(error))
        return false;
    m_initialized = true;
    QString sweepError;
    sweep(&sweepError);
    return true;
}

int DockerBackend::sweep(QString *error)
{
    int removed = 0;
    const QString filter = managedFilter();
    const auto fail = [&](const DockerClient::Reply &r) {
        if (error && error->isEmpty())
            *error = m_client.errorText(r);
    };
    DockerClient::Reply r = m_client.call("GET", u"/volumes?filters=" + filter);
    if (!r.ok())
        fail(r);
    const QJsonArray volumes = r.json().object().value(u"Volumes").toArray();
    // Environments kept for debugging (--keep-failed) stay for a day, even once their process
    // is gone: the user may still be inside.
    QSet<QString> kept;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const QJsonValue &v : volumes) {
        const QJsonObject labels = v.toObject().value(u"Labels").toObject();
        const qint64 since =
            labels.value(QLatin1String(dockerlabels::kept)).toString().toLongLong();
        if (since > 0 && now - since < keptSeconds)
            kept.insert(labels.value(QLatin1String(dockerlabels::instance)).toString());
    }
    const auto sweepable = [&](const QJsonObject &o) {
        const QJsonObject labels = o.value(u"Labels").toObject();
        return isLeftOver(labels) &&
               !kept.contains(labels.value(QLatin1String(dockerlabels::instance)).toString());
    };
    r = m_client.call("GET", u"/containers/json?all=true&filters=" + filter);
    if (!r.ok())
        fail(r);
    const QJsonArray containers = r.json().array();
    for (const QJsonValue &c : containers) {
        const QJsonObject o = c.toObject();
        if (!sweepable(o))
            continue;
        const auto d = m_client.call("DELETE", u"/containers/" + o.value(u"Id").toString() +
                                                   u"?force=true&v=true");
        d.ok() ? void(++removed) : fail(d);
    }
    r = m_client.call("GET", u"/networks?filters=" + filter);
    const QJsonArray networks = r.json().array();
    for (const QJsonValue &n : networks) {
        const QJsonObject o = n.toObject();
        if (!sweepable(o))
            continue;
        const auto d = m_client.call("DELETE", u"/networks/" + o.value(u"Id").toString());
        d.ok() ? void(++removed) : fail(d);
    }
    for (const QJsonValue &v : volumes) {
        const QJsonObject o = v.toObject();
        if (!sweepable(o))
            continue;
        const auto d =
            m_client.call("DELETE", u"/volumes/" + o.value(u"Name").toString() + u"?force=true");
        d.ok() ? void(++removed) : fail(d);
    }
    return removed;
}

JobEnvironment *DockerBackend::createEnvironment(const JobSpec &spec, QObject *parent)
{
    if (!m_initialized) {
        QString ignored;
        m_client.negotiate(&ignored);
        m_initialized = true;
    }
    return new DockerEnvironment(m_client, m_settings, spec, parent);
}

} // namespace stagecraft::exec
