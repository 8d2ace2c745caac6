#pragma once

#include "ci/config.h"
#include "ci/resolver.h"
#include "diag/diagnostic.h"
#include "scriptchecker.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace stagecraft::ci {
struct LintResult;
}

namespace stagecraft::gui {

/// Lints the open project off the GUI thread: edits are debounced, the editor buffers are
/// snapshotted into ResolveOptions::overlay, and ci::lint runs through QtConcurrent. Each run
/// carries a generation number; a result older than the latest request is dropped, and at most
/// one run is in flight (a request made meanwhile starts when it finishes).
///
/// ShellCheck on the job scripts is a second stage: the first result carries the GitLab
/// findings and the cached script findings; the scripts that changed are checked afterwards
/// (one pass at a time, stopping between batches as soon as the text is edited again) and a
/// second diagnosticsReady carries everything. A pass for an older text never shows.
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
    /// ShellCheck on Dockerfile RUN instructions and on the jobs' scripts.
    void setShellCheck(bool enabled) { m_shellcheck = enabled; }
    bool shellCheck() const { return m_shellcheck; }
    /// The job-script checker (tests replace its ShellCheck or count its runs).
    ScriptChecker &scriptChecker() { return m_scripts; }

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
    /// The first stage (ci::lint, Dockerfiles) is in flight.
    bool isRunning() const { return m_running; }
    /// A ShellCheck pass over job scripts is in flight (it may be one that is being cancelled).
    bool isCheckingScripts() const { return m_checkingScripts; }

signals:
    void lintStarted(quint64 generation);
    /// Diagnostics of the newest snapshot; never emitted for a superseded one. Emitted twice for
    /// one snapshot when job scripts had to go through ShellCheck: first without their
    /// findings, then with them.
    void diagnosticsReady(const stagecraft::diag::Diagnostics &diagnostics);
    /// ShellCheck has checked the job scripts of the newest snapshot (after its second
    /// diagnosticsReady). Not emitted when every script was cached.
    void scriptsChecked(quint64 generation);
    /// The resolved configuration of the same snapshot (emitted just before diagnosticsReady).
    void configReady(std::shared_ptr<const stagecraft::ci::ResolvedConfig> config);

private:
    struct Stage1;
    struct ScriptPass
    {
        quint64 generation = 0;
        QList<dockerfile::ShellScript> scripts;
        diag::Diagnostics base; ///< the first stage's diagnostics of the same snapshot
    };

    void start();
    void launch();
    void finished(quint64 generation, const Stage1 &result);
    void newGeneration();
    void supersedeScripts();
    void checkScripts(ScriptPass pass);
    void scriptsFinished(const ScriptPass &pass, const ScriptChecker::Result &result);

    ci::ResolveOptions m_options;
    QTimer m_debounce;
    quint64 m_generation = 0; ///< generation of the newest request; older results are stale
    bool m_running = false;
    bool m_pending = false; ///< a request arrived while a run was in flight
    QStringList m_dockerfiles;
    bool m_shellcheck = true;
    ScriptChecker m_scripts;
    /// The generation a ShellCheck pass may belong to, read by the pass on its thread to stop
    /// early: the newest one, or 0 after an edit the debounce has not linted yet.
    std::shared_ptr<std::atomic<quint64>> m_latest = std::make_shared<std::atomic<quint64>>(0);
    bool m_checkingScripts = false;
    std::optional<ScriptPass> m_nextScripts; ///< waits for the pass in flight to stop
};

} // namespace stagecraft::gui
