// GUI benchmarks of the desktop IDE (issue "The desktop IDE", Checked-by: open a 10,000-line
// file; keystroke to updated squiggles and graph on the largest corpus project; start to first
// paint. Aims: under 300 ms, under 250 ms, under 500 ms). Start to first paint is whole-process
// and measured by bench/gui/run.sh; this program measures the first two in-process, offscreen.
//
//   bench_gui [--reps N] [--project DIR] [--log-only] [--log-lines N] [--wrap|--no-wrap]
//             [--long-lines]
//             [--keystroke-only] (only the keystroke and script-edit benchmarks)
//             [--no-shellcheck]  (with Settings > ShellCheck off, for comparison)
//   (--wrap/--no-wrap: the log view wraps lines or not; --long-lines: every eighth line of the
//   log is a 400-character compiler command line, which wraps to several rows)
//   bench_gui --write-config DIR     (writes the generated 10,000-line .gitlab-ci.yml and quits)
//
// Times come from QElapsedTimer; every wait is an event loop waiting for a signal (no sleeps).

#include "ci/linter.h"
#include "codeeditor.h"
#include "graphpanel.h"
#include "lintcontroller.h"
#include "logview.h"
#include "mainwindow.h"
#include "settings.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsView>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

using stagecraft::gui::CodeEditor;
using stagecraft::gui::GraphPanel;
using stagecraft::gui::LintController;
using stagecraft::gui::MainWindow;

namespace {

/// Emits painted() once the first paint pass of a widget has ended (a zero timer started from
/// the paint event runs after the pass).
class PaintWatch final : public QObject
{
    Q_OBJECT

public:
    explicit PaintWatch(QWidget *widget) { widget->installEventFilter(this); }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (!m_seen && event->type() == QEvent::Paint) {
            m_seen = true;
            QTimer::singleShot(0, this, [this] {
                m_done = true;
                emit painted();
            });
        }
        return QObject::eventFilter(watched, event);
    }
    bool done() const { return m_done; }

signals:
    void painted();

private:
    bool m_seen = false;
    bool m_done = false;
};

struct Stats
{
    double min = 0;
    double median = 0;
};

Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return {v.front(), median};
}

