// Benchmark of exec::LogStore, the job trace store the engine writes and the log view reads.
//
//   bench_logstore [-n LINES] [--check]
//
// Appends LINES (default 1,000,000) realistic job log lines (ANSI colours, section markers,
// progress lines with `\r`), one append() per line as a chatty job's output arrives, while a
// reader thread reads 50-line windows at the tail the whole time (as the log view does). Prints
// the append rate, the store's memory besides the log itself per line, the cost of reading a
// window of the finished log and the rate of a full scan (what a search does).
// --check: exit 1 when the aims are missed (> 500,000 lines/s, < 100 bytes per line).

#include "exec/logstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

using stagecraft::exec::LogStore;

namespace {

QByteArray lineFor(qint64 i)
{
    switch (i % 8) {
    case 0:
        return "\x1b[0Ksection_start:1700000000:step_" + QByteArray::number(i) +
               "\r\x1b[0K\x1b[32;1mRunning step " + QByteArray::number(i) + "\x1b[0;m\n";
    case 1:
        return "\x1b[0Ksection_end:1700000003:step_" + QByteArray::number(i - 1) + "\r\x1b[0K\n";
    case 2:
        return "Downloading artifacts  42%\rDownloading artifacts 100%\n";
    case 3:
        return "\x1b[31;1mERROR: \x1b[0mtest_case_" + QByteArray::number(i) +
               " failed: expected 3, got 4\n";
    default:
        return "  compiling src/module_" + QByteArray::number(i % 977) +
               "/file.cpp -o build/obj/file_" + QByteArray::number(i) + ".o\n";
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qint64 count = 1000000;
    bool check = false;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args[i] == u"-n" && i + 1 < args.size())
            count = args[++i].toLongLong();
        else if (args[i] == u"--check")
            check = true;
    }
    QTemporaryDir dir;
    std::vector<QByteArray> input;
    input.reserve(size_t(count));
    qint64 bytes = 0;
    for (qint64 i = 0; i < count; ++i) {
        input.push_back(lineFor(i));
        bytes += input.back().size();
    }

    auto store = LogStore::create(dir.filePath(QStringLiteral("trace.log")));
    if (!store) {
        std::fprintf(stderr, "cannot create the log\n");
        return 2;
    }
    std::atomic<bool> writing{true};
    std::atomic<qint64> windows{0};
    std::atomic<qint64> slowestRead{0};
    std::thread reader([&] {
        QElapsedTimer t;
        while (writing.load()) {
            t.start();
            const qint64 n = store->lineCount();
            const auto window = store->lines(std::max<qint64>(0, n - 50), 50);
            windows.fetch_add(window.isEmpty() ? 0 : 1);
            slowestRead = std::max(slowestRead.load(), t.nsecsElapsed());
        }
    });
    QElapsedTimer timer;
    timer.start();
    for (const QByteArray &l : input)
        store->append(l);
    store->finish();
    const double appendSeconds = double(timer.nsecsElapsed()) / 1e9;
    writing = false;
    reader.join();

    const double rate = double(count) / appendSeconds;
    const double overhead = double(store->memoryUsage()) / double(count);
    std::printf("lines:                %lld (%.1f MB)\n", static_cast<long long>(count),
                double(bytes) / 1e6);
    std::printf("append:               %.3f s, %.0f lines/s, %.0f MB/s\n", appendSeconds, rate,
                double(bytes) / 1e6 / appendSeconds);
    std::printf("reader windows:       %lld while appending, slowest %.3f ms\n",
                static_cast<long long>(windows.load()), double(slowestRead.load()) / 1e6);
    std::printf("memory overhead:      %.2f bytes/line (%lld bytes)\n", overhead,
                static_cast<long long>(store->memoryUsage()));

    // Random 50-line windows of the finished (mapped) log: what scrolling costs.
    std::mt19937_64 random(42);
    const int reads = 20000;
    timer.restart();
    qint64 got = 0;
    for (int i = 0; i < reads; ++i) {
        const qint64 first = qint64(random() % quint64(std::max<qint64>(1, count - 50)));
        got += store->lines(first, 50).size();
    }
    std::printf("window read (50):     %.2f us (%lld lines)\n",
                double(timer.nsecsElapsed()) / 1e3 / reads, static_cast<long long>(got));

    timer.restart();
    qint64 matches = 0;
    store->scan(0, count, [&matches](qint64, QByteArrayView l) {
        matches += l.contains("ERROR") ? 1 : 0;
        return true;
    });
    const double scanSeconds = double(timer.nsecsElapsed()) / 1e9;
    std::printf("full scan:            %.3f s, %.0f lines/s (%lld matches)\n", scanSeconds,
                double(count) / scanSeconds, static_cast<long long>(matches));

    timer.restart();
    auto reopened = LogStore::open(store->path());
    std::printf("open (index):         %.3f s, %lld lines\n", double(timer.nsecsElapsed()) / 1e9,
                static_cast<long long>(reopened ? reopened->lineCount() : -1));

    if (check && (rate < 500000 || overhead >= 100)) {
        std::printf("FAILED: aims are > 500,000 lines/s and < 100 bytes/line\n");
        return 1;
    }
    return 0;
}
