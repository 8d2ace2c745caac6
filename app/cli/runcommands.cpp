#include "runcommands.h"

#include "ci/linter.h"
#include "commands.h"
#include "diag/report.h"
#include "exec/backends.h"
#include "exec/engine.h"
#include "exec/kube/kubebackend.h"
#include "options.h"
#include "plancommands.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <optional>
#include <sys/socket.h>
#include <unistd.h>

namespace stagecraft::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft-cli", text);
}

enum { Interrupted = 130 };

struct RunArguments
{
    PlanArguments plan;
    QStringList jobs;
    bool needs = false;
    QString executor = QStringLiteral("shell");
    QString kubeContext;   ///< --context (kubernetes executor)
    QString kubeNamespace; ///< --namespace (kubernetes executor)
    QStringList variablesFiles;
    bool privileged = false;
    int concurrency = 0;
    bool keepFailed = false;
    bool manual = false;
    QString dataDir;
    std::optional<int> keepPipelines; ///< unset: RunOptions' default
    QString dockerHost;               ///< empty: DOCKER_HOST, else the default socket
    QString registry;                 ///< CI_REGISTRY; empty: the engine's default
    QString defaultImage;
    QStringList pullPolicy;
    QString helperImage; ///< --helper-image (docker and kubernetes executors)
    QVariantMap kube;    ///< kubernetes executor settings, BackendSettings::extra's keys
};

