#include "exec/kube/kubebackend.h"

#include "exec/kube/client.h"
#include "exec/scriptbuilder.h"
#include "exec/services.h"
#include "exec/workspace.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <unistd.h>

namespace stagecraft::exec::kube {

namespace {

QString ktr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

QString latin(const char *text)
{
    return QString::fromLatin1(text);
}

/// POSIX single quotes.
QString shellQuote(const QString &text)
{
    QString out = text;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

QString dnsName(const QString &text, int max)
{
    QString out;
    for (QChar c : text.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
            out += c;
        else if (!out.endsWith(u'-'))
            out += u'-';
    }
    while (out.startsWith(u'-'))
        out.remove(0, 1);
    if (out.size() > max)
        out.truncate(max);
    while (out.endsWith(u'-'))
        out.chop(1);
    return out;
}

bool validEnvName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

bool validHostAlias(const QString &name)
{
    static const QRegularExpression re(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    return name.size() <= 253 && re.match(name).hasMatch();
}

QString pullPolicy(const ImageSpec &image, const Settings &settings)
{
    const QString first = image.pullPolicy.value(0);
    if (first == u"always")
        return QStringLiteral("Always");
    if (first == u"if-not-present")
        return QStringLiteral("IfNotPresent");
    if (first == u"never")
        return QStringLiteral("Never");
    return settings.pullPolicy;
}

QString variableValue(const QList<JobVariable> &vars, const QString &name)
{
    for (const JobVariable &v : vars)
        if (v.name == name)
            return v.value;
    return {};
}

QString hostName()
{
    return labelValue(QHostInfo::localHostName());
}

/// The user a container runs as: image:kubernetes:user (`UID` or `UID:GID`), else docker:user
/// when it is numeric (a name cannot become runAsUser); empty: the image's own USER.
QString numericUser(const ImageSpec &image)
{
    const QString user = image.kubernetesUser.isEmpty() ? image.user : image.kubernetesUser;
    bool ok = false;
    user.section(u':', 0, 0).toLongLong(&ok);
    if (!ok)
        return {};
    if (user.contains(u':')) {
        bool gidOk = false;
        user.section(u':', 1, 1).toLongLong(&gidOk);
        if (!gidOk)
            return user.section(u':', 0, 0);
    }
    return user;
}

/// The file variables' folder: GitLab Runner's `$CI_PROJECT_DIR.tmp`.
QString fileVariablesDir(const PodPaths &paths)
{
    return paths.project + QStringLiteral(".tmp");
}

QJsonArray envOf(const QList<JobVariable> &vars, const PodPaths &paths)
{
    QJsonArray env;
    for (const JobVariable &v : vars) {
        if (!validEnvName(v.name))
            continue;
        env.append(QJsonObject{
            {QStringLiteral("name"), v.name},
            {QStringLiteral("value"), v.file ? fileVariablesDir(paths) + u'/' + v.name : v.value}});
    }
    return env;
}

} // namespace

PodPaths podPaths(const JobSpec &spec)
{
    PodPaths p;
    p.project = p.builds + u'/' +
                (spec.projectPath.isEmpty() ? QStringLiteral("project") : spec.projectPath);
    const QString id = QStringLiteral("%1-%2").arg(dnsName(spec.pipelineId, 20)).arg(spec.jobId);
    p.scripts = QStringLiteral("/scripts-") + id;
    p.logs = QStringLiteral("/logs-") + id;
    p.logFile = p.logs + QStringLiteral("/output.log");
    return p;
}

QString labelValue(const QString &text)
{
    QString out;
    for (QChar c : text) {
        if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
            c == u'-' || c == u'_' || c == u'.')
            out += c;
        else
            out += u'_';
    }
    if (out.size() > 63)
        out =
            out.left(54) + u'-' +
            QString::fromLatin1(
                QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex().left(8));
    auto alnum = [](QChar c) { return c.isLetterOrNumber() && c.unicode() < 128; };
    while (!out.isEmpty() && !alnum(out.front()))
        out.remove(0, 1);
    while (!out.isEmpty() && !alnum(out.back()))
        out.chop(1);
    return out;
}

QList<ServiceWait> serviceWaits(const JobSpec &spec)
{
    QList<ServiceWait> waits;
    const bool tls = !variableValue(spec.variables, QStringLiteral("DOCKER_TLS_CERTDIR")).isEmpty();
    for (int i = 0; i < spec.services.size(); ++i) {
        const ServiceSpec &s = spec.services.at(i);
        ServiceWait w;
        w.container = QStringLiteral("svc-%1").arg(i);
        w.alias = s.aliases.value(0, s.image.name);
        w.port = s.healthcheckPort;
        if (w.port <= 0)
            w.port = variableValue(s.variables, QStringLiteral("HEALTHCHECK_TCP_PORT")).toInt();
        // Kubernetes cannot read an image's EXPOSE; Docker-in-Docker is common enough to know.
        const bool dind =
            s.image.name.contains(u"dind") || s.aliases.contains(QStringLiteral("docker"));
        if (w.port <= 0 && dind) {
            const QString certDir =
                variableValue(s.variables, QStringLiteral("DOCKER_TLS_CERTDIR"));
            w.port = (certDir.isEmpty() && !tls) ? 2375 : 2376;
        }
        w.dockerTls = dind && w.port == 2376;
        if (w.port > 0)
            waits << w;
    }
    return waits;
}

QJsonObject podManifest(const JobSpec &spec, const Settings &settings, const QString &nameSpace,
                        const QString &secretName)
{
    const PodPaths paths = podPaths(spec);
    const bool privileged = spec.privileged || settings.privileged;

    QJsonArray mounts{QJsonObject{{QStringLiteral("name"), QStringLiteral("repo")},
                                  {QStringLiteral("mountPath"), paths.builds}},
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("scripts")},
                                  {QStringLiteral("mountPath"), paths.scripts}},
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("logs")},
                                  {QStringLiteral("mountPath"), paths.logs}},
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("docker-certs")},
                                  {QStringLiteral("mountPath"), QStringLiteral("/certs/client")}}};
    QJsonArray volumes{QJsonObject{{QStringLiteral("name"), QStringLiteral("repo")},
                                   {QStringLiteral("emptyDir"), QJsonObject()}},
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("scripts")},
                                   {QStringLiteral("emptyDir"), QJsonObject()}},
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("logs")},
                                   {QStringLiteral("emptyDir"), QJsonObject()}},
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("docker-certs")},
                                   {QStringLiteral("emptyDir"), QJsonObject()}}};
    if (settings.mountProjectFolder) {
        mounts.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("project")},
                                  {QStringLiteral("mountPath"), paths.project}});
        volumes.append(QJsonObject{
            {QStringLiteral("name"), QStringLiteral("project")},
            {QStringLiteral("hostPath"),
             QJsonObject{{QStringLiteral("path"), QDir(spec.hostWorkspace).absolutePath()},
                         {QStringLiteral("type"), QStringLiteral("Directory")}}}});
    }
    if (!settings.cacheClaim.isEmpty()) {
        mounts.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("cache")},
                                  {QStringLiteral("mountPath"), QStringLiteral("/cache")}});
        volumes.append(
            QJsonObject{{QStringLiteral("name"), QStringLiteral("cache")},
                        {QStringLiteral("persistentVolumeClaim"),
                         QJsonObject{{QStringLiteral("claimName"), settings.cacheClaim}}}});
    }

    QJsonObject security{
        {QStringLiteral("capabilities"),
         QJsonObject{{QStringLiteral("drop"), QJsonArray{QStringLiteral("NET_RAW")}}}}};
    if (privileged)
        security.insert(QStringLiteral("privileged"), true);

    QJsonObject resources;
    QJsonObject requests, limits;
    if (!settings.cpuRequest.isEmpty())
        requests.insert(QStringLiteral("cpu"), settings.cpuRequest);
    if (!settings.memoryRequest.isEmpty())
        requests.insert(QStringLiteral("memory"), settings.memoryRequest);
    if (!settings.cpuLimit.isEmpty())
        limits.insert(QStringLiteral("cpu"), settings.cpuLimit);
    if (!settings.memoryLimit.isEmpty())
        limits.insert(QStringLiteral("memory"), settings.memoryLimit);
    if (!requests.isEmpty())
        resources.insert(QStringLiteral("requests"), requests);
    if (!limits.isEmpty())
        resources.insert(QStringLiteral("limits"), limits);

    const QJsonArray detect{QStringLiteral("sh"), QStringLiteral("-c"), latin(kDetectShell)};
    auto container = [&](const QString &name, const ImageSpec &image) {
        QJsonObject c{{QStringLiteral("name"), name},
                      {QStringLiteral("image"), image.name},
                      {QStringLiteral("volumeMounts"), mounts},
                      {QStringLiteral("securityContext"), security}};
        const QString policy = pullPolicy(image, settings);
        if (!policy.isEmpty())
            c.insert(QStringLiteral("imagePullPolicy"), policy);
        if (!resources.isEmpty())
            c.insert(QStringLiteral("resources"), resources);
        const QString user = numericUser(image);
        bool uidOk = false, gidOk = false;
        const qint64 uid = user.section(u':', 0, 0).toLongLong(&uidOk);
        const qint64 gid = user.section(u':', 1, 1).toLongLong(&gidOk);
        if (uidOk) {
            QJsonObject sc = c.value(u"securityContext").toObject();
            sc.insert(QStringLiteral("runAsUser"), uid);
            if (gidOk)
                sc.insert(QStringLiteral("runAsGroup"), gid);
            c.insert(QStringLiteral("securityContext"), sc);
        }
        return c;
    };

    // Variables: in a Secret owned by the pod (masked values stay out of the pod spec), or
    // inline when no Secret could be made.
    QJsonArray inlineEnv;
    QList<JobVariable> inSecret;
    for (const JobVariable &v : spec.variables) {
        if (!validEnvName(v.name))
            continue;
        if (secretName.isEmpty())
            continue;
        inSecret << v;
    }
    if (secretName.isEmpty())
        inlineEnv = envOf(spec.variables, paths);
    const QJsonArray envFrom{QJsonObject{
        {QStringLiteral("secretRef"), QJsonObject{{QStringLiteral("name"), secretName}}}}};

    QJsonObject build = container(QStringLiteral("build"), spec.image);
    build.insert(QStringLiteral("command"), detect);
    build.insert(QStringLiteral("stdin"), true);
    if (!secretName.isEmpty())
        build.insert(QStringLiteral("envFrom"), envFrom);
    else if (!inlineEnv.isEmpty())
        build.insert(QStringLiteral("env"), inlineEnv);

    ImageSpec helperImage;
    helperImage.name = settings.helperImage;
    QJsonObject helper = container(QStringLiteral("helper"), helperImage);
    helper.insert(QStringLiteral("command"), detect);
    helper.insert(QStringLiteral("stdin"), true);

    QJsonArray containers{build, helper};
    QStringList hostnames;
    for (int i = 0; i < spec.services.size(); ++i) {
        const ServiceSpec &s = spec.services.at(i);
        QJsonObject svc = container(QStringLiteral("svc-%1").arg(i), s.image);
        if (s.image.hasEntrypoint) {
            QJsonArray entry;
            for (const QString &e : s.image.entrypoint)
                entry.append(e);
            svc.insert(QStringLiteral("command"), entry);
        }
        if (!s.command.isEmpty()) {
            QJsonArray args;
            for (const QString &a : s.command)
                args.append(a);
            svc.insert(QStringLiteral("args"), args);
        }
        // The job's variables (from the Secret) plus the service's own.
        QJsonArray env;
        for (const JobVariable &v : s.variables) {
            if (!validEnvName(v.name))
                continue;
            const bool same =
                std::any_of(inSecret.cbegin(), inSecret.cend(), [&](const JobVariable &j) {
                    return j.name == v.name && j.value == v.value && j.file == v.file;
                });
            if (!same)
                env.append(envOf({v}, paths).first());
        }
        if (!secretName.isEmpty())
            svc.insert(QStringLiteral("envFrom"), envFrom);
        if (!env.isEmpty())
            svc.insert(QStringLiteral("env"), env);
        containers.append(svc);
        for (const QString &alias : s.aliases)
            if (validHostAlias(alias) && !hostnames.contains(alias))
                hostnames << alias;
    }

    QJsonObject labels{{latin(kManagedByLabel), QStringLiteral("stagecraft")},
                       {latin(kPipelineLabel), labelValue(spec.pipelineId)},
                       {latin(kJobLabel), QString::number(spec.jobId)},
                       {latin(kHostLabel), hostName()}};
    QJsonObject annotations{{latin(kOwnerPidAnnotation), QString::number(::getpid())},
                            {QStringLiteral("stagecraft.dev/job-name"), spec.jobName},
                            {QStringLiteral("stagecraft.dev/project"), spec.projectPath}};
    QJsonObject metadata{
        {QStringLiteral("generateName"),
         QStringLiteral("stagecraft-%1-%2-").arg(dnsName(spec.pipelineId, 30)).arg(spec.jobId)},
        {QStringLiteral("namespace"), nameSpace},
        {QStringLiteral("labels"), labels},
        {QStringLiteral("annotations"), annotations}};

    QJsonObject podSpec{{QStringLiteral("restartPolicy"), QStringLiteral("Never")},
                        {QStringLiteral("terminationGracePeriodSeconds"), 0},
                        {QStringLiteral("containers"), containers},
                        {QStringLiteral("volumes"), volumes}};
    if (!hostnames.isEmpty()) {
        QJsonArray names;
        for (const QString &h : hostnames)
            names.append(h);
        podSpec.insert(QStringLiteral("hostAliases"),
                       QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("127.0.0.1")},
                                              {QStringLiteral("hostnames"), names}}});
    }
    if (!settings.serviceAccount.isEmpty())
        podSpec.insert(QStringLiteral("serviceAccountName"), settings.serviceAccount);
    if (!settings.nodeSelector.isEmpty()) {
        QJsonObject selector;
        for (auto it = settings.nodeSelector.cbegin(); it != settings.nodeSelector.cend(); ++it)
            selector.insert(it.key(), it.value());
        podSpec.insert(QStringLiteral("nodeSelector"), selector);
    }
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("metadata"), metadata},
                       {QStringLiteral("spec"), podSpec}};
}

