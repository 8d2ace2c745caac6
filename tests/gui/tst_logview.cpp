// The job log view: ANSI parsing, GitLab's sections, search over a large log, follow the tail.
// With STAGECRAFT_SCREENSHOTS=DIR, screenshot() writes DIR/logview.png (docs/screenshots).

#include "logline.h"
#include "logview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBoundaryFinder>
#include <QWheelEvent>

#include <optional>
#include <thread>

using stagecraft::exec::LogStore;
using stagecraft::gui::LogLine;
using stagecraft::gui::LogLineLayout;
using stagecraft::gui::LogMetrics;
using stagecraft::gui::LogRun;
using stagecraft::gui::LogView;

namespace {

/// Runs as text: `start+length` then the style (`fg=#rrggbb`, `bg=`, `b`, `i`, `u`).
QString describe(const QList<LogRun> &runs)
{
    QStringList out;
    for (const LogRun &r : runs) {
        QStringList style;
        if (r.style.foreground.isValid())
            style << u"fg="_qs + r.style.foreground.name();
        if (r.style.background.isValid())
            style << u"bg="_qs + r.style.background.name();
        if (r.style.bold)
            style << u"b"_qs;
        if (r.style.italic)
            style << u"i"_qs;
        if (r.style.underline)
            style << u"u"_qs;
        out << u"%1+%2:%3"_qs.arg(r.start).arg(r.length).arg(style.join(u','));
    }
    return out.join(u' ');
}

QByteArray sectionStart(qint64 ts, const QByteArray &name, const QByteArray &title,
                        const QByteArray &options = {})
{
    return "\x1b[0Ksection_start:" + QByteArray::number(ts) + ':' + name + options + "\r\x1b[0K" +
           title + '\n';
}

QByteArray sectionEnd(qint64 ts, const QByteArray &name)
{
    return "\x1b[0Ksection_end:" + QByteArray::number(ts) + ':' + name + "\r\x1b[0K\n";
}

/// A job log as GitLab Runner writes it (shell executor, a failing test).
QByteArray realisticLog()
{
    QByteArray log;
    log += "\x1b[0KRunning with gitlab-runner 16.6.0 (3046fee8)\x1b[0;m\n";
    log += "\x1b[0K  on stagecraft-local (shell), stagecraft 0.1\x1b[0;m\n";
    log += sectionStart(1700000000, "prepare_executor",
                        "\x1b[0K\x1b[36;1mPreparing the "
                        "\"shell\" executor\x1b[0;m");
    log += "\x1b[0KUsing Shell (bash) executor...\x1b[0;m\n";
    log += sectionEnd(1700000001, "prepare_executor");
    log += sectionStart(1700000001, "get_sources",
                        "\x1b[0K\x1b[36;1mGetting source from Git repository\x1b[0;m",
                        "[collapsed=true]");
    log += "\x1b[32;1mFetching changes with git depth set to 20...\x1b[0;m\n";
    log += "Initialized empty Git repository in /builds/group/project/.git/\n";
    log += "\x1b[32;1mChecking out 1f2e3d4c as detached HEAD (ref is main)...\x1b[0;m\n";
    log += sectionEnd(1700000004, "get_sources");
    log += sectionStart(1700000004, "step_script",
                        "\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job "
                        "script\x1b[0;m");
    log += "\x1b[32;1m$ npm ci\x1b[0;m\n";
    log += "Downloading packages  10%\rDownloading packages  55%\rDownloading packages 100%\n";
    log += "added 1312 packages, and audited 1313 packages in 14s\n";
    log += "\x1b[32;1m$ npm test -- --color\x1b[0;m\n";
    log += "\x1b[1m\x1b[42m PASS \x1b[49m\x1b[22m src/\x1b[1mparser.test.ts\x1b[22m (2.1 s)\n";
    log += "\x1b[1m\x1b[42m PASS \x1b[49m\x1b[22m src/\x1b[1mlayout.test.ts\x1b[22m\n";
    log += "\x1b[1m\x1b[41m FAIL \x1b[49m\x1b[22m src/\x1b[1mengine.test.ts\x1b[22m\n";
    log += "  \x1b[1m\x1b[31m● engine › runs jobs in stage order\x1b[39m\x1b[22m\n";
    log += "    expect(\x1b[31mreceived\x1b[39m).toEqual(\x1b[32mexpected\x1b[39m)\n";
    log += "    \x1b[32m- Expected  - 1\x1b[39m\n    \x1b[31m+ Received  + 1\x1b[39m\n";
    log += "\x1b[38;5;208mwarning:\x1b[0m 256-colour orange, \x1b[38;2;150;110;255mtruecolor "
           "violet\x1b[0m\n";
    log += "Tests:       \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m, \x1b[1m\x1b[32m41 "
           "passed\x1b[39m\x1b[22m, 42 total\n";
    log += sectionEnd(1700000037, "step_script");
    log += sectionStart(1700000037, "upload_artifacts_on_failure",
                        "\x1b[0K\x1b[36;1mUploading artifacts for failed job\x1b[0;m");
    log += "\x1b[32;1mUploading artifacts...\x1b[0;m\n";
    log += "junit.xml: found 1 matching artifact files and directories\x1b[0;m\n";
    log += sectionEnd(1700000038, "upload_artifacts_on_failure");
    log += sectionStart(1700000038, "cleanup_file_variables",
                        "\x1b[0K\x1b[36;1mCleaning up project directory and file based "
                        "variables\x1b[0;m");
    log += sectionEnd(1700000038, "cleanup_file_variables");
    log += "\x1b[31;1mERROR: Job failed: exit status 1\n\x1b[0;m\n";
    return log;
}

} // namespace