std::optional<RunArguments> parse(const QStringList &arguments, QTextStream &err)
{
    RunArguments a;
    a.plan.includeCache = qEnvironmentVariable("STAGECRAFT_INCLUDE_CACHE");
    QStringList positional;
    OptionReader reader(arguments, err);
    static const QStringList valued = {
        QStringLiteral("--executor"),        QStringLiteral("--variables-file"),
        QStringLiteral("--concurrency"),     QStringLiteral("--data-dir"),
        QStringLiteral("--keep-pipelines"),  QStringLiteral("--docker-host"),
        QStringLiteral("--default-image"),   QStringLiteral("--pull-policy"),
        QStringLiteral("--context"),         QStringLiteral("--namespace"),
        QStringLiteral("--registry"),        QStringLiteral("--helper-image"),
        QStringLiteral("--service-account"), QStringLiteral("--cpu-request"),
        QStringLiteral("--cpu-limit"),       QStringLiteral("--memory-request"),
        QStringLiteral("--memory-limit"),    QStringLiteral("--node-selector"),
        QStringLiteral("--cache-claim")};
    // Kubernetes settings by option: the keys settingsFrom() reads.
    static const QHash<QString, QString> kubeKeys{
        {QStringLiteral("--service-account"), QStringLiteral("kubeServiceAccount")},
        {QStringLiteral("--cpu-request"), QStringLiteral("kubeCpuRequest")},
        {QStringLiteral("--cpu-limit"), QStringLiteral("kubeCpuLimit")},
        {QStringLiteral("--memory-request"), QStringLiteral("kubeMemoryRequest")},
        {QStringLiteral("--memory-limit"), QStringLiteral("kubeMemoryLimit")},
        {QStringLiteral("--cache-claim"), QStringLiteral("kubeCacheClaim")}};
    while (reader.next()) {
        switch (readPipelineOption(reader, a.plan)) {
        case OptionResult::Read:
            continue;
        case OptionResult::Error:
            return std::nullopt;
        case OptionResult::NotMine:
            break;
        }
        const QString &name = reader.name();
        if (valued.contains(name)) {
            const auto v = reader.value();
            if (!v)
                return std::nullopt;
            if (name == u"--executor") {
                a.executor = *v;
            } else if (name == u"--variables-file") {
                a.variablesFiles << *v;
            } else if (name == u"--concurrency") {
                bool ok = false;
                a.concurrency = v->toInt(&ok);
                if (!ok || a.concurrency < 1) {
                    reader.usageError(
                        tr("--concurrency needs a number of 1 or more, got '%1'").arg(*v));
                    return std::nullopt;
                }
            } else if (name == u"--data-dir") {
                a.dataDir = *v;
            } else if (name == u"--keep-pipelines") {
                bool ok = false;
                const int keep = v->toInt(&ok);
                if (!ok || keep < 0) {
                    reader.usageError(tr("--keep-pipelines needs a number of 0 (keep all) or "
                                         "more, got '%1'")
                                          .arg(*v));
                    return std::nullopt;
                }
                a.keepPipelines = keep;
            } else if (name == u"--docker-host") {
                a.dockerHost = *v;
            } else if (name == u"--registry") {
                a.registry = *v;
            } else if (name == u"--default-image") {
                a.defaultImage = *v;
            } else if (name == u"--pull-policy") {
                // GitLab Runner's pull_policy: one or several, tried in order.
                static const QStringList known = {QStringLiteral("always"),
                                                  QStringLiteral("if-not-present"),
                                                  QStringLiteral("never")};
                for (const QString &policy : v->split(u',', Qt::SkipEmptyParts)) {
                    if (!known.contains(policy.trimmed())) {
                        reader.usageError(tr("--pull-policy needs always, if-not-present or "
                                             "never (several separated by commas), got '%1'")
                                              .arg(*v));
                        return std::nullopt;
                    }
                    a.pullPolicy << policy.trimmed();
                }
                if (a.pullPolicy.isEmpty()) {
                    reader.usageError(tr("--pull-policy needs a value"));
                    return std::nullopt;
                }
            } else if (name == u"--helper-image") {
                a.helperImage = *v;
            } else if (kubeKeys.contains(name)) {
                a.kube.insert(kubeKeys.value(name), *v);
            } else if (name == u"--node-selector") {
                // Repeatable: --node-selector disktype=ssd --node-selector zone=a.
                if (!v->contains(u'=')) {
                    reader.usageError(tr("--node-selector needs LABEL=VALUE, got '%1'").arg(*v));
                    return std::nullopt;
                }
                QStringList pairs = a.kube.value(QStringLiteral("kubeNodeSelector"))
                                        .toString()
                                        .split(u',', Qt::SkipEmptyParts);
                pairs << *v;
                a.kube.insert(QStringLiteral("kubeNodeSelector"), pairs.join(u','));
            } else if (name == u"--context") {
                a.kubeContext = *v;
            } else if (name == u"--namespace") {
                a.kubeNamespace = *v;
            }
        } else if (name == u"--mount-project") {
            if (!reader.flag())
                return std::nullopt;
            a.kube.insert(QStringLiteral("kubeMountProjectFolder"), true);
        } else if (name == u"--needs" || name == u"--privileged" || name == u"--keep-failed" ||
                   name == u"--manual") {
            if (!reader.flag())
                return std::nullopt;
            (name == u"--needs"         ? a.needs
             : name == u"--privileged"  ? a.privileged
             : name == u"--keep-failed" ? a.keepFailed
                                        : a.manual) = true;
        } else if (reader.isOption()) {
            reader.unknownOption();
            return std::nullopt;
        } else {
            positional << name;
        }
    }
    // PATH is optional: the first argument is PATH when it names a file or folder.
    if (!positional.isEmpty() && QFileInfo::exists(positional.first()))
        a.plan.path = positional.takeFirst();
    a.jobs = positional;
    return a;
}

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(signalPipe[1], &c, 1);
}

QString stripAnsi(QString line)
{
    static const QRegularExpression ansi(QStringLiteral("\x1b\\[[0-9;]*[A-Za-z]"));
    return line.remove(ansi);
}

QString duration(const exec::JobRecord &job)
{
    if (!job.started.isValid() || !job.finished.isValid())
        return QString();
    const qint64 ms = job.started.msecsTo(job.finished);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
}

