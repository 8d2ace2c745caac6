// The run engine with the shell backend: real processes in real git repositories.

#include "exec/engine.h"
#include "exec/scriptbuilder.h"
#include "exec/services.h"
#include "exec/shell/shellbackend.h"
#include "gitrepobuilder.h"
#include "pipeline/gitcontext.h"
#include "pipeline/planner.h"

#include <QLockFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace stagecraft;
using exec::FailureReason;
using exec::JobStatus;
using exec::PipelineStatus;

namespace {

/// A project in a temporary git repository, planned and run by an Engine with the shell backend.
class Fixture
{
public:
    Fixture()
    {
        root = dir.filePath(QStringLiteral("project"));
        data = dir.filePath(QStringLiteral("data"));
        shared = dir.filePath(QStringLiteral("shared"));
        QDir().mkpath(root);
        QDir().mkpath(shared);
        repo = std::make_unique<gittest::RepoBuilder>(root);
    }

    /// Commits `ci` (and `files`) and starts the pipeline.
    bool start(const QByteArray &ci, exec::RunOptions options = {},
               const QHash<QString, QByteArray> &files = {}, QString *error = nullptr)
    {
        repo->write(QStringLiteral(".gitlab-ci.yml"), ci);
        for (auto it = files.cbegin(); it != files.cend(); ++it)
            repo->write(it.key(), it.value());
        repo->commit("ci");
        for (auto it = untracked.cbegin(); it != untracked.cend(); ++it)
            repo->write(it.key(), it.value());
        QString e;
        const auto ctx = pipeline::contextFromRepository(root, {}, &e);
        if (!ctx) {
            qWarning() << e;
            return false;
        }
        context = *ctx;
        context.variables.insert(QStringLiteral("SHARED"), shared);
        pipeline::PlanOptions po;
        po.resolve.projectRoot = root;
        po.resolve.mainFile = QStringLiteral(".gitlab-ci.yml");
        po.effectiveJobs = true;
        plan = pipeline::Planner::planProject(context, po);
        options.projectRoot = root;
        options.dataDir = data;
        engine = std::make_unique<exec::Engine>(
            backendFactory ? backendFactory() : std::make_unique<exec::ShellBackend>());
        finished = std::make_unique<QSignalSpy>(engine.get(), &exec::Engine::finished);
        QObject::connect(engine.get(), &exec::Engine::jobChanged, engine.get(), [this](int id) {
            if (const exec::JobRecord *j = engine->job(id))
                history[j->name] << j->status;
        });
        return engine->start(plan, context, options, error ? error : &e) ||
               (error == nullptr && (qWarning() << e, false));
    }

    /// Waits for the next finished() signal.
    bool wait(int ms = 20000)
    {
        // finished() may have come already (synchronously, from play() or cancel()).
        if (finished->size() > consumed || finished->wait(ms)) {
            consumed = finished->size();
            return true;
        }
        return false;
    }

    PipelineStatus lastStatus() const
    {
        return finished->isEmpty() ? PipelineStatus::Created
                                   : finished->last().at(0).value<PipelineStatus>();
    }

    const exec::JobRecord &job(const QString &name, int parentId = 0) const
    {
        static exec::JobRecord none;
        const exec::JobRecord *j = engine->job(name, parentId);
        return j ? *j : none;
    }

    QString trace(const QString &name, int parentId = 0) const
    {
        const exec::JobRecord &j = job(name, parentId);
        if (!j.log)
            return {};
        QStringList lines;
        for (const QByteArray &line : j.log->lines(0, j.log->lineCount()))
            lines << QString::fromUtf8(line);
        return lines.join(u'\n');
    }

    /// Lines the jobs appended to `$SHARED/events`.
    QStringList events() const
    {
        QFile f(QDir(shared).filePath(QStringLiteral("events")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
    }

    QTemporaryDir dir;
    QString root, data, shared;
    std::unique_ptr<gittest::RepoBuilder> repo;
    pipeline::PipelineContext context;
    pipeline::Plan plan;
    std::unique_ptr<exec::Engine> engine;
    std::unique_ptr<QSignalSpy> finished;
    qsizetype consumed = 0;
    QHash<QString, QList<JobStatus>> history;
    QHash<QString, QByteArray> untracked; ///< written after the commit
    std::function<std::unique_ptr<exec::Backend>()> backendFactory;
};

/// The shell backend, keeping the JobSpec of every job.
class RecordingBackend : public exec::ShellBackend
{
public:
    explicit RecordingBackend(QList<exec::JobSpec> *specs)
        : m_specs(specs)
    {
    }
    exec::JobEnvironment *createEnvironment(const exec::JobSpec &spec, QObject *parent) override
    {
        m_specs->append(spec);
        return exec::ShellBackend::createEnvironment(spec, parent);
    }

private:
    QList<exec::JobSpec> *m_specs;
};

/// A backend whose environments fail or never finish preparing (an image pull that is
/// refused, a service that never answers).
class BrokenBackend : public exec::ShellBackend
{
public:
    enum Mode { Fail, Hang };
    BrokenBackend(Mode mode, int *cleanups)
        : m_mode(mode)
        , m_cleanups(cleanups)
    {
    }

    class Environment : public exec::JobEnvironment
    {
    public:
        Environment(Mode mode, int *cleanups, QObject *parent)
            : exec::JobEnvironment(parent)
            , m_mode(mode)
            , m_cleanups(cleanups)
        {
        }
        void prepare() override
        {
            if (m_mode == Fail)
                QTimer::singleShot(0, this, [this] {
                    Q_EMIT prepared(false, QStringLiteral("pull access denied for nope"));
                });
        }
        void runScript(exec::ScriptStep, const QByteArray &) override {}
        void abortScript() override {}
        void collect() override {}
        void cleanup(bool) override
        {
            ++*m_cleanups;
            QTimer::singleShot(0, this, [this] { Q_EMIT cleanedUp(); });
        }
        QString enterCommand() const override { return {}; }

    private:
        Mode m_mode;
        int *m_cleanups;
    };

    exec::JobEnvironment *createEnvironment(const exec::JobSpec &, QObject *parent) override
    {
        return new Environment(m_mode, m_cleanups, parent);
    }

private:
    Mode m_mode;
    int *m_cleanups;
};

/// A backend whose "script" writes the job's output with a line of its first service's log in
/// between, the way the container executors write them (when the job asks for them): what the
/// engine does with a service's log (passing CI_DEBUG_SERVICES and the aliases, masking).
class ServiceLogBackend : public exec::ShellBackend
{
public:
    class Environment : public exec::JobEnvironment
    {
    public:
        Environment(const exec::JobSpec &spec, QObject *parent)
            : exec::JobEnvironment(parent)
            , m_spec(spec)
        {
        }
        void prepare() override
        {
            QTimer::singleShot(0, this, [this] { Q_EMIT prepared(true, QString()); });
        }
        void runScript(exec::ScriptStep step, const QByteArray &) override
        {
            QTimer::singleShot(0, this, [this, step] {
                if (step == exec::ScriptStep::Step) {
                    Q_EMIT output("job starts, ");
                    if (exec::debugServicesEnabled(m_spec.variables)) {
                        QString secret;
                        for (const exec::JobVariable &v : m_spec.variables)
                            if (v.name == u"SECRET")
                                secret = v.value;
                        exec::ServiceLogWriter writer(
                            exec::serviceLogName(m_spec.services.first()));
                        Q_EMIT output(writer.feed(
                            "2023-01-26T20:28:39.843063600Z password: " + secret.toUtf8() + '\n'));
                    }
                    Q_EMIT output("job ends\n");
                }
                Q_EMIT scriptFinished(0);
            });
        }
        void abortScript() override {}
        void collect() override
        {
            QTimer::singleShot(0, this, [this] { Q_EMIT collected(true, QString()); });
        }
        void cleanup(bool) override
        {
            QTimer::singleShot(0, this, [this] { Q_EMIT cleanedUp(); });
        }
        QString enterCommand() const override { return {}; }

    private:
        exec::JobSpec m_spec;
    };

    exec::JobEnvironment *createEnvironment(const exec::JobSpec &spec, QObject *parent) override
    {
        return new Environment(spec, parent);
    }
};

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    // A zombie is dead already (waiting for its parent to collect it).
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) != "Z";
}

qint64 readPid(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toLongLong();
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void goDuration_data();
    void goDuration();
    void displayCommand_data();
    void displayCommand();
    void scriptRunsInSh();
    void twoStages();
    void traceShape();
    void defaults();
    void stagesAndNeeds();
    void concurrencyLimit();
    void whenKeywords_data();
    void whenKeywords();
    void manualPlay();
    void delayed();
    void allowFailureExitCodes_data();
    void allowFailureExitCodes();
    void retry_data();
    void retry();
    void retryByHand();
    void timeout();
    void resourceGroup();
    void cancelJob();
    void cancelPipeline();
    void cancelWhilePreparing();
    void variablesPrecedence();
    void selection_data();
    void selection();
    void unknownJob();
    void notInPipeline_data();
    void notInPipeline();
    void autoCancel_data();
    void autoCancel();
    void autoCancelOnJobFailure_data();
    void autoCancelOnJobFailure();
    void workFilesRemoved();
    void manualKeepsSource();
    void prunePipelines();
    void untrackedAndCheckoutUnchanged();
    void gitStrategyNone();
    void childPipeline_data();
    void childPipeline();
    void dynamicChildPipeline();
    void manualTrigger();
    void triggerProjectSkipped();
    void keepFailed();
    void masking();
    void fileVariables();
    void variablesFilePrecedence();
    void dotenv();
    void artifacts();
    void artifactSources_data();
    void artifactSources();
    void artifactsWhen_data();
    void artifactsWhen();
    void cache();
    void missingDependency();
    void debugTrace();
    void destroyedWhileRunning();
    void systemFailure();
    void jobSpec();
    void serviceSpec_data();
    void serviceSpec();
    void serviceLogs_data();
    void serviceLogs();
    void timeoutWhilePreparing();
    void environment();
};

void TestEngine::initTestCase()
{
    qRegisterMetaType<PipelineStatus>();
}

void TestEngine::goDuration_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("0") << qint64(0) << "0s";
    QTest::newRow("59") << qint64(59) << "59s";
    QTest::newRow("60") << qint64(60) << "1m0s";
    QTest::newRow("90") << qint64(90) << "1m30s";
    QTest::newRow("3600") << qint64(3600) << "1h0m0s";
    QTest::newRow("5432") << qint64(5432) << "1h30m32s";
}

void TestEngine::goDuration()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(exec::goDuration(seconds), text);
}

void TestEngine::displayCommand_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("shown");
    QTest::newRow("one line") << "echo hi"
                              << "echo hi";
    QTest::newRow("block scalar") << "echo hi\n"
                                  << "echo hi";
    QTest::newRow("two lines") << "if true; then\n  echo hi\nfi\n"
                               << "if true; then # collapsed multi-line command";
}

