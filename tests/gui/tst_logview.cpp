// The job log view: ANSI parsing, GitLab's sections, search over a large log, follow the tail.
// With STAGECRAFT_SCREENSHOTS=DIR, screenshot() writes DIR/logview.png (docs/screenshots).

#include "logline.h"
#include "logview.h"

#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using stagecraft::exec::LogStore;
using stagecraft::gui::LogLine;
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

private slots:
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
};

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
