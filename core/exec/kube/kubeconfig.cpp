#include "exec/kube/kubeconfig.h"

#include "yaml/loader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QSslKey>

#include <algorithm>
#include <functional>
#include <mutex>

namespace stagecraft::exec::kube {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

Origin originOf(const yaml::Node &node, const QString &file)
{
    const auto &loc = node.location();
    return {file, loc.line, loc.column};
}

/// Parses one file into the lists; names already present (from an earlier file) are kept.
class FileParser
{
public:
    FileParser(const QString &path, QList<Cluster> *clusters, QList<User> *users,
               QList<Context> *contexts, QString *current)
        : m_path(path)
        , m_dir(QFileInfo(path).absolutePath())
        , m_clusters(clusters)
        , m_users(users)
        , m_contexts(contexts)
        , m_current(current)
    {
    }

    bool parse(QString *error);

private:
    bool fail(const yaml::Node &node, const QString &message)
    {
        m_error = originOf(node, m_path).prefix() + message;
        return false;
    }
    /// A scalar (or absent) field; sets m_error for maps/sequences.
    bool text(const yaml::Node &map, QStringView key, const QString &where, QString *out);
    bool boolean(const yaml::Node &map, QStringView key, const QString &where, bool *out);
    bool base64(const yaml::Node &map, QStringView key, const QString &where, QByteArray *out);
    QString path(const QString &value) const;
    bool namedList(const yaml::Node &root, QStringView key, QStringView inner,
                   const std::function<bool(const QString &name, const yaml::Node &entry,
                                            const yaml::Node &body, const QString &where)> &each);
    bool parseCluster(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                      const QString &where);
    bool parseUser(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                   const QString &where);
    bool parseContext(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                      const QString &where);

