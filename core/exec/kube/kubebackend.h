#pragma once

#include "exec/backend.h"
#include "exec/backends.h"
#include "exec/kube/kubeconfig.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace stagecraft::exec::kube {

class Client;

/// The Kubernetes executor's settings (GitLab Runner's `[runners.kubernetes]`, the parts that
/// matter on a local Minikube or MicroK8s).
struct Settings
{
    QStringList kubeconfigFiles; ///< empty: `$KUBECONFIG` or `~/.kube/config`
    QString context;             ///< empty: current-context
    QString nameSpace;           ///< empty: the context's namespace (else "default")
    QString serviceAccount;      ///< empty: the namespace's default
    /// Image of the `helper` container (receives the source, tails the log, hands back the
    /// project folder): needs sh, tar, tail, nc, head. Tests use localhost/busybox:local.
    QString helperImage = QStringLiteral("docker.io/library/busybox:1.36");
    bool privileged = false; ///< also enabled by JobSpec::privileged
    QString pullPolicy;      ///< Always, IfNotPresent, Never; empty: the cluster's default
    QString cpuRequest, cpuLimit, memoryRequest, memoryLimit; ///< quantities ("500m", "1Gi")
    QMap<QString, QString> nodeSelector;
    /// Mount JobSpec::hostWorkspace as a hostPath at the project folder instead of uploading
    /// it (clusters on this host: MicroK8s, Minikube with `--driver=none` or a mount). collect()
    /// has nothing to do then.
    bool mountProjectFolder = false;
    int pollTimeoutSeconds = 180;    ///< waiting for the pod to run (GitLab Runner's default)
    int servicesTimeoutSeconds = 60; ///< waiting for service ports
    /// PersistentVolumeClaim mounted at /cache in every container (must exist; on a
    /// single-node cluster ReadWriteOnce is enough).
    QString cacheClaim;
};

/// Settings from the executor-neutral BackendSettings: `kubeContext`, `kubeNamespace`,
/// `privileged`, and in `extra`: kubeconfig (':'-separated files), kubeServiceAccount,
/// kubeHelperImage, kubePullPolicy, kubeCpuRequest, kubeCpuLimit, kubeMemoryRequest,
/// kubeMemoryLimit, kubeNodeSelector (map or "k=v,k=v"), kubeMountProjectFolder (bool),
/// kubePollTimeout (seconds), kubeServicesTimeout (seconds), kubeCacheClaim. The environment
/// variable STAGECRAFT_KUBE_HELPER_IMAGE overrides the default helper image.
Settings settingsFrom(const BackendSettings &settings);

/// Why `value` is not a Kubernetes resource quantity ("500m", "1Gi", "0.5", "2e3"); empty when it
/// is one.
QString quantityError(const QString &value);

/// The settings' own mistakes, worded for the user, before anything reaches the API: resource
/// quantities, the pull policy, node selector labels. Empty when they are fine.
QString settingsError(const Settings &settings);

/// What the executor names and labels (exposed for tests and for the sweep).
inline constexpr auto kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr auto kPipelineLabel = "stagecraft.dev/pipeline";
inline constexpr auto kJobLabel = "stagecraft.dev/job";
inline constexpr auto kHostLabel = "stagecraft.dev/host";
inline constexpr auto kOwnerPidAnnotation = "stagecraft.dev/owner-pid";

/// Paths inside the pod for one job (GitLab Runner's /scripts-P-J and /logs-P-J).
struct PodPaths
{
    QString builds = QStringLiteral("/builds");
    QString project; ///< /builds/<projectPath>
    QString scripts; ///< /scripts-<project id>-<job id>
    QString logs;    ///< /logs-...
    QString logFile; ///< logs + /output.log
};
PodPaths podPaths(const JobSpec &spec);

/// A label value as Kubernetes accepts it (63 characters of [A-Za-z0-9._-], alphanumeric ends).
QString labelValue(const QString &text);
/// The pod's manifest for a job (exposed so that tests can check it field by field).
/// `secretName`: the Secret holding the job's variables (empty: variables inline).
QJsonObject podManifest(const JobSpec &spec, const Settings &settings, const QString &nameSpace,
                        const QString &secretName);
/// Service ports to wait for (HEALTHCHECK_TCP_PORT, else the Docker daemon's for dind).
struct ServiceWait
{
    QString container;
    QString alias;
    int port = 0;
    bool dockerTls = false; ///< also wait for /certs/client/ca.pem
};
QList<ServiceWait> serviceWaits(const JobSpec &spec);

/// The Kubernetes executor: one pod per job (build, helper, svc-N containers).
class KubernetesBackend : public Backend
{
public:
    explicit KubernetesBackend(const Settings &settings);
    ~KubernetesBackend() override;

    QString id() const override { return QStringLiteral("kubernetes"); }
    QString displayName() const override;
    QString buildsDir(const JobSpec &spec) const override;
    QString projectDir(const JobSpec &spec) const override;
    /// Loads the kubeconfig, asks /version, and deletes pods of earlier runs on this host whose
    /// Stagecraft process is gone.
    bool initialize(QString *error) override;
    JobEnvironment *createEnvironment(const JobSpec &spec, QObject *parent) override;

    const Settings &settings() const { return m_settings; }
    /// Valid after initialize().
    const std::optional<Connection> &connection() const { return m_connection; }
    QString serverVersion() const { return m_serverVersion; }
    QStringList sweptPods() const { return m_swept; }

private:
    Settings m_settings;
    std::optional<Connection> m_connection;
    QString m_serverVersion;
    QStringList m_swept;
};

} // namespace stagecraft::exec::kube
