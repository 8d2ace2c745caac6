#include "exec/engine.h"

#include "ci/duration.h"
#include "exec/fileops.h"
#include "exec/jobvariables.h"
#include "exec/scriptbuilder.h"
#include "exec/services.h"
#include "exec/variablesfile.h"
#include "exec/workspace.h"
#include "yaml/emitter.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QMutex>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QSysInfo>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <map>
#include <unistd.h>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString text(const yaml::Node &node)
{
    return node.isScalar() ? node.scalar() : QString();
}

QStringList texts(const yaml::Node &node)
{
    QStringList out;
    if (node.isScalar())
        out << node.scalar();
    else if (node.isSequence())
        for (const yaml::Node &item : node.items())
            if (item.isScalar())
                out << item.scalar();
    return out;
}

QList<int> ints(const yaml::Node &node)
{
    QList<int> out;
    if (node.isScalar())
        out << int(node.toInt().value_or(0));
    else if (node.isSequence())
        for (const yaml::Node &item : node.items())
            if (item.isScalar())
                out << int(item.toInt().value_or(0));
    return out;
}

/// Copies a folder tree: symlinks kept as links, permissions kept.
bool copyTree(const QString &from, const QString &to, QString *error)
{
    if (!QDir().mkpath(to)) {
        *error = tr("cannot create %1").arg(to);
        return false;
    }
    const QDir src(from);
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString target = QDir(to).filePath(src.relativeFilePath(info.filePath()));
        if (info.isSymLink()) {
            QFile::remove(target);
            char buffer[4096];
            const QByteArray source = QFile::encodeName(info.filePath());
            const ssize_t n = ::readlink(source.constData(), buffer, sizeof buffer);
            if (n < 0 || !QFile::link(QFile::decodeName(QByteArray(buffer, n)), target)) {
                *error = tr("cannot create the link %1").arg(target);
                return false;
            }
        } else if (info.isDir()) {
            if (!QDir().mkpath(target)) {
                *error = tr("cannot create %1").arg(target);
                return false;
            }
        } else {
            // Not QFile::copy: it writes a temporary file and fdatasync()s it, which waits for
            // the disk on a busy machine (a scratch copy needs no durability).
            QString why;
            if (!fileops::copyEntry(QFile::encodeName(info.filePath()), QFile::encodeName(target),
                                    nullptr, &why)) {
                *error = tr("cannot copy %1 to %2: %3").arg(info.filePath(), target, why);
                return false;
            }
        }
    }
    return true;
}

/// GitLab's environment slug (Gitlab::Slug::Environment): lowercase letters, digits and `-`,
/// starting with a letter, at most 24 characters; when that changed the name, a 6-character
/// suffix (base 36 of the name's SHA-256) keeps slugs of different names apart.
QString environmentSlug(const QString &name)
{
    QString slug;
    for (const QChar c : name.toLower())
        slug += ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) ? c : u'-';
    if (slug.isEmpty() || !(slug.front() >= u'a' && slug.front() <= u'z'))
        slug.prepend(QStringLiteral("env-"));
    while (slug.contains(QStringLiteral("--")))
        slug.replace(QStringLiteral("--"), QStringLiteral("-"));
    while (slug.endsWith(u'-'))
        slug.chop(1);
    if (slug.size() <= 24 && slug == name)
        return slug;
    // Base 36 of the hash as a big number: repeated division of its hex digits.
    QList<int> digits;
    for (const char c : QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex())
        digits << (c <= '9' ? c - '0' : c - 'a' + 10);
    QString base36;
    while (!digits.isEmpty() && base36.size() < 6) {
        QList<int> quotient;
        int remainder = 0;
        for (int d : std::as_const(digits)) {
            const int value = remainder * 16 + d;
            if (!quotient.isEmpty() || value / 36 > 0)
                quotient << value / 36;
            remainder = value % 36;
        }
        base36.prepend(QChar(remainder < 10 ? u'0' + remainder : u'a' + remainder - 10));
        digits = quotient;
    }
    slug = slug.left(17);
    if (!slug.endsWith(u'-'))
        slug += u'-';
    return slug + base36;
}

/// GitLab's guess of `deployment_tier` from the environment name (Environment#guess_tier).
QString environmentTier(const QString &name)
{
    static const QList<QPair<QRegularExpression, QString>> tiers = {
        {QRegularExpression(QStringLiteral("(dev|review|trunk)"),
                            QRegularExpression::CaseInsensitiveOption),
         QStringLiteral("development")},
        {QRegularExpression(QStringLiteral("(test|tst|int|ac(ce|)pt|qa|qc|control|quality)"),
                            QRegularExpression::CaseInsensitiveOption),
         QStringLiteral("testing")},
        {QRegularExpression(QStringLiteral("(st(a|)g|mod(e|)l|pre|demo|non)"),
                            QRegularExpression::CaseInsensitiveOption),
         QStringLiteral("staging")},
        {QRegularExpression(QStringLiteral("(pr(o|)d|live)"),
                            QRegularExpression::CaseInsensitiveOption),
         QStringLiteral("production")}};
    for (const auto &[re, tier] : tiers)
        if (re.match(name).hasMatch())
            return tier;
    return QStringLiteral("other");
}

/// The pipeline's copy of the project every job starts from. Removed when the pipeline
/// finishes (it can be big); a job retried or played later copies the working tree again.
struct SourceCopy
{
    QMutex mutex;
    bool present = false;
    QStringList files; ///< what snapshotSource() copied (for `untracked`)
};

/// Marks a pipeline folder whose failed environments were kept: never pruned.
const char keptMarker[] = "kept-environments";
/// Held (QLockFile) while the pipeline's Engine exists: never pruned.
const char lockName[] = ".lock";

/// Removes all but the `keep` newest pipeline folders (by id), except those in use by an
/// engine (locked) and those with kept environments.
void prunePipelines(const QDir &pipelines, int keep)
{
    if (keep <= 0)
        return;
    QList<int> ids;
    for (const QString &entry : pipelines.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const int id = entry.toInt(&ok);
        if (ok && id > 0 && QString::number(id) == entry)
            ids << id;
    }
    std::sort(ids.begin(), ids.end(), std::greater<int>());
    for (qsizetype i = keep; i < ids.size(); ++i) {
        const QDir dir(pipelines.filePath(QString::number(ids.at(i))));
        if (dir.exists(QLatin1String(keptMarker)))
            continue;
        QLockFile lock(dir.filePath(QLatin1String(lockName)));
        lock.setStaleLockTime(0); // only a dead owner makes a lock stale, not its age
        if (!lock.tryLock(0))
            continue;
        lock.unlock();
        QDir(dir).removeRecursively();
    }
}

enum class Phase { Idle, Preparing, Step, AfterScript, Collecting, CleaningUp, Done };

enum class Composite { Waiting, Success, Failed, Canceled };

struct RetrySpec
{
    int max = 0;
    QStringList when{QStringLiteral("always")};
    QList<int> exitCodes;
};

struct Run
{
    JobRecord rec;
    const pipeline::PlannedJob *planned = nullptr;
    const pipeline::Plan *plan = nullptr;
    int group = 0; ///< trigger job id, 0 for the top-level pipeline
    QList<int> prereqs;
    bool needsBased = false;
    QList<int> artifactSources;
    QStringList missingSources; ///< `dependencies:` not in this run
    bool played = false;        ///< manual job played, delayed job started now, named on purpose
    yaml::Node node;

    QStringList beforeScript, script, afterScript;
    int timeoutSeconds = 3600;
    RetrySpec retry;
    QList<int> allowExitCodes;
    QString resourceGroup;
    bool interruptible = false;
    bool depend = false;

    // One attempt.
    QPointer<JobEnvironment> env;
    std::unique_ptr<Masker> masker;
    QTimer *timer = nullptr;
    Phase phase = Phase::Idle;
    bool timedOut = false;
    bool afterTimedOut = false;
    bool canceled = false;
    QString systemError;
    QString missingDependency;
    int stepExit = -1;
    QString jobDir, workspace, scratch, artifactsDir;
    bool hasArtifacts = false;
    QList<QPair<QString, QString>> dotenv;
    QList<JobVariable> variables;
    ArtifactsSpec artifacts;
    QList<CacheSpec> caches;
    QByteArray pendingTrace; ///< sections prepared before the executor was ready
    bool childCreated = false;
    QString environment, environmentUrl, environmentAction, environmentTier;
    JobSpec spec;
};

/// No more trace for this attempt (a log that could not be created is simply absent).
void finishLog(const JobRecord &rec)
{
    if (rec.log)
        rec.log->finish();
}

/// Stops a job's timer; deleted later: this may run inside its own timeout().
void stopTimer(Run &r)
{
    if (!r.timer)
        return;
    r.timer->stop();
    r.timer->deleteLater();
    r.timer = nullptr;
}

} // namespace

struct Engine::Private
{
    Engine *q = nullptr;
    std::unique_ptr<Backend> backend;
    pipeline::Plan plan;
    pipeline::PipelineContext context;
    RunOptions options;
    std::vector<std::unique_ptr<Run>> runs;
    QString pipelineId;
    QString dataDir, pipelineDir, sourceDir, projectName;
    QStringList sourceFiles;
    std::shared_ptr<SourceCopy> source = std::make_shared<SourceCopy>();
    std::unique_ptr<QLockFile> lock;
    /// Called when finished() comes: removes what only running jobs need.
    void removeWorkFiles();
    /// User variables files read for an environment name (scoped values differ).
    QHash<QString, VariablesFileResult> fileVariables;

    const VariablesFileResult &fileVariablesFor(const QString &environment)
    {
        auto it = fileVariables.find(environment);
        if (it == fileVariables.end()) {
            VariablesFileResult all;
            for (const QString &file : std::as_const(options.variablesFiles)) {
                const VariablesFileResult result =
                    readVariablesFile(file, environment, context.effectiveFacts().projectPath);
                all.variables += result.variables;
                all.errors += result.errors;
            }
            it = fileVariables.insert(environment, all);
        }
        return *it;
    }
    QDateTime created;
    int concurrency = 1;
    PipelineStatus status = PipelineStatus::Created;
    bool started = false;
    bool finishedEmitted = false;
    bool canceledPipeline = false;
    bool selectionRefused = false;
    bool inSchedule = false;
    bool scheduleAgain = false;
    QHash<QString, int> resourceHolders;
    std::vector<std::shared_ptr<const pipeline::Plan>> dynamicPlans;
    /// File work (copies, cache, artifacts) off the engine's thread.
    QThreadPool pool;

