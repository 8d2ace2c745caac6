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

LintController::LintController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<diag::Diagnostics>();
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(defaultDelayMs);
    connect(&m_debounce, &QTimer::timeout, this, &LintController::start);
}

LintController::~LintController() = default;

void LintController::setProject(const QString &projectRoot, const QString &mainFile)
{
    m_debounce.stop();
    const QString cache = m_options.includeCacheDir;
    m_options = ci::ResolveOptions{};
    m_options.includeCacheDir = cache;
    m_options.projectRoot = projectRoot;
    m_options.mainFile = mainFile;
    // Results of the previous project are now stale, even if a run is still in flight.
    ++m_generation;
    m_pending = false;
}

void LintController::setBuffer(const QString &relativePath, const QByteArray &content)
{
    m_options.overlay.insert(relativePath, content);
    schedule();
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
    if (m_options.overlay.remove(relativePath) > 0)
        schedule();
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
    ++m_generation; // makes any run in flight stale
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
    auto *watcher = new QFutureWatcher<ci::LintResult>(this);
    connect(watcher, &QFutureWatcher<ci::LintResult>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        // The future has finished: result() does not block here.
        finished(generation, watcher->result());
    });
    emit lintStarted(generation);
    // The options are copied into the task: the worker never sees later edits.
    watcher->setFuture(
        QtConcurrent::run(&LintController::run, m_options, m_dockerfiles, m_shellcheck));
}

void LintController::finished(quint64 generation, const ci::LintResult &result)
{
    m_running = false;
    if (generation == m_generation) {
        emit configReady(std::make_shared<const ci::ResolvedConfig>(result.config));
        emit diagnosticsReady(result.diagnostics);
        return;
    }
    // Superseded: drop the result and run the newest snapshot if one was requested meanwhile.
    if (m_pending) {
        m_pending = false;
        launch();
    }
}

} // namespace stagecraft::gui