void TestEngine::displayCommand()
{
    QFETCH(QString, command);
    QFETCH(QString, shown);
    QCOMPARE(exec::displayCommand(command), shown);
}

void TestEngine::scriptRunsInSh()
{
    // The script also works in a POSIX sh (images without bash: the runner falls back to sh).
    const QString sh = QStandardPaths::findExecutable(QStringLiteral("dash"));
    if (sh.isEmpty())
        QSKIP("dash is not installed");
    QTemporaryDir dir;
    QFile script(dir.filePath(QStringLiteral("s")));
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(exec::buildScript({QStringLiteral("echo \"it's $((1+1))\""),
                                    QStringLiteral("false"), QStringLiteral("echo never")}));
    script.close();
    QProcess p;
    p.start(sh, {script.fileName()});
    QVERIFY(p.waitForFinished());
    QCOMPARE(p.exitCode(), 1);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("\x1b[32;1m$ echo \"it's $((1+1))\"\x1b[0;m\n"
                                                   "it's 2\n\x1b[32;1m$ false\x1b[0;m\n"));
}

void TestEngine::twoStages()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "build-job:\n  stage: build\n  script:\n    - echo building\n"
                    "test-job:\n  stage: test\n  script:\n    - echo testing\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QCOMPARE(f.engine->status(), PipelineStatus::Success);
    QCOMPARE(f.job(QStringLiteral("build-job")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("build-job")).exitCode, 0);
    QCOMPARE(f.job(QStringLiteral("test-job")).status, JobStatus::Success);
    QVERIFY(f.job(QStringLiteral("build-job")).finished <=
            f.job(QStringLiteral("test-job")).started);
    QCOMPARE(f.history.value(QStringLiteral("test-job")),
             (QList<JobStatus>{JobStatus::Pending, JobStatus::Preparing, JobStatus::Running,
                               JobStatus::Success}));
    // Logs on disk where the engine says.
    const QString log = QDir(f.data).filePath(QStringLiteral("pipelines/%1/logs/%2.log")
                                                  .arg(f.engine->pipelineId())
                                                  .arg(f.job(QStringLiteral("test-job")).id));
    QVERIFY2(QFileInfo::exists(log), qPrintable(log));
    QCOMPARE(f.job(QStringLiteral("test-job")).log->path(), log);
}

void TestEngine::traceShape()
{
    Fixture f;
    QVERIFY(f.start("job:\n  image: alpine:3\n  before_script: [echo before]\n"
                    "  script:\n    - echo \"it's $CI_JOB_NAME\"\n    - |\n      echo one\n"
                    "      echo two\n    - false\n    - echo never\n"
                    "  after_script:\n    - echo \"status $CI_JOB_STATUS\"\n    - exit 1\n"));
    QVERIFY(f.wait());
    const QString t = f.trace(QStringLiteral("job"));
    const QStringList lines = t.split(u'\n');
    QCOMPARE(lines.at(0), QStringLiteral("Running with stagecraft 0.1.0"));
    QVERIFY(
        t.contains(QStringLiteral("\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"shell\" executor"
                                  "\x1b[0;m\n\x1b[0;33mWARNING: image \"alpine:3\" ignored: the "
                                  "shell executor runs jobs on this machine\x1b[0;m\n")));
    QVERIFY(
        t.contains(QStringLiteral("\x1b[32;1m$ echo before\x1b[0;m\nbefore\n"
                                  "\x1b[32;1m$ echo \"it's $CI_JOB_NAME\"\x1b[0;m\nit's job\n"
                                  "\x1b[32;1m$ echo one # collapsed multi-line command\x1b[0;m\n"
                                  "one\ntwo\n\x1b[32;1m$ false\x1b[0;m\nsection_end:")));
    QVERIFY(!t.contains(QStringLiteral("never")));
    QVERIFY(t.contains(QStringLiteral("Running after script...\n"
                                      "\x1b[32;1m$ echo \"status $CI_JOB_STATUS\"\x1b[0;m\n"
                                      "status failed\n\x1b[32;1m$ exit 1\x1b[0;m\n"
                                      "section_end:")));
    // The warning comes after the after_script section ends, as GitLab Runner writes it.
    static const QRegularExpression warnAfterEnd(QStringLiteral(
        "section_end:\\d+:after_script\r\x1b\\[0K\n\x1b\\[0;33mWARNING: after_script failed, but "
        "job will continue unaffected: exit code 1\x1b\\[0;m\n"));
    QVERIFY(warnAfterEnd.match(t).hasMatch());
    QCOMPARE(lines.last(), QStringLiteral("\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m"));
    // Sections in GitLab Runner's order.
    QStringList sections;
    static const QRegularExpression re(QStringLiteral("^section_start:\\d+:(\\w+)\r"));
    for (const QString &line : lines)
        if (const auto m = re.match(line); m.hasMatch())
            sections << m.captured(1);
    QCOMPARE(sections, (QStringList{QStringLiteral("prepare_executor"),
                                    QStringLiteral("prepare_script"), QStringLiteral("get_sources"),
                                    QStringLiteral("step_script"), QStringLiteral("after_script"),
                                    QStringLiteral("cleanup_file_variables")}));
    QCOMPARE(f.job(QStringLiteral("job")).failureReason, FailureReason::ScriptFailure);
    QCOMPARE(f.lastStatus(), PipelineStatus::Failed);
}

void TestEngine::defaults()
{
    // The engine runs the effective job: default: keys the job does not set.
    Fixture f;
    QVERIFY(f.start("default:\n  before_script: [echo from-default]\n"
                    "  after_script: [echo after-default]\n"
                    "plain:\n  script: echo plain\n"
                    "own:\n  before_script: [echo own-before]\n  script: echo own\n"
                    "none:\n  inherit:\n    default: false\n  script: echo none\n"));
    QVERIFY(f.wait());
    QVERIFY(f.trace(QStringLiteral("plain")).contains(QStringLiteral("\nfrom-default\n")));
    QVERIFY(f.trace(QStringLiteral("plain")).contains(QStringLiteral("\nafter-default\n")));
    QVERIFY(f.trace(QStringLiteral("own")).contains(QStringLiteral("\nown-before\n")));
    QVERIFY(!f.trace(QStringLiteral("own")).contains(QStringLiteral("from-default")));
    QVERIFY(f.trace(QStringLiteral("own")).contains(QStringLiteral("\nafter-default\n")));
    QVERIFY(!f.trace(QStringLiteral("none")).contains(QStringLiteral("default")));
}

void TestEngine::stagesAndNeeds()
{
    // fast needs a, not slow: it starts before slow (same stage as a) ends; late waits for the
    // whole build stage.
    Fixture f;
    exec::RunOptions o;
    o.concurrency = 4;
    QVERIFY(f.start("stages: [build, test]\n"
                    ".log: &log\n  - echo \"start $CI_JOB_NAME\" >> $SHARED/events\n"
                    "a:\n  stage: build\n  script:\n    - *log\n    - echo \"end a\" >> "
                    "$SHARED/events\n"
                    "slow:\n  stage: build\n  script:\n    - *log\n    - sleep 1.5\n"
                    "    - echo \"end slow\" >> $SHARED/events\n"
                    "fast:\n  stage: test\n  needs: [a]\n  script:\n    - *log\n"
                    "late:\n  stage: test\n  script:\n    - *log\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    const QStringList e = f.events();
    QVERIFY2(e.indexOf(QStringLiteral("start fast")) < e.indexOf(QStringLiteral("end slow")),
             qPrintable(e.join(u',')));
    QVERIFY(e.indexOf(QStringLiteral("end a")) < e.indexOf(QStringLiteral("start fast")));
    QVERIFY(e.indexOf(QStringLiteral("end slow")) < e.indexOf(QStringLiteral("start late")));
}

void TestEngine::concurrencyLimit()
{
    Fixture f;
    exec::RunOptions o;
    o.concurrency = 1;
    QVERIFY(f.start("a:\n  script:\n    - echo \"start a\" >> $SHARED/events\n    - sleep 0.2\n"
                    "    - echo \"end a\" >> $SHARED/events\n"
                    "b:\n  script:\n    - echo \"start b\" >> $SHARED/events\n    - sleep 0.2\n"
                    "    - echo \"end b\" >> $SHARED/events\n"
                    "c:\n  script:\n    - echo \"start c\" >> $SHARED/events\n"
                    "    - echo \"end c\" >> $SHARED/events\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(f.events(), (QStringList{QStringLiteral("start a"), QStringLiteral("end a"),
                                      QStringLiteral("start b"), QStringLiteral("end b"),
                                      QStringLiteral("start c"), QStringLiteral("end c")}));
    QVERIFY(f.history.value(QStringLiteral("c")).contains(JobStatus::Pending));
}

void TestEngine::whenKeywords_data()
{
    QTest::addColumn<QString>("firstScript");
    QTest::addColumn<QString>("onSuccess");
    QTest::addColumn<QString>("onFailure");
    QTest::addColumn<QString>("always");
    QTest::addColumn<QString>("pipeline");
    QTest::newRow("first passes") << "true"
                                  << "success"
                                  << "skipped"
                                  << "success"
                                  << "success";
    QTest::newRow("first fails") << "exit 2"
                                 << "skipped"
                                 << "success"
                                 << "success"
                                 << "failed";
}

void TestEngine::whenKeywords()
{
    QFETCH(QString, firstScript);
    QFETCH(QString, onSuccess);
    QFETCH(QString, onFailure);
    QFETCH(QString, always);
    QFETCH(QString, pipeline);
    Fixture f;
    QVERIFY(f.start("stages: [one, two]\n"
                    "first:\n  stage: one\n  script: " +
                    firstScript.toUtf8() +
                    "\n"
                    "next:\n  stage: two\n  script: echo next\n"
                    "rescue:\n  stage: two\n  when: on_failure\n  script: echo rescue\n"
                    "report:\n  stage: two\n  when: always\n  script: echo report\n"));
    QVERIFY(f.wait());
    QCOMPARE(exec::statusName(f.job(QStringLiteral("next")).status), onSuccess);
    QCOMPARE(exec::statusName(f.job(QStringLiteral("rescue")).status), onFailure);
    QCOMPARE(exec::statusName(f.job(QStringLiteral("report")).status), always);
    QCOMPARE(exec::statusName(f.lastStatus()), pipeline);
}

void TestEngine::manualPlay()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, deploy]\n"
                    "build:\n  stage: build\n  script: echo b\n"
                    "deploy:\n  stage: deploy\n  when: manual\n  script: echo deployed\n"
                    "gate:\n  stage: deploy\n  when: manual\n  allow_failure: false\n"
                    "  script: echo gate\n"
                    "after:\n  stage: .post\n  script: echo after\n"));
    QVERIFY(f.wait());
    // The blocking manual job holds the pipeline (GitLab: "blocked"); the optional one does not.
    QCOMPARE(f.lastStatus(), PipelineStatus::Manual);
    QCOMPARE(f.job(QStringLiteral("deploy")).status, JobStatus::Manual);
    QCOMPARE(f.job(QStringLiteral("gate")).status, JobStatus::Manual);
    QCOMPARE(f.job(QStringLiteral("after")).status, JobStatus::Created);
    f.engine->play(f.job(QStringLiteral("gate")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("gate")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("after")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("deploy")).status, JobStatus::Manual);
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    f.engine->play(f.job(QStringLiteral("deploy")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("deploy")).status, JobStatus::Success);
    QVERIFY(f.trace(QStringLiteral("deploy")).contains(QStringLiteral("\ndeployed\n")));
}

