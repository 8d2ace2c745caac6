#include "mainwindow.h"

#include "codeeditor.h"
#include "configview.h"
#include "editortabs.h"
#include "findbar.h"
#include "gitstatus.h"
#include "graphpanel.h"
#include "jobspanel.h"
#include "jobstatuslook.h"
#include "lintcontroller.h"
#include "logview.h"
#include "navigator.h"
#include "noticebar.h"
#include "plancontroller.h"
#include "problemsmodel.h"
#include "problemsview.h"
#include "projecttree.h"
#include "recentmenu.h"
#include "recoverycontroller.h"
#include "runcontroller.h"
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
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
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
    , m_runs(new RunController(this))
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
    m_graph->setCardMenuProvider(
        [this](QMenu *menu, const QString &job) { fillCardMenu(menu, job); });

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

    // Runs: the jobs list beside the problems, the job logs to their right.
    m_jobs = new JobsPanel(m_runs, this);
    m_jobsDock = dock(tr("Jobs"), QStringLiteral("jobsDock"), m_jobs, Qt::BottomDockWidgetArea);
    m_logTabs = new QTabWidget(this);
    m_logTabs->setObjectName(QStringLiteral("logTabs"));
    m_logTabs->setTabsClosable(true);
    m_logTabs->setDocumentMode(true);
    connect(m_logTabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *w = m_logTabs->widget(index);
        m_logTabs->removeTab(index);
        delete w;
    });
    m_logsDock =
        dock(tr("Job Logs"), QStringLiteral("logsDock"), m_logTabs, Qt::BottomDockWidgetArea);
    // Split before tabifying: a dock split off a tabbed one would become one more tab.
    splitDockWidget(m_problemsDock, m_logsDock, Qt::Horizontal);
    tabifyDockWidget(m_problemsDock, m_jobsDock);
    m_problemsDock->raise();
    m_logsDock->hide(); // until a log is opened
    connect(m_jobs, &JobsPanel::logRequested, this, &MainWindow::openJobLog);
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

    createRunActions();

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
    // A run still going is auto-canceled (or runs on) when a new one starts.
    m_runPipeline->setEnabled(true);
    m_runJobMenu->setEnabled(true);
    m_runJobNeedsMenu->setEnabled(true);
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

