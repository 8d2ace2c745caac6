// The Docker executor against real engines: Docker Engine and Podman's Docker-compatible service
// (scripts/engines.sh starts both; STAGECRAFT_TEST_DOCKER_HOST / STAGECRAFT_TEST_PODMAN_HOST).
#include "exec/docker/dockerbackend.h"
#include "exec/docker/dockerclient.h"
#include "exec/docker/dockerenvironment.h"
#include "exec/services.h"
#include "gitrepobuilder.h"
#include "servicelines.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

using namespace stagecraft::exec;
using servicelines::ServiceLine;
using servicelines::serviceLines;

namespace {

QString engineHost(const QByteArray &engine)
{
    return qEnvironmentVariable(engine == "docker" ? "STAGECRAFT_TEST_DOCKER_HOST"
                                                   : "STAGECRAFT_TEST_PODMAN_HOST");
}

// One job environment on one engine, driven the way the engine drives it.
struct Job
{
    QTemporaryDir workspace;
    QTemporaryDir scratch;
    JobSpec spec;
    DockerSettings settings;
    std::unique_ptr<DockerBackend> backend;
    std::unique_ptr<DockerEnvironment> env;
    QByteArray output;
    QString prepareError;

    explicit Job(const QString &host)
    {
        static int next = 1;
        settings.host = host;
        settings.helperImage = QStringLiteral("busybox:local");
        spec.pipelineId =
            QStringLiteral("t%1").arg(QRandomGenerator::global()->generate() % 100000);
        spec.jobId = next++;
        spec.jobName = QStringLiteral("test");
        spec.stage = QStringLiteral("test");
        spec.projectPath = QStringLiteral("grp/proj");
        spec.image.name = QStringLiteral("busybox:local");
        spec.hostWorkspace = workspace.path();
        spec.hostScratch = scratch.path();
    }
    void create()
    {
        backend = std::make_unique<DockerBackend>(settings);
        env.reset(static_cast<DockerEnvironment *>(backend->createEnvironment(spec, nullptr)));
        QObject::connect(env.get(), &JobEnvironment::output,
                         [this](const QByteArray &bytes) { output.append(bytes); });
    }
    bool prepare(int timeoutMs = 120000)
    {
        if (!env)
            create();
        QSignalSpy spy(env.get(), &JobEnvironment::prepared);
        env->prepare();
        if (!spy.wait(timeoutMs))
            return false;
        prepareError = spy.first().at(1).toString();
        return spy.first().at(0).toBool();
    }
    int run(const QByteArray &script, int timeoutMs = 60000)
    {
        QSignalSpy spy(env.get(), &JobEnvironment::scriptFinished);
        env->runScript(ScriptStep::Step, script);
        if (!spy.wait(timeoutMs))
            return -1000;
        return spy.first().at(0).toInt();
    }
    bool collect()
    {
        QSignalSpy spy(env.get(), &JobEnvironment::collected);
        env->collect();
        return spy.wait(60000) && spy.first().at(0).toBool();
    }
    bool cleanup(bool keep = false)
    {
        QSignalSpy spy(env.get(), &JobEnvironment::cleanedUp);
        env->cleanup(keep);
        return spy.wait(60000);
    }
    ~Job()
    {
        if (env && QTest::currentTestFailed())
            qWarning().noquote() << "trace:" << QString::fromUtf8(output);
        if (env)
            cleanup();
    }
};

QString labelFilter(const QString &pipelineId)
{
    const QJsonObject f{{QStringLiteral("label"),
                         QJsonArray{QString(u"com.stagecraft.pipeline="_qs + pipelineId)}}};
    return DockerClient::encode(QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
}

// Containers, networks and volumes left with the pipeline's label.
int leftOvers(const DockerClient &client, const QString &pipelineId)
{
    const QString f = labelFilter(pipelineId);
    return int(client.call("GET", u"/containers/json?all=true&filters=" + f).json().array().size() +
               client.call("GET", u"/networks?filters=" + f).json().array().size() +
               client.call("GET", u"/volumes?filters=" + f)
                   .json()
                   .object()
                   .value(u"Volumes")
                   .toArray()
                   .size());
}

// Why the engine of a test row cannot be used; empty when it answers.
QString engineCheck(const QString &host);

// Once per engine and process: a locked engine would cost its 30 s in every test.
QString engineProblem(const QString &host)
{
    static QHash<QString, QString> known;
    if (!known.contains(host))
        known.insert(host, engineCheck(host));
    return known.value(host);
}

QString engineCheck(const QString &host)
{
    if (host.isEmpty())
        return u"STAGECRAFT_TEST_DOCKER_HOST / STAGECRAFT_TEST_PODMAN_HOST unset: run "
               "scripts/engines.sh up and source /tmp/sc-engines.env"_qs;
    DockerEndpoint endpoint;
    endpoint.host = host;
    DockerClient client(endpoint);
    QString error;
    if (!client.negotiate(&error))
        return u"engine does not answer: "_qs + error;
    // Podman answers /_ping while another client (`podman kube play`, `podman pod rm` of the
    // Kubernetes tests share its storage) holds its locks; every real call then waits.
    const auto listed =
        client.call("GET", u"/containers/json?all=true"_qs, {}, "application/json", nullptr, 30);
    if (!listed.ok())
        return u"engine does not list its containers within 30 s (locked by another client?): "_qs +
               client.errorText(listed);
    return {};
}

// Extracts the regular files of a small tar archive (the client certificates) into `dir`.
int untar(const QByteArray &tar, const QString &dir)
{
    int files = 0;
    for (qsizetype pos = 0; pos + 512 <= tar.size();) {
        const QByteArray header = tar.mid(pos, 512);
        if (header.count('\0') == 512)
            break;
        const QByteArray path = header.left(100).split('\0').first();
        const qsizetype size =
            header.mid(124, 12).split('\0').first().trimmed().toLongLong(nullptr, 8);
        const char type = header.at(156);
        if (type == '0' || type == '\0') {
            QFile out(QDir(dir).filePath(QFileInfo(QString::fromUtf8(path)).fileName()));
            if (out.open(QIODevice::WriteOnly)) {
                out.write(tar.mid(pos + 512, size));
                ++files;
            }
        }
        pos += 512 + (size + 511) / 512 * 512;
    }
    return files;
}

struct CliResult
{
    int code = -1;
    QString out;
    QString err;
};

// A git project with `.gitlab-ci.yml`, run with `stagecraft-cli run --executor docker`.
struct CliProject
{
    QTemporaryDir dir;
    QString root;

    CliProject(const QByteArray &ci, const QHash<QString, QByteArray> &files = {})
    {
        root = dir.filePath(u"project"_qs);
        QDir().mkpath(root);
        gittest::RepoBuilder repo(root);
        repo.write(u".gitlab-ci.yml"_qs, ci);
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            repo.write(it.key(), it.value());
        repo.commit("ci");
    }
    CliResult run(const QString &host, const QStringList &args, int timeoutMs = 180000) const
    {
        QProcess p;
        p.setWorkingDirectory(root);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_qs, dir.filePath(u"home"_qs));
        env.insert(u"DOCKER_HOST"_qs, host);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(STAGECRAFT_CLI_PATH),
                QStringList{u"run"_qs, u"--executor"_qs, u"docker"_qs, u"--data-dir"_qs,
                            dir.filePath(u"data"_qs)} +
                    args);
        if (!p.waitForFinished(timeoutMs))
            p.kill();
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    QByteArray log(int pipeline, int job) const
    {
        QFile f(
            dir.filePath(QStringLiteral("data/pipelines/%1/logs/%2.log").arg(pipeline).arg(job)));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
};

// An RFC 3339 timestamp that compares as text (nine fractional digits; Docker trims zeros).
QString sortable(const QString &stamp)
{
    const qsizetype dot = stamp.indexOf(u'.');
    const QString whole = stamp.left(dot < 0 ? stamp.size() - 1 : dot);
    const QString fraction = dot < 0 ? QString() : stamp.mid(dot + 1).chopped(1);
    return whole + u'.' + fraction.leftJustified(9, u'0');
}

} // namespace

// QSKIP has to be in the test function itself.
#define REQUIRE_ENGINE(host)                                                                       \
    do {                                                                                           \
        const QString problem = engineProblem(host);                                               \
        if (!problem.isEmpty())                                                                    \
            QSKIP(qPrintable(problem));                                                            \
    } while (false)

class TestDocker : public QObject
{
    Q_OBJECT

private:
    void engines()
    {
        QTest::addColumn<QString>("host");
        QTest::newRow("docker") << engineHost("docker");
        QTest::newRow("podman") << engineHost("podman");
    }
    static DockerClient clientFor(const QString &host)
    {
        DockerEndpoint endpoint;
        endpoint.host = host;
        DockerClient client(endpoint);
        client.negotiate();
        return client;
    }

private Q_SLOTS:
    void serviceAliases_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("dind") << u"docker:24-dind"_qs << u""_qs << QStringList{u"docker"_qs};
        QTest::newRow("nested") << "registry.x/grp/pg:15"
                                << ""
                                << QStringList{u"registry.x__grp__pg"_qs, u"registry.x-grp-pg"_qs};
        QTest::newRow("plain") << u"postgres"_qs << u""_qs << QStringList{u"postgres"_qs};
        QTest::newRow("library") << "docker.io/library/nginx"
                                 << ""
                                 << QStringList{u"docker.io__library__nginx"_qs,
                                                u"docker.io-library-nginx"_qs};
        QTest::newRow("registry port") << "registry-1.docker.io:443/library/nginx:1.29.7"
                                       << ""
                                       << QStringList{u"registry-1.docker.io__library__nginx"_qs,
                                                      u"registry-1.docker.io-library-nginx"_qs};
        QTest::newRow("digest")
            << "docker.io/library/nginx@sha256:e7257f1ef28ba17cf7c248cb8ccf6f0c6e0228ab9c315c15"
            << u""_qs
            << QStringList{u"docker.io__library__nginx"_qs, u"docker.io-library-nginx"_qs};
        QTest::newRow("alias") << "docker.io/library/redis"
                               << "redis-alias"
                               << QStringList{u"docker.io__library__redis"_qs,
                                              u"docker.io-library-redis"_qs, u"redis-alias"_qs};
        QTest::newRow("comma aliases")
            << u"mysql:8"_qs << u"db, sql,db"_qs << QStringList{u"mysql"_qs, u"db"_qs, u"sql"_qs};
        QTest::newRow("alias equals name")
            << u"redis"_qs << u"redis"_qs << QStringList{u"redis"_qs};
    }
    void serviceAliases()
    {
        QFETCH(QString, image);
        QFETCH(QString, alias);
        QFETCH(QStringList, expected);
        QCOMPARE(stagecraft::exec::serviceAliases(image, alias), expected);
    }