void TestEngine::delayed()
{
    Fixture f;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(f.start("later:\n  when: delayed\n  start_in: 1 second\n  script: echo later\n"));
    QTRY_COMPARE(f.job(QStringLiteral("later")).status, JobStatus::Scheduled);
    QVERIFY(f.wait());
    QVERIFY(timer.elapsed() >= 1000);
    QCOMPARE(f.job(QStringLiteral("later")).status, JobStatus::Success);
    QVERIFY(f.job(QStringLiteral("later")).started.msecsTo(QDateTime::currentDateTimeUtc()) < 5000);
}

void TestEngine::allowFailureExitCodes_data()
{
    QTest::addColumn<QByteArray>("allow");
    QTest::addColumn<int>("exit");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<PipelineStatus>("pipeline");
    QTest::newRow("true") << QByteArray("true") << 1 << true << PipelineStatus::Success;
    QTest::newRow("false") << QByteArray("false") << 1 << false << PipelineStatus::Failed;
    QTest::newRow("listed code") << QByteArray("\n    exit_codes: [137, 3]") << 3 << true
                                 << PipelineStatus::Success;
    QTest::newRow("single code") << QByteArray("\n    exit_codes: 3") << 3 << true
                                 << PipelineStatus::Success;
    QTest::newRow("other code") << QByteArray("\n    exit_codes: [137, 3]") << 4 << false
                                << PipelineStatus::Failed;
    // rules:allow_failure replaces the job's, exit codes included.
    QTest::newRow("rule says false")
        << QByteArray("\n    exit_codes: 3\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n"
                      "      allow_failure: false")
        << 3 << false << PipelineStatus::Failed;
    QTest::newRow("rule without allow_failure")
        << QByteArray("\n    exit_codes: 3\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"x\"\n"
                      "      allow_failure: false\n    - when: on_success")
        << 3 << true << PipelineStatus::Success;
    // The planner says which rule matched: its own exit codes apply.
    QTest::newRow("rule with exit codes")
        << QByteArray("false\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"x\"\n"
                      "    - allow_failure:\n        exit_codes: [3]")
        << 3 << true << PipelineStatus::Success;
    QTest::newRow("rule with other exit codes")
        << QByteArray("true\n  rules:\n    - allow_failure:\n        exit_codes: [3]") << 4 << false
        << PipelineStatus::Failed;
}

void TestEngine::allowFailureExitCodes()
{
    QFETCH(QByteArray, allow);
    QFETCH(int, exit);
    QFETCH(bool, allowed);
    QFETCH(PipelineStatus, pipeline);
    Fixture f;
    QVERIFY(f.start("job:\n  script: exit " + QByteArray::number(exit) +
                    "\n  allow_failure: " + allow + "\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("job")).status, JobStatus::Failed);
    QCOMPARE(f.job(QStringLiteral("job")).exitCode, exit);
    QCOMPARE(f.job(QStringLiteral("job")).allowedToFail, allowed);
    QCOMPARE(f.lastStatus(), pipeline);
}

void TestEngine::retry_data()
{
    QTest::addColumn<QByteArray>("retry");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<JobStatus>("status");
    // The script fails on its first two runs (a counter in $SHARED).
    QTest::newRow("max 2") << QByteArray("2") << 3 << JobStatus::Success;
    QTest::newRow("max 1") << QByteArray("1") << 2 << JobStatus::Failed;
    QTest::newRow("script_failure")
        << QByteArray("\n    max: 2\n    when: script_failure") << 3 << JobStatus::Success;
    QTest::newRow("other reason") << QByteArray("\n    max: 2\n    when: [runner_system_failure]")
                                  << 1 << JobStatus::Failed;
    QTest::newRow("exit code matches")
        << QByteArray("\n    max: 2\n    exit_codes: [5]") << 3 << JobStatus::Success;
    QTest::newRow("exit code differs")
        << QByteArray("\n    max: 2\n    exit_codes: 6") << 1 << JobStatus::Failed;
}

void TestEngine::retry()
{
    QFETCH(QByteArray, retry);
    QFETCH(int, attempts);
    QFETCH(JobStatus, status);
    Fixture f;
    QVERIFY(f.start("job:\n  retry: " + retry +
                    "\n  script:\n    - echo run >> $SHARED/events\n"
                    "    - test $(wc -l < $SHARED/events) -ge 3 || exit 5\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.events().size(), attempts);
    QCOMPARE(f.job(QStringLiteral("job")).attempt, attempts);
    QCOMPARE(f.job(QStringLiteral("job")).status, status);
    if (attempts > 1) {
        QVERIFY(f.trace(QStringLiteral("job"))
                    .contains(QStringLiteral("Attempt %1 of ").arg(attempts)));
        QVERIFY(f.job(QStringLiteral("job"))
                    .log->path()
                    .endsWith(QStringLiteral("/1-%1.log").arg(attempts)));
    }
}

void TestEngine::retryByHand()
{
    Fixture f;
    QVERIFY(f.start("stages: [one, two]\n"
                    "flaky:\n  stage: one\n  script:\n    - echo run >> $SHARED/events\n"
                    "    - test $(wc -l < $SHARED/events) -ge 2\n"
                    "next:\n  stage: two\n  script: echo next\n"
                    "last:\n  stage: .post\n  script: echo last\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Failed);
    QCOMPARE(f.job(QStringLiteral("last")).status, JobStatus::Skipped);
    QCOMPARE(f.job(QStringLiteral("next")).status, JobStatus::Skipped);
    const QString firstLog = f.job(QStringLiteral("flaky")).log->path();
    f.engine->retry(f.job(QStringLiteral("flaky")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("flaky")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("flaky")).attempt, 2);
    QVERIFY(f.job(QStringLiteral("flaky")).log->path() != firstLog);
    QVERIFY(QFileInfo::exists(firstLog)); // the first attempt's trace stays
    QCOMPARE(f.job(QStringLiteral("next")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("last")).status, JobStatus::Success);
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
}

void TestEngine::timeout()
{
    Fixture f;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(f.start("job:\n  timeout: 1 second\n  script:\n    - echo $$ > $SHARED/pid\n"
                    "    - sleep 20\n  after_script:\n    - echo \"after $CI_JOB_STATUS\"\n"));
    QVERIFY(f.wait());
    QVERIFY(timer.elapsed() < 10000);
    const exec::JobRecord &job = f.job(QStringLiteral("job"));
    QCOMPARE(job.status, JobStatus::Failed);
    QCOMPARE(job.failureReason, FailureReason::JobExecutionTimeout);
    const QString t = f.trace(QStringLiteral("job"));
    QVERIFY(t.contains(QStringLiteral("\nafter failed\n")));
    QVERIFY(t.endsWith(QStringLiteral(
        "\x1b[31;1mERROR: Job failed: execution took longer than 1s seconds\x1b[0;m")));
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(readPid(QDir(f.shared).filePath(QStringLiteral("pid")))),
                             2000); // the kernel needs a moment
}

void TestEngine::resourceGroup()
{
    Fixture f;
    exec::RunOptions o;
    o.concurrency = 4;
    QVERIFY(f.start("a:\n  resource_group: prod\n  script:\n    - echo \"start a\" >> "
                    "$SHARED/events\n    - sleep 0.3\n    - echo \"end a\" >> $SHARED/events\n"
                    "b:\n  resource_group: prod\n  script:\n    - echo \"start b\" >> "
                    "$SHARED/events\n    - sleep 0.3\n    - echo \"end b\" >> $SHARED/events\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(f.events(), (QStringList{QStringLiteral("start a"), QStringLiteral("end a"),
                                      QStringLiteral("start b"), QStringLiteral("end b")}));
    QVERIFY(f.history.value(QStringLiteral("b")).contains(JobStatus::WaitingForResource));
}

void TestEngine::cancelJob()
{
    Fixture f;
    QVERIFY(f.start("stages: [one, two]\n"
                    "job:\n  stage: one\n  script:\n    - echo $$ > $SHARED/pid\n"
                    "    - sleep 30 &\n    - echo $! > $SHARED/child\n    - wait\n"
                    "  after_script:\n    - echo \"after=$CI_JOB_STATUS\"\n"
                    "next:\n  stage: two\n  script: echo next\n"));
    const QString pidFile = QDir(f.shared).filePath(QStringLiteral("child"));
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, 10000);
    const qint64 shell = readPid(QDir(f.shared).filePath(QStringLiteral("pid")));
    const qint64 child = readPid(pidFile);
    QVERIFY(processAlive(child));
    f.engine->cancel(f.job(QStringLiteral("job")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("job")).status, JobStatus::Canceled);
    QCOMPARE(f.job(QStringLiteral("job")).failureReason, FailureReason::Canceled);
    QCOMPARE(f.job(QStringLiteral("job")).exitCode, -1);
    QCOMPARE(f.job(QStringLiteral("next")).status, JobStatus::Skipped);
    QCOMPARE(f.lastStatus(), PipelineStatus::Canceled);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(shell), 2000); // the kernel needs a moment
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 2000); // the kernel needs a moment
    QVERIFY(f.trace(QStringLiteral("job"))
                .endsWith(QStringLiteral("\x1b[31;1mERROR: Job failed: canceled\x1b[0;m")));
    // GitLab 17: the after_script runs for canceled jobs.
    QVERIFY2(f.trace(QStringLiteral("job")).contains(QStringLiteral("\nafter=canceled\n")),
             qPrintable(f.trace(QStringLiteral("job"))));
}

void TestEngine::cancelPipeline()
{
    Fixture f;
    exec::RunOptions o;
    o.concurrency = 1;
    QVERIFY(f.start("a:\n  script:\n    - sleep 30 &\n    - echo $! > $SHARED/child\n    - wait\n"
                    "b:\n  script: echo b\n"
                    "c:\n  stage: deploy\n  when: manual\n  script: echo c\n",
                    o));
    const QString pidFile = QDir(f.shared).filePath(QStringLiteral("child"));
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, 10000);
    const qint64 child = readPid(pidFile);
    QCOMPARE(f.job(QStringLiteral("b")).status, JobStatus::Pending);
    f.engine->cancelPipeline();
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Canceled);
    for (const exec::JobRecord &j : f.engine->jobs())
        QCOMPARE(j.status, JobStatus::Canceled);
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 2000); // the kernel needs a moment
    // Environments are gone once finished() arrives.
    QVERIFY(!QFileInfo::exists(QDir(f.data).filePath(
        QStringLiteral("pipelines/%1/jobs/1/project").arg(f.engine->pipelineId()))));
}

