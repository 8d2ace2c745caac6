#include "mainwindow.h"

#include "codeeditor.h"
#include "lintcontroller.h"
#include "problemsmodel.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSaveFile>
#include <QStatusBar>
#include <QTreeView>

namespace stagecraft::gui {

namespace {
const QString mainFileName = QStringLiteral(".gitlab-ci.yml");
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_editor(new CodeEditor(this))
    , m_problems(new ProblemsModel(this))
    , m_lint(new LintController(this))
{
    setCentralWidget(m_editor);

    m_problemsView = new QTreeView(this);
    m_problemsView->setObjectName(QStringLiteral("problemsView"));
    m_problemsView->setModel(m_problems);
    m_problemsView->setRootIsDecorated(false);
    m_problemsView->setUniformRowHeights(true);
    m_problemsView->setAlternatingRowColors(true);
    m_problemsView->header()->setStretchLastSection(false);
    m_problemsView->header()->setSectionResizeMode(ProblemsModel::MessageColumn,
                                                   QHeaderView::Stretch);
    m_problemsView->header()->setSectionResizeMode(ProblemsModel::SeverityColumn,
                                                   QHeaderView::ResizeToContents);
    m_problemsView->header()->setSectionResizeMode(ProblemsModel::PositionColumn,
                                                   QHeaderView::ResizeToContents);
    m_problemsView->setColumnWidth(ProblemsModel::FileColumn, 180);

    m_problemsDock = new QDockWidget(tr("Problems"), this);
    m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
    m_problemsDock->setWidget(m_problemsView);
    m_problemsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::BottomDockWidgetArea, m_problemsDock);
    resizeDocks({m_problemsDock}, {170}, Qt::Vertical);

    m_statusIcon = new QLabel(this);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("lintStatus"));
    statusBar()->addWidget(m_statusIcon);
    statusBar()->addWidget(m_statusLabel, 1);
    m_statusLabel->setText(tr("No project open."));

    createMenus();

    connect(m_editor, &QsciScintilla::textChanged, this, &MainWindow::bufferChanged);
    connect(m_editor, &QsciScintilla::modificationChanged, this, &QWidget::setWindowModified);
    connect(m_lint, &LintController::diagnosticsReady, this, &MainWindow::applyDiagnostics);
    connect(m_problemsView, &QAbstractItemView::activated, this, &MainWindow::activateProblem);

    updateTitle();
    resize(1100, 720);
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Folder…"), this, &MainWindow::openFolderDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *saveAction = file->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_problemsDock->toggleViewAction());
}

bool MainWindow::openProject(const QString &folder)
{
    const QDir dir(folder);
    if (!dir.exists())
        return false;
    QByteArray content;
    QFile file(dir.filePath(mainFileName));
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return false;
        content = file.readAll();
    }
    m_projectRoot = dir.absolutePath();
    m_currentFile = mainFileName;
    m_lint->setProject(m_projectRoot, m_currentFile);
    m_problems->setDiagnostics({});
    {
        // Loading is not an edit: the controller gets the text once, below.
        const QSignalBlocker blocker(m_editor);
        m_editor->setText(QString::fromUtf8(content));
        m_editor->setModified(false);
    }
    setWindowModified(false);
    m_editor->setDiagnostics({}, m_currentFile);
    m_statusIcon->clear();
    m_statusLabel->setText(tr("Checking %1…").arg(m_currentFile));
    updateTitle();
    m_lint->setBuffer(m_currentFile, content);
    m_lint->lintNow();
    return true;
}

bool MainWindow::save()
{
    if (m_projectRoot.isEmpty())
        return false;
    const QString path = QDir(m_projectRoot).filePath(m_currentFile);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_editor->text().toUtf8()) < 0 ||
        !file.commit()) {
        QMessageBox::warning(this, tr("Save failed"),
                             tr("Could not save %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_editor->setModified(false);
    statusBar()->showMessage(tr("Saved %1").arg(m_currentFile), 3000);
    return true;
}

QString MainWindow::statusText() const
{
    return m_statusLabel->text();
}

QString MainWindow::statusTextFor(const diag::Diagnostics &diagnostics)
{
    for (const diag::Diagnostic &d : diagnostics) {
        if (d.isError())
            return tr("This GitLab CI configuration is invalid: %1").arg(d.message);
    }
    return tr("Pipeline syntax is correct.");
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (maybeSave())
        event->accept();
    else
        event->ignore();
}

void MainWindow::openFolderDialog()
{
    if (!maybeSave())
        return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), m_projectRoot);
    if (!folder.isEmpty() && !openProject(folder)) {
        QMessageBox::warning(this, tr("Open failed"),
                             tr("Could not open the project folder %1.").arg(folder));
    }
}

bool MainWindow::maybeSave()
{
    if (!m_editor->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(m_currentFile),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::bufferChanged()
{
    if (!m_currentFile.isEmpty())
        m_lint->setBuffer(m_currentFile, m_editor->text().toUtf8());
}

void MainWindow::applyDiagnostics(const diag::Diagnostics &diagnostics)
{
    m_problems->setDiagnostics(diagnostics);
    m_editor->setDiagnostics(diagnostics, m_currentFile);
    const bool valid = !diag::hasErrors(diagnostics);
    const int iconSize = m_statusLabel->fontMetrics().height();
    m_statusIcon->setPixmap(
        ProblemsModel::severityIcon(valid ? diag::Severity::Info : diag::Severity::Error)
            .pixmap(iconSize, iconSize));
    m_statusLabel->setText(statusTextFor(diagnostics));
    m_problemsDock->setWindowTitle(
        diagnostics.isEmpty() ? tr("Problems") : tr("Problems (%1)").arg(diagnostics.size()));
    emit diagnosticsApplied();
}

void MainWindow::activateProblem(const QModelIndex &index)
{
    const diag::Diagnostic *d = m_problems->diagnostic(index);
    if (d && d->file == m_currentFile && d->range.start.line > 0)
        m_editor->goTo(d->range.start.line, d->range.start.column);
}

void MainWindow::updateTitle()
{
    if (m_projectRoot.isEmpty())
        setWindowTitle(tr("Stagecraft"));
    else
        setWindowTitle(
            tr("%1 — %2 [*] — Stagecraft").arg(m_currentFile, QDir(m_projectRoot).dirName()));
}

} // namespace stagecraft::gui