// ---------------------------------------------------------------------------------------------
// One job's pod

namespace {

class KubeJob : public JobEnvironment
{
public:
    KubeJob(const Connection &connection, const Settings &settings, const JobSpec &spec,
            QObject *parent)
        : JobEnvironment(parent)
        , m_settings(settings)
        , m_spec(spec)
        , m_paths(podPaths(spec))
        , m_client(new Client(connection, this))
    {
        m_tailRetry.setSingleShot(true);
        connect(&m_tailRetry, &QTimer::timeout, this, [this] { startTail(); });
        connect(&m_runCheck, &QTimer::timeout, this, [this] { checkRunningPod(); });
        m_release.setSingleShot(true);
        m_release.setInterval(1000);
        connect(&m_release, &QTimer::timeout, this, [this] { releaseServiceLines(); });
    }
    ~KubeJob() override { stopAll(); }

    void prepare() override;
    void runScript(ScriptStep step, const QByteArray &script) override;
    void abortScript() override;
    void collect() override;
    void cleanup(bool keep) override;
    QString enterCommand() const override;

private:
    void say(const QString &line) { jobOutput((line + u'\n').toUtf8()); }
    /// The job's bytes, and service lines merged in without breaking the job's lines (held
    /// while it has one open, for at most a second).
    void jobOutput(const QByteArray &bytes);
    void serviceOutput(const QByteArray &lines);
    void releaseServiceLines();
    /// Writes the first `n` bytes of the tail's pending output (less what went ahead).
    void emitPending(qsizetype n);
    void failPrepare(const QString &error)
    {
        if (m_prepareDone)
            return;
        m_prepareDone = true;
        stopWatch();
        Q_EMIT prepared(false, error);
    }
    void createSecret();
    void createPod();
    void waitForPod();
    void checkPod(const QJsonObject &pod);
    void afterRunning();
    void waitForServices(int index, int attempt = 1);
    /// CI_DEBUG_SERVICES: each svc-N container's log into the trace until the job ends.
    void startServiceLogs();
    void stopServiceLogs();
    void writeSetupFiles();
    void uploadSource();
    void finishPrepare();
    /// Runs `command` in `container` with `input` on stdin; `done(exitCode, stdout, error)`.
    void execIn(const QString &container, const QStringList &command, const QByteArray &input,
                std::function<void(int, const QByteArray &, const QString &)> done,
                int attempt = 1);
    QStringList writeFileCommand(const QString &path, qsizetype size, const QString &mode) const;
    void startTail();
    void onTailData(const QByteArray &bytes);
    void finishScript(int code);
    void checkRunningPod();
    void stopWatch();
    void stopAll();
    void deletePod(std::function<void()> then);
    void waitGone(int attempts, std::function<void()> then);

