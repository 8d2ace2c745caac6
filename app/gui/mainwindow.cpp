#include "mainwindow.h"

#include "codeeditor.h"
#include "configview.h"
#include "editortabs.h"
#include "findbar.h"
#include "gitstatus.h"
#include "graphpanel.h"
#include "lintcontroller.h"
#include "navigator.h"
#include "noticebar.h"
#include "plancontroller.h"
#include "problemsmodel.h"
#include "problemsview.h"
#include "projecttree.h"
#include "recentmenu.h"
#include "recoverycontroller.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace stagecraft::gui {

namespace {
const QString mainFileName = QStringLiteral(".gitlab-ci.yml");
const QString reloadTag = QStringLiteral("reload:");
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_settings(Settings::load())
    , m_tabs(new EditorTabs(this))
    , m_notice(new NoticeBar(this))
    , m_find(new FindBar(this))
    , m_problems(new ProblemsModel(this))
    , m_lint(new LintController(this))
    , m_plan(new PlanController(this))
    , m_git(new GitStatus(this))
    , m_recovery(new RecoveryController(m_tabs, m_notice, this))
    , m_tree(new ProjectTree(this))
{
    m_graph = new GraphPanel(m_plan, this);
    auto *central = new QWidget(this);
    auto *column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_notice);
    column->addWidget(m_tabs, 1);
    column->addWidget(m_find);
    setCentralWidget(central);
    createDocks();

    m_statusIcon = new QLabel(this);
    m_statusLabel = new QLabel(tr("No project open."), this);
    m_statusLabel->setObjectName(QStringLiteral("lintStatus"));
    m_gitLabel = new QLabel(this);
    m_gitLabel->setObjectName(QStringLiteral("gitStatus"));
    statusBar()->addWidget(m_statusIcon);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_gitLabel);
    createMenus();

    connect(m_tabs, &EditorTabs::bufferEdited, m_lint, &LintController::setBuffer);
    connect(m_tabs, &EditorTabs::modificationChanged, this, &MainWindow::updateTitle);
    connect(m_tabs, &EditorTabs::tabClosed, m_lint, &LintController::removeBuffer);
    connect(m_tabs, &EditorTabs::dockerfileOpened, m_lint, &LintController::addDockerfile);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        m_find->setEditor(m_tabs->currentEditor());
        updateTitle();
    });
    connect(m_tabs, &EditorTabs::definitionRequested, this, &MainWindow::goToDefinition);
    connect(m_tabs, &EditorTabs::fileChangedOnDisk, this, [this](const QString &path) {
        m_notice->ask(reloadTag + path, tr("%1 was changed by another program.").arg(path),
                      tr("Reload"), tr("Keep my version"));
    });
    connect(m_notice, &NoticeBar::accepted, this, [this](const QString &tag) {
        if (tag.startsWith(reloadTag))
            m_tabs->reload(tag.mid(reloadTag.size()));
    });
    connect(m_lint, &LintController::configReady, this, &MainWindow::configResolved);
    connect(m_lint, &LintController::diagnosticsReady, this, &MainWindow::applyDiagnostics);
    connect(m_git, &GitStatus::stateChanged, this, [this](const GitState &s) {
        m_gitLabel->setText(s.text());
        m_gitLabel->setToolTip(s.repository ? tr("Branch, commit and uncommitted changes")
                                            : QString());
    });
    connect(m_tree, &ProjectTree::fileActivated, this,
            [this](const QString &path) { openLocation(path, 0, 0); });
    connect(m_graph, &GraphPanel::jobActivated, this, &MainWindow::openLocation);

    applySettings(m_settings);
    updateTitle();
    resize(1400, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_problemsView = new ProblemsView(m_problems, this);
    connect(m_problemsView, &QAbstractItemView::activated, this, &MainWindow::activateProblem);

    auto dock = [this](const QString &title, const QString &name, QWidget *w,
                       Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                       QDockWidget::DockWidgetClosable);
        addDockWidget(area, d);
        return d;
    };
    m_problemsDock = dock(tr("Problems"), QStringLiteral("problemsDock"), m_problemsView,
                          Qt::BottomDockWidgetArea);
    QDockWidget *project =
        dock(tr("Project"), QStringLiteral("projectDock"), m_tree, Qt::LeftDockWidgetArea);
    QDockWidget *pipeline =
        dock(tr("Pipeline"), QStringLiteral("pipelineDock"), m_graph, Qt::RightDockWidgetArea);
    m_configView = new ConfigView(m_lint, this);
    tabifyDockWidget(pipeline, dock(tr("Full configuration"), QStringLiteral("configDock"),
                                    m_configView, Qt::RightDockWidgetArea));
    pipeline->raise();
    resizeDocks({m_problemsDock}, {180}, Qt::Vertical);
    resizeDocks({project, pipeline}, {220, 560}, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Folder…"), QKeySequence::Open, this, &MainWindow::openFolderDialog);
    m_recentMenu = new RecentMenu(tr("Open &Recent"), file);
    file->addMenu(m_recentMenu);
    connect(m_recentMenu, &RecentMenu::projectChosen, this, [this](const QString &folder) {
        if (maybeSave())
            openProject(folder);
    });
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save);
    file->addAction(tr("Save A&ll"), QKeySequence(tr("Ctrl+Shift+S")), this, &MainWindow::saveAll);
    file->addAction(tr("&Close Tab"), QKeySequence::Close, this,
                    [this] { m_tabs->closeTabAsking(m_tabs->currentIndex()); });
    file->addSeparator();
    file->addAction(tr("Se&ttings…"), QKeySequence::Preferences, this, &MainWindow::openSettings);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    m_find->addActionsTo(edit);
    edit->addSeparator();
    edit->addAction(tr("&Complete"), QKeySequence(tr("Ctrl+Space")), this, [this] {
        if (CodeEditor *e = editor())
            e->showCompletions();
    });
    edit->addAction(tr("Go to &Definition"), QKeySequence(Qt::Key_F12), this, [this] {
        if (CodeEditor *e = editor()) {
            int line = 0;
            int column = 0;
            e->cursorCharPosition(&line, &column);
            goToDefinition(currentFile(), line, column);
        }
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *d : findChildren<QDockWidget *>())
        view->addAction(d->toggleViewAction());
}