    QString m_path;
    QString m_dir;
    QList<Cluster> *m_clusters;
    QList<User> *m_users;
    QList<Context> *m_contexts;
    QString *m_current;
    QString m_error;
};

bool FileParser::text(const yaml::Node &map, QStringView key, const QString &where, QString *out)
{
    const yaml::Node value = map.value(key);
    if (!value.isDefined() || value.isNull())
        return true;
    if (!value.isScalar())
        return fail(
            value,
            tr("%1.%2 must be a string, not a %3").arg(where, key.toString(), value.kindName()));
    *out = value.scalar();
    return true;
}

bool FileParser::boolean(const yaml::Node &map, QStringView key, const QString &where, bool *out)
{
    const yaml::Node value = map.value(key);
    if (!value.isDefined() || value.isNull())
        return true;
    const auto b = value.isScalar() ? value.toBool() : std::nullopt;
    if (!b)
        return fail(value, tr("%1.%2 must be true or false").arg(where, key.toString()));
    *out = *b;
    return true;
}

bool FileParser::base64(const yaml::Node &map, QStringView key, const QString &where,
                        QByteArray *out)
{
    QString value;
    if (!text(map, key, where, &value))
        return false;
    if (value.isEmpty())
        return true;
    const auto decoded = QByteArray::fromBase64Encoding(value.trimmed().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(map.value(key), tr("%1.%2 is not valid base64").arg(where, key.toString()));
    *out = *decoded;
    return true;
}

QString FileParser::path(const QString &value) const
{
    if (value.isEmpty())
        return value;
    if (value.startsWith(u"~/"))
        return QDir::homePath() + value.mid(1);
    // kubectl resolves relative paths against the folder of the file that names them.
    return QDir::cleanPath(QDir(m_dir).absoluteFilePath(value));
}

bool FileParser::namedList(const yaml::Node &root, QStringView key, QStringView inner,
                           const std::function<bool(const QString &, const yaml::Node &,
                                                    const yaml::Node &, const QString &)> &each)
{
    const yaml::Node list = root.value(key);
    if (!list.isDefined() || list.isNull())
        return true;
    if (!list.isSequence())
        return fail(list, tr("%1 must be a list, not a %2").arg(key.toString(), list.kindName()));
    int index = 0;
    for (const yaml::Node &entry : list.items()) {
        const QString where = QStringLiteral("%1[%2]").arg(key.toString()).arg(index++);
        if (!entry.isMap())
            return fail(entry, tr("%1 must be a map, not a %2").arg(where, entry.kindName()));
        QString name;
        if (!text(entry, u"name", where, &name))
            return false;
        if (name.isEmpty())
            return fail(entry, tr("%1 has no name").arg(where));
        const yaml::Node body = entry.value(inner);
        if (body.isDefined() && !body.isNull() && !body.isMap())
            return fail(
                body,
                tr("%1.%2 must be a map, not a %3").arg(where, inner.toString(), body.kindName()));
        if (!each(name, entry, body, where + u'.' + inner.toString()))
            return false;
    }
    return true;
}

bool FileParser::parseCluster(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                              const QString &where)
{
    Cluster c;
    c.name = name;
    c.origin = originOf(entry, m_path);
    if (body.isMap()) {
        QString ca;
        if (!text(body, u"server", where, &c.server) ||
            !text(body, u"certificate-authority", where, &ca) ||
            !base64(body, u"certificate-authority-data", where, &c.certificateAuthorityData) ||
            !boolean(body, u"insecure-skip-tls-verify", where, &c.insecureSkipTlsVerify) ||
            !text(body, u"tls-server-name", where, &c.tlsServerName) ||
            !text(body, u"proxy-url", where, &c.proxyUrl))
            return false;
        c.certificateAuthority = path(ca);
        if (!c.server.isEmpty()) {
            const QUrl url(c.server);
            if (!url.isValid() || url.host().isEmpty() ||
                (url.scheme() != u"https" && url.scheme() != u"http"))
                return fail(body.value(u"server"),
                            tr("%1.server \"%2\" is not an http(s) URL").arg(where, c.server));
        }
        for (const yaml::Node &ext : body.value(u"extensions").items()) {
            if (ext.value(u"extension").value(u"provider").scalar() == u"minikube.sigs.k8s.io")
                c.minikubeExtension = true;
        }
    }
    if (!std::any_of(m_clusters->cbegin(), m_clusters->cend(),
                     [&](const Cluster &o) { return o.name == name; }))
        m_clusters->append(c);
    return true;
}

bool FileParser::parseUser(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                           const QString &where)
{
    User u;
    u.name = name;
    u.origin = originOf(entry, m_path);
    if (body.isMap()) {
        QString cert, key, tokenFile;
        if (!text(body, u"client-certificate", where, &cert) ||
            !base64(body, u"client-certificate-data", where, &u.clientCertificateData) ||
            !text(body, u"client-key", where, &key) ||
            !base64(body, u"client-key-data", where, &u.clientKeyData) ||
            !text(body, u"token", where, &u.token) ||
            !text(body, u"tokenFile", where, &tokenFile) ||
            !text(body, u"username", where, &u.username) ||
            !text(body, u"password", where, &u.password))
            return false;
        u.clientCertificate = path(cert);
        u.clientKey = path(key);
        u.tokenFile = path(tokenFile);
        u.authProvider = body.contains(u"auth-provider");
        const yaml::Node exec = body.value(u"exec");
        if (exec.isDefined() && !exec.isNull()) {
            const QString ew = where + u".exec";
            if (!exec.isMap())
                return fail(exec, tr("%1 must be a map, not a %2").arg(ew, exec.kindName()));
            ExecPlugin p;
            p.origin = originOf(exec, m_path);
            if (!text(exec, u"apiVersion", ew, &p.apiVersion) ||
                !text(exec, u"command", ew, &p.command) ||
                !text(exec, u"interactiveMode", ew, &p.interactiveMode) ||
                !boolean(exec, u"provideClusterInfo", ew, &p.provideClusterInfo))
                return false;
            if (p.command.isEmpty())
                return fail(exec, tr("%1.command is missing").arg(ew));
            if (p.apiVersion != u"client.authentication.k8s.io/v1" &&
                p.apiVersion != u"client.authentication.k8s.io/v1beta1")
                return fail(exec.value(u"apiVersion").isDefined() ? exec.value(u"apiVersion")
                                                                  : exec,
                            tr("%1.apiVersion \"%2\" is not supported: use "
                               "client.authentication.k8s.io/v1 or v1beta1")
                                .arg(ew, p.apiVersion));
            if (p.apiVersion == u"client.authentication.k8s.io/v1" && p.interactiveMode.isEmpty())
                return fail(
                    exec, tr("%1.interactiveMode must be specified for %2").arg(ew, p.apiVersion));
            if (p.command.contains(u'/') && QFileInfo(p.command).isRelative())
                p.command = path(p.command);
            const yaml::Node args = exec.value(u"args");
            if (args.isDefined() && !args.isNull() && !args.isSequence())
                return fail(args, tr("%1.args must be a list of strings").arg(ew));
            for (const yaml::Node &a : args.items()) {
                if (!a.isScalar())
                    return fail(a, tr("%1.args must be a list of strings").arg(ew));
                p.args << a.scalar();
            }
            const yaml::Node env = exec.value(u"env");
            if (env.isDefined() && !env.isNull() && !env.isSequence())
                return fail(env, tr("%1.env must be a list of {name, value}").arg(ew));
            for (const yaml::Node &e : env.items()) {
                if (!e.isMap() || !e.value(u"name").isScalar())
                    return fail(e, tr("%1.env must be a list of {name, value}").arg(ew));
                p.env.append({e.value(u"name").scalar(), e.value(u"value").scalar()});
            }
            u.exec = p;
        }
    }
    if (!std::any_of(m_users->cbegin(), m_users->cend(),
                     [&](const User &o) { return o.name == name; }))
        m_users->append(u);
    return true;
}

bool FileParser::parseContext(const QString &name, const yaml::Node &entry, const yaml::Node &body,
                              const QString &where)
{
    Context c;
    c.name = name;
    c.origin = originOf(entry, m_path);
    if (body.isMap()) {
        if (!text(body, u"cluster", where, &c.cluster) || !text(body, u"user", where, &c.user) ||
            !text(body, u"namespace", where, &c.nameSpace))
            return false;
    }
    if (!std::any_of(m_contexts->cbegin(), m_contexts->cend(),
                     [&](const Context &o) { return o.name == name; }))
        m_contexts->append(c);
    return true;
}

bool FileParser::parse(QString *error)
{
    const yaml::LoadResult loaded = yaml::Loader::loadFile(m_path, m_path);
    for (const auto &d : loaded.diagnostics) {
        if (d.severity == diag::Severity::Error) {
            *error = QStringLiteral("%1:%2:%3: %4")
                         .arg(d.file.isEmpty() ? m_path : d.file)
                         .arg(d.range.start.line)
                         .arg(d.range.start.column)
                         .arg(d.message);
            return false;
        }
    }
    if (!loaded.ok) {
        *error = tr("%1: cannot be read").arg(m_path);
        return false;
    }
    if (loaded.documents.isEmpty() || !loaded.documents.first().root.isDefined() ||
        loaded.documents.first().root.isNull())
        return true; // an empty file is an empty config, as for kubectl
    const yaml::Node root = loaded.documents.first().root;
    if (!root.isMap()) {
        fail(root, tr("a kubeconfig must be a map, not a %1").arg(root.kindName()));
        *error = m_error;
        return false;
    }
    const yaml::Node kind = root.value(u"kind");
    if (kind.isScalar() && kind.scalar() != u"Config") {
        fail(kind, tr("kind \"%1\" is not a kubeconfig (kind: Config)").arg(kind.scalar()));
        *error = m_error;
        return false;
    }
    QString current;
    const bool ok = text(root, u"current-context", QStringLiteral("kubeconfig"), &current) &&
                    namedList(root, u"clusters", u"cluster",
                              [this](const QString &n, const yaml::Node &e, const yaml::Node &b,
                                     const QString &w) { return parseCluster(n, e, b, w); }) &&
                    namedList(root, u"users", u"user",
                              [this](const QString &n, const yaml::Node &e, const yaml::Node &b,
                                     const QString &w) { return parseUser(n, e, b, w); }) &&
                    namedList(root, u"contexts", u"context",
                              [this](const QString &n, const yaml::Node &e, const yaml::Node &b,
                                     const QString &w) { return parseContext(n, e, b, w); });
    if (!ok) {
        *error = m_error;
        return false;
    }
    if (m_current->isEmpty())
        *m_current = current;
    return true;
}

bool readFile(const QString &path, const Origin &origin, const QString &what, QByteArray *out,
              QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = origin.prefix() + tr("cannot read %1 %2: %3").arg(what, path, file.errorString());
        return false;
    }
    *out = file.readAll();
    return true;
}

std::optional<QSslKey> loadKey(const QByteArray &pem)
{
    // The PEM header names the algorithm (PKCS#1 RSA, SEC1 EC); PKCS#8 "PRIVATE KEY" does not,
    // so both are tried.
    QList<QSsl::KeyAlgorithm> order;
    if (pem.contains("BEGIN EC PRIVATE KEY"))
        order = {QSsl::Ec};
    else if (pem.contains("BEGIN RSA PRIVATE KEY"))
        order = {QSsl::Rsa};
    else
        order = {QSsl::Rsa, QSsl::Ec};
    for (QSsl::KeyAlgorithm algorithm : order) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return std::nullopt;
}

std::mutex cacheMutex;
QHash<QString, ExecCredential> &credentialCache()
{
    static QHash<QString, ExecCredential> cache;
    return cache;
}

} // namespace