double ms(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

void report(const char *name, const std::vector<double> &samples, double aimMs)
{
    const Stats s = stats(samples);
    std::printf("%-52s %4zu %9.1f %9.1f  %s\n", name, samples.size(), s.min, s.median,
                aimMs <= 0         ? "(no aim)"
                : s.median < aimMs ? qPrintable(QStringLiteral("aim < %1 ms: met").arg(aimMs))
                                   : qPrintable(QStringLiteral("aim < %1 ms: MISSED").arg(aimMs)));
    std::fflush(stdout);
}

/// A realistic 10,000-line configuration: ~700 jobs over five stages with images, variables,
/// scripts, artifacts, rules and needs.
bool writeLargeConfig(const QString &folder, int *lines)
{
    QByteArray out;
    int n = 0;
    auto line = [&out, &n](const QByteArray &l) {
        out += l;
        out += '\n';
        ++n;
    };
    line("stages: [prepare, build, test, package, deploy]");
    line("");
    line("variables:");
    line("  GIT_DEPTH: \"20\"");
    line("  DOCKER_DRIVER: overlay2");
    line("");
    line(".defaults:");
    line("  image: registry.example.com/tools/builder:2.4");
    line("  tags: [docker]");
    line("  retry: 1");
    line("");
    const char *stages[] = {"prepare", "build", "test", "package", "deploy"};
    for (int job = 0; n < 10000; ++job) {
        const QByteArray id = QByteArray::number(job);
        const char *stage = stages[job % 5];
        line("job-" + id + ":");
        line("  extends: .defaults");
        line(QByteArray("  stage: ") + stage);
        line("  image: registry.example.com/group/image-" + QByteArray::number(job % 17) + ":1." +
             id);
        line("  variables:");
        line("    SHARD: \"" + id + "\"");
        line("  script:");
        line("    - echo \"building shard $SHARD on $CI_COMMIT_REF_NAME\"");
        line("    - make -j4 target-" + id);
        line("  artifacts:");
        line("    paths: [out/" + id + "/]");
        line("    expire_in: 1 week");
        line("  rules:");
        line("    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        if (job >= 5)
            line("  needs: [job-" + QByteArray::number(job - 5 - (job % 5)) + "]");
        line("");
    }
    QFile f(QDir(folder).filePath(QStringLiteral(".gitlab-ci.yml")));
    if (!f.open(QIODevice::WriteOnly) || f.write(out) != out.size())
        return false;
    *lines = n;
    return true;
}

bool waitFor(QSignalSpy &spy, int count, int timeoutMs = 60000)
{
    QElapsedTimer t;
    t.start();
    while (spy.count() < count) {
        if (t.elapsed() > timeoutMs || !spy.wait(int(timeoutMs - t.elapsed())))
            return spy.count() >= count;
    }
    return true;
}

/// Waits until the window stays quiet (no lint result, no redraw) for `quietMs`.
void settle(MainWindow &w, int quietMs = 1500)
{
    QSignalSpy diag(&w, &MainWindow::diagnosticsApplied);
    QSignalSpy graph(w.graphPanel(), &GraphPanel::redrawn);
    for (;;) {
        const qsizetype before = diag.count() + graph.count();
        diag.wait(quietMs);
        if (diag.count() + graph.count() == before && !w.lintController()->isRunning() &&
            !w.lintController()->isCheckingScripts())
            return;
    }
}

/// 1. Open a 10,000-line file until the editor shows it and its viewport has painted.
bool benchOpen(int reps)
{
    QTemporaryDir dir;
    int lines = 0;
    if (!dir.isValid() || !writeLargeConfig(dir.path(), &lines)) {
        std::fprintf(stderr, "bench_gui: cannot write the generated project\n");
        return false;
    }
    std::vector<double> samples;
    for (int i = 0; i < reps; ++i) {
        MainWindow w;
        w.show();
        if (!QTest::qWaitForWindowExposed(&w))
            return false;
        QElapsedTimer t;
        t.start();
        if (!w.openProject(dir.path()) || !w.editor())
            return false;
        CodeEditor *e = w.editor();
        PaintWatch watch(e->viewport());
        QSignalSpy painted(&watch, &PaintWatch::painted);
        if (!waitFor(painted, 1, 10000)) {
            std::fprintf(stderr, "bench_gui: the editor never painted\n");
            return false;
        }
        samples.push_back(ms(t));
        if (e->lines() < lines) {
            std::fprintf(stderr, "bench_gui: the editor shows %d lines, expected %d\n", e->lines(),
                         lines);
            return false;
        }
        // The first lint runs meanwhile; let it end so that it does not weigh on the next run.
        settle(w);
    }
    report(qPrintable(QStringLiteral("open %1-line file to first paint").arg(lines)), samples, 300);
    return true;
}

/// 2b. An edit that adds a job with a new script (`echo $BENCH_n`, SC2086) to the main file:
/// the GitLab result (first diagnosticsApplied) and the ShellCheck findings of that one script
/// (LintController::scriptsChecked). Debounce 0.
bool benchScriptEdit(MainWindow &w, int reps)
{
    LintController *lint = w.lintController();
    if (!lint->shellCheck() || !lint->scriptChecker().isAvailable()) {
        std::printf("SKIP script edit: ShellCheck is not installed\n");
        return true;
    }
    lint->setDelay(0);
    CodeEditor *e = w.editor();
    const QString original = e->text();
    const int checkedBefore = lint->scriptChecker().scriptsChecked();
    std::vector<double> gitlab;
    std::vector<double> shell;
    for (int i = 0; i < reps; ++i) {
        double diagAt = -1;
        QElapsedTimer t;
        QMetaObject::Connection c = QObject::connect(&w, &MainWindow::diagnosticsApplied, &w, [&] {
            if (diagAt < 0)
                diagAt = ms(t);
        });
        QSignalSpy checked(lint, &LintController::scriptsChecked);
        const int line = e->lines() + 2; // 1-based line of the script
        t.start();
        e->append(QStringLiteral("\nbench_script_job:\n  script: echo $BENCH_%1\n").arg(i));
        const bool ok = waitFor(checked, 1);
        const double shellAt = ms(t);
        QObject::disconnect(c);
        bool marked = false;
        for (const auto &d : e->diagnostics())
            marked = marked || (d.code == u"SC2086" && d.range.start.line == line);
        if (!ok || !marked) {
            std::fprintf(stderr, "bench_gui: no SC2086 on line %d after the script edit\n", line);
            return false;
        }
        gitlab.push_back(diagAt);
        shell.push_back(shellAt);
        e->setText(original);
        settle(w, 400);
    }
    lint->setDelay(LintController::defaultDelayMs);
    std::printf("script edit: %d scripts went through ShellCheck in %d edits\n",
                lint->scriptChecker().scriptsChecked() - checkedBefore, reps);
    // What the first stage does in addition, timed alone (the figures above move by tens of ms
    // with the machine's load): finding the job scripts and their cached findings, against
    // ci::lint itself.
    stagecraft::ci::ResolveOptions options;
    options.projectRoot = w.projectRoot();
    options.mainFile = QStringLiteral(".gitlab-ci.yml");
    std::vector<double> linted;
    std::vector<double> prepared;
    for (int i = 0; i < reps; ++i) {
        QElapsedTimer t;
        t.start();
        const stagecraft::ci::LintResult result = stagecraft::ci::lint(options);
        linted.push_back(ms(t));
        const stagecraft::ci::FileTextProvider fileText = [&options](const QString &file) {
            QFile f(QDir(options.projectRoot).filePath(file));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        t.start();
        const auto p = lint->scriptChecker().prepare(result.config, fileText);
        prepared.push_back(ms(t));
        if (!p.pending.isEmpty()) {
            std::fprintf(stderr, "bench_gui: %lld scripts not cached\n",
                         static_cast<long long>(p.pending.size()));
            return false;
        }
    }
    report("  ci::lint alone (first stage, for comparison)", linted, 0);
    report("  + job scripts and their cached findings", prepared, 0);
    report("script edit to GitLab result, debounce 0 ms", gitlab, 250);
    report("script edit to its ShellCheck findings, debounce 0", shell, 0);
    return true;
}

/// 2. Keystroke to updated squiggles (diagnostics applied to the editor) and redrawn graph.
bool benchKeystroke(const QString &project, int reps, bool shellcheck)
{
    MainWindow w;
    if (!shellcheck) {
        // The comparison: the same binary with Settings > ShellCheck off.
        stagecraft::gui::Settings settings = stagecraft::gui::Settings::load();
        settings.shellcheck = false;
        w.applySettings(settings);
    }
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    QSignalSpy firstDiag(&w, &MainWindow::diagnosticsApplied);
    QSignalSpy firstGraph(w.graphPanel(), &GraphPanel::redrawn);
    LintController *lint = w.lintController();
    QSignalSpy firstScripts(lint, &LintController::scriptsChecked);
    QElapsedTimer opened;
    opened.start();
    if (!w.openProject(project) || !waitFor(firstDiag, 1) || !waitFor(firstGraph, 1)) {
        std::fprintf(stderr, "bench_gui: no first lint/graph for %s\n", qPrintable(project));
        return false;
    }
    const double firstResult = ms(opened);
    // ShellCheck on every job script of the project, nothing cached yet: the second stage.
    if (lint->shellCheck() && lint->scriptChecker().isAvailable()) {
        if (!waitFor(firstScripts, 1, 120000)) {
            std::fprintf(stderr, "bench_gui: no ShellCheck result after opening\n");
            return false;
        }
        std::printf("open to GitLab result %.1f ms, to ShellCheck findings of all %d job "
                    "scripts %.1f ms (cold cache, 1 run)\n",
                    firstResult, lint->scriptChecker().scriptsChecked(), ms(opened));
    }
    settle(w);
    if (!w.openLocation(QStringLiteral(".gitlab-ci.yml"), 1, 1))
        return false;
    CodeEditor *e = w.editor();
    auto *graphView = w.graphPanel()->findChild<QGraphicsView *>();
    if (!graphView || !graphView->isVisible()) {
        std::fprintf(stderr, "bench_gui: the pipeline graph is not visible\n");
        return false;
    }
    // The key `variables:` of the main file: typing `x` in front of it makes a job `xvariables`
    // without script (an error on that line); Backspace fixes it again.
    int keyLine = -1;
    for (int l = 0; l < e->lines(); ++l) {
        if (e->text(l).startsWith(u"variables:")) {
            keyLine = l;
            break;
        }
    }
    if (keyLine < 0) {
        std::fprintf(stderr, "bench_gui: no top-level variables: in %s\n", qPrintable(project));
        return false;
    }
    const int lines = e->lines();
    std::printf("keystroke project: %s (main file %d lines, %lld tabs)\n", qPrintable(project),
                lines, static_cast<long long>(w.findChildren<CodeEditor *>().size()));

    const int defaultDelay = w.lintController()->delay();
    for (const int delay : {0, defaultDelay}) {
        w.lintController()->setDelay(delay);
        std::vector<double> typed;
        std::vector<double> fixed;
        std::vector<double> typedPainted;
        std::vector<double> fixedPainted;
        for (int i = 0; i < 2 * reps; ++i) {
            const bool insert = i % 2 == 0;
            e->setFocus();
            e->setCursorPosition(keyLine, insert ? 0 : 1);
            double diagAt = -1;
            double graphAt = -1;
            double paintAt = -1;
            QElapsedTimer t;
            // After the redraw, the end of the graph view's next paint pass: what the user sees.
            std::unique_ptr<PaintWatch> graphPaint;
            QMetaObject::Connection c1 =
                QObject::connect(&w, &MainWindow::diagnosticsApplied, &w, [&] { diagAt = ms(t); });
            QMetaObject::Connection c2 =
                QObject::connect(w.graphPanel(), &GraphPanel::redrawn, &w, [&] {
                    graphAt = ms(t);
                    graphPaint = std::make_unique<PaintWatch>(graphView->viewport());
                    QObject::connect(graphPaint.get(), &PaintWatch::painted, &w,
                                     [&] { paintAt = ms(t); });
                });
            QSignalSpy diag(&w, &MainWindow::diagnosticsApplied);
            QSignalSpy graph(w.graphPanel(), &GraphPanel::redrawn);
            t.start();
            QTest::keyClick(e, insert ? Qt::Key_X : Qt::Key_Backspace);
            bool ok = waitFor(diag, 1) && waitFor(graph, 1);
            QObject::disconnect(c1);
            QObject::disconnect(c2);
            if (ok && !graphPaint->done()) {
                QSignalSpy painted(graphPaint.get(), &PaintWatch::painted);
                ok = waitFor(painted, 1, 10000);
            }
            if (!ok) {
                std::fprintf(stderr, "bench_gui: no lint result or graph after the keystroke\n");
                return false;
            }
            // The squiggle must really be there (or gone) on the edited line.
            bool marked = false;
            for (const auto &d : e->diagnostics()) {
                if (d.isError() && d.range.start.line == keyLine + 1)
                    marked = true;
            }
            if (marked != insert) {
                std::fprintf(stderr, "bench_gui: %s: expected %s error on line %d\n",
                             qPrintable(e->text(keyLine).trimmed()), insert ? "an" : "no",
                             keyLine + 1);
                return false;
            }
            (insert ? typed : fixed).push_back(std::max(diagAt, graphAt));
            (insert ? typedPainted : fixedPainted).push_back(std::max(diagAt, paintAt));
            settle(w, 400);
        }
        const QString suffix = QStringLiteral(", debounce %1 ms").arg(delay);
        // The aim is the reaction after the debounce: it applies to the delay-0 figures.
        report(qPrintable(QStringLiteral("keystroke (error) to squiggles+graph") + suffix), typed,
               delay == 0 ? 250 : 0);
        report(qPrintable(QStringLiteral("keystroke (fix) to squiggles+graph") + suffix), fixed,
               delay == 0 ? 250 : 0);
        report(qPrintable(QStringLiteral("  (error) until the graph has painted") + suffix),
               typedPainted, 0);
        report(qPrintable(QStringLiteral("  (fix) until the graph has painted") + suffix),
               fixedPainted, 0);
    }
    return benchScriptEdit(w, reps);
}

/// 3. The job log view while a job writes 1,000,000 lines (coloured, with sections and `\r`
/// progress lines) from another thread at full speed: the longest stall of the GUI event loop
/// (a 1 ms timer's longest gap) and the rate at which the view takes the lines in (indexed,
/// scrolled to the tail, painted).
bool benchLogView(qint64 count, bool wrap, bool longLines)
{
    QTemporaryDir dir;
    auto store = stagecraft::exec::LogStore::create(dir.filePath(QStringLiteral("job.log")));
    if (!store)
        return false;
    std::vector<QByteArray> input;
    input.reserve(size_t(count));
    for (qint64 i = 0; i < count; ++i) {
        switch (i % 8) {
        case 0:
            input.push_back("\x1b[0Ksection_start:1700000000:step_" + QByteArray::number(i) +
                            "\r\x1b[0K\x1b[32;1mRunning step " + QByteArray::number(i) +
                            "\x1b[0;m\n");
            break;
        case 1:
            input.push_back("\x1b[0Ksection_end:1700000003:step_" + QByteArray::number(i - 1) +
                            "\r\x1b[0K\n");
            break;
        case 2:
            input.push_back("Downloading artifacts  42%\rDownloading artifacts 100%\n");
            break;
        case 3:
            input.push_back("\x1b[31;1mERROR: \x1b[0mtest_case_" + QByteArray::number(i) +
                            " failed: expected 3, got 4\n");
            break;
        case 4:
            if (longLines) {
                QByteArray l = "  g++ -std=c++20 -O2 -Wall -Wextra -Iinclude -Ibuild/generated";
                while (l.size() < 380)
                    l += " -Isrc/module_" + QByteArray::number(i % 977) + "/include";
                input.push_back(l + " -c src/file_" + QByteArray::number(i) + ".cpp\n");
                break;
            }
            [[fallthrough]];
        default:
            input.push_back("  compiling src/module_" + QByteArray::number(i % 977) +
                            "/file.cpp -o build/obj/file_" + QByteArray::number(i) + ".o\n");
        }
    }
    stagecraft::gui::LogView view;
    view.setWrapLines(wrap);
    view.resize(1100, 700);
    view.setStore(store);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return false;
    int paints = 0;
    PaintWatch firstPaint(view.viewport());
    struct Counter : QObject
    {
        int *n;
        explicit Counter(int *c)
            : n(c)
        {
        }
        bool eventFilter(QObject *o, QEvent *e) override
        {
            if (e->type() == QEvent::Paint)
                ++*n;
            return QObject::eventFilter(o, e);
        }
    } counter(&paints);
    view.viewport()->installEventFilter(&counter);

    double longest = 0;
    QElapsedTimer tick;
    QTimer probe;
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, &view, [&] {
        longest = std::max(longest, ms(tick));
        tick.restart();
    });
    std::atomic<double> writeMs{0};
    QElapsedTimer total;
    total.start();
    tick.start();
    probe.start();
    std::thread writer([&] {
        QElapsedTimer t;
        t.start();
        for (const QByteArray &l : input)
            store->append(l);
        store->finish();
        writeMs = ms(t);
    });
    QElapsedTimer limit;
    limit.start();
    while (view.indexedLines() < count && limit.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    const double takenIn = ms(total);
    // One more paint with the tail on screen.
    QTest::qWait(50);
    probe.stop();
    writer.join();
    const auto rows = view.screenRows();
    const bool atTail = !rows.empty() && rows.back().line == count - 1 &&
                        rows.back().wrapRow == view.wrappedRowCount(count - 1) - 1;
    std::printf("log view: lines wrapped: %s, long lines: %s\n", wrap ? "yes" : "no",
                longLines ? "yes" : "no");
    std::printf("log view: %lld lines appended by a job thread in %.0f ms (%.0f lines/s)\n",
                static_cast<long long>(count), writeMs.load(), double(count) / writeMs * 1000);
    std::printf("log view: all lines taken in after %.0f ms: %.0f lines/s, %d paints, "
                "following the tail: %s\n",
                takenIn, double(count) / takenIn * 1000, paints, atTail ? "yes" : "NO");
    std::printf("%-52s %4d %9.1f %9.1f  %s\n", "log view: longest event-loop stall", 1, longest,
                longest, longest < 50 ? "aim < 50 ms: met" : "aim < 50 ms: MISSED");
    // Search over the whole log in the worker: the time to all matches, and the GUI meanwhile.
    QSignalSpy searched(&view, &stagecraft::gui::LogView::searchFinished);
    longest = 0;
    tick.restart();
    probe.start();
    QElapsedTimer searchTime;
    searchTime.start();
    view.setSearchText(QStringLiteral("TEST_CASE_%1 failed").arg(count - 5));
    const bool found = searched.wait(60000);
    const double searchMs = ms(searchTime);
    probe.stop();
    std::printf("log view: search of %lld lines: %.0f ms (%zu match), longest stall meanwhile "
                "%.1f ms\n",
                static_cast<long long>(count), searchMs, view.matches().size(), longest);
    std::fflush(stdout);
    return view.indexedLines() == count && atTail && found;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Own settings, recent list and recovery store: never the user's.
    QTemporaryDir home;
    if (home.isValid()) {
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(QStringLiteral("config"))));
        qputenv("XDG_DATA_HOME", QFile::encodeName(home.filePath(QStringLiteral("data"))));
        qputenv("XDG_CACHE_HOME", QFile::encodeName(home.filePath(QStringLiteral("cache"))));
    }
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Stagecraft-bench"));
    QApplication::setOrganizationName(QStringLiteral("Stagecraft"));

    int reps = 10;
    bool logOnly = false;
    bool wrap = true;
    bool longLines = false;
    bool keystrokeOnly = false;
    bool shellcheck = true;
    qint64 logLines = 1000000;
    QString shared = qEnvironmentVariable("STAGECRAFT_SHARED");
    if (shared.isEmpty())
        shared = QStringLiteral(STAGECRAFT_SHARED_DIR);
    // The corpus project with the most YAML lines (the one bench_ci uses as well).
    QString project = shared + QStringLiteral("/corpus/gitlab-ci/gromacs__gromacs");
    const QStringList args = QApplication::arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == u"--log-only") {
            logOnly = true;
            continue;
        }
        if (args.at(i) == u"--wrap" || args.at(i) == u"--no-wrap") {
            wrap = args.at(i) == u"--wrap";
            continue;
        }
        if (args.at(i) == u"--long-lines") {
            longLines = true;
            continue;
        }
        if (args.at(i) == u"--keystroke-only") {
            keystrokeOnly = true;
            continue;
        }
        if (args.at(i) == u"--no-shellcheck") {
            shellcheck = false;
            continue;
        }
        if (i + 1 >= args.size())
            break;
        if (args.at(i) == u"--log-lines")
            logLines = std::max<qint64>(1, args.at(i + 1).toLongLong());
        else if (args.at(i) == u"--reps")
            reps = std::max(1, args.at(i + 1).toInt());
        else if (args.at(i) == u"--project")
            project = args.at(i + 1);
        else if (args.at(i) == u"--write-config") {
            // Writes the generated 10,000-line file into a folder (to lint or open it) and quits.
            int lines = 0;
            return writeLargeConfig(args.at(i + 1), &lines) ? 0 : 1;
        }
    }
#ifndef NDEBUG
    std::fprintf(stderr, "bench_gui: warning: assertions are on; use the release preset\n");
#endif
    std::printf("platform %s, %d repetitions\n", qPrintable(QApplication::platformName()), reps);
    std::printf("%-52s %4s %9s %9s\n", "benchmark", "runs", "min ms", "median ms");
    if (logOnly)
        return benchLogView(logLines, wrap, longLines) ? 0 : 1;
    if (!keystrokeOnly && !benchLogView(logLines, wrap, longLines))
        return 1;
    if (!keystrokeOnly && !benchOpen(reps))
        return 1;
    if (!QFileInfo::exists(project + QStringLiteral("/.gitlab-ci.yml"))) {
        std::printf("SKIP keystroke: %s is absent\n", qPrintable(project));
        return 0;
    }
    return benchKeystroke(project, reps, shellcheck) ? 0 : 1;
}

#include "bench_gui.moc"
