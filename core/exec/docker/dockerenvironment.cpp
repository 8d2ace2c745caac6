#include "exec/docker/dockerenvironment.h"

#include "exec/scriptbuilder.h"
#include "exec/services.h"
#include "exec/workspace.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

QByteArray toJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString canceledText()
{
    return tr("canceled");
}

// The health check the helper container runs, as gitlab-runner-helper's health-check: a TCP
// connect to each port every second until one answers or the deadline passes. busybox's nc has
// no -z: a connect that succeeds either ends (0) or is cut by `timeout` (143).
const char kWaitForPort[] =
    "i=0; while [ $i -lt \"$TIMEOUT\" ]; do for p in $PORTS; do "
    "timeout 2 nc -w 1 \"$HOST\" \"$p\" </dev/null >/dev/null 2>&1; rc=$?; "
    "if [ $rc -eq 0 ] || [ $rc -eq 143 ]; then exit 0; fi; done; "
    "i=$((i+1)); sleep 1; done; echo \"no answer from $HOST on port(s) $PORTS\"; exit 1";

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

bool looksLikeDind(const QString &image)
{
    const ImageReference ref = parseImageReference(image);
    const QString base = ref.repository.section(u'/', -1);
    return ref.repository.contains(u"dind") || (base == u"docker" && ref.tag.contains(u"dind"));
}

} // namespace

DockerEnvironment::DockerEnvironment(const DockerClient &client, const DockerSettings &settings,
                                     const JobSpec &spec, QObject *parent)
    : JobEnvironment(parent)
    , m_client(client)
    , m_settings(settings)
    , m_spec(spec)
    // Pipeline ids count from 1 in each data folder: a random part keeps two runs on one engine
    // (two projects, the IDE and a terminal) apart.
    , m_instance(QString::number(QRandomGenerator::global()->generate() & 0xffffff, 16)
                     .rightJustified(6, u'0'))
    , m_prefix(QStringLiteral("stagecraft-%1-%2-%3")
                   .arg(spec.pipelineId)
                   .arg(spec.jobId)
                   .arg(m_instance))
    , m_projectDir(QStringLiteral("/builds/") + spec.projectPath)
{
    // One thread keeps the job's phases in order; the other can abort while a script streams.
    m_worker.setMaxThreadCount(1);
    m_control.setMaxThreadCount(1);
    m_worker.setExpiryTimeout(-1);
    // Service lines wait at most this long for the job to end the line it has begun.
    m_release.setSingleShot(true);
    m_release.setInterval(1000);
    connect(&m_release, &QTimer::timeout, this, &DockerEnvironment::releaseServiceLines);
}

DockerEnvironment::~DockerEnvironment()
{
    m_cancel = true;
    m_scriptCancel = true;
    m_logCancel = true;
    m_control.waitForDone();
    m_worker.waitForDone();
    m_serviceLogs.waitForDone();
}

bool DockerEnvironment::bindsWorkspace() const
{
    // A local socket: the engine sees this machine's files. A TCP engine may be elsewhere.
    return m_client.endpoint().isUnixSocket();
}

bool DockerEnvironment::needsCertsVolume() const
{
    for (const JobVariable &v : m_spec.variables) {
        if (v.name == u"DOCKER_TLS_CERTDIR" && !v.value.isEmpty())
            return true;
    }
    for (const ServiceSpec &s : m_spec.services) {
        if (looksLikeDind(s.image.name))
            return true;
    }
    return false;
}