QString statusText(const exec::JobRecord &job)
{
    if (job.status == exec::JobStatus::Failed && job.allowedToFail)
        return tr("failed (allowed)");
    // Like GitLab's job page: a failure other than the script's says why.
    if (job.status == exec::JobStatus::Failed &&
        job.failureReason != exec::FailureReason::ScriptFailure &&
        job.failureReason != exec::FailureReason::None)
        return tr("failed (%1)").arg(exec::failureReasonName(job.failureReason));
    return exec::statusName(job.status);
}

/// Live output: each trace line of a job prefixed by its padded name, as gitlab-ci-local does
/// (`job $ command`, `job > output`).
class Printer
{
public:
    Printer(const exec::Engine &engine, QTextStream &out, bool colour)
        : m_engine(engine)
        , m_out(out)
        , m_colour(colour)
    {
        for (const exec::JobRecord &job : engine.jobs())
            m_width = std::max(m_width, qsizetype(displayName(job).size()));
    }

    QString displayName(const exec::JobRecord &job) const
    {
        if (job.parentId == 0)
            return job.name;
        const exec::JobRecord *parent = m_engine.job(job.parentId);
        return (parent ? displayName(*parent) : QString()) + u'/' + job.name;
    }

    void jobAdded(int id)
    {
        if (const exec::JobRecord *job = m_engine.job(id))
            m_width = std::max(m_width, qsizetype(displayName(*job).size()));
    }

    void output(int id, const QByteArray &bytes)
    {
        QByteArray &buffer = m_buffers[id];
        buffer += bytes;
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            line(id, QString::fromUtf8(buffer.left(newline)));
            buffer.remove(0, newline + 1);
        }
    }

    void changed(int id)
    {
        const exec::JobRecord *job = m_engine.job(id);
        if (!job)
            return;
        const exec::JobStatus previous = m_seen.value(id, exec::JobStatus::Created);
        m_seen.insert(id, job->status);
        if (previous == job->status)
            return;
        if (job->status == exec::JobStatus::Preparing && m_started.value(id) < job->attempt) {
            m_started.insert(id, job->attempt);
            print(*job, tr("starting %1 (%2)").arg(m_engine.backend()->id(), job->stage));
        } else if (job->status == exec::JobStatus::Manual) {
            print(*job, tr("waiting to be played (manual)"));
        } else if (job->status == exec::JobStatus::Scheduled) {
            const pipeline::PlannedJob *planned = m_engine.plannedJob(id);
            print(*job, tr("delayed, starts in %1").arg(planned ? planned->startIn : QString()));
        } else if (exec::isFinished(job->status) && job->started.isValid() &&
                   job->status != exec::JobStatus::Skipped) {
            const QByteArray rest = m_buffers.take(id);
            if (!rest.isEmpty())
                line(id, QString::fromUtf8(rest));
            QString status = statusText(*job);
            if (m_colour) {
                const char *code = job->status == exec::JobStatus::Success ? "32;1"
                                   : job->allowedToFail                    ? "33;1"
                                                                           : "31;1";
                status = QStringLiteral("\x1b[%1m").arg(QLatin1String(code)) + status +
                         QStringLiteral("\x1b[0m");
            }
            print(*job, tr("finished in %1: %2").arg(duration(*job), status));
        }
    }

    void print(const exec::JobRecord &job, const QString &text)
    {
        m_out << prefix(job) << text << u'\n';
        m_out.flush();
    }

