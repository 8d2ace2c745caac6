// Lints every Dockerfile of a folder (default: the shared corpus) in one process, without
// ShellCheck, and prints the mean time per file. Files are read once up front so that only
// parsing and linting are measured.
//
//   bench_dockerfile [DIR] [ROUNDS]
//
// Whole-process comparison with dockerfile-utils on the same files (docs/benchmarks.md):
//   hyperfine -w 2 'build/release/bench/bench_dockerfile ../shared/corpus/dockerfiles 1'
//     'node bench/dockerfile-utils-lint.js --quiet ../shared/corpus/dockerfiles/*.Dockerfile'

#include "dockerfile/linter.h"
#include "dockerfile/parser.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>

using namespace stagecraft;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
#ifdef STAGECRAFT_SHARED_DIR
    QString dir = QStringLiteral(STAGECRAFT_SHARED_DIR "/corpus/dockerfiles");
#else
    QString dir = QStringLiteral("../shared/corpus/dockerfiles");
#endif
    if (args.size() > 1)
        dir = args.at(1);
    const int rounds = args.size() > 2 ? std::max(1, args.at(2).toInt()) : 20;

    QList<QPair<QString, QByteArray>> files;
    for (const QString &name :
         QDir(dir).entryList({QStringLiteral("*Dockerfile*"), QStringLiteral("Containerfile*")},
                             QDir::Files, QDir::Name)) {
        QFile f(QDir(dir).filePath(name));
        if (f.open(QIODevice::ReadOnly))
            files.append({name, f.readAll()});
    }
    if (files.isEmpty()) {
        std::fprintf(stderr, "bench_dockerfile: no Dockerfiles in %s\n", qPrintable(dir));
        return 2;
    }

    QList<qint64> perFile(files.size(), 0);
    qint64 parseNs = 0;
    qint64 lintNs = 0;
    qsizetype findings = 0;
    qint64 bytes = 0;
    QElapsedTimer total;
    total.start();
    for (int round = 0; round < rounds; ++round) {
        for (qsizetype i = 0; i < files.size(); ++i) {
            QElapsedTimer t;
            t.start();
            const auto df = dockerfile::Parser::parse(files.at(i).second, files.at(i).first);
            const qint64 parsed = t.nsecsElapsed();
            const auto found = dockerfile::Linter::lint(df);
            const qint64 done = t.nsecsElapsed();
            perFile[i] += done;
            parseNs += parsed;
            lintNs += done - parsed;
            if (round == 0) {
                findings += found.size();
                bytes += files.at(i).second.size();
            }
        }
    }
    const double totalMs = double(total.nsecsElapsed()) / 1e6;

    QList<double> means;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const double us = double(perFile.at(i)) / rounds / 1e3;
        means.append(us);
        std::printf("%10.1f us  %6lld B  %s\n", us, qlonglong(files.at(i).second.size()),
                    qPrintable(files.at(i).first));
    }
    std::sort(means.begin(), means.end());
    double sum = 0;
    for (double m : means)
        sum += m;
    std::printf("\nfiles: %lld  bytes: %lld  findings: %lld  rounds: %d\n", qlonglong(files.size()),
                qlonglong(bytes), qlonglong(findings), rounds);
    std::printf("mean per file: %.1f us  median: %.1f us  p95: %.1f us  max: %.1f us\n",
                sum / means.size(), means.at(means.size() / 2),
                means.at(std::min<qsizetype>(means.size() - 1, qsizetype(means.size() * 0.95))),
                means.last());
    std::printf("whole corpus per round: %.2f ms (parse %.2f ms, rules %.2f ms)\n",
                totalMs / rounds, double(parseNs) / rounds / 1e6, double(lintNs) / rounds / 1e6);
    return 0;
}