    Run *run(int id) const
    {
        return id >= 1 && size_t(id) <= runs.size() ? runs.at(size_t(id - 1)).get() : nullptr;
    }

    // --- setup
    void addRuns(const pipeline::Plan &p, int group, const QSet<QString> *selection,
                 const QSet<QString> &named);
    void parseJob(Run &r);

    // --- scheduling
    Composite composite(const Run &r) const;
    void schedule();
    void scheduleOnce(bool *changed);
    int activeCount() const;
    bool isActive(const Run &r) const;
    void setStatus(Run &r, JobStatus s);
    void cancelOnJobFailure(const Run &failed);
    void checkIdle();
    PipelineStatus groupStatus(int group) const;

    // --- one job
    void appendTrace(Run &r, const QByteArray &bytes);
    void startJob(Run &r);
    void startTrigger(Run &r);
    /// The child pipeline of `trigger:include:artifact` (known once the generating job ran).
    std::shared_ptr<const pipeline::Plan> dynamicChild(Run &r, QString *error);
    void onFilesPrepared(Run &r, const QString &error, const QByteArray &trace);
    void onPrepared(Run &r, bool ok, const QString &error);
    void onJobTimeout(Run &r);
    void runStep(Run &r);
    void onScriptFinished(Run &r, int exitCode);
    void runAfter(Run &r);
    void collect(Run &r);
    void onCollected(Run &r, bool ok, const QString &error);
    void cleanup(Run &r);
    void onCleanedUp(Run &r);
    void finishAttempt(Run &r);
    void abort(Run &r);
    /// Cancels a job that has no environment (not started, or between phases).
    void cancelIdle(Run &r);
    QList<QPair<QString, QString>> jobPredefined(const Run &r, const JobSpec &spec) const;
    QString newLog(Run &r);
};

// ------------------------------------------------------------------------------------ setup

void Engine::Private::addRuns(const pipeline::Plan &p, int group, const QSet<QString> *selection,
                              const QSet<QString> &named)
{
    QHash<QString, int> idOf;
    QList<Run *> added;
    for (const pipeline::PlannedJob &job : p.jobs) {
        if (selection && !selection->contains(job.name))
            continue;
        auto r = std::make_unique<Run>();
        r->rec.id = int(runs.size()) + 1;
        r->rec.parentId = group;
        r->rec.name = job.name;
        r->rec.stage = job.stage;
        r->planned = &job;
        r->plan = &p;
        r->group = group;
        r->played = named.contains(job.name);
        r->node = job.effective.isMap() ? job.effective : job.source.node;
        parseJob(*r);
        idOf.insert(job.name, r->rec.id);
        added << r.get();
        runs.push_back(std::move(r));
    }
    for (Run *r : std::as_const(added)) {
        const pipeline::PlannedJob &job = *r->planned;
        r->needsBased = job.hasNeeds;
        if (job.hasNeeds) {
            for (const pipeline::Need &need : job.needs) {
                if (!need.isLocal())
                    continue;
                if (const int id = idOf.value(need.job)) {
                    r->prereqs << id;
                    if (need.artifacts && !job.hasDependencies)
                        r->artifactSources << id;
                }
            }
        } else {
            for (Run *other : std::as_const(added)) {
                if (other->planned->stageIndex < job.stageIndex)
                    r->prereqs << other->rec.id;
            }
            if (!job.hasDependencies)
                r->artifactSources = r->prereqs;
        }
        if (job.hasDependencies) {
            // With needs too, only needs with artifacts are downloaded (GitLab wants
            // dependencies to be a subset of needs).
            QSet<QString> needed;
            for (const pipeline::Need &need : job.needs)
                if (need.artifacts)
                    needed.insert(need.job);
            for (const QString &dep : job.dependencies) {
                if (const int id = idOf.value(dep); id && (!job.hasNeeds || needed.contains(dep)))
                    r->artifactSources << id;
            }
        }
        newLog(*r);
    }
}

void Engine::Private::parseJob(Run &r)
{
    const yaml::Node &n = r.node;
    r.beforeScript = scriptCommands(n.value(u"before_script"));
    r.script = scriptCommands(n.value(u"script"));
    r.afterScript = scriptCommands(n.value(u"after_script"));
    r.timeoutSeconds = options.defaultTimeoutSeconds;
    if (const QString t = text(n.value(u"timeout")); !t.isEmpty()) {
        if (const auto seconds = ci::parseDuration(t); seconds && *seconds > 0)
            r.timeoutSeconds = int(*seconds);
    }
    const yaml::Node retry = n.value(u"retry");
    if (retry.isScalar()) {
        r.retry.max = int(retry.toInt().value_or(0));
    } else if (retry.isMap()) {
        r.retry.max = int(retry.value(u"max").toInt().value_or(0));
        if (retry.contains(u"when"))
            r.retry.when = texts(retry.value(u"when"));
        r.retry.exitCodes = ints(retry.value(u"exit_codes"));
    }
    r.retry.max = std::clamp(r.retry.max, 0, 2);
    // The planner knows whether the matched rule replaced the job's allow_failure.
    r.allowExitCodes = r.planned->allowFailureExitCodes;
    // rules:interruptible overrides the job's (and default:'s).
    const yaml::Node interruptible = r.planned->rule.contains(u"interruptible")
                                         ? r.planned->rule.value(u"interruptible")
                                         : n.value(u"interruptible");
    r.interruptible = interruptible.isScalar() && interruptible.toBool().value_or(false);
    // resource_group may use variables; the scheduler needs it before the job starts.
    QHash<QString, QString> values = r.plan->pipelineVariables;
    for (const vars::Variable &v : r.planned->variables)
        values.insert(v.name, v.value);
    values.insert(QStringLiteral("CI_JOB_NAME"), r.rec.name);
    values.insert(QStringLiteral("CI_JOB_STAGE"), r.rec.stage);
    r.resourceGroup = vars::expand(text(n.value(u"resource_group")), values);
    const yaml::Node trigger = n.value(u"trigger");
    r.depend = trigger.isMap() && text(trigger.value(u"strategy")) == u"depend";
}

// ------------------------------------------------------------------------------- scheduling

bool Engine::Private::isActive(const Run &r) const
{
    switch (r.rec.status) {
    case JobStatus::Pending:
    case JobStatus::WaitingForResource:
    case JobStatus::Preparing:
    case JobStatus::Running:
    case JobStatus::Scheduled:
        return true;
    default:
        return r.phase != Phase::Idle && r.phase != Phase::Done;
    }
}

int Engine::Private::activeCount() const
{
    int n = 0;
    for (const auto &r : runs) {
        if (!r->planned->trigger && r->phase != Phase::Idle && r->phase != Phase::Done)
            ++n;
    }
    return n;
}

Composite Engine::Private::composite(const Run &r) const
{
    bool failed = false;
    bool canceled = false;
    for (int id : r.prereqs) {
        const Run *p = run(id);
        switch (p->rec.status) {
        case JobStatus::Success:
        case JobStatus::Skipped:
            break;
        case JobStatus::Failed:
            failed = failed || !p->rec.allowedToFail;
            break;
        case JobStatus::Canceled:
            canceled = true;
            break;
        case JobStatus::Manual:
            // A manual job that may be skipped (allow_failure) does not hold later stages back;
            // a job that needs it waits for it to be played.
            if (r.needsBased || !p->planned->allowFailure)
                return Composite::Waiting;
            break;
        default:
            return Composite::Waiting;
        }
    }
    if (failed)
        return Composite::Failed;
    if (canceled)
        return Composite::Canceled;
    return Composite::Success;
}

void Engine::Private::setStatus(Run &r, JobStatus s)
{
    if (r.rec.status == s)
        return;
    r.rec.status = s;
    Q_EMIT q->jobChanged(r.rec.id);
    if (s == JobStatus::Failed && !r.rec.allowedToFail)
        cancelOnJobFailure(r);
}

void Engine::Private::cancelOnJobFailure(const Run &failed)
{
    // workflow:auto_cancel:on_job_failure: all. Like GitLab's cancel of running jobs: what is
    // created, pending or running is canceled (a trigger's child pipeline with it); manual jobs
    // stay playable; a depend trigger that fails takes its parent pipeline with it.
    if (!failed.plan || failed.plan->autoCancelOnJobFailure != u"all")
        return;
    const QByteArray line =
        ansi::yellow +
        tr("Job canceled: job %1 failed (workflow:auto_cancel:on_job_failure: all)")
            .arg(failed.rec.name)
            .toUtf8() +
        ansi::reset + '\n';
    for (const auto &c : runs) {
        if (c->group != failed.group || c.get() == &failed || isFinished(c->rec.status) ||
            c->rec.status == JobStatus::Manual)
            continue;
        appendTrace(*c, line);
        if (c->phase != Phase::Idle && c->phase != Phase::Done) {
            abort(*c);
            continue;
        }
        q->cancel(c->rec.id);
    }
}

void Engine::Private::schedule()
{
    if (inSchedule) {
        scheduleAgain = true;
        return;
    }
    inSchedule = true;
    bool changed = true;
    while (changed) {
        changed = false;
        scheduleAgain = false;
        scheduleOnce(&changed);
        changed = changed || scheduleAgain;
    }
    inSchedule = false;
    checkIdle();
}