private:
    QString prefix(const exec::JobRecord &job)
    {
        const QString name = displayName(job).leftJustified(int(m_width));
        if (!m_colour)
            return name + u' ';
        static const char *const colours[] = {"36", "35", "34", "33", "32", "96", "95", "94"};
        const int colour = m_colourOf.value(job.id, int(m_colourOf.size()) % 8);
        m_colourOf.insert(job.id, colour);
        return QStringLiteral("\x1b[%1m").arg(QLatin1String(colours[colour])) + name +
               QStringLiteral("\x1b[0m ");
    }

    void line(int id, QString text)
    {
        const exec::JobRecord *job = m_engine.job(id);
        if (!job)
            return;
        if (text.endsWith(u'\r'))
            text.chop(1);
        // Sections: only the script's own output is shown line by line.
        // Scripts print their own sections too, often after an `\e[0K` (`echo -e
        // "\e[0Ksection_start:...`): GitLab's log shows their header and hides the end marker.
        static const QRegularExpression section(QStringLiteral(
            "^(?:\x1b\\[0K)*section_(start|end):\\d+:([A-Za-z0-9_.-]+)(?:\\[[^\\]]*\\])?\r"
            "\x1b\\[0K(.*)$"));
        if (const QRegularExpressionMatch m = section.match(text); m.hasMatch()) {
            const QString name = m.captured(2);
            const bool start = m.captured(1) == u"start";
            const bool script = name == u"step_script" || name == u"after_script";
            if (!m_inScript.value(id)) { // the engine's own sections
                m_inScript[id] = start && script;
                return;
            }
            if (!start && script) {
                m_inScript[id] = false;
                return;
            }
            if (!start) // the end of one of the script's sections
                return;
            text = m.captured(3);
        }
        // A `\r` inside a line: the terminal would show what follows the last one.
        if (const qsizetype cr = text.lastIndexOf(u'\r'); cr >= 0)
            text = text.mid(cr + 1);
        const QString plain = stripAnsi(text);
        const QString shown = m_colour ? text : plain;
        if (m_inScript.value(id) && plain == u"Running after script...")
            return;
        if (m_inScript.value(id)) {
            if (plain.startsWith(QStringLiteral("$ ")))
                m_out << prefix(*job) << shown << u'\n';
            else
                m_out << prefix(*job)
                      << (m_colour ? QStringLiteral("\x1b[0m> ") : QStringLiteral("> ")) << shown
                      << u'\n';
        } else if (plain.startsWith(QStringLiteral("WARNING:")) ||
                   plain.startsWith(QStringLiteral("ERROR:")) ||
                   plain.startsWith(QStringLiteral("The job's environment was kept")) ||
                   plain.startsWith(QStringLiteral("Downstream pipeline"))) {
            m_out << prefix(*job) << shown << u'\n';
        } else {
            return;
        }
        m_out.flush();
    }

    const exec::Engine &m_engine;
    QTextStream &m_out;
    bool m_colour;
    qsizetype m_width = 0;
    QHash<int, QByteArray> m_buffers;
    QHash<int, bool> m_inScript;
    QHash<int, exec::JobStatus> m_seen;
    QHash<int, int> m_started;
    QHash<int, int> m_colourOf;
};

void printSummary(const exec::Engine &engine, const Printer &printer, QTextStream &out)
{
    const QList<exec::JobRecord> jobs = engine.jobs();
    QStringList header{tr("job"), tr("stage"), tr("status"), tr("duration"), tr("exit code")};
    QList<QStringList> rows;
    for (const exec::JobRecord &job : jobs) {
        rows << QStringList{printer.displayName(job), job.stage, statusText(job), duration(job),
                            job.exitCode >= 0 ? QString::number(job.exitCode) : QString()};
    }
    QList<qsizetype> widths;
    for (const QString &h : header)
        widths << h.size();
    for (const QStringList &row : std::as_const(rows))
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    auto print = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += row.at(i).leftJustified(int(widths.at(i))) + QStringLiteral("  ");
        while (line.endsWith(u' '))
            line.chop(1);
        out << line << u'\n';
    };
    out << u'\n';
    print(header);
    for (const QStringList &row : std::as_const(rows))
        print(row);
    out << tr("pipeline %1: %2\n").arg(engine.pipelineId(), exec::statusName(engine.status()));
    for (const exec::JobRecord &job : jobs) {
        if (!job.enterCommand.isEmpty())
            out << tr("%1: environment kept, enter it with: %2\n")
                       .arg(printer.displayName(job), job.enterCommand);
    }
    out << tr("Logs and artifacts: %1\n").arg(QDir::toNativeSeparators(engine.pipelineDir()));
    out.flush();
}

} // namespace

