// The Kubernetes executor against tests/kube/apiserver.py: a strict API server (TLS, client
// certificates, tokens, RBAC, the real Status bodies) whose pods really run in Podman.
#include "exec/kube/client.h"
#include "exec/kube/kubebackend.h"
#include "exec/kube/kubeconfig.h"
#include "exec/services.h"
#include "servicelines.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace stagecraft::exec;
using namespace stagecraft::exec::kube;
using namespace Qt::StringLiterals;

namespace {

const QString kBusybox = u"localhost/busybox:local"_s;
const QString kDind = u"localhost/dind:local"_s;

QByteArray runTool(const QString &program, const QStringList &args, int *exitCode = nullptr)
{
    QProcess p;
    p.start(program, args);
    p.waitForFinished(120000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

/// Drives one JobEnvironment through its phases, as the engine does.
class Driver
{
public:
    explicit Driver(JobEnvironment *env)
        : m_env(env)
    {
        QObject::connect(env, &JobEnvironment::output, env,
                         [this](const QByteArray &b) { out += b; });
        QObject::connect(env, &JobEnvironment::prepared, env, [this](bool ok, const QString &e) {
            preparedDone = true;
            prepareOk = ok;
            prepareError = e;
        });
        QObject::connect(env, &JobEnvironment::scriptFinished, env, [this](int code) {
            scriptDone = true;
            exitCode = code;
        });
        QObject::connect(env, &JobEnvironment::collected, env, [this](bool ok, const QString &e) {
            collectedDone = true;
            collectOk = ok;
            collectError = e;
        });
        QObject::connect(env, &JobEnvironment::cleanedUp, env, [this] { cleaned = true; });
    }
    bool prepare(int ms = 120000)
    {
        m_env->prepare();
        return QTest::qWaitFor([this] { return preparedDone; }, ms) && prepareOk;
    }
    int run(const QByteArray &script, ScriptStep step = ScriptStep::Step, int ms = 120000)
    {
        scriptDone = false;
        exitCode = -100;
        const qsizetype start = out.size();
        m_env->runScript(step, script);
        if (!QTest::qWaitFor([this] { return scriptDone; }, ms))
            return -200;
        scriptOut = out.mid(start);
        return exitCode;
    }
    bool collect()
    {
        m_env->collect();
        return QTest::qWaitFor([this] { return collectedDone; }, 60000) && collectOk;
    }
    bool cleanup(bool keep = false)
    {
        m_env->cleanup(keep);
        return QTest::qWaitFor([this] { return cleaned; }, 60000);
    }

    QByteArray out;
    QByteArray scriptOut;
    bool preparedDone = false;
    bool prepareOk = false;
    QString prepareError;
    bool scriptDone = false;
    int exitCode = -100;
    bool collectedDone = false;
    bool collectOk = false;
    QString collectError;
    bool cleaned = false;

private:
    JobEnvironment *m_env;
};

} // namespace

class TestKube : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QProcess m_server;
    QJsonObject m_info;
    QString m_kubeconfig;
    int m_serial = 0;

    QString serverUrl() const { return m_info.value(u"server").toString(); }

    Settings settings(const QString &context = u"admin"_s) const
    {
        Settings s;
        s.kubeconfigFiles = {m_kubeconfig};
        s.context = context;
        s.helperImage = kBusybox;
        s.pollTimeoutSeconds = 90;
        s.servicesTimeoutSeconds = 60;
        return s;
    }

    JobSpec jobSpec(const QString &name)
    {
        JobSpec spec;
        spec.pipelineId = u"t%1-%2"_s.arg(QCoreApplication::applicationPid()).arg(++m_serial);
        spec.jobId = m_serial;
        spec.jobName = name;
        spec.stage = u"test"_s;
        spec.projectPath = u"group/project"_s;
        spec.image.name = kBusybox;
        spec.hostWorkspace = m_dir.filePath(u"ws-%1"_s.arg(m_serial));
        spec.hostScratch = m_dir.filePath(u"scratch-%1"_s.arg(m_serial));
        QDir().mkpath(spec.hostWorkspace);
        QDir().mkpath(spec.hostScratch);
        spec.variables = {{u"CI_JOB_NAME"_s, name, false, false},
                          {u"CI_PROJECT_DIR"_s, u"/builds/group/project"_s, false, false},
                          {u"CI_BUILDS_DIR"_s, u"/builds"_s, false, false},
                          {u"SECRET_TOKEN"_s, u"s3cr3t value"_s, false, true},
                          {u"CONFIG_FILE"_s, u"line one\nline two\n"_s, true, false}};
        return spec;
    }

    std::unique_ptr<KubernetesBackend> backend(const Settings &s)
    {
        auto b = std::make_unique<KubernetesBackend>(s);
        QString error;
        [&] { QVERIFY2(b->initialize(&error), qPrintable(error)); }();
        return b;
    }

    std::unique_ptr<Client> client(const QString &context = u"admin"_s)
    {
        QString error;
        const auto config = KubeConfig::load({m_kubeconfig}, &error);
        const auto c = config ? config->connection(context, &error) : std::nullopt;
        [&] { QVERIFY2(c, qPrintable(error)); }();
        return c ? std::make_unique<Client>(*c) : nullptr;
    }

    void testConfig(const QJsonObject &config)
    {
        auto c = client();
        const ApiResult r = c->call("POST", u"/_test/config"_s, {}, QJsonDocument(config).toJson(),
                                    "application/json");
        QVERIFY2(r.ok(), qPrintable(r.error));
    }

    /// Pods of a pipeline, as the API and as Podman see them.
    int apiPods(const QString &pipelineId)
    {
        auto c = client();
        QUrlQuery q;
        q.addQueryItem(u"labelSelector"_s, QString::fromLatin1(QUrl::toPercentEncoding(
                                               u"stagecraft.dev/pipeline="_s + pipelineId)));
        const ApiResult r = c->call("GET", c->podsPath(), q);
        return r.ok() ? int(r.object.value(u"items").toArray().size()) : -1;
    }
    static int podmanPods(const QString &podName)
    {
        const QByteArray out =
            runTool(u"podman"_s, {u"pod"_s, u"ps"_s, u"--format"_s, u"{{.Name}}"_s});
        return int(out.split('\n').count(u"k8s-default-%1"_s.arg(podName).toUtf8()));
    }

private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("CONTAINERS_CONF")) {
            // scripts/engines.sh writes the engines' environment (Podman needs runc, cgroupfs).
            QFile env(qEnvironmentVariable("SC_ENGINES_ENV", u"/tmp/sc-engines.env"_s));
            if (env.open(QIODevice::ReadOnly)) {
                for (const QByteArray &line : env.readAll().split('\n')) {
                    const QByteArray l = line.trimmed().mid(line.startsWith("export ") ? 7 : 0);
                    const qsizetype eq = l.indexOf('=');
                    if (eq > 0)
                        qputenv(l.left(eq).constData(), l.mid(eq + 1));
                }
            }
        }
        if (QStandardPaths::findExecutable(u"podman"_s).isEmpty())
            QSKIP("podman is missing: the test API server runs its pods with podman kube play");
        int code = 0;
        runTool(u"/usr/bin/python3"_s, {u"-c"_s, u"import kubernetes.client.models"_s}, &code);
        if (code != 0)
            QSKIP("python3-kubernetes is missing: the test API server validates objects with its "
                  "models");
        runTool(u"podman"_s, {u"image"_s, u"exists"_s, kBusybox}, &code);
        if (code != 0)
            QSKIP("localhost/busybox:local is missing: run scripts/engines.sh up");
        QVERIFY(m_dir.isValid());
        m_server.setProgram(u"/usr/bin/python3"_s);
        m_server.setArguments({QStringLiteral(STAGECRAFT_SOURCE_DIR "/tests/kube/apiserver.py"),
                               u"--state"_s, m_dir.filePath(u"server"_s)});
        m_server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server.start();
        QVERIFY(m_server.waitForStarted());
        QVERIFY2(
            QTest::qWaitFor(
                [this] { return m_server.canReadLine() || m_server.state() != QProcess::Running; },
                120000),
            "the test API server did not start");
        m_info = QJsonDocument::fromJson(m_server.readLine()).object();
        QVERIFY2(m_info.contains(u"port"), "the test API server did not report its port");
        const QString ca = m_info.value(u"ca").toString();
        const QJsonObject admin = m_info.value(u"admin").toObject();
        const QJsonObject viewer = m_info.value(u"viewer").toObject();
        m_kubeconfig = m_dir.filePath(u"kubeconfig"_s);
        QFile f(m_kubeconfig);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(u"apiVersion: v1\nkind: Config\ncurrent-context: admin\n"
                "clusters:\n"
                "- name: test\n  cluster:\n    server: %1\n    certificate-authority: %2\n"
                "- name: other-ca\n  cluster:\n    server: %1\n    certificate-authority: %3\n"
                "- name: renamed\n  cluster:\n    server: %1\n    certificate-authority: %2\n"
                "    tls-server-name: wrong.example\n"
                "users:\n"
                "- name: admin\n  user:\n    client-certificate: %4\n    client-key: %5\n"
                "- name: viewer-cert\n  user:\n    client-certificate: %6\n    client-key: %7\n"
                "- name: viewer\n  user:\n    token: viewer-token\n"
                "- name: nowatch\n  user:\n    token: nowatch-token\n"
                "contexts:\n"
                "- name: admin\n  context: {cluster: test, user: admin, namespace: default}\n"
                "- name: viewer\n  context: {cluster: test, user: viewer}\n"
                "- name: viewer-cert\n  context: {cluster: test, user: viewer-cert}\n"
                "- name: wrong-ca\n  context: {cluster: other-ca, user: admin}\n"
                "- name: renamed\n  context: {cluster: renamed, user: admin}\n"
                "- name: nowatch\n  context: {cluster: test, user: nowatch}\n"_s
                    .arg(serverUrl(), ca, m_info.value(u"otherCa").toString(),
                         admin.value(u"cert").toString(), admin.value(u"key").toString(),
                         viewer.value(u"cert").toString(), viewer.value(u"key").toString())
                    .toUtf8());
    }

    void cleanupTestCase()
    {
        if (m_server.state() == QProcess::Running) {
            m_server.terminate(); // the server removes its Podman pods on SIGTERM
            if (!m_server.waitForFinished(60000))
                m_server.kill();
        }
    }

    void version()
    {
        auto c = client();
        const ApiResult r = c->call("GET", u"/version"_s);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.object.value(u"gitVersion").toString(), u"v1.30.0-stagecraft-test"_s);
        auto b = backend(settings());
        QCOMPARE(b->serverVersion(), u"v1.30.0-stagecraft-test"_s);
        QCOMPARE(b->displayName(), u"kubernetes (admin, Kubernetes)"_s);
    }

    void apiErrors_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("context");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");
        const QByteArray pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"dup\"},\n"
            "            "
            "\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":"
            "\"localhost/busybox:local\",\n"
            "            \"command\":[\"sleep\",\"600\"]}]}}";
        QTest::newRow("unknown field (strict)")
            << QByteArray("POST") << "/api/v1/namespaces/default/pods"
            << QByteArray(
                   "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"spec\":"
                   "{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"imagex\":\"j\"}]}}")
            << "admin" << 400 << "BadRequest"
            << "strict decoding error: unknown field \"spec.containers[0].imagex\"";
        QTest::newRow("mistyped field")
            << QByteArray("POST") << "/api/v1/namespaces/default/pods"
            << QByteArray(
                   "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"spec\":"
                   "{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"stdin\":\"yes\"}]}}")
            << "admin" << 400 << "BadRequest"
            << "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string "
               "into Go struct field Container.spec.containers.stdin of type bool";
        QTest::newRow("missing image")
            << QByteArray("POST") << "/api/v1/namespaces/default/pods"
            << QByteArray("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},"
                          "\"spec\":{\"containers\":[{\"name\":\"c\"}]}}")
            << "admin" << 422 << "Invalid"
            << "Pod \"x\" is invalid: spec.containers[0].image: Required value";
        QTest::newRow("bad name")
            << QByteArray("POST") << "/api/v1/namespaces/default/pods"
            << QByteArray("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"Bad_"
                          "Name\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}")
            << "admin" << 422 << "Invalid"
            << "Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a "
               "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
               "'-' or '.', and must start and end with an alphanumeric character";
        QTest::newRow("already exists") << QByteArray("POST") << "/api/v1/namespaces/default/pods"
                                        << pod << "admin" << 409 << "AlreadyExists"
                                        << "pods \"dup\" already exists";
        QTest::newRow("not found") << QByteArray("GET") << "/api/v1/namespaces/default/pods/nope"
                                   << QByteArray() << "admin" << 404 << "NotFound"
                                   << "pods \"nope\" not found";
        QTest::newRow("rbac create") << QByteArray("POST") << "/api/v1/namespaces/default/pods"
                                     << pod << "viewer" << 403 << "Forbidden"
                                     << "pods is forbidden: User \"viewer\" cannot create resource "
                                        "\"pods\" in API group \"\" in the namespace \"default\"";
        QTest::newRow("rbac exec (client certificate, EC key)")
            << QByteArray("GET") << "/api/v1/namespaces/default/pods/dup/exec?command=sh"
            << QByteArray() << "viewer-cert" << 403 << "Forbidden"
            << "pods \"dup\" is forbidden: User \"viewer\" cannot create resource \"pods/exec\" in "
               "API group \"\" in the namespace \"default\"";
        QTest::newRow("unknown namespace") << QByteArray("GET") << "/api/v1/namespaces/nope/pods"
                                           << QByteArray() << "admin" << 404 << "NotFound"
                                           << "namespaces \"nope\" not found";
    }
    void apiErrors()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, context);
        QFETCH(int, status);
        QFETCH(QString, reason);
        QFETCH(QString, message);
        auto c = client(context);
        if (QByteArray(QTest::currentDataTag()) == "already exists") {
            const ApiResult first = c->call("POST", path, {}, body);
            QVERIFY2(first.ok() || first.httpStatus == 409, qPrintable(first.error));
        }
        QUrlQuery query;
        QString p = path;
        if (p.contains(u'?')) {
            query = QUrlQuery(p.mid(p.indexOf(u'?') + 1));
            p = p.left(p.indexOf(u'?'));
        }
        const ApiResult r = c->call(verb, p, query, body);
        QCOMPARE(r.httpStatus, status);
        QCOMPARE(r.reason, reason);
        QCOMPARE(r.error, message);
        if (QByteArray(QTest::currentDataTag()) == "already exists")
            c->call("DELETE", c->podPath(u"dup"_s));
    }

    void wrongCaIsRefused()
    {
        KubernetesBackend b(settings(u"wrong-ca"_s));
        QString error;
        QVERIFY(!b.initialize(&error));
        QVERIFY2(error.startsWith(u"cannot reach the API server at %1 (context \"wrong-ca\"): "
                                  "TLS handshake failed: "_s.arg(serverUrl())),
                 qPrintable(error));
    }

    void tlsServerName()
    {
        // tls-server-name: the certificate is checked against that name, not 127.0.0.1.
        KubernetesBackend b(settings(u"renamed"_s));
        QString error;
        QVERIFY(!b.initialize(&error));
        QVERIFY2(error.startsWith(u"cannot reach the API server at %1 (context \"renamed\"): "
                                  "TLS handshake failed: The host name did not match any of the "
                                  "valid hosts for this certificate"_s.arg(serverUrl())),
                 qPrintable(error));
    }

    void passingJob()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"build"_s);
        QFile readme(spec.hostWorkspace + u"/README.md"_s);
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("# uploaded\n");
        readme.close();
        QDir().mkpath(spec.hostWorkspace + u"/src/deep"_s);
        QFile deep(spec.hostWorkspace + u"/src/deep/a.txt"_s);
        QVERIFY(deep.open(QIODevice::WriteOnly));
        deep.write("deep\n");
        deep.close();
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        QVERIFY(d.out.startsWith("Using Kubernetes namespace: default\n"
                                 "Using Kubernetes executor with image localhost/busybox:local "
                                 "...\n"));
        const int code = d.run("echo \"job $CI_JOB_NAME in $(pwd)\"\n"
                               "cat README.md src/deep/a.txt\n"
                               "echo \"secret: $SECRET_TOKEN\"\n"
                               "cat \"$CONFIG_FILE\"\n"
                               "echo made > artifact.txt\n"
                               "printf 'no newline at the end'");
        QCOMPARE(code, 0);
        QCOMPARE(d.scriptOut, QByteArray("job build in /builds/group/project\n"
                                         "# uploaded\n"
                                         "deep\n"
                                         "secret: s3cr3t value\n"
                                         "line one\nline two\n"
                                         "no newline at the end"));
        // after_script runs in the same pod; its output starts cleanly.
        QCOMPARE(d.run("echo after; ls artifact.txt", ScriptStep::AfterScript), 0);
        QCOMPARE(d.scriptOut, QByteArray("after\nartifact.txt\n"));
        QVERIFY2(d.collect(), qPrintable(d.collectError));
        QFile artifact(spec.hostWorkspace + u"/artifact.txt"_s);
        QVERIFY(artifact.open(QIODevice::ReadOnly));
        QCOMPARE(artifact.readAll(), QByteArray("made\n"));
        QVERIFY(d.cleanup());
        QCOMPARE(apiPods(spec.pipelineId), 0);
    }

    // A build container that is not root (image:kubernetes:user, or an image's own USER) works
    // in the uploaded project and writes its log: the helper leaves everything writable, as
    // GitLab Runner's umask 0000 does.
    void nonRootBuildContainer()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"nonroot"_s);
        spec.image.kubernetesUser = u"1000:1000"_s;
        QDir().mkpath(spec.hostWorkspace + u"/src"_s);
        QFile file(spec.hostWorkspace + u"/src/a.txt"_s);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("before\n");
        file.close();
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        const int code = d.run("echo \"$(id -u):$(id -g)\"\n"
                               "echo after > src/a.txt\nmkdir -p out && echo made > out/b.txt\n"
                               "cat src/a.txt out/b.txt \"$CONFIG_FILE\"");
        QVERIFY2(code == 0, d.scriptOut.constData());
        QCOMPARE(d.scriptOut, QByteArray("1000:1000\nafter\nmade\nline one\nline two\n"));
        QVERIFY2(d.collect(), qPrintable(d.collectError));
        QFile back(spec.hostWorkspace + u"/out/b.txt"_s);
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), QByteArray("made\n"));
        QVERIFY(d.cleanup());
    }

    void failingJob()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"fails"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        QCOMPARE(d.run("echo before\nexit 7\necho never"), 7);
        QCOMPARE(d.scriptOut, QByteArray("before\n"));
        QCOMPARE(d.run("echo cleanup; exit 0", ScriptStep::AfterScript), 0);
        QCOMPARE(d.scriptOut, QByteArray("cleanup\n"));
        QVERIFY(d.cleanup());
    }

    void pollingWithoutWatch()
    {
        // RBAC without `watch`: the pod is followed by polling; masked values are not in the pod.
        auto b = backend(settings(u"nowatch"_s));
        JobSpec spec = jobSpec(u"poll"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        QCOMPARE(d.run("echo \"$SECRET_TOKEN\""), 0);
        QCOMPARE(d.scriptOut, QByteArray("s3cr3t value\n"));
        auto c = client();
        const QString podName = env->enterCommand().section(u' ', 7, 7);
        const ApiResult pod = c->call("GET", c->podPath(podName));
        QVERIFY2(pod.ok(), qPrintable(pod.error));
        QVERIFY(!pod.body.contains("s3cr3t"));
        QVERIFY(d.cleanup());
    }

    void keepOnFailure()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"kept"_s);
        spec.keepOnFailure = true;
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        QCOMPARE(d.run("exit 1"), 1);
        QVERIFY(d.cleanup(true));
        QCOMPARE(apiPods(spec.pipelineId), 1);
        const QString command = env->enterCommand();
        const QRegularExpression shape(
            u"^kubectl --context 'admin' exec -it -n default (stagecraft-[a-z0-9-]+) -c build -- sh$"_s);
        const auto match = shape.match(command);
        QVERIFY2(match.hasMatch(), qPrintable(command));
        auto c = client();
        QVERIFY(c->call("DELETE", c->podPath(match.captured(1))).ok());
    }

    void serviceByAlias()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"web"_s);
        ServiceSpec web;
        web.image.name = kBusybox;
        web.aliases = {u"web"_s, u"www.local"_s};
        web.command = {u"sh"_s, u"-c"_s,
                       u"mkdir -p /srv && echo served by $SERVICE_GREETING > /srv/index.html "
                       "&& sleep 2 && exec httpd -f -p 8080 -h /srv"_s};
        web.variables = spec.variables;
        web.variables.append({u"SERVICE_GREETING"_s, u"the web service"_s, false, false});
        web.healthcheckPort = 8080;
        spec.services = {web};
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        // The script starts only once the port answers (the service sleeps first).
        const int code = d.run("wget -qO- http://web:8080/ && wget -qO- http://www.local:8080/");
        QVERIFY2(code == 0, qPrintable(QString::fromUtf8(d.out)));
        QCOMPARE(d.scriptOut, QByteArray("served by the web service\nserved by the web service\n"));
        QVERIFY(d.cleanup());
    }

    // CI_DEBUG_SERVICES: each svc-N container's log (both streams, the kubelet's timestamps) in
    // the trace while the job runs; dropped streams resume without losing or repeating a line.
    void serviceLogs_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("TRUE") << u"TRUE"_s;
        QTest::newRow("unset") << QString();
    }
    void serviceLogs()
    {
        QFETCH(QString, value);
        const bool enabled = !value.isNull();
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"svclogs"_s);
        if (enabled)
            spec.variables.append({u"CI_DEBUG_SERVICES"_s, value, false, false});
        ServiceSpec ticker;
        ticker.image.name = kBusybox;
        ticker.aliases = serviceAliases(kBusybox, u"ticker"_s);
        ticker.command = {u"sh"_s, u"-c"_s,
                          u"i=1; while :; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done"_s};
        // A pause between the streams: the runtime reads stdout and stderr apart, and the kubelet
        // continues a partial line with whatever entry comes next.
        ServiceSpec once;
        once.image.name = kBusybox;
        once.aliases = {u"once"_s};
        once.command = {
            u"sh"_s, u"-c"_s,
            u"echo to stdout; echo to stderr >&2; sleep 0.3; printf 'no newline'; sleep 0.5; "
            "echo ' continued'; printf 'last words'; sleep 600"_s};
        spec.services = {ticker, once};
        const QString tickerName = serviceLogName(ticker);
        QCOMPARE(tickerName, u"localhost__busybox-localhost-busybox-ticker"_s);
        // The first log streams break after 5 lines (the ticker's at least once).
        testConfig({{u"dropLogAfterLines"_s, 5}, {u"dropLogTimes"_s, 4}});
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        QCOMPARE(d.run("echo job start; sleep 3; echo job end"), 0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(d.cleanup());
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
        testConfig({{u"dropLogTimes"_s, 0}});
        const QByteArray trace = d.out;
        if (!enabled) {
            QVERIFY2(!trace.contains("[service:"), trace.constData());
            return;
        }
        QVERIFY2(!trace.contains("WARNING"), trace.constData());
        QStringList ticks, onces;
        QString last;
        for (const servicelines::ServiceLine &l : servicelines::serviceLines(trace)) {
            if (l.name == tickerName) {
                QVERIFY2(last <= l.timestamp, qPrintable(last + u" > "_s + l.timestamp));
                last = l.timestamp;
                ticks << QString::fromUtf8(l.text);
            } else {
                QCOMPARE(l.name, u"once"_s);
                onces << QString::fromUtf8(l.text);
            }
        }
        QVERIFY2(ticks.size() >= 10, trace.constData());
        for (int i = 0; i < ticks.size(); ++i)
            QCOMPARE(ticks.at(i), u"tick %1"_s.arg(i + 1));
        const qsizetype start = trace.indexOf("job start\n");
        const qsizetype end = trace.indexOf("job end\n");
        QVERIFY(start >= 0 && end > start);
        QVERIFY2(servicelines::serviceLines(trace.mid(start, end - start)).size() >= 5,
                 trace.constData());
        onces.sort();
        QCOMPARE(onces, (QStringList{u"last words"_s, u"no newline continued"_s, u"to stderr"_s,
                                     u"to stdout"_s}));
        const qsizetype size = d.out.size();
        QTest::qWait(600);
        QCOMPARE(d.out.size(), size);
    }

    void dockerInDocker()
    {
        int code = 0;
        runTool(u"podman"_s, {u"image"_s, u"exists"_s, kDind}, &code);
        if (code != 0)
            QSKIP("localhost/dind:local is missing: run scripts/engines.sh up");
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"dind"_s);
        spec.image.name = kDind;
        spec.privileged = true;
        spec.variables.append({u"DOCKER_HOST"_s, u"tcp://docker:2375"_s, false, false});
        spec.variables.append({u"DOCKER_TLS_CERTDIR"_s, QString(), false, false});
        ServiceSpec dind;
        dind.image.name = kDind;
        dind.aliases = {u"docker"_s};
        // The stand-in image has no entrypoint: the daemon is the service's command.
        dind.command = {u"dockerd"_s,          u"--host=tcp://0.0.0.0:2375"_s,
                        u"--tls=false"_s,      u"--storage-driver=vfs"_s,
                        u"--iptables=false"_s, u"--bridge=none"_s};
        dind.variables = spec.variables;
        spec.services = {dind};
        QVERIFY(QFile::copy(u"/bin/busybox"_s, spec.hostWorkspace + u"/busybox"_s));
        QFile dockerfile(spec.hostWorkspace + u"/Dockerfile"_s);
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM scratch\nCOPY busybox /busybox\n"
                         "CMD [\"/busybox\", \"echo\", \"hello from the inner image\"]\n");
        dockerfile.close();
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(180000), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        QVERIFY2(d.out.contains("Waiting for services to be up and running"), d.out.constData());
        QVERIFY2(!d.out.contains("WARNING"), d.out.constData());
        const int exit = d.run("docker build -q -t inner:1 . >/dev/null && "
                               "docker run --rm --network none inner:1",
                               ScriptStep::Step, 240000);
        QVERIFY2(exit == 0, d.scriptOut.constData());
        QCOMPARE(d.scriptOut, QByteArray("hello from the inner image\n"));
        QVERIFY(d.cleanup());
    }

    // GitLab's recommended DinD set-up with TLS: the image's own entrypoint makes the certificates,
    // the client half lands in the shared /certs/client volume, and the script starts only when
    // port 2376 answers and ca.pem is there.
    void dockerInDockerTls()
    {
        int code = 0;
        runTool(u"podman"_s, {u"image"_s, u"exists"_s, u"docker.io/library/docker:24-dind"_s},
                &code);
        if (code != 0)
            QSKIP("docker:24-dind is missing: run scripts/engines.sh up");
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"dind-tls"_s);
        spec.image.name = u"docker:24-cli"_s;
        spec.privileged = true;
        spec.variables.append({u"DOCKER_HOST"_s, u"tcp://docker:2376"_s, false, false});
        spec.variables.append({u"DOCKER_TLS_CERTDIR"_s, u"/certs"_s, false, false});
        spec.variables.append({u"DOCKER_TLS_VERIFY"_s, u"1"_s, false, false});
        spec.variables.append({u"DOCKER_CERT_PATH"_s, u"/certs/client"_s, false, false});
        ServiceSpec dind;
        dind.image.name = u"docker:24-dind"_s;
        dind.variables = spec.variables;
        dind.aliases = serviceAliases(dind.image.name);
        spec.services = {dind};
        QVERIFY(QFile::copy(u"/bin/busybox"_s, spec.hostWorkspace + u"/busybox"_s));
        QFile dockerfile(spec.hostWorkspace + u"/Dockerfile"_s);
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM scratch\nCOPY busybox /busybox\n"
                         "CMD [\"/busybox\", \"echo\", \"hello over TLS\"]\n");
        dockerfile.close();
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(180000), qPrintable(d.prepareError + u'\n' + QString::fromUtf8(d.out)));
        QVERIFY2(!d.out.contains("WARNING"), d.out.constData());
        const int exit = d.run("test -f /certs/client/ca.pem && docker version --format "
                               "'{{.Server.Os}}' && docker build -q -t inner:1 . >/dev/null && "
                               "docker run --rm --network none inner:1",
                               ScriptStep::Step, 240000);
        QVERIFY2(exit == 0, d.scriptOut.constData());
        QCOMPARE(d.scriptOut, QByteArray("linux\nhello over TLS\n"));
        QVERIFY(d.cleanup());
    }

    // Also with a service whose log is followed (CI_DEBUG_SERVICES): its stream ends with the job.
    void cancelLeavesNoPod_data()
    {
        QTest::addColumn<bool>("debugServices");
        QTest::newRow("plain") << false;
        QTest::newRow("CI_DEBUG_SERVICES") << true;
    }
    void cancelLeavesNoPod()
    {
        QFETCH(bool, debugServices);
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"cancel"_s);
        if (debugServices) {
            spec.variables.append({u"CI_DEBUG_SERVICES"_s, u"true"_s, false, false});
            ServiceSpec ticker;
            ticker.image.name = kBusybox;
            ticker.aliases = {u"ticker"_s};
            ticker.command = {u"sh"_s, u"-c"_s, u"while :; do echo tick; sleep 0.1; done"_s};
            spec.services = {ticker};
        }
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        const QString command = env->enterCommand();
        const QString podName = command.section(u' ', 7, 7);
        QCOMPARE(podmanPods(podName), 1);
        env->runScript(ScriptStep::Step, "echo started\nsleep 300\necho not reached\n");
        QVERIFY(QTest::qWaitFor([&] { return d.out.contains("started"); }, 60000));
        QElapsedTimer timer;
        timer.start();
        env->abortScript();
        QVERIFY(QTest::qWaitFor([&] { return d.scriptDone; }, 30000));
        QVERIFY2(timer.elapsed() < 15000, "the script was not stopped promptly");
        QVERIFY(d.exitCode != 0);
        QVERIFY(!d.out.contains("not reached"));
        timer.restart();
        QVERIFY(d.cleanup());
        QVERIFY2(timer.elapsed() < 30000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(d.out.contains("[service:ticker] "), debugServices);
        const qsizetype size = d.out.size();
        QTest::qWait(500);
        QCOMPARE(d.out.size(), size);
        QCOMPARE(apiPods(spec.pipelineId), 0);
        QCOMPARE(podmanPods(podName), 0);
    }

    void cleanupWhileRunning()
    {
        // Cancel without a polite stop: the pod goes, the script with it.
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"cancel2"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        const QString podName = env->enterCommand().section(u' ', 7, 7);
        env->runScript(ScriptStep::Step, "echo started\nsleep 300\n");
        QVERIFY(QTest::qWaitFor([&] { return d.out.contains("started"); }, 60000));
        QVERIFY(d.cleanup());
        QCOMPARE(apiPods(spec.pipelineId), 0);
        QCOMPARE(podmanPods(podName), 0);
    }

    void podDeletedUnderTheJob()
    {
        // Someone deletes the pod (kubectl delete, node drain): the job fails as a system
        // failure within seconds instead of waiting for a log that never ends.
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"vanish"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        const QString podName = env->enterCommand().section(u' ', 7, 7);
        env->runScript(ScriptStep::Step, "echo started\nsleep 300\n");
        QVERIFY(QTest::qWaitFor([&] { return d.out.contains("started"); }, 60000));
        auto c = client();
        QVERIFY(c->call("DELETE", c->podPath(podName)).ok());
        QVERIFY(QTest::qWaitFor([&] { return d.scriptDone; }, 30000));
        QCOMPARE(d.exitCode, -1);
        QVERIFY2(d.out.contains(QByteArray(
                     QByteArray("ERROR: Job failed (system failure): pod \"") + podName.toUtf8())),
                 d.out.constData());
        QVERIFY(d.cleanup());
    }

    void droppedLogStream()
    {
        // The read-logs stream (tail by byte offset in the helper) breaks twice mid-job.
        testConfig({{u"dropExecAfterLines"_s, 40},
                    {u"dropExecTimes"_s, 2},
                    {u"dropExecMatch"_s, u"tail"_s}});
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"drops"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        QCOMPARE(d.run("i=1; while [ $i -le 300 ]; do echo \"line $i\"; "
                       "[ $((i % 50)) -eq 0 ] && sleep 0.2; i=$((i+1)); done"),
                 0);
        QByteArray expected;
        for (int i = 1; i <= 300; ++i)
            expected += "line " + QByteArray::number(i) + '\n';
        QCOMPARE(d.scriptOut, expected);
        QVERIFY(d.cleanup());
        testConfig({{u"dropExecTimes"_s, 0}});
    }

    void droppedPodLogFollow()
    {
        // pods/log with timestamps: resumed with sinceTime, de-duplicated by timestamp (many
        // lines share one: the count decides).
        auto c = client();
        const QByteArray pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"logs-\"},\n"
            "            "
            "\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":"
            "\"localhost/busybox:local\",\n"
            "            \"command\":[\"sh\",\"-c\",\"i=1; while [ $i -le 300 ]; do echo \\\"line "
            "$i\\\"; [ $((i % 60)) -eq 0 ] && sleep 0.5; i=$((i+1)); done\"]}]}}";
        const ApiResult created = c->call("POST", c->podsPath(), {}, pod);
        QVERIFY2(created.ok(), qPrintable(created.error));
        const QString name = created.object.value(u"metadata").toObject().value(u"name").toString();
        testConfig({{u"dropLogAfterLines"_s, 70}, {u"dropLogTimes"_s, 3}});
        LogFollower follower(c.get(), name, u"c"_s);
        QByteArray text;
        bool done = false;
        QString error;
        connect(&follower, &LogFollower::line, this,
                [&](const QByteArray &l, const QString &) { text += l; });
        connect(&follower, &LogFollower::finished, this, [&](const QString &e) {
            done = true;
            error = e;
        });
        follower.start(); // before the container runs: the 400 "waiting to start" is waited out
        QVERIFY(QTest::qWaitFor([&] { return done; }, 90000));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QByteArray expected;
        for (int i = 1; i <= 300; ++i)
            expected += "line " + QByteArray::number(i) + '\n';
        QCOMPARE(text, expected);
        QVERIFY(follower.reconnects() >= 3);
        testConfig({{u"dropLogTimes"_s, 0}});
        c->call("DELETE", c->podPath(name));
    }

    void execV4()
    {
        testConfig({{u"execProtocols"_s, QJsonArray{u"v4.channel.k8s.io"_s}}});
        auto c = client();
        const QByteArray pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"exec-\"},\n"
            "            "
            "\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":"
            "\"localhost/busybox:local\",\n"
            "            \"command\":[\"sleep\",\"600\"]}]}}";
        const ApiResult created = c->call("POST", c->podsPath(), {}, pod);
        QVERIFY2(created.ok(), qPrintable(created.error));
        const QString name = created.object.value(u"metadata").toObject().value(u"name").toString();
        QVERIFY(QTest::qWaitFor(
            [&] {
                const ApiResult r = c->call("GET", c->podPath(name));
                return r.object.value(u"status").toObject().value(u"phase").toString() ==
                       u"Running";
            },
            60000));
        const ExecResult r = c->exec(
            name, u"c"_s, {u"sh"_s, u"-c"_s, u"head -c 5; echo ' err' >&2; exit 4"_s}, "hello");
        QCOMPARE(r.protocol, u"v4.channel.k8s.io"_s);
        QCOMPARE(r.out, QByteArray("hello"));
        QCOMPARE(r.err, QByteArray(" err\n"));
        QCOMPARE(r.exitCode, 4);
        testConfig(
            {{u"execProtocols"_s, QJsonArray{u"v5.channel.k8s.io"_s, u"v4.channel.k8s.io"_s}}});
        const ExecResult v5 = c->exec(name, u"c"_s, {u"cat"_s}, "through stdin, closed by v5");
        QCOMPARE(v5.protocol, u"v5.channel.k8s.io"_s);
        QCOMPARE(v5.out, QByteArray("through stdin, closed by v5"));
        QCOMPARE(v5.exitCode, 0);
        c->call("DELETE", c->podPath(name));
    }

    void rbacForbidden()
    {
        auto b = backend(settings(u"viewer"_s));
        JobSpec spec = jobSpec(u"rbac"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY(!d.prepare());
        QCOMPARE(
            d.prepareError,
            u"Cannot create the Secret holding the job's variables: secrets is forbidden: User \"viewer\" cannot create resource \"secrets\" in API group \"\" in the namespace \"default\""_s);
        QVERIFY(d.cleanup());
    }

    void imagePullFailure()
    {
        auto b = backend(settings());
        JobSpec spec = jobSpec(u"pull"_s);
        spec.image.name = u"registry.example.com/nosuch/image:1"_s;
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!d.prepare());
        QVERIFY2(timer.elapsed() < 20000, "the pull failure was not reported within seconds");
        const QRegularExpression shape(
            u"^container \"build\" of pod default/stagecraft-[a-z0-9-]+ \\(image registry\\.example\\.com/nosuch/image:1\\) cannot start: (ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack image \"registry\\.example\\.com/nosuch/image:1\": .*|ImagePullBackOff: Back-off pulling image \"registry\\.example\\.com/nosuch/image:1\")$"_s);
        QVERIFY2(shape.match(d.prepareError).hasMatch(), qPrintable(d.prepareError));
        QVERIFY(d.cleanup());
        QCOMPARE(apiPods(spec.pipelineId), 0);
    }

    void unschedulable()
    {
        Settings s = settings();
        s.nodeSelector.insert(u"disktype"_s, u"ssd"_s);
        auto b = backend(s);
        JobSpec spec = jobSpec(u"sched"_s);
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!d.prepare());
        QVERIFY(timer.elapsed() < 10000);
        const QRegularExpression shape(
            u"^pod default/stagecraft-[a-z0-9-]+ cannot be scheduled: 0/1 nodes are available: 1 node\\(s\\) didn't match Pod's node affinity/selector\\. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling\\.$"_s);
        QVERIFY2(shape.match(d.prepareError).hasMatch(), qPrintable(d.prepareError));
        QVERIFY(d.cleanup());
        QCOMPARE(apiPods(spec.pipelineId), 0);
    }

    void mountProjectFolder()
    {
        Settings s = settings();
        s.mountProjectFolder = true;
        auto b = backend(s);
        JobSpec spec = jobSpec(u"mounted"_s);
        QFile in(spec.hostWorkspace + u"/input.txt"_s);
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write("from the host\n");
        in.close();
        std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
        Driver d(env.get());
        QVERIFY2(d.prepare(), qPrintable(d.prepareError));
        QCOMPARE(d.run("cat input.txt; echo written > output.txt"), 0);
        QCOMPARE(d.scriptOut, QByteArray("from the host\n"));
        QVERIFY(d.collect());
        QVERIFY(QFile::exists(spec.hostWorkspace + u"/output.txt"_s));
        QVERIFY(d.cleanup());
    }

    void ownedObjectsAndWatch()
    {
        // A ConfigMap and a Secret owned by a pod (merge-patched ownerReferences) go with it; the
        // pod's changes arrive through a watch, not by polling.
        auto c = client();
        const QByteArray pod =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":"
            "\"owner-\"},\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{"
            "\"name\":\"c\",\"image\":\"localhost/busybox:local\",\"command\":["
            "\"sleep\",\"600\"]}]}}";
        const ApiResult created = c->call("POST", c->podsPath(), {}, pod);
        QVERIFY2(created.ok(), qPrintable(created.error));
        const QJsonObject meta = created.object.value(u"metadata").toObject();
        const QString name = meta.value(u"name").toString();
        QVERIFY(!meta.value(u"uid").toString().isEmpty());
        QVERIFY(!meta.value(u"resourceVersion").toString().isEmpty());
        QVERIFY(!meta.value(u"creationTimestamp").toString().isEmpty());
        PodWatcher watcher(c.get(), name);
        QString phase;
        bool deleted = false;
        connect(&watcher, &PodWatcher::changed, this, [&](const QJsonObject &p) {
            phase = p.value(u"status").toObject().value(u"phase").toString();
        });
        connect(&watcher, &PodWatcher::deleted, this, [&] { deleted = true; });
        watcher.start();
        QVERIFY(QTest::qWaitFor([&] { return phase == u"Running"; }, 60000));
        QVERIFY(!watcher.polling());

        bool done = false;
        ApiResult last;
        auto wait = [&] {
            done = false;
            return QTest::qWaitFor([&] { return done; }, 30000);
        };
        auto cb = [&](const ApiResult &r) {
            last = r;
            done = true;
        };
        c->createObject(
            u"configmaps"_s,
            QJsonObject{{u"apiVersion"_s, u"v1"_s},
                        {u"kind"_s, u"ConfigMap"_s},
                        {u"metadata"_s, QJsonObject{{u"name"_s, QString(name + u"-cm"_s)}}},
                        {u"data"_s, QJsonObject{{u"step_script"_s, u"echo hi"_s}}}},
            cb);
        QVERIFY(wait());
        QVERIFY2(last.ok(), qPrintable(last.error));
        c->createObject(
            u"secrets"_s,
            QJsonObject{{u"apiVersion"_s, u"v1"_s},
                        {u"kind"_s, u"Secret"_s},
                        {u"metadata"_s, QJsonObject{{u"name"_s, QString(name + u"-s"_s)}}},
                        {u"stringData"_s, QJsonObject{{u"TOKEN"_s, u"x"_s}}}},
            cb);
        QVERIFY(wait());
        QVERIFY2(last.ok(), qPrintable(last.error));
        QCOMPARE(last.object.value(u"data").toObject().value(u"TOKEN").toString(), u"eA=="_s);
        for (const QString &plural : {u"configmaps"_s, u"secrets"_s}) {
            c->setOwnerPod(plural, name + (plural == u"secrets" ? u"-s"_s : u"-cm"_s), name,
                           meta.value(u"uid").toString(), cb);
            QVERIFY(wait());
            QVERIFY2(last.ok(), qPrintable(last.error));
            const QJsonArray owners =
                last.object.value(u"metadata").toObject().value(u"ownerReferences").toArray();
            QCOMPARE(owners.size(), 1);
            QCOMPARE(owners.first().toObject().value(u"kind").toString(), u"Pod"_s);
        }
        c->deletePod(name, cb);
        QVERIFY(wait());
        QVERIFY2(last.ok(), qPrintable(last.error));
        QVERIFY(QTest::qWaitFor([&] { return deleted; }, 30000));
        QCOMPARE(c->call("GET", c->resourcePath(u"configmaps"_s, name + u"-cm"_s)).httpStatus, 404);
        QCOMPARE(c->call("GET", c->resourcePath(u"secrets"_s, name + u"-s"_s)).httpStatus, 404);
    }

    void cacheClaim()
    {
        // /cache is a PersistentVolumeClaim that outlives the job's pod.
        Settings s = settings();
        s.cacheClaim = u"sc-test-cache-%1"_s.arg(QCoreApplication::applicationPid());
        auto b = backend(s);
        for (int round = 0; round < 2; ++round) {
            JobSpec spec = jobSpec(u"cache"_s);
            std::unique_ptr<JobEnvironment> env(b->createEnvironment(spec, nullptr));
            Driver d(env.get());
            QVERIFY2(d.prepare(), qPrintable(d.prepareError));
            QCOMPARE(d.run("cat /cache/count 2>/dev/null || echo none; echo " +
                           QByteArray::number(round) + " > /cache/count"),
                     0);
            QCOMPARE(d.scriptOut, round == 0 ? QByteArray("none\n") : QByteArray("0\n"));
            QVERIFY(d.cleanup());
        }
        runTool(u"podman"_s, {u"volume"_s, u"rm"_s, u"-f"_s, s.cacheClaim});
    }

    void cliRun()
    {
        // The whole way: stagecraft-cli run --executor kubernetes, the engine's scripts,
        // artifacts collected from the pod.
        const QString project = m_dir.filePath(u"cli-project"_s);
        QDir().mkpath(project);
        QFile ci(project + u"/.gitlab-ci.yml"_s);
        QVERIFY(ci.open(QIODevice::WriteOnly));
        ci.write("image: localhost/busybox:local\n"
                 "test:\n"
                 "  script:\n"
                 "    - echo \"hello from $CI_JOB_NAME in $(pwd)\"\n"
                 "    - cat file.txt\n"
                 "    - echo made > out.txt\n"
                 "  artifacts:\n"
                 "    paths: [out.txt]\n"
                 "broken:\n"
                 "  script:\n"
                 "    - exit 3\n");
        ci.close();
        QFile file(project + u"/file.txt"_s);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("content\n");
        file.close();
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"KUBECONFIG"_s, m_kubeconfig);
        cli.setProcessEnvironment(env);
        // The helper image (its default is in no registry here) and the pull policy come from
        // the command line; the resources pass the checks (Podman's kube play may not apply
        // them).
        cli.start(QStringLiteral(STAGECRAFT_CLI_PATH),
                  {u"run"_s, project, u"--executor"_s, u"kubernetes"_s, u"--context"_s, u"admin"_s,
                   u"--namespace"_s, u"default"_s, u"--data-dir"_s, m_dir.filePath(u"cli-data"_s),
                   u"--helper-image"_s, kBusybox, u"--pull-policy"_s, u"never"_s,
                   u"--memory-limit"_s, u"256Mi"_s, u"--cpu-request"_s, u"100m"_s});
        QVERIFY(cli.waitForFinished(240000));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(cli.exitCode() == 1,
                 qPrintable(out + QString::fromUtf8(cli.readAllStandardError())));
        QVERIFY2(out.contains(u"test   > hello from test in /builds/"_s), qPrintable(out));
        QVERIFY2(out.contains(u"test   > content\n"_s), qPrintable(out));
        QVERIFY2(out.contains(u"broken ERROR: Job failed: exit code 3\n"_s), qPrintable(out));
        QVERIFY2(QRegularExpression(u"\\ntest +test +success .* 0\\n"_s).match(out).hasMatch(),
                 qPrintable(out));
        QStringList artifacts;
        QDirIterator it(m_dir.filePath(u"cli-data"_s), {u"out.txt"_s}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            artifacts << it.next();
        QCOMPARE(artifacts.size(), 1);
    }

    void sweepLeftovers()
    {
        // A pod of this host whose Stagecraft process is gone (pid 0x7ffffff0 does not exist).
        auto c = client();
        auto b0 = backend(settings());
        JobSpec spec = jobSpec(u"left"_s);
        QJsonObject pod = podManifest(spec, settings(), u"default"_s, QString());
        QJsonObject meta = pod.value(u"metadata").toObject();
        QJsonObject annotations = meta.value(u"annotations").toObject();
        annotations.insert(QString::fromLatin1(kOwnerPidAnnotation), u"2147483632"_s);
        meta.insert(u"annotations"_s, annotations);
        pod.insert(u"metadata"_s, meta);
        const ApiResult created = c->call("POST", c->podsPath(), {}, QJsonDocument(pod).toJson());
        QVERIFY2(created.ok(), qPrintable(created.error));
        const QString name = created.object.value(u"metadata").toObject().value(u"name").toString();
        // And a live one (this process): left alone.
        const ApiResult live =
            c->call("POST", c->podsPath(), {},
                    QJsonDocument(podManifest(spec, settings(), u"default"_s, QString())).toJson());
        QVERIFY2(live.ok(), qPrintable(live.error));
        auto b = backend(settings());
        QVERIFY2(b->sweptPods().contains(name), qPrintable(b->sweptPods().join(u", ")));
        const QString liveName =
            live.object.value(u"metadata").toObject().value(u"name").toString();
        QVERIFY(!b->sweptPods().contains(liveName));
        QVERIFY(QTest::qWaitFor([&] { return c->call("GET", c->podPath(name)).httpStatus == 404; },
                                30000));
        c->call("DELETE", c->podPath(liveName));
    }
};

QTEST_GUILESS_MAIN(TestKube)
#include "tst_kube.moc"