void Engine::Private::scheduleOnce(bool *changed)
{
    using pipeline::When;
    // By index: starting a trigger job adds the child pipeline's jobs.
    for (size_t i = 0; i < runs.size(); ++i) {
        Run &r = *runs.at(i);
        if (r.rec.status == JobStatus::Created) {
            if (canceledPipeline) {
                setStatus(r, JobStatus::Canceled);
                r.rec.failureReason = FailureReason::Canceled;
                finishLog(r.rec);
                *changed = true;
                continue;
            }
            const Composite c = composite(r);
            if (c == Composite::Waiting)
                continue;
            bool valid = false;
            switch (r.planned->when) {
            case When::OnFailure:
                valid = c == Composite::Failed;
                break;
            case When::Always:
                valid = c == Composite::Success || c == Composite::Failed;
                break;
            case When::Never:
                valid = false;
                break;
            default:
                valid = c == Composite::Success;
                break;
            }
            *changed = true;
            if (!valid) {
                setStatus(r, JobStatus::Skipped);
                finishLog(r.rec);
                continue;
            }
            if (r.planned->when == When::Manual && !r.played && !options.manualJobsRun) {
                setStatus(r, JobStatus::Manual);
                continue;
            }
            if (r.planned->when == When::Delayed && !r.played) {
                const qint64 seconds = ci::parseDuration(r.planned->startIn).value_or(0);
                setStatus(r, JobStatus::Scheduled);
                r.timer = new QTimer(q);
                r.timer->setSingleShot(true);
                // start_in is a promise: a coarse timer may fire up to 5% early.
                r.timer->setTimerType(Qt::PreciseTimer);
                const int id = r.rec.id;
                QObject::connect(r.timer, &QTimer::timeout, q, [this, id] {
                    Run *rd = run(id);
                    if (!rd || rd->rec.status != JobStatus::Scheduled)
                        return;
                    rd->timer->deleteLater();
                    rd->timer = nullptr;
                    rd->played = true;
                    setStatus(*rd, JobStatus::Pending);
                    schedule();
                });
                r.timer->start(int(seconds * 1000));
                continue;
            }
            setStatus(r, JobStatus::Pending);
        }
        if (r.rec.status == JobStatus::Pending || r.rec.status == JobStatus::WaitingForResource) {
            if (canceledPipeline) {
                setStatus(r, JobStatus::Canceled);
                r.rec.failureReason = FailureReason::Canceled;
                finishLog(r.rec);
                *changed = true;
                continue;
            }
            if (r.planned->trigger) {
                startTrigger(r);
                *changed = true;
                continue;
            }
            if (!r.resourceGroup.isEmpty()) {
                const int holder = resourceHolders.value(r.resourceGroup);
                if (holder && holder != r.rec.id) {
                    setStatus(r, JobStatus::WaitingForResource);
                    continue;
                }
            }
            if (activeCount() >= concurrency) {
                setStatus(r, JobStatus::Pending);
                continue;
            }
            if (!r.resourceGroup.isEmpty())
                resourceHolders.insert(r.resourceGroup, r.rec.id);
            *changed = true;
            startJob(r);
        }
    }
    // Triggers with strategy: depend follow their child pipeline once it settles.
    for (size_t i = 0; i < runs.size(); ++i) {
        Run &r = *runs.at(i);
        if (!r.planned->trigger || !r.childCreated || r.rec.status != JobStatus::Running)
            continue;
        bool busy = false;
        for (const auto &c : runs)
            busy = busy || (c->group == r.rec.id && isActive(*c));
        if (busy)
            continue;
        const PipelineStatus child = groupStatus(r.rec.id);
        if (child == PipelineStatus::Running || child == PipelineStatus::Created)
            continue;
        JobStatus s = JobStatus::Success;
        switch (child) {
        case PipelineStatus::Failed:
            s = JobStatus::Failed;
            break;
        case PipelineStatus::Canceled:
            s = JobStatus::Canceled;
            break;
        case PipelineStatus::Skipped:
            s = JobStatus::Skipped;
            break;
        case PipelineStatus::Manual:
            s = JobStatus::Manual;
            break;
        default:
            break;
        }
        r.rec.finished = QDateTime::currentDateTimeUtc();
        if (s == JobStatus::Failed) {
            r.rec.failureReason = FailureReason::ScriptFailure;
            r.rec.allowedToFail = r.planned->allowFailure;
        }
        appendTrace(r,
                    tr("Downstream pipeline finished: %1").arg(statusName(child)).toUtf8() + '\n');
        if (s != JobStatus::Manual)
            finishLog(r.rec);
        setStatus(r, s);
        *changed = true;
    }
}

PipelineStatus Engine::Private::groupStatus(int group) const
{
    bool any = false, active = false, blocked = false, failed = false, canceled = false;
    bool success = false, optionalManual = false;
    for (const auto &ptr : runs) {
        const Run &r = *ptr;
        if (r.group != group)
            continue;
        any = true;
        switch (r.rec.status) {
        case JobStatus::Created:
            blocked = true;
            break;
        case JobStatus::Manual:
            if (r.planned->allowFailure)
                optionalManual = true;
            else
                blocked = true;
            break;
        case JobStatus::Failed:
            if (r.rec.allowedToFail)
                success = true;
            else
                failed = true;
            break;
        case JobStatus::Canceled:
            canceled = true;
            break;
        case JobStatus::Success:
            success = true;
            break;
        case JobStatus::Skipped:
            break;
        default:
            active = true;
            break;
        }
        if (r.phase != Phase::Idle && r.phase != Phase::Done)
            active = true;
    }
    if (!any)
        return PipelineStatus::Skipped;
    if (active)
        return PipelineStatus::Running;
    if (group == 0 && canceledPipeline)
        return PipelineStatus::Canceled;
    if (blocked)
        return PipelineStatus::Manual;
    if (failed)
        return PipelineStatus::Failed;
    if (canceled)
        return PipelineStatus::Canceled;
    if (success)
        return PipelineStatus::Success;
    return optionalManual ? PipelineStatus::Manual : PipelineStatus::Skipped;
}

void Engine::Private::checkIdle()
{
    bool busy = false;
    for (const auto &r : runs)
        busy = busy || isActive(*r);
    const PipelineStatus s = busy ? PipelineStatus::Running : groupStatus(0);
    if (s != status) {
        status = s;
        Q_EMIT q->pipelineStatusChanged(s);
    }
    if (!busy && !finishedEmitted) {
        finishedEmitted = true;
        removeWorkFiles();
        Q_EMIT q->finished(s);
    }
}

void Engine::Private::removeWorkFiles()
{
    // Manual and delayed jobs still to come run at the pipeline's state of the project.
    for (const auto &r : runs)
        if (r->rec.status == JobStatus::Manual || r->rec.status == JobStatus::Scheduled)
            return;
    // Job workspaces went with their jobs (kept failed environments stay); no worker runs now.
    QMutexLocker locker(&source->mutex);
    source->present = false;
    QDir(QFileInfo(sourceDir).absolutePath()).removeRecursively();
    QDir(QDir(pipelineDir).filePath(QStringLiteral("tmp"))).removeRecursively();
}

// ---------------------------------------------------------------------------------- one job

QString Engine::Private::newLog(Run &r)
{
    const QString name = r.rec.attempt > 1
                             ? QStringLiteral("%1-%2.log").arg(r.rec.id).arg(r.rec.attempt)
                             : QStringLiteral("%1.log").arg(r.rec.id);
    QString error;
    r.rec.log =
        LogStore::create(QDir(pipelineDir).filePath(QStringLiteral("logs/") + name), &error);
    return error;
}

void Engine::Private::appendTrace(Run &r, const QByteArray &bytes)
{
    if (bytes.isEmpty() || !r.rec.log)
        return;
    const QByteArray out = r.masker ? r.masker->feed(bytes) : bytes;
    if (out.isEmpty())
        return;
    r.rec.log->append(out);
    Q_EMIT q->jobOutput(r.rec.id, out);
}

QList<QPair<QString, QString>> Engine::Private::jobPredefined(const Run &r,
                                                              const JobSpec &spec) const
{
    const vars::PipelineFacts facts = context.effectiveFacts();
    const QString projectUrl = facts.serverUrl + u'/' + facts.projectPath;
    QList<QPair<QString, QString>> v;
    auto add = [&v](const char *name, const QString &value) {
        v.append({QString::fromLatin1(name), value});
    };
    add("CI", QStringLiteral("true"));
    add("GITLAB_CI", QStringLiteral("true"));
    add("CI_SERVER", QStringLiteral("yes"));
    add("CI_JOB_ID", QString::number(r.rec.id));
    add("CI_JOB_NAME", r.rec.name);
    add("CI_JOB_NAME_SLUG", vars::slugify(r.rec.name));
    add("CI_JOB_STAGE", r.rec.stage);
    add("CI_JOB_URL", projectUrl + QStringLiteral("/-/jobs/") + QString::number(r.rec.id));
    add("CI_JOB_STARTED_AT", isoTime(r.rec.started));
    add("CI_JOB_TIMEOUT", QString::number(r.timeoutSeconds));
    add("CI_JOB_MANUAL",
        r.planned->when == pipeline::When::Manual ? QStringLiteral("true") : QString());
    if (!spec.image.name.isEmpty())
        add("CI_JOB_IMAGE", spec.image.name);
    if (r.planned->nodeTotal > 1 || r.planned->nodeIndex > 0)
        add("CI_NODE_INDEX", QString::number(r.planned->nodeIndex));
    add("CI_NODE_TOTAL", QString::number(r.planned->nodeTotal));
    add("CI_PIPELINE_ID", pipelineId);
    add("CI_PIPELINE_IID", pipelineId);
    add("CI_PIPELINE_URL", projectUrl + QStringLiteral("/-/pipelines/") + pipelineId);
    add("CI_PIPELINE_CREATED_AT", isoTime(created));
    if (!plan.name.isEmpty())
        add("CI_PIPELINE_NAME", plan.name);
    if (!r.environment.isEmpty()) {
        add("CI_ENVIRONMENT_NAME", r.environment);
        add("CI_ENVIRONMENT_SLUG", environmentSlug(r.environment));
        add("CI_ENVIRONMENT_ACTION",
            r.environmentAction.isEmpty() ? QStringLiteral("start") : r.environmentAction);
        add("CI_ENVIRONMENT_TIER",
            r.environmentTier.isEmpty() ? environmentTier(r.environment) : r.environmentTier);
        if (!r.environmentUrl.isEmpty())
            add("CI_ENVIRONMENT_URL", r.environmentUrl);
    }
    add("CI_PROJECT_DIR", backend->projectDir(spec));
    add("CI_BUILDS_DIR", backend->buildsDir(spec));
    add("CI_CONCURRENT_ID", QString::number((r.rec.id - 1) % std::max(concurrency, 1)));
    add("CI_CONCURRENT_PROJECT_ID", QString::number((r.rec.id - 1) % std::max(concurrency, 1)));
    if (!options.registry.isEmpty()) {
        add("CI_REGISTRY", options.registry);
        add("CI_REGISTRY_IMAGE", options.registry + u'/' + facts.projectPath.toLower());
    }
    add("CI_RUNNER_ID", QStringLiteral("1"));
    add("CI_RUNNER_DESCRIPTION", QStringLiteral("stagecraft (%1)").arg(backend->id()));
    add("CI_RUNNER_TAGS", QStringLiteral("[]"));
    add("CI_RUNNER_VERSION", QCoreApplication::applicationVersion().isEmpty()
                                 ? QStringLiteral("0.1.0")
                                 : QCoreApplication::applicationVersion());
    add("CI_RUNNER_REVISION", QStringLiteral("stagecraft"));
    add("CI_RUNNER_SHORT_TOKEN", QStringLiteral("local"));
    add("CI_RUNNER_EXECUTABLE_ARCH",
        QStringLiteral("%1/%2").arg(QSysInfo::kernelType(), QSysInfo::currentCpuArchitecture()));
    add("CI_REPOSITORY_URL", projectUrl + QStringLiteral(".git"));
    add("CI_SERVER_NAME", QStringLiteral("GitLab"));
    add("CI_DEPENDENCY_PROXY_SERVER", facts.serverUrl.section(QStringLiteral("://"), 1));
    return v;
}