int runRun(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    const auto a = parse(arguments, err);
    if (!a)
        return UsageOrIo;
    // A wrong executor is a usage error, whatever the configuration says.
    exec::BackendSettings settings;
    settings.privileged = a->privileged;
    settings.dockerHost = a->dockerHost; // empty: DOCKER_HOST, else the default socket
    settings.dockerDefaultImage = a->defaultImage;
    settings.dockerPullPolicy = a->pullPolicy;
    settings.dockerHelperImage = a->helperImage;
    settings.kubeContext = a->kubeContext;
    settings.kubeNamespace = a->kubeNamespace;
    settings.extra = a->kube;
    if (!a->helperImage.isEmpty())
        settings.extra.insert(QStringLiteral("kubeHelperImage"), a->helperImage);
    if (!a->pullPolicy.isEmpty())
        settings.extra.insert(QStringLiteral("kubePullPolicy"), a->pullPolicy.first());
    QString error;
    std::unique_ptr<exec::Backend> backend = exec::createBackend(a->executor, settings, &error);
    if (!backend) {
        err << tr("stagecraft-cli: %1\n").arg(error);
        return UsageOrIo;
    }
    // Kubernetes settings the cluster would refuse: a usage error before anything runs.
    if (a->executor == u"kubernetes") {
        if (const QString wrong = exec::kube::settingsError(exec::kube::settingsFrom(settings));
            !wrong.isEmpty()) {
            err << tr("stagecraft-cli: %1\n").arg(wrong);
            return UsageOrIo;
        }
    }
    const auto project = projectFor(a->plan.path, err);
    if (!project)
        return UsageOrIo;
    pipeline::PipelineContext context = contextFor(*project, a->plan);
    if (context.facts.sha.isEmpty()) {
        // No repository (or no commit yet): the folder runs as it is, for a push of the ref
        // (--ref, else the default branch) with no commit, as a project without a remote.
        const QString folder = QDir(project->root).dirName();
        if (context.facts.projectPath == vars::PipelineFacts().projectPath)
            context.facts.projectPath = QStringLiteral("local/") + folder;
        err << tr("stagecraft-cli: WARNING: %1 is not a git repository with a commit: running "
                  "the files of the folder as they are, for a %2 pipeline of %3 without a commit "
                  "(CI_COMMIT_SHA is zeros)\n")
                   .arg(QDir::toNativeSeparators(project->root), context.source, context.ref);
        err.flush();
    }
    pipeline::PlanOptions planOptions = planOptionsFor(*project, a->plan);
    planOptions.effectiveJobs = true; // jobs run with default: and global variables applied
    // include:rules see the pipeline's variables, as Planner::planProject sets them.
    planOptions.resolve.variables = vars::predefinedVariables(context.effectiveFacts());
    planOptions.resolve.variables.insert(context.variables);
    // GitLab creates no pipeline for an invalid configuration: neither do we.
    const ci::LintResult lint = ci::lint(planOptions.resolve);
    diag::Diagnostics errors = lint.diagnostics;
    errors.removeIf([](const diag::Diagnostic &d) { return !d.isError(); });
    if (!errors.isEmpty()) {
        err << tr("stagecraft-cli: the configuration is invalid, GitLab would not create the "
                  "pipeline:\n");
        err << QString::fromUtf8(diag::format(errors, diag::ReportFormat::Text));
        return Findings;
    }
    const pipeline::Plan plan = pipeline::Planner::plan(lint.config, context, planOptions);
    for (const QString &warning : plan.warnings)
        err << tr("WARNING: %1\n").arg(warning);
    if (!plan.errors.isEmpty()) {
        for (const QString &e : plan.errors)
            err << tr("stagecraft-cli: %1\n").arg(e);
        return Findings;
    }
    if (!plan.created) {
        err << tr("stagecraft-cli: the pipeline is not created (%1)\n").arg(plan.reason);
        return Findings;
    }

    exec::RunOptions options;
    options.projectRoot = project->root;
    options.jobs = a->jobs;
    options.withNeeds = a->needs;
    options.concurrency = a->concurrency;
    options.variables = a->plan.variables;
    // User variables files, lowest first: gitlab-ci-local's home and project files, then ours.
    const QString home = QDir::home().filePath(QStringLiteral(".gitlab-ci-local/variables.yml"));
    if (QFileInfo::exists(home))
        options.variablesFiles << home;
    const QString projectFile =
        QDir(project->root).filePath(QStringLiteral(".gitlab-ci-local-variables.yml"));
    if (QFileInfo::exists(projectFile))
        options.variablesFiles << projectFile;
    options.variablesFiles << a->variablesFiles;
    options.privileged = a->privileged;
    options.keepFailedEnvironment = a->keepFailed;
    options.dataDir = a->dataDir;
    options.manualJobsRun = a->manual;
    if (!a->registry.isEmpty())
        options.registry = a->registry;
    if (a->keepPipelines)
        options.keepPipelines = *a->keepPipelines;

    exec::Engine engine(std::move(backend));
    const bool colour = ::isatty(STDOUT_FILENO) && qEnvironmentVariableIsEmpty("NO_COLOR");
    if (!engine.start(plan, context, options, &error)) {
        err << tr("stagecraft-cli: %1\n").arg(error);
        // A job named on the command line that the pipeline does not have: a usage error.
        return engine.selectionRefused() ? UsageOrIo : Findings;
    }
    Printer printer(engine, out, colour);
    QEventLoop loop;
    bool interrupted = false;
    QObject::connect(&engine, &exec::Engine::jobAdded, &loop,
                     [&printer](int id) { printer.jobAdded(id); });
    QObject::connect(&engine, &exec::Engine::jobOutput, &loop,
                     [&printer](int id, const QByteArray &bytes) { printer.output(id, bytes); });
    QObject::connect(&engine, &exec::Engine::jobChanged, &loop,
                     [&printer](int id) { printer.changed(id); });
    QObject::connect(&engine, &exec::Engine::finished, &loop, [&loop] { loop.quit(); });

    // SIGINT/SIGTERM: cancel the pipeline (processes and containers stopped), then exit 130.
    std::unique_ptr<QSocketNotifier> notifier;
    struct sigaction previousInt = {}, previousTerm = {};
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        notifier = std::make_unique<QSocketNotifier>(signalPipe[0], QSocketNotifier::Read);
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &loop, [&] {
            char c = 0;
            [[maybe_unused]] const auto n = ::read(signalPipe[0], &c, 1);
            // The first Ctrl+C cancels (after_script still runs), the next stops those too.
            err << (interrupted ? tr("stagecraft-cli: interrupted again, stopping\n")
                                : tr("stagecraft-cli: interrupted, canceling the pipeline\n"));
            err.flush();
            interrupted = true;
            engine.cancelPipeline();
        });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, &previousInt);
        ::sigaction(SIGTERM, &action, &previousTerm);
    }
    loop.exec();
    if (notifier) {
        ::sigaction(SIGINT, &previousInt, nullptr);
        ::sigaction(SIGTERM, &previousTerm, nullptr);
        notifier.reset();
        ::close(signalPipe[0]);
        ::close(signalPipe[1]);
        signalPipe[0] = signalPipe[1] = -1;
    }

    printSummary(engine, printer, out);
    if (interrupted)
        return Interrupted;
    switch (engine.status()) {
    case exec::PipelineStatus::Failed:
    case exec::PipelineStatus::Canceled:
        return Findings;
    default:
        return Ok;
    }
}

} // namespace stagecraft::cli
