#pragma once

#include "exec/backend.h"
#include "exec/backends.h"
#include "exec/docker/dockerclient.h"

#include <QString>
#include <QStringList>

namespace stagecraft::exec {

/// What the user configured for the Docker executor.
struct DockerSettings
{
    QString host; ///< empty: DOCKER_HOST, else unix:///var/run/docker.sock
    /// The image of jobs without `image:` (GitLab Runner's `[runners.docker] image`).
    QString defaultImage = QStringLiteral("busybox:latest");
    /// Runs the service health checks (needs `sh`, `nc` and `timeout`: busybox has them).
    QString helperImage = QStringLiteral("busybox:latest");
    bool privileged = false; ///< GitLab Runner's `privileged` (JobSpec::privileged per job)
    /// Used when a job's image gives no `pull_policy:`. GitLab Runner defaults to `always`; a
    /// local run defaults to `if-not-present` instead: images built or loaded locally (and
    /// everything when offline) are used as they are, and a run does not hit the registry's
    /// rate limits for every job.
    QStringList pullPolicy = {QStringLiteral("if-not-present")};
    int serviceTimeoutSeconds = 30; ///< GitLab Runner's `wait_for_services_timeout`
};

/// Labels on everything the Docker executor creates.
namespace dockerlabels {
inline constexpr auto managed = "com.stagecraft.managed";
inline constexpr auto pipeline = "com.stagecraft.pipeline";
inline constexpr auto job = "com.stagecraft.job";
/// `<host name>:<pid>` of the process that created the object (for the sweep of left-overs).
inline constexpr auto owner = "com.stagecraft.owner";
/// One job environment's objects (random: pipeline ids repeat between data folders).
inline constexpr auto instance = "com.stagecraft.instance";
/// On the marker volume of an environment kept for debugging: when (seconds since the epoch).
inline constexpr auto kept = "com.stagecraft.kept";
} // namespace dockerlabels

/// GitLab Runner's Docker executor on Docker Engine or Podman's Docker-compatible service: a
/// network per job, services on it, a job container kept alive and scripts run with exec.
class DockerBackend : public Backend
{
public:
    explicit DockerBackend(DockerSettings settings = {});
    /// The Docker fields of the executors' settings (empty ones keep DockerSettings' defaults).
    static DockerSettings settingsFrom(const BackendSettings &settings);

    QString id() const override { return QStringLiteral("docker"); }
    QString displayName() const override { return QStringLiteral("docker"); }
    QString buildsDir(const JobSpec &spec) const override;
    QString projectDir(const JobSpec &spec) const override;
    bool initialize(QString *error) override;
    JobEnvironment *createEnvironment(const JobSpec &spec, QObject *parent) override;

    const DockerSettings &settings() const { return m_settings; }
    const DockerClient &client() const { return m_client; }
    /// Removes labelled containers, networks and volumes whose creating process is gone
    /// (same host name, pid not running), except environments kept for debugging less than
    /// `keptSeconds` ago. Returns how many objects were removed.
    int sweep(QString *error = nullptr);
    static constexpr qint64 keptSeconds = 24 * 3600;

    /// `<host name>:<pid>` of this process, the value of the owner label.
    static QString ownerLabel();

private:
    DockerSettings m_settings;
    DockerClient m_client;
    bool m_initialized = false;
};

} // namespace stagecraft::exec