namespace {

ImageSpec imageSpec(const yaml::Node &node, const QHash<QString, QString> &values)
{
    ImageSpec spec;
    if (node.isScalar()) {
        spec.name = vars::expand(node.scalar(), values);
    } else if (node.isMap()) {
        spec.name = vars::expand(text(node.value(u"name")), values);
        if (node.contains(u"entrypoint")) {
            spec.hasEntrypoint = true;
            spec.entrypoint = texts(node.value(u"entrypoint"));
        }
        spec.pullPolicy = texts(node.value(u"pull_policy"));
        const yaml::Node docker = node.value(u"docker");
        spec.user = text(docker.value(u"user"));
        spec.platform = text(docker.value(u"platform"));
        spec.kubernetesUser = text(node.value(u"kubernetes").value(u"user"));
    }
    return spec;
}

} // namespace

namespace {

/// The planner expanded YAML variables with what exists at pipeline creation: a reference to a
/// job variable (`$CI_JOB_ID`, `$CI_PROJECT_DIR`), a dotenv or a project (variables file)
/// variable became empty. The runner expands them when the job runs, so values that came from
/// the `variables:` (not from a rule or the matrix) are expanded again with all of those.
QList<vars::Variable> withJobValues(const yaml::Node &node, QList<vars::Variable> planned,
                                    const QHash<QString, QString> &pipelineValues,
                                    const QList<QPair<QString, QString>> &jobValues,
                                    const QHash<QString, QString> &higher)
{
    if (!node.isMap())
        return planned;
    QList<vars::Variable> raw;
    bool references = false;
    for (const yaml::MapEntry &e : node.entries()) {
        vars::Variable v;
        v.name = e.key.scalar();
        if (e.value.isMap()) {
            v.value = text(e.value.value(u"value"));
            v.raw = e.value.value(u"expand").isScalar() &&
                    !e.value.value(u"expand").toBool().value_or(true);
        } else {
            v.value = text(e.value);
        }
        references = references || (!v.raw && v.value.contains(u'$'));
        raw << v;
    }
    if (!references)
        return planned;
    const QHash<QString, QString> atPlan = vars::expandAll(raw, pipelineValues);
    // What the runner sees: a YAML value loses against a variable of a higher layer of the
    // same name, and refers to that variable's value.
    QHash<QString, QString> current = pipelineValues;
    for (const auto &[name, value] : jobValues)
        current.insert(name, value);
    current.insert(higher);
    QHash<QString, QString> now;
    for (const vars::Variable &v : std::as_const(raw)) {
        const QString value = v.raw ? v.value : vars::expand(v.value, current);
        now.insert(v.name, value);
        if (!higher.contains(v.name))
            current.insert(v.name, value);
    }
    for (vars::Variable &v : planned) {
        const auto it = atPlan.constFind(v.name);
        if (it != atPlan.cend() && *it == v.value)
            v.value = now.value(v.name);
    }
    return planned;
}

/// What a job needs on disk before its executor starts; runs on a worker thread.
struct PrepareInput
{
    QString sourceDir, jobDir, workspace, projectRoot, cacheRoot;
    std::shared_ptr<SourceCopy> source;
    bool copySource = true; ///< GIT_STRATEGY none/empty: an empty project folder
    QList<CacheSpec> caches;
    struct Download
    {
        QString job;
        int id = 0;
        QString dir;
    };
    QList<Download> downloads;
};

struct PrepareResult
{
    QString error;    ///< the copy failed: a system failure
    QByteArray trace; ///< get_sources, restore_cache, download_artifacts sections
    std::optional<QStringList> sourceFiles; ///< the project was copied again
};

PrepareResult prepareFiles(const PrepareInput &in)
{
    PrepareResult out;
    QString error;
    qsizetype sourceFileCount = 0;
    QByteArray again;
    {
        // Jobs starting together after the pipeline finished copy the project once.
        QMutexLocker locker(&in.source->mutex);
        if (!in.source->present) {
            QDir(in.sourceDir).removeRecursively();
            const auto files = snapshotSource(in.projectRoot, in.sourceDir, &error);
            if (!files) {
                out.error = tr("cannot copy the project %1: %2").arg(in.projectRoot, error);
                return out;
            }
            in.source->files = *files;
            in.source->present = true;
            out.sourceFiles = *files;
            again = tr("The pipeline's copy of the project was removed when the pipeline "
                       "finished: copying the working tree again")
                        .toUtf8() +
                    '\n';
        }
        sourceFileCount = in.source->files.size();
    }
    if (!QDir().mkpath(in.workspace) ||
        (in.copySource && !copyTree(in.sourceDir, in.workspace, &error))) {
        out.error = tr("cannot copy the project into %1: %2").arg(in.workspace, error);
        return out;
    }
    QByteArray &t = out.trace;
    t += sectionStart(QStringLiteral("get_sources"), tr("Getting source from Git repository"));
    t += again;
    if (!in.copySource)
        t += tr("Skipping Git repository setup").toUtf8() + '\n';
    else
        t += (sourceFileCount == 1
                  ? tr("Copying the working tree of %1 (1 file, untracked files included)")
                        .arg(in.projectRoot)
                  : tr("Copying the working tree of %1 (%2 files, untracked files included)")
                        .arg(in.projectRoot)
                        .arg(sourceFileCount))
                 .toUtf8() +
             '\n';
    t += sectionEnd(QStringLiteral("get_sources"));
    bool header = false;
    for (const CacheSpec &cache : in.caches) {
        if (cache.policy == u"push")
            continue;
        if (!header) {
            t += sectionStart(QStringLiteral("restore_cache"), tr("Restoring cache"));
            header = true;
        }
        QStringList log;
        restoreCache(cache, cacheKey(cache, in.workspace), in.cacheRoot, in.workspace, &log);
        for (const QString &line : std::as_const(log))
            t += line.toUtf8() + '\n';
    }
    if (header)
        t += sectionEnd(QStringLiteral("restore_cache"));
    if (!in.downloads.isEmpty()) {
        t += sectionStart(QStringLiteral("download_artifacts"), tr("Downloading artifacts"));
        for (const PrepareInput::Download &d : in.downloads) {
            t += tr("Downloading artifacts for %1 (%2)...").arg(d.job).arg(d.id).toUtf8() + '\n';
            QString restoreError;
            if (!restoreArtifacts(d.dir, in.workspace, &restoreError))
                t += ansi::yellow + tr("WARNING: %1").arg(restoreError).toUtf8() + ansi::reset +
                     '\n';
        }
        t += sectionEnd(QStringLiteral("download_artifacts"));
    }
    return out;
}

/// What a job leaves behind (cache, artifacts, dotenv report); runs on a worker thread.
struct OutputsInput
{
    bool success = false;
    QString workspace, cacheRoot, artifactsDir;
    QStringList sourceFiles;
    QList<CacheSpec> caches; ///< those to save (policy and when already checked)
    bool upload = false;
    ArtifactsSpec artifacts;
};

struct OutputsResult
{
    QByteArray trace;
    bool hasArtifacts = false;
    QList<QPair<QString, QString>> dotenv;
};

OutputsResult saveOutputs(const OutputsInput &in)
{
    OutputsResult out;
    QByteArray &t = out.trace;
    if (!in.caches.isEmpty()) {
        t += sectionStart(QStringLiteral("archive_cache"),
                          in.success ? tr("Saving cache for successful job")
                                     : tr("Saving cache for failed job"));
        for (const CacheSpec &cache : in.caches) {
            QStringList log;
            saveCache(cache, cacheKey(cache, in.workspace), in.cacheRoot, in.workspace,
                      in.sourceFiles, &log);
            for (const QString &line : std::as_const(log))
                t += line.toUtf8() + '\n';
        }
        t += sectionEnd(QStringLiteral("archive_cache"));
    }
    if (in.upload) {
        const QString section = in.success ? QStringLiteral("upload_artifacts_on_success")
                                           : QStringLiteral("upload_artifacts_on_failure");
        t += sectionStart(section, in.success ? tr("Uploading artifacts for successful job")
                                              : tr("Uploading artifacts for failed job"));
        t += tr("Uploading artifacts...").toUtf8() + '\n';
        const CollectResult result =
            collectArtifacts(in.workspace, in.artifacts, in.sourceFiles, in.artifactsDir);
        for (const QString &w : result.warnings)
            t += ansi::yellow + w.toUtf8() + ansi::reset + '\n';
        for (const QString &e : result.errors)
            t += ansi::boldRed + e.toUtf8() + ansi::reset + '\n';
        if (!result.files.isEmpty()) {
            out.hasArtifacts = true;
            t += (result.files.size() == 1
                      ? tr("Stored 1 file in %1").arg(in.artifactsDir)
                      : tr("Stored %1 files in %2").arg(result.files.size()).arg(in.artifactsDir))
                     .toUtf8() +
                 '\n';
        }
        t += sectionEnd(section);
    }
    // Dotenv reports: the variables dependent jobs receive.
    for (const QString &file : in.artifacts.dotenv) {
        QFile f(QDir(in.workspace).filePath(file));
        if (!f.open(QIODevice::ReadOnly)) {
            t += ansi::yellow + tr("WARNING: %1: no matching files").arg(file).toUtf8() +
                 ansi::reset + '\n';
            continue;
        }
        const DotenvResult dotenv = parseDotenv(f.readAll());
        out.dotenv += dotenv.variables;
        for (const QString &e : dotenv.errors)
            t += ansi::yellow + tr("WARNING: %1: %2").arg(file, e).toUtf8() + ansi::reset + '\n';
    }
    return out;
}
} // namespace

