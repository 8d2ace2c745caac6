#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace stagecraft::exec::kube {

/// What kind of cluster a context points at, guessed from the shapes Minikube and MicroK8s write
/// (names, server address and port, certificate paths, Minikube's provider extension).
enum class ClusterKind { Minikube, MicroK8s, Other };
QString clusterKindName(ClusterKind kind); ///< "Minikube", "MicroK8s", "Kubernetes"

/// A kubeconfig position for messages: the file and the 1-based line/column of the value.
struct Origin
{
    QString file;
    int line = 0;
    int column = 0;
    QString prefix() const; ///< "file:line:column: " (or "file: " without a position)
};

struct Cluster
{
    QString name;
    QString server;
    QString certificateAuthority; ///< absolute path (relative paths resolved against the file)
    QByteArray certificateAuthorityData; ///< PEM (base64 already decoded)
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QString proxyUrl;
    bool minikubeExtension = false; ///< `extensions: [{name: cluster_info, extension: {provider:
                                    ///< minikube.sigs.k8s.io}}]`
    Origin origin;
};

/// `users[].user.exec`: a credential plugin (client.authentication.k8s.io/v1 or v1beta1).
struct ExecPlugin
{
    QString apiVersion;
    QString command; ///< resolved against the file's folder when it contains a '/' and is relative
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString interactiveMode; ///< Never, IfAvailable, Always
    bool provideClusterInfo = false;
    Origin origin;
};

struct User
{
    QString name;
    QString clientCertificate; ///< absolute path
    QByteArray clientCertificateData;
    QString clientKey; ///< absolute path
    QByteArray clientKeyData;
    QString token;
    QString tokenFile; ///< absolute path
    QString username;
    QString password;
    std::optional<ExecPlugin> exec;
    bool authProvider = false; ///< legacy `auth-provider` (not supported: reported when used)
    Origin origin;
};

struct Context
{
    QString name;
    QString cluster;
    QString user;
    QString nameSpace; ///< empty: "default"
    Origin origin;
};

/// Everything needed to talk to one context's API server.
struct Connection
{
    QString contextName;
    QUrl server;
    QString nameSpace;
    QSslConfiguration ssl;
    bool insecure = false;
    QString tlsServerName; ///< name the server certificate is checked against (empty: host)
    QUrl proxy;            ///< `proxy-url` (http, https, socks5)
    QString token;         ///< `Authorization: Bearer` (empty: none)
    QString username;      ///< basic auth (old MicroK8s templates)
    QString password;
    ClusterKind kind = ClusterKind::Other;
};

/// The credential an exec plugin returned (ExecCredential.status), cached until it expires.
struct ExecCredential
{
    QString token;
    QByteArray clientCertificateData;
    QByteArray clientKeyData;
    QDateTime expiration; ///< invalid: never expires
};

/// Runs an exec credential plugin as kubectl does (KUBERNETES_EXEC_INFO in the environment, the
/// ExecCredential read from stdout). Results are cached per plugin until expirationTimestamp.
std::optional<ExecCredential> runExecPlugin(const ExecPlugin &plugin, const Cluster &cluster,
                                            QString *error);
void clearExecCredentialCache();

/// Summary of a context for choosers (the GUI's, `stagecraft-cli run --context`).
struct ContextInfo
{
    QString name;
    QString cluster;
    QString user;
    QString nameSpace;
    QString server;
    ClusterKind kind = ClusterKind::Other;
    bool current = false;
    /// "minikube (Minikube, https://192.168.49.2:8443)"
    QString displayName() const;
};

/// A merged kubeconfig as kubectl sees it: `$KUBECONFIG` (':'-separated files, the first file
/// wins for each name and for current-context) or `~/.kube/config`.
class KubeConfig
{
public:
    /// The files kubectl would read: `$KUBECONFIG` entries (empty ones skipped), else
    /// `~/.kube/config`.
    static QStringList defaultFiles();
    /// Loads and merges `files` (missing files are skipped as kubectl does, unless none exists).
    /// Errors name the file, line and column ("config:7:5: clusters[0] has no name").
    static std::optional<KubeConfig> load(const QStringList &files, QString *error);
    static std::optional<KubeConfig> loadDefault(QString *error)
    {
        return load(defaultFiles(), error);
    }

    const QList<Cluster> &clusters() const { return m_clusters; }
    const QList<User> &users() const { return m_users; }
    const QList<Context> &contexts() const { return m_contexts; }
    QString currentContext() const { return m_currentContext; }
    QStringList files() const { return m_files; }

    const Cluster *cluster(const QString &name) const;
    const User *user(const QString &name) const;
    const Context *context(const QString &name) const;

    ClusterKind kind(const QString &contextName) const;
    QList<ContextInfo> contextInfos() const;

    /// Resolves a context (empty: current-context) into a Connection: reads certificate files,
    /// decodes embedded data, loads RSA or EC keys, reads tokenFile, runs exec plugins.
    std::optional<Connection> connection(const QString &contextName, QString *error) const;

private:
    QList<Cluster> m_clusters;
    QList<User> m_users;
    QList<Context> m_contexts;
    QString m_currentContext;
    QStringList m_files;
};

/// The contexts of the default kubeconfig with their kind, for the GUI's chooser. Empty with
/// `error` set when no kubeconfig can be read.
QList<ContextInfo> listContexts(QString *error = nullptr);

} // namespace stagecraft::exec::kube
