#pragma once

#include "diag/diagnostic.h"
#include "settings.h"

#include <QLabel>
#include <QMainWindow>

#include <memory>

class QAction;
class QDockWidget;
class QMenu;
class QTabWidget;

namespace stagecraft::ci {
struct ResolvedConfig;
}

namespace stagecraft::gui {

class CodeEditor;
class ConfigView;
class EditorTabs;
class FindBar;
class GitStatus;
class GraphPanel;
class JobsPanel;
class LintController;
class LogView;
class NoticeBar;
class PlanController;
class RecentMenu;
class RecoveryController;
class ProblemsModel;
class ProblemsView;
class ProjectTree;
class RunController;
struct RunRequest;

/// The main window: assembles the project tree, the editor tabs, the problems and pipeline docks
/// and the status bar, and wires them to the controllers. It holds no analysis logic of its own.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a project folder: its `.gitlab-ci.yml` (an empty buffer when there is none yet),
    /// its Dockerfiles, and after the first check the local files it includes.
    bool openProject(const QString &folder);
    /// Writes the current buffer atomically (QSaveFile).
    bool save();
    bool saveAll();
    /// Opens a project file's tab and moves the cursor to a 1-based line and column.
    bool openLocation(const QString &file, int line, int column);
    /// Follows the name at a 0-based line/column of an open file (F12, Ctrl+click).
    bool goToDefinition(const QString &file, int line, int column);
    void applySettings(const Settings &settings);

    QString projectRoot() const { return m_projectRoot; }
    QString currentFile() const;
    CodeEditor *editor() const;
    EditorTabs *tabs() const { return m_tabs; }
    ProblemsModel *problemsModel() const { return m_problems; }
    LintController *lintController() const { return m_lint; }
    PlanController *planController() const { return m_plan; }
    GraphPanel *graphPanel() const { return m_graph; }
    ConfigView *configView() const { return m_configView; }
    NoticeBar *noticeBar() const { return m_notice; }
    RecoveryController *recovery() const { return m_recovery; }
    RunController *runController() const { return m_runs; }
    JobsPanel *jobsPanel() const { return m_jobs; }
    QTabWidget *logTabs() const { return m_logTabs; }
    QAction *runPipelineAction() const { return m_runPipeline; }
    QAction *cancelPipelineAction() const { return m_cancelPipeline; }
    QString statusText() const { return m_statusLabel->text(); }

    /// Runs the project's pipeline as it is on disk (with the run settings).
    bool runPipeline();
    /// Runs one job (and, with `withNeeds`, what it needs, transitively).
    bool runJob(const QString &job, bool withNeeds);
    /// The job's log in a tab of the Job Logs dock (opened, or brought to the front).
    LogView *openJobLog(int jobId);
    /// The request a run action starts (project, ref, settings).
    RunRequest runRequest() const;
    /// Where runs keep logs, artifacts and caches; empty: the engine's default (the user's
    /// cache folder). Tests and benchmarks use a temporary folder.
    void setRunDataDir(const QString &dir) { m_runDataDir = dir; }
    QString gitText() const { return m_gitLabel->text(); }

    /// GitLab's Pipeline Editor wording for a lint result.
    static QString statusTextFor(const diag::Diagnostics &diagnostics);

signals:
    /// A lint result has been shown (problems, editor marks, status text).
    void diagnosticsApplied();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createMenus();
    void openFolderDialog();
    void openSettings();
    bool maybeSave();
    void applyDiagnostics(const diag::Diagnostics &diagnostics);
    void configResolved(std::shared_ptr<const ci::ResolvedConfig> config);
    void activateProblem(const QModelIndex &index);
    void updateTitle();
    void createRunActions();
    bool startRun(const RunRequest &request);
    void runJobChanged(int jobId);
    void fillRunJobMenu(QMenu *menu, bool withNeeds);
    void fillCardMenu(QMenu *menu, const QString &job);

    Settings m_settings;
    EditorTabs *m_tabs = nullptr;
    NoticeBar *m_notice = nullptr;
    FindBar *m_find = nullptr;
    ProblemsModel *m_problems = nullptr;
    LintController *m_lint = nullptr;
    PlanController *m_plan = nullptr;
    GitStatus *m_git = nullptr;
    RecoveryController *m_recovery = nullptr;
    ProjectTree *m_tree = nullptr;
    GraphPanel *m_graph = nullptr;
    ConfigView *m_configView = nullptr;
    ProblemsView *m_problemsView = nullptr;
    QDockWidget *m_problemsDock = nullptr;
    RunController *m_runs = nullptr;
    JobsPanel *m_jobs = nullptr;
    QTabWidget *m_logTabs = nullptr;
    QDockWidget *m_jobsDock = nullptr;
    QDockWidget *m_logsDock = nullptr;
    QAction *m_runPipeline = nullptr;
    QAction *m_cancelPipeline = nullptr;
    QMenu *m_runJobMenu = nullptr;
    QMenu *m_runJobNeedsMenu = nullptr;
    RecentMenu *m_recentMenu = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_gitLabel = nullptr;
    QString m_projectRoot;
    QString m_runDataDir;
    std::shared_ptr<const ci::ResolvedConfig> m_config;
    bool m_includesOpened = false;
};

} // namespace stagecraft::gui