void Engine::Private::startJob(Run &r)
{
    r.rec.started = QDateTime::currentDateTimeUtc();
    r.rec.finished = QDateTime();
    r.rec.exitCode = -1;
    r.rec.failureReason = FailureReason::None;
    r.rec.allowedToFail = false;
    r.rec.enterCommand.clear();
    r.phase = Phase::Preparing;
    r.timedOut = r.afterTimedOut = r.canceled = false;
    r.systemError.clear();
    r.missingDependency.clear();
    r.stepExit = -1;
    r.pendingTrace.clear();
    r.hasArtifacts = false;
    r.dotenv.clear();
    setStatus(r, JobStatus::Preparing);
    // `timeout:` covers the whole job up to the end of the script (image pulls, services).
    stopTimer(r);
    r.timer = new QTimer(q);
    r.timer->setSingleShot(true);
    QObject::connect(r.timer, &QTimer::timeout, q, [this, id = r.rec.id] {
        if (Run *rd = run(id))
            onJobTimeout(*rd);
    });
    r.timer->start(int(std::min<qint64>(qint64(r.timeoutSeconds) * 1000, INT_MAX)));

    r.jobDir = QDir(pipelineDir).filePath(QStringLiteral("jobs/%1").arg(r.rec.id));
    r.workspace = QDir(r.jobDir).filePath(projectName);
    r.scratch = QDir(pipelineDir).filePath(QStringLiteral("tmp/%1").arg(r.rec.id));
    r.artifactsDir = QDir(pipelineDir).filePath(QStringLiteral("artifacts/%1").arg(r.rec.id));
    QDir(r.jobDir).removeRecursively();
    QDir(r.scratch).removeRecursively();
    QDir(r.artifactsDir).removeRecursively();
    QDir().mkpath(r.scratch);

    // Variables first: everything written to the trace after this point is masked.
    JobSpec spec;
    spec.pipelineId = pipelineId;
    spec.jobId = r.rec.id;
    spec.jobName = r.rec.name;
    spec.stage = r.rec.stage;
    spec.projectPath = context.effectiveFacts().projectPath;
    spec.hostWorkspace = r.workspace;
    spec.hostScratch = r.scratch;
    spec.privileged = options.privileged;
    spec.keepOnFailure = options.keepFailedEnvironment;

    JobVariableLayers layers;
    layers.pipeline = r.plan->pipelineVariables;
    layers.yaml = r.planned->variables;
    for (int id : std::as_const(r.artifactSources))
        layers.dotenv += run(id)->dotenv;
    layers.user = options.variables;
    for (auto it = context.variables.cbegin(); it != context.variables.cend(); ++it)
        layers.user.insert(it.key(), it.value());
    // The image and environment names may use YAML variables: expand with what is known
    // before CI_JOB_*.
    QHash<QString, QString> values = layers.pipeline;
    for (const vars::Variable &v : layers.yaml)
        values.insert(v.name, v.value);
    const yaml::Node environment = r.node.value(u"environment");
    {
        // The name may also use project variables that are not scoped to an environment and
        // pipeline variables (GitLab expands it with the unscoped variables).
        QHash<QString, QString> unscoped = values;
        for (const JobVariable &v : fileVariablesFor(QString()).variables)
            unscoped.insert(v.name, v.value);
        unscoped.insert(layers.user);
        r.environment = vars::expand(
            text(environment.isMap() ? environment.value(u"name") : environment), unscoped);
    }
    r.environmentUrl = vars::expand(text(environment.value(u"url")), values);
    r.environmentAction = text(environment.value(u"action"));
    r.environmentTier = text(environment.value(u"deployment_tier"));
    const VariablesFileResult &userFiles = fileVariablesFor(r.environment);
    layers.files = userFiles.variables;
    spec.image = imageSpec(r.node.value(u"image"), values);
    layers.job = jobPredefined(r, spec);
    {
        // Everything a YAML value may refer to when the job runs.
        QHash<QString, QString> higher;
        for (const auto &[name, value] : std::as_const(layers.dotenv))
            higher.insert(name, value);
        for (const JobVariable &v : std::as_const(layers.files))
            higher.insert(v.name, v.value);
        higher.insert(layers.user);
        layers.yaml = withJobValues(r.node.value(u"variables"), layers.yaml, layers.pipeline,
                                    layers.job, higher);
    }
    r.variables = mergeJobVariables(layers);
    spec.variables = r.variables;
    values.clear();
    for (const JobVariable &v : std::as_const(r.variables))
        values.insert(v.name, v.value);
    const yaml::Node services = r.node.value(u"services");
    for (const yaml::Node &s : services.items()) {
        ServiceSpec service;
        service.image = imageSpec(s, values);
        service.aliases =
            serviceAliases(service.image.name, s.isMap() ? text(s.value(u"alias")) : QString());
        if (s.isMap())
            service.command = texts(s.value(u"command"));
        service.variables = r.variables;
        if (s.isMap()) {
            for (const yaml::MapEntry &e : s.value(u"variables").entries())
                service.variables << JobVariable{e.key.scalar(),
                                                 vars::expand(text(e.value), values)};
        }
        // The service's own variables come last and win over the job's (GitLab Runner reads
        // the service container's environment). The value is a string ("8080", quoted as
        // GitLab's docs write it); a malformed one leaves the image's exposed port.
        for (const JobVariable &v : std::as_const(service.variables)) {
            if (v.name != u"HEALTHCHECK_TCP_PORT")
                continue;
            bool ok = false;
            const int port = v.value.trimmed().toInt(&ok);
            service.healthcheckPort = ok && port > 0 && port < 65536 ? port : 0;
        }
        spec.services << service;
    }
    r.masker = std::make_unique<Masker>(maskedValues(r.variables));

    // Artifacts and cache.
    r.artifacts = ArtifactsSpec{};
    if (const yaml::Node a = r.node.value(u"artifacts"); a.isMap()) {
        r.artifacts.name = vars::expand(text(a.value(u"name")), values);
        for (const QString &p : texts(a.value(u"paths")))
            r.artifacts.paths << vars::expand(p, values);
        for (const QString &p : texts(a.value(u"exclude")))
            r.artifacts.exclude << vars::expand(p, values);
        r.artifacts.untracked =
            a.value(u"untracked").isScalar() && a.value(u"untracked").toBool().value_or(false);
        if (const QString w = text(a.value(u"when")); !w.isEmpty())
            r.artifacts.when = w;
        for (const QString &p : texts(a.value(u"reports").value(u"dotenv")))
            r.artifacts.dotenv << vars::expand(p, values);
    }
    r.caches.clear();
    const yaml::Node cacheNode = r.node.value(u"cache");
    QList<yaml::Node> cacheEntries;
    if (cacheNode.isMap())
        cacheEntries << cacheNode;
    else if (cacheNode.isSequence())
        for (const yaml::Node &c : cacheNode.items())
            if (c.isMap())
                cacheEntries << c;
    for (const yaml::Node &c : std::as_const(cacheEntries)) {
        CacheSpec cache;
        const yaml::Node key = c.value(u"key");
        if (key.isScalar()) {
            cache.key = vars::expand(key.scalar(), values);
        } else if (key.isMap()) {
            for (const QString &f : texts(key.value(u"files")))
                cache.keyFiles << vars::expand(f, values);
            cache.keyPrefix = vars::expand(text(key.value(u"prefix")), values);
        }
        for (const QString &p : texts(c.value(u"paths")))
            cache.paths << vars::expand(p, values);
        cache.untracked =
            c.value(u"untracked").isScalar() && c.value(u"untracked").toBool().value_or(false);
        if (const QString p = vars::expand(text(c.value(u"policy")), values); !p.isEmpty())
            cache.policy = p;
        if (const QString w = text(c.value(u"when")); !w.isEmpty())
            cache.when = w;
        for (const QString &k : texts(c.value(u"fallback_keys")))
            cache.fallbackKeys << vars::expand(k, values);
        r.caches << cache;
    }

    // Trace header, as GitLab Runner starts every job.
    const QString version = QCoreApplication::applicationVersion().isEmpty()
                                ? QStringLiteral("0.1.0")
                                : QCoreApplication::applicationVersion();
    appendTrace(r, tr("Running with stagecraft %1").arg(version).toUtf8() + '\n');
    appendTrace(r, QStringLiteral("  on %1 (local)\n").arg(QSysInfo::machineHostName()).toUtf8());
    if (r.rec.attempt > 1)
        appendTrace(r,
                    tr("Attempt %1 of %2").arg(r.rec.attempt).arg(r.retry.max + 1).toUtf8() + '\n');
    for (const QString &e : std::as_const(userFiles.errors))
        appendTrace(r, ansi::yellow + tr("WARNING: %1").arg(e).toUtf8() + ansi::reset + '\n');
    for (const JobVariable &v : std::as_const(r.variables)) {
        if (v.masked && v.value.size() < 8)
            appendTrace(r, ansi::yellow +
                               tr("WARNING: variable %1 is not masked: masked values need 8 "
                                  "characters or more")
                                   .arg(v.name)
                                   .toUtf8() +
                               ansi::reset + '\n');
    }
    appendTrace(r, sectionStart(QStringLiteral("prepare_executor"),
                                tr("Preparing the \"%1\" executor").arg(backend->displayName())));

    // Source, cache and artifacts on a worker thread (a big project takes a while to copy);
    // the executor starts once they are in place, their sections shown after its own.
    PrepareInput in;
    in.sourceDir = sourceDir;
    in.jobDir = r.jobDir;
    in.workspace = r.workspace;
    in.projectRoot = options.projectRoot;
    in.cacheRoot = QDir(dataDir).filePath(QStringLiteral("cache"));
    in.source = source;
    for (const JobVariable &v : std::as_const(r.variables))
        if (v.name == u"GIT_STRATEGY")
            in.copySource = v.value != u"none" && v.value != u"empty";
    in.caches = r.caches;
    for (int depId : std::as_const(r.artifactSources)) {
        const Run *dep = run(depId);
        if (!dep->hasArtifacts)
            continue; // nothing uploaded (no matching files): nothing to download
        if (!QFileInfo(dep->artifactsDir).isDir()) {
            // Uploaded, then erased: GitLab fails the job before it runs.
            r.missingDependency = dep->rec.name;
            appendTrace(r, sectionEnd(QStringLiteral("prepare_executor")));
            cleanup(r);
            return;
        }
        in.downloads.append({dep->rec.name, depId, dep->artifactsDir});
    }
    r.spec = spec;
    const int jobId = r.rec.id;
    const int attempt = r.rec.attempt;
    pool.start([this, in, jobId, attempt] {
        PrepareResult result = prepareFiles(in);
        QMetaObject::invokeMethod(
            q,
            [this, jobId, attempt, result] {
                Run *rd = run(jobId);
                if (result.sourceFiles)
                    sourceFiles = *result.sourceFiles;
                if (rd && rd->rec.attempt == attempt && rd->phase == Phase::Preparing)
                    onFilesPrepared(*rd, result.error, result.trace);
            },
            Qt::QueuedConnection);
    });
}