    Settings m_settings;
    JobSpec m_spec;
    PodPaths m_paths;
    Client *m_client;
    QString m_podName;
    QString m_podUid;
    QString m_secretName;
    bool m_secretOwned = false;
    QPointer<PodWatcher> m_watcher;
    QTimer *m_pollTimeout = nullptr;
    QTimer *m_progress = nullptr;
    QString m_lastPhase;
    bool m_prepareDone = false;
    bool m_running = false;
    QList<QPointer<ExecSession>> m_execs;
    QList<QPointer<LogFollower>> m_serviceLogs;
    ServiceLineMerger m_merger;
    QTimer m_release;

    // The running script.
    QString m_stepName;
    bool m_scriptRunning = false;
    bool m_aborting = false;
    qint64 m_offset = 0;       ///< bytes of output.log already read
    qsizetype m_sentAhead = 0; ///< bytes at the start of m_pending already written
    QByteArray m_pending;
    QPointer<ExecSession> m_tail;
    QTimer m_tailRetry;
    QTimer m_runCheck; ///< the pod's health while a script runs (GitLab Runner's watchPodStatus)
    int m_tailFailures = 0;
    bool m_cleaningUp = false;
};

void KubeJob::execIn(const QString &container, const QStringList &command, const QByteArray &input,
                     std::function<void(int, const QByteArray &, const QString &)> done,
                     int attempt)
{
    auto *session = new ExecSession(m_client, m_podName, container, command, this);
    auto out = std::make_shared<QByteArray>();
    auto err = std::make_shared<QByteArray>();
    if (!input.isNull())
        session->setStdin(input);
    connect(session, &ExecSession::stdoutData, this, [out](const QByteArray &b) { *out += b; });
    connect(session, &ExecSession::stderrData, this, [err](const QByteArray &b) { *err += b; });
    connect(session, &ExecSession::finished, this,
            [this, session, out, err, done, container, command, input,
             attempt](int code, const QString &error) {
                session->deleteLater();
                // A connection or TLS handshake that failed before anything ran: a loaded API
                // server drops one now and then (GitLab Runner retries such transient API
                // errors too).
                if (session->failedToConnect() && attempt < 3 && !m_aborting) {
                    QTimer::singleShot(500 * attempt, this,
                                       [this, container, command, input, done, attempt] {
                                           execIn(container, command, input, done, attempt + 1);
                                       });
                    return;
                }
                QString message = error;
                if (message.isEmpty() && code != 0)
                    message = QString::fromUtf8(*err).trimmed();
                done(code, *out, message);
            });
    m_execs << session;
    session->start();
}

QStringList KubeJob::writeFileCommand(const QString &path, qsizetype size,
                                      const QString &mode) const
{
    // `head -c N`: on v4.channel.k8s.io stdin cannot be closed, so the size ends the input.
    return {QStringLiteral("sh"), QStringLiteral("-c"),
            QStringLiteral("mkdir -p \"$(dirname %1)\" && head -c %2 > %1 && chmod %3 %1")
                .arg(shellQuote(path))
                .arg(size)
                .arg(mode)};
}

void KubeJob::prepare()
{
    say(ktr("Using Kubernetes namespace: %1").arg(m_client->nameSpace()));
    say(ktr("Using Kubernetes executor with image %1 ...").arg(m_spec.image.name));
    if (m_spec.image.name.isEmpty()) {
        failPrepare(ktr("the Kubernetes executor needs an image: set `image:` in the job or at "
                        "the top level"));
        return;
    }
    createSecret();
}

void KubeJob::createSecret()
{
    QJsonObject data;
    for (const JobVariable &v : m_spec.variables) {
        if (!validEnvName(v.name))
            continue;
        data.insert(v.name, v.file ? fileVariablesDir(m_paths) + u'/' + v.name : v.value);
    }
    QJsonObject labels{{latin(kManagedByLabel), QStringLiteral("stagecraft")},
                       {latin(kPipelineLabel), labelValue(m_spec.pipelineId)},
                       {latin(kJobLabel), QString::number(m_spec.jobId)}};
    const QJsonObject secret{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Secret")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("generateName"), QStringLiteral("stagecraft-vars-%1-%2-")
                                                          .arg(dnsName(m_spec.pipelineId, 30))
                                                          .arg(m_spec.jobId)},
                     {QStringLiteral("labels"), labels}}},
        {QStringLiteral("type"), QStringLiteral("Opaque")},
        {QStringLiteral("stringData"), data}};
    m_client->createObject(QStringLiteral("secrets"), secret, [this](const ApiResult &r) {
        if (!r.ok()) {
            failPrepare(
                ktr("Cannot create the Secret holding the job's variables: %1").arg(r.error));
            return;
        }
        m_secretName = r.object.value(u"metadata").toObject().value(u"name").toString();
        createPod();
    });
}

