// In-process benchmark of the pipeline planner and the graph layout.
//
//   bench_plan [-n RUNS] [--check] [DIR]...
//
// Inputs: a generated 2,000-job project (written in-process into a temporary folder: 20 stages,
// rules with if/changes/exists, needs to earlier stages, parallel and matrix jobs) and the
// largest project of the shared corpus (by YAML lines; STAGECRAFT_SHARED overrides the folder
// configured at build time), plus any DIR given. The configuration is resolved once; what is
// timed is Planner::plan + stageLayout + dependencyLayout (the median and the best of RUNS).
// --check: exit 1 when the generated 2,000-job project misses its aim (< 50 ms).
//
// Build wiring (bench/CMakeLists.txt) follows bench_ci: link Stagecraft::Core and define
// STAGECRAFT_SOURCE_DIR and STAGECRAFT_SHARED_DIR.

#include "ci/resolver.h"
#include "pipeline/layout.h"
#include "pipeline/planner.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace stagecraft;

namespace {

QByteArray generatedProject(int jobs)
{
    const int stages = 20;
    QByteArray y = "stages:\n";
    for (int s = 0; s < stages; ++s)
        y += "  - s" + QByteArray::number(s) + '\n';
    y += "variables:\n  DEPLOY: \"true\"\n  REGION: eu\n";
    y += "workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == \"merge_request_event\"\n"
         "    - if: $CI_COMMIT_BRANCH\n";
    int made = 0;
    for (int i = 0; made < jobs; ++i) {
        const int stage = i % stages;
        const QByteArray name = "job-" + QByteArray::number(i);
        y += name + ":\n  stage: s" + QByteArray::number(stage) + "\n  script: make " + name + '\n';
        switch (i % 5) {
        case 0:
            y += "  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n"
                 "    - if: $CI_COMMIT_BRANCH =~ /^feature\\//\n      when: manual\n"
                 "    - changes: ['src/" +
                 QByteArray::number(i) + "/**/*', 'docs/{a,b}.md']\n";
            break;
        case 1:
            y += "  rules:\n    - exists: ['**/*.go']\n      when: never\n"
                 "    - if: $DEPLOY == \"true\" && $REGION =~ /^eu/\n      variables:\n"
                 "        TARGET: eu-" +
                 QByteArray::number(i) + '\n';
            break;
        case 2:
            y += "  parallel: 3\n";
            break;
        case 3:
            y += "  parallel:\n    matrix:\n      - OS: [linux, mac]\n        ARCH: [amd64]\n";
            break;
        default:
            y += "  only: [branches]\n  except: [tags]\n";
            break;
        }
        made += i % 5 == 2 ? 3 : i % 5 == 3 ? 2 : 1;
        if (stage > 0 && i % 5 != 1) {
            // Up to three needs into the previous stage, crossing each other.
            y += "  needs:\n";
            for (int k = 0; k < 3; ++k) {
                const int row = i / stages;
                const int target = ((row * 7 + k * 13) % (row + 1)) * stages + stage - 1;
                if (k == 0 || target != i - 1)
                    y +=
                        "    - job: job-" + QByteArray::number(target) + "\n      optional: true\n";
            }
        }
    }
    return y;
}

qint64 yamlLines(const QString &dir)
{
    qint64 lines = 0;
    QDirIterator it(dir, {QStringLiteral("*.yml"), QStringLiteral("*.yaml")},
                    QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            lines += f.readAll().count('\n');
    }
    return lines;
}

struct Result
{
    double median = 0;
    double best = 0;
    int jobs = 0;
    int excluded = 0;
    int crossings = 0;
    int needs = 0;
    double planMedian = 0; ///< Planner::plan alone
};

Result run(const QString &dir, int runs, bool corpusProject)
{
    pipeline::PipelineContext context;
    context.ref = QStringLiteral("feature/bench");
    if (corpusProject) {
        // Corpus folders are named owner__project; rules often test the namespace, and merge
        // request pipelines are the ones with the most jobs.
        context.source = QStringLiteral("merge_request_event");
        context.facts.projectPath =
            QDir(dir).dirName().replace(QStringLiteral("__"), QStringLiteral("/"));
    }
    context.changedFiles = QStringList{QStringLiteral("src/10/a/b.c"), QStringLiteral("docs/a.md")};
    context.existingFiles = QStringList{QStringLiteral("README.md"), QStringLiteral("src/x.c")};
    pipeline::PlanOptions options;
    options.resolve.projectRoot = dir;
    const ci::ResolvedConfig config = ci::Resolver::resolve(options.resolve);
    std::vector<double> times;
    std::vector<double> planTimes;
    Result r;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        const pipeline::Plan plan = pipeline::Planner::plan(config, context, options);
        planTimes.push_back(double(t.nsecsElapsed()) / 1e6);
        const pipeline::Layout stage = pipeline::stageLayout(plan);
        const pipeline::Layout needs = pipeline::dependencyLayout(plan);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
        r.jobs = int(plan.jobs.size());
        r.excluded = int(plan.excluded.size());
        r.crossings = stage.crossings + needs.crossings;
        r.needs = 0;
        for (const pipeline::PlannedJob &job : plan.jobs)
            r.needs += int(job.needs.size());
    }
    std::sort(times.begin(), times.end());
    r.median = times[times.size() / 2];
    r.best = times.front();
    std::sort(planTimes.begin(), planTimes.end());
    r.planMedian = planTimes[planTimes.size() / 2];
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 20;
    bool check = false;
    QStringList dirs;
    const QStringList args = app.arguments().mid(1);
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == u"-n" && i + 1 < args.size())
            runs = std::max(1, args[++i].toInt());
        else if (args[i] == u"--check")
            check = true;
        else
            dirs << args[i];
    }
    QTemporaryDir tmp;
    {
        QFile f(tmp.filePath(QStringLiteral(".gitlab-ci.yml")));
        if (!f.open(QIODevice::WriteOnly))
            return 2;
        f.write(generatedProject(2000));
    }
    struct Input
    {
        QString name;
        QString dir;
        double aim;
    };
    QList<Input> inputs{{QStringLiteral("generated-2000-jobs"), tmp.path(), 50.0}};
    QString shared =
        qEnvironmentVariable("STAGECRAFT_SHARED", QStringLiteral(STAGECRAFT_SHARED_DIR));
    const QDir corpus(shared + QStringLiteral("/corpus/gitlab-ci"));
    if (corpus.exists()) {
        QString largest;
        qint64 most = -1;
        for (const QString &p : corpus.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QString d = corpus.filePath(p);
            if (!QFile::exists(d + QStringLiteral("/.gitlab-ci.yml")))
                continue;
            const qint64 lines = yamlLines(d);
            if (lines > most) {
                most = lines;
                largest = d;
            }
        }
        if (!largest.isEmpty())
            inputs << Input{QStringLiteral("corpus:") + QDir(largest).dirName(), largest, 0};
    }
    for (const QString &d : dirs)
        inputs << Input{d, d, 0};
    bool ok = true;
    std::printf("%-40s %8s %8s %8s %6s %8s %6s %9s\n", "input", "median", "best", "plan", "jobs",
                "excluded", "needs", "crossings");
    for (const Input &in : inputs) {
        const Result r = run(in.dir, runs, in.name.startsWith(u"corpus:"));
        std::printf("%-40s %6.2fms %6.2fms %6.2fms %6d %8d %6d %9d\n", qPrintable(in.name),
                    r.median, r.best, r.planMedian, r.jobs, r.excluded, r.needs, r.crossings);
        if (in.aim > 0 && r.median > in.aim) {
            std::printf("  misses its aim of %.0f ms\n", in.aim);
            ok = false;
        }
    }
    return check && !ok ? 1 : 0;
}