void TestEngine::cancelWhilePreparing()
{
    Fixture f;
    QVERIFY(f.start("job:\n  script: touch $SHARED/ran\n"));
    QObject::connect(f.engine.get(), &exec::Engine::jobChanged, f.engine.get(), [&f](int id) {
        if (f.engine->job(id)->status == JobStatus::Preparing)
            f.engine->cancel(id);
    });
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("job")).status, JobStatus::Canceled);
    QCOMPARE(f.lastStatus(), PipelineStatus::Canceled);
    QVERIFY(!QFileInfo::exists(QDir(f.shared).filePath(QStringLiteral("ran"))));
    QVERIFY(!QFileInfo::exists(
        QDir(f.data).filePath(QStringLiteral("pipelines/%1/jobs/1").arg(f.engine->pipelineId()))));
}

void TestEngine::variablesPrecedence()
{
    Fixture f;
    exec::RunOptions o;
    o.variables.insert(QStringLiteral("CLI"), QStringLiteral("from --var"));
    o.variables.insert(QStringLiteral("BOTH"), QStringLiteral("from --var"));
    QVERIFY(f.start("variables:\n  GLOBAL: global\n  BOTH: global\n  OVER: global\n"
                    "job:\n  variables:\n    OVER: job\n    REF: \"${GLOBAL}-x\"\n"
                    "    ID: \"id-$CI_JOB_ID-$CI_NODE_INDEX\"\n    RAW:\n      value: $CI_JOB_ID\n"
                    "      expand: false\n"
                    "  parallel: 2\n"
                    "  script:\n"
                    "    - echo \"G=$GLOBAL B=$BOTH O=$OVER R=$REF C=$CLI\"\n"
                    "    - echo \"$CI_JOB_NAME|$CI_JOB_NAME_SLUG|$CI_JOB_STAGE|$CI_NODE_INDEX/"
                    "$CI_NODE_TOTAL|$CI|$GITLAB_CI|$CI_SERVER\"\n"
                    "    - test \"$CI_PROJECT_DIR\" = \"$PWD\"\n"
                    "    - test \"$CI_BUILDS_DIR\" = \"$(dirname $PWD)\"\n"
                    "    - test \"$CI_PIPELINE_ID\" = 1\n"
                    "    - test -n \"$CI_JOB_STARTED_AT\" -a -n \"$CI_PIPELINE_CREATED_AT\"\n"
                    "    - echo \"$CI_JOB_URL\"\n"
                    "    - echo \"ID=$ID RAW=$RAW\"\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    const QString t = f.trace(QStringLiteral("job 2/2"));
    QVERIFY2(t.contains(QStringLiteral("\nG=global B=from --var O=job R=global-x C=from --var\n")),
             qPrintable(t));
    QVERIFY(t.contains(QStringLiteral("\njob 2/2|job-2-2|test|2/2|true|true|yes\n")));
    const int id = f.job(QStringLiteral("job 2/2")).id;
    QVERIFY(t.contains(QStringLiteral("/-/jobs/%1\n").arg(id)));
    QVERIFY2(t.contains(QStringLiteral("\nID=id-%1-2 RAW=$CI_JOB_ID\n").arg(id)), qPrintable(t));
}

void TestEngine::selection_data()
{
    QTest::addColumn<QStringList>("jobs");
    QTest::addColumn<bool>("needs");
    QTest::addColumn<QStringList>("ran");
    QTest::newRow("one job") << QStringList{QStringLiteral("deploy")} << false
                             << QStringList{QStringLiteral("deploy")};
    // test has no needs: it waits for the whole build stage, so that comes too.
    QTest::newRow("with needs") << QStringList{QStringLiteral("deploy")} << true
                                << QStringList{QStringLiteral("build"), QStringLiteral("other"),
                                               QStringLiteral("test"), QStringLiteral("deploy")};
    QTest::newRow("stage prerequisites")
        << QStringList{QStringLiteral("test")} << true
        << QStringList{QStringLiteral("build"), QStringLiteral("other"), QStringLiteral("test")};
}

void TestEngine::selection()
{
    QFETCH(QStringList, jobs);
    QFETCH(bool, needs);
    QFETCH(QStringList, ran);
    Fixture f;
    exec::RunOptions o;
    o.jobs = jobs;
    o.withNeeds = needs;
    QVERIFY(f.start("stages: [build, test, deploy]\n"
                    "build:\n  stage: build\n  script: echo\n"
                    "other:\n  stage: build\n  script: echo\n"
                    "test:\n  stage: test\n  script: echo\n"
                    "deploy:\n  stage: deploy\n  needs: [test]\n  script: echo\n"
                    "unrelated:\n  stage: deploy\n  needs: []\n  script: echo\n",
                    o));
    QVERIFY(f.wait());
    QStringList names;
    for (const exec::JobRecord &j : f.engine->jobs()) {
        names << j.name;
        QCOMPARE(j.status, JobStatus::Success);
    }
    QCOMPARE(names, ran);
}

void TestEngine::unknownJob()
{
    Fixture f;
    exec::RunOptions o;
    o.jobs = {QStringLiteral("nope")};
    QString error;
    QVERIFY(!f.start("a:\n  script: echo\nb:\n  script: echo\n", o, {}, &error));
    QCOMPARE(error, QStringLiteral("Job \"nope\" not found in the pipeline; jobs are: a, b"));
    QVERIFY(f.engine->selectionRefused());
    // A refusal of another kind is not the selection's.
    exec::RunOptions missing;
    missing.projectRoot = f.dir.filePath(QStringLiteral("no-such-folder"));
    QVERIFY(!f.engine->start(f.plan, f.context, missing, &error));
    QVERIFY(error.startsWith(u"The project folder"));
    QVERIFY(!f.engine->selectionRefused());
}

void TestEngine::notInPipeline_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error");
    QTest::newRow("excluded by rules")
        << "b"
        << "Job \"b\" is not in the pipeline: rules: no rule matched";
    QTest::newRow("when: never") << "c"
                                 << "Job \"c\" is not in the pipeline: rules: rule 1 sets "
                                    "when: never";
    QTest::newRow("except") << "d"
                            << "Job \"d\" is not in the pipeline: except: refs main";
    QTest::newRow("hidden") << ".t"
                            << "Job \".t\" is not in the pipeline: it is hidden (its name starts "
                               "with a dot), a template for other jobs";
    QTest::newRow("unknown") << "e"
                             << "Job \"e\" not found in the pipeline; jobs are: a";
}

void TestEngine::notInPipeline()
{
    QFETCH(QString, name);
    QFETCH(QString, error);
    Fixture f;
    exec::RunOptions o;
    o.jobs = {name};
    QString e;
    QVERIFY(!f.start(".t:\n  script: echo\na:\n  script: echo\n"
                     "b:\n  script: echo\n  rules:\n    - if: $NOPE\n"
                     "c:\n  script: echo\n  rules:\n    - when: never\n"
                     "d:\n  script: echo\n  except: [main]\n",
                     o, {}, &e));
    QCOMPARE(e, error);
    QVERIFY(f.engine->selectionRefused());
}

void TestEngine::autoCancel_data()
{
    // `sleeper` runs until canceled; the question is whether a newer pipeline cancels this one.
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<int>("concurrency");
    QTest::addColumn<bool>("canceled");
    QTest::addColumn<QStringList>("survivors"); ///< jobs that run on and succeed
    const QByteArray sleeper = "sleeper:\n  script:\n    - touch $SHARED/started\n"
                               "    - sleep 30\n";
    QTest::newRow("interruptible running")
        << sleeper + "  interruptible: true\nlater:\n  stage: deploy\n  script: echo\n"
        << 0 << true << QStringList();
    QTest::newRow("non-interruptible running") << sleeper << 0 << false << QStringList();
    QTest::newRow("interruptible: false running") << sleeper + "  interruptible: false\n"
                                                  << 0 << false << QStringList();
    QTest::newRow("non-interruptible job done before")
        << "first:\n  stage: .pre\n  script: echo\n" + sleeper + "  interruptible: true\n"
        << 0 << false << QStringList();
    QTest::newRow("interruptible job done before")
        << "first:\n  stage: .pre\n  interruptible: true\n  script: echo\n" + sleeper +
               "  interruptible: true\n"
        << 0 << true << QStringList();
    // Jobs that did not start are canceled whatever their interruptible.
    QTest::newRow("non-interruptible pending")
        << sleeper + "  interruptible: true\nwaiting:\n  script: echo\n"
        << 1 << true << QStringList();
    QTest::newRow("default: interruptible")
        << "default:\n  interruptible: true\n" + sleeper << 0 << true << QStringList();
    QTest::newRow("rules:interruptible overrides")
        << sleeper + "  interruptible: false\n  rules:\n    - interruptible: true\n"
        << 0 << true << QStringList();
    QTest::newRow("rules:interruptible false")
        << sleeper + "  interruptible: true\n  rules:\n    - interruptible: false\n"
        << 0 << false << QStringList();
    QTest::newRow("on_new_commit: none") << "workflow:\n  auto_cancel:\n    on_new_commit: none\n" +
                                                sleeper + "  interruptible: true\n"
                                         << 0 << false << QStringList();
    QTest::newRow("workflow rule: none")
        << "workflow:\n  rules:\n    - auto_cancel:\n        on_new_commit: none\n" + sleeper +
               "  interruptible: true\n"
        << 0 << false << QStringList();
    // on_new_commit: interruptible cancels the interruptible jobs only, started or not.
    QTest::newRow("on_new_commit: interruptible")
        << "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n" + sleeper +
               "  interruptible: true\nwaiting:\n  script: echo\n"
               "later:\n  stage: deploy\n  needs: []\n  interruptible: true\n  script: echo\n"
        << 1 << true << QStringList{QStringLiteral("waiting")};
    QTest::newRow("on_new_commit: interruptible, running non-interruptible")
        << "workflow:\n  auto_cancel:\n    on_new_commit: interruptible\n" + sleeper +
               "waiting:\n  interruptible: true\n  script: echo\n"
        << 1 << true << QStringList{QStringLiteral("sleeper")};
}

void TestEngine::autoCancel()
{
    QFETCH(QByteArray, ci);
    QFETCH(int, concurrency);
    QFETCH(bool, canceled);
    QFETCH(QStringList, survivors);
    Fixture f;
    exec::RunOptions o;
    o.concurrency = concurrency;
    QVERIFY(f.start(ci, o));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(QDir(f.shared).filePath(QStringLiteral("started"))),
                             10000);
    QCOMPARE(f.engine->autoCancelable(), canceled);
    QCOMPARE(f.engine->cancelRedundant(QStringLiteral("7")), canceled);
    // What runs on is canceled by hand once the rest settled.
    const bool sleeperRunsOn = !canceled || survivors.removeAll(u"sleeper"_qs) > 0;
    if (sleeperRunsOn) {
        if (canceled)
            QTRY_COMPARE(f.job(QStringLiteral("waiting")).status, JobStatus::Canceled);
        QCOMPARE(f.job(QStringLiteral("sleeper")).status, JobStatus::Running);
        f.engine->cancelPipeline();
    }
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Canceled);
    if (canceled) {
        for (const exec::JobRecord &j : f.engine->jobs()) {
            if (j.name == u"first" || (sleeperRunsOn && j.name == u"sleeper"))
                continue;
            if (survivors.contains(j.name)) {
                QCOMPARE(j.status, JobStatus::Success);
                continue;
            }
            QCOMPARE(j.status, JobStatus::Canceled);
            QVERIFY2(f.trace(j.name).contains(QStringLiteral(
                         "Job canceled: pipeline #7 on the same ref made this one redundant")),
                     qPrintable(f.trace(j.name)));
        }
    }
    // A finished pipeline is not canceled again.
    QVERIFY(!f.engine->autoCancelable());
    QVERIFY(!f.engine->cancelRedundant());
}