void Engine::Private::onFilesPrepared(Run &r, const QString &error, const QByteArray &trace)
{
    if (!error.isEmpty()) {
        r.systemError = error;
        appendTrace(r, ansi::boldRed + tr("ERROR: Preparation failed: %1").arg(error).toUtf8() +
                           ansi::reset + '\n');
        cleanup(r);
        return;
    }
    if (r.canceled || r.timedOut) {
        cleanup(r);
        return;
    }
    r.pendingTrace = trace;
    const JobSpec &spec = r.spec;
    JobEnvironment *env = backend->createEnvironment(spec, q);
    r.env = env;
    const int id = r.rec.id;
    QObject::connect(env, &JobEnvironment::output, q, [this, id](const QByteArray &bytes) {
        if (Run *rd = run(id))
            appendTrace(*rd, bytes);
    });
    QObject::connect(env, &JobEnvironment::prepared, q, [this, id](bool ok, const QString &e) {
        if (Run *rd = run(id))
            onPrepared(*rd, ok, e);
    });
    QObject::connect(env, &JobEnvironment::scriptFinished, q, [this, id](int exitCode) {
        if (Run *rd = run(id))
            onScriptFinished(*rd, exitCode);
    });
    QObject::connect(env, &JobEnvironment::collected, q, [this, id](bool ok, const QString &e) {
        if (Run *rd = run(id))
            onCollected(*rd, ok, e);
    });
    QObject::connect(env, &JobEnvironment::cleanedUp, q, [this, id] {
        if (Run *rd = run(id))
            onCleanedUp(*rd);
    });
    env->prepare();
}

std::shared_ptr<const pipeline::Plan> Engine::Private::dynamicChild(Run &r, QString *error)
{
    const yaml::Node trigger = r.node.value(u"trigger");
    const yaml::Node include = trigger.value(u"include");
    std::vector<yaml::Node> items;
    if (include.isSequence())
        items = include.items();
    else if (include.isDefined())
        items.push_back(include);
    const bool dynamic = std::any_of(items.cbegin(), items.cend(), [](const yaml::Node &item) {
        return item.isMap() && item.contains(u"artifact");
    });
    if (!dynamic)
        return nullptr;
    // The generated files become local includes of an overlay, as the planner does for
    // include:local; the job that made them must have uploaded them as artifacts.
    pipeline::PlanOptions po;
    po.resolve.projectRoot = options.projectRoot;
    po.effectiveJobs = true;
    po.maxChildDepth = 1;
    std::vector<yaml::Node> rewritten;
    for (const yaml::Node &item : items) {
        if (!item.isMap() || !item.contains(u"artifact")) {
            rewritten.push_back(item);
            continue;
        }
        const QString jobName = text(item.value(u"job"));
        const QString path = text(item.value(u"artifact"));
        const Run *producer = nullptr;
        for (const auto &other : runs)
            if (other->group == r.group && other->rec.name == jobName)
                producer = other.get();
        QFile file(producer ? QDir(producer->artifactsDir).filePath(path) : QString());
        if (!producer || !producer->hasArtifacts || !file.open(QIODevice::ReadOnly)) {
            *error = tr("the artifact %1 of job %2 does not exist").arg(path, jobName);
            return nullptr;
        }
        const QString name =
            QStringLiteral(".stagecraft-artifact-%1-%2.yml").arg(r.rec.id).arg(rewritten.size());
        po.resolve.overlay.insert(name, file.readAll());
        rewritten.push_back(yaml::Node::makeMap(
            {{yaml::Node::makeScalar(QStringLiteral("local")), yaml::Node::makeScalar(name)}}));
    }
    const QString main = QStringLiteral(".stagecraft-child-%1.yml").arg(r.rec.id);
    po.resolve.mainFile = main;
    po.resolve.overlay.insert(
        main, yaml::toYaml(yaml::Node::makeMap({{yaml::Node::makeScalar(QStringLiteral("include")),
                                                 yaml::Node::makeSequence(rewritten)}})));
    pipeline::PipelineContext childContext = context;
    childContext.source = QStringLiteral("parent_pipeline");
    const yaml::Node forward = trigger.value(u"forward").value(u"yaml_variables");
    if (!(forward.isScalar() && !forward.toBool().value_or(true))) {
        for (const vars::Variable &v : r.planned->variables)
            childContext.variables.insert(v.name, v.value);
    }
    auto childPlan =
        std::make_shared<const pipeline::Plan>(pipeline::Planner::planProject(childContext, po));
    dynamicPlans.push_back(childPlan);
    return childPlan;
}

void Engine::Private::startTrigger(Run &r)
{
    r.rec.started = QDateTime::currentDateTimeUtc();
    const pipeline::PlannedJob &job = *r.planned;
    QString dynamicError;
    const std::shared_ptr<const pipeline::Plan> childPlan =
        job.child ? job.child : dynamicChild(r, &dynamicError);
    if (!dynamicError.isEmpty()) {
        appendTrace(
            r,
            ansi::boldRed +
                tr("ERROR: Downstream pipeline cannot be created: %1").arg(dynamicError).toUtf8() +
                ansi::reset + '\n');
        r.rec.failureReason = FailureReason::ScriptFailure;
        r.rec.allowedToFail = job.allowFailure;
        r.rec.finished = QDateTime::currentDateTimeUtc();
        finishLog(r.rec);
        setStatus(r, JobStatus::Failed);
        return;
    }
    if (!childPlan) {
        const QString what = job.triggerProject.isEmpty()
                                 ? tr("a dynamic child pipeline")
                                 : tr("the downstream project %1").arg(job.triggerProject);
        appendTrace(
            r, ansi::yellow +
                   tr("WARNING: %1 skipped: %2 cannot run locally").arg(r.rec.name, what).toUtf8() +
                   ansi::reset + '\n');
        r.rec.finished = r.rec.started;
        finishLog(r.rec);
        setStatus(r, JobStatus::Skipped);
        return;
    }
    setStatus(r, JobStatus::Running);
    const pipeline::Plan &child = *childPlan;
    if (!child.created || !child.errors.isEmpty()) {
        const QString why =
            !child.errors.isEmpty() ? child.errors.join(QStringLiteral("; ")) : child.reason;
        appendTrace(r,
                    ansi::boldRed +
                        tr("ERROR: Downstream pipeline cannot be created: %1").arg(why).toUtf8() +
                        ansi::reset + '\n');
        r.rec.failureReason = FailureReason::ScriptFailure;
        r.rec.allowedToFail = job.allowFailure;
        r.rec.finished = QDateTime::currentDateTimeUtc();
        finishLog(r.rec);
        setStatus(r, JobStatus::Failed);
        return;
    }
    const size_t before = runs.size();
    addRuns(child, r.rec.id, nullptr, {});
    r.childCreated = true;
    const qsizetype count = qsizetype(runs.size() - before);
    appendTrace(r, (count == 1 ? tr("Downstream pipeline created: 1 job")
                               : tr("Downstream pipeline created: %1 jobs").arg(count))
                           .toUtf8() +
                       '\n');
    for (size_t i = before; i < runs.size(); ++i)
        Q_EMIT q->jobAdded(runs.at(i)->rec.id);
    if (!r.depend) {
        r.rec.finished = QDateTime::currentDateTimeUtc();
        finishLog(r.rec);
        setStatus(r, JobStatus::Success);
    }
}

void Engine::Private::onPrepared(Run &r, bool ok, const QString &error)
{
    if (r.phase != Phase::Preparing)
        return;
    if (r.canceled) {
        cleanup(r);
        return;
    }
    if (!ok) {
        r.systemError = error;
        appendTrace(r, ansi::boldRed + tr("ERROR: Preparation failed: %1").arg(error).toUtf8() +
                           ansi::reset + '\n');
        cleanup(r);
        return;
    }
    appendTrace(r, sectionEnd(QStringLiteral("prepare_executor")));
    appendTrace(r, sectionStart(QStringLiteral("prepare_script"), tr("Preparing environment")));
    appendTrace(r, tr("Running on %1...").arg(QSysInfo::machineHostName()).toUtf8() + '\n');
    appendTrace(r, sectionEnd(QStringLiteral("prepare_script")));
    appendTrace(r, r.pendingTrace);
    r.pendingTrace.clear();
    runStep(r);
}

void Engine::Private::onJobTimeout(Run &r)
{
    r.timedOut = true;
    if (r.phase == Phase::Step) {
        if (r.env)
            r.env->abortScript();
    } else if (r.phase == Phase::Preparing && r.env) {
        // Stuck preparing (an image pull, a service that never answers): give up on it.
        cleanup(r);
    } // copying files: onFilesPrepared stops there
}

void Engine::Private::runStep(Run &r)
{
    r.phase = Phase::Step;
    setStatus(r, JobStatus::Running);
    appendTrace(r, sectionStart(QStringLiteral("step_script"),
                                tr("Executing \"step_script\" stage of the job script")));
    ScriptOptions so;
    // GitLab Runner's CI_JOB_STATUS is `running` while the job runs ("the status of the job as
    // each runner stage is executed"); after_script gets the outcome.
    so.prologue << QStringLiteral("export CI_JOB_STATUS=running");
    for (const JobVariable &v : std::as_const(r.variables))
        if (v.name == u"CI_DEBUG_TRACE")
            so.debugTrace = v.value == u"true";
    const QByteArray script = buildScript(r.beforeScript + r.script, so);
    // The job's timeout started with the job (startJob): preparing counts too.
    r.env->runScript(ScriptStep::Step, script);
}

void Engine::Private::onScriptFinished(Run &r, int exitCode)
{
    if (r.phase == Phase::Step) {
        stopTimer(r);
        r.stepExit = exitCode;
        appendTrace(r, sectionEnd(QStringLiteral("step_script")));
        // Since GitLab 17.0 the after_script runs for canceled jobs too (CI_JOB_STATUS
        // canceled); canceling again stops it.
        if (!r.afterScript.isEmpty()) {
            runAfter(r);
            return;
        }
        collect(r);
    } else if (r.phase == Phase::AfterScript) {
        stopTimer(r);
        // GitLab Runner ends the after_script section first and then warns (build.go,
        // executeAfterScript), so the warning is outside the folded section.
        appendTrace(r, sectionEnd(QStringLiteral("after_script")));
        if (r.afterTimedOut) {
            appendTrace(r, ansi::yellow +
                               tr("WARNING: after_script failed, but job will continue "
                                  "unaffected: execution took longer than %1 seconds")
                                   .arg(goDuration(options.afterScriptTimeoutSeconds))
                                   .toUtf8() +
                               ansi::reset + '\n');
        } else if (exitCode != 0) {
            appendTrace(r, ansi::yellow +
                               tr("WARNING: after_script failed, but job will continue "
                                  "unaffected: exit code %1")
                                   .arg(exitCode)
                                   .toUtf8() +
                               ansi::reset + '\n');
        }
        if (r.canceled) {
            cleanup(r);
            return;
        }
        collect(r);
    }
}