bool MainWindow::openProject(const QString &folder)
{
    const QDir dir(folder);
    if (!dir.exists() || !dir.isReadable())
        return false;
    m_projectRoot = dir.absolutePath();
    m_config.reset();
    m_includesOpened = false;
    m_notice->hide();
    m_tabs->setProjectRoot(m_projectRoot);
    m_lint->setProject(m_projectRoot, mainFileName);
    m_lint->setDockerfiles({});
    m_plan->setProjectRoot(m_projectRoot);
    m_problems->setDiagnostics({});
    m_tree->setRoot(m_projectRoot);
    if (!m_tabs->open(mainFileName, true))
        return false;
    for (const QString &dockerfile : ProjectTree::dockerfiles(m_projectRoot))
        m_tabs->open(dockerfile);
    m_tabs->setCurrentIndex(0);
    m_statusIcon->clear();
    m_statusLabel->setText(tr("Validating GitLab CI configuration…"));
    Settings::addRecentProject(m_projectRoot);
    m_recentMenu->refresh();
    updateTitle();
    m_git->refresh(m_projectRoot);
    m_lint->lintNow();
    m_recovery->projectOpened(m_projectRoot);
    return true;
}

QString MainWindow::currentFile() const
{
    return m_tabs->currentPath();
}

CodeEditor *MainWindow::editor() const
{
    return m_tabs->currentEditor();
}

bool MainWindow::save()
{
    const QString path = currentFile();
    if (path.isEmpty())
        return false;
    QString error;
    if (!m_tabs->save(path, &error)) {
        // Not a modal box: a failed autosave-like save must never block the window.
        statusBar()->showMessage(tr("Could not save %1: %2").arg(path, error));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path), 3000);
    m_git->refresh(m_projectRoot);
    if (m_tabs->modifiedPaths().isEmpty())
        m_recovery->clear();
    return true;
}

bool MainWindow::saveAll()
{
    QString error;
    if (!m_tabs->saveAll(&error)) {
        statusBar()->showMessage(error);
        return false;
    }
    m_recovery->clear();
    m_git->refresh(m_projectRoot);
    return true;
}

