#pragma once

#include "ci/config.h"
#include "ci/resolver.h"
#include "diag/diagnostic.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace stagecraft::ci {
struct LintResult;
}

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
    /// Forgets an unsaved buffer (its tab was closed without saving): the disk counts again.
    void removeBuffer(const QString &relativePath);
    QHash<QString, QByteArray> buffers() const { return m_options.overlay; }
    void setIncludeCacheDir(const QString &folder) { m_options.includeCacheDir = folder; }
    /// Dockerfiles (relative paths) linted with the CI configuration: hadolint's and BuildKit's
    /// rules, and ShellCheck on RUN when `shellcheck` is on.
    void setDockerfiles(const QStringList &paths);
    void addDockerfile(const QString &path);
    QStringList dockerfiles() const { return m_dockerfiles; }
    void setShellCheck(bool enabled) { m_shellcheck = enabled; }

    /// What a run does (off the GUI thread): ci::lint plus the Dockerfiles.
    static ci::LintResult run(const ci::ResolveOptions &options, const QStringList &dockerfiles,
                              bool shellcheck);
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
    /// The resolved configuration of the same snapshot (emitted just before diagnosticsReady).
    void configReady(std::shared_ptr<const stagecraft::ci::ResolvedConfig> config);

private:
    void start();
    void launch();
    void finished(quint64 generation, const ci::LintResult &result);

    ci::ResolveOptions m_options;
    QTimer m_debounce;
    quint64 m_generation = 0; ///< generation of the newest request; older results are stale
    bool m_running = false;
    bool m_pending = false; ///< a request arrived while a run was in flight
    QStringList m_dockerfiles;
    bool m_shellcheck = true;
};

} // namespace stagecraft::gui