void DockerEnvironment::post(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void DockerEnvironment::jobOutput(const QByteArray &bytes)
{
    const QByteArray out = m_merger.job(bytes);
    if (!m_merger.holding())
        m_release.stop();
    if (!out.isEmpty())
        Q_EMIT output(out);
}

void DockerEnvironment::serviceOutput(const QByteArray &lines)
{
    const QByteArray out = m_merger.service(lines);
    if (!out.isEmpty())
        Q_EMIT output(out);
    else if (!m_release.isActive())
        m_release.start();
}

void DockerEnvironment::releaseServiceLines()
{
    m_release.stop();
    const QByteArray out = m_merger.release();
    if (!out.isEmpty())
        Q_EMIT output(out);
}

void DockerEnvironment::log(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    post([this, bytes] { jobOutput(bytes); });
}

QJsonObject DockerEnvironment::labels() const
{
    QJsonObject l;
    l.insert(QLatin1String(dockerlabels::managed), QStringLiteral("true"));
    l.insert(QLatin1String(dockerlabels::pipeline), m_spec.pipelineId);
    l.insert(QLatin1String(dockerlabels::job), QString::number(m_spec.jobId));
    l.insert(QLatin1String(dockerlabels::owner), DockerBackend::ownerLabel());
    l.insert(QLatin1String(dockerlabels::instance), m_instance);
    return l;
}

QJsonArray DockerEnvironment::environment(const QList<JobVariable> &variables, bool withFiles) const
{
    QJsonArray env;
    for (const JobVariable &v : variables) {
        if (v.file) {
            // GitLab Runner writes file variables beside the project: <project dir>.tmp/NAME.
            if (withFiles)
                env.append(
                    QString(v.name + u'=' + m_projectDir + QStringLiteral(".tmp/") + v.name));
            continue;
        }
        env.append(QString(v.name + u'=' + v.value));
    }
    return env;
}

void DockerEnvironment::prepare()
{
    m_worker.start([this] {
        const QString error = doPrepare();
        post([this, error] { Q_EMIT prepared(error.isEmpty(), error); });
    });
}

QString DockerEnvironment::ensureImage(const QString &image, QStringList policies,
                                       QJsonObject *inspect, const QString &platform, bool quiet)
{
    if (policies.isEmpty())
        policies = m_settings.pullPolicy;
    const QString inspectPath = u"/images/" + image + u"/json";
    QString lastError;
    for (const QString &policy : std::as_const(policies)) {
        if (m_cancel)
            return canceledText();
        if (policy == u"never" || policy == u"if-not-present") {
            const auto r = m_client.call("GET", inspectPath, {}, "application/json", &m_cancel);
            if (r.ok()) {
                *inspect = r.json().object();
                if (policy == u"if-not-present" && !quiet)
                    log(tr("Using locally found image version due to \"if-not-present\" pull "
                           "policy"));
                break;
            }
            lastError =
                r.status == 404 ? tr("Error: No such image: %1").arg(image) : m_client.errorText(r);
            if (policy == u"never")
                continue;
        } else if (policy != u"always") {
            lastError = tr("unsupported pull policy \"%1\"").arg(policy);
            continue;
        }
        log(tr("Pulling docker image %1 ...").arg(image));
        const ImageReference ref = parseImageReference(image);
        QString tag = ref.digest.isEmpty() ? ref.tag : ref.digest;
        if (tag.isEmpty())
            tag = QStringLiteral("latest");
        QString streamError;
        QByteArray pending;
        const auto sink = [&](const QByteArray &bytes) {
            pending.append(bytes);
            qsizetype nl;
            while ((nl = pending.indexOf('\n')) >= 0) {
                const QJsonObject line = QJsonDocument::fromJson(pending.left(nl)).object();
                pending.remove(0, nl + 1);
                if (line.contains(u"error"))
                    streamError = line.value(u"error").toString();
            }
            return true;
        };
        const auto r = m_client.stream(
            "POST",
            u"/images/create?fromImage=" + DockerClient::encode(ref.repository) + u"&tag=" +
                DockerClient::encode(tag) +
                (platform.isEmpty() ? QString() : u"&platform=" + DockerClient::encode(platform)),
            {}, sink, &m_cancel);
        if (r.canceled)
            return canceledText();
        if (!r.ok()) {
            lastError = m_client.errorText(r);
            continue;
        }
        if (!streamError.isEmpty()) {
            lastError = streamError;
            continue;
        }
        const auto again = m_client.call("GET", inspectPath);
        if (again.ok()) {
            *inspect = again.json().object();
            break;
        }
        lastError = m_client.errorText(again);
    }
    if (inspect->isEmpty())
        return tr("failed to pull image \"%1\" with specified policies [%2]: %3")
            .arg(image, policies.join(u' '), lastError);
    const QJsonArray digests = inspect->value(u"RepoDigests").toArray();
    const QString id = inspect->value(u"Id").toString();
    if (quiet)
        return {};
    if (digests.isEmpty())
        log(tr("Using docker image %1 for %2 ...").arg(id, image));
    else
        log(tr("Using docker image %1 for %2 with digest %3 ...")
                .arg(id, image, digests.first().toString()));
    return {};
}

namespace {

// chmod -R a+rwX on this machine (an image without chmod cannot do it in the container).
void makeWritableForAll(const QString &folder)
{
    const auto widen = [](const QString &path, bool directory) {
        QFile::Permissions p = QFile::permissions(path);
        p |= QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::WriteGroup |
             QFile::ReadOther | QFile::WriteOther;
        if (directory || (p & (QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther)))
            p |= QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
        QFile::setPermissions(path, p);
    };
    widen(folder, true);
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        if (!info.isSymLink())
            widen(info.filePath(), info.isDir());
    }
}

// `os/arch[/variant]` of an image inspect.
QString imagePlatform(const QJsonObject &image)
{
    const QString os = image.value(u"Os").toString();
    const QString arch = image.value(u"Architecture").toString();
    if (os.isEmpty() || arch.isEmpty())
        return {};
    const QString variant = image.value(u"Variant").toString();
    return os + u'/' + arch + (variant.isEmpty() ? QString() : u'/' + variant);
}

// Platforms compared as containerd normalises them: case, the kernel's names for architectures,
// a variant only when both give one.
bool samePlatform(const QString &wanted, const QString &actual)
{
    const auto parts = [](const QString &p) {
        QStringList l = p.toLower().split(u'/');
        if (l.size() >= 2) {
            static const QHash<QString, QString> names{
                {QStringLiteral("x86_64"), QStringLiteral("amd64")},
                {QStringLiteral("x86-64"), QStringLiteral("amd64")},
                {QStringLiteral("aarch64"), QStringLiteral("arm64")},
                {QStringLiteral("i386"), QStringLiteral("386")}};
            l[1] = names.value(l[1], l[1]);
        }
        return l;
    };
    const QStringList w = parts(wanted);
    const QStringList a = parts(actual);
    if (w.size() < 2 || a.size() < 2)
        return true;
    if (w[0] != a[0] || w[1] != a[1])
        return false;
    return w.size() < 3 || a.size() < 3 || w[2] == a[2];
}

} // namespace

