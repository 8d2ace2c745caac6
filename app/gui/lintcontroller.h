#pragma once

#include "ci/resolver.h"
#include "diag/diagnostic.h"

#include <QObject>
#include <QTimer>

namespace stagecraft::gui {

/// Lints the open project off the GUI thread: edits are debounced, the editor buffers are
/// snapshotted into ResolveOptions::overlay, and ci::lint runs through QtConcurrent. Each run
/// carries a generation number; a result older than the latest request is dropped, and at most
/// one run is in flight (a request made meanwhile starts when it finishes).
class LintController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LintController)

public:
    static constexpr int defaultDelayMs = 300;

    explicit LintController(QObject *parent = nullptr);
    ~LintController() override;

    /// Starts over for another project: forgets buffers and pending results.
    void setProject(const QString &projectRoot, const QString &mainFile);
    QString projectRoot() const { return m_options.projectRoot; }
    QString mainFile() const { return m_options.mainFile; }

    /// Records the unsaved text of a file (path relative to the project) and schedules a lint.
    void setBuffer(const QString &relativePath, const QByteArray &content);
    void setDelay(int milliseconds) { m_debounce.setInterval(milliseconds); }
    int delay() const { return m_debounce.interval(); }

    /// Requests a lint after the debounce delay (restarting the delay on every call).
    void schedule();
    /// Requests a lint now, without the delay.
    void lintNow();

    quint64 generation() const { return m_generation; }
    bool isRunning() const { return m_running; }

signals:
    void lintStarted(quint64 generation);
    /// Diagnostics of the newest snapshot; never emitted for a superseded one.
    void diagnosticsReady(const stagecraft::diag::Diagnostics &diagnostics);

private:
    void start();
    void launch();
    void finished(quint64 generation, const diag::Diagnostics &diagnostics);

    ci::ResolveOptions m_options;
    QTimer m_debounce;
    quint64 m_generation = 0; ///< generation of the newest request; older results are stale
    bool m_running = false;
    bool m_pending = false; ///< a request arrived while a run was in flight
};

} // namespace stagecraft::gui
