// The pod the Kubernetes executor makes for a job, field by field (GitLab Runner's shape), the
// service health checks it waits for, and its settings.
#include "exec/kube/kubebackend.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace stagecraft::exec;
using namespace stagecraft::exec::kube;
using namespace Qt::StringLiterals;

namespace {

JobSpec spec()
{
    JobSpec s;
    s.pipelineId = u"42"_s;
    s.jobId = 7;
    s.jobName = u"build image"_s;
    s.projectPath = u"group/app"_s;
    s.image.name = u"docker:24-cli"_s;
    s.hostWorkspace = u"/tmp/ws"_s;
    s.variables = {{u"CI_JOB_ID"_s, u"7"_s, false, false},
                   {u"DOCKER_HOST"_s, u"tcp://docker:2376"_s, false, false},
                   {u"DOCKER_TLS_CERTDIR"_s, u"/certs"_s, false, false},
                   {u"KEY"_s, u"-----BEGIN-----"_s, true, false}};
    ServiceSpec dind;
    dind.image.name = u"docker:24-dind"_s;
    dind.aliases = {u"docker"_s};
    dind.command = {u"--mtu=1450"_s};
    dind.variables = s.variables;
    dind.variables.append({u"DOCKER_DRIVER"_s, u"overlay2"_s, false, false});
    ServiceSpec pg;
    pg.image.name = u"registry.x/grp/pg:15"_s;
    pg.image.hasEntrypoint = true;
    pg.image.entrypoint = {u"docker-entrypoint.sh"_s};
    pg.aliases = {u"registry.x__grp__pg"_s, u"registry.x-grp-pg"_s, u"db"_s};
    pg.variables = s.variables;
    pg.variables.append({u"HEALTHCHECK_TCP_PORT"_s, u"5432"_s, false, false});
    s.services = {dind, pg};
    return s;
}

QJsonObject containerNamed(const QJsonObject &pod, const QString &name)
{
    for (const auto &c : pod.value(u"spec").toObject().value(u"containers").toArray())
        if (c.toObject().value(u"name").toString() == name)
            return c.toObject();
    return {};
}

QStringList mountsOf(const QJsonObject &container)
{
    QStringList out;
    for (const auto &m : container.value(u"volumeMounts").toArray())
        out << m.toObject().value(u"name").toString() + u'=' +
                   m.toObject().value(u"mountPath").toString();
    return out;
}

} // namespace

class TestKubePod : public QObject
{
    Q_OBJECT

private slots:
    void paths()
    {
        const PodPaths p = podPaths(spec());
        QCOMPARE(p.project, u"/builds/group/app"_s);
        QCOMPARE(p.scripts, u"/scripts-42-7"_s);
        QCOMPARE(p.logFile, u"/logs-42-7/output.log"_s);
    }

