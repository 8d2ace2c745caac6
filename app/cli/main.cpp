#include "commands.h"
#include "plancommands.h"
#include "runcommands.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace {

void printUsage(QTextStream &stream)
{
    stream << QCoreApplication::translate(
        "stagecraft-cli",
        "Usage: stagecraft-cli <command> [options]\n"
        "\n"
        "Commands:\n"
        "  lint [--format text|json|codequality] [--include-cache DIR] [--no-shellcheck] PATH...\n"
        "        Check CI configurations (a .gitlab-ci.yml file or a project folder) and\n"
        "        Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile; in the\n"
        "        folder and its subfolders). --no-shellcheck: skip ShellCheck on job\n"
        "        scripts and RUN instructions.\n"
        "  config [--include-cache DIR] PATH\n"
        "        Print the merged configuration (includes, extends, !reference, anchors).\n"
        "  graph [PATH] [--ref R] [--source S] [--var K=V]... [--changed F]...\n"
        "        [--target-branch B] [--uncommitted] [--view stage|needs]\n"
        "        [--format text|json|dot|mermaid|svg]\n"
        "        Plan the pipeline: which jobs run, in what order, and why others do not.\n"
        "  diff [PATH] [--against REV] [--format text|json] [graph's context options]\n"
        "        What the working tree changes in the pipeline compared with REV (HEAD).\n"
        "  run [PATH] [JOB...] [--needs] [--executor shell|docker|kubernetes] [--var K=V]...\n"
        "      [--variables-file F]... [--privileged] [--concurrency N] [--keep-failed]\n"
        "      [--manual] [--data-dir D] [--keep-pipelines N] [graph's context options]\n"
        "      [--docker-host H] [--default-image I] [--pull-policy P[,P]...]\n"
        "      [--context C] [--namespace N] [--service-account SA] [--helper-image I]\n"
        "      [--cpu-request Q] [--cpu-limit Q] [--memory-request Q] [--memory-limit Q]\n"
        "      [--node-selector K=V]... [--cache-claim PVC] [--mount-project]\n"
        "      [--registry HOST[:PORT]]\n"
        "        Run the pipeline (or the named jobs; --needs: with what they need) on this\n"
        "        machine. --keep-failed: keep the environment of failed jobs to enter it;\n"
        "        --manual: run manual jobs too. --keep-pipelines: how many pipelines the data\n"
        "        folder keeps (20; 0: all). Docker executor: --docker-host (DOCKER_HOST, else\n"
        "        the default socket), --default-image for jobs without image: (busybox:latest),\n"
        "        --pull-policy always|if-not-present|never (if-not-present). Kubernetes\n"
        "        executor: --context and --namespace (the kubeconfig's current context and\n"
        "        its namespace), the pods' service account, helper image, resources (Q: 500m,\n"
        "        1Gi), node selector, cache claim (PVC at /cache), --mount-project (hostPath\n"
        "        for a cluster on this machine). --registry: CI_REGISTRY, for CI_REGISTRY_IMAGE "
        "and the\n"
        "        like. Exit status 0 when the pipeline passes, 1 when it fails, 130 when\n"
        "        interrupted.\n"
        "\n"
        "Exit status: 0 no errors, 1 errors found, 2 usage or I/O failure.\n");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("stagecraft-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h" ||
        args.first() == u"help") {
        printUsage(args.isEmpty() ? err : out);
        return args.isEmpty() ? stagecraft::cli::UsageOrIo : stagecraft::cli::Ok;
    }
    if (args.first() == u"--version") {
        out << QCoreApplication::applicationName() << u' ' << QCoreApplication::applicationVersion()
            << u'\n';
        return stagecraft::cli::Ok;
    }
    const QString command = args.takeFirst();
    if (command == u"lint")
        return stagecraft::cli::runLint(args, out, err);
    if (command == u"config")
        return stagecraft::cli::runConfig(args, out, err);
    if (command == u"graph")
        return stagecraft::cli::runGraph(args, out, err);
    if (command == u"diff")
        return stagecraft::cli::runDiff(args, out, err);
    if (command == u"run")
        return stagecraft::cli::runRun(args, out, err);
    err << QCoreApplication::translate("stagecraft-cli", "stagecraft-cli: unknown command '%1'\n")
               .arg(command);
    printUsage(err);
    return stagecraft::cli::UsageOrIo;
}