    // CI_DEBUG_SERVICES as GitLab Runner parses it (Go's strconv.ParseBool).
    void debugServices_data()
    {
        QTest::addColumn<QStringList>("values"); // definitions in order
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<QString>("warning");
        QTest::newRow("unset") << QStringList{} << false << QString();
        QTest::newRow("empty") << QStringList{u""_qs} << false << QString();
        for (const char *v : {"true", "1", "TRUE", "True", "t", "T"})
            QTest::addRow("%s", v) << QStringList{QString::fromLatin1(v)} << true << QString();
        for (const char *v : {"false", "0", "FALSE", "False", "f", "F"})
            QTest::addRow("%s", v) << QStringList{QString::fromLatin1(v)} << false << QString();
        QTest::newRow("yes") << QStringList{u"yes"_qs} << false
                             << u"failed to parse value 'yes' for CI_DEBUG_SERVICES variable: "
                                "strconv.ParseBool: parsing \"yes\": invalid syntax"_qs;
        QTest::newRow("spaces") << QStringList{u" true"_qs} << false
                                << u"failed to parse value ' true' for CI_DEBUG_SERVICES "
                                   "variable: strconv.ParseBool: parsing \" true\": invalid "
                                   "syntax"_qs;
        QTest::newRow("last wins") << QStringList{u"true"_qs, u"false"_qs} << false << QString();
    }
    void debugServices()
    {
        QFETCH(QStringList, values);
        QFETCH(bool, enabled);
        QFETCH(QString, warning);
        QList<JobVariable> variables{{u"CI_DEBUG_TRACE"_qs, u"true"_qs, false, false}};
        for (const QString &v : values)
            variables.append({u"CI_DEBUG_SERVICES"_qs, v, false, false});
        QString actual;
        QCOMPARE(debugServicesEnabled(variables, &actual), enabled);
        QCOMPARE(actual, warning);
    }

    // Log entries (frames) -> whole trace lines.
    void serviceLogWriter_data()
    {
        QTest::addColumn<QByteArrayList>("entries");
        QTest::addColumn<QByteArray>("lines");
        QTest::addColumn<QByteArray>("flushed");
        const QByteArray p = "\x1b[0;37m[service:postgres-db] ";
        const QByteArray r = "\x1b[0;m\n";
        QTest::newRow("one line")
            << QByteArrayList{"2023-01-26T20:28:39.843063600Z LOG:  database system is ready\n"}
            << p + "2023-01-26T20:28:39.843063600Z LOG:  database system is ready" + r
            << QByteArray();
        QTest::newRow("continued partial line keeps its first timestamp")
            << QByteArrayList{"2023-01-26T20:28:39Z no newline",
                              "2023-01-26T20:28:40Z  continued\n", "2023-01-26T20:28:41Z next\n"}
            << p + "2023-01-26T20:28:39Z no newline continued" + r + p +
                   "2023-01-26T20:28:41Z next" + r
            << QByteArray();
        QTest::newRow("last partial line flushed")
            << QByteArrayList{"2023-01-26T20:28:39.1Z a\n", "2023-01-26T20:28:39.2Z last words"}
            << p + "2023-01-26T20:28:39.1Z a" + r << p + "2023-01-26T20:28:39.2Z last words" + r;
        QTest::newRow("several lines in one entry, empty line kept")
            << QByteArrayList{"2023-01-26T20:28:39+01:00 a\n\nb\n"}
            << p + "2023-01-26T20:28:39+01:00 a" + r + p + r + p + "b" + r << QByteArray();
        QTest::newRow("continuation without a timestamp")
            << QByteArrayList{"2023-01-26T20:28:39Z ab", "cd\n"}
            << p + "2023-01-26T20:28:39Z abcd" + r << QByteArray();
    }
    void serviceLogWriter()
    {
        QFETCH(QByteArrayList, entries);
        QFETCH(QByteArray, lines);
        QFETCH(QByteArray, flushed);
        ServiceSpec postgres;
        postgres.aliases = stagecraft::exec::serviceAliases(u"postgres:15"_qs, u"db"_qs);
        QCOMPARE(serviceLogName(postgres), u"postgres-db"_qs);
        ServiceLogWriter writer(serviceLogName(postgres));
        QByteArray out;
        for (const QByteArray &e : entries)
            out += writer.feed(e);
        QCOMPARE(out, lines);
        QCOMPARE(writer.flush(), flushed);
        QCOMPARE(writer.flush(), QByteArray());
    }

    // Service lines never land inside a line the job has begun.
    void serviceLineMerger_data()
    {
        QTest::addColumn<QByteArrayList>("steps"); // J: job bytes, S: service lines, R: release
        QTest::addColumn<QByteArrayList>("written");
        QTest::newRow("between whole lines")
            << QByteArrayList{"J:a\n", "S:s1\n", "J:b\n"} << QByteArrayList{"a\n", "s1\n", "b\n"};
        QTest::newRow("held until the job ends its line")
            << QByteArrayList{"J:pro", "S:s1\n", "S:s2\n", "J:gress", "J:\n", "J:next\n"}
            << QByteArrayList{"pro", "", "", "gress", "\ns1\ns2\n", "next\n"};
        QTest::newRow("released on a line of their own")
            << QByteArrayList{"J:50%", "S:s1\n", "R:", "J: 100%\n", "R:"}
            << QByteArrayList{"50%", "", "\ns1\n", " 100%\n", ""};
        QTest::newRow("nothing held")
            << QByteArrayList{"R:", "J:x\n", "R:"} << QByteArrayList{"", "x\n", ""};
    }
    void serviceLineMerger()
    {
        QFETCH(QByteArrayList, steps);
        QFETCH(QByteArrayList, written);
        ServiceLineMerger merger;
        QByteArrayList actual;
        for (const QByteArray &step : steps) {
            const QByteArray bytes = step.mid(2);
            if (step.startsWith("J:"))
                actual << merger.job(bytes);
            else if (step.startsWith("S:"))
                actual << merger.service(bytes);
            else
                actual << merger.release();
        }
        QCOMPARE(actual, written);
    }