QString DockerEnvironment::createAndStart(const QString &name, const QJsonObject &config,
                                          QJsonObject *inspect, const QString &platform)
{
    // Not canceled midway: the engine would finish an aborted create after cleanup looked.
    if (m_cancel)
        return canceledText();
    if (!platform.isEmpty() && m_client.isPodman()) {
        // Podman's compatible create ignores `platform`: refuse a local image of another one the
        // way Docker Engine does rather than run the wrong variant.
        const QString id = config.value(u"Image").toString();
        const QJsonObject image = m_client.call("GET", u"/images/" + id + u"/json").json().object();
        if (const QString actual = imagePlatform(image);
            !actual.isEmpty() && !samePlatform(platform, actual))
            return tr("Error response from daemon: image with reference %1 was found but does "
                      "not match the specified platform: wanted %2, actual: %3")
                .arg(id, platform, actual);
    }
    auto r = m_client.call(
        "POST",
        u"/containers/create?name=" + name +
            (platform.isEmpty() ? QString() : u"&platform=" + DockerClient::encode(platform)),
        toJson(config));
    if (!r.ok())
        return m_client.errorText(r);
    r = m_client.call("POST", u"/containers/" + name + u"/start");
    if (!r.ok()) {
        const QString error = m_client.errorText(r);
        if (!DockerClient::isExitRace(r))
            return error;
        // Podman lost the race with a process that exited at once: it did start if it has a
        // start time (a second start would run it again).
        const auto state = m_client.call("GET", u"/containers/" + name + u"/json")
                               .json()
                               .object()
                               .value(u"State")
                               .toObject();
        const QString started = state.value(u"StartedAt").toString();
        if (started.isEmpty() || started.startsWith(u"0001-"))
            return error;
    }
    r = m_client.call("GET", u"/containers/" + name + u"/json");
    if (!r.ok())
        return m_client.errorText(r);
    if (inspect)
        *inspect = r.json().object();
    return {};
}

QByteArray DockerEnvironment::containerLogs(const QString &container) const
{
    const auto r = m_client.call(
        "GET", u"/containers/" + container + u"/logs?stdout=true&stderr=true&tail=100", {},
        "application/json", nullptr, 30);
    QByteArray text;
    StreamDemuxer demux([&text](int, const QByteArray &payload) { text.append(payload); });
    demux.feed(r.body);
    // A container with a TTY has no frames: its log is the raw bytes.
    return (text.isEmpty() && demux.pending() > 0) ? r.body : text;
}

QString DockerEnvironment::startService(int index, const ServiceSpec &service,
                                        QJsonObject *container)
{
    const QString name = m_prefix + QStringLiteral("-svc-") + QString::number(index);
    QJsonObject image;
    QString error =
        ensureImage(service.image.name, service.image.pullPolicy, &image, service.image.platform);
    if (!error.isEmpty())
        return error;
    QJsonObject config;
    config.insert(u"Image", image.value(u"Id"));
    config.insert(u"Env", environment(service.variables, false));
    config.insert(u"Labels", labels());
    if (service.image.hasEntrypoint)
        config.insert(u"Entrypoint", service.image.entrypoint.isEmpty()
                                         ? QJsonArray{QString()}
                                         : toArray(service.image.entrypoint));
    if (!service.command.isEmpty())
        config.insert(u"Cmd", toArray(service.command));
    if (!service.image.user.isEmpty())
        config.insert(u"User", service.image.user);
    QJsonObject host;
    host.insert(u"NetworkMode", m_prefix);
    host.insert(u"Privileged", m_spec.privileged || m_settings.privileged);
    if (needsCertsVolume())
        host.insert(u"Binds",
                    QJsonArray{QString(m_prefix + QStringLiteral("-certs:/certs/client"))});
    // The services started before this one, by name, also where aliases have no DNS (Podman).
    host.insert(u"ExtraHosts", toArray(m_extraHosts));
    config.insert(u"HostConfig", host);
    QJsonObject endpoint;
    endpoint.insert(u"Aliases", toArray(service.aliases));
    config.insert(u"NetworkingConfig", QJsonObject{{QStringLiteral("EndpointsConfig"),
                                                    QJsonObject{{m_prefix, endpoint}}}});
    error = createAndStart(name, config, container, service.image.platform);
    if (!error.isEmpty())
        return tr("failed to start service %1: %2").arg(service.image.name, error);
    // Podman's compatible API with CNI networks has no DNS for aliases: give the job container
    // /etc/hosts entries instead (Docker resolves them either way).
    const QString ip = container->value(u"NetworkSettings")
                           .toObject()
                           .value(u"Networks")
                           .toObject()
                           .value(m_prefix)
                           .toObject()
                           .value(u"IPAddress")
                           .toString();
    if (!ip.isEmpty()) {
        for (const QString &alias : service.aliases)
            m_extraHosts.append(alias + u':' + ip);
    }
    (*container).insert(QStringLiteral("stagecraftImage"), image);
    return {};
}

