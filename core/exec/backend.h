#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace stagecraft::exec {

/// One variable as the job receives it, after GitLab's precedence and expansion.
struct JobVariable
{
    QString name;
    QString value;       ///< for file variables: the file's content
    bool file = false;   ///< `type: file`: the backend writes `value` to a file and the variable
                         ///< holds that file's path (as GitLab Runner does)
    bool masked = false; ///< replaced by `[MASKED]` in the trace (the engine does the masking)
    bool operator==(const JobVariable &) const = default;
};

/// `image:` of a job (or of a service).
struct ImageSpec
{
    QString name; ///< empty: no image (shell backend's normal case)
    bool hasEntrypoint = false;
    QStringList entrypoint; ///< `entrypoint:` (empty list with hasEntrypoint: override to none)
    QStringList pullPolicy; ///< `pull_policy:` (always, if-not-present, never); empty: default
    QString user;           ///< `docker:user`
    QString platform;       ///< `docker:platform`
    QString kubernetesUser; ///< `kubernetes:user`: `UID` or `UID:GID`
};

/// One entry of `services:`.
struct ServiceSpec
{
    ImageSpec image;
    /// Host names the service answers to: GitLab's derived names (`docker:24-dind` -> `docker`;
    /// `registry.x/grp/pg:15` -> `registry.x__grp__pg` and `registry.x-grp-pg`), then `alias:`
    /// (comma-separated in YAML) entries. Computed by the engine.
    QStringList aliases;
    QStringList command;          ///< `command:` (arguments to the entrypoint)
    QList<JobVariable> variables; ///< job variables + the service's own `variables:`
    int healthcheckPort = 0;      ///< `HEALTHCHECK_TCP_PORT`; 0: the image's first exposed port
};

/// Everything a backend needs to run one job. Filled by the engine.
struct JobSpec
{
    QString pipelineId; ///< unique per run (also in labels and names:
                        ///< `stagecraft-<pipelineId>-<jobId>`)
    int jobId = 0;      ///< CI_JOB_ID
    QString jobName;    ///< CI_JOB_NAME
    QString stage;
    QString projectPath; ///< `group/project` (CI_PROJECT_PATH)
    ImageSpec image;
    QList<ServiceSpec> services;
    /// The job's variables, final and in order (predefined first). CI_PROJECT_DIR and
    /// CI_BUILDS_DIR are the values from Backend::buildsDir().
    QList<JobVariable> variables;
    /// Host folder holding the job's own copy of the project (source + restored cache +
    /// downloaded artifacts). The backend makes it the job's CI_PROJECT_DIR (shell: runs in it;
    /// containers: bind mount or upload) and, in JobEnvironment::collect(), leaves the job's
    /// changes in it, so that the engine can take artifacts and cache from it.
    QString hostWorkspace;
    /// Host folder for the backend's own files (scripts, file variables, certificates): never
    /// inside hostWorkspace. Created by the engine, removed with the pipeline's temporary files.
    QString hostScratch;
    bool privileged = false;    ///< user setting (GitLab Runner's `privileged`)
    bool keepOnFailure = false; ///< keep the environment of a failed job for debugging
};

/// The phases of a job in GitLab Runner's order; the engine runs step and after scripts through
/// JobEnvironment::runScript.
enum class ScriptStep { Step, AfterScript };

/// One job's environment on a backend: a folder and processes (shell), containers and a network
/// (Docker), a pod (Kubernetes). Lives in the engine's thread; everything is asynchronous and
/// reports through signals. The engine calls prepare() once, then runScript() for the step
/// script and (always, if prepared) for the after script, then collect(), then cleanup().
class JobEnvironment : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~JobEnvironment() override = default;

    /// Image present or pulled, network, services started and answering, source in place.
    /// Emits prepared().
    virtual void prepare() = 0;
    /// Runs a complete bash script (built by the engine: shell detection fallback is the
    /// backend's: bash, else sh) in CI_PROJECT_DIR with the job's variables. Trace bytes come
    /// through output(); emits scriptFinished() with the exit code.
    virtual void runScript(ScriptStep step, const QByteArray &script) = 0;
    /// Stops the running script (timeout or cancel): processes or containers really stopped.
    /// scriptFinished() follows (exit code as the backend saw it, may be -1).
    virtual void abortScript() = 0;
    /// Makes hostWorkspace reflect the job's project folder (no-op for shell and bind mounts).
    /// Emits collected().
    virtual void collect() = 0;
    /// Removes everything (containers, networks, volumes, pods, processes); with `keep`, leaves
    /// the environment for debugging. Emits cleanedUp(). Must also work before/without prepare().
    virtual void cleanup(bool keep) = 0;
    /// The command that enters a kept environment (`docker exec -it stagecraft-... bash`,
    /// `kubectl exec -it -n ns pod -c build -- sh`, `cd /path && bash` for the shell backend).
    virtual QString enterCommand() const = 0;

Q_SIGNALS:
    void output(const QByteArray &bytes);
    void prepared(bool ok, const QString &error);
    void scriptFinished(int exitCode);
    void collected(bool ok, const QString &error);
    void cleanedUp();
};

/// An executor: shell, docker, kubernetes. Created by the engine's owner, used from the engine's
/// thread.
class Backend
{
public:
    virtual ~Backend() = default;
    virtual QString id() const = 0;          ///< `shell`, `docker`, `kubernetes`
    virtual QString displayName() const = 0; ///< for "Preparing the "%1" executor"
    /// CI_BUILDS_DIR for a job of `spec` (shell: the parent of hostWorkspace; containers:
    /// `/builds`). CI_PROJECT_DIR is buildsDir + '/' + projectPath for containers and
    /// hostWorkspace for the shell.
    virtual QString buildsDir(const JobSpec &spec) const = 0;
    virtual QString projectDir(const JobSpec &spec) const = 0;
    /// Checks the backend can run (engine reachable, cluster answers) and removes left-overs of
    /// earlier runs (labelled containers, networks, volumes, pods). False with a clear error
    /// ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock: ...").
    virtual bool initialize(QString *error) = 0;
    virtual JobEnvironment *createEnvironment(const JobSpec &spec, QObject *parent) = 0;
};

} // namespace stagecraft::exec