void Engine::Private::runAfter(Run &r)
{
    r.phase = Phase::AfterScript;
    appendTrace(r, sectionStart(QStringLiteral("after_script"), tr("Running after_script")));
    appendTrace(r, tr("Running after script...").toUtf8() + '\n');
    const bool success = r.stepExit == 0 && !r.timedOut;
    ScriptOptions so;
    so.prologue << QStringLiteral("export CI_JOB_STATUS=") + (r.canceled
                                                                  ? QStringLiteral("canceled")
                                                              : success ? QStringLiteral("success")
                                                                        : QStringLiteral("failed"));
    for (const JobVariable &v : std::as_const(r.variables))
        if (v.name == u"CI_DEBUG_TRACE")
            so.debugTrace = v.value == u"true";
    r.timer = new QTimer(q);
    r.timer->setSingleShot(true);
    const int id = r.rec.id;
    QObject::connect(r.timer, &QTimer::timeout, q, [this, id] {
        Run *rd = run(id);
        if (!rd || rd->phase != Phase::AfterScript)
            return;
        rd->afterTimedOut = true;
        if (rd->env)
            rd->env->abortScript();
    });
    r.timer->start(options.afterScriptTimeoutSeconds * 1000);
    r.env->runScript(ScriptStep::AfterScript, buildScript(r.afterScript, so));
}

void Engine::Private::collect(Run &r)
{
    r.phase = Phase::Collecting;
    r.env->collect();
}

void Engine::Private::onCollected(Run &r, bool ok, const QString &error)
{
    if (r.phase != Phase::Collecting)
        return;
    if (!ok)
        appendTrace(r, ansi::yellow + tr("WARNING: %1").arg(error).toUtf8() + ansi::reset + '\n');
    if (!ok || r.canceled) {
        cleanup(r);
        return;
    }
    OutputsInput in;
    in.success = r.stepExit == 0 && !r.timedOut;
    auto matches = [&in](const QString &when) {
        return when == u"always" || (in.success ? when == u"on_success" : when == u"on_failure");
    };
    in.workspace = r.workspace;
    in.cacheRoot = QDir(dataDir).filePath(QStringLiteral("cache"));
    in.artifactsDir = r.artifactsDir;
    in.sourceFiles = sourceFiles;
    for (const CacheSpec &cache : std::as_const(r.caches))
        if (cache.policy != u"pull" && matches(cache.when))
            in.caches << cache;
    in.artifacts = r.artifacts;
    in.upload = !r.artifacts.isEmpty() && matches(r.artifacts.when);
    const int jobId = r.rec.id;
    const int attempt = r.rec.attempt;
    pool.start([this, in, jobId, attempt] {
        OutputsResult result = saveOutputs(in);
        QMetaObject::invokeMethod(
            q,
            [this, jobId, attempt, result] {
                Run *rd = run(jobId);
                if (!rd || rd->rec.attempt != attempt || rd->phase != Phase::Collecting)
                    return;
                appendTrace(*rd, result.trace);
                rd->hasArtifacts = result.hasArtifacts;
                rd->dotenv = result.dotenv;
                cleanup(*rd);
            },
            Qt::QueuedConnection);
    });
}

void Engine::Private::cleanup(Run &r)
{
    r.phase = Phase::CleaningUp;
    stopTimer(r);
    appendTrace(r, sectionStart(QStringLiteral("cleanup_file_variables"),
                                tr("Cleaning up project directory and file based variables")));
    const bool success = r.stepExit == 0 && !r.timedOut && r.systemError.isEmpty();
    const bool keep = options.keepFailedEnvironment && !success && !r.canceled;
    if (!r.env) {
        onCleanedUp(r);
        return;
    }
    r.env->cleanup(keep);
}

void Engine::Private::onCleanedUp(Run &r)
{
    if (r.phase != Phase::CleaningUp)
        return;
    appendTrace(r, sectionEnd(QStringLiteral("cleanup_file_variables")));
    const bool success = r.stepExit == 0 && !r.timedOut && r.systemError.isEmpty();
    const bool keep = options.keepFailedEnvironment && !success && !r.canceled;
    if (keep && r.env) {
        r.rec.enterCommand = r.env->enterCommand();
        // Pruning old pipelines must not take the folder of a kept environment.
        QFile marker(QDir(pipelineDir).filePath(QLatin1String(keptMarker)));
        if (marker.open(QIODevice::Append))
            marker.write(r.rec.enterCommand.toUtf8() + '\n');
        appendTrace(r, tr("The job's environment was kept: %1").arg(r.rec.enterCommand).toUtf8() +
                           '\n');
    } else {
        QDir(r.jobDir).removeRecursively();
        QDir(r.scratch).removeRecursively();
    }
    if (r.env) {
        r.env->disconnect(q);
        r.env->deleteLater();
        r.env = nullptr;
    }
    finishAttempt(r);
}

void Engine::Private::finishAttempt(Run &r)
{
    stopTimer(r);
    r.rec.finished = QDateTime::currentDateTimeUtc();
    r.rec.exitCode = r.stepExit;
    JobStatus s = JobStatus::Success;
    QByteArray last;
    if (r.canceled) {
        s = JobStatus::Canceled;
        r.rec.failureReason = FailureReason::Canceled;
        r.rec.exitCode = -1; // killed: what the shell said is no answer of the script
        last = ansi::boldRed + tr("ERROR: Job failed: canceled").toUtf8() + ansi::reset;
    } else if (!r.missingDependency.isEmpty()) {
        s = JobStatus::Failed;
        r.rec.failureReason = FailureReason::MissingDependency;
        last = ansi::boldRed +
               tr("ERROR: Job failed (missing dependency): the artifacts of %1 were erased; "
                  "the job cannot retrieve what it needs")
                   .arg(r.missingDependency)
                   .toUtf8() +
               ansi::reset;
    } else if (!r.systemError.isEmpty()) {
        s = JobStatus::Failed;
        r.rec.failureReason = FailureReason::RunnerSystemFailure;
        last = ansi::boldRed +
               tr("ERROR: Job failed (system failure): %1").arg(r.systemError).toUtf8() +
               ansi::reset;
    } else if (r.timedOut) {
        s = JobStatus::Failed;
        r.rec.failureReason = FailureReason::JobExecutionTimeout;
        r.rec.exitCode = -1; // killed, as for cancel
        last = ansi::boldRed +
               tr("ERROR: Job failed: execution took longer than %1 seconds")
                   .arg(goDuration(r.timeoutSeconds))
                   .toUtf8() +
               ansi::reset;
    } else if (r.stepExit != 0) {
        s = JobStatus::Failed;
        r.rec.failureReason = FailureReason::ScriptFailure;
        last = ansi::boldRed + tr("ERROR: Job failed: exit code %1").arg(r.stepExit).toUtf8() +
               ansi::reset;
    } else {
        last = ansi::boldGreen + tr("Job succeeded").toUtf8() + ansi::reset;
    }
    if (s == JobStatus::Failed) {
        if (r.allowExitCodes.isEmpty())
            r.rec.allowedToFail = r.planned->allowFailure;
        else
            r.rec.allowedToFail = r.rec.failureReason == FailureReason::ScriptFailure &&
                                  r.allowExitCodes.contains(r.stepExit);
    }
    appendTrace(r, last + '\n');
    if (r.masker) {
        const QByteArray rest = r.masker->flush();
        if (!rest.isEmpty() && r.rec.log) {
            r.rec.log->append(rest);
            Q_EMIT q->jobOutput(r.rec.id, rest);
        }
    }
    finishLog(r.rec);
    r.phase = Phase::Done;
    if (!r.resourceGroup.isEmpty() && resourceHolders.value(r.resourceGroup) == r.rec.id)
        resourceHolders.remove(r.resourceGroup);

    // retry: a new attempt of the same job, when the failure is one the job retries on.
    if (s == JobStatus::Failed && r.rec.attempt <= r.retry.max && !canceledPipeline) {
        const QString reason = failureReasonName(r.rec.failureReason);
        bool retry = r.retry.when.contains(QStringLiteral("always")) ||
                     r.retry.when.contains(reason) ||
                     (r.rec.failureReason == FailureReason::JobExecutionTimeout &&
                      r.retry.when.contains(QStringLiteral("stuck_or_timeout_failure")));
        if (retry && !r.retry.exitCodes.isEmpty())
            retry = r.rec.failureReason == FailureReason::ScriptFailure &&
                    r.retry.exitCodes.contains(r.stepExit);
        if (retry) {
            ++r.rec.attempt;
            newLog(r);
            r.phase = Phase::Idle;
            r.rec.allowedToFail = false;
            r.rec.status = JobStatus::Pending;
            Q_EMIT q->jobChanged(r.rec.id);
            schedule();
            return;
        }
    }
    setStatus(r, s);
    schedule();
}

void Engine::Private::cancelIdle(Run &r)
{
    stopTimer(r);
    r.rec.failureReason = FailureReason::Canceled;
    r.rec.finished = QDateTime::currentDateTimeUtc();
    finishLog(r.rec);
    setStatus(r, JobStatus::Canceled);
}

void Engine::Private::abort(Run &r)
{
    r.canceled = true;
    switch (r.phase) {
    case Phase::Step:
    case Phase::AfterScript:
        if (r.env)
            r.env->abortScript();
        break;
    default:
        break; // preparing: cleaned up when prepared() arrives; later phases finish soon
    }
}

// ---------------------------------------------------------------------------------- Engine

Engine::Engine(std::unique_ptr<Backend> backend, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->backend = std::move(backend);
}

Engine::~Engine()
{
    // Workers write into the pipeline's folders: let them finish first.
    d->pool.waitForDone();
    // The pipeline's copy of the project is only needed while jobs can still run (or retry).
    if (!d->sourceDir.isEmpty())
        QDir(QFileInfo(d->sourceDir).absolutePath()).removeRecursively();
    // Processes and containers must not outlive the engine.
    for (const auto &r : d->runs) {
        if (r->env) {
            r->env->disconnect(this);
            r->env->cleanup(false);
            delete r->env.data();
        }
        delete r->timer;
        r->timer = nullptr;
    }
}

