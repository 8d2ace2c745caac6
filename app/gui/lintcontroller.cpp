#include "lintcontroller.h"

#include "ci/linter.h"
#include "dockerfile/linter.h"
#include "dockerfile/parser.h"
#include "dockerfile/shellcheck.h"
#include "pipeline/gitcontext.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace stagecraft::gui {

/// What the first stage gives: the lint result with the cached script findings, and the job
/// scripts still to go through ShellCheck.
struct LintController::Stage1
{
    ci::LintResult lint;
    QList<dockerfile::ShellScript> pending;
};

namespace {

/// "ShellCheck is not installed" once, not once per Dockerfile and once more for the jobs.
void keepOneUnavailableNote(diag::Diagnostics &diagnostics)
{
    bool noted = false;
    diagnostics.removeIf([&noted](const diag::Diagnostic &d) {
        if (d.code != u"shellcheck-unavailable")
            return false;
        const bool duplicate = noted;
        noted = true;
        return duplicate;
    });
}

} // namespace

LintController::LintController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<diag::Diagnostics>();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(defaultDelayMs);
    connect(&m_debounce, &QTimer::timeout, this, &LintController::start);
}

LintController::~LintController()
{
    // A ShellCheck pass still running on the pool stops at its next batch.
    m_latest->store(~quint64(0));
}

void LintController::newGeneration()
{
    ++m_generation;
    m_latest->store(m_generation);
}

void LintController::setProject(const QString &projectRoot, const QString &mainFile)
{
    m_debounce.stop();
    const QString cache = m_options.includeCacheDir;
    m_options = ci::ResolveOptions{};
    m_options.includeCacheDir = cache;
    m_options.projectRoot = projectRoot;
    m_options.mainFile = mainFile;
    // Results of the previous project are now stale, even if a run is still in flight.
    newGeneration();
    m_pending = false;
    m_nextScripts.reset();
}

void LintController::setBuffer(const QString &relativePath, const QByteArray &content)
{
    m_options.overlay.insert(relativePath, content);
    supersedeScripts();
    schedule();
}

void LintController::supersedeScripts()
{
    // The text changed: a ShellCheck pass of the old text stops now and never shows, even
    // before the debounce starts the next lint (generation 0 is never a pass's).
    m_latest->store(0);
}

void LintController::setDockerfiles(const QStringList &paths)
{
    if (paths == m_dockerfiles)
        return;
    m_dockerfiles = paths;
    schedule();
}

void LintController::addDockerfile(const QString &path)
{
    if (!m_dockerfiles.contains(path))
        setDockerfiles(m_dockerfiles + QStringList{path});
}

ci::LintResult LintController::run(const ci::ResolveOptions &givenOptions,
                                   const QStringList &dockerfiles, bool shellcheck)
{
    // `include:rules` see the checked-out branch, as in the CLI; read here, off the GUI thread,
    // and on every run so that a branch switch is noticed.
    ci::ResolveOptions options = givenOptions;
    if (options.variables.isEmpty())
        options.variables = pipeline::checkoutVariables(options.projectRoot);
    ci::LintResult result = ci::lint(options);
    for (const QString &path : dockerfiles) {
        QByteArray text = options.overlay.value(path);
        if (!options.overlay.contains(path)) {
            QFile file(QDir(options.projectRoot).filePath(path));
            if (!file.open(QIODevice::ReadOnly))
                continue;
            text = file.readAll();
        }
        const dockerfile::Dockerfile parsed = dockerfile::Parser::parse(text, path);
        if (shellcheck) {
            // One instance: it probes for the binary once (thread-safe, under its own mutex).
            static const dockerfile::ShellCheck checker;
            result.diagnostics += dockerfile::lintWithShellCheck(parsed, {}, &checker);
        } else {
            result.diagnostics += dockerfile::Linter::lint(parsed);
        }
    }
    return result;
}

void LintController::removeBuffer(const QString &relativePath)
{
    if (m_options.overlay.remove(relativePath) > 0) {
        supersedeScripts();
        schedule();
    }
}

void LintController::schedule()
{
    m_debounce.start();
}

void LintController::lintNow()
{
    m_debounce.stop();
    start();
}