class TestLogView : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    std::shared_ptr<LogStore> newStore()
    {
        return LogStore::create(m_dir.filePath(QStringLiteral("job%1.log").arg(++m_n)));
    }
    static void waitIndexed(LogView &view, qint64 lines)
    {
        QTRY_COMPARE_WITH_TIMEOUT(view.indexedLines(), lines, 20000);
    }
    /// Shows `view` over `store` in the test font at `size`, wrapping lines or not.
    static void show(LogView &view, const std::shared_ptr<LogStore> &store, bool wrap, QSize size)
    {
        view.setFont(monoFont());
        view.setWrapLines(wrap);
        view.resize(size);
        view.setStore(store);
        view.show();
    }
    static QFont monoFont()
    {
        QFont f(u"DejaVu Sans Mono"_qs);
        f.setPointSize(10);
        return f;
    }
    /// The rows of a layout as text, `|` between them.
    static QString rowsText(const LogLineLayout &layout, const QString &text)
    {
        QStringList rows;
        for (int r = 0; r < layout.rowCount(); ++r)
            rows << text.mid(layout.row(r).start, layout.row(r).end - layout.row(r).start);
        return rows.join(u'|');
    }
    /// The screen row showing wrap row `wrapRow` of `line`, entirely; nullptr when none.
    static std::optional<LogView::ScreenRow> shownRow(LogView &view, qint64 line, int wrapRow)
    {
        for (const LogView::ScreenRow &r : view.screenRows()) {
            if (r.line == line && r.wrapRow == wrapRow &&
                r.y + view.lineHeight() <= view.viewport()->height())
                return r;
        }
        return std::nullopt;
    }
    /// A mouse drag on the viewport from `from` to `to`.
    static void drag(LogView &view, QPoint from, QPoint to)
    {
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), view.viewport()->mapToGlobal(QPointF(to)),
                         Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &move);
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, to);
    }