void DockerEnvironment::waitForService(int index, const ServiceSpec &service,
                                       const QJsonObject &container)
{
    const QString name = m_prefix + QStringLiteral("-svc-") + QString::number(index);
    // HEALTHCHECK_TCP_PORT (the engine's, or in the service's own environment: a job or a
    // service variable), else every TCP port the image exposes: the first to answer will do.
    QStringList ports;
    int port = service.healthcheckPort;
    for (const JobVariable &v : service.variables) {
        if (port <= 0 && v.name == u"HEALTHCHECK_TCP_PORT")
            port = v.value.trimmed().toInt();
    }
    if (port > 0) {
        ports.append(QString::number(port));
    } else {
        const QJsonObject exposed = container.value(u"stagecraftImage")
                                        .toObject()
                                        .value(u"Config")
                                        .toObject()
                                        .value(u"ExposedPorts")
                                        .toObject();
        QList<int> numbers;
        for (auto it = exposed.begin(); it != exposed.end(); ++it) {
            const QString key = it.key();
            if (!key.endsWith(u"/tcp") && key.contains(u'/'))
                continue;
            if (const int p = key.section(u'/', 0, 0).toInt(); p > 0)
                numbers.append(p);
        }
        std::sort(numbers.begin(), numbers.end());
        for (int p : std::as_const(numbers))
            ports.append(QString::number(p));
    }
    if (ports.isEmpty())
        return;
    QString host = container.value(u"NetworkSettings")
                       .toObject()
                       .value(u"Networks")
                       .toObject()
                       .value(m_prefix)
                       .toObject()
                       .value(u"IPAddress")
                       .toString();
    if (host.isEmpty() && !service.aliases.isEmpty())
        host = service.aliases.first();
    QString healthError;
    QByteArray healthLogs;
    QJsonObject helperImage;
    const QString helper = name + QStringLiteral("-wait-for-service");
    QString error = ensureImage(m_settings.helperImage, {QStringLiteral("if-not-present")},
                                &helperImage, {}, true);
    if (error.isEmpty()) {
        QJsonObject config;
        config.insert(u"Image", helperImage.value(u"Id"));
        config.insert(u"Cmd", QJsonArray{QStringLiteral("sh"), QStringLiteral("-c"),
                                         QLatin1String(kWaitForPort)});
        config.insert(
            u"Env",
            QJsonArray{QString(u"HOST=" + host), QString(u"PORTS=" + ports.join(u' ')),
                       QString(u"TIMEOUT=" + QString::number(m_settings.serviceTimeoutSeconds))});
        config.insert(u"Labels", labels());
        config.insert(u"HostConfig", QJsonObject{{QStringLiteral("NetworkMode"), m_prefix}});
        error = createAndStart(helper, config, nullptr);
    }
    if (error.isEmpty()) {
        // Polled rather than POST /wait: a service that exits (dind without privileges) is
        // reported at once instead of after the whole timeout.
        // A container's `State` (Running, ExitCode) from the inspect call.
        const auto stateOf = [this](const QString &id) {
            return m_client.call("GET", u"/containers/" + id + u"/json")
                .json()
                .object()
                .value(u"State")
                .toObject();
        };
        QDeadlineTimer deadline(qint64(m_settings.serviceTimeoutSeconds) * 3000 + 30000);
        while (true) {
            if (m_cancel) {
                m_client.call("DELETE", u"/containers/" + helper + u"?force=true&v=true");
                return;
            }
            const QJsonObject state = stateOf(helper);
            if (!state.value(u"Running").toBool(true)) {
                if (state.value(u"ExitCode").toInt(-1) != 0) {
                    healthError = tr("service \"%1\" timeout").arg(helper);
                    healthLogs = containerLogs(helper);
                }
                break;
            }
            const QJsonObject serviceState = stateOf(name);
            if (!serviceState.value(u"Running").toBool(true)) {
                healthError = tr("service \"%1\" exited with code %2")
                                  .arg(name)
                                  .arg(serviceState.value(u"ExitCode").toInt());
                healthLogs = containerLogs(helper);
                break;
            }
            if (deadline.hasExpired()) {
                healthError = tr("service \"%1\" timeout").arg(helper);
                break;
            }
            QThread::msleep(250);
        }
    } else {
        healthError = error;
    }
    m_client.call("DELETE", u"/containers/" + helper + u"?force=true&v=true");
    if (healthError.isEmpty())
        return;
    QString text = tr("*** WARNING: Service %1 probably didn't start properly.").arg(name);
    text += u"\n\n" + tr("Health check error:") + u'\n' + healthError + u"\n\n";
    text += tr("Health check container logs:") + u'\n' + QString::fromUtf8(healthLogs) + u"\n\n";
    text += tr("Service container logs:") + u'\n' +
            QString::fromUtf8(containerLogs(name)).trimmed() + u"\n\n";
    text += QStringLiteral("*********");
    log(text);
}

void DockerEnvironment::startServiceLogs()
{
    QString warning;
    const bool enabled = debugServicesEnabled(m_spec.variables, &warning);
    if (!warning.isEmpty())
        log(QLatin1String(ansi::yellow) + tr("WARNING: %1").arg(warning) +
            QLatin1String(ansi::reset));
    if (!enabled || m_spec.services.isEmpty() || m_logCancel)
        return;
    m_serviceLogs.setMaxThreadCount(int(m_spec.services.size()));
    for (int i = 0; i < m_spec.services.size(); ++i) {
        const QString container = m_prefix + QStringLiteral("-svc-") + QString::number(i);
        const QString name = serviceLogName(m_spec.services.at(i));
        m_serviceLogs.start([this, container, name] { followServiceLog(container, name); });
    }
}

