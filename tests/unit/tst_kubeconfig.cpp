// kubeconfig files as Minikube, MicroK8s and kubectl write them: merging, certificates and keys
// from files and embedded data, tokens, exec credential plugins, and errors with positions.
#include "exec/kube/kubeconfig.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSslKey>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stagecraft::exec::kube;
using namespace Qt::StringLiterals;

namespace {

bool runOpenssl(const QStringList &args, QString *error)
{
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        *error = QString::fromUtf8(p.readAllStandardError());
        return false;
    }
    return true;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(data);
}

QString toStr(const char *text)
{
    return QString::fromUtf8(text);
}
QString toStr(const QString &text)
{
    return text;
}
template <typename... T> QStringList sl(const T &...items)
{
    return {toStr(items)...};
}

QByteArray b64(const QByteArray &data)
{
    return data.toBase64();
}

} // namespace

class TestKubeconfig : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_certs; // folder with ca.crt, rsa.crt/key, ec.crt/key

    QString path(const QString &name) const { return m_dir.filePath(name); }

    KubeConfig loadOk(const QStringList &files)
    {
        QString error;
        const auto config = KubeConfig::load(files, &error);
        [&] { QVERIFY2(config.has_value(), qPrintable(error)); }();
        return config.value_or(KubeConfig());
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl is missing: it makes the test certificates");
        QVERIFY(m_dir.isValid());
        m_certs = path(QStringLiteral("certs"));
        QDir().mkpath(m_certs);
        QString error;
        const QString c = m_certs;
        QVERIFY2(runOpenssl(sl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                               c + u"/ca.key", "-out", c + u"/ca.crt", "-days", "2", "-subj",
                               "/CN=minikubeCA"),
                            &error),
                 qPrintable(error));
        // PKCS#1 RSA ("BEGIN RSA PRIVATE KEY") as Minikube writes it.
        QVERIFY2(runOpenssl(sl("genrsa", "-traditional", "-out", c + u"/rsa.key", "2048"), &error),
                 qPrintable(error));
        QVERIFY2(
            runOpenssl(sl("req", "-new", "-x509", "-key", c + u"/rsa.key", "-out", c + u"/rsa.crt",
                          "-days", "2", "-subj", "/O=system:masters/CN=minikube-user"),
                       &error),
            qPrintable(error));
        QVERIFY2(runOpenssl(sl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out",
                               c + u"/ec.key"),
                            &error),
                 qPrintable(error));
        QVERIFY2(runOpenssl(sl("req", "-new", "-x509", "-key", c + u"/ec.key", "-out",
                               c + u"/ec.crt", "-days", "2", "-subj", "/CN=admin"),
                            &error),
                 qPrintable(error));
        // PKCS#8 ("BEGIN PRIVATE KEY"): the header does not say the algorithm.
        QVERIFY2(runOpenssl(sl("pkcs8", "-topk8", "-nocrypt", "-in", c + u"/ec.key", "-out",
                               c + u"/ec8.key"),
                            &error),
                 qPrintable(error));
    }

    void minikubeWithPaths()
    {
        // `minikube start` (docker driver): absolute paths into ~/.minikube, provider extension.
        const QString home = path(QStringLiteral("home"));
        QDir().mkpath(home + u"/.minikube/profiles/minikube");
        QFile::copy(m_certs + u"/ca.crt", home + u"/.minikube/ca.crt");
        QFile::copy(m_certs + u"/rsa.crt", home + u"/.minikube/profiles/minikube/client.crt");
        QFile::copy(m_certs + u"/rsa.key", home + u"/.minikube/profiles/minikube/client.key");
        const QString file = home + u"/.kube/config";
        writeFile(file,
                  QStringLiteral("apiVersion: v1\n"
                                 "clusters:\n"
                                 "- cluster:\n"
                                 "    certificate-authority: %1/.minikube/ca.crt\n"
                                 "    extensions:\n"
                                 "    - extension:\n"
                                 "        last-update: Sat, 28 Nov 2026 10:00:00 UTC\n"
                                 "        provider: minikube.sigs.k8s.io\n"
                                 "        version: v1.32.0\n"
                                 "      name: cluster_info\n"
                                 "    server: https://192.168.49.2:8443\n"
                                 "  name: minikube\n"
                                 "contexts:\n"
                                 "- context:\n"
                                 "    cluster: minikube\n"
                                 "    namespace: default\n"
                                 "    user: minikube\n"
                                 "  name: minikube\n"
                                 "current-context: minikube\n"
                                 "kind: Config\n"
                                 "preferences: {}\n"
                                 "users:\n"
                                 "- name: minikube\n"
                                 "  user:\n"
                                 "    client-certificate: "
                                 "%1/.minikube/profiles/minikube/client.crt\n"
                                 "    client-key: %1/.minikube/profiles/minikube/client.key\n")
                      .arg(home)
                      .toUtf8());
        const KubeConfig config = loadOk({file});
        QCOMPARE(config.currentContext(), QStringLiteral("minikube"));
        QCOMPARE(config.kind(QStringLiteral("minikube")), ClusterKind::Minikube);
        QString error;
        const auto c = config.connection({}, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->server.toString(), QStringLiteral("https://192.168.49.2:8443"));
        QCOMPARE(c->nameSpace, QStringLiteral("default"));
        QCOMPARE(c->kind, ClusterKind::Minikube);
        QCOMPARE(c->ssl.caCertificates().size(), 1);
        QCOMPARE(c->ssl.caCertificates().first().subjectInfo(QSslCertificate::CommonName),
                 QStringList{QStringLiteral("minikubeCA")});
        QCOMPARE(c->ssl.localCertificate().subjectInfo(QSslCertificate::CommonName),
                 QStringList{QStringLiteral("minikube-user")});
        QCOMPARE(c->ssl.privateKey().algorithm(), QSsl::Rsa);
        QCOMPARE(c->ssl.peerVerifyMode(), QSslSocket::VerifyPeer);
        QVERIFY(c->token.isEmpty());
        const auto infos = config.contextInfos();
        QCOMPARE(infos.size(), 1);
        QCOMPARE(infos.first().displayName(),
                 QStringLiteral("minikube (Minikube, https://192.168.49.2:8443)"));
        QVERIFY(infos.first().current);
    }

    void relativePathsAgainstTheFile()
    {
        const QString dir = path(QStringLiteral("rel/conf"));
        QDir().mkpath(dir + u"/pki");
        QFile::copy(m_certs + u"/ca.crt", dir + u"/pki/ca.crt");
        QFile::copy(m_certs + u"/ec.crt", dir + u"/pki/user.crt");
        QFile::copy(m_certs + u"/ec8.key", dir + u"/pki/user.key");
        writeFile(dir + u"/token", "s3cr3t-token\n");
        writeFile(dir + u"/config", "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                    "clusters:\n- name: k\n  cluster:\n"
                                    "    server: https://10.0.0.1:6443\n"
                                    "    certificate-authority: pki/ca.crt\n"
                                    "users:\n- name: u\n  user:\n"
                                    "    client-certificate: pki/user.crt\n"
                                    "    client-key: ./pki/user.key\n"
                                    "    tokenFile: token\n"
                                    "contexts:\n- name: c\n  context: {cluster: k, user: u, "
                                    "namespace: ci}\n");
        // Loaded from another working directory: the paths follow the file, not the cwd.
        const KubeConfig config = loadOk({dir + u"/config"});
        QCOMPARE(config.user(QStringLiteral("u"))->clientKey, dir + u"/pki/user.key");
        QCOMPARE(config.user(QStringLiteral("u"))->tokenFile, dir + u"/token");
        QString error;
        const auto c = config.connection(QStringLiteral("c"), &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->nameSpace, QStringLiteral("ci"));
        QCOMPARE(c->token, QStringLiteral("s3cr3t-token"));
        QCOMPARE(c->ssl.privateKey().algorithm(), QSsl::Ec); // PKCS#8 EC key
        QCOMPARE(c->kind, ClusterKind::Other);
    }

    void embeddedData_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("algorithm");
        QTest::newRow("rsa (minikube --embed-certs)") << "rsa.crt"
                                                      << "rsa.key" << int(QSsl::Rsa);
        QTest::newRow("ec (SEC1)") << "ec.crt"
                                   << "ec.key" << int(QSsl::Ec);
        QTest::newRow("ec (PKCS#8)") << "ec.crt"
                                     << "ec8.key" << int(QSsl::Ec);
    }
    void embeddedData()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(int, algorithm);
        const QString file = path(QStringLiteral("embedded-%1").arg(key));
        writeFile(file, "apiVersion: v1\nkind: Config\ncurrent-context: minikube\n"
                        "clusters:\n- name: minikube\n  cluster:\n"
                        "    server: https://127.0.0.1:32771\n"
                        "    certificate-authority-data: " +
                            b64(readAll(m_certs + u"/ca.crt")) +
                            "\n"
                            "users:\n- name: minikube\n  user:\n"
                            "    client-certificate-data: " +
                            b64(readAll(m_certs + u'/' + cert)) +
                            "\n"
                            "    client-key-data: " +
                            b64(readAll(m_certs + u'/' + key)) +
                            "\n"
                            "contexts:\n- name: minikube\n  context: {cluster: minikube, user: "
                            "minikube}\n");
        const KubeConfig config = loadOk({file});
        QString error;
        const auto c = config.connection({}, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(int(c->ssl.privateKey().algorithm()), algorithm);
        QVERIFY(!c->ssl.localCertificate().isNull());
        QCOMPARE(c->kind, ClusterKind::Minikube); // named minikube (macOS: 127.0.0.1:<port>)
        QCOMPARE(c->nameSpace, QStringLiteral("default"));
    }

    void microk8s_data()
    {
        QTest::addColumn<bool>("x509");
        QTest::newRow("token template") << false;
        QTest::newRow("x509 template") << true;
    }
    void microk8s()
    {
        // canonical/microk8s client.config.template and client-x509.config.template.
        QFETCH(bool, x509);
        const QByteArray user =
            x509 ? "    client-certificate-data: " + b64(readAll(m_certs + u"/ec.crt")) +
                       "\n    client-key-data: " + b64(readAll(m_certs + u"/ec.key")) + "\n"
                 : QByteArray("    token: bXlUb2tlbgo=\n");
        const QString file = path(x509 ? QStringLiteral("mk8s-x509") : QStringLiteral("mk8s"));
        writeFile(file, "apiVersion: v1\nclusters:\n- cluster:\n"
                        "    certificate-authority-data: " +
                            b64(readAll(m_certs + u"/ca.crt")) +
                            "\n    server: https://192.168.1.20:16443\n"
                            "  name: microk8s-cluster\n"
                            "contexts:\n- context:\n    cluster: microk8s-cluster\n"
                            "    user: admin\n  name: microk8s\n"
                            "current-context: microk8s\nkind: Config\npreferences: {}\n"
                            "users:\n- name: admin\n  user:\n" +
                            user);
        const KubeConfig config = loadOk({file});
        QCOMPARE(config.kind(QStringLiteral("microk8s")), ClusterKind::MicroK8s);
        QString error;
        const auto c = config.connection({}, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->kind, ClusterKind::MicroK8s);
        QCOMPARE(clusterKindName(c->kind), QStringLiteral("MicroK8s"));
        if (x509) {
            QVERIFY(c->token.isEmpty());
            QCOMPARE(c->ssl.privateKey().algorithm(), QSsl::Ec);
        } else {
            QCOMPARE(c->token, QStringLiteral("bXlUb2tlbgo="));
            QVERIFY(c->ssl.privateKey().isNull());
        }
    }

    void mergedFiles()
    {
        // kubectl's rules: the first file wins for each name and for current-context; files
        // that do not exist are skipped.
        const QString a = path(QStringLiteral("merge-a"));
        const QString b = path(QStringLiteral("merge-b"));
        writeFile(a, "apiVersion: v1\nkind: Config\ncurrent-context: dev\n"
                     "clusters:\n- name: shared\n  cluster: {server: 'https://a.example:6443', "
                     "insecure-skip-tls-verify: true}\n"
                     "users:\n- name: u\n  user: {token: from-a}\n"
                     "contexts:\n- name: dev\n  context: {cluster: shared, user: u, namespace: "
                     "dev-ns}\n");
        writeFile(b, "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
                     "clusters:\n- name: shared\n  cluster: {server: 'https://b.example:6443'}\n"
                     "- name: other\n  cluster: {server: 'https://other.example'}\n"
                     "users:\n- name: u\n  user: {token: from-b}\n"
                     "contexts:\n- name: dev\n  context: {cluster: other, user: u}\n"
                     "- name: prod\n  context: {cluster: other, user: u}\n");
        qputenv("KUBECONFIG", (a + QDir::listSeparator() + path(QStringLiteral("missing")) +
                               QDir::listSeparator() + b)
                                  .toUtf8());
        const QStringList files = KubeConfig::defaultFiles();
        QCOMPARE(files.size(), 3);
        QString error;
        const auto config = KubeConfig::loadDefault(&error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->files(), (QStringList{a, b}));
        QCOMPARE(config->currentContext(), QStringLiteral("dev"));
        QCOMPARE(config->contexts().size(), 2);
        QCOMPARE(config->context(QStringLiteral("dev"))->cluster, QStringLiteral("shared"));
        QCOMPARE(config->cluster(QStringLiteral("shared"))->server,
                 QStringLiteral("https://a.example:6443"));
        QCOMPARE(config->clusters().size(), 2);
        const auto dev = config->connection({}, &error);
        QVERIFY2(dev, qPrintable(error));
        QCOMPARE(dev->token, QStringLiteral("from-a"));
        QCOMPARE(dev->nameSpace, QStringLiteral("dev-ns"));
        QVERIFY(dev->insecure);
        QCOMPARE(dev->ssl.peerVerifyMode(), QSslSocket::VerifyNone);
        const auto prod = config->connection(QStringLiteral("prod"), &error);
        QVERIFY2(prod, qPrintable(error));
        QCOMPARE(prod->server.host(), QStringLiteral("other.example"));
        // The GUI's list.
        const auto infos = listContexts(&error);
        QCOMPARE(infos.size(), 2);
        QCOMPARE(infos.at(0).name, QStringLiteral("dev"));
        QVERIFY(infos.at(0).current);
        QCOMPARE(infos.at(1).nameSpace, QStringLiteral("default"));
        // current-context from a later file when the first has none.
        writeFile(a, "apiVersion: v1\nkind: Config\nclusters: []\n");
        const auto second = KubeConfig::loadDefault(&error);
        QVERIFY2(second, qPrintable(error));
        QCOMPARE(second->currentContext(), QStringLiteral("prod"));
        qunsetenv("KUBECONFIG");
    }

    void execPlugin_data()
    {
        QTest::addColumn<QString>("apiVersion");
        QTest::addColumn<QString>("expiry"); // relative: "past", "future", "" (none)
        QTest::addColumn<int>("runs");       // plugin runs for two connections
        QTest::newRow("v1, no expiry: cached") << "client.authentication.k8s.io/v1"
                                               << "" << 1;
        QTest::newRow("v1beta1, valid: cached") << "client.authentication.k8s.io/v1beta1"
                                                << "future" << 1;
        QTest::newRow("v1, expired: run again") << "client.authentication.k8s.io/v1"
                                                << "past" << 2;
    }
    void execPlugin()
    {
        QFETCH(QString, apiVersion);
        QFETCH(QString, expiry);
        QFETCH(int, runs);
        clearExecCredentialCache();
        const QString dir = path(QStringLiteral("plugin-%1-%2").arg(runs).arg(expiry));
        QDir().mkpath(dir + u"/bin");
        QString stamp;
        if (expiry == u"past")
            stamp = QDateTime::currentDateTimeUtc().addSecs(-60).toString(Qt::ISODate);
        else if (expiry == u"future")
            stamp = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate);
        // The plugin records what kubectl would give it and answers an ExecCredential.
        writeFile(
            dir + u"/bin/cred.sh",
            QStringLiteral("#!/bin/sh\n"
                           "echo \"$KUBERNETES_EXEC_INFO\" > \"$(dirname \"$0\")/info.json\"\n"
                           "echo run >> \"$(dirname \"$0\")/runs\"\n"
                           "echo \"$1 $PLUGIN_ENV\" > \"$(dirname \"$0\")/args\"\n"
                           "printf '{\"apiVersion\":\"%1\",\"kind\":\"ExecCredential\","
                           "\"status\":{\"token\":\"plugin-token\"%2}}'\n")
                .arg(apiVersion, stamp.isEmpty()
                                     ? QString()
                                     : QStringLiteral(",\"expirationTimestamp\":\"%1\"").arg(stamp))
                .toUtf8());
        QFile::setPermissions(dir + u"/bin/cred.sh",
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        writeFile(dir + u"/config",
                  QStringLiteral("apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                 "clusters:\n- name: k\n  cluster: {server: "
                                 "'https://127.0.0.1:6443'}\n"
                                 "users:\n- name: u\n  user:\n    exec:\n"
                                 "      apiVersion: %1\n"
                                 "      command: ./bin/cred.sh\n"
                                 "      args: [--cluster=dev]\n"
                                 "      env: [{name: PLUGIN_ENV, value: from-config}]\n"
                                 "      interactiveMode: Never\n"
                                 "      provideClusterInfo: true\n"
                                 "contexts:\n- name: c\n  context: {cluster: k, user: u}\n")
                      .arg(apiVersion)
                      .toUtf8());
        const KubeConfig config = loadOk({dir + u"/config"});
        QString error;
        for (int i = 0; i < 2; ++i) {
            const auto c = config.connection({}, &error);
            QVERIFY2(c, qPrintable(error));
            QCOMPARE(c->token, QStringLiteral("plugin-token"));
        }
        QCOMPARE(readAll(dir + u"/bin/runs").count("run"), runs);
        QCOMPARE(readAll(dir + u"/bin/args").trimmed(), QByteArray("--cluster=dev from-config"));
        const QJsonObject info = QJsonDocument::fromJson(readAll(dir + u"/bin/info.json")).object();
        QCOMPARE(info.value(u"kind").toString(), QStringLiteral("ExecCredential"));
        QCOMPARE(info.value(u"apiVersion").toString(), apiVersion);
        QCOMPARE(info.value(u"spec").toObject().value(u"interactive").toBool(true), false);
        QCOMPARE(
            info.value(u"spec").toObject().value(u"cluster").toObject().value(u"server").toString(),
            QStringLiteral("https://127.0.0.1:6443"));
    }

    void execPluginFailures_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QString>("message");
        QTest::newRow("exit code") << QByteArray("echo 'token expired, run login' >&2; exit 3")
                                   << "exec plugin \"%1\" failed with exit code 3: token "
                                      "expired, run login";
        QTest::newRow("not json") << QByteArray("echo hello")
                                  << "exec plugin \"%1\" returned no usable ExecCredential: "
                                     "illegal value";
        QTest::newRow("no token") << QByteArray("echo '{\"apiVersion\":\"client.authentication."
                                                "k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
                                                "\"status\":{}}'")
                                  << "exec plugin \"%1\" returned no usable ExecCredential: "
                                     "status has neither a token nor clientCertificateData and "
                                     "clientKeyData";
    }
    void execPluginFailures()
    {
        QFETCH(QByteArray, script);
        QFETCH(QString, message);
        clearExecCredentialCache();
        const QString dir = path(QStringLiteral("badplugin-%1")
                                     .arg(QString::fromUtf8(QTest::currentDataTag()))
                                     .replace(u' ', u'-'));
        writeFile(dir + u"/p.sh", "#!/bin/sh\n" + script + "\n");
        QFile::setPermissions(dir + u"/p.sh",
                              QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        writeFile(dir + u"/config", "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
                                    "clusters:\n- name: k\n  cluster: {server: "
                                    "'https://127.0.0.1:6443'}\n"
                                    "users:\n- name: u\n  user:\n"
                                    "    exec:\n"
                                    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
                                    "      command: ./p.sh\n"
                                    "contexts:\n- name: c\n  context: {cluster: k, user: u}\n");
        const KubeConfig config = loadOk({dir + u"/config"});
        QString error;
        QVERIFY(!config.connection({}, &error));
        QCOMPARE(error,
                 QStringLiteral("%1:11:7: ").arg(dir + u"/config") + message.arg(dir + u"/p.sh"));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("message"); // after "<file>:"
        QTest::newRow("yaml syntax")
            << QByteArray("clusters:\n- name: a\n  cluster: {server: x\n") << ""
            << "4:1: ";
        QTest::newRow("not a map") << QByteArray("- a\n- b\n") << ""
                                   << "1:1: a kubeconfig must be a map, not a array";
        QTest::newRow("other kind") << QByteArray("apiVersion: v1\nkind: Pod\n") << ""
                                    << "2:7: kind \"Pod\" is not a kubeconfig (kind: Config)";
        QTest::newRow("clusters not a list")
            << QByteArray("apiVersion: v1\nclusters:\n  a: b\n") << ""
            << "3:3: clusters must be a list, not a hash";
        QTest::newRow("cluster without name")
            << QByteArray("clusters:\n- cluster: {server: 'https://x'}\n") << ""
            << "2:3: clusters[0] has no name";
        QTest::newRow("server not a url")
            << QByteArray("clusters:\n- name: a\n  cluster:\n    server: localhost\n") << ""
            << "4:13: clusters[0].cluster.server \"localhost\" is not an http(s) URL";
        QTest::newRow("bad base64")
            << QByteArray("clusters:\n- name: a\n  cluster:\n    server: https://x\n"
                          "    certificate-authority-data: '@@@'\n")
            << ""
            << "5:33: clusters[0].cluster.certificate-authority-data is not valid base64";
        QTest::newRow("token not a string")
            << QByteArray("users:\n- name: u\n  user:\n    token: [a]\n") << ""
            << "4:12: users[0].user.token must be a string, not a array";
        QTest::newRow("insecure not a bool")
            << QByteArray("clusters:\n- name: a\n  cluster:\n    server: https://x\n"
                          "    insecure-skip-tls-verify: maybe\n")
            << ""
            << "5:31: clusters[0].cluster.insecure-skip-tls-verify must be true or false";
        QTest::newRow("exec api version")
            << QByteArray("users:\n- name: u\n  user:\n    exec:\n"
                          "      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                          "      command: x\n")
            << ""
            << "5:19: users[0].user.exec.apiVersion \"client.authentication.k8s.io/v1alpha1\""
               " is not supported: use client.authentication.k8s.io/v1 or v1beta1";
        QTest::newRow("exec v1 without interactiveMode")
            << QByteArray("users:\n- name: u\n  user:\n    exec:\n"
                          "      apiVersion: client.authentication.k8s.io/v1\n"
                          "      command: x\n")
            << ""
            << "5:7: users[0].user.exec.interactiveMode must be specified for "
               "client.authentication.k8s.io/v1";
        QTest::newRow("unknown context")
            << QByteArray("contexts:\n- name: a\n  context: {cluster: k}\n") << "b"
            << "context \"b\" does not exist (kubeconfig contexts: a)";
        QTest::newRow("missing cluster")
            << QByteArray("current-context: a\ncontexts:\n- name: a\n  context: {cluster: k}\n")
            << ""
            << "3:3: context \"a\" names cluster \"k\", which does not exist";
        QTest::newRow("missing ca file")
            << QByteArray("current-context: a\nclusters:\n- name: k\n  cluster:\n"
                          "    server: https://x\n    certificate-authority: nope/ca.crt\n"
                          "contexts:\n- name: a\n  context: {cluster: k}\n")
            << ""
            << "3:3: cannot read certificate-authority %1/nope/ca.crt: No such file or "
               "directory";
        QTest::newRow("ca not pem")
            << QByteArray("current-context: a\nclusters:\n- name: k\n  cluster:\n"
                          "    server: https://x\n    certificate-authority-data: aGVsbG8=\n"
                          "contexts:\n- name: a\n  context: {cluster: k}\n")
            << ""
            << "3:3: the certificate authority of cluster \"k\" is not a PEM certificate";
        QTest::newRow("key without certificate")
            << QByteArray("current-context: a\nclusters:\n- name: k\n  cluster: {server: "
                          "'https://x'}\nusers:\n- name: u\n  user:\n"
                          "    client-key-data: aGVsbG8=\n"
                          "contexts:\n- name: a\n  context: {cluster: k, user: u}\n")
            << ""
            << "6:3: user \"u\" has a client certificate without a key or a key without a "
               "certificate";
        QTest::newRow("proxy not http or socks5")
            << QByteArray("current-context: a\nclusters:\n- name: k\n  cluster:\n"
                          "    server: https://x\n    proxy-url: ftp://proxy:21\n"
                          "contexts:\n- name: a\n  context: {cluster: k}\n")
            << ""
            << "3:3: proxy-url \"ftp://proxy:21\" of cluster \"k\" is not an http, https or "
               "socks5 URL";
        QTest::newRow("no current context") << QByteArray("clusters: []\n") << ""
                                            << "no context chosen and the kubeconfig (%2) has no "
                                               "current-context";
    }
    void badInput()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, context);
        QFETCH(QString, message);
        const QString dir = path(QStringLiteral("bad"));
        QDir().mkpath(dir);
        const QString file = dir + u"/config";
        writeFile(file, text);
        QString error;
        const auto config = KubeConfig::load({file}, &error);
        if (config) {
            QVERIFY(!config->connection(context, &error));
        }
        QString expected = message;
        expected.replace(QStringLiteral("%1"), dir).replace(QStringLiteral("%2"), file);
        if (!expected.startsWith(u"context \"") && !expected.startsWith(u"no context"))
            expected = file + u':' + expected;
        if (QByteArray(QTest::currentDataTag()) == "yaml syntax")
            QVERIFY2(
                QRegularExpression(u"^"_s + QRegularExpression::escape(file) + u":\\d+:\\d+: \\S"_s)
                    .match(error)
                    .hasMatch(),
                qPrintable(error));
        else
            QCOMPARE(error, expected);
    }

    void missingFiles()
    {
        QString error;
        QVERIFY(!KubeConfig::load({path(QStringLiteral("none"))}, &error));
        QCOMPARE(error, QStringLiteral("%1 does not exist: no Kubernetes cluster is configured")
                            .arg(path(QStringLiteral("none"))));
    }
};

QTEST_GUILESS_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