private slots:
    void initTestCase()
    {
        // The wrap setting is read from and written to the settings: never the user's.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"Stagecraft-test"_qs);
        QCoreApplication::setApplicationName(u"tst_logview"_qs);
        QSettings().clear();
    }

    void ansi_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("runs");
        QTest::newRow("plain") << QByteArray("hello") << u"hello"_qs << u"0+5:"_qs;
        QTest::newRow("empty") << QByteArray() << QString() << QString();
        QTest::newRow("green bold then reset") << QByteArray("\x1b[32;1mok\x1b[0;m done")
                                               << u"ok done"_qs << u"0+2:fg=#2ecc71,b 2+5:"_qs;
        QTest::newRow("ESC[m resets")
            << QByteArray("\x1b[31mA\x1b[mB") << u"AB"_qs << u"0+1:fg=#e74c3c 1+1:"_qs;
        QTest::newRow("bright and background") << QByteArray("\x1b[91;44mX\x1b[39;49mY") << u"XY"_qs
                                               << u"0+1:fg=#ff6b6b,bg=#3b8eea 1+1:"_qs;
        QTest::newRow("bright background")
            << QByteArray("\x1b[102mX") << u"X"_qs << u"0+1:bg=#5af78e"_qs;
        QTest::newRow("256 colours") << QByteArray("\x1b[38;5;208mo\x1b[48;5;240mg") << u"og"_qs
                                     << u"0+1:fg=#ff8700 1+1:fg=#ff8700,bg=#585858"_qs;
        QTest::newRow("256 colours, the 16 first")
            << QByteArray("\x1b[38;5;1mr") << u"r"_qs << u"0+1:fg=#e74c3c"_qs;
        QTest::newRow("truecolor") << QByteArray("\x1b[38;2;150;110;255mv\x1b[48;2;1;2;3mw")
                                   << u"vw"_qs << u"0+1:fg=#966eff 1+1:fg=#966eff,bg=#010203"_qs;
        QTest::newRow("truecolor with colons")
            << QByteArray("\x1b[38:2:10:20:30mv") << u"v"_qs << u"0+1:fg=#0a141e"_qs;
        QTest::newRow("bold off 22, italic, underline")
            << QByteArray("\x1b[1ma\x1b[22mb\x1b[3;4mc\x1b[23;24md") << u"abcd"_qs
            << u"0+1:b 1+1: 2+1:i,u 3+1:"_qs;
        QTest::newRow("erase in line is dropped")
            << QByteArray("\x1b[0Kfoo\x1b[0K") << u"foo"_qs << u"0+3:"_qs;
        QTest::newRow("CR overwrite shows the last segment")
            << QByteArray("Downloading  10%\rDownloading 100%") << u"Downloading 100%"_qs
            << u"0+16:"_qs;
        QTest::newRow("CR keeps the colour set before it")
            << QByteArray("\x1b[33mone\rtwo") << u"two"_qs << u"0+3:fg=#f1c40f"_qs;
        QTest::newRow("CRLF is a line end")
            << QByteArray("dos line\r") << u"dos line"_qs << u"0+8:"_qs;
        QTest::newRow("tabs expand to 8 columns")
            << QByteArray("a\tb\t\tc") << u"a       b               c"_qs << u"0+25:"_qs;
        QTest::newRow("OSC title and other escapes dropped")
            << QByteArray("\x1b]0;title\x07x\x1b(By\x1b[2J") << u"xy"_qs << u"0+2:"_qs;
        QTest::newRow("unfinished escape at the end")
            << QByteArray("abc\x1b[3") << u"abc"_qs << u"0+3:"_qs;
        QTest::newRow("UTF-8") << QByteArray("\x1b[32m✔\x1b[0m grün") << u"✔ grün"_qs
                               << u"0+1:fg=#2ecc71 1+5:"_qs;
        QTest::newRow("section start title")
            << QByteArray("\x1b[0Ksection_start:1700000000:build_step[collapsed=true]\r\x1b[0K"
                          "\x1b[36;1mBuilding\x1b[0;m")
            << u"Building"_qs << u"0+8:fg=#29b8db,b"_qs;
        QTest::newRow("section end")
            << QByteArray("\x1b[0Ksection_end:1700000005:build_step\r\x1b[0K") << QString()
            << QString();
        QTest::newRow("not a marker without CR ESC[0K")
            << QByteArray("echo section_start:1:x") << u"echo section_start:1:x"_qs << u"0+22:"_qs;
    }

    void ansi()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, text);
        QFETCH(QString, runs);
        const LogLine line = LogLine::parse(raw);
        QCOMPARE(line.text, text);
        QCOMPARE(describe(line.runs), runs);
        QCOMPARE(LogLine::plainText(raw), text);
    }

    void tabStopsCountTerminalColumns_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("width");
        QTest::newRow("ascii") << u"ab\tc"_qs << u"ab      c"_qs << 9;
        // Wide characters take two columns, a combining mark none, as in a terminal.
        QTest::newRow("CJK") << u"漢字\tc"_qs << u"漢字    c"_qs << 9;
        QTest::newRow("emoji (a surrogate pair)") << u"😀\tc"_qs << u"😀      c"_qs << 9;
        QTest::newRow("combining acute") << u"e\u0301\tc"_qs << u"e\u0301       c"_qs << 9;
        QTest::newRow("hangul") << u"한\tc"_qs << u"한      c"_qs << 9;
    }

    void tabStopsCountTerminalColumns()
    {
        QFETCH(QString, raw);
        QFETCH(QString, text);
        QFETCH(int, width);
        const QString parsed = LogLine::parse(raw.toUtf8()).text;
        QCOMPARE(parsed, text);
        QCOMPARE(LogLine::displayWidth(parsed), width);
    }

    void wrapRows_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("columns"); ///< wrap width in columns; continuation rows: 2 fewer
        QTest::addColumn<QString>("rows");
        QTest::newRow("fits") << u"short"_qs << 10 << u"short"_qs;
        QTest::newRow("exactly the width") << u"abcdef"_qs << 6 << u"abcdef"_qs;
        QTest::newRow("empty") << QString() << 6 << QString();
        QTest::newRow("at spaces")
            << u"aaaa bbbb cccc dddd"_qs << 10 << u"aaaa bbbb |cccc |dddd"_qs;
        QTest::newRow("no spaces: at the width")
            << u"abcdefghijklmnop"_qs << 6 << u"abcdef|ghij|klmn|op"_qs;
        QTest::newRow("a space at the width hangs") << u"abcdef ghi"_qs << 6 << u"abcdef |ghi"_qs;
        QTest::newRow("word longer than a row")
            << u"ab cdefghijklmn"_qs << 6 << u"ab |cdef|ghij|klmn"_qs;
        QTest::newRow("a continuation row is narrower")
            << u"0123456789 0123456789"_qs << 12 << u"0123456789 |0123456789"_qs;
        QTest::newRow("continuation too wide for the indent")
            << u"0123456789 0123456789x"_qs << 12 << u"0123456789 |0123456789|x"_qs;
    }

    void wrapRows()
    {
        QFETCH(QString, text);
        QFETCH(int, columns);
        QFETCH(QString, rows);
        const LogMetrics metrics(monoFont());
        QVERIFY(metrics.uniformAscii());
        const qreal a = metrics.asciiAdvance();
        const LogLineLayout layout = LogLineLayout::build(text, metrics, columns * a, 2 * a);
        QCOMPARE(rowsText(layout, text), rows);
        // Without wrapping: one row, however long.
        QCOMPARE(LogLineLayout::build(text, metrics, 0, 2 * a).rowCount(), 1);
    }

    void wrapWideCharacters()
    {
        // Breaks fall between grapheme clusters, at real advances.
        const LogMetrics metrics(monoFont());
        const QFontMetricsF fm(monoFont());
        const QString text = u"漢字😀e\u0301漢字😀e\u0301漢字"_qs;
        const qreal width = fm.horizontalAdvance(u"漢字😀"_qs) + 1;
        const LogLineLayout layout = LogLineLayout::build(text, metrics, width, 0);
        QStringList rows = rowsText(layout, text).split(u'|');
        QVERIFY(rows.size() > 1);
        for (const QString &row : rows) {
            QVERIFY2(fm.horizontalAdvance(row) <= width + 0.01, qPrintable(row));
            // No surrogate pair or accent is split.
            QVERIFY(!row.front().isLowSurrogate());
            QVERIFY(row.front() != QChar(0x301));
        }
        QCOMPARE(rows.join(QString()), text);
    }

    void markers()
    {
        LogLine l = LogLine::parse(
            "\x1b[0Ksection_start:1700000000:build_step[collapsed=true,hide_duration=true]"
            "\r\x1b[0KBuilding");
        QCOMPARE(l.marker, LogLine::Marker::SectionStart);
        QCOMPARE(l.section, u"build_step");
        QCOMPARE(l.timestamp, 1700000000);
        QVERIFY(l.collapsed);
        QVERIFY(l.hideDuration);
        l = LogLine::parse("section_end:1700000009:build_step\r\x1b[0K");
        QCOMPARE(l.marker, LogLine::Marker::SectionEnd);
        QCOMPARE(l.section, u"build_step");
        QCOMPARE(l.timestamp, 1700000009);
        QVERIFY(!l.collapsed);
        QCOMPARE(LogLine::parse("section_start:x:y\r\x1b[0K").marker, LogLine::Marker::None);
        QCOMPARE(LogLine::parse("section_start:1:\r\x1b[0K").marker, LogLine::Marker::None);
    }

    void sectionsFoldAndUnfold()
    {
        auto store = newStore();
        store->append("$ start\n");                                                // 0
        store->append(sectionStart(100, "build", "Building", "[collapsed=true]")); // 1
        store->append("compile a\ncompile b\n");                                   // 2, 3
        store->append(sectionEnd(105, "build"));                                   // 4
        store->append(sectionStart(105, "test", "Testing"));                       // 5
        store->append(sectionStart(106, "unit", "Unit tests"));                    // 6
        store->append("test 1\n");                                                 // 7
        store->append(sectionEnd(168, "unit"));                                    // 8
        store->append(sectionEnd(3790, "test"));                                   // 9
        store->append("Job succeeded");                                            // 10
        store->finish();
        LogView view;
        view.resize(700, 400);
        view.setStore(store);
        view.show();
        waitIndexed(view, 11);
        QCOMPARE(view.sections().size(), size_t(3));
        const auto &s = view.sections();
        QCOMPARE(s[0].name, u"build");
        QCOMPARE(s[0].start, 1);
        QCOMPARE(s[0].end, 4);
        QVERIFY(s[0].collapsed);
        QCOMPARE(s[2].depth, 1);
        QCOMPARE(s[2].end, 8);
        QCOMPARE(LogView::durationText(s[0]), u"00:05");
        QCOMPARE(LogView::durationText(s[2]), u"01:02");
        QCOMPARE(LogView::durationText(s[1]), u"01:01:25");
        auto visible = [&view] {
            QList<qint64> lines;
            for (qint64 r = 0; r < view.rowCount(); ++r)
                lines << view.lineAtRow(r);
            return lines;
        };
        // Folded "build"; bare section_end lines are never shown.
        QCOMPARE(visible(), (QList<qint64>{0, 1, 5, 6, 7, 10}));
        QCOMPARE(view.rowOfLine(3), -1);
        QCOMPARE(view.rowOfLine(5), 2);
        view.setSectionCollapsed(0, false);
        QCOMPARE(visible(), (QList<qint64>{0, 1, 2, 3, 5, 6, 7, 10}));
        view.setSectionCollapsed(1, true); // folds the nested one with it
        QCOMPARE(visible(), (QList<qint64>{0, 1, 2, 3, 5, 10}));
        view.setSectionCollapsed(2, true);
        view.setSectionCollapsed(1, false);
        QCOMPARE(visible(), (QList<qint64>{0, 1, 2, 3, 5, 6, 10}));

        // A click on a header toggles it, as in GitLab.
        view.setSectionCollapsed(2, false);
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.verticalScrollBar()->setValue(0);
        const int lineHeight = view.lineHeight();
        const QPoint header(200, int(view.rowOfLine(1)) * lineHeight + lineHeight / 2);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, header);
        QVERIFY(view.sections()[0].collapsed);
        QCOMPARE(view.rowCount(), 6);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, header);
        QVERIFY(!view.sections()[0].collapsed);
        QCOMPARE(view.rowCount(), 8);

        // Copy takes the displayed text.
        view.selectLines(0, 2);
        QCOMPARE(view.selectedText(), u"$ start\nBuilding\ncompile a\n"_qs);
        view.copy();
        QCOMPARE(QApplication::clipboard()->text(), u"$ start\nBuilding\ncompile a\n"_qs);
    }

    void openSectionFoldedWhileStreaming()
    {
        auto store = newStore();
        LogView view;
        view.setStore(store);
        store->append(sectionStart(1, "deps", "Installing", "[collapsed=true]"));
        store->append("a\nb\n");
        waitIndexed(view, 3);
        QCOMPARE(view.rowCount(), 1); // only the header: the rest is folded as it arrives
        store->append("c\n");
        store->append(sectionEnd(2, "deps"));
        store->append("after\n");
        waitIndexed(view, 6);
        QCOMPARE(view.rowCount(), 2);
        QCOMPARE(view.lineAtRow(1), 5);
    }

    void searchFindsLineNearTheEnd()
    {
        auto store = newStore();
        const qint64 total = 200000;
        const qint64 target = 199990;
        QByteArray chunk;
        for (qint64 i = 0; i < total; ++i) {
            if (i == target - 5)
                chunk += sectionStart(1, "tail", "Tail", "[collapsed=true]");
            else if (i == target)
                chunk += "found the \x1b[31mNeedle\x1b[0m-42 here\n"; // matched across colours
            else if (i == target + 3)
                chunk += sectionEnd(2, "tail");
            else
                chunk += "line " + QByteArray::number(i) + " of output, needle-4 not quite\n";
            if (chunk.size() > 65536) {
                store->append(chunk);
                chunk.clear();
            }
        }
        store->append(chunk);
        store->finish();
        LogView view;
        view.resize(800, 500);
        view.setStore(store);
        view.show();
        waitIndexed(view, total);
        QVERIFY(view.sections().back().collapsed);
        view.verticalScrollBar()->setValue(0);
        QSignalSpy finished(&view, &LogView::searchFinished);
        view.setSearchText(u"needle-42"_qs);
        QVERIFY(view.isSearching());
        QVERIFY(finished.wait(20000));
        QCOMPARE(view.matches(), std::vector<qint64>{target});
        QCOMPARE(view.currentMatch(), 0);
        // The match was folded away: its section opened and it is on screen.
        QVERIFY(!view.sections().back().collapsed);
        const qint64 row = view.rowOfLine(target);
        QVERIFY(row >= 0);
        QVERIFY(row >= view.firstVisibleRow());
        QVERIFY(row < view.firstVisibleRow() + view.visibleRowCapacity());
        QVERIFY(!view.followTail());
        // A new query replaces the results; nothing found is nothing.
        view.setSearchText(u"no such text"_qs);
        QVERIFY(finished.wait(20000));
        QCOMPARE(view.matches().size(), size_t(0));
        QCOMPARE(view.currentMatch(), -1);
    }

    void searchKeysAndNextPrevious()
    {
        auto store = newStore();
        for (int i = 0; i < 300; ++i)
            store->append(QByteArray(i % 100 == 7 ? "error here\n" : "fine\n"));
        store->finish();
        LogView view;
        view.resize(600, 300);
        view.setStore(store);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.verticalScrollBar()->setValue(0);
        QTest::keyClick(view.viewport(), Qt::Key_F, Qt::ControlModifier);
        auto *field = view.findChild<QLineEdit *>(QStringLiteral("logSearch"));
        QVERIFY(field);
        QVERIFY(field->hasFocus());
        QSignalSpy finished(&view, &LogView::searchFinished);
        QTest::keyClicks(field, u"ERROR"_qs);
        QTest::keyClick(field, Qt::Key_Return); // searches now, without the typing delay
        QVERIFY(finished.wait(10000));
        QCOMPARE(view.matches(), (std::vector<qint64>{7, 107, 207}));
        QCOMPARE(view.currentMatch(), 0);
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(view.currentMatch(), 1);
        QTest::keyClick(field, Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(view.currentMatch(), 0);
        view.findPrevious(); // wraps
        QCOMPARE(view.currentMatch(), 2);
        view.findNext();
        QCOMPARE(view.currentMatch(), 0);
    }

    void followTail()
    {
        auto store = newStore();
        LogView view;
        view.resize(600, 300);
        view.setStore(store);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.followTail());
        std::thread writer([store] {
            for (int i = 0; i < 50000; ++i)
                store->append(QByteArray("output " + QByteArray::number(i) + '\n'));
        });
        writer.join();
        waitIndexed(view, 50000);
        QScrollBar *bar = view.verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
        QCOMPARE(view.lineAtRow(view.firstVisibleRow() + view.visibleRowCapacity() - 1), 49999);

        // Scrolling up stops following; new lines leave the view where it is.
        QSignalSpy changed(&view, &LogView::followTailChanged);
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);
        QVERIFY(!view.followTail());
        QCOMPARE(changed.size(), 1);
        const int where = bar->value();
        store->append("more\nmore\n");
        waitIndexed(view, 50002);
        QCOMPARE(bar->value(), where);
        // Back at the bottom, it follows again.
        bar->triggerAction(QAbstractSlider::SliderToMaximum);
        QVERIFY(view.followTail());
        store->append("last\n");
        store->finish();
        waitIndexed(view, 50003);
        QCOMPARE(bar->value(), bar->maximum());
        // The toggle.
        view.setFollowTail(false);
        bar->setValue(0);
        view.setFollowTail(true);
        QCOMPARE(bar->value(), bar->maximum());
    }

    void partialLastLineIsShownAndUpdated()
    {
        auto store = newStore();
        LogView view;
        view.setStore(store);
        store->append("one\ntw");
        QTRY_COMPARE(view.rowCount(), 2);
        QCOMPARE(view.parsedLine(1).text, u"tw");
        store->append("o\n");
        waitIndexed(view, 2);
        QCOMPARE(view.parsedLine(1).text, u"two");
    }

    void veryLongLine()
    {
        auto store = newStore();
        store->append("short\n");
        store->append(QByteArray(QByteArray(2 * 1024 * 1024, 'x') + "END\n"));
        store->append("after\n");
        store->finish();
        LogView view;
        view.setWrapLines(false);
        view.resize(600, 300);
        view.setStore(store);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 3);
        QCOMPARE(view.parsedLine(1).text.size(), 2 * 1024 * 1024 + 3);
        QVERIFY(view.horizontalScrollBar()->maximum() > 1000000);
        view.horizontalScrollBar()->setValue(view.horizontalScrollBar()->maximum());
        QVERIFY(!view.grab().isNull()); // only the visible columns are drawn
        view.selectLines(1, 1);
        QVERIFY(view.selectedText().endsWith(u"xxEND\n"_qs));

        // Wrapped: thousands of rows, no horizontal scrolling, its end reachable.
        view.setWrapLines(true);
        QCOMPARE(view.horizontalScrollBar()->maximum(), 0);
        const int rows = view.wrappedRowCount(1);
        QVERIFY(rows > 10000);
        QVERIFY(!view.grab().isNull());
        view.scrollToPosition(1, 2 * 1024 * 1024 + 2);
        QVERIFY(shownRow(view, 1, rows - 1));
        QCOMPARE(view.firstVisibleRow(), 1);
        QVERIFY(view.topWrapRow() > 10000);
        QVERIFY(view.selectedText().endsWith(u"xxEND\n"_qs));
    }

    void wrapFollowsTheTail()
    {
        auto store = newStore();
        LogView view;
        show(view, store, true, QSize(600, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.followTail());
        std::thread writer([store] {
            for (int i = 0; i < 20000; ++i) {
                QByteArray l = "output " + QByteArray::number(i);
                if (i % 3 == 0)
                    l += " " + QByteArray(300, 'w'); // wraps
                store->append(QByteArray(l + '\n'));
            }
            store->append(QByteArray("the last line is long: " + QByteArray(500, 'z') + " END\n"));
        });
        writer.join();
        waitIndexed(view, 20001);
        QVERIFY(view.followTail());
        const qint64 last = 20000;
        const int lastRow = view.wrappedRowCount(last) - 1;
        QVERIFY(lastRow >= 3);
        // The last line's last row is the bottom row on screen.
        std::vector<LogView::ScreenRow> rows = view.screenRows();
        QCOMPARE(rows.back().line, last);
        QCOMPARE(rows.back().wrapRow, lastRow);
        QVERIFY(rows.back().y + view.lineHeight() <= view.viewport()->height());
        QVERIFY(rows.back().y + 2 * view.lineHeight() > view.viewport()->height());
        QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
        QVERIFY(view.topWrapRow() > 0); // the top line is cut: the screen is full to the bottom

        // A wheel notch up scrolls by screen rows and stops following; down follows again.
        auto wheel = [&view](int delta) {
            const QPointF at(100, 100);
            QWheelEvent e(at, view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, delta),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(view.viewport(), &e);
        };
        wheel(120);
        QVERIFY(!view.followTail());
        QVERIFY(!shownRow(view, last, lastRow));
        QVERIFY(shownRow(view, last, lastRow - 3));
        wheel(-120);
        QVERIFY(view.followTail());
        QVERIFY(shownRow(view, last, lastRow));
        store->append("one more\n");
        store->finish();
        waitIndexed(view, 20002);
        rows = view.screenRows();
        QCOMPARE(rows.back().line, 20001);
        QVERIFY(rows.back().y + view.lineHeight() <= view.viewport()->height());
    }

    void wrapSearchHitOnContinuationRow()
    {
        auto store = newStore();
        QByteArray words;
        for (int i = 0; i < 150; ++i)
            words += "word" + QByteArray::number(i) + ' ';
        const qint64 target = 1500;
        for (qint64 i = 0; i < 2000; ++i)
            store->append(i == target ? QByteArray(words + "the Needle-7 is here\n") : "line\n");
        store->finish();
        LogView view;
        show(view, store, true, QSize(600, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 2000);
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(0);
        QSignalSpy finished(&view, &LogView::searchFinished);
        view.setSearchText(u"needle-7"_qs);
        QVERIFY(finished.wait(10000));
        QCOMPARE(view.matches(), std::vector<qint64>{target});
        const int column = int(view.parsedLine(target).text.indexOf(u"Needle-7"_qs));
        const int wrapRow = view.lineLayout(target)->rowOf(column);
        QVERIFY(wrapRow >= 5);
        QVERIFY(shownRow(view, target, wrapRow));
        QVERIFY(!view.followTail());

        // The line's first row at the bottom of the view, the hit below it: Enter goes there.
        const int capacity = view.visibleRowCapacity();
        view.verticalScrollBar()->setValue(int(target) - capacity + 1);
        QVERIFY(shownRow(view, target, 0));
        QVERIFY(!shownRow(view, target, wrapRow));
        view.findNext();
        QCOMPARE(view.currentMatch(), 0);
        QVERIFY(shownRow(view, target, wrapRow));
    }

    void wrapCopyGivesTheLogicalText()
    {
        auto store = newStore();
        QByteArray words;
        for (int i = 10; i < 99; ++i)
            words += "w" + QByteArray::number(i) + ' ';
        store->append(QByteArray("first\n" + words + "\nafter\n"));
        store->finish();
        LogView view;
        show(view, store, true, QSize(500, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 3);
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(0);
        const QString text = view.parsedLine(1).text;
        const auto layout = view.lineLayout(1);
        QVERIFY(layout->rowCount() >= 3);
        const qreal a = QFontMetricsF(monoFont()).horizontalAdvance(u'w');
        const int h = view.lineHeight();
        const auto row0 = shownRow(view, 1, 0);
        const auto row2 = shownRow(view, 1, 2);
        QVERIFY(row0 && row2);
        // From column 5 of the first row to column 3 of the third (a continuation row).
        const QPoint from(view.textLeft() + int(5.25 * a), row0->y + h / 2);
        const QPoint to(view.textLeft() + view.wrapIndent() + int(3.25 * a), row2->y + h / 2);
        drag(view, from, to);
        const int end = layout->row(2).start + 3;
        const QString expected = text.mid(5, end - 5);
        QCOMPARE(view.selectedText(), expected);
        QVERIFY(!expected.contains(u'\n'));
        QVERIFY(expected.size() > layout->row(0).end);
        view.copy();
        QCOMPARE(QApplication::clipboard()->text(), expected);

        // From the line above into a continuation row: one newline, between the lines.
        const auto row1 = shownRow(view, 1, 1);
        QVERIFY(row1);
        drag(view, QPoint(view.textLeft() + int(2.25 * a), h / 2),
             QPoint(view.textLeft() + view.wrapIndent() + int(1.25 * a), row1->y + h / 2));
        QCOMPARE(view.selectedText(), u"rst\n"_qs + text.left(layout->row(1).start + 1));
    }

    void selectionUsesRealAdvances_data()
    {
        // "ab漢字😀é x<tab>y": wide CJK, an emoji (a surrogate pair), e + combining acute, a tab
        // expanded to the next 8-column stop. Text indices: a0 b1 漢2 字3 😀4-5 é6-7 x8
        // spaces9-14 y15.
        QTest::addColumn<int>("pressCluster");
        QTest::addColumn<double>("pressAt"); ///< fraction of the cluster's width
        QTest::addColumn<int>("releaseCluster");
        QTest::addColumn<double>("releaseAt");
        QTest::addColumn<QString>("selected");
        QTest::newRow("CJK to the accent") << 2 << 0.75 << 6 << 0.75 << u"字😀e\u0301"_qs;
        QTest::newRow("the emoji") << 4 << 0.3 << 4 << 0.7 << u"😀"_qs;
        QTest::newRow("an accent stays with its letter") << 6 << 0.3 << 6 << 0.7 << u"e\u0301"_qs;
        QTest::newRow("backwards") << 6 << 0.3 << 3 << 0.3 << u"字😀"_qs;
        QTest::newRow("across the tab") << 8 << 0.25 << 15 << 0.75 << u"x      y"_qs;
        QTest::newRow("inside the tab") << 10 << 0.2 << 12 << 0.2 << u"  "_qs;
    }

    void selectionUsesRealAdvances()
    {
        QFETCH(int, pressCluster);
        QFETCH(double, pressAt);
        QFETCH(int, releaseCluster);
        QFETCH(double, releaseAt);
        QFETCH(QString, selected);
        auto store = newStore();
        store->append(QStringLiteral("ab漢字😀e\u0301x\ty\nnext\n").toUtf8());
        store->finish();
        for (const bool wrap : {false, true}) {
            LogView view;
            view.setFont(monoFont());
            view.setWrapLines(wrap);
            view.resize(700, 200);
            view.setStore(store);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            waitIndexed(view, 2);
            view.setFollowTail(false);
            view.verticalScrollBar()->setValue(0);
            const QString text = view.parsedLine(0).text;
            QCOMPARE(text, u"ab漢字😀e\u0301x      y"_qs);
            // Where the font puts each cluster: the advance of the text before it.
            const QFontMetricsF fm(monoFont());
            auto point = [&](int cluster, double fraction) {
                QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
                finder.setPosition(cluster);
                const int next = int(finder.toNextBoundary());
                const qreal left = fm.horizontalAdvance(text.left(cluster));
                const qreal right = fm.horizontalAdvance(text.left(next));
                return QPointF(view.textLeft() + left + fraction * (right - left),
                               view.lineHeight() / 2.0)
                    .toPoint();
            };
            drag(view, point(pressCluster, pressAt), point(releaseCluster, releaseAt));
            QCOMPARE(view.selectedText(), selected);
        }
    }

    void wrappedSectionHeaderFolds()
    {
        auto store = newStore();
        store->append("before\n");
        store->append(sectionStart(100, "build",
                                   "Building " + QByteArray("a long section title ").repeated(8)));
        store->append("inside 1\ninside 2\n");
        store->append(sectionEnd(160, "build"));
        store->append("after\n");
        store->finish();
        LogView view;
        show(view, store, true, QSize(600, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 6);
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(0);
        const int headerRows = view.wrappedRowCount(1);
        QVERIFY(headerRows >= 3);
        // The header's rows leave room for its duration badge at the right end.
        const auto layout = view.lineLayout(1);
        const qreal badgeLeft =
            view.viewport()->width() - 8 * QFontMetricsF(monoFont()).horizontalAdvance(u'0');
        for (int r = 0; r < layout->rowCount(); ++r) {
            const qreal right = view.textLeft() + (r > 0 ? view.wrapIndent() : 0) +
                                layout->xInRow(r, layout->row(r).end);
            QVERIFY2(right < badgeLeft || layout->row(r).end == layout->row(r).start + 1,
                     qPrintable(QString::number(r)));
        }
        // A click on a continuation row of the header folds the section.
        const auto row = shownRow(view, 1, headerRows - 1);
        QVERIFY(row);
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(300, row->y + 3));
        QVERIFY(view.sections()[0].collapsed);
        auto lines = [&view] {
            QList<qint64> out;
            for (const LogView::ScreenRow &r : view.screenRows()) {
                if (out.isEmpty() || out.back() != r.line)
                    out << r.line;
            }
            return out;
        };
        QCOMPARE(lines(), (QList<qint64>{0, 1, 5}));
        QCOMPARE(view.screenRows().size(), size_t(headerRows + 2));
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(300, row->y + 3));
        QVERIFY(!view.sections()[0].collapsed);
        QCOMPARE(lines(), (QList<qint64>{0, 1, 2, 3, 5}));
    }

    void resizeRewraps()
    {
        auto store = newStore();
        store->append(QByteArray(QByteArray(400, 'x') + '\n' + "short\n"));
        store->finish();
        LogView view;
        show(view, store, true, QSize(600, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 2);
        const qreal a = QFontMetricsF(monoFont()).horizontalAdvance(u'x');
        auto checkRows = [&] {
            // Every row within the view; every row but the last full (one more would not fit).
            const auto layout = view.lineLayout(0);
            const int width = view.viewport()->width();
            for (int r = 0; r < layout->rowCount(); ++r) {
                const qreal right = view.textLeft() + (r > 0 ? view.wrapIndent() : 0) +
                                    layout->xInRow(r, layout->row(r).end);
                if (right > width)
                    return false;
                if (r + 1 < layout->rowCount() && right + a < width - 8)
                    return false;
            }
            return true;
        };
        const int narrow = view.wrappedRowCount(0);
        QVERIFY(narrow > 3);
        QVERIFY(checkRows());
        view.resize(1000, 300);
        QTRY_VERIFY(view.wrappedRowCount(0) < narrow);
        QVERIFY(view.wrappedRowCount(0) > 1);
        QVERIFY(checkRows());
        view.resize(600, 300);
        QTRY_COMPARE(view.wrappedRowCount(0), narrow);
        QCOMPARE(view.wrappedRowCount(1), 1);
    }

    void toggleWrapKeepsTopLine()
    {
        auto store = newStore();
        for (int i = 0; i < 3000; ++i) {
            QByteArray l = "line " + QByteArray::number(i);
            if (i % 2)
                l += QByteArray(" and some more words to make it long").repeated(6);
            store->append(QByteArray(l + '\n'));
        }
        store->finish();
        LogView view;
        show(view, store, false, QSize(600, 300));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, 3000);
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(1234);
        QSignalSpy toggled(&view, &LogView::wrapLinesChanged);
        view.setWrapLines(true);
        QCOMPARE(toggled.size(), 1);
        QCOMPARE(view.firstVisibleRow(), 1234);
        QCOMPARE(view.screenRows().front().line, 1234);
        QCOMPARE(view.screenRows().front().wrapRow, 0);
        QVERIFY(view.wrappedRowCount(1235) > 1);
        QVERIFY(!view.followTail());
        view.setWrapLines(false);
        QCOMPARE(view.screenRows().front().line, 1234);
        QVERIFY(!view.followTail());

        // Following, it stays at the tail.
        view.setFollowTail(true);
        view.setWrapLines(true);
        const auto rows = view.screenRows();
        QCOMPARE(rows.back().line, 2999);
        QCOMPARE(rows.back().wrapRow, view.wrappedRowCount(2999) - 1);
        QVERIFY(view.followTail());

        // The toolbar's checkable action; the user's choice is remembered.
        QAction *action = view.wrapAction();
        QVERIFY(action->isCheckable());
        QVERIFY(action->isChecked());
        action->trigger();
        QVERIFY(!view.wrapLines());
        QCOMPARE(QSettings().value(u"logView/wrapLines"_qs).toBool(), false);
        QCOMPARE(LogView().wrapLines(), false); // a new view starts with it
        action->trigger();
        QVERIFY(view.wrapLines());
        QCOMPARE(QSettings().value(u"logView/wrapLines"_qs).toBool(), true);
        QCOMPARE(LogView().wrapLines(), true);
    }

    void screenshot()
    {
        auto store = newStore();
        store->append(realisticLog());
        store->finish();
        LogView view;
        QFont f(u"DejaVu Sans Mono"_qs);
        f.setPointSize(10);
        view.setFont(f);
        view.resize(900, 620);
        view.setStore(store);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, store->lineCount());
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(0);
        view.setSearchText(u"npm"_qs);
        QSignalSpy finished(&view, &LogView::searchFinished);
        QVERIFY(finished.wait(5000));
        view.verticalScrollBar()->setValue(0);
        const QImage image = view.grab().toImage();
        // The failure's red is on screen (ANSI colours are painted).
        bool red = false;
        for (int y = 0; y < image.height() && !red; ++y) {
            for (int x = 0; x < image.width() && !red; ++x)
                red = image.pixelColor(x, y) == QColor(0xe7, 0x4c, 0x3c);
        }
        QVERIFY(red);
        const QByteArray dir = qgetenv("STAGECRAFT_SCREENSHOTS");
        if (!dir.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(dir) + u"/logview.png"_qs));
    }

    void screenshotWrapped()
    {
        auto store = newStore();
        QByteArray log;
        log += sectionStart(1700000004, "step_script",
                            "\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job "
                            "script\x1b[0;m");
        log +=
            "\x1b[32;1m$ g++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -Wshadow -Iinclude "
            "-Ibuild/generated -isystem /usr/include/x86_64-linux-gnu/qt6 -DQT_NO_CAST_FROM_ASCII "
            "-DSTAGECRAFT_VERSION=\\\"0.3.0\\\" -c src/engine/scheduler.cpp -o "
            "build/obj/engine/scheduler.o\x1b[0;m\n";
        log += "src/engine/scheduler.cpp:214:17: \x1b[01;35mwarning:\x1b[0m unused variable "
               "'\x1b[01mretryDelay\x1b[0m' [\x1b[01;35m-Wunused-variable\x1b[0m] while "
               "instantiating 'void Scheduler::plan(const Pipeline&, std::span<const Job>)' "
               "required from here\n";
        log += "\x1b[32;1m$ ./build/tests --reporter=compact\x1b[0;m\n";
        log += "\x1b[1m\x1b[41m FAIL \x1b[49m\x1b[22m engine › runs jobs in stage order: "
               "expected [\"build\", \"test\", \"deploy\"] but received [\"build\", "
               "\"deploy\", \"test\"] after 3 retries (tests/engine_test.cpp:88)\n";
        log += "{\"level\":\"info\",\"msg\":\"uploading artifacts\",\"job\":4711,"
               "\"paths\":[\"build/report.xml\",\"build/coverage/lcov.info\","
               "\"build/logs/scheduler.log\"],\"size\":1834221,\"ts\":\"2026-11-28T15:04:11Z\"}\n";
        log += "Tests:       \x1b[1m\x1b[31m1 failed\x1b[39m\x1b[22m, \x1b[1m\x1b[32m41 "
               "passed\x1b[39m\x1b[22m, 42 total\n";
        log += sectionEnd(1700000037, "step_script");
        log += "\x1b[31;1mERROR: Job failed: exit status 1\n\x1b[0;m\n";
        store->append(log);
        store->finish();
        LogView view;
        show(view, store, true, QSize(720, 400));
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        waitIndexed(view, store->lineCount());
        view.setFollowTail(false);
        view.verticalScrollBar()->setValue(0);
        int continuation = 0;
        for (const LogView::ScreenRow &r : view.screenRows())
            continuation += r.wrapRow > 0 ? 1 : 0;
        QVERIFY(continuation >= 6);
        QCOMPARE(view.horizontalScrollBar()->maximum(), 0);
        const QImage image = view.grab().toImage();
        const QByteArray dir = qgetenv("STAGECRAFT_SCREENSHOTS");
        if (!dir.isEmpty())
            QVERIFY(image.save(QString::fromLocal8Bit(dir) + u"/logview-wrap.png"_qs));
    }
};

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