using Files = QHash<QString, QByteArray>;
using Statuses = QHash<QString, JobStatus>;

void TestEngine::autoCancelOnJobFailure_data()
{
    // `slow` runs beside `fails`, which fails once `slow` has started.
    QTest::addColumn<QByteArray>("ci");
    QTest::addColumn<Files>("files");
    QTest::addColumn<Statuses>("expected");
    QTest::addColumn<PipelineStatus>("pipeline");
    const QByteArray all = "workflow:\n  auto_cancel:\n    on_job_failure: all\n";
    const QByteArray slow = "slow:\n  script:\n    - touch $SHARED/slow\n    - sleep 6\n";
    const QByteArray fails = "fails:\n  script:\n    - until [ -f $SHARED/slow ]; do sleep 0.05; "
                             "done\n    - exit 3\n";
    const QByteArray later = "later:\n  stage: deploy\n  script: echo later\n"
                             "manual:\n  when: manual\n  script: echo m\n";
    using S = JobStatus;
    QTest::newRow("all") << all + slow + fails + later << Files()
                         << Statuses{{u"slow"_qs, S::Canceled},
                                     {u"fails"_qs, S::Failed},
                                     {u"later"_qs, S::Canceled},
                                     {u"manual"_qs, S::Manual}}
                         << PipelineStatus::Failed;
    QTest::newRow("from the workflow rule")
        << "workflow:\n  rules:\n    - auto_cancel:\n        on_job_failure: all\n" + slow + fails +
               later
        << Files() << Statuses{{u"slow"_qs, S::Canceled}, {u"later"_qs, S::Canceled}}
        << PipelineStatus::Failed;
    QTest::newRow("none (the default)")
        << slow + fails + later << Files()
        << Statuses{{u"slow"_qs, S::Success}, {u"later"_qs, S::Skipped}} << PipelineStatus::Failed;
    QTest::newRow("allowed to fail")
        << all + slow + fails + "  allow_failure: true\n" + later << Files()
        << Statuses{{u"slow"_qs, S::Success}, {u"fails"_qs, S::Failed}, {u"later"_qs, S::Success}}
        << PipelineStatus::Success;
    QTest::newRow("allowed exit code")
        << all + slow + fails + "  allow_failure:\n    exit_codes: [3]\n" + later << Files()
        << Statuses{{u"slow"_qs, S::Success}} << PipelineStatus::Success;
    // A depend trigger whose child fails takes the parent pipeline with it.
    QTest::newRow("failed child pipeline")
        << all + slow + "child:\n  trigger:\n    include: child.yml\n    strategy: depend\n" + later
        << Files{{u"child.yml"_qs, fails}}
        << Statuses{{u"slow"_qs, S::Canceled}, {u"child"_qs, S::Failed}, {u"later"_qs, S::Canceled}}
        << PipelineStatus::Failed;
}

void TestEngine::autoCancelOnJobFailure()
{
    QFETCH(QByteArray, ci);
    QFETCH(Files, files);
    QFETCH(Statuses, expected);
    QFETCH(PipelineStatus, pipeline);
    Fixture f;
    exec::RunOptions o;
    o.concurrency = 4;
    QVERIFY(f.start(ci, o, files));
    QVERIFY(f.wait(30000));
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        QCOMPARE(f.job(it.key()).status, it.value());
        if (it.value() == JobStatus::Canceled)
            QVERIFY2(
                f.trace(it.key()).contains(
                    u"Job canceled: job %1 failed (workflow:auto_cancel:on_job_failure: all)"_qs
                        .arg(files.isEmpty() ? u"fails"_qs : u"child"_qs)),
                qPrintable(f.trace(it.key())));
    }
    QCOMPARE(f.lastStatus(), pipeline);
}

void TestEngine::workFilesRemoved()
{
    Fixture f;
    exec::RunOptions o;
    o.keepFailedEnvironment = true;
    QVERIFY(f.start("ok:\n  script: echo fine > out.txt\n  artifacts:\n    paths: [out.txt]\n"
                    "broken:\n  script: exit 1\n",
                    o));
    QVERIFY(f.wait());
    const QDir dir(f.engine->pipelineDir());
    QCOMPARE(dir.path(), QDir(f.data).filePath(QStringLiteral("pipelines/1")));
    const int ok = f.job(QStringLiteral("ok")).id;
    const int broken = f.job(QStringLiteral("broken")).id;
    // The project copies are gone; logs, artifacts and the kept environment stay.
    QVERIFY(!dir.exists(QStringLiteral("source")));
    QVERIFY(!dir.exists(QStringLiteral("tmp")));
    QVERIFY(!dir.exists(QStringLiteral("jobs/%1").arg(ok)));
    QVERIFY(dir.exists(QStringLiteral("jobs/%1/project").arg(broken)));
    QVERIFY(dir.exists(QStringLiteral("logs/%1.log").arg(ok)));
    QVERIFY(dir.exists(QStringLiteral("logs/%1.log").arg(broken)));
    QVERIFY(dir.exists(QStringLiteral("artifacts/%1").arg(ok)));
    QFile marker(dir.filePath(QStringLiteral("kept-environments")));
    QVERIFY(marker.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(marker.readAll()),
             f.job(QStringLiteral("broken")).enterCommand + u'\n');
    // A retry after the end copies the working tree again.
    f.engine->retry(ok);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("ok")).status, JobStatus::Success);
    QVERIFY2(f.trace(QStringLiteral("ok"))
                 .contains(QStringLiteral(
                     "The pipeline's copy of the project was removed when the pipeline "
                     "finished: copying the working tree again\n")),
             qPrintable(f.trace(QStringLiteral("ok"))));
    QVERIFY(!dir.exists(QStringLiteral("source")));
}

void TestEngine::manualKeepsSource()
{
    // A manual job runs at the pipeline's state of the project, even if it changed since.
    Fixture f;
    QVERIFY(f.start("a:\n  script: echo\nb:\n  when: manual\n  script: cat file\n", {},
                    {{QStringLiteral("file"), "first\n"}}));
    QVERIFY(f.wait());
    const QDir dir(f.engine->pipelineDir());
    QVERIFY(dir.exists(QStringLiteral("source")));
    f.repo->write(QStringLiteral("file"), "second\n");
    f.engine->play(f.job(QStringLiteral("b")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("b")).status, JobStatus::Success);
    QVERIFY(f.trace(QStringLiteral("b")).contains(QStringLiteral("\nfirst\n")));
    QVERIFY(!dir.exists(QStringLiteral("source")));
}

void TestEngine::prunePipelines()
{
    Fixture f;
    const QDir pipelines(QDir(f.data).filePath(QStringLiteral("pipelines")));
    for (int id = 1; id <= 8; ++id)
        QVERIFY(QDir().mkpath(pipelines.filePath(QStringLiteral("%1/logs").arg(id))));
    QVERIFY(QDir().mkpath(pipelines.filePath(QStringLiteral("notes"))));
    QFile kept(pipelines.filePath(QStringLiteral("2/kept-environments")));
    QVERIFY(kept.open(QIODevice::WriteOnly));
    kept.close();
    // Pipeline 3 is still in use by an engine.
    QLockFile inUse(pipelines.filePath(QStringLiteral("3/.lock")));
    QVERIFY(inUse.tryLock(0));
    exec::RunOptions o;
    o.keepPipelines = 3;
    QVERIFY(f.start("job:\n  script: echo\n", o));
    QCOMPARE(f.engine->pipelineId(), QStringLiteral("9"));
    QCOMPARE(pipelines.entryList(QDir::Dirs | QDir::NoDotAndDotDot),
             (QStringList{QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("7"),
                          QStringLiteral("8"), QStringLiteral("9"), QStringLiteral("notes")}));
    QVERIFY(f.wait());
    // 0 keeps everything.
    Fixture g;
    QVERIFY(QDir().mkpath(QDir(g.data).filePath(QStringLiteral("pipelines/1"))));
    o.keepPipelines = 0;
    QVERIFY(g.start("job:\n  script: echo\n", o));
    QVERIFY(g.wait());
    QVERIFY(QFileInfo::exists(QDir(g.data).filePath(QStringLiteral("pipelines/1"))));
}

void TestEngine::untrackedAndCheckoutUnchanged()
{
    Fixture f;
    f.untracked.insert(QStringLiteral("untracked.txt"), "not committed\n");
    QVERIFY(f.start("job:\n  script:\n    - cat untracked.txt\n    - echo changed > tracked.txt\n"
                    "    - echo new > created.txt\n    - rm untracked.txt\n",
                    {}, {{QStringLiteral("tracked.txt"), "original\n"}}));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY(f.trace(QStringLiteral("job")).contains(QStringLiteral("\nnot committed\n")));
    QFile tracked(QDir(f.root).filePath(QStringLiteral("tracked.txt")));
    QVERIFY(tracked.open(QIODevice::ReadOnly));
    QCOMPARE(tracked.readAll(), QByteArray("original\n"));
    QVERIFY(QFileInfo::exists(QDir(f.root).filePath(QStringLiteral("untracked.txt"))));
    QVERIFY(!QFileInfo::exists(QDir(f.root).filePath(QStringLiteral("created.txt"))));
}

void TestEngine::gitStrategyNone()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "build:\n  stage: build\n  script: echo made > made.txt\n"
                    "  artifacts:\n    paths: [made.txt]\n"
                    "test:\n  stage: test\n  variables:\n    GIT_STRATEGY: none\n"
                    "  script:\n    - test ! -e .gitlab-ci.yml\n    - cat made.txt\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY(f.trace(QStringLiteral("test"))
                .contains(QStringLiteral("\nSkipping Git repository setup\n")));
    QVERIFY(f.trace(QStringLiteral("test")).contains(QStringLiteral("\nmade\n")));
}