bool MainWindow::openLocation(const QString &file, int line, int column)
{
    if (m_projectRoot.isEmpty() || file.isEmpty())
        return false;
    const QString path =
        QDir::isAbsolutePath(file) ? QDir(m_projectRoot).relativeFilePath(file) : file;
    CodeEditor *e = m_tabs->open(path);
    if (!e)
        return false;
    if (line > 0)
        e->goTo(line, qMax(1, column));
    return true;
}

bool MainWindow::goToDefinition(const QString &file, int line, int column)
{
    CodeEditor *e = m_tabs->editor(file);
    if (!e)
        return false;
    const auto target = definitionAt(file, e->text(), line, column, m_config.get());
    if (!target) {
        statusBar()->showMessage(tr("No definition found here."), 3000);
        return false;
    }
    return openLocation(target->file, target->line, target->column);
}

void MainWindow::applySettings(const Settings &settings)
{
    m_settings = settings;
    static const QPalette desktop = QApplication::palette();
    QApplication::setPalette(Theme::applicationPalette(settings.theme, desktop));
    m_tabs->setThemeKind(settings.theme);
    m_tabs->applyTheme(Theme::make(settings.theme, desktop), settings.font);
    m_configView->applyTheme(Theme::make(settings.theme, desktop), settings.font);
    m_lint->setDelay(settings.validationDelayMs);
    m_lint->setIncludeCacheDir(settings.includeCacheDir);
    m_recovery->setInterval(settings.autosaveSeconds);
    m_lint->setShellCheck(settings.shellcheck);
}

void MainWindow::openSettings()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Settings s = dialog.settings();
    s.save();
    applySettings(s);
    m_lint->schedule();
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
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    // A clean exit: nothing to recover next time.
    m_recovery->clear();
    event->accept();
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
    return m_tabs->askToSaveAll();
}

void MainWindow::configResolved(std::shared_ptr<const ci::ResolvedConfig> config)
{
    m_config = config;
    QStringList jobs;
    for (const ci::Job &job : config->jobs)
        jobs.append(job.name);
    m_tabs->setCompletionSymbols(jobs, config->stages);
    if (!m_includesOpened) {
        // The included local files get their own tabs once, behind the main file.
        m_includesOpened = true;
        const QString current = currentFile();
        for (const QString &f : config->files) {
            if (!QDir::isAbsolutePath(f) && f != mainFileName &&
                QFileInfo::exists(m_tabs->absolutePath(f)))
                m_tabs->open(f);
        }
        if (CodeEditor *e = m_tabs->editor(current))
            m_tabs->setCurrentWidget(e);
    }
    m_plan->setConfig(std::move(config));
}

void MainWindow::applyDiagnostics(const diag::Diagnostics &diagnostics)
{
    m_problems->setDiagnostics(diagnostics);
    m_tabs->setDiagnostics(diagnostics);
    diag::Diagnostics ci; // the status line speaks about the CI configuration only
    for (const diag::Diagnostic &d : diagnostics) {
        if (EditorTabs::languageFor(d.file) != HighlightLexer::Language::Dockerfile)
            ci.append(d);
    }
    const int iconSize = m_statusLabel->fontMetrics().height();
    m_statusIcon->setPixmap(ProblemsModel::severityIcon(diag::hasErrors(ci) ? diag::Severity::Error
                                                                            : diag::Severity::Info)
                                .pixmap(iconSize, iconSize));
    m_statusLabel->setText(statusTextFor(ci));
    m_problemsDock->setWindowTitle(
        diagnostics.isEmpty() ? tr("Problems") : tr("Problems (%1)").arg(diagnostics.size()));
    emit diagnosticsApplied();
}

void MainWindow::activateProblem(const QModelIndex &index)
{
    const diag::Diagnostic *d = m_problems->diagnostic(index);
    if (d)
        openLocation(d->file, d->range.start.line, d->range.start.column);
}

void MainWindow::updateTitle()
{
    if (m_projectRoot.isEmpty()) {
        setWindowTitle(tr("Stagecraft"));
        return;
    }
    setWindowTitle(
        tr("%1 — %2 [*] — Stagecraft").arg(currentFile(), QDir(m_projectRoot).dirName()));
    setWindowModified(!m_tabs->modifiedPaths().isEmpty());
}

} // namespace stagecraft::gui