    void containersAndVolumes()
    {
        Settings settings;
        settings.helperImage = u"busybox:1.36"_s;
        const QJsonObject pod = podManifest(spec(), settings, u"ci"_s, u"vars-x"_s);
        const QJsonObject spec_ = pod.value(u"spec").toObject();
        QStringList names;
        for (const auto &c : spec_.value(u"containers").toArray())
            names << c.toObject().value(u"name").toString();
        QCOMPARE(names, (QStringList{u"build"_s, u"helper"_s, u"svc-0"_s, u"svc-1"_s}));
        QCOMPARE(spec_.value(u"restartPolicy").toString(), u"Never"_s);
        const QStringList mounts{u"repo=/builds"_s, u"scripts=/scripts-42-7"_s,
                                 u"logs=/logs-42-7"_s, u"docker-certs=/certs/client"_s};
        for (const QString &name : names) {
            const QJsonObject c = containerNamed(pod, name);
            // Services too: that is how /certs/client reaches dind and build.
            QCOMPARE(mountsOf(c), mounts);
            const QJsonObject sc = c.value(u"securityContext").toObject();
            QVERIFY(!sc.contains(u"privileged"));
            QCOMPARE(sc.value(u"capabilities").toObject().value(u"drop").toArray(),
                     QJsonArray{u"NET_RAW"_s});
        }
        const QJsonObject build = containerNamed(pod, u"build"_s);
        QCOMPARE(build.value(u"image").toString(), u"docker:24-cli"_s);
        QCOMPARE(build.value(u"stdin").toBool(), true);
        const QJsonArray command = build.value(u"command").toArray();
        QCOMPARE(command.at(0).toString(), u"sh"_s);
        QVERIFY(command.at(2).toString().startsWith(u"if [ -x /usr/local/bin/bash ]; then"_s));
        QCOMPARE(build.value(u"envFrom")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"secretRef")
                     .toObject()
                     .value(u"name")
                     .toString(),
                 u"vars-x"_s);
        QVERIFY(!build.contains(u"env")); // masked values stay out of the pod spec
        QCOMPARE(containerNamed(pod, u"helper"_s).value(u"image").toString(), u"busybox:1.36"_s);
        const QJsonObject dind = containerNamed(pod, u"svc-0"_s);
        QVERIFY(!dind.contains(u"command")); // the image's entrypoint runs
        QCOMPARE(dind.value(u"args").toArray(), QJsonArray{u"--mtu=1450"_s});
        // Only the service's own variable is inline; the job's come from the Secret.
        QCOMPARE(dind.value(u"env").toArray(),
                 (QJsonArray{
                     QJsonObject{{u"name"_s, u"DOCKER_DRIVER"_s}, {u"value"_s, u"overlay2"_s}}}));
        QCOMPARE(containerNamed(pod, u"svc-1"_s).value(u"command").toArray(),
                 QJsonArray{u"docker-entrypoint.sh"_s});
        // One host alias entry; names that are not DNS names are left out.
        QCOMPARE(spec_.value(u"hostAliases").toArray(),
                 (QJsonArray{QJsonObject{
                     {u"ip"_s, u"127.0.0.1"_s},
                     {u"hostnames"_s, QJsonArray{u"docker"_s, u"registry.x-grp-pg"_s, u"db"_s}}}}));
        QStringList volumes;
        for (const auto &v : spec_.value(u"volumes").toArray())
            volumes << v.toObject().value(u"name").toString();
        QCOMPARE(volumes, (QStringList{u"repo"_s, u"scripts"_s, u"logs"_s, u"docker-certs"_s}));
        const QJsonObject meta = pod.value(u"metadata").toObject();
        QCOMPARE(meta.value(u"generateName").toString(), u"stagecraft-42-7-"_s);
        QCOMPARE(meta.value(u"namespace").toString(), u"ci"_s);
        const QJsonObject labels = meta.value(u"labels").toObject();
        QCOMPARE(labels.value(u"app.kubernetes.io/managed-by").toString(), u"stagecraft"_s);
        QCOMPARE(labels.value(u"stagecraft.dev/pipeline").toString(), u"42"_s);
        QCOMPARE(labels.value(u"stagecraft.dev/job").toString(), u"7"_s);
        QVERIFY(meta.value(u"annotations").toObject().contains(u"stagecraft.dev/owner-pid"));
    }

    void settingsApplied()
    {
        Settings settings;
        settings.privileged = true;
        settings.serviceAccount = u"ci-runner"_s;
        settings.pullPolicy = u"IfNotPresent"_s;
        settings.cpuRequest = u"500m"_s;
        settings.memoryLimit = u"1Gi"_s;
        settings.nodeSelector.insert(u"kubernetes.io/arch"_s, u"amd64"_s);
        settings.mountProjectFolder = true;
        settings.cacheClaim = u"runner-cache"_s;
        JobSpec s = spec();
        s.image.pullPolicy = {u"always"_s};
        const QJsonObject pod = podManifest(s, settings, u"default"_s, QString());
        const QJsonObject podSpec = pod.value(u"spec").toObject();
        QCOMPARE(podSpec.value(u"serviceAccountName").toString(), u"ci-runner"_s);
        QCOMPARE(podSpec.value(u"nodeSelector").toObject().value(u"kubernetes.io/arch").toString(),
                 u"amd64"_s);
        const QJsonObject build = containerNamed(pod, u"build"_s);
        QCOMPARE(build.value(u"imagePullPolicy").toString(), u"Always"_s); // the job's wins
        QCOMPARE(containerNamed(pod, u"helper"_s).value(u"imagePullPolicy").toString(),
                 u"IfNotPresent"_s);
        QCOMPARE(build.value(u"securityContext").toObject().value(u"privileged").toBool(), true);
        QCOMPARE(containerNamed(pod, u"svc-0"_s)
                     .value(u"securityContext")
                     .toObject()
                     .value(u"privileged")
                     .toBool(),
                 true);
        QCOMPARE(build.value(u"resources").toObject(),
                 (QJsonObject{{u"requests"_s, QJsonObject{{u"cpu"_s, u"500m"_s}}},
                              {u"limits"_s, QJsonObject{{u"memory"_s, u"1Gi"_s}}}}));
        QVERIFY(mountsOf(build).contains(u"project=/builds/group/app"_s));
        QVERIFY(mountsOf(build).contains(u"cache=/cache"_s));
        QVERIFY(mountsOf(containerNamed(pod, u"svc-1"_s)).contains(u"cache=/cache"_s));
        // Without a Secret the variables are inline; a file variable holds its path.
        const QJsonArray env = build.value(u"env").toArray();
        QCOMPARE(env.last().toObject().value(u"name").toString(), u"KEY"_s);
        QCOMPARE(env.last().toObject().value(u"value").toString(), u"/builds/group/app.tmp/KEY"_s);
        bool hostPath = false;
        for (const auto &v : podSpec.value(u"volumes").toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"name").toString() == u"project")
                hostPath = o.value(u"hostPath").toObject().value(u"path").toString() == u"/tmp/ws";
            if (o.value(u"name").toString() == u"cache")
                QCOMPARE(
                    o.value(u"persistentVolumeClaim").toObject().value(u"claimName").toString(),
                    u"runner-cache"_s);
        }
        QVERIFY(hostPath);
    }

    void buildUser_data()
    {
        QTest::addColumn<QString>("kubernetesUser");
        QTest::addColumn<QString>("dockerUser");
        QTest::addColumn<QJsonValue>("runAsUser");
        QTest::addColumn<QJsonValue>("runAsGroup");
        const QJsonValue none(QJsonValue::Undefined);
        QTest::newRow("none") << QString() << QString() << none << none;
        QTest::newRow("kubernetes:user") << u"1000"_s << QString() << QJsonValue(1000) << none;
        QTest::newRow("uid:gid") << u"1000:2000"_s << QString() << QJsonValue(1000)
                                 << QJsonValue(2000);
        QTest::newRow("kubernetes wins") << u"42"_s << u"7"_s << QJsonValue(42) << none;
        QTest::newRow("numeric docker:user") << QString() << u"7"_s << QJsonValue(7) << none;
        QTest::newRow("named docker:user") << QString() << u"node"_s << none << none;
    }
    void buildUser()
    {
        QFETCH(QString, kubernetesUser);
        QFETCH(QString, dockerUser);
        QFETCH(QJsonValue, runAsUser);
        QFETCH(QJsonValue, runAsGroup);
        JobSpec s = spec();
        s.image.kubernetesUser = kubernetesUser;
        s.image.user = dockerUser;
        const QJsonObject pod = podManifest(s, Settings(), u"default"_s, QString());
        const QJsonObject security =
            containerNamed(pod, u"build"_s).value(u"securityContext").toObject();
        QCOMPARE(security.value(u"runAsUser"), runAsUser);
        QCOMPARE(security.value(u"runAsGroup"), runAsGroup);
        // The helper stays root: it unpacks the project and makes it writable for the build.
        QVERIFY(!containerNamed(pod, u"helper"_s)
                     .value(u"securityContext")
                     .toObject()
                     .contains(u"runAsUser"));
    }

    void serviceWaits_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("certDir");    // DOCKER_TLS_CERTDIR of the job
        QTest::addColumn<QString>("healthPort"); // HEALTHCHECK_TCP_PORT of the service
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("tls");
        QTest::newRow("dind with TLS") << "docker:24-dind"
                                       << "docker"
                                       << "/certs"
                                       << "" << 2376 << true;
        QTest::newRow("dind without TLS") << "docker:24-dind"
                                          << "docker"
                                          << ""
                                          << "" << 2375 << false;
        QTest::newRow("HEALTHCHECK_TCP_PORT") << "postgres:15"
                                              << "postgres"
                                              << ""
                                              << "5432" << 5432 << false;
        QTest::newRow("unknown port: no wait") << "redis:7"
                                               << "redis"
                                               << ""
                                               << "" << 0 << false;
    }
    void serviceWaits()
    {
        QFETCH(QString, image);
        QFETCH(QString, alias);
        QFETCH(QString, certDir);
        QFETCH(QString, healthPort);
        QFETCH(int, port);
        QFETCH(bool, tls);
        JobSpec s;
        s.variables = {{u"DOCKER_TLS_CERTDIR"_s, certDir, false, false}};
        ServiceSpec svc;
        svc.image.name = image;
        svc.aliases = {alias};
        svc.variables = s.variables;
        if (!healthPort.isEmpty())
            svc.variables.append({u"HEALTHCHECK_TCP_PORT"_s, healthPort, false, false});
        s.services = {svc};
        const QList<ServiceWait> waits = kube::serviceWaits(s);
        if (port == 0) {
            QVERIFY(waits.isEmpty());
            return;
        }
        QCOMPARE(waits.size(), 1);
        QCOMPARE(waits.first().container, u"svc-0"_s);
        QCOMPARE(waits.first().alias, alias);
        QCOMPARE(waits.first().port, port);
        QCOMPARE(waits.first().dockerTls, tls);
    }

    void labelValues_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("label");
        QTest::newRow("plain") << "1234"
                               << "1234";
        QTest::newRow("spaces and slashes") << "feature/x y"
                                            << "feature_x_y";
        QTest::newRow("edges") << "-a-"
                               << "a";
        QTest::newRow("long") << QString(70, u'a')
                              << QString(54, u'a') + u"-" +
                                     QString::fromLatin1(
                                         QCryptographicHash::hash(QByteArray(70, 'a'),
                                                                  QCryptographicHash::Sha1)
                                             .toHex()
                                             .left(8));
    }
    void labelValues()
    {
        QFETCH(QString, text);
        QFETCH(QString, label);
        QCOMPARE(labelValue(text), label);
        QVERIFY(labelValue(text).size() <= 63);
    }

    void settingsErrors_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");
        QTest::newRow("cpu millicores") << u"cpuRequest"_s << u"500m"_s << QString();
        QTest::newRow("cpu decimal") << u"cpuLimit"_s << u"1.5"_s << QString();
        QTest::newRow("memory binary") << u"memoryRequest"_s << u"512Mi"_s << QString();
        QTest::newRow("memory exponent") << u"memoryLimit"_s << u"1e9"_s << QString();
        QTest::newRow("memory unit spelled") << u"memoryLimit"_s << u"1GB"_s
                                             << u"Kubernetes memory limit: \"1GB\" is not a "
                                                "Kubernetes quantity (such as 500m, 2, 512Mi or "
                                                "1Gi)"_s;
        QTest::newRow("negative cpu") << u"cpuRequest"_s << u"-1"_s
                                      << u"Kubernetes CPU request: \"-1\" is not a Kubernetes "
                                         "quantity (such as 500m, 2, 512Mi or 1Gi)"_s;
        QTest::newRow("pull policy") << u"pullPolicy"_s << u"Sometimes"_s
                                     << u"Kubernetes pull policy \"Sometimes\": use Always, "
                                        "IfNotPresent or Never"_s;
        QTest::newRow("selector") << u"nodeSelector"_s << u"kubernetes.io/arch=amd64"_s
                                  << QString();
        QTest::newRow("selector empty value") << u"nodeSelector"_s << u"gpu="_s << QString();
        QTest::newRow("selector bad key") << u"nodeSelector"_s << u"-gpu=yes"_s
                                          << u"Kubernetes node selector: \"-gpu\" is not a "
                                             "label key"_s;
        QTest::newRow("selector bad value") << u"nodeSelector"_s << u"zone=a b"_s
                                            << u"Kubernetes node selector: \"a b\" is not a "
                                               "label value (for zone)"_s;
    }
    void settingsErrors()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, error);
        Settings s;
        if (field == u"cpuRequest")
            s.cpuRequest = value;
        else if (field == u"cpuLimit")
            s.cpuLimit = value;
        else if (field == u"memoryRequest")
            s.memoryRequest = value;
        else if (field == u"memoryLimit")
            s.memoryLimit = value;
        else if (field == u"pullPolicy")
            s.pullPolicy = value;
        else
            s.nodeSelector.insert(value.section(u'=', 0, 0), value.section(u'=', 1));
        QCOMPARE(settingsError(s), error);
        // The backend refuses them before it reads a kubeconfig or calls the API.
        if (!error.isEmpty()) {
            s.kubeconfigFiles = {u"/nonexistent/kubeconfig"_s};
            KubernetesBackend backend(s);
            QString why;
            QVERIFY(!backend.initialize(&why));
            QCOMPARE(why, error);
        }
    }

    void backendSettings()
    {
        BackendSettings b;
        b.kubeContext = u"microk8s"_s;
        b.kubeNamespace = u"ci"_s;
        b.privileged = true;
        b.extra.insert(u"kubeHelperImage"_s, u"alpine:3.19"_s);
        b.extra.insert(u"kubePullPolicy"_s, u"if-not-present"_s);
        b.extra.insert(u"kubeNodeSelector"_s, u"disktype=ssd, zone=a"_s);
        b.extra.insert(u"kubeMountProjectFolder"_s, true);
        b.extra.insert(u"kubePollTimeout"_s, 30);
        b.extra.insert(u"kubeconfig"_s, u"/a:/b"_s);
        const Settings s = settingsFrom(b);
        QCOMPARE(s.context, u"microk8s"_s);
        QCOMPARE(s.nameSpace, u"ci"_s);
        QVERIFY(s.privileged);
        QCOMPARE(s.helperImage, u"alpine:3.19"_s);
        QCOMPARE(s.pullPolicy, u"IfNotPresent"_s);
        QCOMPARE(s.nodeSelector.value(u"zone"_s), u"a"_s);
        QCOMPARE(s.nodeSelector.value(u"disktype"_s), u"ssd"_s);
        QVERIFY(s.mountProjectFolder);
        QCOMPARE(s.pollTimeoutSeconds, 30);
        QCOMPARE(s.kubeconfigFiles, (QStringList{u"/a"_s, u"/b"_s}));
        std::unique_ptr<Backend> backend = createBackend(u"kubernetes"_s, b);
        QVERIFY(backend);
        QCOMPARE(backend->id(), u"kubernetes"_s);
        QCOMPARE(backend->buildsDir(spec()), u"/builds"_s);
        QCOMPARE(backend->projectDir(spec()), u"/builds/group/app"_s);
    }
};

QTEST_GUILESS_MAIN(TestKubePod)
#include "tst_kubepod.moc"
