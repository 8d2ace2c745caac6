#pragma once

#include "exec/backend.h"
#include "exec/docker/dockerbackend.h"
#include "exec/docker/dockerclient.h"
#include "exec/services.h"

#include <QJsonObject>
#include <QMutex>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <functional>

namespace stagecraft::exec {

/// One job on a Docker engine: network `stagecraft-<pipeline>-<job>-<random>`, the services on it,
/// the job container (`...-build`) kept alive with `sh` and an open stdin, scripts run with exec.
/// Blocking API calls run in the environment's own worker threads (one for the job's phases, one
/// for aborting); results come back as queued signals in the owner's thread.
class DockerEnvironment : public JobEnvironment
{
    Q_OBJECT
public:
    DockerEnvironment(const DockerClient &client, const DockerSettings &settings,
                      const JobSpec &spec, QObject *parent = nullptr);
    ~DockerEnvironment() override;

    void prepare() override;
    void runScript(ScriptStep step, const QByteArray &script) override;
    void abortScript() override;
    void collect() override;
    void cleanup(bool keep) override;
    QString enterCommand() const override;

    QString networkName() const { return m_prefix; }
    QString containerName() const { return m_prefix + QStringLiteral("-build"); }
    bool bindsWorkspace() const;

private:
    QString doPrepare();
    int doRunScript(ScriptStep step, const QByteArray &script);
    QString doCollect();
    void doCleanup();
    /// Image present (pulled as `policies` say, for `platform`: `docker:platform`); its
    /// inspect object, or an error in GitLab Runner's words.
    QString ensureImage(const QString &image, QStringList policies, QJsonObject *inspect,
                        const QString &platform = {}, bool quiet = false);
    QString startService(int index, const ServiceSpec &service, QJsonObject *container);
    void waitForService(int index, const ServiceSpec &service, const QJsonObject &imageInspect);
    /// CI_DEBUG_SERVICES: each service's log, followed in its own thread until the job ends.
    void startServiceLogs();
    void followServiceLog(const QString &container, const QString &name);
    /// Ends the log streams and waits for their threads (at most about a second: libcurl's
    /// progress callback sees the flag).
    void stopServiceLogs();
    QJsonObject labels() const;
    QJsonArray environment(const QList<JobVariable> &variables, bool withFiles) const;
    /// Runs `command` in the job container to its end; its output, or an error.
    int execCapture(const QStringList &command, QByteArray *out, const QString &user = {});
    /// Starts a created exec and feeds its demultiplexed output to `sink` until it ends.
    DockerClient::Reply streamExec(const QString &id, const StreamDemuxer::FrameSink &sink,
                                   const CancelFlag *cancel);
    QByteArray containerLogs(const QString &container) const;
    /// `platform` (`docker:platform`, e.g. linux/arm64) picks the image variant to run.
    QString createAndStart(const QString &name, const QJsonObject &config, QJsonObject *inspect,
                           const QString &platform = {});
    void log(const QString &line);
    /// In the owner's thread: the job's bytes, and service lines merged in without breaking the
    /// job's lines (held while it has one open, for at most a second).
    void jobOutput(const QByteArray &bytes);
    void serviceOutput(const QByteArray &lines);
    void releaseServiceLines();
    void post(std::function<void()> fn);
    bool needsCertsVolume() const;

    DockerClient m_client;
    DockerSettings m_settings;
    JobSpec m_spec;
    QString m_instance; ///< random, in names and labels: this environment's objects only
    QString m_prefix;
    QString m_projectDir;
    QThreadPool m_worker;
    QThreadPool m_control;
    QThreadPool m_serviceLogs;        ///< one thread per followed service log
    CancelFlag m_cancel{false};       ///< environment going away: stop everything
    CancelFlag m_scriptCancel{false}; ///< stop waiting for the current script's stream
    CancelFlag m_logCancel{false};    ///< the job ends: stop following the services' logs
    mutable QMutex m_mutex;
    QString m_execId;           ///< the running script's exec (guarded by m_mutex)
    QStringList m_extraHosts;   ///< `alias:ip` of the services for the job container
    ServiceLineMerger m_merger; ///< owner's thread only
    QTimer m_release;
};

} // namespace stagecraft::exec
