// In-process benchmark of the whole CI check (resolve + validate, i.e. ci::lint) on a few inputs.
// See docs/benchmarks.md for the inputs, the aims and how to read the numbers.
//
//   bench_ci [-n RUNS] [--check] [NAME=DIR | DIR]...
//
// Without DIR arguments it writes the synthetic inputs with bench/gen-project.py into a temporary
// folder and adds the largest corpus project from the shared folder when that folder is present.
// STAGECRAFT_SHARED (environment) overrides the shared folder configured at build time.
// Columns: wall-clock min and median per run, and the median CPU time of the process per run
// (close to the wall time on an idle machine; lower when other processes compete for the cores).
// --check: exit 1 when an input with an aim (typical < 2 ms, 2,000 jobs < 50 ms) misses it.

#include "ci/linter.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace stagecraft;

namespace {

struct Input
{
    QString name;
    QString dir;
    double aimMs = 0; ///< 0: no aim
};

/// Lines in all YAML files under dir (what "size" means for a project), skipping VCS/state dirs.
qint64 yamlLines(const QString &dir)
{
    qint64 lines = 0;
    QDirIterator it(dir, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")},
                    QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(u"/.git/") || path.contains(u"/.gitlab-ci-local/"))
            continue;
        QFile f(path);
        if (f.open(QIODevice::ReadOnly))
            lines += f.readAll().count('\n');
    }
    return lines;
}

bool generate(const QString &out, const QStringList &arguments)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("python3"),
            QStringList{QStringLiteral(STAGECRAFT_SOURCE_DIR "/bench/gen-project.py")} + arguments
                + QStringList{out});
    if (!p.waitForFinished(120'000) || p.exitStatus() != QProcess::NormalExit
        || p.exitCode() != 0) {
        std::fprintf(stderr, "bench_ci: gen-project.py failed for %s\n", qPrintable(out));
        return false;
    }
    return true;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int usage()
{
    std::fprintf(stderr, "usage: bench_ci [-n RUNS] [--check] [NAME=DIR | DIR]...\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 30;
    bool check = false;
    QList<Input> inputs;
    QStringList args = app.arguments().mid(1);
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args.at(i);
        if (a == u"-n" && i + 1 < args.size()) {
            bool ok = false;
            runs = args.at(++i).toInt(&ok);
            if (!ok || runs < 1)
                return usage();
        } else if (a == u"--check") {
            check = true;
        } else if (a.startsWith(u'-')) {
            return usage();
        } else {
            const qsizetype eq = a.indexOf(u'=');
            const QString dir = eq > 0 ? a.mid(eq + 1) : a;
            const QString name = eq > 0 ? a.left(eq) : QFileInfo(dir).fileName();
            inputs.append({name, QFileInfo(dir).absoluteFilePath()});
        }
    }

    QTemporaryDir tmp;
    if (inputs.isEmpty()) {
        if (!tmp.isValid())
            return 2;
        const QString typical = tmp.filePath(QStringLiteral("typical"));
        const QString jobs2000 = tmp.filePath(QStringLiteral("jobs-2000"));
        if (!generate(typical, {QStringLiteral("--typical")})
            || !generate(jobs2000, {QStringLiteral("--jobs"), QStringLiteral("2000")}))
            return 2;
        inputs.append({QStringLiteral("typical"), typical, 2.0});
        inputs.append({QStringLiteral("jobs-2000"), jobs2000, 50.0});
        // The largest corpus project (by YAML lines) that gitlab-ci-local lists offline.
        // STAGECRAFT_SHARED in the environment overrides the folder configured at build time.
        QString shared = qEnvironmentVariable("STAGECRAFT_SHARED");
        if (shared.isEmpty())
            shared = QStringLiteral(STAGECRAFT_SHARED_DIR);
        const QString corpus = shared + QStringLiteral("/corpus/gitlab-ci/gromacs__gromacs");
        if (QFileInfo::exists(corpus + QStringLiteral("/.gitlab-ci.yml")))
            inputs.append({QStringLiteral("gromacs"), corpus});
        else
            std::fprintf(stderr, "bench_ci: %s is absent: corpus input skipped\n",
                         qPrintable(corpus));
    } else {
        for (Input &in : inputs) {
            if (in.name == u"typical")
                in.aimMs = 2.0;
            else if (in.name == u"jobs-2000")
                in.aimMs = 50.0;
        }
    }

#ifndef NDEBUG
    std::fprintf(stderr, "bench_ci: warning: assertions are on; use the release preset\n");
#endif
    std::printf("%-12s %7s %6s %5s %6s %6s %5s %9s %9s %9s  %s\n", "input", "lines", "files",
                "jobs", "errors", "diags", "runs", "min ms", "median ms", "cpu ms", "aim (median)");
    bool missed = false;
    for (const Input &in : inputs) {
        if (!QFileInfo::exists(in.dir + QStringLiteral("/.gitlab-ci.yml"))) {
            std::fprintf(stderr, "bench_ci: %s: no .gitlab-ci.yml\n", qPrintable(in.dir));
            return 2;
        }
        ci::ResolveOptions options;
        options.projectRoot = in.dir;
        // Warm-up: fills the page cache and any lazily built static tables.
        const ci::LintResult first = ci::lint(options);
        std::vector<double> times;
        std::vector<double> cpuTimes; // on a shared machine, wall time also counts waiting
        times.reserve(size_t(runs));
        cpuTimes.reserve(size_t(runs));
        QElapsedTimer timer;
        for (int r = 0; r < runs; ++r) {
            timespec cpuStart{};
            timespec cpuEnd{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpuStart);
            timer.start();
            const ci::LintResult result = ci::lint(options);
            times.push_back(double(timer.nsecsElapsed()) / 1e6);
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpuEnd);
            cpuTimes.push_back(double(cpuEnd.tv_sec - cpuStart.tv_sec) * 1e3
                               + double(cpuEnd.tv_nsec - cpuStart.tv_nsec) / 1e6);
        }
        int jobs = 0;
        for (const ci::Job &j : first.config.jobs)
            jobs += j.hidden ? 0 : 1;
        const double med = median(times);
        QByteArray aim = "-";
        if (in.aimMs > 0) {
            const bool ok = med < in.aimMs;
            missed = missed || !ok;
            aim = QByteArray("< ") + QByteArray::number(in.aimMs) + " ms: "
                  + (ok ? "met" : "MISSED");
        }
        std::printf("%-12s %7lld %6lld %5d %6d %6lld %5d %9.3f %9.3f %9.3f  %s\n",
                    qPrintable(in.name), static_cast<long long>(yamlLines(in.dir)),
                    static_cast<long long>(first.config.files.size()), jobs,
                    diag::countOf(first.diagnostics, diag::Severity::Error),
                    static_cast<long long>(first.diagnostics.size()), runs,
                    *std::min_element(times.begin(), times.end()), med, median(cpuTimes),
                    aim.constData());
        std::fflush(stdout);
    }
    return check && missed ? 1 : 0;
}