QString Origin::prefix() const
{
    if (file.isEmpty())
        return {};
    if (line <= 0)
        return file + u": ";
    return QStringLiteral("%1:%2:%3: ").arg(file).arg(line).arg(column);
}

QString clusterKindName(ClusterKind kind)
{
    switch (kind) {
    case ClusterKind::Minikube:
        return QStringLiteral("Minikube");
    case ClusterKind::MicroK8s:
        return QStringLiteral("MicroK8s");
    case ClusterKind::Other:
        break;
    }
    return QStringLiteral("Kubernetes");
}

QString ContextInfo::displayName() const
{
    return QStringLiteral("%1 (%2, %3)").arg(name, clusterKindName(kind), server);
}

QStringList KubeConfig::defaultFiles()
{
    const QString env = qEnvironmentVariable("KUBECONFIG");
    if (!env.isEmpty()) {
        QStringList files;
        for (const QString &f : env.split(QDir::listSeparator(), Qt::SkipEmptyParts))
            if (!files.contains(f))
                files << f;
        if (!files.isEmpty())
            return files;
    }
    return {QDir::homePath() + QStringLiteral("/.kube/config")};
}

std::optional<KubeConfig> KubeConfig::load(const QStringList &files, QString *error)
{
    KubeConfig config;
    QString err;
    for (const QString &file : files) {
        // kubectl skips files of $KUBECONFIG that do not exist.
        if (!QFileInfo::exists(file))
            continue;
        const QString path = QFileInfo(file).absoluteFilePath();
        FileParser parser(path, &config.m_clusters, &config.m_users, &config.m_contexts,
                          &config.m_currentContext);
        if (!parser.parse(&err)) {
            if (error)
                *error = err;
            return std::nullopt;
        }
        config.m_files << path;
    }
    if (config.m_files.isEmpty()) {
        if (error)
            *error = files.size() == 1
                         ? tr("%1 does not exist: no Kubernetes cluster is configured")
                               .arg(files.first())
                         : tr("none of the kubeconfig files exists: %1").arg(files.join(u", "));
        return std::nullopt;
    }
    return config;
}