void KubeJob::createPod()
{
    const QJsonObject pod = podManifest(m_spec, m_settings, m_client->nameSpace(), m_secretName);
    m_client->createPod(pod, [this](const ApiResult &r) {
        if (!r.ok()) {
            failPrepare(ktr("Cannot create the job's pod: %1").arg(r.error));
            return;
        }
        const QJsonObject meta = r.object.value(u"metadata").toObject();
        m_podName = meta.value(u"name").toString();
        m_podUid = meta.value(u"uid").toString();
        // The Secret goes with the pod (garbage collection), as GitLab Runner does.
        m_client->setOwnerPod(QStringLiteral("secrets"), m_secretName, m_podName, m_podUid,
                              [this](const ApiResult &pr) { m_secretOwned = pr.ok(); });
        waitForPod();
        checkPod(r.object);
    });
}

void KubeJob::waitForPod()
{
    m_watcher = new PodWatcher(m_client, m_podName, this);
    connect(m_watcher, &PodWatcher::changed, this, &KubeJob::checkPod);
    connect(m_watcher, &PodWatcher::deleted, this, [this] {
        failPrepare(ktr("pod %1/%2 was deleted").arg(m_client->nameSpace(), m_podName));
    });
    connect(m_watcher, &PodWatcher::failed, this, [this](const QString &error) {
        failPrepare(ktr("Cannot watch pod %1/%2: %3").arg(m_client->nameSpace(), m_podName, error));
    });
    m_watcher->start();
    m_pollTimeout = new QTimer(this);
    m_pollTimeout->setSingleShot(true);
    connect(m_pollTimeout, &QTimer::timeout, this, [this] {
        failPrepare(ktr("timed out waiting for pod %1/%2 to start (status %3 after %4 s)")
                        .arg(m_client->nameSpace(), m_podName, m_lastPhase)
                        .arg(m_settings.pollTimeoutSeconds));
    });
    m_pollTimeout->start(m_settings.pollTimeoutSeconds * 1000);
    m_progress = new QTimer(this);
    connect(m_progress, &QTimer::timeout, this, [this] {
        say(ktr("Waiting for pod %1/%2 to be running, status is %3")
                .arg(m_client->nameSpace(), m_podName, m_lastPhase));
    });
    m_progress->start(3000);
}

void KubeJob::checkPod(const QJsonObject &pod)
{
    if (m_prepareDone || m_running)
        return;
    const QJsonObject status = pod.value(u"status").toObject();
    m_lastPhase = status.value(u"phase").toString(QStringLiteral("Pending"));
    for (const auto &c : status.value(u"conditions").toArray()) {
        const QJsonObject cond = c.toObject();
        if (cond.value(u"type").toString() == u"PodScheduled" &&
            cond.value(u"status").toString() == u"False" &&
            cond.value(u"reason").toString() == u"Unschedulable") {
            failPrepare(
                ktr("pod %1/%2 cannot be scheduled: %3")
                    .arg(m_client->nameSpace(), m_podName, cond.value(u"message").toString()));
            return;
        }
    }
    bool allRunning = true;
    const QJsonArray statuses = status.value(u"containerStatuses").toArray();
    if (statuses.isEmpty())
        allRunning = false;
    for (const auto &s : statuses) {
        const QJsonObject cs = s.toObject();
        const QString name = cs.value(u"name").toString();
        const QJsonObject state = cs.value(u"state").toObject();
        if (state.contains(u"waiting")) {
            allRunning = false;
            const QJsonObject w = state.value(u"waiting").toObject();
            const QString reason = w.value(u"reason").toString();
            static const QStringList fatal{QStringLiteral("ErrImagePull"),
                                           QStringLiteral("ImagePullBackOff"),
                                           QStringLiteral("InvalidImageName"),
                                           QStringLiteral("CreateContainerConfigError"),
                                           QStringLiteral("CreateContainerError"),
                                           QStringLiteral("CrashLoopBackOff")};
            if (fatal.contains(reason)) {
                const QString message = w.value(u"message").toString();
                failPrepare(ktr("container \"%1\" of pod %2/%3 (image %4) cannot start: %5%6")
                                .arg(name, m_client->nameSpace(), m_podName,
                                     cs.value(u"image").toString(), reason,
                                     message.isEmpty() ? QString() : u": " + message));
                return;
            }
        } else if (state.contains(u"terminated")) {
            // A service may stop (GitLab only warns); build and helper must run.
            if (name == u"build" || name == u"helper") {
                const QJsonObject t = state.value(u"terminated").toObject();
                failPrepare(ktr("container \"%1\" of pod %2/%3 terminated before the job "
                                "started (exit code %4, %5)")
                                .arg(name, m_client->nameSpace(), m_podName)
                                .arg(t.value(u"exitCode").toInt())
                                .arg(t.value(u"reason").toString()));
                return;
            }
        }
    }
    if (m_lastPhase == u"Failed" || m_lastPhase == u"Succeeded") {
        failPrepare(ktr("pod \"%1\" status is \"%2\"").arg(m_podName, m_lastPhase));
        return;
    }
    if (m_lastPhase == u"Running" && allRunning)
        afterRunning();
}

void KubeJob::stopWatch()
{
    if (m_watcher) {
        m_watcher->stop();
        m_watcher->deleteLater();
    }
    if (m_pollTimeout)
        m_pollTimeout->stop();
    if (m_progress)
        m_progress->stop();
}

void KubeJob::afterRunning()
{
    m_running = true;
    stopWatch();
    say(ktr("Running on %1 via stagecraft...").arg(m_podName));
    startServiceLogs();
    writeSetupFiles();
}

void KubeJob::startServiceLogs()
{
    QString warning;
    const bool enabled = debugServicesEnabled(m_spec.variables, &warning);
    if (!warning.isEmpty())
        say(QLatin1String(ansi::yellow) + ktr("WARNING: %1").arg(warning) +
            QLatin1String(ansi::reset));
    if (!enabled)
        return;
    for (int i = 0; i < m_spec.services.size(); ++i) {
        const QString container = QStringLiteral("svc-%1").arg(i);
        // From the container's start (the pod runs: everything it logged so far comes first);
        // a dropped stream resumes where it was (sinceTime, without repeating lines).
        auto *follower = new LogFollower(m_client, m_podName, container, this);
        auto writer = std::make_shared<ServiceLogWriter>(serviceLogName(m_spec.services.at(i)));
        connect(follower, &LogFollower::line, this,
                [this, writer](const QByteArray &text, const QString &timestamp) {
                    QByteArray line =
                        timestamp.isEmpty() ? QByteArray() : timestamp.toLatin1() + ' ';
                    line += text;
                    if (line.endsWith('\n'))
                        line.chop(1);
                    serviceOutput(writer->line(line));
                });
        connect(follower, &LogFollower::finished, this, [this, container](const QString &error) {
            if (!error.isEmpty() && !m_cleaningUp)
                say(QLatin1String(ansi::yellow) +
                    ktr("WARNING: error streaming logs for container %1: %2")
                        .arg(container, error) +
                    QLatin1String(ansi::reset));
        });
        m_serviceLogs << follower;
        follower->start();
    }
}