bool Engine::start(const pipeline::Plan &plan, const pipeline::PipelineContext &context,
                   const RunOptions &options, QString *error)
{
    d->selectionRefused = false;
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    auto refuseSelection = [this, &fail](const QString &message) {
        d->selectionRefused = true;
        return fail(message);
    };
    if (d->started)
        return fail(tr("The pipeline was already started"));
    if (!plan.created)
        return fail(tr("The pipeline is not created: %1").arg(plan.reason));
    if (!plan.errors.isEmpty())
        return fail(plan.errors.join(u'\n'));
    if (options.projectRoot.isEmpty() || !QFileInfo(options.projectRoot).isDir())
        return fail(tr("The project folder \"%1\" does not exist").arg(options.projectRoot));
    d->plan = plan;
    d->context = context;
    d->options = options;
    d->concurrency = options.concurrency > 0 ? options.concurrency : QThread::idealThreadCount();

    // Selection.
    QSet<QString> selection;
    QSet<QString> named;
    if (!options.jobs.isEmpty()) {
        QStringList names;
        for (const pipeline::PlannedJob &job : d->plan.jobs)
            names << job.name;
        for (const QString &name : options.jobs) {
            // A job that exists but is not created says why, as the pipeline editor would.
            if (!names.contains(name) && name.startsWith(u'.'))
                return refuseSelection(
                    tr("Job \"%1\" is not in the pipeline: it is hidden (its name starts "
                       "with a dot), a template for other jobs")
                        .arg(name));
            for (const pipeline::ExcludedJob &excluded : d->plan.excluded)
                if (excluded.name == name)
                    return refuseSelection(
                        tr("Job \"%1\" is not in the pipeline: %2").arg(name, excluded.reason));
            if (!names.contains(name))
                return refuseSelection(tr("Job \"%1\" not found in the pipeline; jobs are: %2")
                                           .arg(name, names.join(QStringLiteral(", "))));
            selection.insert(name);
            named.insert(name);
        }
        if (options.withNeeds) {
            QStringList queue = options.jobs;
            while (!queue.isEmpty()) {
                const pipeline::PlannedJob *job = d->plan.job(queue.takeFirst());
                if (!job)
                    continue;
                QStringList more;
                for (const pipeline::Need &need : job->needs)
                    if (need.isLocal())
                        more << need.job;
                if (!job->hasNeeds) {
                    // Without needs: a job waits for every earlier stage.
                    for (const pipeline::PlannedJob &other : d->plan.jobs)
                        if (other.stageIndex < job->stageIndex)
                            more << other.name;
                }
                for (const QString &m : std::as_const(more)) {
                    if (d->plan.job(m) && !selection.contains(m)) {
                        selection.insert(m);
                        queue << m;
                    }
                }
            }
        }
    }

    if (!d->backend || !d->backend->initialize(error))
        return false;

    // Folders.
    d->dataDir = options.dataDir.isEmpty()
                     ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                           QStringLiteral("/runs")
                     : options.dataDir;
    const QDir pipelines(QDir(d->dataDir).filePath(QStringLiteral("pipelines")));
    if (!QDir().mkpath(pipelines.path()))
        return fail(tr("Cannot create %1").arg(pipelines.path()));
    int next = 1;
    for (const QString &entry : pipelines.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        next = std::max(next, entry.toInt() + 1);
    while (!pipelines.mkdir(QString::number(next)))
        ++next;
    d->pipelineId = QString::number(next);
    d->pipelineDir = pipelines.filePath(d->pipelineId);
    d->lock = std::make_unique<QLockFile>(QDir(d->pipelineDir).filePath(QLatin1String(lockName)));
    d->lock->setStaleLockTime(0);
    d->lock->tryLock(0);
    prunePipelines(pipelines, options.keepPipelines);
    QDir().mkpath(QDir(d->pipelineDir).filePath(QStringLiteral("logs")));
    d->created = QDateTime::currentDateTimeUtc();
    d->projectName = context.effectiveFacts().projectPath.section(u'/', -1);
    if (d->projectName.isEmpty())
        d->projectName = QFileInfo(options.projectRoot).fileName();

    // The source every job starts from: the working tree as it is now.
    d->sourceDir = QDir(d->pipelineDir).filePath(QStringLiteral("source/") + d->projectName);
    QString snapshotError;
    const auto files = snapshotSource(options.projectRoot, d->sourceDir, &snapshotError);
    if (!files)
        return fail(tr("Cannot copy the project %1: %2").arg(options.projectRoot, snapshotError));
    d->sourceFiles = *files;
    d->source->files = *files;
    d->source->present = true;

    // User variables files, lowest first: read now so that errors show in every job.
    d->fileVariablesFor(QString());

    d->started = true;
    d->addRuns(d->plan, 0, options.jobs.isEmpty() ? nullptr : &selection, named);
    for (const auto &r : d->runs)
        Q_EMIT jobAdded(r->rec.id);
    d->status = PipelineStatus::Running;
    Q_EMIT pipelineStatusChanged(d->status);
    QTimer::singleShot(0, this, [this] { d->schedule(); });
    return true;
}

void Engine::play(int jobId)
{
    Run *r = d->run(jobId);
    if (!r)
        return;
    if (r->rec.status == JobStatus::Manual && !r->childCreated) { // not a blocked downstream
        r->played = true;
        d->finishedEmitted = false;
        d->setStatus(*r, JobStatus::Pending);
        d->schedule();
    } else if (r->rec.status == JobStatus::Scheduled) {
        stopTimer(*r);
        r->played = true;
        d->finishedEmitted = false;
        d->setStatus(*r, JobStatus::Pending);
        d->schedule();
    }
}

void Engine::retry(int jobId)
{
    Run *r = d->run(jobId);
    if (!r || !isFinished(r->rec.status) || r->planned->trigger || d->canceledPipeline)
        return;
    if (r->rec.status == JobStatus::Skipped)
        return;
    ++r->rec.attempt;
    d->newLog(*r);
    r->phase = Phase::Idle;
    r->played = true;
    d->finishedEmitted = false;
    // Jobs that were skipped because of this one (directly or not) are evaluated again.
    QSet<int> again{jobId};
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto &other : d->runs) {
            if (other->rec.status != JobStatus::Skipped || again.contains(other->rec.id))
                continue;
            if (std::any_of(other->prereqs.cbegin(), other->prereqs.cend(),
                            [&again](int id) { return again.contains(id); })) {
                again.insert(other->rec.id);
                other->rec.status = JobStatus::Created;
                d->newLog(*other);
                Q_EMIT jobChanged(other->rec.id);
                changed = true;
            }
        }
    }
    d->setStatus(*r, JobStatus::Pending);
    d->schedule();
}

void Engine::cancel(int jobId)
{
    Run *r = d->run(jobId);
    if (!r || isFinished(r->rec.status))
        return;
    if (r->phase != Phase::Idle && r->phase != Phase::Done) {
        d->abort(*r);
        return;
    }
    if (r->planned->trigger && r->childCreated) {
        for (const auto &c : d->runs)
            if (c->group == jobId)
                cancel(c->rec.id);
    }
    d->cancelIdle(*r);
    d->schedule();
}

void Engine::cancelPipeline()
{
    if (!d->started)
        return;
    d->canceledPipeline = true;
    d->finishedEmitted = false;
    for (const auto &r : d->runs) {
        if (isFinished(r->rec.status))
            continue;
        if (r->phase != Phase::Idle && r->phase != Phase::Done) {
            d->abort(*r);
            continue;
        }
        d->cancelIdle(*r);
    }
    d->schedule();
}

bool Engine::autoCancelable() const
{
    if (!d->started || d->canceledPipeline || d->finishedEmitted)
        return false;
    const QString mode = d->plan.autoCancelOnNewCommit;
    if (mode == u"none")
        return false;
    bool inProgress = false;
    bool interruptibleLeft = false;
    for (const auto &r : d->runs) {
        const bool unfinished = !isFinished(r->rec.status) && r->rec.status != JobStatus::Manual;
        inProgress = inProgress || d->isActive(*r) || r->rec.status == JobStatus::Created;
        interruptibleLeft = interruptibleLeft || (unfinished && r->interruptible);
        if (r->planned->trigger || r->interruptible)
            continue;
        switch (r->rec.status) {
        case JobStatus::Preparing:
        case JobStatus::Running:
            if (mode != u"interruptible")
                return false;
            break;
        case JobStatus::Success:
        case JobStatus::Failed:
            if (r->rec.started.isValid() && mode != u"interruptible")
                return false;
            break;
        default:
            // A retried job that ran before has started too.
            if (r->rec.attempt > 1 && mode != u"interruptible")
                return false;
            break;
        }
    }
    return inProgress && (mode != u"interruptible" || interruptibleLeft);
}

bool Engine::cancelRedundant(const QString &newerPipelineId)
{
    if (!autoCancelable())
        return false;
    const QByteArray line =
        ansi::yellow +
        (newerPipelineId.isEmpty()
             ? tr("Job canceled: a newer pipeline on the same ref made this one redundant")
             : tr("Job canceled: pipeline #%1 on the same ref made this one redundant")
                   .arg(newerPipelineId))
            .toUtf8() +
        ansi::reset + '\n';
    // on_new_commit: interruptible cancels those jobs only; the others run on.
    const bool onlyInterruptible = d->plan.autoCancelOnNewCommit == u"interruptible";
    if (!onlyInterruptible) {
        d->canceledPipeline = true;
        d->finishedEmitted = false;
    }
    for (const auto &r : d->runs) {
        if (isFinished(r->rec.status) || r->rec.status == JobStatus::Manual)
            continue;
        if (onlyInterruptible && !r->interruptible)
            continue;
        d->appendTrace(*r, line);
        if (r->phase != Phase::Idle && r->phase != Phase::Done) {
            d->abort(*r);
            continue;
        }
        d->cancelIdle(*r);
    }
    d->schedule();
    return true;
}

bool Engine::selectionRefused() const
{
    return d->selectionRefused;
}

PipelineStatus Engine::status() const
{
    return d->status;
}

QString Engine::pipelineId() const
{
    return d->pipelineId;
}

QString Engine::pipelineDir() const
{
    return d->pipelineDir;
}

QList<JobRecord> Engine::jobs() const
{
    QList<JobRecord> out;
    out.reserve(qsizetype(d->runs.size()));
    for (const auto &r : d->runs)
        out << r->rec;
    return out;
}

const JobRecord *Engine::job(int jobId) const
{
    const Run *r = d->run(jobId);
    return r ? &r->rec : nullptr;
}

const JobRecord *Engine::job(const QString &name, int parentId) const
{
    for (const auto &r : d->runs)
        if (r->rec.name == name && r->rec.parentId == parentId)
            return &r->rec;
    return nullptr;
}

const pipeline::PlannedJob *Engine::plannedJob(int jobId) const
{
    const Run *r = d->run(jobId);
    return r ? r->planned : nullptr;
}

Backend *Engine::backend() const
{
    return d->backend.get();
}

} // namespace stagecraft::exec