const Cluster *KubeConfig::cluster(const QString &name) const
{
    for (const Cluster &c : m_clusters)
        if (c.name == name)
            return &c;
    return nullptr;
}

const User *KubeConfig::user(const QString &name) const
{
    for (const User &u : m_users)
        if (u.name == name)
            return &u;
    return nullptr;
}

const Context *KubeConfig::context(const QString &name) const
{
    for (const Context &c : m_contexts)
        if (c.name == name)
            return &c;
    return nullptr;
}

ClusterKind KubeConfig::kind(const QString &contextName) const
{
    const Context *ctx = context(contextName);
    if (!ctx)
        return ClusterKind::Other;
    const Cluster *cl = cluster(ctx->cluster);
    const QString server = cl ? cl->server : QString();
    const QUrl url(server);
    const QString ca = cl ? cl->certificateAuthority : QString();
    if ((cl && cl->minikubeExtension) || ctx->name == u"minikube" || ctx->cluster == u"minikube" ||
        ca.contains(u"/.minikube/") ||
        (url.port() == 8443 && url.host().startsWith(u"192.168.") && ctx->user == ctx->name))
        return ClusterKind::Minikube;
    // `microk8s config`: cluster "microk8s-cluster", context "microk8s", user "admin", port 16443.
    if (ctx->name == u"microk8s" || ctx->cluster == u"microk8s-cluster" || url.port() == 16443 ||
        ca.contains(u"/snap/microk8s/"))
        return ClusterKind::MicroK8s;
    return ClusterKind::Other;
}

