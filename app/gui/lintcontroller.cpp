#include "lintcontroller.h"

#include "ci/linter.h"

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
    m_options = ci::ResolveOptions{};
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
        finished(generation, watcher->result().diagnostics);
    });
    emit lintStarted(generation);
    // The options are copied into the task: the worker never sees later edits.
    watcher->setFuture(QtConcurrent::run(&ci::lint, m_options));
}

void LintController::finished(quint64 generation, const diag::Diagnostics &diagnostics)
{
    m_running = false;
    if (generation == m_generation) {
        emit diagnosticsReady(diagnostics);
        return;
    }
    // Superseded: drop the result and run the newest snapshot if one was requested meanwhile.
    if (m_pending) {
        m_pending = false;
        launch();
    }
}

} // namespace stagecraft::gui
