#include "runcontroller.h"

#include "exec/backends.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QThread>
#include <QTimer>

namespace stagecraft::gui {

namespace {
// Closing the window while jobs run: how long their cleanup (processes, containers) may take.
constexpr int shutdownCancelMs = 15000;
} // namespace

RunRequest runRequestFrom(const Settings &settings)
{
    RunRequest r;
    r.includeCacheDir = settings.includeCacheDir;
    r.executor = settings.executor;
    r.privileged = settings.privileged;
    r.keepFailedEnvironment = settings.keepFailedEnvironment;
    r.concurrency = settings.concurrency;
    r.registry = settings.registry;
    r.kubeContext = settings.kubeContext;
    r.dockerHost = settings.dockerHost;
    r.dockerDefaultImage = settings.dockerDefaultImage;
    r.dockerPullPolicy = settings.dockerPullPolicy;
    r.kubeNamespace = settings.kubeNamespace;
    r.kubeHelperImage = settings.kubeHelperImage;
    r.kubeMountProject = settings.kubeMountProject;
    r.kubeServiceAccount = settings.kubeServiceAccount;
    r.kubePullPolicy = settings.kubePullPolicy;
    r.kubeCpuRequest = settings.kubeCpuRequest;
    r.kubeCpuLimit = settings.kubeCpuLimit;
    r.kubeMemoryRequest = settings.kubeMemoryRequest;
    r.kubeMemoryLimit = settings.kubeMemoryLimit;
    r.kubeNodeSelector = settings.kubeNodeSelector;
    r.kubeCacheClaim = settings.kubeCacheClaim;
    return r;
}

exec::BackendSettings backendSettings(const RunRequest &request)
{
    exec::BackendSettings settings;
    settings.privileged = request.privileged;
    settings.dockerHost = request.dockerHost; // empty: DOCKER_HOST, else the default socket
    settings.dockerDefaultImage = request.dockerDefaultImage;
    if (!request.dockerPullPolicy.isEmpty())
        settings.dockerPullPolicy = QStringList{request.dockerPullPolicy};
    settings.kubeContext = request.kubeContext;
    settings.kubeNamespace = request.kubeNamespace;
    // Empty values leave the backend's defaults (settingsFrom() reads them as not set).
    const std::pair<const char *, QString> kube[]{
        {"kubeHelperImage", request.kubeHelperImage},
        {"kubeServiceAccount", request.kubeServiceAccount},
        {"kubePullPolicy", request.kubePullPolicy},
        {"kubeCpuRequest", request.kubeCpuRequest},
        {"kubeCpuLimit", request.kubeCpuLimit},
        {"kubeMemoryRequest", request.kubeMemoryRequest},
        {"kubeMemoryLimit", request.kubeMemoryLimit},
        {"kubeNodeSelector", request.kubeNodeSelector},
        {"kubeCacheClaim", request.kubeCacheClaim}};
    for (const auto &[key, value] : kube)
        settings.extra.insert(QLatin1String(key), value);
    settings.extra.insert(QStringLiteral("kubeMountProjectFolder"), request.kubeMountProject);
    return settings;
}

RunController::RunController(QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_context(new QObject)
{
    m_thread->setObjectName(QStringLiteral("stagecraft-engine"));
    m_context->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread->start();
}

RunController::~RunController()
{
    // The engine goes in its own thread: a running pipeline is canceled first, so that no
    // process or container outlives the window.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            QList<exec::Engine *> engines = m_background;
            m_background.clear();
            if (m_engine)
                engines.append(m_engine);
            m_engine = nullptr;
            for (exec::Engine *engine : std::as_const(engines)) {
                if (engine->status() == exec::PipelineStatus::Running) {
                    QEventLoop loop;
                    connect(engine, &exec::Engine::finished, &loop, &QEventLoop::quit);
                    QTimer::singleShot(shutdownCancelMs, &loop, &QEventLoop::quit);
                    engine->cancelPipeline();
                    loop.exec();
                }
                delete engine;
            }
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
}

void RunController::runInEngine(std::function<void(exec::Engine &)> call)
{
    QMetaObject::invokeMethod(m_context, [this, call = std::move(call)] {
        if (m_engine)
            call(*m_engine);
    });
}

bool RunController::start(const RunRequest &request)
{
    const quint64 generation = ++m_generation;
    m_running = true;
    m_jobs.clear();
    m_pipelineId.clear();
    m_status = exec::PipelineStatus::Created;
    emit runStarting();
    // Everything below runs in the engine's thread; it touches m_engine only, and reports
    // through queued calls back to this thread.
    QMetaObject::invokeMethod(m_context, [this, request, generation] {
        // The run that was going, if any, is decided about once the new one has its id.
        exec::Engine *previous = m_engine;
        const QString previousRoot = m_engineRoot;
        const QString previousRef = m_engineRef;
        m_engine = nullptr;
        if (previous && previous->status() != exec::PipelineStatus::Running) {
            delete previous;
            previous = nullptr;
        }
        auto fail = [this, generation](const QString &error) {
            QMetaObject::invokeMethod(this, [this, generation, error] {
                if (generation != m_generation)
                    return;
                m_running = false;
                emit startFailed(error);
            });
        };
        const pipeline::PipelineContext context =
            PlanController::contextFor(request.projectRoot, request.ref);
        // A run that is still going when this one cannot start goes on as before.
        auto keepPrevious = [this, previous, previousRoot, previousRef] {
            if (!previous)
                return;
            m_engine = previous;
            m_engineRoot = previousRoot;
            m_engineRef = previousRef;
        };
        pipeline::PlanOptions planOptions;
        planOptions.resolve.projectRoot = request.projectRoot;
        planOptions.resolve.mainFile = request.mainFile;
        planOptions.resolve.includeCacheDir = request.includeCacheDir;
        planOptions.effectiveJobs = true; // jobs run with default: and global variables applied
        const pipeline::Plan plan = pipeline::Planner::planProject(context, planOptions);
        if (!plan.errors.isEmpty()) {
            keepPrevious();
            fail(plan.errors.join(u"; "));
            return;
        }
        if (!plan.created) {
            keepPrevious();
            fail(tr("The pipeline is not created: %1").arg(plan.reason));
            return;
        }
        const exec::BackendSettings settings = backendSettings(request);
        QString error;
        std::unique_ptr<exec::Backend> backend =
            exec::createBackend(request.executor, settings, &error);
        if (!backend) {
            keepPrevious();
            fail(error);
            return;
        }
        auto *engine = new exec::Engine(std::move(backend));
        // Copies of the records cross to the GUI thread; the engine's own objects never do.
        auto post = [this, generation, engine](int id, bool added) {
            const exec::JobRecord *record = engine->job(id);
            if (!record)
                return;
            QMetaObject::invokeMethod(this, [this, generation, copy = *record, added] {
                if (generation == m_generation)
                    update(copy, added);
            });
        };
        connect(engine, &exec::Engine::jobAdded, engine, [post](int id) { post(id, true); });
        connect(engine, &exec::Engine::jobChanged, engine, [post](int id) { post(id, false); });
        connect(engine, &exec::Engine::pipelineStatusChanged, engine,
                [this, generation](exec::PipelineStatus status) {
                    QMetaObject::invokeMethod(this, [this, generation, status] {
                        if (generation != m_generation)
                            return;
                        m_status = status;
                        if (status == exec::PipelineStatus::Running)
                            m_running = true; // also when a manual job is played afterwards
                        emit statusChanged(status);
                    });
                });
        connect(engine, &exec::Engine::finished, engine,
                [this, generation](exec::PipelineStatus status) {
                    QMetaObject::invokeMethod(this, [this, generation, status] {
                        if (generation != m_generation)
                            return;
                        m_status = status;
                        m_running = false;
                        emit finished(status);
                    });
                });
        exec::RunOptions options;
        options.projectRoot = request.projectRoot;
        options.jobs = request.jobs;
        options.withNeeds = request.withNeeds;
        options.concurrency = request.concurrency;
        options.registry = request.registry;
        options.privileged = request.privileged;
        options.keepFailedEnvironment = request.keepFailedEnvironment;
        options.dataDir = request.dataDir;
        // User variables files as the command line reads them, lowest first.
        const QString home =
            QDir::home().filePath(QStringLiteral(".gitlab-ci-local/variables.yml"));
        if (QFileInfo::exists(home))
            options.variablesFiles << home;
        const QString projectFile =
            QDir(request.projectRoot).filePath(QStringLiteral(".gitlab-ci-local-variables.yml"));
        if (QFileInfo::exists(projectFile))
            options.variablesFiles << projectFile;
        m_engine = engine;
        if (!engine->start(plan, context, options, &error)) {
            delete engine;
            m_engine = nullptr;
            keepPrevious();
            fail(error);
            return;
        }
        m_engineRoot = QDir(request.projectRoot).canonicalPath();
        m_engineRef = context.ref;
        const QString id = engine->pipelineId();
        QMetaObject::invokeMethod(this, [this, generation, id] {
            if (generation != m_generation)
                return;
            m_pipelineId = id;
            emit started();
        });
        if (previous)
            retire(previous, previousRoot == m_engineRoot && previousRef == m_engineRef, id,
                   generation);
    });
    return true;
}

void RunController::retire(exec::Engine *previous, bool sameRef, const QString &newerId,
                           quint64 generation)
{
    // GitLab cancels a redundant pipeline when a newer one starts on the same ref.
    PreviousRun outcome = PreviousRun::OtherRef;
    if (sameRef)
        outcome = previous->cancelRedundant(newerId) ? PreviousRun::AutoCanceled
                                                     : PreviousRun::NotInterruptible;
    // Its reports went with its generation; it is deleted once it finished (cleanup included).
    m_background.append(previous);
    connect(previous, &exec::Engine::finished, m_context, [this, previous] {
        if (!m_background.removeOne(previous))
            return;
        previous->deleteLater();
    });
    const QString id = previous->pipelineId();
    QMetaObject::invokeMethod(this, [this, id, outcome, generation] {
        if (generation == m_generation)
            emit previousRun(id, outcome);
    });
}

void RunController::update(const exec::JobRecord &record, bool added)
{
    const bool known = m_jobs.count(record.id) > 0;
    m_jobs[record.id] = record;
    // A played or retried job after finished(): the run goes on (finished() comes again).
    const exec::JobStatus s = record.status;
    if (s == exec::JobStatus::Pending || s == exec::JobStatus::Preparing ||
        s == exec::JobStatus::Running || s == exec::JobStatus::WaitingForResource)
        m_running = true;
    if (added || !known)
        emit jobAdded(record.id);
    else
        emit jobChanged(record.id);
}

QList<exec::JobRecord> RunController::jobs() const
{
    QList<exec::JobRecord> out;
    out.reserve(qsizetype(m_jobs.size()));
    for (const auto &[id, record] : m_jobs)
        out.append(record);
    return out;
}

const exec::JobRecord *RunController::job(int id) const
{
    const auto it = m_jobs.find(id);
    return it == m_jobs.end() ? nullptr : &it->second;
}

const exec::JobRecord *RunController::job(const QString &name, int parentId) const
{
    const exec::JobRecord *found = nullptr;
    for (const auto &[id, record] : m_jobs) {
        if (record.name == name && record.parentId == parentId)
            found = &record; // the newest (highest id) wins
    }
    return found;
}

void RunController::play(int jobId)
{
    runInEngine([jobId](exec::Engine &e) { e.play(jobId); });
}

void RunController::retry(int jobId)
{
    runInEngine([jobId](exec::Engine &e) { e.retry(jobId); });
}

void RunController::cancel(int jobId)
{
    runInEngine([jobId](exec::Engine &e) { e.cancel(jobId); });
}

void RunController::cancelPipeline()
{
    runInEngine([](exec::Engine &e) { e.cancelPipeline(); });
}

} // namespace stagecraft::gui