void TestEngine::childPipeline_data()
{
    QTest::addColumn<QByteArray>("strategy");
    QTest::addColumn<QByteArray>("childScript");
    QTest::addColumn<JobStatus>("trigger");
    QTest::addColumn<PipelineStatus>("pipeline");
    QTest::newRow("depend, child fails")
        << QByteArray("\n    strategy: depend") << QByteArray("exit 1") << JobStatus::Failed
        << PipelineStatus::Failed;
    QTest::newRow("depend, child passes")
        << QByteArray("\n    strategy: depend") << QByteArray("echo ok") << JobStatus::Success
        << PipelineStatus::Success;
    QTest::newRow("no depend, child fails")
        << QByteArray() << QByteArray("exit 1") << JobStatus::Success << PipelineStatus::Success;
}

void TestEngine::childPipeline()
{
    QFETCH(QByteArray, strategy);
    QFETCH(QByteArray, childScript);
    QFETCH(JobStatus, trigger);
    QFETCH(PipelineStatus, pipeline);
    Fixture f;
    QVERIFY(f.start(
        "stages: [build, child, after]\n"
        "build:\n  stage: build\n  script: echo build\n"
        "kid:\n  stage: child\n  trigger:\n    include: child.yml" +
            strategy +
            "\n"
            "after:\n  stage: after\n  script: echo after\n",
        {},
        {{QStringLiteral("child.yml"), "child-a:\n  script: echo \"child $CI_PIPELINE_SOURCE\"\n"
                                       "child-b:\n  stage: deploy\n  script: " +
                                           childScript + "\n"}}));
    QVERIFY(f.wait());
    const exec::JobRecord &kid = f.job(QStringLiteral("kid"));
    QCOMPARE(f.job(QStringLiteral("child-a"), kid.id).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("child-a"), kid.id).parentId, kid.id);
    QVERIFY(f.trace(QStringLiteral("child-a"), kid.id)
                .contains(QStringLiteral("\nchild parent_pipeline\n")));
    QVERIFY(f.job(QStringLiteral("child-b"), kid.id).finished.isValid());
    QCOMPARE(kid.status, trigger);
    QCOMPARE(f.job(QStringLiteral("after")).status,
             trigger == JobStatus::Success ? JobStatus::Success : JobStatus::Skipped);
    QCOMPARE(f.lastStatus(), pipeline);
}

void TestEngine::dynamicChildPipeline()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "generate:\n  stage: build\n  script:\n"
                    "    - echo 'made:' > gen.yml\n"
                    "    - \"echo '  script: echo generated $FROM' >> gen.yml\"\n"
                    "  artifacts:\n    paths: [gen.yml]\n"
                    "run-it:\n  stage: test\n  variables:\n    FROM: parent\n"
                    "  trigger:\n    include:\n      - artifact: gen.yml\n        job: generate\n"
                    "    strategy: depend\n"
                    "missing:\n  stage: test\n  trigger:\n    include:\n"
                    "      - artifact: nope.yml\n        job: generate\n"
                    "  allow_failure: true\n"));
    QVERIFY(f.wait());
    const exec::JobRecord &trigger = f.job(QStringLiteral("run-it"));
    QVERIFY2(trigger.status == JobStatus::Success, qPrintable(f.trace(QStringLiteral("run-it"))));
    QCOMPARE(f.job(QStringLiteral("made"), trigger.id).status, JobStatus::Success);
    QVERIFY2(f.trace(QStringLiteral("made"), trigger.id)
                 .contains(QStringLiteral("\ngenerated parent\n")),
             qPrintable(f.trace(QStringLiteral("made"), trigger.id)));
    QCOMPARE(f.job(QStringLiteral("missing")).status, JobStatus::Failed);
    QVERIFY(f.trace(QStringLiteral("missing"))
                .contains(QStringLiteral("ERROR: Downstream pipeline cannot be created: the "
                                         "artifact nope.yml of job generate does not exist")));
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
}

void TestEngine::manualTrigger()
{
    Fixture f;
    QVERIFY(f.start("kid:\n  when: manual\n  trigger:\n    include: child.yml\n", {},
                    {{QStringLiteral("child.yml"), "c:\n  script: echo child\n"}}));
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("kid")).status, JobStatus::Manual);
    f.engine->play(f.job(QStringLiteral("kid")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("kid")).status, JobStatus::Success);
    QCOMPARE(f.job(QStringLiteral("c"), f.job(QStringLiteral("kid")).id).status,
             JobStatus::Success);
}