    void imageReference_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("repository");
        QTest::addColumn<QString>("tag");
        QTest::addColumn<QString>("digest");
        QTest::newRow("plain") << u"busybox"_qs << u"busybox"_qs << QString() << QString();
        QTest::newRow("tag") << u"docker:24-dind"_qs << u"docker"_qs << u"24-dind"_qs << QString();
        QTest::newRow("registry port")
            << u"reg:5000/grp/img:1.0"_qs << u"reg:5000/grp/img"_qs << u"1.0"_qs << QString();
        QTest::newRow("registry port, no tag")
            << u"reg:5000/grp/img"_qs << u"reg:5000/grp/img"_qs << QString() << QString();
        QTest::newRow("digest") << u"img:1@sha256:abc"_qs << u"img"_qs << u"1"_qs
                                << u"sha256:abc"_qs;
        QTest::newRow("podman local")
            << u"localhost/busybox:local"_qs << u"localhost/busybox"_qs << u"local"_qs << QString();
    }
    void imageReference()
    {
        QFETCH(QString, image);
        QFETCH(QString, repository);
        QFETCH(QString, tag);
        QFETCH(QString, digest);
        const ImageReference ref = parseImageReference(image);
        QCOMPARE(ref.repository, repository);
        QCOMPARE(ref.tag, tag);
        QCOMPARE(ref.digest, digest);
    }

    // The endpoint as the docker CLI reads it: the setting, else DOCKER_HOST, else the default
    // socket; TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
    void endpoint_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QByteArray>("dockerHost");
        QTest::addColumn<QByteArray>("tlsVerify");
        QTest::addColumn<QByteArray>("certPath");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("certs");
        const QString home = QDir::homePath() + u"/.docker"_qs;
        QTest::newRow("default") << QString() << QByteArray() << QByteArray() << QByteArray()
                                 << u"unix:///var/run/docker.sock"_qs << false << home;
        QTest::newRow("DOCKER_HOST") << QString() << QByteArray("tcp://h:2375") << QByteArray()
                                     << QByteArray() << u"tcp://h:2375"_qs << false << home;
        QTest::newRow("setting wins")
            << u"unix:///s.sock"_qs << QByteArray("tcp://h:2375") << QByteArray() << QByteArray()
            << u"unix:///s.sock"_qs << false << home;
        QTest::newRow("tls") << QString() << QByteArray("tcp://h:2376") << QByteArray("1")
                             << QByteArray("/certs/client") << u"tcp://h:2376"_qs << true
                             << u"/certs/client"_qs;
    }
    void endpoint()
    {
        QFETCH(QString, setting);
        QFETCH(QByteArray, dockerHost);
        QFETCH(QByteArray, tlsVerify);
        QFETCH(QByteArray, certPath);
        QFETCH(QString, host);
        QFETCH(bool, tls);
        QFETCH(QString, certs);
        const auto set = [](const char *name, const QByteArray &value) {
            if (value.isEmpty())
                qunsetenv(name);
            else
                qputenv(name, value);
        };
        const QByteArray saved[] = {qgetenv("DOCKER_HOST"), qgetenv("DOCKER_TLS_VERIFY"),
                                    qgetenv("DOCKER_CERT_PATH")};
        set("DOCKER_HOST", dockerHost);
        set("DOCKER_TLS_VERIFY", tlsVerify);
        set("DOCKER_CERT_PATH", certPath);
        const DockerEndpoint e = DockerEndpoint::fromEnvironment(setting);
        set("DOCKER_HOST", saved[0]);
        set("DOCKER_TLS_VERIFY", saved[1]);
        set("DOCKER_CERT_PATH", saved[2]);
        QCOMPARE(e.host, host);
        QCOMPARE(e.tlsVerify, tls);
        QCOMPARE(e.certPath, certs);
    }

    void demuxer_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("whole") << 1000;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("split headers") << 5;
    }
    void demuxer()
    {
        QFETCH(int, chunk);
        const QByteArray stream = QByteArray::fromHex("0100000000000004") + "out\n" +
                                  QByteArray::fromHex("0200000000000004") + "err\n" +
                                  QByteArray::fromHex("0100000000000000") +
                                  QByteArray::fromHex("0100000000000002") + "x\n";
        QStringList frames;
        StreamDemuxer demux([&frames](int s, const QByteArray &payload) {
            frames.append(QString::number(s) + u':' + QString::fromUtf8(payload));
        });
        for (qsizetype i = 0; i < stream.size(); i += chunk)
            demux.feed(stream.mid(i, chunk));
        QCOMPARE(frames, (QStringList{u"1:out\n"_qs, u"2:err\n"_qs, u"1:"_qs, u"1:x\n"_qs}));
        QCOMPARE(demux.pending(), 0);
    }

    void tar()
    {
        const QByteArray t =
            makeTar({{u"d/"_qs, {}, 0755}, {u"d/f"_qs, QByteArray("hello"), 0600}});
        QCOMPARE(t.size(), 512 + 512 + 512 + 1024);
        QCOMPARE(t.mid(0, 2), QByteArray("d/"));
        QCOMPARE(t.at(156), '5');
        QCOMPARE(t.mid(512 + 124, 11), QByteArray("00000000005"));
        QCOMPARE(t.mid(1024, 5), QByteArray("hello"));
    }

    void connectionError_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing socket")
            << "unix:///tmp/stagecraft-no-such.sock"
            << "Cannot connect to the Docker daemon at unix:///tmp/stagecraft-no-such.sock: dial "
               "unix /tmp/stagecraft-no-such.sock: connect: no such file or directory. Is the "
               "docker daemon running?";
        QTest::newRow("refused tcp")
            << "tcp://127.0.0.1:1"
            << "Cannot connect to the Docker daemon at tcp://127.0.0.1:1: dial tcp 127.0.0.1:1: "
               "connect: connection refused. Is the docker daemon running?";
        QTest::newRow("ssh") << u"ssh://user@host"_qs
                             << u"Cannot connect to the Docker daemon at ssh://user@host: "
                                "unsupported protocol scheme \"ssh\" (use unix:// or tcp://). Is "
                                "the docker daemon running?"_qs;
    }
    void connectionError()
    {
        QFETCH(QString, host);
        QFETCH(QString, expected);
        DockerSettings settings;
        settings.host = host;
        DockerBackend backend(settings);
        QString error;
        QVERIFY(!backend.initialize(&error));
        QCOMPARE(error, expected);
    }

    // Podman's "read /proc/N/cgroup: no such process" race (podman#16383), which no real engine
    // can be made to lose on demand: a scripted engine on a unix socket answers it twice. GETs and
    // /wait are asked again; a /start is not (it would run an exited container a second time).
    void podmanExitRace()
    {
        QTemporaryDir dir;
        const QString socketPath = dir.filePath(QStringLiteral("engine.sock"));
        QStringList requests;
        std::mutex mutex;
        QLocalServer::removeServer(socketPath);
        std::atomic<bool> listening = false;
        std::unique_ptr<QThread> server(QThread::create([&] {
            QLocalServer local;
            local.setSocketOptions(QLocalServer::UserAccessOption);
            listening = local.listen(socketPath);
            int answered = 0;
            while (listening && answered < 7 && local.waitForNewConnection(10000)) {
                std::unique_ptr<QLocalSocket> socket(local.nextPendingConnection());
                QByteArray head;
                while (!head.contains("\r\n\r\n") && socket->waitForReadyRead(5000))
                    head += socket->readAll();
                const QByteArray line = head.left(head.indexOf("\r\n"));
                int sameSoFar = 0;
                {
                    std::lock_guard lock(mutex);
                    requests.append(QString::fromLatin1(line));
                    sameSoFar = int(requests.count(requests.last()));
                }
                const bool race = sameSoFar <= 2;
                const QByteArray body =
                    race
                        ? QByteArray(
                              R"({"cause":"no such process","message":"read /proc/4242/cgroup: no such process","response":500})")
                        : QByteArray(R"({"StatusCode":0})");
                socket->write("HTTP/1.1 " +
                              QByteArray(race ? "500 Internal Server Error" : "200 OK") +
                              "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                              "Content-Length: " +
                              QByteArray::number(body.size()) + "\r\n\r\n" + body);
                socket->waitForBytesWritten(5000);
                socket->disconnectFromServer();
                ++answered;
            }
        }));
        server->start();
        QTRY_VERIFY(listening);
        DockerEndpoint endpoint;
        endpoint.host = u"unix://"_qs + socketPath;
        DockerClient client(endpoint);
        const auto inspected = client.call("GET", QStringLiteral("/containers/c1/json"));
        QVERIFY(inspected.ok());
        const auto waited = client.call("POST", QStringLiteral("/containers/c1/wait"));
        QVERIFY(waited.ok());
        const auto started = client.call("POST", QStringLiteral("/containers/c1/start"));
        QVERIFY(!started.ok());
        QVERIFY(DockerClient::isExitRace(started));
        QCOMPARE(client.errorText(started), QStringLiteral("Error response from daemon: read "
                                                           "/proc/4242/cgroup: no such process"));
        QVERIFY(server->wait(20000));
        QCOMPARE(requests.size(), 7);
        QCOMPARE(requests.count(u"GET /v1.41/containers/c1/json HTTP/1.1"_qs), 3);
        QCOMPARE(requests.count(u"POST /v1.41/containers/c1/wait HTTP/1.1"_qs), 3);
        QCOMPARE(requests.count(u"POST /v1.41/containers/c1/start HTTP/1.1"_qs), 1);
    }

    void engineErrors_data() { engines(); }
    void engineErrors()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        const DockerClient client = clientFor(host);
        const auto r = client.call("GET", QStringLiteral("/images/nosuch:tag/json"));
        QCOMPARE(r.status, 404L);
        const QString expected = client.isPodman()
                                     ? u"Error response from daemon: failed to find image "_qs
                                       u"nosuch:tag: docker.io/library/nosuch:tag: No such image"_qs
                                     : u"Error response from daemon: no such image: nosuch:tag: "_qs
                                       u"No such image: nosuch:tag"_qs;
        QCOMPARE(client.errorText(r), expected);
        QCOMPARE(client.apiVersion(), QStringLiteral("1.41"));
    }

    void pullPolicy_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QStringList>("policy");
        QTest::addColumn<QString>("expected");
        for (const char *engine : {"docker", "podman"}) {
            QTest::addRow("%s never", engine)
                << engineHost(engine) << QStringList{u"never"_qs}
                << "failed to pull image \"stagecraft-nosuch:1\" with specified policies "
                   "[never]: Error: No such image: stagecraft-nosuch:1";
        }
    }
    void pullPolicy()
    {
        QFETCH(QString, host);
        QFETCH(QStringList, policy);
        QFETCH(QString, expected);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.image.name = QStringLiteral("stagecraft-nosuch:1");
        job.spec.image.pullPolicy = policy;
        QVERIFY(!job.prepare());
        QCOMPARE(job.prepareError, expected);
    }

    void unknownImagePull_data() { engines(); }
    void unknownImagePull()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.image.name = QStringLiteral("stagecraft-nosuch:1");
        QVERIFY(!job.prepare());
        qInfo().noquote() << job.prepareError;
        QVERIFY2(job.prepareError.startsWith(
                     u"failed to pull image \"stagecraft-nosuch:1\" with specified policies "_qs
                     u"[if-not-present]: "_qs),
                 qPrintable(job.prepareError));
        QVERIFY(job.output.contains("Pulling docker image stagecraft-nosuch:1 ..."));
    }

    void scripts_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("expected");
        for (const char *engine : {"docker", "podman"}) {
            const QString h = engineHost(engine);
            QTest::addRow("%s pass", engine) << h << QByteArray("echo hello; pwd\n") << 0
                                             << QByteArray("hello\n/builds/grp/proj\n");
            QTest::addRow("%s fail", engine) << h << QByteArray("echo before; exit 3\necho after\n")
                                             << 3 << QByteArray("before\n");
            QTest::addRow("%s order", engine)
                << h << QByteArray("echo 1; sleep 0.1; echo 2 >&2; sleep 0.1; echo 3\n") << 0
                << QByteArray("1\n2\n3\n");
        }
    }
    void scripts()
    {
        QFETCH(QString, host);
        QFETCH(QByteArray, script);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, expected);
        REQUIRE_ENGINE(host);
        Job job(host);
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        const qint64 prepared = timer.restart();
        QVERIFY(job.output.contains("Using Docker executor with image busybox:local ..."));
        job.output.clear();
        QCOMPARE(job.run(script), exitCode);
        const qint64 ran = timer.restart();
        QCOMPARE(job.output, expected);
        QVERIFY(job.cleanup());
        qInfo("prepare %lld ms, script %lld ms, cleanup %lld ms", prepared, ran, timer.elapsed());
        QCOMPARE(leftOvers(job.backend->client(), job.spec.pipelineId), 0);
        job.env.reset();
    }

    // A job without `image:` runs in the default image (GitLab Runner's `[runners.docker] image`).
    void defaultImage_data() { engines(); }
    void defaultImage()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.image.name.clear();
        job.settings.helperImage = DockerSettings().helperImage;
        QCOMPARE(job.settings.defaultImage, u"busybox:latest"_qs);
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QVERIFY(job.output.startsWith("Using Docker executor with image busybox:latest ...\n"
                                      "Using locally found image version due to \"if-not-present\" "
                                      "pull policy\nUsing docker image sha256:"));
        job.output.clear();
        QCOMPARE(job.run("echo ok\n"), 0);
        QCOMPARE(job.output, QByteArray("ok\n"));
    }

    // `image:docker:platform` reaches container creation: the local image's own platform runs,
    // another one is refused with the engine's words instead of running the wrong variant.
    void platform_data() { engines(); }
    void platform()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        {
            Job job(host);
            job.spec.image.platform = u"linux/amd64"_qs;
            QVERIFY2(job.prepare(), qPrintable(job.prepareError));
            job.output.clear();
            QCOMPARE(job.run("uname -m\n"), 0);
            QCOMPARE(job.output, QByteArray("x86_64\n"));
        }
        Job job(host);
        job.spec.image.platform = u"linux/s390x"_qs;
        QVERIFY(!job.prepare());
        qInfo("%s", qPrintable(job.prepareError));
        QVERIFY2(
            job.prepareError.contains(
                u"does not match the specified platform: wanted linux/s390x, actual: linux/amd64"),
            qPrintable(job.prepareError));
    }

    void streaming_data() { engines(); }
    void streaming()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        job.output.clear();
        QElapsedTimer timer;
        qint64 firstAt = -1;
        QObject::connect(job.env.get(), &JobEnvironment::output, [&](const QByteArray &bytes) {
            if (firstAt < 0 && bytes.contains("first"))
                firstAt = timer.elapsed();
        });
        timer.start();
        QCOMPARE(job.run("echo first; sleep 2; echo second\n"), 0);
        const qint64 total = timer.elapsed();
        QCOMPARE(job.output, QByteArray("first\nsecond\n"));
        QVERIFY2(
            firstAt >= 0 && total - firstAt >= 1500,
            qPrintable(QStringLiteral("first at %1 ms, end at %2 ms").arg(firstAt).arg(total)));
    }

    void variables_data() { engines(); }
    void variables()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.variables = {{u"FOO"_qs, u"bar baz"_qs, false, false},
                              {u"CONF"_qs, u"line 1\nline 2 $HOME\n"_qs, true, false},
                              {u"CI_PROJECT_DIR"_qs, u"/builds/grp/proj"_qs, false, false}};
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        job.output.clear();
        QCOMPARE(
            job.run(
                "echo \"$FOO\"; echo \"$CONF\"; cat \"$CONF\"; cd \"$CI_PROJECT_DIR\" && pwd\n"),
            0);
        QCOMPARE(job.output, QByteArray("bar baz\n/builds/grp/proj.tmp/CONF\nline 1\nline 2 $HOME\n"
                                        "/builds/grp/proj\n"));
    }

    void serviceByAlias_data() { engines(); }
    void serviceByAlias()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        ServiceSpec web;
        web.image.name = QStringLiteral("busybox:local");
        web.image.hasEntrypoint = true;
        web.image.entrypoint = {u"sh"_qs, u"-c"_qs};
        // Starts listening late: the job only passes if prepare waited for the port.
        web.command = {"sleep 3; mkdir -p /www && echo \"hello from $GREETING\" > /www/index.html "
                       u"&& exec httpd -f -p 8080 -h /www"_qs};
        web.aliases = {u"web"_qs, u"www"_qs};
        web.variables = {{u"GREETING"_qs, u"web"_qs, false, false}};
        web.healthcheckPort = 8080;
        job.spec.services = {web};
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QVERIFY(timer.elapsed() >= 3000);
        QVERIFY(job.output.contains("Starting service busybox:local ...\n"));
        QVERIFY(job.output.contains(
            "Waiting for services to be up and running (timeout 30 seconds)...\n"));
        QVERIFY2(!job.output.contains("WARNING"), job.output.constData());
        job.output.clear();
        QCOMPARE(job.run("wget -qO- http://web:8080/; wget -qO- http://www:8080/\n"), 0);
        QCOMPARE(job.output, QByteArray("hello from web\nhello from web\n"));
    }

    // A service reaches the one started before it by alias (on Podman through /etc/hosts).
    void serviceToService_data() { engines(); }
    void serviceToService()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        ServiceSpec db;
        db.image.name = u"busybox:local"_qs;
        db.command = {
            u"sh"_qs, u"-c"_qs,
            u"mkdir -p /www && echo rows > /www/index.html && exec httpd -f -p 5432 -h /www"_qs};
        db.aliases = {u"db"_qs};
        db.healthcheckPort = 5432;
        ServiceSpec app;
        app.image.name = u"busybox:local"_qs;
        app.command = {u"sh"_qs, u"-c"_qs,
                       u"mkdir -p /www; until wget -qO /www/index.html http://db:5432/; do sleep "
                       "0.2; done; exec httpd -f -p 8080 -h /www"_qs};
        app.aliases = {u"app"_qs};
        app.healthcheckPort = 8080;
        job.spec.services = {db, app};
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QVERIFY2(!job.output.contains("WARNING"), job.output.constData());
        job.output.clear();
        QCOMPARE(job.run("wget -qO- http://app:8080/\n"), 0);
        QCOMPARE(job.output, QByteArray("rows\n"));
    }

    // GitLab's derived names of a registry path: `__` and `-` variants (gitlab-ci-local's
    // alias-job-multiple-slashes case), with an explicit alias.
    void serviceDerivedNames_data() { engines(); }
    void serviceDerivedNames()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        ServiceSpec web;
        web.image.name = u"docker.io/library/busybox:latest"_qs;
        web.command = {
            u"sh"_qs, u"-c"_qs,
            u"mkdir -p /www && echo derived > /www/index.html && exec httpd -f -p 80 -h /www"_qs};
        web.aliases = stagecraft::exec::serviceAliases(web.image.name, u"web-alias"_qs);
        QCOMPARE(web.aliases, (QStringList{u"docker.io__library__busybox"_qs,
                                           u"docker.io-library-busybox"_qs, u"web-alias"_qs}));
        web.healthcheckPort = 80;
        job.spec.services = {web};
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        job.output.clear();
        QCOMPARE(
            job.run("wget -qO- http://docker.io-library-busybox/; "
                    "wget -qO- http://docker.io__library__busybox/; wget -qO- http://web-alias/\n"),
            0);
        QCOMPARE(job.output, QByteArray("derived\nderived\nderived\n"));
    }

    void serviceHealthTimeout_data() { engines(); }
    void serviceHealthTimeout()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.settings.serviceTimeoutSeconds = 3;
        ServiceSpec dead;
        dead.image.name = QStringLiteral("busybox:local");
        dead.command = {u"sh"_qs, u"-c"_qs, u"echo service is up but not listening; sleep 600"_qs};
        dead.aliases = {u"dead"_qs};
        dead.healthcheckPort = 9999;
        job.spec.services = {dead};
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        const QString name = job.env->networkName() + u"-svc-0"_qs;
        const QByteArray expected = "*** WARNING: Service " + name.toUtf8() +
                                    " probably didn't start properly.\n\nHealth check error:\n"
                                    "service \"" +
                                    name.toUtf8() +
                                    "-wait-for-service\" timeout\n\n"
                                    "Health check container logs:\nno answer from ";
        QVERIFY2(job.output.contains(expected), job.output.constData());
        QVERIFY(job.output.contains("Service container logs:\nservice is up but not listening\n\n"
                                    "*********\n"));
        job.output.clear();
        QCOMPARE(job.run("echo job runs anyway\n"), 0);
    }

    // A service that exits (here: at once) is reported without waiting for the timeout.
    // With CI_DEBUG_SERVICES too: the warning is the same, the service's line comes as well.
    void serviceExits_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("debugServices");
        for (const char *engine : {"docker", "podman"}) {
            QTest::addRow("%s", engine) << engineHost(engine) << false;
            QTest::addRow("%s CI_DEBUG_SERVICES", engine) << engineHost(engine) << true;
        }
    }
    void serviceExits()
    {
        QFETCH(QString, host);
        QFETCH(bool, debugServices);
        REQUIRE_ENGINE(host);
        Job job(host);
        if (debugServices)
            job.spec.variables.append({u"CI_DEBUG_SERVICES"_qs, u"1"_qs, false, false});
        ServiceSpec quitter;
        quitter.image.name = u"busybox:local"_qs;
        quitter.aliases = stagecraft::exec::serviceAliases(quitter.image.name);
        quitter.command = {u"sh"_qs, u"-c"_qs, u"echo cannot start; exit 1"_qs};
        quitter.healthcheckPort = 2375;
        job.spec.services = {quitter};
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed())));
        const QByteArray name = job.env->networkName().toUtf8() + "-svc-0";
        const QByteArray expected = "*** WARNING: Service " + name +
                                    " probably didn't start properly.\n\nHealth check error:\n"
                                    "service \"" +
                                    name + "\" exited with code 1\n";
        QVERIFY2(job.output.contains(expected), job.output.constData());
        QVERIFY(job.output.contains("Service container logs:\ncannot start\n\n*********\n"));
        QTRY_COMPARE_WITH_TIMEOUT(serviceLines(job.output).size(), debugServices ? 1 : 0, 5000);
        const QList<ServiceLine> lines = serviceLines(job.output);
        if (debugServices) {
            QCOMPARE(lines.first().name, u"busybox"_qs);
            QCOMPARE(lines.first().text, QByteArray("cannot start"));
        }
    }

    // CI_DEBUG_SERVICES: the services' logs in the trace while the job runs, line by line with
    // the engine's timestamps; nothing without it; GitLab Runner's warning for a value it cannot
    // read.
    void serviceLogs_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("enabled");
        for (const char *engine : {"docker", "podman"}) {
            QTest::addRow("%s true", engine) << engineHost(engine) << u"true"_qs << true;
            QTest::addRow("%s unset", engine) << engineHost(engine) << QString() << false;
            QTest::addRow("%s invalid", engine) << engineHost(engine) << u"yes"_qs << false;
        }
    }
    void serviceLogs()
    {
        QFETCH(QString, host);
        QFETCH(QString, value);
        QFETCH(bool, enabled);
        REQUIRE_ENGINE(host);
        const auto threads = [] {
            return QDir(u"/proc/self/task"_qs).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size();
        };
        const qsizetype threadsBefore = threads();
        auto job = std::make_unique<Job>(host);
        if (!value.isNull())
            job->spec.variables.append({u"CI_DEBUG_SERVICES"_qs, value, false, false});
        ServiceSpec ticker;
        ticker.image.name = u"busybox:local"_qs;
        ticker.aliases = stagecraft::exec::serviceAliases(ticker.image.name, u"ticker"_qs);
        ticker.command = {u"sh"_qs, u"-c"_qs,
                          u"i=1; while :; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done"_qs};
        ServiceSpec once;
        once.image.name = u"busybox:local"_qs;
        once.aliases = stagecraft::exec::serviceAliases(once.image.name, u"once"_qs);
        once.command = {
            u"sh"_qs, u"-c"_qs,
            u"echo to stdout; echo to stderr >&2; sleep 0.3; printf 'no newline'; sleep 0.5; "
            "echo ' continued'; printf 'last words'"_qs};
        job->spec.services = {ticker, once};
        QVERIFY2(job->prepare(), qPrintable(job->prepareError));
        QCOMPARE(job->run("echo job start; sleep 2; echo job end\n"), 0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(job->cleanup());
        // The streams end with the job; they do not hold it up.
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed())));
        const QByteArray trace = job->output;
        QByteArray other;
        const QList<ServiceLine> lines = serviceLines(trace, &other);
        const QByteArray warning =
            "\x1b[0;33mWARNING: failed to parse value 'yes' for CI_DEBUG_SERVICES variable: "
            "strconv.ParseBool: parsing \"yes\": invalid syntax\x1b[0;m\n";
        QCOMPARE(trace.contains(warning), value == u"yes");
        if (!enabled) {
            QVERIFY2(!trace.contains("[service:"), trace.constData());
            QVERIFY(!trace.contains("tick 1"));
            return;
        }
        QVERIFY2(!other.contains("WARNING"), other.constData());
        QList<ServiceLine> ticks, onces;
        for (const ServiceLine &l : lines)
            (l.name == u"busybox-ticker" ? ticks : onces).append(l);
        // Every tick once, in order, with non-decreasing timestamps.
        QVERIFY2(ticks.size() >= 5, trace.constData());
        for (int i = 0; i < ticks.size(); ++i) {
            QCOMPARE(ticks.at(i).text, "tick " + QByteArray::number(i + 1));
            if (i > 0)
                QVERIFY(sortable(ticks.at(i - 1).timestamp) <= sortable(ticks.at(i).timestamp));
        }
        // Concurrently with the job's own output.
        const qsizetype start = trace.indexOf("job start\n");
        const qsizetype end = trace.indexOf("job end\n");
        QVERIFY(start >= 0 && end > start);
        QVERIFY2(serviceLines(trace.mid(start, end - start)).size() >= 3, trace.constData());
        // Both streams, whole lines; a partial line completed, a last one flushed at the end.
        QByteArrayList texts;
        for (const ServiceLine &l : onces) {
            QCOMPARE(l.name, u"busybox-once"_qs);
            texts << l.text;
        }
        std::sort(texts.begin(), texts.end());
        QCOMPARE(texts,
                 (QByteArrayList{"last words", "no newline continued", "to stderr", "to stdout"}));
        // Nothing comes after the job's end, and no thread is left.
        const qsizetype size = job->output.size();
        QTest::qWait(600);
        QCOMPARE(job->output.size(), size);
        job.reset();
        QTRY_VERIFY_WITH_TIMEOUT(threads() <= threadsBefore, 5000);
    }

    void privileged_data() { engines(); }
    void privileged()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.privileged = true;
        const bool ok = job.prepare();
        qInfo().noquote() << "privileged prepare:" << (ok ? u"ok"_qs : job.prepareError);
        if (!job.backend->client().isPodman()) {
            // Docker Engine on these machines cannot grant every capability: the job fails in
            // prepare with the engine's own message.
            QVERIFY(!ok);
            QVERIFY2(job.prepareError.startsWith(u"failed to start the job container: Error "_qs
                                                 "response from daemon: "),
                     qPrintable(job.prepareError));
            QVERIFY2(job.prepareError.contains(u"operation not permitted"_qs),
                     qPrintable(job.prepareError));
            return;
        }
        QVERIFY2(ok, qPrintable(job.prepareError));
        job.output.clear();
        QCOMPARE(job.run("mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && echo mounted\n"), 0);
        QCOMPARE(job.output, QByteArray("mounted\n"));
    }

    void unprivilegedMount_data() { engines(); }
    void unprivilegedMount()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QVERIFY(job.run("mkdir -p /mnt/t && mount -t tmpfs none /mnt/t\n") != 0);
    }

    // docker:user runs the job as another user; it still works in the project (GitLab Runner's
    // helper leaves the build folder writable with umask 0000), and what it makes comes back.
    void nonRootUser_data() { engines(); }
    void nonRootUser()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.image.user = u"1000:1000"_qs;
        job.spec.variables.append({u"SETTINGS"_qs, u"from a file variable\n"_qs, true, false});
        QDir().mkpath(job.workspace.filePath(u"src"_qs));
        QFile file(job.workspace.filePath(u"src/a.txt"_qs));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("before\n");
        file.close();
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        job.output.clear();
        const int code = job.run("echo \"$(id -u):$(id -g)\"\necho after > src/a.txt\n"
                                 "mkdir -p out && echo made > out/b.txt\ncat src/a.txt out/b.txt\n"
                                 "cat \"$SETTINGS\"\n");
        QVERIFY2(code == 0, job.output.constData());
        QCOMPARE(job.output, QByteArray("1000:1000\nafter\nmade\nfrom a file variable\n"));
        QVERIFY(job.collect());
        QFile back(job.workspace.filePath(u"out/b.txt"_qs));
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), QByteArray("made\n"));
    }

    void abortScript_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<int>("maxMs");
        for (const char *engine : {"docker", "podman"}) {
            // TERM ends the shell and its children.
            QTest::addRow("%s term", engine)
                << engineHost(engine)
                << QByteArray("echo started; sleep 60 & sleep 60; echo never\n") << 143 << 2500;
            // A script that ignores TERM is killed 3 s later.
            QTest::addRow("%s kill", engine)
                << engineHost(engine)
                << QByteArray("trap '' TERM; echo started; sleep 60 & sleep 60; echo never\n")
                << 137 << 6000;
        }
    }
    void abortScript()
    {
        QFETCH(QString, host);
        QFETCH(QByteArray, script);
        QFETCH(int, exitCode);
        QFETCH(int, maxMs);
        REQUIRE_ENGINE(host);
        Job job(host);
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        job.output.clear();
        QSignalSpy finished(job.env.get(), &JobEnvironment::scriptFinished);
        job.env->runScript(ScriptStep::Step, script);
        QTRY_VERIFY_WITH_TIMEOUT(job.output.contains("started"), 10000);
        QElapsedTimer timer;
        timer.start();
        job.env->abortScript();
        QVERIFY(finished.wait(20000));
        QVERIFY2(timer.elapsed() < maxMs, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(finished.first().at(0).toInt(), exitCode);
        QCOMPARE(job.output, QByteArray("started\n"));
        // The container is still there for after_script, and nothing of the script runs on.
        job.output.clear();
        QSignalSpy after(job.env.get(), &JobEnvironment::scriptFinished);
        job.env->runScript(ScriptStep::AfterScript, "ps | grep -c '[s]leep 60'; echo after\n");
        QVERIFY(after.wait(30000));
        QCOMPARE(job.output, QByteArray("0\nafter\n"));
    }

    // Also with the service's log followed (CI_DEBUG_SERVICES): its stream ends with the job.
    void cancelLeavesNothing_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("debugServices");
        for (const char *engine : {"docker", "podman"}) {
            QTest::addRow("%s", engine) << engineHost(engine) << false;
            QTest::addRow("%s CI_DEBUG_SERVICES", engine) << engineHost(engine) << true;
        }
    }
    void cancelLeavesNothing()
    {
        QFETCH(QString, host);
        QFETCH(bool, debugServices);
        REQUIRE_ENGINE(host);
        Job job(host);
        ServiceSpec svc;
        svc.image.name = QStringLiteral("busybox:local");
        svc.command = {u"sleep"_qs, u"600"_qs};
        if (debugServices)
            svc.command = {u"sh"_qs, u"-c"_qs, u"while :; do echo tick; sleep 0.1; done"_qs};
        svc.aliases = {u"svc"_qs};
        job.spec.services = {svc};
        job.spec.variables = {
            {u"DOCKER_TLS_CERTDIR"_qs, u"/certs"_qs, false, false}}; // a volume too
        if (debugServices)
            job.spec.variables.append({u"CI_DEBUG_SERVICES"_qs, u"true"_qs, false, false});
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QCOMPARE(leftOvers(job.backend->client(), job.spec.pipelineId), 4);
        QSignalSpy finished(job.env.get(), &JobEnvironment::scriptFinished);
        job.env->runScript(ScriptStep::Step, "echo started; sleep 60\n");
        QTRY_VERIFY_WITH_TIMEOUT(job.output.contains("started"), 10000);
        QElapsedTimer timer;
        timer.start();
        job.env->abortScript();
        QVERIFY(job.cleanup());
        QVERIFY(timer.elapsed() < 20000);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(leftOvers(job.backend->client(), job.spec.pipelineId), 0);
        QCOMPARE(job.output.contains("[service:svc] "), debugServices);
        const qsizetype size = job.output.size();
        QTest::qWait(500);
        QCOMPARE(job.output.size(), size);
    }

    void cancelDuringPrepare_data() { engines(); }
    void cancelDuringPrepare()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.settings.serviceTimeoutSeconds = 30;
        ServiceSpec dead;
        dead.image.name = QStringLiteral("busybox:local");
        dead.command = {u"sleep"_qs, u"600"_qs};
        dead.healthcheckPort = 9999;
        job.spec.services = {dead};
        job.create();
        QSignalSpy prepared(job.env.get(), &JobEnvironment::prepared);
        job.env->prepare();
        QTRY_VERIFY_WITH_TIMEOUT(job.output.contains("Waiting for services"), 30000);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(job.cleanup());
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(leftOvers(job.backend->client(), job.spec.pipelineId), 0);
    }

    // `services: [docker:dind]` as in GitLab's docs, with and without TLS: the job builds an
    // image from a Dockerfile (FROM scratch + a static busybox) and runs it.
    void dind_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("tls");
        // Podman only: Docker Engine cannot run privileged containers on these machines
        // ("unable to apply caps: operation not permitted"; `privileged` checks that message).
        QTest::addRow("podman plain") << engineHost("podman") << false;
        QTest::addRow("podman tls") << engineHost("podman") << true;
    }
    void dind()
    {
        QFETCH(QString, host);
        QFETCH(bool, tls);
        REQUIRE_ENGINE(host);
        const DockerClient client = clientFor(host);
        QVERIFY(client.isPodman());
        if (!client.call("GET", u"/images/docker:24-dind/json"_qs).ok())
            QSKIP("docker:24-dind is not loaded: run scripts/engines.sh up");
        Job job(host);
        job.spec.privileged = true;
        job.spec.image.name = u"docker:24-cli"_qs;
        ServiceSpec dindService;
        dindService.image.name = u"docker:24-dind"_qs;
        dindService.aliases = stagecraft::exec::serviceAliases(dindService.image.name);
        QList<JobVariable> variables;
        if (tls) {
            variables = {{u"DOCKER_HOST"_qs, u"tcp://docker:2376"_qs, false, false},
                         {u"DOCKER_TLS_CERTDIR"_qs, u"/certs"_qs, false, false},
                         {u"DOCKER_TLS_VERIFY"_qs, u"1"_qs, false, false},
                         {u"DOCKER_CERT_PATH"_qs, u"/certs/client"_qs, false, false}};
            dindService.healthcheckPort = 2376; // HEALTHCHECK_TCP_PORT, as GitLab's docs say
        } else {
            // No HEALTHCHECK_TCP_PORT: the image's lowest EXPOSEd port, 2375.
            variables = {{u"DOCKER_HOST"_qs, u"tcp://docker:2375"_qs, false, false},
                         {u"DOCKER_TLS_CERTDIR"_qs, QString(), false, false}};
        }
        dindService.variables = variables;
        job.spec.variables = variables;
        job.spec.services = {dindService};
        QVERIFY(QFile::copy(u"/bin/busybox"_qs, job.workspace.filePath(u"busybox"_qs)));
        QFile dockerfile(job.workspace.filePath(u"Dockerfile"_qs));
        QVERIFY(dockerfile.open(QIODevice::WriteOnly));
        dockerfile.write("FROM scratch\nCOPY busybox /bin/busybox\n"
                         "ENTRYPOINT [\"/bin/busybox\", \"echo\"]\n"
                         "CMD [\"hello from the inner container\"]\n");
        dockerfile.close();
        QElapsedTimer timer;
        timer.start();
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        const qint64 prepared = timer.elapsed();
        QVERIFY2(!job.output.contains("WARNING"), job.output.constData());
        job.output.clear();
        timer.restart();
        const QByteArray certs = tls ? "ls /certs/client\n" : "";
        QCOMPARE(job.run(certs + "docker build -q -t stagecraft-inner:1 . >/dev/null\n"
                                 "docker run --rm stagecraft-inner:1\n",
                         180000),
                 0);
        qInfo("dind %s: prepare %lld ms (services answering), build and run %lld ms",
              tls ? "tls" : "plain", prepared, timer.elapsed());
        QCOMPARE(job.output, QByteArray(tls ? "ca.pem\ncert.pem\ncsr.pem\nkey.pem\nopenssl.cnf\n"
                                              "hello from the inner container\n"
                                            : "hello from the inner container\n"));
        QVERIFY(job.collect());
    }

    // A remote engine over TCP with TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH): the dockerd of a
    // docker:dind container on Podman. The HTTP layer's TLS errors, then a job without bind
    // mounts: the project is uploaded and downloaded back through the archive API.
    void remoteTlsEngine()
    {
        const QString host = engineHost("podman");
        REQUIRE_ENGINE(host);
        const DockerClient podman = clientFor(host);
        if (!podman.call("GET", u"/images/docker:24-dind/json"_qs).ok())
            QSKIP("docker:24-dind is not loaded: run scripts/engines.sh up");
        const QString pipeline =
            QStringLiteral("remote%1").arg(QRandomGenerator::global()->generate() % 100000);
        const QJsonObject labels{{u"com.stagecraft.managed"_qs, u"true"_qs},
                                 {u"com.stagecraft.pipeline"_qs, pipeline},
                                 {u"com.stagecraft.job"_qs, u"0"_qs},
                                 {u"com.stagecraft.owner"_qs, DockerBackend::ownerLabel()}};
        const QString name = u"stagecraft-"_qs + pipeline;
        struct Remove
        {
            const DockerClient &client;
            QString name;
            ~Remove()
            {
                client.call("DELETE", u"/containers/"_qs + name + u"-dind?force=true&v=true"_qs);
                client.call("DELETE", u"/networks/"_qs + name);
            }
        } remove{podman, name};
        const auto post = [&](const QString &path, const QJsonObject &body) {
            return podman.call("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
        };
        QVERIFY(
            post(u"/networks/create"_qs, QJsonObject{{u"Name"_qs, name}, {u"Labels"_qs, labels}})
                .ok());
        QVERIFY(post(u"/containers/create?name="_qs + name + u"-dind"_qs,
                     QJsonObject{{u"Image"_qs, u"docker:24-dind"_qs},
                                 {u"Env"_qs, QJsonArray{u"DOCKER_TLS_CERTDIR=/certs"_qs}},
                                 {u"Labels"_qs, labels},
                                 {u"HostConfig"_qs, QJsonObject{{u"Privileged"_qs, true},
                                                                {u"NetworkMode"_qs, name}}}})
                    .ok());
        QVERIFY(post(u"/containers/"_qs + name + u"-dind/start"_qs, {}).ok());
        const QString ip = podman.call("GET", u"/containers/"_qs + name + u"-dind/json"_qs)
                               .json()
                               .object()
                               .value(u"NetworkSettings"_qs)
                               .toObject()
                               .value(u"Networks"_qs)
                               .toObject()
                               .value(name)
                               .toObject()
                               .value(u"IPAddress"_qs)
                               .toString();
        QVERIFY(!ip.isEmpty());
        const QString remoteHost = u"tcp://"_qs + ip + u":2376"_qs;

        // The client certificates, once dockerd answers (it listens after writing them).
        QTemporaryDir certs;
        DockerEndpoint tls;
        tls.host = remoteHost;
        tls.tlsVerify = true;
        tls.certPath = certs.path();
        DockerClient remote(tls);
        QString error;
        QElapsedTimer timer;
        timer.start();
        bool answered = false;
        while (!answered && timer.elapsed() < 30000) {
            const auto archive = podman.call("GET", u"/containers/"_qs + name +
                                                        u"-dind/archive?path=/certs/client/."_qs);
            if (archive.ok() && untar(archive.body, certs.path()) >= 3)
                answered = remote.negotiate(&error);
            if (!answered)
                QTest::qWait(200);
        }
        QVERIFY2(answered, qPrintable(error));
        QVERIFY2(remote.serverVersion().startsWith(u"20.10"_qs),
                 qPrintable(remote.serverVersion()));
        qInfo("dind over TLS answering after %lld ms", timer.elapsed());

        // Plain HTTP to the TLS port: the engine's own answer.
        DockerEndpoint plain;
        plain.host = remoteHost;
        DockerClient plainClient(plain);
        QVERIFY(!plainClient.negotiate(&error));
        QCOMPARE(error,
                 u"Error response from daemon: Client sent an HTTP request to an HTTPS server."_qs);
        // A CA that did not sign the server's certificate.
        QTemporaryDir wrongCa;
        QVERIFY(QFile::copy(certs.filePath(u"cert.pem"_qs), wrongCa.filePath(u"ca.pem"_qs)));
        QVERIFY(QFile::copy(certs.filePath(u"cert.pem"_qs), wrongCa.filePath(u"cert.pem"_qs)));
        QVERIFY(QFile::copy(certs.filePath(u"key.pem"_qs), wrongCa.filePath(u"key.pem"_qs)));
        DockerEndpoint wrong = tls;
        wrong.certPath = wrongCa.path();
        QVERIFY(!DockerClient(wrong).negotiate(&error));
        QVERIFY2(error.startsWith(u"Cannot connect to the Docker daemon at "_qs + remoteHost +
                                  u": SSL certificate problem: "_qs),
                 qPrintable(error));
        QVERIFY(error.endsWith(u". Is the docker daemon running?"_qs));

        // The inner engine has no images: load busybox (the engines.sh cache) as busybox:latest.
        QFile busybox(QDir::homePath() + u"/.cache/stagecraft/test-images/busybox.tar"_qs);
        if (!busybox.open(QIODevice::ReadOnly))
            QSKIP("no busybox.tar in ~/.cache/stagecraft/test-images: run scripts/engines.sh up");
        const auto imported = remote.call("POST",
                                          u"/images/create?fromSrc=-&repo=busybox&tag=latest"
                                          "&changes=CMD%20%5B%22sh%22%5D"_qs,
                                          busybox.readAll(), "application/x-tar");
        QVERIFY2(imported.ok(), qPrintable(remote.errorText(imported)));

        Job job(remoteHost);
        job.settings.helperImage = u"busybox:latest"_qs;
        job.spec.image.name = QString(); // the default image, busybox:latest
        QFile source(job.workspace.filePath(u"source.txt"_qs));
        QVERIFY(source.open(QIODevice::WriteOnly));
        source.write("from the host\n");
        source.close();
        // TLS as the docker CLI takes it: from the environment.
        qputenv("DOCKER_TLS_VERIFY", "1");
        qputenv("DOCKER_CERT_PATH", QFile::encodeName(certs.path()));
        job.create();
        qunsetenv("DOCKER_TLS_VERIFY");
        qunsetenv("DOCKER_CERT_PATH");
        QVERIFY(!job.env->bindsWorkspace());
        QCOMPARE(job.env->enterCommand(), QStringLiteral("docker -H %1 exec -it %2 sh")
                                              .arg(remoteHost, job.env->containerName()));
        const bool prepared = job.prepare();
        QVERIFY2(prepared, qPrintable(job.prepareError));
        QVERIFY(job.output.contains("Using Docker executor with image busybox:latest ..."));
        job.output.clear();
        QCOMPARE(job.run("cat source.txt; mkdir -p out && echo built > out/file; rm source.txt\n"),
                 0);
        QCOMPARE(job.output, QByteArray("from the host\n"));
        QVERIFY(job.collect());
        QVERIFY(!QFile::exists(job.workspace.filePath(u"source.txt"_qs)));
        QFile built(job.workspace.filePath(u"out/file"_qs));
        QVERIFY(built.open(QIODevice::ReadOnly));
        QCOMPARE(built.readAll(), QByteArray("built\n"));
        QVERIFY(job.cleanup());
        QCOMPARE(leftOvers(job.backend->client(), job.spec.pipelineId), 0);
        job.env.reset();
    }

    // The whole chain: stagecraft-cli run --executor docker (the backend factory, the engine),
    // a service reached by its `alias:`, artifacts taken from the container's project folder.
    void cliRun_data() { engines(); }
    void cliRun()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        CliProject project("variables:\n"
                           "  GREETING: hello\n"
                           "web:\n"
                           "  image: busybox:local\n"
                           "  services:\n"
                           "    - name: busybox:local\n"
                           "      alias: web\n"
                           "      entrypoint: [\"sh\", \"-c\"]\n"
                           "      command: [\"mkdir -p /www && echo \\\"$GREETING from the "
                           "service\\\" > /www/index.html && exec httpd -f -p 8080 -h /www\"]\n"
                           "      variables:\n"
                           "        HEALTHCHECK_TCP_PORT: \"8080\"\n"
                           "  script:\n"
                           "    - wget -qO- http://web:8080/\n"
                           "    - echo built > out.txt\n"
                           "  artifacts:\n"
                           "    paths: [out.txt]\n"
                           "fails:\n"
                           "  image: busybox:local\n"
                           "  script:\n"
                           "    - echo about to fail\n"
                           "    - exit 4\n");
        QElapsedTimer timer;
        timer.start();
        const CliResult r = project.run(host, {});
        qInfo("two jobs (one with a service) through stagecraft-cli: %lld ms", timer.elapsed());
        QVERIFY2(r.code == 1, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"web   > hello from the service\n"_qs), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"fails ERROR: Job failed: exit code 4\n"_qs), qPrintable(r.out));
        QVERIFY(project.log(1, 1).contains("Waiting for services to be up and running (timeout 30 "
                                           "seconds)...\n"));
        QVERIFY(!project.log(1, 1).contains("WARNING"));
        QFile artifact(project.dir.filePath(u"data/pipelines/1/artifacts/1/out.txt"_qs));
        QVERIFY(artifact.open(QIODevice::ReadOnly));
        QCOMPARE(artifact.readAll(), QByteArray("built\n"));
        QCOMPARE(leftOvers(clientFor(host), u"1"_qs), 0);
    }

    // CI_DEBUG_SERVICES through the whole way: the engine passes it, the service's lines reach
    // the job's log, masked like the rest of it.
    void cliServiceLogs_data() { engines(); }
    void cliServiceLogs()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        CliProject project("variables:\n"
                           "  CI_DEBUG_SERVICES: \"true\"\n"
                           "job:\n"
                           "  image: busybox:local\n"
                           "  services:\n"
                           "    - name: busybox:local\n"
                           "      alias: db\n"
                           "      entrypoint: [\"sh\", \"-c\"]\n"
                           "      command: [\"echo \\\"password: $DB_PASSWORD\\\"; sleep 600\"]\n"
                           "  script:\n"
                           "    - sleep 1\n"
                           "    - echo done\n");
        const QString vars = project.dir.filePath(u"vars.yml"_qs);
        QFile f(vars);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("DB_PASSWORD:\n  value: s3cr3t-db-password\n  masked: true\n");
        f.close();
        const CliResult r = project.run(host, {u"--variables-file"_qs, vars});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        const QByteArray log = project.log(1, 1);
        const QList<ServiceLine> lines = serviceLines(log);
        QVERIFY2(lines.size() == 1, log.constData());
        QCOMPARE(lines.first().name, u"busybox-db"_qs);
        QCOMPARE(lines.first().text, QByteArray("password: [MASKED]"));
        QVERIFY(!log.contains("s3cr3t"));
        QVERIFY(!r.out.contains(u"s3cr3t"_qs));
        QCOMPARE(leftOvers(clientFor(host), u"1"_qs), 0);
    }

    // Ctrl+C in stagecraft-cli while a docker job's script runs: the job is canceled and its
    // containers, network and volume are gone when the command returns.
    void cliInterrupt_data() { engines(); }
    void cliInterrupt()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        CliProject project("sleeper:\n"
                           "  image: busybox:local\n"
                           "  services:\n"
                           "    - name: busybox:local\n"
                           "      command: [\"sleep\", \"600\"]\n"
                           "  variables:\n"
                           "    DOCKER_TLS_CERTDIR: /certs\n"
                           "  script:\n"
                           "    - echo sleeping\n"
                           "    - sleep 600\n");
        QProcess p;
        p.setWorkingDirectory(project.root);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_qs, project.dir.filePath(u"home"_qs));
        env.insert(u"DOCKER_HOST"_qs, host);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(STAGECRAFT_CLI_PATH),
                {u"run"_qs, u"--executor"_qs, u"docker"_qs, u"--data-dir"_qs,
                 project.dir.filePath(u"data"_qs)});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("> sleeping"), 60000);
        const QString owner = QHostInfo::localHostName() + u':' + QString::number(p.processId());
        const DockerClient client = clientFor(host);
        const auto owned = [&] {
            const QJsonObject f{
                {u"label"_qs, QJsonArray{QString(u"com.stagecraft.owner="_qs + owner)}}};
            const QString q = DockerClient::encode(
                QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
            return client.call("GET", u"/containers/json?all=true&filters="_qs + q)
                       .json()
                       .array()
                       .size() +
                   client.call("GET", u"/networks?filters="_qs + q).json().array().size() +
                   client.call("GET", u"/volumes?filters="_qs + q)
                       .json()
                       .object()
                       .value(u"Volumes"_qs)
                       .toArray()
                       .size();
        };
        QCOMPARE(owned(), 4); // job, service, network, certificates volume
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        qInfo("canceled and cleaned up in %lld ms", timer.elapsed());
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(out.contains("sleeper ERROR: Job failed: canceled\n"), out.constData());
        QCOMPARE(owned(), 0);
    }

    // --keep-failed: the CLI prints the enter command; the next run's sweep leaves the kept
    // environment alone (its process is gone, but the user may still be inside).
    void cliKeepFailed_data() { engines(); }
    void cliKeepFailed()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        CliProject project("fails:\n"
                           "  image: busybox:local\n"
                           "  script:\n"
                           "    - echo state > /tmp/state\n"
                           "    - exit 2\n");
        const CliResult first = project.run(host, {u"--keep-failed"_qs});
        QCOMPARE(first.code, 1);
        static const QRegularExpression enter(
            u"fails: environment kept, enter it with: docker -H (\\S+) exec -it "
            "(stagecraft-1-1-([0-9a-f]{6})-build) sh\n"_qs);
        const QRegularExpressionMatch m = enter.match(first.out);
        QVERIFY2(m.hasMatch(), qPrintable(first.out));
        QCOMPARE(m.captured(1), host);
        const QString container = m.captured(2);
        const DockerClient client = clientFor(host);
        struct Remove
        {
            const DockerClient &client;
            QString instance;
            ~Remove()
            {
                const QJsonObject f{
                    {u"label"_qs, QJsonArray{QString(u"com.stagecraft.instance="_qs + instance)}}};
                const QString q = DockerClient::encode(
                    QString::fromUtf8(QJsonDocument(f).toJson(QJsonDocument::Compact)));
                for (const QJsonValue &c :
                     client.call("GET", u"/containers/json?all=true&filters="_qs + q)
                         .json()
                         .array())
                    client.call("DELETE", u"/containers/"_qs +
                                              c.toObject().value(u"Id"_qs).toString() +
                                              u"?force=true"_qs);
                for (const QJsonValue &n :
                     client.call("GET", u"/networks?filters="_qs + q).json().array())
                    client.call("DELETE",
                                u"/networks/"_qs + n.toObject().value(u"Id"_qs).toString());
                for (const QJsonValue &v : client.call("GET", u"/volumes?filters="_qs + q)
                                               .json()
                                               .object()
                                               .value(u"Volumes"_qs)
                                               .toArray())
                    client.call("DELETE",
                                u"/volumes/"_qs + v.toObject().value(u"Name"_qs).toString());
            }
        } remove{client, m.captured(3)};
        // Another run (another process: it sweeps left-overs first).
        CliProject other("passes:\n  image: busybox:local\n  script: [\"true\"]\n");
        QCOMPARE(other.run(host, {}).code, 0);
        const auto created =
            client.call("POST", u"/containers/"_qs + container + u"/exec"_qs,
                        R"({"AttachStdout":true,"AttachStderr":true,"Cmd":["cat","/tmp/state"]})");
        QVERIFY2(created.ok(), qPrintable(client.errorText(created)));
        QByteArray out;
        StreamDemuxer demux([&out](int, const QByteArray &p) { out.append(p); });
        QVERIFY(client
                    .stream("POST",
                            u"/exec/"_qs + created.json().object().value(u"Id"_qs).toString() +
                                u"/start"_qs,
                            R"({"Detach":false,"Tty":false})",
                            [&demux](const QByteArray &b) {
                                demux.feed(b);
                                return true;
                            })
                    .ok());
        QCOMPARE(out, QByteArray("state\n"));
    }

    // A `.gitlab-ci.yml` as GitLab's docs write it for Docker-in-Docker with TLS, offline: the
    // names are the local stand-ins engines.sh tags (Podman only: privileged).
    void cliDind()
    {
        const QString host = engineHost("podman");
        REQUIRE_ENGINE(host);
        if (!clientFor(host).call("GET", u"/images/docker:24-dind/json"_qs).ok())
            QSKIP("docker:24-dind is not loaded: run scripts/engines.sh up");
        QFile busybox(u"/bin/busybox"_qs);
        QVERIFY(busybox.open(QIODevice::ReadOnly));
        CliProject project("build:\n"
                           "  image: docker:24-cli\n"
                           "  services:\n"
                           "    - docker:24-dind\n"
                           "  variables:\n"
                           "    DOCKER_HOST: tcp://docker:2376\n"
                           "    DOCKER_TLS_CERTDIR: \"/certs\"\n"
                           "    DOCKER_TLS_VERIFY: 1\n"
                           "    DOCKER_CERT_PATH: \"$DOCKER_TLS_CERTDIR/client\"\n"
                           "  script:\n"
                           "    - chmod +x busybox\n"
                           "    - docker build -t stagecraft-inner:1 .\n"
                           "    - docker run --rm stagecraft-inner:1\n",
                           {{u"Dockerfile"_qs, "FROM scratch\nCOPY busybox /bin/busybox\n"
                                               "ENTRYPOINT [\"/bin/busybox\", \"echo\"]\n"
                                               "CMD [\"built and run inside docker:dind\"]\n"},
                            {u"busybox"_qs, busybox.readAll()}});
        QElapsedTimer timer;
        timer.start();
        const CliResult r = project.run(host, {u"--privileged"_qs});
        qInfo("docker:dind job with TLS through stagecraft-cli: %lld ms", timer.elapsed());
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"build > built and run inside docker:dind\n"_qs),
                 qPrintable(r.out));
        QVERIFY2(!project.log(1, 1).contains("WARNING"), project.log(1, 1).constData());
    }

    void sweep_data() { engines(); }
    void sweep()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        const DockerClient client = clientFor(host);
        const QString pipeline =
            QStringLiteral("sweep%1").arg(QRandomGenerator::global()->generate() % 100000);
        const auto labelsFor = [&](const QString &owner) {
            return QJsonObject{{u"com.stagecraft.managed"_qs, u"true"_qs},
                               {u"com.stagecraft.pipeline"_qs, pipeline},
                               {u"com.stagecraft.job"_qs, u"1"_qs},
                               {u"com.stagecraft.owner"_qs, owner}};
        };
        // A process that no longer runs: pid_max is at most 2^22.
        const QString dead = QHostInfo::localHostName() + u":99999999"_qs;
        const QString alive = DockerBackend::ownerLabel();
        const auto post = [&](const QString &path, const QJsonObject &body) {
            return client.call(QByteArray("POST"), path,
                               QJsonDocument(body).toJson(QJsonDocument::Compact));
        };
        QVERIFY(post(u"/networks/create"_qs,
                     QJsonObject{{u"Name"_qs, QString(u"stagecraft-"_qs + pipeline)},
                                 {u"Labels"_qs, labelsFor(dead)}})
                    .ok());
        QVERIFY(post(u"/volumes/create"_qs,
                     QJsonObject{{u"Name"_qs, QString(u"stagecraft-"_qs + pipeline + u"-v"_qs)},
                                 {u"Labels"_qs, labelsFor(dead)}})
                    .ok());
        QVERIFY(post(u"/containers/create?name=stagecraft-"_qs + pipeline + u"-dead"_qs,
                     {{u"Image"_qs, u"busybox:local"_qs},
                      {u"Cmd"_qs, QJsonArray{u"true"_qs}},
                      {u"Labels"_qs, labelsFor(dead)}})
                    .ok());
        QVERIFY(post(u"/containers/create?name=stagecraft-"_qs + pipeline + u"-alive"_qs,
                     {{u"Image"_qs, u"busybox:local"_qs},
                      {u"Cmd"_qs, QJsonArray{u"true"_qs}},
                      {u"Labels"_qs, labelsFor(alive)}})
                    .ok());
        // Kept for debugging (--keep-failed) an hour ago, and two days ago.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        for (const auto &[name, age] : {std::pair{"recent", 3600}, std::pair{"old", 2 * 86400}}) {
            const QString instance = pipeline + QLatin1String(name);
            QJsonObject labels = labelsFor(dead);
            labels.insert(u"com.stagecraft.instance"_qs, instance);
            QVERIFY(post(u"/containers/create?name=stagecraft-"_qs + instance + u"-build"_qs,
                         {{u"Image"_qs, u"busybox:local"_qs},
                          {u"Cmd"_qs, QJsonArray{u"true"_qs}},
                          {u"Labels"_qs, labels}})
                        .ok());
            labels.insert(u"com.stagecraft.kept"_qs, QString::number(now - age));
            QVERIFY(
                post(u"/volumes/create"_qs,
                     QJsonObject{{u"Name"_qs, QString(u"stagecraft-"_qs + instance + u"-kept"_qs)},
                                 {u"Labels"_qs, labels}})
                    .ok());
        }
        QCOMPARE(leftOvers(client, pipeline), 8);
        DockerSettings settings;
        settings.host = host;
        DockerBackend backend(settings);
        QString error;
        QVERIFY2(backend.initialize(&error), qPrintable(error));
        QCOMPARE(leftOvers(client, pipeline), 3); // ours, and the environment kept an hour ago
        QCOMPARE(backend.sweep(), 0);
        client.call("DELETE", u"/containers/stagecraft-"_qs + pipeline + u"-alive?force=true"_qs);
        client.call("DELETE",
                    u"/containers/stagecraft-"_qs + pipeline + u"recent-build?force=true"_qs);
        client.call("DELETE", u"/volumes/stagecraft-"_qs + pipeline + u"recent-kept"_qs);
        QCOMPARE(leftOvers(client, pipeline), 0);
    }

    void keepOnFailure_data() { engines(); }
    void keepOnFailure()
    {
        QFETCH(QString, host);
        REQUIRE_ENGINE(host);
        Job job(host);
        job.spec.keepOnFailure = true;
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QCOMPARE(job.run("echo kept > /tmp/state; exit 1\n"), 1);
        QVERIFY(job.cleanup(true));
        const QString name = job.env->containerName();
        QCOMPARE(job.env->enterCommand(),
                 QStringLiteral("docker -H %1 exec -it %2 sh").arg(host, name));
        // What `docker exec` does, through the API: the kept container still answers.
        const DockerClient client = clientFor(host);
        QCOMPARE(leftOvers(client, job.spec.pipelineId), 3); // container, network, marker
        const auto created = client.call(
            "POST", u"/containers/"_qs + name + u"/exec"_qs,
            "{\"AttachStdout\":true,\"AttachStderr\":true,\"Cmd\":[\"cat\",\"/tmp/state\"]}");
        QVERIFY(created.ok());
        QByteArray out;
        StreamDemuxer demux([&out](int, const QByteArray &p) { out.append(p); });
        const auto started = client.stream(
            "POST", u"/exec/"_qs + created.json().object().value(u"Id").toString() + u"/start"_qs,
            "{\"Detach\":false,\"Tty\":false}", [&demux](const QByteArray &b) {
                demux.feed(b);
                return true;
            });
        QVERIFY(started.ok());
        QCOMPARE(out, QByteArray("kept\n"));
        QVERIFY(job.cleanup());
        QCOMPARE(leftOvers(client, job.spec.pipelineId), 0);
    }

    void nothingRootOwned_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("withoutChown");
        for (const char *engine : {"docker", "podman"}) {
            QTest::addRow("%s", engine) << engineHost(engine) << false;
            // An image without chown: the helper image gives the files back.
            QTest::addRow("%s no chown in the image", engine) << engineHost(engine) << true;
        }
    }
    void nothingRootOwned()
    {
        QFETCH(QString, host);
        QFETCH(bool, withoutChown);
        REQUIRE_ENGINE(host);
        Job job(host);
        // The invoking user, as seen by the files: the workspace's owner.
        QVERIFY(::chown(QFile::encodeName(job.workspace.path()).constData(), 4242, 4243) == 0);
        QFile f(job.workspace.filePath(u"source.txt"_qs));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("source\n");
        f.close();
        QVERIFY(::chown(QFile::encodeName(f.fileName()).constData(), 4242, 4243) == 0);
        QVERIFY2(job.prepare(), qPrintable(job.prepareError));
        QCOMPARE(job.run("cat source.txt; mkdir -p out/deep && echo built > out/deep/file && "
                         "ln -s deep out/link\n"),
                 0);
        if (withoutChown)
            QCOMPARE(job.run("rm /bin/chown\n"), 0);
        QVERIFY(job.collect());
        QCOMPARE(job.output.right(7), QByteArray("source\n"));
        QDirIterator it(job.workspace.path(),
                        QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System,
                        QDirIterator::Subdirectories);
        int count = 0;
        while (it.hasNext()) {
            const QString path = it.next();
            struct stat st;
            QVERIFY(::lstat(QFile::encodeName(path).constData(), &st) == 0);
            QVERIFY2(st.st_uid == 4242 && st.st_gid == 4243, qPrintable(path));
            ++count;
        }
        QCOMPARE(count, 5);
        QFile built(job.workspace.filePath(u"out/deep/file"_qs));
        QVERIFY(built.open(QIODevice::ReadOnly));
        QCOMPARE(built.readAll(), QByteArray("built\n"));
    }
};

QTEST_GUILESS_MAIN(TestDocker)
#include "tst_docker.moc"