void DockerEnvironment::followServiceLog(const QString &container, const QString &name)
{
    // The trace only gets whole lines; stdout and stderr are buffered apart.
    ServiceLogWriter out(name);
    ServiceLogWriter err(name);
    const auto send = [this](const QByteArray &lines) {
        if (!lines.isEmpty())
            post([this, lines] { serviceOutput(lines); });
    };
    qsizetype entries = 0; // received, one frame each
    qsizetype skip = 0;    // already received, when the log is read again
    const StreamDemuxer::FrameSink onEntry = [&](int stream, const QByteArray &payload) {
        if (skip > 0) {
            --skip;
            return;
        }
        ++entries;
        send((stream == 2 ? err : out).feed(payload));
    };
    StreamDemuxer demux(onEntry);
    const QString path =
        u"/containers/" + container + u"/logs?stdout=true&stderr=true&timestamps=true";
    const auto sink = [&demux](const QByteArray &bytes) {
        demux.feed(bytes);
        return true;
    };
    auto r = m_client.stream("GET", path + u"&follow=true", {}, sink, &m_logCancel);
    if (r.ok() && !m_logCancel) {
        // The service stopped. Docker Engine may end the stream before the container's last
        // entry is logged (a last line without its newline, logged when the output closes): read
        // the log once more, past the entries already received.
        skip = entries;
        demux = StreamDemuxer(onEntry);
        r = m_client.stream("GET", path, {}, sink, &m_logCancel);
    }
    send(out.flush() + err.flush());
    if (r.canceled || m_logCancel || r.ok())
        return;
    // GitLab Runner's warnings: the stream could not be opened, or it broke.
    const bool opened = r.status >= 200 && r.status < 300;
    const QString text =
        !opened ? tr("failed to open log stream for container %1: %2")
                      .arg(container, m_client.errorText(r))
                : tr("error streaming logs for container %1: %2").arg(container, r.curlError);
    log(QLatin1String(ansi::yellow) + tr("WARNING: %1").arg(text) + QLatin1String(ansi::reset));
}

void DockerEnvironment::stopServiceLogs()
{
    m_logCancel = true;
    m_serviceLogs.waitForDone();
}