void KubeJob::stopServiceLogs()
{
    for (const auto &f : std::as_const(m_serviceLogs))
        if (f)
            f->finish();
}

void KubeJob::writeSetupFiles()
{
    // The detect-shell script and an empty log, then the file variables.
    const QByteArray detect = kDetectShell;
    const QString command =
        QStringLiteral("head -c %1 > %2/detect_shell_script && : > %3 && chmod 777 %3")
            .arg(detect.size())
            .arg(shellQuote(m_paths.scripts), shellQuote(m_paths.logFile));
    execIn(
        QStringLiteral("helper"), {QStringLiteral("sh"), QStringLiteral("-c"), command}, detect,
        [this](int code, const QByteArray &, const QString &error) {
            if (code != 0) {
                failPrepare(
                    ktr("Cannot prepare the scripts folder in pod %1: %2").arg(m_podName, error));
                return;
            }
            auto files = std::make_shared<QList<JobVariable>>();
            for (const JobVariable &v : m_spec.variables)
                if (v.file && validEnvName(v.name))
                    *files << v;
            auto next = std::make_shared<std::function<void()>>();
            *next = [this, files, next] {
                if (files->isEmpty()) {
                    waitForServices(0);
                    return;
                }
                const JobVariable v = files->takeFirst();
                const QByteArray content = v.value.toUtf8();
                execIn(QStringLiteral("helper"),
                       writeFileCommand(fileVariablesDir(m_paths) + u'/' + v.name, content.size(),
                                        QStringLiteral("600")),
                       content,
                       [this, next, name = v.name](int c, const QByteArray &, const QString &e) {
                           if (c != 0) {
                               failPrepare(
                                   ktr("Cannot write the file variable %1: %2").arg(name, e));
                               return;
                           }
                           (*next)();
                       });
            };
            (*next)();
        });
}

void KubeJob::waitForServices(int index, int attempt)
{
    const QList<ServiceWait> waits = serviceWaits(m_spec);
    if (index >= waits.size()) {
        uploadSource();
        return;
    }
    const ServiceWait w = waits.at(index);
    if (index == 0 && attempt == 1)
        say(ktr("Waiting for services to be up and running (timeout %1 seconds)...")
                .arg(m_settings.servicesTimeoutSeconds));
    // busybox nc has no -z: a connection with empty input says the same.
    QString script =
        QStringLiteral(
            "end=$(($(date +%s) + %1)); "
            "until nc -z 127.0.0.1 %2 >/dev/null 2>&1 || "
            "nc -w 1 127.0.0.1 %2 </dev/null >/dev/null 2>&1; do "
            "[ $(date +%s) -ge $end ] && { echo \"no answer on 127.0.0.1:%2\"; exit 1; }; "
            "sleep 0.3; done")
            .arg(m_settings.servicesTimeoutSeconds)
            .arg(w.port);
    if (w.dockerTls)
        script += QStringLiteral("; until [ -f /certs/client/ca.pem ]; do "
                                 "[ $(date +%s) -ge $end ] && { echo \"/certs/client/ca.pem did "
                                 "not appear\"; exit 1; }; sleep 0.3; done");
    execIn(QStringLiteral("helper"), {QStringLiteral("sh"), QStringLiteral("-c"), script}, {},
           [this, index, attempt, w](int code, const QByteArray &out, const QString &error) {
               // The exec itself failed (stream or API error, not the check's answer): a
               // loaded API server or kubelet drops one now and then; ask again before
               // telling the user the service did not start.
               if (code < 0 && attempt < 4) {
                   QTimer::singleShot(
                       1000, this, [this, index, attempt] { waitForServices(index, attempt + 1); });
                   return;
               }
               if (code != 0) {
                   // GitLab Runner's wording: the job goes on, the user sees why.
                   say(ktr("*** WARNING: Service %1 (%2) probably didn't start properly.\n\n"
                           "Health check error:\n%3\n")
                           .arg(w.container, w.alias,
                                QString::fromUtf8(out).trimmed().isEmpty()
                                    ? error
                                    : QString::fromUtf8(out).trimmed()));
               }
               waitForServices(index + 1);
           });
}

void KubeJob::uploadSource()
{
    // The file variables (written 0600 by root): the build user's own when it is known, else
    // readable in the pod.
    const QString tmp = shellQuote(fileVariablesDir(m_paths));
    QString fileVariables;
    if (const QString user = numericUser(m_spec.image); !user.isEmpty())
        fileVariables = QStringLiteral("{ [ ! -d %1 ] || chown -R %2 %1; }").arg(tmp, user);
    else
        fileVariables = QStringLiteral("{ [ ! -d %1 ] || chmod -R a+rX %1; }").arg(tmp);
    if (m_settings.mountProjectFolder) {
        execIn(
            QStringLiteral("helper"), {QStringLiteral("sh"), QStringLiteral("-c"), fileVariables},
            {}, [this](int code, const QByteArray &, const QString &e) {
                if (code != 0) {
                    failPrepare(
                        ktr("Cannot prepare the file variables in pod %1: %2").arg(m_podName, e));
                    return;
                }
                finishPrepare();
            });
        return;
    }
    // The working tree as a tar stream into the helper (kubectl cp's way).
    QStringList files;
    const QDir root(m_spec.hostWorkspace);
    QDirIterator it(m_spec.hostWorkspace,
                    QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        files << root.relativeFilePath(it.filePath());
    }
    files.sort();
    QByteArray tar;
    QBuffer buffer(&tar);
    buffer.open(QIODevice::WriteOnly);
    QString error;
    if (!files.isEmpty() && !writeTar(m_spec.hostWorkspace, files, &buffer, &error)) {
        failPrepare(ktr("Cannot pack the project folder for the pod: %1").arg(error));
        return;
    }
    buffer.close();
    QString command = QStringLiteral("mkdir -p %1").arg(shellQuote(m_paths.project));
    if (!tar.isEmpty())
        command += QStringLiteral(" && head -c %2 | tar -xmf - -C %1")
                       .arg(shellQuote(m_paths.project))
                       .arg(tar.size());
    // The helper is root; the build container may not be (image:kubernetes:user, the image's
    // USER). Everything stays writable for it, as GitLab Runner's helper does with umask 0000.
    command += QStringLiteral(" && chmod -R a+rwX %1 && %2")
                   .arg(shellQuote(m_paths.project), fileVariables);
    execIn(QStringLiteral("helper"), {QStringLiteral("sh"), QStringLiteral("-c"), command}, tar,
           [this](int code, const QByteArray &, const QString &e) {
               if (code != 0) {
                   failPrepare(
                       ktr("Cannot upload the project folder into pod %1: %2").arg(m_podName, e));
                   return;
               }
               finishPrepare();
           });
}

void KubeJob::finishPrepare()
{
    if (m_prepareDone)
        return;
    m_prepareDone = true;
    Q_EMIT prepared(true, QString());
}

