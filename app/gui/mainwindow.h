#pragma once

#include "diag/diagnostic.h"

#include <QMainWindow>

class QLabel;
class QTreeView;
class QDockWidget;

namespace stagecraft::gui {

class CodeEditor;
class LintController;
class ProblemsModel;

/// The main window: assembles the editor, the problems dock and the status bar for one project,
/// and wires them to the lint controller. It holds no analysis logic of its own.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a project folder and its `.gitlab-ci.yml` (an empty buffer when there is none yet).
    bool openProject(const QString &folder);
    /// Writes the editor buffer to the open file atomically (QSaveFile).
    bool save();

    QString projectRoot() const { return m_projectRoot; }
    QString currentFile() const { return m_currentFile; }
    CodeEditor *editor() const { return m_editor; }
    ProblemsModel *problemsModel() const { return m_problems; }
    LintController *lintController() const { return m_lint; }
    QString statusText() const;

    /// GitLab's Pipeline Editor wording for a lint result.
    static QString statusTextFor(const diag::Diagnostics &diagnostics);

signals:
    /// A lint result has been shown (problems, editor marks, status text).
    void diagnosticsApplied();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void openFolderDialog();
    bool maybeSave();
    void bufferChanged();
    void applyDiagnostics(const diag::Diagnostics &diagnostics);
    void activateProblem(const QModelIndex &index);
    void updateTitle();

    CodeEditor *m_editor = nullptr;
    ProblemsModel *m_problems = nullptr;
    LintController *m_lint = nullptr;
    QTreeView *m_problemsView = nullptr;
    QDockWidget *m_problemsDock = nullptr;
    QLabel *m_statusIcon = nullptr;
    QLabel *m_statusLabel = nullptr;
    QString m_projectRoot;
    QString m_currentFile;
};

} // namespace stagecraft::gui