QString DockerEnvironment::doPrepare()
{
    const QString image = m_spec.image.name.isEmpty() ? m_settings.defaultImage : m_spec.image.name;
    log(tr("Using Docker executor with image %1 ...").arg(image));
    if (m_cancel)
        return canceledText();
    QJsonObject network;
    network.insert(u"Name", m_prefix);
    network.insert(u"CheckDuplicate", true);
    network.insert(u"Driver", QStringLiteral("bridge"));
    network.insert(u"Labels", labels());
    auto r = m_client.call("POST", QStringLiteral("/networks/create"), toJson(network));
    if (!r.ok())
        return tr("failed to create network %1: %2").arg(m_prefix, m_client.errorText(r));
    if (needsCertsVolume()) {
        QJsonObject volume;
        volume.insert(u"Name", QString(m_prefix + QStringLiteral("-certs")));
        volume.insert(u"Labels", labels());
        r = m_client.call("POST", QStringLiteral("/volumes/create"), toJson(volume));
        if (!r.ok())
            return m_client.errorText(r);
    }
    QList<QJsonObject> services;
    for (int i = 0; i < m_spec.services.size(); ++i) {
        log(tr("Starting service %1 ...").arg(m_spec.services.at(i).image.name));
        QJsonObject container;
        const QString error = startService(i, m_spec.services.at(i), &container);
        if (!error.isEmpty())
            return error;
        services.append(container);
    }
    // As GitLab Runner: the logs are followed from when all services are created (from their
    // start: a follow without `since` sends what was logged before too), before the wait.
    startServiceLogs();
    if (!services.isEmpty()) {
        log(tr("Waiting for services to be up and running (timeout %1 seconds)...")
                .arg(m_settings.serviceTimeoutSeconds));
        for (int i = 0; i < services.size(); ++i) {
            if (m_cancel)
                return canceledText();
            waitForService(i, m_spec.services.at(i), services.at(i));
        }
    }
    QJsonObject imageInspect;
    QString error =
        ensureImage(image, m_spec.image.pullPolicy, &imageInspect, m_spec.image.platform);
    if (!error.isEmpty())
        return error;

    QJsonObject config;
    config.insert(u"Image", imageInspect.value(u"Id"));
    // Kept alive by a shell waiting on its open stdin; scripts come through exec.
    config.insert(u"Cmd", QJsonArray{QStringLiteral("sh")});
    if (m_spec.image.hasEntrypoint)
        config.insert(u"Entrypoint", m_spec.image.entrypoint.isEmpty()
                                         ? QJsonArray{QString()}
                                         : toArray(m_spec.image.entrypoint));
    config.insert(u"OpenStdin", true);
    config.insert(u"StdinOnce", false);
    config.insert(u"Tty", false);
    config.insert(u"Env", environment(m_spec.variables, true));
    config.insert(u"WorkingDir", m_projectDir);
    if (!m_spec.image.user.isEmpty())
        config.insert(u"User", m_spec.image.user);
    config.insert(u"Labels", labels());
    QJsonObject host;
    host.insert(u"NetworkMode", m_prefix);
    host.insert(u"Privileged", m_spec.privileged || m_settings.privileged);
    QJsonArray binds;
    if (bindsWorkspace())
        binds.append(QString(QDir(m_spec.hostWorkspace).absolutePath() + u':' + m_projectDir));
    if (needsCertsVolume())
        binds.append(QString(m_prefix + QStringLiteral("-certs:/certs/client")));
    host.insert(u"Binds", binds);
    host.insert(u"ExtraHosts", toArray(m_extraHosts));
    config.insert(u"HostConfig", host);
    QJsonObject inspect;
    error = createAndStart(containerName(), config, &inspect, m_spec.image.platform);
    if (!error.isEmpty())
        return tr("failed to start the job container: %1").arg(error);
    const QJsonObject state = inspect.value(u"State").toObject();
    if (!state.value(u"Running").toBool()) {
        return tr("the job container of image %1 stopped right after it started (exit code %2); "
                  "an image whose entrypoint does not run its command needs `entrypoint: [\"\"]`"
                  ":\n%3")
            .arg(image)
            .arg(state.value(u"ExitCode").toInt())
            .arg(QString::fromUtf8(containerLogs(containerName())));
    }

    // File variables: <project dir>.tmp/NAME, readable only as the job's files are.
    QList<TarEntry> files;
    const QString tmp = m_projectDir.mid(1) + QStringLiteral(".tmp/");
    for (const JobVariable &v : std::as_const(m_spec.variables)) {
        if (v.file)
            files.append({tmp + v.name, v.value.toUtf8(), 0600});
    }
    if (!files.isEmpty()) {
        files.prepend({tmp, {}, 0700});
        r = m_client.call("PUT", u"/containers/" + containerName() + u"/archive?path=/",
                          makeTar(files), "application/x-tar", &m_cancel);
        if (!r.ok())
            return tr("failed to write the file variables: %1").arg(m_client.errorText(r));
    }
    if (!bindsWorkspace()) {
        // A remote engine: upload the project.
        QStringList relative;
        QDirIterator it(m_spec.hostWorkspace,
                        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        const QDir root(m_spec.hostWorkspace);
        while (it.hasNext())
            relative.append(root.relativeFilePath(it.next()));
        relative.sort();
        QByteArray tar;
        QBuffer buffer(&tar);
        buffer.open(QIODevice::WriteOnly);
        QString tarError;
        if (!writeTar(m_spec.hostWorkspace, relative, &buffer, &tarError))
            return tr("failed to upload the project: %1").arg(tarError);
        r = m_client.call("PUT",
                          u"/containers/" + containerName() + u"/archive?path=" +
                              DockerClient::encode(m_projectDir),
                          tar, "application/x-tar", &m_cancel);
        if (!r.ok())
            return tr("failed to upload the project: %1").arg(m_client.errorText(r));
    }
    // A job that does not run as root (docker:user, the image's USER) works in files put there
    // as root: writable for it (GitLab Runner's umask 0000), its file variables its own.
    QString user = m_spec.image.user;
    if (user.isEmpty())
        user = imageInspect.value(u"Config").toObject().value(u"User").toString();
    const QString account = user.section(u':', 0, 0);
    if (!account.isEmpty() && account != u"0" && account != u"root") {
        QString script = QStringLiteral("chmod -R a+rwX %1").arg(shellQuote(m_projectDir));
        if (!files.isEmpty())
            script += QStringLiteral(" && chown -R %1 %2")
                          .arg(shellQuote(user), shellQuote(m_projectDir + QStringLiteral(".tmp")));
        QByteArray out;
        if (execCapture({QStringLiteral("sh"), QStringLiteral("-c"), script}, &out,
                        QStringLiteral("0")) != 0) {
            if (bindsWorkspace())
                makeWritableForAll(m_spec.hostWorkspace);
            log(tr("WARNING: could not give the project to user %1 in the job container: %2")
                    .arg(user, QString::fromUtf8(out).trimmed()));
        }
    }
    return {};
}

void DockerEnvironment::runScript(ScriptStep step, const QByteArray &script)
{
    m_scriptCancel = m_cancel.load();
    m_worker.start([this, step, script] {
        const int code = doRunScript(step, script);
        post([this, code] {
            releaseServiceLines();
            Q_EMIT scriptFinished(code);
        });
    });
}

int DockerEnvironment::doRunScript(ScriptStep step, const QByteArray &script)
{
    const QString folder = QStringLiteral("scripts-%1-%2").arg(m_spec.pipelineId).arg(m_spec.jobId);
    const QString name =
        step == ScriptStep::Step ? QStringLiteral("step_script") : QStringLiteral("after_script");
    auto r =
        m_client.call("PUT", u"/containers/" + containerName() + u"/archive?path=/",
                      makeTar({{folder + u'/', {}, 0755}, {folder + u'/' + name, script, 0755}}),
                      "application/x-tar", &m_scriptCancel);
    if (!r.ok()) {
        if (!r.canceled)
            log(tr("ERROR: %1").arg(m_client.errorText(r)));
        return -1;
    }
    QJsonObject exec;
    exec.insert(u"AttachStdout", true);
    exec.insert(u"AttachStderr", true);
    exec.insert(u"Tty", false);
    exec.insert(u"Cmd",
                QJsonArray{QStringLiteral("sh"), QStringLiteral("-c"), QLatin1String(kDetectShell),
                           QStringLiteral("sh"), QString(u'/' + folder + u'/' + name)});
    exec.insert(u"WorkingDir", m_projectDir);
    if (!m_spec.image.user.isEmpty())
        exec.insert(u"User", m_spec.image.user);
    r = m_client.call("POST", u"/containers/" + containerName() + u"/exec", toJson(exec),
                      "application/json", &m_scriptCancel);
    if (!r.ok()) {
        if (!r.canceled)
            log(tr("ERROR: %1").arg(m_client.errorText(r)));
        return -1;
    }
    const QString id = r.json().object().value(u"Id").toString();
    {
        QMutexLocker lock(&m_mutex);
        m_execId = id;
    }
    r = streamExec(
        id,
        [this](int, const QByteArray &payload) { post([this, payload] { jobOutput(payload); }); },
        &m_scriptCancel);
    {
        QMutexLocker lock(&m_mutex);
        m_execId.clear();
    }
    if (r.canceled)
        return -1;
    if (!r.ok()) {
        log(tr("ERROR: %1").arg(m_client.errorText(r)));
        return -1;
    }
    // The stream ends with the process; the engine may take a moment to record the exit code.
    QDeadlineTimer deadline(5000);
    while (true) {
        const auto status = m_client.call("GET", u"/exec/" + id + u"/json");
        const QJsonObject o = status.json().object();
        if (!status.ok())
            return -1;
        if (!o.value(u"Running").toBool() || deadline.hasExpired())
            return o.value(u"ExitCode").toInt(-1);
        QThread::msleep(50);
    }
}

void DockerEnvironment::abortScript()
{
    m_control.start([this] {
        const auto ended = [this](int ms) {
            QDeadlineTimer deadline(ms);
            while (!deadline.hasExpired()) {
                {
                    QMutexLocker lock(&m_mutex);
                    if (m_execId.isEmpty())
                        return true;
                }
                QThread::msleep(50);
            }
            return false;
        };
        if (ended(0))
            return;
        // Everything but the container's first process (the shell keeping it alive): the script
        // and whatever it started; TERM first (the script's trap ends it as GitLab Runner's
        // does), KILL what is left. The container stays for after_script.
        QByteArray ignored;
        execCapture({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -TERM -1")},
                    &ignored, QStringLiteral("0"));
        if (ended(3000))
            return;
        execCapture({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("kill -KILL -1")},
                    &ignored, QStringLiteral("0"));
        if (!ended(10000))
            m_scriptCancel = true; // the stream did not end: stop waiting for it
    });
}

DockerClient::Reply DockerEnvironment::streamExec(const QString &id,
                                                  const StreamDemuxer::FrameSink &sink,
                                                  const CancelFlag *cancel)
{
    StreamDemuxer demux(sink);
    return m_client.stream(
        "POST", u"/exec/" + id + u"/start",
        toJson(QJsonObject{{QStringLiteral("Detach"), false}, {QStringLiteral("Tty"), false}}),
        [&demux](const QByteArray &bytes) {
            demux.feed(bytes);
            return true;
        },
        cancel);
}

int DockerEnvironment::execCapture(const QStringList &command, QByteArray *out, const QString &user)
{
    QJsonObject exec;
    exec.insert(u"AttachStdout", true);
    exec.insert(u"AttachStderr", true);
    exec.insert(u"Cmd", toArray(command));
    if (!user.isEmpty())
        exec.insert(u"User", user);
    auto r = m_client.call("POST", u"/containers/" + containerName() + u"/exec", toJson(exec));
    if (!r.ok()) {
        *out = m_client.errorText(r).toUtf8();
        return -1;
    }
    const QString id = r.json().object().value(u"Id").toString();
    r = streamExec(
        id, [out](int, const QByteArray &payload) { out->append(payload); }, &m_cancel);
    if (!r.ok())
        return -1;
    QDeadlineTimer deadline(5000);
    while (true) {
        const QJsonObject o = m_client.call("GET", u"/exec/" + id + u"/json").json().object();
        if (!o.value(u"Running").toBool() || deadline.hasExpired())
            return o.value(u"ExitCode").toInt(-1);
        QThread::msleep(50);
    }
}

void DockerEnvironment::collect()
{
    m_worker.start([this] {
        const QString error = doCollect();
        post([this, error] { Q_EMIT collected(error.isEmpty(), error); });
    });
}

QString DockerEnvironment::doCollect()
{
    if (m_cancel)
        return canceledText();
    if (bindsWorkspace()) {
        // Files the job created as root in the bind mount go back to the workspace's owner, so
        // nothing is left that the user cannot delete.
        const QFileInfo info(m_spec.hostWorkspace);
        const QString owner = QStringLiteral("%1:%2").arg(info.ownerId()).arg(info.groupId());
        QByteArray out;
        const int code =
            execCapture({QStringLiteral("chown"), QStringLiteral("-R"), owner, m_projectDir}, &out,
                        QStringLiteral("0"));
        if (code == 0)
            return {};
        // The job's image has no chown (distroless, scratch): the helper image does it.
        QJsonObject helperImage;
        QString error = ensureImage(m_settings.helperImage, {QStringLiteral("if-not-present")},
                                    &helperImage, {}, true);
        const QString helper = m_prefix + QStringLiteral("-chown");
        if (error.isEmpty()) {
            QJsonObject config;
            config.insert(u"Image", helperImage.value(u"Id"));
            config.insert(u"User", QStringLiteral("0"));
            config.insert(u"Cmd", QJsonArray{QStringLiteral("chown"), QStringLiteral("-R"), owner,
                                             QStringLiteral("/project")});
            config.insert(u"Labels", labels());
            config.insert(
                u"HostConfig",
                QJsonObject{{QStringLiteral("NetworkMode"), QStringLiteral("none")},
                            {QStringLiteral("Binds"),
                             QJsonArray{QString(QDir(m_spec.hostWorkspace).absolutePath() +
                                                u":/project")}}});
            error = createAndStart(helper, config, nullptr);
        }
        if (error.isEmpty()) {
            const auto r = m_client.call("POST", u"/containers/" + helper + u"/wait", {},
                                         "application/json", &m_cancel, 300);
            const int status = r.ok() ? r.json().object().value(u"StatusCode").toInt(-1) : -1;
            if (status != 0)
                error = QString::fromUtf8(containerLogs(helper)).trimmed();
        }
        m_client.call("DELETE", u"/containers/" + helper + u"?force=true&v=true");
        if (!error.isEmpty())
            return tr("failed to give the project's files back to %1: %2")
                .arg(owner, QString::fromUtf8(out).trimmed() + u'\n' + error);
        return {};
    }
    const auto r = m_client.call("GET",
                                 u"/containers/" + containerName() + u"/archive?path=" +
                                     DockerClient::encode(m_projectDir + u"/."),
                                 {}, "application/json", &m_cancel);
    if (!r.ok())
        return tr("failed to download the project: %1").arg(m_client.errorText(r));
    // Replace the workspace's content with the container's: deletions count too.
    QDir workspace(m_spec.hostWorkspace);
    const QStringList entries =
        workspace.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        const QFileInfo fi(workspace.filePath(entry));
        if (fi.isDir() && !fi.isSymLink())
            QDir(fi.filePath()).removeRecursively();
        else
            QFile::remove(fi.filePath());
    }
    QByteArray body = r.body;
    QBuffer buffer(&body);
    buffer.open(QIODevice::ReadOnly);
    QString error;
    if (!extractTar(&buffer, m_spec.hostWorkspace, &error))
        return tr("failed to download the project: %1").arg(error);
    return {};
}

void DockerEnvironment::cleanup(bool keep)
{
    // Whatever still runs (a prepare, a script) stops; cleanup itself is not cancelable. The
    // job ends here: so do the services' logs in its trace, also when the services are kept.
    if (!keep) {
        m_cancel = true;
        m_scriptCancel = true;
    }
    m_logCancel = true;
    m_worker.start([this, keep] {
        if (keep) {
            // A marker the sweep of later runs respects (labels of containers cannot change).
            QJsonObject marker;
            QJsonObject l = labels();
            l.insert(QLatin1String(dockerlabels::kept),
                     QString::number(QDateTime::currentSecsSinceEpoch()));
            marker.insert(u"Name", QString(m_prefix + QStringLiteral("-kept")));
            marker.insert(u"Labels", l);
            m_client.call("POST", QStringLiteral("/volumes/create"), toJson(marker));
        } else {
            doCleanup();
        }
        // Their last lines come before cleanedUp(), and no thread outlives the job.
        stopServiceLogs();
        post([this] {
            releaseServiceLines();
            Q_EMIT cleanedUp();
        });
    });
}

void DockerEnvironment::doCleanup()
{
    QJsonObject filters;
    filters.insert(u"label",
                   QJsonArray{QString(QLatin1String(dockerlabels::instance) + u'=' + m_instance)});
    const QString filter = DockerClient::encode(
        QString::fromUtf8(QJsonDocument(filters).toJson(QJsonDocument::Compact)));
    // By label, not by what this object remembers: also what a canceled prepare was creating.
    // A second pass catches a network that still had an endpoint being torn down.
    for (int pass = 0; pass < 3; ++pass) {
        int left = 0;
        const QJsonArray containers =
            m_client.call("GET", u"/containers/json?all=true&filters=" + filter).json().array();
        for (const QJsonValue &c : containers) {
            ++left;
            m_client.call("DELETE", u"/containers/" + c.toObject().value(u"Id").toString() +
                                        u"?force=true&v=true");
        }
        const QJsonArray networks =
            m_client.call("GET", u"/networks?filters=" + filter).json().array();
        for (const QJsonValue &n : networks) {
            ++left;
            m_client.call("DELETE", u"/networks/" + n.toObject().value(u"Id").toString());
        }
        const QJsonArray volumes = m_client.call("GET", u"/volumes?filters=" + filter)
                                       .json()
                                       .object()
                                       .value(u"Volumes")
                                       .toArray();
        for (const QJsonValue &v : volumes) {
            ++left;
            m_client.call("DELETE",
                          u"/volumes/" + v.toObject().value(u"Name").toString() + u"?force=true");
        }
        if (left == 0)
            break;
        QThread::msleep(100);
    }
}

QString DockerEnvironment::enterCommand() const
{
    QString command = QStringLiteral("docker");
    if (m_client.endpoint().host != DockerEndpoint::defaultHost())
        command += QStringLiteral(" -H ") + m_client.endpoint().host;
    return command + QStringLiteral(" exec -it ") + containerName() + QStringLiteral(" sh");
}

} // namespace stagecraft::exec