QList<ContextInfo> KubeConfig::contextInfos() const
{
    QList<ContextInfo> out;
    for (const Context &c : m_contexts) {
        ContextInfo info;
        info.name = c.name;
        info.cluster = c.cluster;
        info.user = c.user;
        info.nameSpace = c.nameSpace.isEmpty() ? QStringLiteral("default") : c.nameSpace;
        if (const Cluster *cl = cluster(c.cluster))
            info.server = cl->server;
        info.kind = kind(c.name);
        info.current = c.name == m_currentContext;
        out << info;
    }
    return out;
}

std::optional<Connection> KubeConfig::connection(const QString &contextName, QString *error) const
{
    QString err;
    auto failed = [&](const QString &message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString name = contextName.isEmpty() ? m_currentContext : contextName;
    if (name.isEmpty())
        return failed(tr("no context chosen and the kubeconfig (%1) has no current-context")
                          .arg(m_files.join(u", ")));
    const Context *ctx = context(name);
    if (!ctx) {
        QStringList names;
        for (const Context &c : m_contexts)
            names << c.name;
        return failed(tr("context \"%1\" does not exist (kubeconfig contexts: %2)")
                          .arg(name, names.isEmpty() ? tr("none") : names.join(u", ")));
    }
    const Cluster *cl = cluster(ctx->cluster);
    if (!cl)
        return failed(ctx->origin.prefix() + tr("context \"%1\" names cluster \"%2\", which does "
                                                "not exist")
                                                 .arg(ctx->name, ctx->cluster));
    if (cl->server.isEmpty())
        return failed(cl->origin.prefix() + tr("cluster \"%1\" has no server").arg(cl->name));
    const User *us = ctx->user.isEmpty() ? nullptr : user(ctx->user);
    if (!ctx->user.isEmpty() && !us)
        return failed(ctx->origin.prefix() + tr("context \"%1\" names user \"%2\", which does "
                                                "not exist")
                                                 .arg(ctx->name, ctx->user));

    Connection c;
    c.contextName = ctx->name;
    c.server = QUrl(cl->server);
    c.nameSpace = ctx->nameSpace.isEmpty() ? QStringLiteral("default") : ctx->nameSpace;
    c.kind = kind(ctx->name);
    c.insecure = cl->insecureSkipTlsVerify;
    c.tlsServerName = cl->tlsServerName;
    if (!cl->proxyUrl.isEmpty()) {
        c.proxy = QUrl(cl->proxyUrl);
        const QString scheme = c.proxy.scheme();
        if (!c.proxy.isValid() || c.proxy.host().isEmpty() ||
            (scheme != u"http" && scheme != u"https" && scheme != u"socks5"))
            return failed(cl->origin.prefix() +
                          tr("proxy-url \"%1\" of cluster \"%2\" is not an http, https or "
                             "socks5 URL")
                              .arg(cl->proxyUrl, cl->name));
    }
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setProtocol(QSsl::TlsV1_2OrLater);
    QByteArray caPem = cl->certificateAuthorityData;
    if (caPem.isEmpty() && !cl->certificateAuthority.isEmpty() &&
        !readFile(cl->certificateAuthority, cl->origin, tr("certificate-authority"), &caPem, &err))
        return failed(err);
    if (!caPem.isEmpty()) {
        const auto cas = QSslCertificate::fromData(caPem, QSsl::Pem);
        if (cas.isEmpty())
            return failed(cl->origin.prefix() +
                          tr("the certificate authority of cluster \"%1\" is not a PEM "
                             "certificate")
                              .arg(cl->name));
        // Only the cluster's CA: a server certificate signed by anyone else is refused.
        ssl.setCaCertificates(cas);
    }
    ssl.setPeerVerifyMode(c.insecure ? QSslSocket::VerifyNone : QSslSocket::VerifyPeer);

    if (us) {
        if (us->authProvider && !us->exec && us->token.isEmpty() && us->tokenFile.isEmpty() &&
            us->clientCertificate.isEmpty() && us->clientCertificateData.isEmpty())
            return failed(us->origin.prefix() +
                          tr("user \"%1\" uses an auth-provider, which is not supported: use an "
                             "exec credential plugin")
                              .arg(us->name));
        QByteArray certPem = us->clientCertificateData;
        QByteArray keyPem = us->clientKeyData;
        if (certPem.isEmpty() && !us->clientCertificate.isEmpty() &&
            !readFile(us->clientCertificate, us->origin, tr("client-certificate"), &certPem, &err))
            return failed(err);
        if (keyPem.isEmpty() && !us->clientKey.isEmpty() &&
            !readFile(us->clientKey, us->origin, tr("client-key"), &keyPem, &err))
            return failed(err);
        c.token = us->token;
        if (c.token.isEmpty() && !us->tokenFile.isEmpty()) {
            QByteArray token;
            if (!readFile(us->tokenFile, us->origin, tr("tokenFile"), &token, &err))
                return failed(err);
            c.token = QString::fromUtf8(token).trimmed();
        }
        c.username = us->username;
        c.password = us->password;
        if (us->exec && c.token.isEmpty() && certPem.isEmpty()) {
            const auto credential = runExecPlugin(*us->exec, *cl, &err);
            if (!credential)
                return failed(err);
            c.token = credential->token;
            certPem = credential->clientCertificateData;
            keyPem = credential->clientKeyData;
        }
        if (!certPem.isEmpty() || !keyPem.isEmpty()) {
            if (certPem.isEmpty() || keyPem.isEmpty())
                return failed(us->origin.prefix() +
                              tr("user \"%1\" has a client certificate without a key or a key "
                                 "without a certificate")
                                  .arg(us->name));
            const auto certs = QSslCertificate::fromData(certPem, QSsl::Pem);
            if (certs.isEmpty())
                return failed(us->origin.prefix() +
                              tr("the client certificate of user \"%1\" is not a PEM certificate")
                                  .arg(us->name));
            const auto key = loadKey(keyPem);
            if (!key)
                return failed(us->origin.prefix() +
                              tr("the client key of user \"%1\" is not a PEM RSA or EC private "
                                 "key")
                                  .arg(us->name));
            ssl.setLocalCertificate(certs.first());
            ssl.setPrivateKey(*key);
        }
    }
    c.ssl = ssl;
    return c;
}

std::optional<ExecCredential> runExecPlugin(const ExecPlugin &plugin, const Cluster &cluster,
                                            QString *error)
{
    QString key = plugin.apiVersion + u'\n' + plugin.command + u'\n' + plugin.args.join(u'\n') +
                  u'\n' + cluster.server;
    for (const auto &e : plugin.env)
        key += u'\n' + e.first + u'=' + e.second;
    {
        std::lock_guard lock(cacheMutex);
        const auto it = credentialCache().constFind(key);
        if (it != credentialCache().constEnd() &&
            (!it->expiration.isValid() || it->expiration > QDateTime::currentDateTimeUtc()))
            return *it;
    }
    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (plugin.provideClusterInfo) {
        QJsonObject info{{QStringLiteral("server"), cluster.server}};
        if (!cluster.certificateAuthorityData.isEmpty())
            info.insert(QStringLiteral("certificate-authority-data"),
                        QString::fromLatin1(cluster.certificateAuthorityData.toBase64()));
        if (cluster.insecureSkipTlsVerify)
            info.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        spec.insert(QStringLiteral("cluster"), info);
    }
    const QJsonObject execInfo{{QStringLiteral("apiVersion"), plugin.apiVersion},
                               {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                               {QStringLiteral("spec"), spec}};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &e : plugin.env)
        env.insert(e.first, e.second);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"),
               QString::fromUtf8(QJsonDocument(execInfo).toJson(QJsonDocument::Compact)));
    QProcess process;
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(plugin.command, plugin.args);
    const QString where = plugin.origin.prefix();
    if (!process.waitForStarted(10000)) {
        if (error)
            *error = where + tr("exec plugin \"%1\" cannot be started: %2")
                                 .arg(plugin.command, process.errorString());
        return std::nullopt;
    }
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        if (error)
            *error =
                where + tr("exec plugin \"%1\" did not finish within 60 s").arg(plugin.command);
        return std::nullopt;
    }
    const QByteArray out = process.readAllStandardOutput();
    const QString err = QString::fromUtf8(process.readAllStandardError()).trimmed();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = where + tr("exec plugin \"%1\" failed with exit code %2%3")
                                 .arg(plugin.command)
                                 .arg(process.exitCode())
                                 .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &parseError);
    const QJsonObject obj = doc.object();
    const QJsonObject status = obj.value(u"status").toObject();
    auto bad = [&](const QString &why) {
        if (error)
            *error = where + tr("exec plugin \"%1\" returned no usable ExecCredential: %2")
                                 .arg(plugin.command, why);
        return std::nullopt;
    };
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return bad(parseError.errorString());
    if (obj.value(u"kind").toString() != u"ExecCredential")
        return bad(tr("kind is \"%1\"").arg(obj.value(u"kind").toString()));
    if (obj.value(u"apiVersion").toString() != plugin.apiVersion)
        return bad(tr("apiVersion \"%1\" differs from the requested \"%2\"")
                       .arg(obj.value(u"apiVersion").toString(), plugin.apiVersion));
    ExecCredential credential;
    credential.token = status.value(u"token").toString();
    credential.clientCertificateData = status.value(u"clientCertificateData").toString().toUtf8();
    credential.clientKeyData = status.value(u"clientKeyData").toString().toUtf8();
    const QString expiry = status.value(u"expirationTimestamp").toString();
    if (!expiry.isEmpty()) {
        credential.expiration = QDateTime::fromString(expiry, Qt::ISODateWithMs);
        if (!credential.expiration.isValid())
            return bad(tr("expirationTimestamp \"%1\" is not an RFC 3339 time").arg(expiry));
    }
    if (credential.token.isEmpty() &&
        (credential.clientCertificateData.isEmpty() || credential.clientKeyData.isEmpty()))
        return bad(tr("status has neither a token nor clientCertificateData and clientKeyData"));
    std::lock_guard lock(cacheMutex);
    credentialCache().insert(key, credential);
    return credential;
}

void clearExecCredentialCache()
{
    std::lock_guard lock(cacheMutex);
    credentialCache().clear();
}

QList<ContextInfo> listContexts(QString *error)
{
    const auto config = KubeConfig::loadDefault(error);
    if (!config)
        return {};
    return config->contextInfos();
}

} // namespace stagecraft::exec::kube
