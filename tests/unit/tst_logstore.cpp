// exec::LogStore: the job trace store (line index, partial lines, concurrent readers, reopening).

#include "exec/logstore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using stagecraft::exec::LogStore;

class TestLogStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString nextPath() { return m_dir.filePath(QStringLiteral("log%1.txt").arg(++m_n)); }

private slots:
    void lines_data()
    {
        QTest::addColumn<QList<QByteArray>>("appends");
        QTest::addColumn<QList<QByteArray>>("expected");
        using L = QList<QByteArray>;
        QTest::newRow("nothing") << L{} << L{};
        QTest::newRow("one line") << L{"hello\n"} << L{"hello"};
        QTest::newRow("partial line") << L{"hel"} << L{"hel"};
        QTest::newRow("partial line completed") << L{"hel", "lo\nwor", "ld"} << L{"hello", "world"};
        QTest::newRow("newline alone") << L{"a", "\n", "\n", "b"} << L{"a", "", "b"};
        QTest::newRow("empty lines") << L{"\n\n\n"} << L{"", "", ""};
        QTest::newRow("empty appends") << L{"", "x\n", ""} << L{"x"};
        QTest::newRow("CRLF keeps the CR") << L{"a\r\nb\r\n"} << L{"a\r", "b\r"};
        QTest::newRow("CR overwrite stays in the line") << L{"50%\r100%\n"} << L{"50%\r100%"};
        QTest::newRow("CR split across appends") << L{"x\r", "\ny"} << L{"x\r", "y"};
        QTest::newRow("ANSI and sections as written")
            << L{"\x1b[0Ksection_start:1:build\r\x1b[0K\x1b[32mok\x1b[0m\n"}
            << L{"\x1b[0Ksection_start:1:build\r\x1b[0K\x1b[32mok\x1b[0m"};
        QTest::newRow("NUL bytes") << L{QByteArray("a\0b\n", 4)} << L{QByteArray("a\0b", 3)};
    }

    void lines()
    {
        QFETCH(QList<QByteArray>, appends);
        QFETCH(QList<QByteArray>, expected);
        QString error;
        auto store = LogStore::create(nextPath(), &error);
        QVERIFY2(store, qPrintable(error));
        qint64 bytes = 0;
        for (const QByteArray &a : appends) {
            store->append(a);
            bytes += a.size();
        }
        QCOMPARE(store->lineCount(), expected.size());
        const QByteArray all = appends.join();
        const bool partial = !all.isEmpty() && !all.endsWith('\n');
        QCOMPARE(store->completeLineCount(), expected.size() - (partial ? 1 : 0));
        QCOMPARE(store->byteCount(), bytes);
        QCOMPARE(store->lines(0, 1000), expected);
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(store->line(i), expected[i]);
        QCOMPARE(store->line(expected.size()), QByteArray());
        QCOMPARE(store->line(-1), QByteArray());
        // The same after finish() (read from the map) and from a reopened file.
        store->finish();
        QVERIFY(store->isFinished());
        QCOMPARE(store->completeLineCount(), expected.size());
        QCOMPARE(store->lines(0, 1000), expected);
        auto reopened = LogStore::open(store->path(), &error);
        QVERIFY2(reopened, qPrintable(error));
        QVERIFY(reopened->isFinished());
        QCOMPARE(reopened->lineCount(), expected.size());
        QCOMPARE(reopened->byteCount(), bytes);
        QCOMPARE(reopened->lines(0, 1000), expected);
    }

    void windows()
    {
        auto store = LogStore::create(nextPath());
        QVERIFY(store);
        for (int i = 0; i < 10000; ++i)
            store->append(QByteArray("line " + QByteArray::number(i) + '\n'));
        QCOMPARE(store->lineCount(), 10000);
        QCOMPARE(store->lines(4998, 3), (QList<QByteArray>{"line 4998", "line 4999", "line 5000"}));
        QCOMPARE(store->lines(9999, 10), QList<QByteArray>{"line 9999"});
        QCOMPARE(store->lines(10000, 10), QList<QByteArray>{});
        QCOMPARE(store->lines(5, 0), QList<QByteArray>{});
        // Chunk boundaries of the index (4096 lines).
        QCOMPARE(store->line(4095), QByteArray("line 4095"));
        QCOMPARE(store->line(4096), QByteArray("line 4096"));
        qint64 visited = store->scan(100, 5, [](qint64 index, QByteArrayView l) {
            return l == QByteArray("line " + QByteArray::number(index));
        });
        QCOMPARE(visited, 5);
        visited = store->scan(0, 100, [](qint64 index, QByteArrayView) { return index < 9; });
        QCOMPARE(visited, 10);                    // stops after the visit that said no
        QCOMPARE(QFile(store->path()).size(), 0); // still buffered ...
        store->flush();
        QCOMPARE(QFile(store->path()).size(), store->byteCount()); // ... until flushed
    }

    void veryLongLines()
    {
        auto store = LogStore::create(nextPath());
        QVERIFY(store);
        const QByteArray big(3 * 1024 * 1024, 'x');  // larger than the write buffer
        const QByteArray huge(9 * 1024 * 1024, 'y'); // larger than a scan block
        store->append("before\n");
        store->append(big);
        store->append(big);
        store->append("\nmiddle\n");
        store->append(huge);
        store->append("\nafter");
        QCOMPARE(store->lineCount(), 5);
        QCOMPARE(store->line(1), big + big);
        QCOMPARE(store->line(3), huge);
        QCOMPARE(store->lines(0, 5),
                 (QList<QByteArray>{"before", big + big, "middle", huge, "after"}));
        store->finish();
        auto reopened = LogStore::open(store->path());
        QVERIFY(reopened);
        QCOMPARE(reopened->line(3), huge);
        QCOMPARE(reopened->line(4), QByteArray("after"));
    }

    void appendAfterFinishIsIgnored()
    {
        auto store = LogStore::create(nextPath());
        store->append("a\nb");
        store->finish();
        store->append("c\n");
        QCOMPARE(store->lines(0, 10), (QList<QByteArray>{"a", "b"}));
        QCOMPARE(store->byteCount(), 3);
        auto reopened = LogStore::open(store->path());
        QVERIFY(reopened);
        reopened->append("more\n"); // read-only
        QCOMPARE(reopened->lineCount(), 2);
    }

    void readWhileAnotherThreadWrites()
    {
        auto store = LogStore::create(nextPath());
        QVERIFY(store);
        const int total = 200000;
        std::atomic<int> notifications{0};
        const int id = store->addListener([&notifications] { ++notifications; });
        std::thread writer([store] {
            // Lines split over appends in odd places, as a process' output arrives.
            QByteArray pending;
            for (int i = 0; i < total; ++i) {
                pending += "line " + QByteArray::number(i) + '\n';
                if (pending.size() > 37) {
                    store->append(QByteArrayView(pending).first(37));
                    pending.remove(0, 37);
                }
            }
            store->append(pending);
            store->finish();
        });
        // Every line seen is complete and right, or the trailing partial line is a prefix.
        int checks = 0;
        while (!store->isFinished() || checks == 0) {
            const qint64 n = store->lineCount();
            const qint64 first = std::max<qint64>(0, n - 20);
            const QList<QByteArray> window = store->lines(first, 20);
            for (qsizetype k = 0; k < window.size(); ++k) {
                const QByteArray want = "line " + QByteArray::number(first + k);
                if (first + k + 1 < n)
                    QCOMPARE(window[k], want);
                else
                    QVERIFY2(want.startsWith(window[k]), window[k].constData());
            }
            ++checks;
        }
        writer.join();
        store->removeListener(id);
        QCOMPARE(store->lineCount(), total);
        QCOMPARE(store->line(total - 1), QByteArray("line " + QByteArray::number(total - 1)));
        QVERIFY(notifications.load() > 1000);
        const int before = notifications.load();
        store->append("ignored\n");
        QCOMPARE(notifications.load(), before);
        QVERIFY(checks > 0);
    }

    void waitForLines()
    {
        auto store = LogStore::create(nextPath());
        QVERIFY(store);
        QVERIFY(!store->waitForLines(1, 10));
        std::thread writer([store] {
            for (int i = 0; i < 100; ++i)
                store->append("x\n");
        });
        QVERIFY(store->waitForLines(100, 10000));
        writer.join();
        store->finish();
        QVERIFY(!store->waitForLines(101)); // finished: returns without the lines
    }

    void errors()
    {
        QString error;
        QVERIFY(!LogStore::open(m_dir.filePath(QStringLiteral("missing.log")), &error));
        QCOMPARE(error, QStringLiteral("Cannot open %1: No such file or directory")
                            .arg(m_dir.filePath(QStringLiteral("missing.log"))));
        QVERIFY(!LogStore::create(m_dir.filePath(QStringLiteral("no/such/dir.log")), &error));
        QCOMPARE(error, QStringLiteral("Cannot create %1: No such file or directory")
                            .arg(m_dir.filePath(QStringLiteral("no/such/dir.log"))));
    }

    void memoryIsSmall()
    {
        auto store = LogStore::create(nextPath());
        for (int i = 0; i < 100000; ++i)
            store->append("some output line\n");
        store->finish();
        QVERIFY2(store->memoryUsage() < 100000 * 8,
                 qPrintable(QString::number(store->memoryUsage())));
    }
};

QTEST_GUILESS_MAIN(TestLogStore)
#include "tst_logstore.moc"