void LintController::start()
{
    if (m_options.projectRoot.isEmpty())
        return;
    newGeneration(); // makes any run in flight stale, and stops a ShellCheck pass
    if (m_running) {
        m_pending = true;
        return;
    }
    launch();
}

void LintController::launch()
{
    m_running = true;
    const quint64 generation = m_generation;
    auto *watcher = new QFutureWatcher<Stage1>(this);
    connect(watcher, &QFutureWatcher<Stage1>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // The future has finished: result() does not block here.
        finished(generation, watcher->result());
    });
    emit lintStarted(generation);
    // The options are copied into the task: the worker never sees later edits.
    const ci::ResolveOptions options = m_options;
    const QStringList dockerfiles = m_dockerfiles;
    const bool shellcheck = m_shellcheck;
    const ScriptChecker scripts = m_scripts; // shares the cache
    watcher->setFuture(QtConcurrent::run([options, dockerfiles, shellcheck, scripts] {
        Stage1 out;
        out.lint = run(options, dockerfiles, shellcheck);
        if (shellcheck && out.lint.config.root.isDefined()) {
            // Only the cache here: finding the scripts and their cached findings takes
            // milliseconds, ShellCheck itself comes in the second stage.
            const ci::FileTextProvider fileText = [&options](const QString &file) {
                const auto it = options.overlay.constFind(file);
                if (it != options.overlay.cend())
                    return *it;
                QFile f(QDir(options.projectRoot).filePath(file));
                return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            };
            ScriptChecker::Prepared prepared = scripts.prepare(out.lint.config, fileText);
            out.lint.diagnostics += prepared.findings;
            out.pending = std::move(prepared.pending);
        }
        keepOneUnavailableNote(out.lint.diagnostics);
        diag::sortDiagnostics(out.lint.diagnostics);
        return out;
    }));
}

void LintController::finished(quint64 generation, const Stage1 &result)
{
    m_running = false;
    if (generation == m_generation) {
        emit configReady(std::make_shared<const ci::ResolvedConfig>(result.lint.config));
        emit diagnosticsReady(result.lint.diagnostics);
        if (!result.pending.isEmpty() && m_shellcheck && m_latest->load() == generation)
            checkScripts({generation, result.pending, result.lint.diagnostics});
        return;
    }
    // Superseded: drop the result and run the newest snapshot if one was requested meanwhile.
    if (m_pending) {
        m_pending = false;
        launch();
    }
}

void LintController::checkScripts(ScriptPass pass)
{
    if (m_checkingScripts) {
        // The pass in flight belongs to an older text and stops at its next batch (its
        // batches are cached); this one follows.
        m_nextScripts = std::move(pass);
        return;
    }
    m_checkingScripts = true;
    auto *watcher = new QFutureWatcher<ScriptChecker::Result>(this);
    connect(watcher, &QFutureWatcher<ScriptChecker::Result>::finished, this, [this, watcher, pass] {
        watcher->deleteLater();
        scriptsFinished(pass, watcher->result());
    });
    const ScriptChecker scripts = m_scripts;
    const std::shared_ptr<std::atomic<quint64>> latest = m_latest;
    const quint64 generation = pass.generation;
    const QList<dockerfile::ShellScript> todo = pass.scripts;
    watcher->setFuture(QtConcurrent::run([scripts, latest, generation, todo] {
        return scripts.check(todo, [&latest, generation] { return latest->load() != generation; });
    }));
}

void LintController::scriptsFinished(const ScriptPass &pass, const ScriptChecker::Result &result)
{
    m_checkingScripts = false;
    // A pass of an older text, or of a text edited since, is dropped (it stopped early
    // anyway). An incomplete pass of the newest one timed out: its note shows with the
    // findings of the scripts that were cached.
    if (pass.generation == m_generation && m_latest->load() == pass.generation && m_shellcheck) {
        diag::Diagnostics all = pass.base + result.findings;
        keepOneUnavailableNote(all);
        ScriptChecker::removeRepeats(all);
        diag::sortDiagnostics(all);
        emit diagnosticsReady(all);
        emit scriptsChecked(pass.generation);
    }
    if (m_nextScripts) {
        ScriptPass next = std::move(*m_nextScripts);
        m_nextScripts.reset();
        if (next.generation == m_generation && m_latest->load() == next.generation)
            checkScripts(std::move(next));
    }
}

} // namespace stagecraft::gui
