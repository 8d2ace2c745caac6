#pragma once

#include "diag/diagnostic.h"
#include "settings.h"

#include <QLabel>
#include <QMainWindow>

#include <memory>

class QDockWidget;

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
class LintController;
class NoticeBar;
class PlanController;
class RecentMenu;
class RecoveryController;
class ProblemsModel;
class ProblemsView;
class ProjectTree;

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
    QString statusText() const { return m_statusLabel->text(); }
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
    RecentMenu *m_recentMenu = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_statusLabel = nullptr;
    QLabel *m_gitLabel = nullptr;
    QString m_projectRoot;
    std::shared_ptr<const ci::ResolvedConfig> m_config;
    bool m_includesOpened = false;
};

} // namespace stagecraft::gui