void TestEngine::triggerProjectSkipped()
{
    Fixture f;
    QVERIFY(f.start("a:\n  script: echo\n"
                    "down:\n  trigger: group/other\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("down")).status, JobStatus::Skipped);
    QVERIFY(f.trace(QStringLiteral("down"))
                .contains(QStringLiteral("WARNING: down skipped: the downstream project "
                                         "group/other cannot run locally")));
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
}

void TestEngine::keepFailed()
{
    Fixture f;
    exec::RunOptions o;
    o.keepFailedEnvironment = true;
    QVERIFY(f.start("ok:\n  script: echo fine > result\n"
                    "broken:\n  script:\n    - echo half > result\n    - exit 4\n",
                    o));
    QVERIFY(f.wait());
    const exec::JobRecord &broken = f.job(QStringLiteral("broken"));
    const QString workspace = QDir(f.data).filePath(
        QStringLiteral("pipelines/%1/jobs/%2/project").arg(f.engine->pipelineId()).arg(broken.id));
    QCOMPARE(broken.enterCommand, QStringLiteral("cd %1 && bash").arg(workspace));
    QVERIFY(f.trace(QStringLiteral("broken")).contains(broken.enterCommand));
    QFile result(QDir(workspace).filePath(QStringLiteral("result")));
    QVERIFY(result.open(QIODevice::ReadOnly));
    QCOMPARE(result.readAll(), QByteArray("half\n"));
    QVERIFY(f.job(QStringLiteral("ok")).enterCommand.isEmpty());
    QVERIFY(!QFileInfo::exists(QDir(f.data).filePath(QStringLiteral("pipelines/%1/jobs/%2")
                                                         .arg(f.engine->pipelineId())
                                                         .arg(f.job(QStringLiteral("ok")).id))));
}

void TestEngine::masking()
{
    Fixture f;
    const QString file = QDir(f.shared).filePath(QStringLiteral("vars.yml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("SECRET:\n  value: s3cr3t-value-42\n  masked: true\nSHORT:\n  value: abc\n"
              "  masked: true\n");
    out.close();
    exec::RunOptions o;
    o.variablesFiles << file;
    QVERIFY(f.start("job:\n  script:\n    - echo \"token=$SECRET short=$SHORT\"\n"
                    "    - printf '%s' \"$SECRET\" | head -c 6; printf '%s\\n' \"$SECRET\" | "
                    "tail -c +7\n",
                    o));
    QByteArray live;
    QObject::connect(f.engine.get(), &exec::Engine::jobOutput, f.engine.get(),
                     [&live](int, const QByteArray &bytes) { live += bytes; });
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    const QString t = f.trace(QStringLiteral("job"));
    QVERIFY2(t.contains(QStringLiteral("\ntoken=[MASKED] short=abc\n")), qPrintable(t));
    // Written in two pieces: masked across the boundary.
    QVERIFY2(t.contains(QStringLiteral("\x1b[0;m\n[MASKED]\n")), qPrintable(t));
    QVERIFY(!t.contains(QStringLiteral("s3cr3t")));
    QVERIFY(!live.contains("s3cr3t"));
    QVERIFY(live.contains("token=[MASKED]"));
    QVERIFY(t.contains(QStringLiteral("WARNING: variable SHORT is not masked: masked values need 8 "
                                      "characters or more")));
}

void TestEngine::fileVariables()
{
    Fixture f;
    const QString file = QDir(f.shared).filePath(QStringLiteral("vars.yml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("CONFIG:\n  type: file\n  value: \"line one\\nline two\\n\"\n");
    out.close();
    exec::RunOptions o;
    o.variablesFiles << file;
    QVERIFY(f.start("job:\n  script:\n    - cat \"$CONFIG\"\n    - echo \"$CONFIG\" > "
                    "$SHARED/path\n    - case \"$CONFIG\" in \"$CI_PROJECT_DIR\"*) exit 9;; esac\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY(f.trace(QStringLiteral("job")).contains(QStringLiteral("\nline one\nline two\n")));
    QFile pathFile(QDir(f.shared).filePath(QStringLiteral("path")));
    QVERIFY(pathFile.open(QIODevice::ReadOnly));
    const QString path = QString::fromUtf8(pathFile.readAll().trimmed());
    QVERIFY(path.endsWith(QStringLiteral("/CONFIG")));
    QVERIFY2(!QFileInfo::exists(path), qPrintable(path)); // cleaned up with the job
}

void TestEngine::variablesFilePrecedence()
{
    Fixture f;
    const QString file = QDir(f.shared).filePath(QStringLiteral("vars.yml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("A: file\nB: file\nCI_JOB_STAGE: file\n");
    out.close();
    exec::RunOptions o;
    o.variablesFiles << file;
    o.variables.insert(QStringLiteral("B"), QStringLiteral("cli"));
    QVERIFY(f.start("variables:\n  A: yaml\n  B: yaml\n  C: \"$A+\"\n"
                    "job:\n  script:\n    - echo \"A=$A B=$B C=$C S=$CI_JOB_STAGE\"\n",
                    o));
    QVERIFY(f.wait());
    // Project variables beat YAML, pipeline (--var) variables beat everything; a YAML value
    // refers to the value the runner sees.
    QVERIFY2(
        f.trace(QStringLiteral("job")).contains(QStringLiteral("\nA=file B=cli C=file+ S=file\n")),
        qPrintable(f.trace(QStringLiteral("job"))));
}

void TestEngine::dotenv()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "build:\n  stage: build\n  script:\n    - echo VERSION=1.2.3 > build.env\n"
                    "    - echo 'NAME=\"quoted\"' >> build.env\n"
                    "  artifacts:\n    reports:\n      dotenv: build.env\n"
                    "test:\n  stage: test\n  variables:\n    VERSION: yaml\n"
                    "  script:\n    - echo \"v=$VERSION n=$NAME\"\n"
                    "unrelated:\n  stage: test\n  dependencies: []\n  script:\n"
                    "    - echo \"v=$VERSION\"\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY2(f.trace(QStringLiteral("test")).contains(QStringLiteral("\nv=1.2.3 n=quoted\n")),
             qPrintable(f.trace(QStringLiteral("test"))));
    QVERIFY(f.trace(QStringLiteral("unrelated")).contains(QStringLiteral("\nv=\n")));
}

void TestEngine::artifacts()
{
    Fixture f;
    QVERIFY(
        f.start("stages: [build, test]\n"
                "build:\n  stage: build\n  script:\n    - mkdir -p out\n"
                "    - echo a > out/a.txt\n    - echo b > out/b.log\n"
                "  artifacts:\n    paths: [out/]\n    exclude: [\"out/*.log\"]\n"
                "test:\n  stage: test\n  script:\n    - cat out/a.txt\n    - test ! -e out/b.log\n"
                "none:\n  stage: test\n  dependencies: []\n  script:\n    - test ! -e out\n"
                "needy:\n  stage: test\n  needs: [{job: build, artifacts: false}]\n"
                "  script:\n    - test ! -e out\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY(f.trace(QStringLiteral("test")).contains(QStringLiteral("\na\n")));
    const QString store = QDir(f.data).filePath(QStringLiteral("pipelines/%1/artifacts/%2")
                                                    .arg(f.engine->pipelineId())
                                                    .arg(f.job(QStringLiteral("build")).id));
    QVERIFY(QFileInfo::exists(store + QStringLiteral("/out/a.txt")));
    QVERIFY(!QFileInfo::exists(store + QStringLiteral("/out/b.log")));
    QVERIFY(
        f.trace(QStringLiteral("build")).contains(QStringLiteral("upload_artifacts_on_success")));
    QVERIFY(f.trace(QStringLiteral("test")).contains(QStringLiteral("download_artifacts")));
}

void TestEngine::artifactSources_data()
{
    // The consumer's script checks which of one.txt / two.txt it received.
    QTest::addColumn<QByteArray>("consumer");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("earlier stages") << QByteArray("  stage: deploy\n") << QByteArray("one two");
    QTest::newRow("dependencies") << QByteArray("  stage: deploy\n  dependencies: [two]\n")
                                  << QByteArray("two");
    QTest::newRow("dependencies: []")
        << QByteArray("  stage: deploy\n  dependencies: []\n") << QByteArray("");
    QTest::newRow("needs") << QByteArray("  needs: [one]\n") << QByteArray("one");
    QTest::newRow("needs artifacts false")
        << QByteArray("  needs: [{job: one, artifacts: false}, two]\n") << QByteArray("two");
    // gitlab-ci-local's needs-artifacts and needs-empty cases.
    QTest::newRow("needs and dependencies")
        << QByteArray("  needs: [{job: one, artifacts: false}, {job: two}]\n"
                      "  dependencies: [two, one]\n")
        << QByteArray("two");
    QTest::newRow("needs: [] and dependencies")
        << QByteArray("  stage: deploy\n  needs: []\n  dependencies: [one, two]\n")
        << QByteArray("");
}

void TestEngine::artifactSources()
{
    QFETCH(QByteArray, consumer);
    QFETCH(QByteArray, expected);
    Fixture f;
    QVERIFY(f.start("one:\n  script: touch one.txt\n  artifacts: {paths: [one.txt]}\n"
                    "two:\n  script: touch two.txt\n  artifacts: {paths: [two.txt]}\n"
                    "consumer:\n" +
                    consumer +
                    "  script:\n    - echo \"got:$(ls one.txt two.txt 2>/dev/null | sed "
                    "'s/.txt//' | tr '\\n' ' ')\"\n"));
    QVERIFY(f.wait());
    QVERIFY2(
        f.trace(QStringLiteral("consumer"))
            .contains(QStringLiteral("\ngot:%1\n")
                          .arg(QString::fromUtf8(expected.isEmpty() ? expected : expected + ' '))),
        qPrintable(f.trace(QStringLiteral("consumer"))));
}

void TestEngine::artifactsWhen_data()
{
    QTest::addColumn<QByteArray>("when");
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<bool>("stored");
    QTest::newRow("on_success, passes") << QByteArray("on_success") << QByteArray("true") << true;
    QTest::newRow("on_success, fails") << QByteArray("on_success") << QByteArray("false") << false;
    QTest::newRow("on_failure, passes") << QByteArray("on_failure") << QByteArray("true") << false;
    QTest::newRow("on_failure, fails") << QByteArray("on_failure") << QByteArray("false") << true;
    QTest::newRow("always, fails") << QByteArray("always") << QByteArray("false") << true;
}

void TestEngine::artifactsWhen()
{
    QFETCH(QByteArray, when);
    QFETCH(QByteArray, script);
    QFETCH(bool, stored);
    Fixture f;
    QVERIFY(f.start("job:\n  script:\n    - echo x > report.txt\n    - " + script +
                    "\n  artifacts:\n    when: " + when + "\n    paths: [report.txt]\n"));
    QVERIFY(f.wait());
    QCOMPARE(QFileInfo::exists(
                 QDir(f.data).filePath(QStringLiteral("pipelines/%1/artifacts/%2/report.txt")
                                           .arg(f.engine->pipelineId())
                                           .arg(f.job(QStringLiteral("job")).id))),
             stored);
}

void TestEngine::cache()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "fill:\n  stage: build\n  cache:\n    key: deps-$CI_COMMIT_REF_SLUG\n"
                    "    paths: [vendor/]\n  script:\n    - mkdir -p vendor\n"
                    "    - echo cached > vendor/lib.txt\n"
                    "use:\n  stage: test\n  cache:\n    key: deps-$CI_COMMIT_REF_SLUG\n"
                    "    paths: [vendor/]\n    policy: pull\n  script:\n    - cat vendor/lib.txt\n"
                    "    - echo changed > vendor/lib.txt\n"
                    "other:\n  stage: test\n  cache:\n    key: other\n    paths: [vendor/]\n"
                    "  script:\n    - test ! -e vendor/lib.txt\n"));
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    QVERIFY(f.trace(QStringLiteral("use")).contains(QStringLiteral("\ncached\n")));
    QVERIFY(f.trace(QStringLiteral("fill")).contains(QStringLiteral("archive_cache")));
    // policy: pull did not save the change.
    Fixture g;
    g.data = f.data;
    QVERIFY(g.start("use:\n  cache:\n    key: deps-main\n    paths: [vendor/]\n"
                    "  script:\n    - cat vendor/lib.txt\n"));
    QVERIFY(g.wait());
    QVERIFY(g.trace(QStringLiteral("use")).contains(QStringLiteral("\ncached\n")));
}

void TestEngine::missingDependency()
{
    Fixture f;
    QVERIFY(f.start("stages: [build, test]\n"
                    "build:\n  stage: build\n  script: echo x > x.txt\n"
                    "  artifacts:\n    paths: [x.txt]\n"
                    "later:\n  stage: test\n  when: manual\n  dependencies: [build]\n"
                    "  script: cat x.txt\n"));
    QVERIFY(f.wait());
    QVERIFY(QDir(QDir(f.data).filePath(QStringLiteral("pipelines/%1/artifacts/%2")
                                           .arg(f.engine->pipelineId())
                                           .arg(f.job(QStringLiteral("build")).id)))
                .removeRecursively());
    f.engine->play(f.job(QStringLiteral("later")).id);
    QVERIFY(f.wait());
    QCOMPARE(f.job(QStringLiteral("later")).status, JobStatus::Failed);
    QCOMPARE(f.job(QStringLiteral("later")).failureReason, FailureReason::MissingDependency);
}

void TestEngine::debugTrace()
{
    Fixture f;
    QVERIFY(f.start("job:\n  variables:\n    CI_DEBUG_TRACE: \"true\"\n  script:\n"
                    "    - X=42\n"));
    QVERIFY(f.wait());
    QVERIFY2(f.trace(QStringLiteral("job")).contains(QStringLiteral("+ X=42")),
             qPrintable(f.trace(QStringLiteral("job"))));
}

void TestEngine::destroyedWhileRunning()
{
    Fixture f;
    QVERIFY(f.start("job:\n  script:\n    - sleep 30 &\n    - echo $! > $SHARED/child\n"
                    "    - wait\n"));
    const QString pidFile = QDir(f.shared).filePath(QStringLiteral("child"));
    QTRY_VERIFY_WITH_TIMEOUT(readPid(pidFile) > 0, 10000);
    const qint64 child = readPid(pidFile);
    QVERIFY(processAlive(child));
    f.finished.reset();
    f.engine.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!processAlive(child), 5000);
}

void TestEngine::environment()
{
    Fixture f;
    const QString file = QDir(f.shared).filePath(QStringLiteral("vars.yml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("URL:\n  values:\n    \"*\": https://default\n    production: https://prod\n");
    out.close();
    exec::RunOptions o;
    o.variablesFiles << file;
    QVERIFY(f.start("review:\n  environment:\n    name: review/feature-branch-name\n"
                    "    url: https://$CI_COMMIT_REF_SLUG.example.com\n  script:\n"
                    "    - echo \"$CI_ENVIRONMENT_NAME|$CI_ENVIRONMENT_SLUG|$CI_ENVIRONMENT_TIER|"
                    "$CI_ENVIRONMENT_ACTION|$CI_ENVIRONMENT_URL|$URL\"\n"
                    "deploy:\n  environment: production\n  script:\n"
                    "    - echo \"$CI_ENVIRONMENT_NAME|$CI_ENVIRONMENT_SLUG|$CI_ENVIRONMENT_TIER|"
                    "$URL\"\n",
                    o));
    QVERIFY(f.wait());
    QVERIFY2(f.trace(QStringLiteral("review"))
                 .contains(QStringLiteral("\nreview/feature-branch-name|review-feature-br-d19eof|"
                                          "development|start|https://main.example.com|"
                                          "https://default\n")),
             qPrintable(f.trace(QStringLiteral("review"))));
    QVERIFY2(f.trace(QStringLiteral("deploy"))
                 .contains(QStringLiteral("\nproduction|production|production|https://prod\n")),
             qPrintable(f.trace(QStringLiteral("deploy"))));
}

void TestEngine::systemFailure()
{
    Fixture f;
    int cleanups = 0;
    f.backendFactory = [&cleanups] {
        return std::make_unique<BrokenBackend>(BrokenBackend::Fail, &cleanups);
    };
    QVERIFY(f.start("job:\n  image: nope\n  retry:\n    max: 1\n    when: runner_system_failure\n"
                    "  script: echo\n"));
    QVERIFY(f.wait());
    const exec::JobRecord &job = f.job(QStringLiteral("job"));
    QCOMPARE(job.status, JobStatus::Failed);
    QCOMPARE(job.failureReason, FailureReason::RunnerSystemFailure);
    QCOMPARE(job.attempt, 2);
    QCOMPARE(cleanups, 2);
    const QString t = f.trace(QStringLiteral("job"));
    QVERIFY(t.contains(QStringLiteral(
        "\x1b[31;1mERROR: Preparation failed: pull access denied for nope\x1b[0;m\n")));
    QVERIFY(t.endsWith(QStringLiteral("\x1b[31;1mERROR: Job failed (system failure): pull access "
                                      "denied for nope\x1b[0;m")));
}

void TestEngine::timeoutWhilePreparing()
{
    Fixture f;
    int cleanups = 0;
    f.backendFactory = [&cleanups] {
        return std::make_unique<BrokenBackend>(BrokenBackend::Hang, &cleanups);
    };
    QVERIFY(f.start("job:\n  timeout: 1s\n  script: echo\n"));
    QVERIFY(f.wait(10000));
    QCOMPARE(f.job(QStringLiteral("job")).status, JobStatus::Failed);
    QCOMPARE(f.job(QStringLiteral("job")).failureReason, FailureReason::JobExecutionTimeout);
    QCOMPARE(cleanups, 1);
    QVERIFY(f.trace(QStringLiteral("job"))
                .endsWith(QStringLiteral(
                    "\x1b[31;1mERROR: Job failed: execution took longer than 1s seconds\x1b[0;m")));
}

void TestEngine::jobSpec()
{
    Fixture f;
    QList<exec::JobSpec> specs;
    f.backendFactory = [&specs] { return std::make_unique<RecordingBackend>(&specs); };
    exec::RunOptions o;
    o.privileged = true;
    o.keepFailedEnvironment = true;
    QVERIFY(f.start("variables:\n  TAG: \"15\"\n"
                    "job:\n  image:\n    name: registry.example.com/tools/builder:$TAG\n"
                    "    entrypoint: [\"\"]\n    pull_policy: [always, if-not-present]\n"
                    "    docker:\n      user: build\n      platform: linux/arm64\n"
                    "    kubernetes:\n      user: \"1000:1000\"\n"
                    "  services:\n    - docker:24-dind\n"
                    "    - name: registry.example.com/grp/postgres:$TAG\n      alias: db, pg\n"
                    "      command: [\"-c\", \"fsync=off\"]\n"
                    "      variables:\n        POSTGRES_DB: test\n"
                    "        HEALTHCHECK_TCP_PORT: \"5432\"\n"
                    "  script: echo\n",
                    o));
    QVERIFY(f.wait());
    QCOMPARE(specs.size(), 1);
    const exec::JobSpec &spec = specs.first();
    QCOMPARE(spec.pipelineId, f.engine->pipelineId());
    QCOMPARE(spec.jobId, 1);
    QCOMPARE(spec.jobName, QStringLiteral("job"));
    QCOMPARE(spec.stage, QStringLiteral("test"));
    QCOMPARE(spec.projectPath, QStringLiteral("local/project")); // no remote: the folder
    QCOMPARE(spec.image.name, QStringLiteral("registry.example.com/tools/builder:15"));
    QVERIFY(spec.image.hasEntrypoint);
    QCOMPARE(spec.image.entrypoint, QStringList{QString()});
    QCOMPARE(spec.image.pullPolicy,
             (QStringList{QStringLiteral("always"), QStringLiteral("if-not-present")}));
    QCOMPARE(spec.image.user, QStringLiteral("build"));
    QCOMPARE(spec.image.platform, QStringLiteral("linux/arm64"));
    QCOMPARE(spec.image.kubernetesUser, QStringLiteral("1000:1000"));
    QCOMPARE(spec.services.size(), 2);
    QCOMPARE(spec.services.at(0).image.name, QStringLiteral("docker:24-dind"));
    QCOMPARE(spec.services.at(0).aliases, QStringList{QStringLiteral("docker")});
    const exec::ServiceSpec &db = spec.services.at(1);
    QCOMPARE(db.image.name, QStringLiteral("registry.example.com/grp/postgres:15"));
    QCOMPARE(db.aliases, (QStringList{QStringLiteral("registry.example.com__grp__postgres"),
                                      QStringLiteral("registry.example.com-grp-postgres"),
                                      QStringLiteral("db"), QStringLiteral("pg")}));
    QCOMPARE(db.command, (QStringList{QStringLiteral("-c"), QStringLiteral("fsync=off")}));
    QCOMPARE(db.healthcheckPort, 5432);
    QVERIFY(db.variables.contains(
        exec::JobVariable{QStringLiteral("POSTGRES_DB"), QStringLiteral("test")}));
    QVERIFY(spec.privileged);
    QVERIFY(spec.keepOnFailure);
    QVERIFY(spec.hostWorkspace.endsWith(QStringLiteral("/jobs/1/project")));
    QVERIFY(!spec.hostScratch.startsWith(spec.hostWorkspace));
    auto value = [&spec](const QString &name) {
        for (const exec::JobVariable &v : spec.variables)
            if (v.name == name)
                return v.value;
        return QStringLiteral("<unset>");
    };
    QCOMPARE(value(QStringLiteral("CI_PROJECT_DIR")), spec.hostWorkspace);
    QCOMPARE(value(QStringLiteral("CI_JOB_IMAGE")),
             QStringLiteral("registry.example.com/tools/builder:15"));
    QCOMPARE(value(QStringLiteral("TAG")), QStringLiteral("15"));
}

void TestEngine::serviceSpec_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("aliases");
    QTest::addColumn<int>("healthcheckPort");
    QTest::newRow("registry port dropped")
        << QStringLiteral("job:\n  services:\n    - localhost:5000/grp/redis:7\n  script: echo\n")
        << QStringList{QStringLiteral("localhost__grp__redis"),
                       QStringLiteral("localhost-grp-redis")}
        << 0;
    QTest::newRow("digest")
        << QStringLiteral("job:\n  services:\n    - postgres@sha256:0123\n  script: echo\n")
        << QStringList{QStringLiteral("postgres")} << 0;
    QTest::newRow("alias split on spaces and commas")
        << QStringLiteral("job:\n  services:\n    - name: mysql:8\n      alias: db  sql,mysql\n"
                          "  script: echo\n")
        << QStringList{QStringLiteral("mysql"), QStringLiteral("db"), QStringLiteral("sql")} << 0;
    QTest::newRow("quoted port in the service's variables")
        << QStringLiteral("job:\n  services:\n    - name: tomcat:9\n      variables:\n"
                          "        HEALTHCHECK_TCP_PORT: \"8080\"\n  script: echo\n")
        << QStringList{QStringLiteral("tomcat")} << 8080;
    QTest::newRow("quoted port in the job's variables")
        << QStringLiteral("job:\n  variables:\n    HEALTHCHECK_TCP_PORT: \"8080\"\n"
                          "  services:\n    - tomcat:9\n  script: echo\n")
        << QStringList{QStringLiteral("tomcat")} << 8080;
    QTest::newRow("quoted port in the global variables")
        << QStringLiteral("variables:\n  HEALTHCHECK_TCP_PORT: \"8080\"\n"
                          "job:\n  services:\n    - tomcat:9\n  script: echo\n")
        << QStringList{QStringLiteral("tomcat")} << 8080;
    QTest::newRow("service's port wins over the job's")
        << QStringLiteral("job:\n  variables:\n    HEALTHCHECK_TCP_PORT: \"8080\"\n"
                          "  services:\n    - name: tomcat:9\n      variables:\n"
                          "        HEALTHCHECK_TCP_PORT: \"9090\"\n  script: echo\n")
        << QStringList{QStringLiteral("tomcat")} << 9090;
    QTest::newRow("port from a variable")
        << QStringLiteral("variables:\n  PORT: \"7000\"\n"
                          "job:\n  services:\n    - name: tomcat:9\n      variables:\n"
                          "        HEALTHCHECK_TCP_PORT: $PORT\n  script: echo\n")
        << QStringList{QStringLiteral("tomcat")} << 7000;
    QTest::newRow("not a port") << QStringLiteral(
                                       "job:\n  services:\n    - name: tomcat:9\n      variables:\n"
                                       "        HEALTHCHECK_TCP_PORT: http\n  script: echo\n")
                                << QStringList{QStringLiteral("tomcat")} << 0;
}

void TestEngine::serviceSpec()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, aliases);
    QFETCH(int, healthcheckPort);
    Fixture f;
    QList<exec::JobSpec> specs;
    f.backendFactory = [&specs] { return std::make_unique<RecordingBackend>(&specs); };
    QVERIFY(f.start(yaml.toUtf8()));
    QVERIFY(f.wait());
    QCOMPARE(specs.size(), 1);
    QCOMPARE(specs.first().services.size(), 1);
    const exec::ServiceSpec &service = specs.first().services.first();
    QCOMPARE(service.aliases, aliases);
    QCOMPARE(service.healthcheckPort, healthcheckPort);
}

void TestEngine::serviceLogs_data()
{
    QTest::addColumn<QByteArray>("variables");
    QTest::addColumn<bool>("enabled");
    QTest::newRow("true") << QByteArray("variables:\n  CI_DEBUG_SERVICES: \"true\"\n") << true;
    QTest::newRow("1 in the job") << QByteArray("job:\n  variables:\n    CI_DEBUG_SERVICES: 1\n")
                                  << true;
    QTest::newRow("false") << QByteArray("variables:\n  CI_DEBUG_SERVICES: \"false\"\n") << false;
    QTest::newRow("unset") << QByteArray() << false;
}

void TestEngine::serviceLogs()
{
    // CI_DEBUG_SERVICES reaches the backend; the lines it writes into the trace (GitLab's shape,
    // `[service:<aliases joined with ->]`) are masked like all of the trace: a service's log is
    // not the script's, but a masked value in it is hidden all the same.
    QFETCH(QByteArray, variables);
    QFETCH(bool, enabled);
    Fixture f;
    const QString file = QDir(f.shared).filePath(QStringLiteral("vars.yml"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("SECRET:\n  value: s3cr3t-value-42\n  masked: true\n");
    out.close();
    exec::RunOptions o;
    o.variablesFiles << file;
    f.backendFactory = [] { return std::make_unique<ServiceLogBackend>(); };
    QByteArray ci = "job:\n  services:\n    - name: postgres:15\n      alias: db\n"
                    "  script: echo\n";
    if (variables.startsWith("job:"))
        ci += variables.mid(5);
    else
        ci = variables + ci;
    QVERIFY(f.start(ci, o));
    QByteArray live;
    QObject::connect(f.engine.get(), &exec::Engine::jobOutput, f.engine.get(),
                     [&live](int, const QByteArray &bytes) { live += bytes; });
    QVERIFY(f.wait());
    QCOMPARE(f.lastStatus(), PipelineStatus::Success);
    const QString t = f.trace(QStringLiteral("job"));
    const QString line =
        QStringLiteral("\x1b[0;37m[service:postgres-db] "
                       "2023-01-26T20:28:39.843063600Z password: [MASKED]\x1b[0;m");
    QVERIFY2(t.contains(enabled ? u"\njob starts, " + line + u"\njob ends\n"
                                : QStringLiteral("\njob starts, job ends\n")),
             qPrintable(t));
    QCOMPARE(t.contains(QStringLiteral("[service:")), enabled);
    QVERIFY(!t.contains(QStringLiteral("s3cr3t")));
    QVERIFY(!live.contains("s3cr3t"));
}

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