void KubeJob::runScript(ScriptStep step, const QByteArray &script)
{
    m_stepName =
        step == ScriptStep::Step ? QStringLiteral("step_script") : QStringLiteral("after_script");
    const QString scriptPath = m_paths.scripts + u'/' + m_stepName;
    const QString pidPath = scriptPath + QStringLiteral(".pid");
    // The wrapper runs the script in its own session (so that abortScript() can stop all of it)
    // with the output appended to the log, then appends the exit status line as GitLab
    // Runner's trap does.
    const QString wrapper =
        QStringLiteral("cd %1 2>/dev/null || cd /\n"
                       "if command -v setsid >/dev/null 2>&1; then\n"
                       "  setsid sh %2/detect_shell_script %3 </dev/null >>%4 2>&1 &\n"
                       "else\n"
                       "  sh %2/detect_shell_script %3 </dev/null >>%4 2>&1 &\n"
                       "fi\n"
                       "echo $! > %5\n"
                       "wait $!\n"
                       "rc=$?\n"
                       "printf '\\n{\"command_exit_code\": %d, \"script\": \"%s\"}\\n' \"$rc\" %3 "
                       ">>%4\n")
            .arg(shellQuote(m_paths.project), shellQuote(m_paths.scripts), shellQuote(scriptPath),
                 shellQuote(m_paths.logFile), shellQuote(pidPath));
    const QString run = scriptPath + QStringLiteral(".run");
    // The script on stdin (any size), the small wrapper as an argument: two `head -c` on one
    // stdin would not do, the first reads ahead.
    const QString command = QStringLiteral("head -c %1 > %2 && printf '%s' \"$1\" > %3 && "
                                           "chmod 755 %2 %3")
                                .arg(script.size())
                                .arg(shellQuote(scriptPath), shellQuote(run));
    m_scriptRunning = true;
    m_aborting = false;
    m_pending.clear();
    execIn(QStringLiteral("helper"),
           {QStringLiteral("sh"), QStringLiteral("-c"), command, QStringLiteral("sh"), wrapper},
           script, [this, run](int code, const QByteArray &, const QString &error) {
               if (code != 0) {
                   jobOutput(ktr("ERROR: Cannot deliver the script into pod %1: %2\n")
                                 .arg(m_podName, error)
                                 .toUtf8());
                   finishScript(-1);
                   return;
               }
               // Started in the build container, detached: a broken connection does not stop
               // the script; its output is read back from the log by offset.
               execIn(QStringLiteral("build"),
                      {QStringLiteral("sh"), QStringLiteral("-c"),
                       QStringLiteral("if command -v setsid >/dev/null 2>&1; then setsid sh %1; "
                                      "else nohup sh %1; fi </dev/null >/dev/null 2>&1 &")
                           .arg(shellQuote(run))},
                      {}, [this](int c, const QByteArray &, const QString &e) {
                          if (c != 0) {
                              jobOutput(ktr("ERROR: Cannot start the script in pod %1: %2\n")
                                            .arg(m_podName, e)
                                            .toUtf8());
                              finishScript(-1);
                              return;
                          }
                          m_tailFailures = 0;
                          m_runCheck.start(3000);
                          startTail();
                      });
           });
}

void KubeJob::startTail()
{
    if (!m_scriptRunning)
        return;
    // GitLab Runner's read-logs: from a byte offset, following the file.
    m_tail = new ExecSession(m_client, m_podName, QStringLiteral("helper"),
                             {QStringLiteral("tail"), QStringLiteral("-c"),
                              QStringLiteral("+%1").arg(m_offset + 1), QStringLiteral("-f"),
                              m_paths.logFile},
                             this);
    ExecSession *tail = m_tail;
    connect(tail, &ExecSession::stdoutData, this, [this, tail](const QByteArray &bytes) {
        if (tail != m_tail)
            return;
        m_tailFailures = 0;
        onTailData(bytes);
    });
    connect(tail, &ExecSession::finished, this, [this, tail](int, const QString &error) {
        tail->deleteLater();
        if (tail != m_tail || !m_scriptRunning)
            return;
        // The stream broke: resume from the last offset, with a growing pause.
        if (++m_tailFailures > 30) {
            jobOutput(ktr("ERROR: Lost the job's log stream: %1\n").arg(error).toUtf8());
            finishScript(-1);
            return;
        }
        m_tailRetry.start(qMin(200 * m_tailFailures, 3000));
    });
    tail->start();
}

void KubeJob::onTailData(const QByteArray &bytes)
{
    m_offset += bytes.size();
    m_pending += bytes;
    static const QByteArray marker = "\n{\"command_exit_code\": ";
    const QByteArray scriptPath = (m_paths.scripts + u'/' + m_stepName).toUtf8();
    for (;;) {
        const qsizetype at = m_pending.indexOf(marker);
        if (at >= 0) {
            const qsizetype end = m_pending.indexOf("}\n", at);
            if (end < 0) {
                if (at > 0)
                    emitPending(at);
                return;
            }
            const QByteArray json = m_pending.mid(at + 1, end + 1 - (at + 1));
            const QJsonObject status = QJsonDocument::fromJson(json).object();
            if (status.value(u"script").toString().toUtf8() != scriptPath) {
                // A line that only looks like ours: it is output.
                emitPending(end + 2);
                continue;
            }
            if (at > 0)
                emitPending(at);
            m_pending.remove(0, end + 2 - at);
            m_sentAhead = 0;
            finishScript(status.value(u"command_exit_code").toInt(-1));
            return;
        }
        // Hold back only what may be the start of the status line.
        const qsizetype nl = m_pending.lastIndexOf('\n');
        qsizetype keep = m_pending.size();
        if (nl >= 0 && marker.startsWith(m_pending.mid(nl)))
            keep = nl;
        if (keep > 0)
            emitPending(keep);
        return;
    }
}

void KubeJob::emitPending(qsizetype n)
{
    const qsizetype ahead = std::min(m_sentAhead, n);
    if (n > ahead)
        jobOutput(m_pending.mid(ahead, n - ahead));
    m_sentAhead -= ahead;
    m_pending.remove(0, n);
}

void KubeJob::jobOutput(const QByteArray &bytes)
{
    const QByteArray out = m_merger.job(bytes);
    if (!m_merger.holding())
        m_release.stop();
    if (!out.isEmpty())
        Q_EMIT output(out);
}

void KubeJob::serviceOutput(const QByteArray &lines)
{
    // The job's last line is complete, only its newline is held back (it may be the start of
    // the status line): it goes ahead, the service lines after it.
    if (m_merger.lineOpen() && m_scriptRunning && m_sentAhead == 0 && m_pending.startsWith('\n')) {
        m_sentAhead = 1;
        jobOutput(QByteArray(1, '\n'));
    }
    const QByteArray out = m_merger.service(lines);
    if (!out.isEmpty())
        Q_EMIT output(out);
    else if (!m_release.isActive())
        m_release.start();
}

void KubeJob::releaseServiceLines()
{
    m_release.stop();
    const QByteArray out = m_merger.release();
    if (!out.isEmpty())
        Q_EMIT output(out);
}

void KubeJob::finishScript(int code)
{
    if (!m_scriptRunning)
        return;
    m_scriptRunning = false;
    m_tailRetry.stop();
    m_runCheck.stop();
    if (m_tail) {
        ExecSession *tail = m_tail;
        m_tail = nullptr;
        tail->abort();
    }
    if (!m_pending.isEmpty() && code < 0)
        emitPending(m_pending.size());
    m_pending.clear();
    m_sentAhead = 0;
    releaseServiceLines();
    Q_EMIT scriptFinished(code);
}