void MainWindow::createRunActions()
{
    QMenu *run = menuBar()->addMenu(tr("&Run"));
    m_runPipeline =
        run->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run &Pipeline"),
                       QKeySequence(tr("Ctrl+Shift+R")), this, &MainWindow::runPipeline);
    m_runPipeline->setObjectName(QStringLiteral("runPipeline"));
    m_runPipeline->setToolTip(tr("Run the pipeline of the project as it is on disk"));
    m_runJobMenu = run->addMenu(tr("Run &Job"));
    m_runJobMenu->setObjectName(QStringLiteral("runJobMenu"));
    m_runJobNeedsMenu = run->addMenu(tr("Run Job with Its &Needs"));
    m_runJobNeedsMenu->setObjectName(QStringLiteral("runJobNeedsMenu"));
    connect(m_runJobMenu, &QMenu::aboutToShow, this,
            [this] { fillRunJobMenu(m_runJobMenu, false); });
    connect(m_runJobNeedsMenu, &QMenu::aboutToShow, this,
            [this] { fillRunJobMenu(m_runJobNeedsMenu, true); });
    run->addSeparator();
    m_cancelPipeline =
        run->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Cancel Pipeline"), m_runs,
                       &RunController::cancelPipeline);
    m_cancelPipeline->setObjectName(QStringLiteral("cancelPipeline"));

    QToolBar *bar = addToolBar(tr("Run"));
    bar->setObjectName(QStringLiteral("runToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_runPipeline);
    for (QMenu *menu : {m_runJobMenu, m_runJobNeedsMenu}) {
        auto *button = new QToolButton(bar);
        button->setText(menu->title().remove(u'&'));
        button->setMenu(menu);
        button->setPopupMode(QToolButton::InstantPopup);
        bar->addWidget(button);
    }
    bar->addAction(m_cancelPipeline);

    auto updateActions = [this] {
        // Starting while a run goes on is GitLab's newer pipeline: the running one is
        // auto-canceled when it is redundant (RunController).
        const bool running = m_runs->isRunning();
        m_runPipeline->setEnabled(!m_projectRoot.isEmpty());
        m_runJobMenu->setEnabled(!m_projectRoot.isEmpty());
        m_runJobNeedsMenu->setEnabled(!m_projectRoot.isEmpty());
        m_cancelPipeline->setEnabled(running);
    };
    connect(m_runs, &RunController::runStarting, this, [this, updateActions] {
        updateActions();
        m_graph->clearJobStatuses();
        // Job ids start again with a new run: the old logs go.
        while (m_logTabs->count() > 0) {
            QWidget *w = m_logTabs->widget(0);
            m_logTabs->removeTab(0);
            delete w;
        }
        m_jobsDock->raise();
    });
    connect(m_runs, &RunController::started, this, [this] {
        statusBar()->showMessage(tr("Pipeline %1 started").arg(m_runs->pipelineId()), 5000);
    });
    connect(m_runs, &RunController::previousRun, this,
            [this](const QString &previous, PreviousRun outcome) {
                const QString id = m_runs->pipelineId();
                QString text;
                switch (outcome) {
                case PreviousRun::AutoCanceled:
                    text = tr("Pipeline %1 started; pipeline %2 on the same ref was "
                              "auto-canceled as redundant")
                               .arg(id, previous);
                    break;
                case PreviousRun::NotInterruptible:
                    text = tr("Pipeline %1 started; pipeline %2 runs on in the background: a "
                              "job that is not interruptible has started")
                               .arg(id, previous);
                    break;
                case PreviousRun::OtherRef:
                    text = tr("Pipeline %1 started; pipeline %2 of another ref runs on in the "
                              "background")
                               .arg(id, previous);
                    break;
                }
                statusBar()->showMessage(text, 15000);
            });
    connect(m_runs, &RunController::startFailed, this, [this, updateActions](const QString &e) {
        updateActions();
        statusBar()->showMessage(tr("The pipeline could not start: %1").arg(e));
    });
    connect(m_runs, &RunController::statusChanged, this, updateActions);
    connect(m_runs, &RunController::finished, this,
            [this, updateActions](exec::PipelineStatus status) {
                updateActions();
                statusBar()->showMessage(
                    tr("Pipeline %1: %2").arg(m_runs->pipelineId(), JobStatusLook::text(status)));
            });
    connect(m_runs, &RunController::jobAdded, this, &MainWindow::runJobChanged);
    connect(m_runs, &RunController::jobChanged, this, &MainWindow::runJobChanged);
    updateActions();
}

RunRequest MainWindow::runRequest() const
{
    RunRequest r = runRequestFrom(m_settings);
    r.projectRoot = m_projectRoot;
    r.mainFile = mainFileName;
    r.ref = m_plan->ref();
    r.dataDir = m_runDataDir;
    return r;
}

bool MainWindow::startRun(const RunRequest &request)
{
    if (m_projectRoot.isEmpty())
        return false;
    // The engine copies the files on disk: unsaved edits would not be what runs.
    if (!m_tabs->askToSaveAll())
        return false;
    if (!m_runs->start(request))
        return false;
    return true;
}

bool MainWindow::runPipeline()
{
    return startRun(runRequest());
}

bool MainWindow::runJob(const QString &job, bool withNeeds)
{
    RunRequest r = runRequest();
    r.jobs = QStringList{job};
    r.withNeeds = withNeeds;
    return startRun(r);
}

void MainWindow::fillRunJobMenu(QMenu *menu, bool withNeeds)
{
    menu->clear();
    const PlanResult *result = m_plan->result();
    if (!result || result->plan.jobs.isEmpty()) {
        menu->addAction(tr("No planned jobs"))->setEnabled(false);
        return;
    }
    for (const pipeline::PlannedJob &job : result->plan.jobs) {
        menu->addAction(job.name, this,
                        [this, name = job.name, withNeeds] { runJob(name, withNeeds); });
    }
}

void MainWindow::fillCardMenu(QMenu *menu, const QString &job)
{
    const bool canRun = !m_projectRoot.isEmpty(); // a running pipeline is auto-canceled
    menu->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run Job"), this,
                    [this, job] { runJob(job, false); })
        ->setEnabled(canRun);
    menu->addAction(tr("Run Job with Its Needs"), this, [this, job] { runJob(job, true); })
        ->setEnabled(canRun);
    const exec::JobRecord *record = m_runs->job(job);
    if (!record)
        return;
    const int id = record->id;
    const exec::JobStatus s = record->status;
    menu->addSeparator();
    menu->addAction(tr("Show Log"), this, [this, id] { openJobLog(id); })
        ->setEnabled(record->log != nullptr);
    if (s == exec::JobStatus::Manual || s == exec::JobStatus::Scheduled)
        menu->addAction(tr("Play"), this, [this, id] { m_runs->play(id); });
    if (s == exec::JobStatus::Success || s == exec::JobStatus::Failed ||
        s == exec::JobStatus::Canceled)
        menu->addAction(tr("Retry"), this, [this, id] { m_runs->retry(id); });
    if (!exec::isFinished(s) && s != exec::JobStatus::Manual)
        menu->addAction(tr("Cancel"), this, [this, id] { m_runs->cancel(id); });
}

void MainWindow::runJobChanged(int jobId)
{
    const exec::JobRecord *record = m_runs->job(jobId);
    if (!record)
        return;
    if (record->parentId == 0)
        m_graph->setJobStatus(record->name, record->status, record->allowedToFail);
    for (int i = 0; i < m_logTabs->count(); ++i) {
        auto *view = qobject_cast<LogView *>(m_logTabs->widget(i));
        if (view && view->property("jobId").toInt() == jobId && record->log &&
            view->store() != record->log)
            view->setStore(record->log); // a retry writes a new log
    }
}

LogView *MainWindow::openJobLog(int jobId)
{
    const exec::JobRecord *record = m_runs->job(jobId);
    if (!record)
        return nullptr;
    if (m_logsDock->isHidden()) {
        m_logsDock->show();
        // Room for a log: a third of the window's height, beside the jobs list.
        resizeDocks({m_logsDock}, {std::max(260, height() / 3)}, Qt::Vertical);
        resizeDocks({m_jobsDock, m_logsDock}, {width() * 2 / 5, width() * 3 / 5}, Qt::Horizontal);
    }
    m_logsDock->raise();
    for (int i = 0; i < m_logTabs->count(); ++i) {
        auto *view = qobject_cast<LogView *>(m_logTabs->widget(i));
        if (view && view->property("jobId").toInt() == jobId) {
            m_logTabs->setCurrentIndex(i);
            return view;
        }
    }
    if (!record->log) {
        statusBar()->showMessage(tr("%1 has no log yet.").arg(record->name), 3000);
        return nullptr;
    }
    auto *view = new LogView(m_logTabs);
    view->setFont(m_settings.font);
    view->setProperty("jobId", jobId);
    view->setStore(record->log);
    const int index = m_logTabs->addTab(view, tr("%1 #%2").arg(record->name).arg(jobId));
    m_logTabs->setTabToolTip(index, record->log->path());
    m_logTabs->setCurrentIndex(index);
    return view;
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