void KubeJob::abortScript()
{
    if (!m_scriptRunning || m_aborting)
        return;
    m_aborting = true;
    const QString pidPath = m_paths.scripts + u'/' + m_stepName + QStringLiteral(".pid");
    const QString kill =
        QStringLiteral("p=$(cat %1 2>/dev/null) || exit 0; "
                       "kill -TERM -$p 2>/dev/null || kill -TERM $p 2>/dev/null; "
                       "i=0; while kill -0 $p 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; "
                       "i=$((i+1)); done; "
                       "kill -KILL -$p 2>/dev/null || kill -KILL $p 2>/dev/null; true")
            .arg(shellQuote(pidPath));
    execIn(QStringLiteral("build"), {QStringLiteral("sh"), QStringLiteral("-c"), kill}, {},
           [this](int, const QByteArray &, const QString &) {
               // The wrapper writes the status line of the killed script; if it cannot, stop
               // waiting after a while.
               QTimer::singleShot(5000, this, [this] {
                   if (m_scriptRunning && m_aborting)
                       finishScript(-1);
               });
           });
}

void KubeJob::collect()
{
    if (m_settings.mountProjectFolder || m_podName.isEmpty() || !m_running) {
        Q_EMIT collected(true, QString());
        return;
    }
    execIn(QStringLiteral("helper"),
           {QStringLiteral("tar"), QStringLiteral("cf"), QStringLiteral("-"), QStringLiteral("-C"),
            m_paths.project, QStringLiteral(".")},
           {}, [this](int code, const QByteArray &tar, const QString &error) {
               if (code != 0) {
                   Q_EMIT collected(false, ktr("Cannot read the project folder back from pod "
                                               "%1: %2")
                                               .arg(m_podName, error));
                   return;
               }
               QByteArray data = tar;
               QBuffer buffer(&data);
               buffer.open(QIODevice::ReadOnly);
               QString extractError;
               if (!extractTar(&buffer, m_spec.hostWorkspace, &extractError)) {
                   Q_EMIT collected(false, ktr("Cannot unpack the project folder from pod %1: "
                                               "%2")
                                               .arg(m_podName, extractError));
                   return;
               }
               Q_EMIT collected(true, QString());
           });
}

void KubeJob::checkRunningPod()
{
    if (!m_scriptRunning)
        return;
    m_client->getPod(m_podName, [this](const ApiResult &r) {
        if (!m_scriptRunning)
            return;
        QString problem;
        if (r.httpStatus == 404) {
            problem = ktr("pod \"%1\" is gone").arg(m_podName);
        } else if (r.ok()) {
            const QJsonObject status = r.object.value(u"status").toObject();
            const QString phase = status.value(u"phase").toString();
            if (phase != u"Running")
                problem = ktr("pod \"%1\" status is \"%2\"").arg(m_podName, phase);
            if (r.object.value(u"metadata").toObject().contains(u"deletionTimestamp"))
                problem = ktr("pod \"%1\" is being deleted").arg(m_podName);
            for (const auto &s : status.value(u"containerStatuses").toArray()) {
                const QJsonObject cs = s.toObject();
                const QString name = cs.value(u"name").toString();
                const QJsonObject t = cs.value(u"state").toObject().value(u"terminated").toObject();
                if ((name == u"build" || name == u"helper") && !t.isEmpty())
                    problem = ktr("container \"%1\" of pod \"%2\" terminated (exit code %3, %4)")
                                  .arg(name, m_podName)
                                  .arg(t.value(u"exitCode").toInt())
                                  .arg(t.value(u"reason").toString());
            }
        }
        if (!problem.isEmpty()) {
            jobOutput(ktr("ERROR: Job failed (system failure): %1\n").arg(problem).toUtf8());
            finishScript(-1);
        }
    });
}

void KubeJob::stopAll()
{
    stopWatch();
    for (const auto &f : std::as_const(m_serviceLogs))
        if (f)
            f->stop();
    m_tailRetry.stop();
    m_runCheck.stop();
    for (const auto &e : std::as_const(m_execs))
        if (e)
            e->abort();
    m_execs.clear();
}

void KubeJob::waitGone(int attempts, std::function<void()> then)
{
    m_client->getPod(m_podName, [this, attempts, then](const ApiResult &r) {
        if (r.httpStatus == 404 || attempts <= 0 || (!r.ok() && r.httpStatus != 200)) {
            then();
            return;
        }
        QTimer::singleShot(300, this, [this, attempts, then] { waitGone(attempts - 1, then); });
    });
}

void KubeJob::deletePod(std::function<void()> then)
{
    auto afterSecret = [this, then] {
        if (m_podName.isEmpty()) {
            then();
            return;
        }
        m_client->deletePod(m_podName, [this, then](const ApiResult &r) {
            if (!r.ok() && r.httpStatus != 404)
                jobOutput(
                    ktr("WARNING: Cannot delete pod %1: %2\n").arg(m_podName, r.error).toUtf8());
            waitGone(60, then);
        });
    };
    // A Secret that never got its owner reference is deleted explicitly.
    if (!m_secretName.isEmpty() && (!m_secretOwned || m_podName.isEmpty()))
        m_client->deleteObject(QStringLiteral("secrets"), m_secretName,
                               [afterSecret](const ApiResult &) { afterSecret(); });
    else
        afterSecret();
}

void KubeJob::cleanup(bool keep)
{
    if (m_cleaningUp)
        return;
    m_cleaningUp = true;
    m_scriptRunning = false;
    // The job ends: the services' last lines (a partial one too) go into its trace, then their
    // streams close; the pod's deletion does not wait for them.
    stopServiceLogs();
    releaseServiceLines();
    stopAll();
    if (!m_prepareDone) {
        m_prepareDone = true;
    }
    if (keep && !m_podName.isEmpty()) {
        Q_EMIT cleanedUp();
        return;
    }
    deletePod([this] { Q_EMIT cleanedUp(); });
}

QString KubeJob::enterCommand() const
{
    if (m_podName.isEmpty())
        return {};
    return QStringLiteral("kubectl --context %1 exec -it -n %2 %3 -c build -- sh")
        .arg(shellQuote(m_client->connection().contextName), m_client->nameSpace(), m_podName);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// KubernetesBackend

Settings settingsFrom(const BackendSettings &b)
{
    Settings s;
    s.context = b.kubeContext;
    s.nameSpace = b.kubeNamespace;
    s.privileged = b.privileged;
    const QVariantMap &x = b.extra;
    auto text = [&](const char *key, QString *out) {
        const QString v = x.value(QString::fromLatin1(key)).toString();
        if (!v.isEmpty())
            *out = v;
    };
    if (!x.value(QStringLiteral("kubeconfig")).toString().isEmpty())
        s.kubeconfigFiles = x.value(QStringLiteral("kubeconfig"))
                                .toString()
                                .split(QDir::listSeparator(), Qt::SkipEmptyParts);
    const QString helper = qEnvironmentVariable("STAGECRAFT_KUBE_HELPER_IMAGE");
    if (!helper.isEmpty())
        s.helperImage = helper;
    text("kubeServiceAccount", &s.serviceAccount);
    text("kubeHelperImage", &s.helperImage);
    text("kubePullPolicy", &s.pullPolicy);
    // GitLab Runner's spelling (always, if-not-present, never) is taken too.
    if (s.pullPolicy == u"always")
        s.pullPolicy = QStringLiteral("Always");
    else if (s.pullPolicy == u"if-not-present")
        s.pullPolicy = QStringLiteral("IfNotPresent");
    else if (s.pullPolicy == u"never")
        s.pullPolicy = QStringLiteral("Never");
    text("kubeCpuRequest", &s.cpuRequest);
    text("kubeCpuLimit", &s.cpuLimit);
    text("kubeMemoryRequest", &s.memoryRequest);
    text("kubeMemoryLimit", &s.memoryLimit);
    text("kubeCacheClaim", &s.cacheClaim);
    const QVariant selector = x.value(QStringLiteral("kubeNodeSelector"));
    if (selector.typeId() == QMetaType::QVariantMap) {
        const QVariantMap map = selector.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            s.nodeSelector.insert(it.key(), it.value().toString());
    } else {
        for (const QString &pair : selector.toString().split(u',', Qt::SkipEmptyParts))
            s.nodeSelector.insert(pair.section(u'=', 0, 0).trimmed(),
                                  pair.section(u'=', 1).trimmed());
    }
    s.mountProjectFolder = x.value(QStringLiteral("kubeMountProjectFolder")).toBool();
    if (x.value(QStringLiteral("kubePollTimeout")).toInt() > 0)
        s.pollTimeoutSeconds = x.value(QStringLiteral("kubePollTimeout")).toInt();
    if (x.value(QStringLiteral("kubeServicesTimeout")).toInt() > 0)
        s.servicesTimeoutSeconds = x.value(QStringLiteral("kubeServicesTimeout")).toInt();
    return s;
}

QString quantityError(const QString &value)
{
    // resource.Quantity: a signed decimal number, then a binary (Ki..Ei), decimal (n, u, m, k,
    // M..E) or exponent suffix.
    static const QRegularExpression quantity(QStringLiteral(
        "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$"));
    if (quantity.match(value).hasMatch())
        return {};
    return ktr("\"%1\" is not a Kubernetes quantity (such as 500m, 2, 512Mi or 1Gi)").arg(value);
}

QString settingsError(const Settings &settings)
{
    const QList<std::pair<const char *, QString>> quantities{
        {"CPU request", settings.cpuRequest},
        {"CPU limit", settings.cpuLimit},
        {"memory request", settings.memoryRequest},
        {"memory limit", settings.memoryLimit}};
    for (const auto &[what, value] : quantities) {
        if (value.isEmpty())
            continue;
        if (const QString error = quantityError(value); !error.isEmpty())
            return ktr("Kubernetes %1: %2").arg(ktr(what), error);
    }
    static const QStringList policies{QStringLiteral("Always"), QStringLiteral("IfNotPresent"),
                                      QStringLiteral("Never")};
    if (!settings.pullPolicy.isEmpty() && !policies.contains(settings.pullPolicy))
        return ktr("Kubernetes pull policy \"%1\": use Always, IfNotPresent or Never")
            .arg(settings.pullPolicy);
    // Label keys: an optional DNS-subdomain prefix and a name of 63 characters at most; values
    // of 63 at most; both begin and end alphanumeric.
    static const QRegularExpression name(
        QStringLiteral("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$"));
    static const QRegularExpression prefix(
        QStringLiteral("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
    for (auto it = settings.nodeSelector.cbegin(); it != settings.nodeSelector.cend(); ++it) {
        const QString key = it.key();
        const QString keyName = key.section(u'/', -1);
        const QString keyPrefix = key.contains(u'/') ? key.section(u'/', 0, -2) : QString();
        const bool keyOk = !keyName.isEmpty() && name.match(keyName).hasMatch() &&
                           key.count(u'/') <= 1 &&
                           (keyPrefix.isEmpty() ||
                            (keyPrefix.size() <= 253 && prefix.match(keyPrefix).hasMatch()));
        if (!keyOk)
            return ktr("Kubernetes node selector: \"%1\" is not a label key").arg(key);
        if (!name.match(it.value()).hasMatch())
            return ktr("Kubernetes node selector: \"%1\" is not a label value (for %2)")
                .arg(it.value(), key);
    }
    return {};
}

KubernetesBackend::KubernetesBackend(const Settings &settings)
    : m_settings(settings)
{
}
KubernetesBackend::~KubernetesBackend() = default;

QString KubernetesBackend::displayName() const
{
    if (m_connection)
        return QStringLiteral("kubernetes (%1, %2)")
            .arg(m_connection->contextName, clusterKindName(m_connection->kind));
    return QStringLiteral("kubernetes");
}

QString KubernetesBackend::buildsDir(const JobSpec &) const
{
    return QStringLiteral("/builds");
}

QString KubernetesBackend::projectDir(const JobSpec &spec) const
{
    return podPaths(spec).project;
}

bool KubernetesBackend::initialize(QString *error)
{
    QString err;
    const auto config =
        KubeConfig::load(m_settings.kubeconfigFiles.isEmpty() ? KubeConfig::defaultFiles()
                                                              : m_settings.kubeconfigFiles,
                         &err);
    auto failed = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (const QString wrong = settingsError(m_settings); !wrong.isEmpty())
        return failed(wrong);
    if (!config)
        return failed(err);
    m_connection = config->connection(m_settings.context, &err);
    if (!m_connection)
        return failed(err);
    if (!m_settings.nameSpace.isEmpty())
        m_connection->nameSpace = m_settings.nameSpace;
    Client client(*m_connection);
    const ApiResult version = client.call("GET", QStringLiteral("/version"), {}, {}, {}, 15000);
    if (!version.ok())
        return failed(version.error);
    m_serverVersion = version.object.value(u"gitVersion").toString();
    // Left-overs: pods of this host whose Stagecraft process is gone.
    const QString selector = QStringLiteral("%1=stagecraft,%2=%3")
                                 .arg(latin(kManagedByLabel), latin(kHostLabel), hostName());
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("labelSelector"),
                       QString::fromLatin1(QUrl::toPercentEncoding(selector)));
    const ApiResult list = client.call("GET", client.podsPath(), query);
    if (!list.ok())
        return failed(list.error);
    m_swept.clear();
    for (const auto &item : list.object.value(u"items").toArray()) {
        const QJsonObject meta = item.toObject().value(u"metadata").toObject();
        const qint64 pid = meta.value(u"annotations")
                               .toObject()
                               .value(latin(kOwnerPidAnnotation))
                               .toString()
                               .toLongLong();
        if (pid > 0 && QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)))
            continue;
        const QString name = meta.value(u"name").toString();
        const ApiResult del = client.call("DELETE", client.podPath(name));
        if (del.ok() || del.httpStatus == 404)
            m_swept << name;
    }
    return true;
}

JobEnvironment *KubernetesBackend::createEnvironment(const JobSpec &spec, QObject *parent)
{
    Q_ASSERT(m_connection);
    return new KubeJob(*m_connection, m_settings, spec, parent);
}

} // namespace stagecraft::exec::kube
