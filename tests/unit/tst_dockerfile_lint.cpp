#include "dockerfile/linter.h"
#include "dockerfile/parser.h"

#include <QTest>

using namespace stagecraft;
using namespace stagecraft::dockerfile;

namespace {

QString rangeOf(const diag::Diagnostic &d)
{
    return QStringLiteral("%1:%2-%3:%4")
        .arg(d.range.start.line)
        .arg(d.range.start.column)
        .arg(d.range.end.line)
        .arg(d.range.end.column);
}

QStringList rangesFor(const diag::Diagnostics &all, const QString &code)
{
    QStringList out;
    for (const auto &d : all) {
        if (d.code == code)
            out << rangeOf(d);
    }
    return out;
}

const diag::Diagnostic *find(const diag::Diagnostics &all, const QString &code)
{
    for (const auto &d : all) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestDockerfileLint : public QObject
{
    Q_OBJECT

private slots:
    /// One firing and one quiet row per rule: exact code, ranges and (when firing) message.
    void rules_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("ranges");
        QTest::addColumn<QString>("message");
        QTest::newRow("DL3000 fires")
            << QStringLiteral("DL3000") << QStringLiteral("FROM a:1\nWORKDIR app\n")
            << QStringList{QStringLiteral("2:9-2:12")} << QStringLiteral("Use absolute WORKDIR");
        QTest::newRow("DL3000 quiet")
            << QStringLiteral("DL3000") << QStringLiteral("FROM a:1\nWORKDIR /app\n")
            << QStringList{} << QString();
        QTest::newRow("DL3001 fires")
            << QStringLiteral("DL3001")
            << QStringLiteral("FROM a:1\nRUN apt-get update && service nginx start\n")
            << QStringList{QStringLiteral("2:23-2:42")}
            << QStringLiteral("For some bash commands it makes no sense running them in a Docker "
                              "container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, "
                              "`top`, `kill`, `mount`, `ifconfig`");
        QTest::newRow("DL3001 quiet")
            << QStringLiteral("DL3001") << QStringLiteral("FROM a:1\nRUN echo service\n")
            << QStringList{} << QString();
        QTest::newRow("DL3002 fires")
            << QStringLiteral("DL3002") << QStringLiteral("FROM a:1\nUSER app\nUSER root\n")
            << QStringList{QStringLiteral("3:6-3:10")}
            << QStringLiteral("Last USER should not be root");
        QTest::newRow("DL3002 quiet")
            << QStringLiteral("DL3002") << QStringLiteral("FROM a:1\nUSER root\nUSER 1000\n")
            << QStringList{} << QString();
        QTest::newRow("DL3003 fires")
            << QStringLiteral("DL3003") << QStringLiteral("FROM a:1\nRUN cd /tmp && make\n")
            << QStringList{QStringLiteral("2:5-2:12")}
            << QStringLiteral("Use WORKDIR to switch to a directory");
        QTest::newRow("DL3003 quiet")
            << QStringLiteral("DL3003") << QStringLiteral("FROM a:1\nWORKDIR /tmp\nRUN make\n")
            << QStringList{} << QString();
        QTest::newRow("DL3004 fires")
            << QStringLiteral("DL3004") << QStringLiteral("FROM a:1\nRUN sudo make install\n")
            << QStringList{QStringLiteral("2:5-2:22")}
            << QStringLiteral("Do not use sudo as it leads to unpredictable behavior. Use a tool "
                              "like gosu to enforce root");
        QTest::newRow("DL3004 quiet")
            << QStringLiteral("DL3004") << QStringLiteral("FROM a:1\nRUN gosu app make install\n")
            << QStringList{} << QString();
        QTest::newRow("DL3006 fires")
            << QStringLiteral("DL3006") << QStringLiteral("FROM debian\n")
            << QStringList{QStringLiteral("1:6-1:12")}
            << QStringLiteral("Always tag the version of an image explicitly");
        QTest::newRow("DL3006 quiet")
            << QStringLiteral("DL3006") << QStringLiteral("FROM debian:12\nFROM scratch\n")
            << QStringList{} << QString();
        QTest::newRow("DL3007 fires")
            << QStringLiteral("DL3007") << QStringLiteral("FROM debian:latest\n")
            << QStringList{QStringLiteral("1:6-1:19")}
            << QStringLiteral("Using latest is prone to errors if the image will ever update. Pin "
                              "the version explicitly to a release tag");
        QTest::newRow("DL3007 quiet")
            << QStringLiteral("DL3007")
            << QStringLiteral("FROM "
                              "debian:12@sha256:"
                              "0000000000000000000000000000000000000000000000000000000000000000\n")
            << QStringList{} << QString();
        QTest::newRow("DL3008 fires")
            << QStringLiteral("DL3008")
            << QStringLiteral(
                   "FROM a:1\nRUN apt-get install -y --no-install-recommends curl git=1:2.39\n")
            << QStringList{QStringLiteral("2:48-2:52")}
            << QStringLiteral("Pin versions in apt get install. Instead of `apt-get install "
                              "<package>` use `apt-get install <package>=<version>`");
        QTest::newRow("DL3008 release-pinned")
            << QStringLiteral("DL3008")
            << QStringLiteral("FROM a:1\nRUN apt-get install -y --no-install-recommends -t "
                              "bookworm-backports git/bookworm-backports\n")
            << QStringList{} << QString();
        QTest::newRow("DL3008 quiet")
            << QStringLiteral("DL3008")
            << QStringLiteral(
                   "FROM a:1\nRUN apt-get install -y --no-install-recommends git=1:2.39 ./x.deb\n")
            << QStringList{} << QString();
        QTest::newRow("DL3009 fires")
            << QStringLiteral("DL3009")
            << QStringLiteral("FROM a:1\nRUN apt-get update && apt-get install -y "
                              "--no-install-recommends c=1\n")
            << QStringList{QStringLiteral("2:5-2:19")}
            << QStringLiteral("Delete the apt-get lists after installing something.");
        QTest::newRow("DL3009 quiet")
            << QStringLiteral("DL3009")
            << QStringLiteral("FROM a:1\nRUN apt-get update && apt-get install -y "
                              "--no-install-recommends c=1 && rm -rf /var/lib/apt/lists/*\n")
            << QStringList{} << QString();
        QTest::newRow("DL3010 fires")
            << QStringLiteral("DL3010")
            << QStringLiteral("FROM a:1\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n")
            << QStringList{QStringLiteral("2:6-2:16")}
            << QStringLiteral("Use `ADD` for extracting archives into an image.");
        QTest::newRow("DL3010 quiet")
            << QStringLiteral("DL3010")
            << QStringLiteral("FROM a:1\nCOPY app.tar.gz /tmp/\nRUN cp /tmp/app.tar.gz /srv/\n")
            << QStringList{} << QString();
        QTest::newRow("DL3011 fires")
            << QStringLiteral("DL3011") << QStringLiteral("FROM a:1\nEXPOSE 80 70000\n")
            << QStringList{QStringLiteral("2:11-2:16")}
            << QStringLiteral("Valid UNIX ports range from 0 to 65535");
        QTest::newRow("DL3011 quiet")
            << QStringLiteral("DL3011") << QStringLiteral("FROM a:1\nEXPOSE 80 443/tcp 8000-8080\n")
            << QStringList{} << QString();
        QTest::newRow("DL3012 fires")
            << QStringLiteral("DL3012")
            << QStringLiteral("FROM a:1\nHEALTHCHECK CMD true\nHEALTHCHECK CMD false\n")
            << QStringList{QStringLiteral("3:1-3:12")}
            << QStringLiteral("Multiple `HEALTHCHECK` instructions.");
        QTest::newRow("DL3012 quiet")
            << QStringLiteral("DL3012")
            << QStringLiteral("FROM a:1\nHEALTHCHECK CMD true\nFROM b:1\nHEALTHCHECK CMD true\n")
            << QStringList{} << QString();
        QTest::newRow("DL3013 fires")
            << QStringLiteral("DL3013")
            << QStringLiteral("FROM a:1\nRUN pip install --no-cache-dir flask requests==2.31\n")
            << QStringList{QStringLiteral("2:32-2:37")}
            << QStringLiteral(
                   "Pin versions in pip. Instead of `pip install <package>` use `pip install "
                   "<package>==<version>` or `pip install --requirement <requirements file>`");
        QTest::newRow("DL3013 VCS")
            << QStringLiteral("DL3013")
            << QStringLiteral("FROM a:1\nRUN pip install --no-cache-dir git+https://e.com/a.git "
                              "git+https://e.com/b.git@v1 ./pkg\n")
            << QStringList{QStringLiteral("2:32-2:55")} << QString();
        QTest::newRow("DL3013 quiet")
            << QStringLiteral("DL3013")
            << QStringLiteral(
                   "FROM a:1\nRUN pip install --no-cache-dir -r requirements.txt \"flask>=3\" .\n")
            << QStringList{} << QString();
        QTest::newRow("DL3014 fires")
            << QStringLiteral("DL3014")
            << QStringLiteral("FROM a:1\nRUN apt-get install --no-install-recommends curl=1\n")
            << QStringList{QStringLiteral("2:5-2:51")}
            << QStringLiteral(
                   "Use the `-y` switch to avoid manual input `apt-get -y install <package>`");
        QTest::newRow("DL3014 quiet")
            << QStringLiteral("DL3014")
            << QStringLiteral("FROM a:1\nRUN apt-get -qq install --no-install-recommends curl=1\n")
            << QStringList{} << QString();
        QTest::newRow("DL3015 fires")
            << QStringLiteral("DL3015")
            << QStringLiteral("FROM a:1\nRUN apt-get install -y curl=1\n")
            << QStringList{QStringLiteral("2:5-2:30")}
            << QStringLiteral("Avoid additional packages by specifying `--no-install-recommends`");
        QTest::newRow("DL3015 quiet")
            << QStringLiteral("DL3015")
            << QStringLiteral(
                   "FROM a:1\nRUN apt-get install -y -o APT::Install-Recommends=false curl=1\n")
            << QStringList{} << QString();
        QTest::newRow("DL3016 fires")
            << QStringLiteral("DL3016")
            << QStringLiteral("FROM a:1\nRUN npm install express @types/node@20\n")
            << QStringList{QStringLiteral("2:17-2:24")}
            << QStringLiteral("Pin versions in npm. Instead of `npm install <package>` use `npm "
                              "install <package>@<version>`");
        QTest::newRow("DL3016 quiet")
            << QStringLiteral("DL3016")
            << QStringLiteral("FROM a:1\nRUN npm install && npm install express@4 ./local\n")
            << QStringList{} << QString();
        QTest::newRow("DL3018 fires")
            << QStringLiteral("DL3018")
            << QStringLiteral("FROM a:1\nRUN apk add --no-cache curl bash=5.2\n")
            << QStringList{QStringLiteral("2:24-2:28")}
            << QStringLiteral("Pin versions in apk add. Instead of `apk add <package>` use `apk "
                              "add <package>=<version>`");
        QTest::newRow("DL3018 tilde")
            << QStringLiteral("DL3018")
            << QStringLiteral("FROM a:1\nRUN apk add --no-cache curl~8.5\n") << QStringList{}
            << QString();
        QTest::newRow("DL3018 quiet")
            << QStringLiteral("DL3018")
            << QStringLiteral("FROM a:1\nRUN apk add --no-cache --virtual .deps curl=8.5\n")
            << QStringList{} << QString();
        QTest::newRow("DL3019 fires")
            << QStringLiteral("DL3019") << QStringLiteral("FROM a:1\nRUN apk add curl=8.5\n")
            << QStringList{QStringLiteral("2:5-2:21")}
            << QStringLiteral("Use the `--no-cache` switch to avoid the need to use `--update` and "
                              "remove `/var/cache/apk/*` when done installing packages");
        QTest::newRow("DL3019 quiet")
            << QStringLiteral("DL3019")
            << QStringLiteral("FROM a:1\nRUN apk add --no-cache curl=8.5\n") << QStringList{}
            << QString();
        QTest::newRow("DL3020 fires")
            << QStringLiteral("DL3020") << QStringLiteral("FROM a:1\nADD app /srv/app\n")
            << QStringList{QStringLiteral("2:5-2:8")}
            << QStringLiteral("Use COPY instead of ADD for files and folders");
        QTest::newRow("DL3020 quiet")
            << QStringLiteral("DL3020")
            << QStringLiteral(
                   "FROM a:1\nADD https://example.com/a.tgz /srv/\nADD rootfs.tar.xz /\n")
            << QStringList{} << QString();
        QTest::newRow("DL3021 fires")
            << QStringLiteral("DL3021") << QStringLiteral("FROM a:1\nCOPY a b /srv\n")
            << QStringList{QStringLiteral("2:10-2:14")}
            << QStringLiteral(
                   "COPY with more than 2 arguments requires the last argument to end with /");
        QTest::newRow("DL3021 quiet")
            << QStringLiteral("DL3021") << QStringLiteral("FROM a:1\nCOPY a b /srv/\n")
            << QStringList{} << QString();
        QTest::newRow("DL3022 fires")
            << QStringLiteral("DL3022")
            << QStringLiteral("FROM a:1\nCOPY --from=builder /a /b\nFROM b:1 AS builder\n")
            << QStringList{QStringLiteral("2:13-2:20")}
            << QStringLiteral("`COPY --from` should reference a previously defined `FROM` alias");
        QTest::newRow("DL3022 quiet")
            << QStringLiteral("DL3022")
            << QStringLiteral("FROM a:1 AS builder\nFROM b:1\nCOPY --from=builder /a /b\nCOPY "
                              "--from=0 /a /c\nCOPY --from=alpine:3 /a /d\n")
            << QStringList{} << QString();
        QTest::newRow("DL3023 fires")
            << QStringLiteral("DL3023")
            << QStringLiteral("FROM a:1 AS app\nCOPY --from=app /a /b\n")
            << QStringList{QStringLiteral("2:13-2:16")}
            << QStringLiteral("`COPY --from` cannot reference its own `FROM` alias");
        QTest::newRow("DL3023 quiet")
            << QStringLiteral("DL3023")
            << QStringLiteral("FROM a:1 AS build\nFROM a:1 AS app\nCOPY --from=build /a /b\n")
            << QStringList{} << QString();
        QTest::newRow("DL3024 fires")
            << QStringLiteral("DL3024") << QStringLiteral("FROM a:1 AS x\nFROM b:1 AS x\n")
            << QStringList{QStringLiteral("2:13-2:14")}
            << QStringLiteral("`FROM` aliases (stage names) must be unique");
        QTest::newRow("DL3024 quiet")
            << QStringLiteral("DL3024") << QStringLiteral("FROM a:1 AS x\nFROM b:1 AS y\n")
            << QStringList{} << QString();
        QTest::newRow("DL3025 fires")
            << QStringLiteral("DL3025") << QStringLiteral("FROM a:1\nCMD node server.js\n")
            << QStringList{QStringLiteral("2:5-2:19")}
            << QStringLiteral("Use arguments JSON notation for CMD and ENTRYPOINT arguments");
        QTest::newRow("DL3025 quiet") << QStringLiteral("DL3025")
                                      << QStringLiteral("FROM a:1\nCMD [\"node\", \"server.js\"]\n")
                                      << QStringList{} << QString();
        QTest::newRow("DL3027 fires")
            << QStringLiteral("DL3027") << QStringLiteral("FROM a:1\nRUN apt install -y curl\n")
            << QStringList{QStringLiteral("2:5-2:24")}
            << QStringLiteral("Do not use apt as it is meant to be a end-user tool, use apt-get or "
                              "apt-cache instead");
        QTest::newRow("DL3027 quiet")
            << QStringLiteral("DL3027") << QStringLiteral("FROM a:1\nRUN apt-cache policy curl\n")
            << QStringList{} << QString();
        QTest::newRow("DL3028 fires")
            << QStringLiteral("DL3028")
            << QStringLiteral("FROM a:1\nRUN gem install rails bundler:2.5\n")
            << QStringList{QStringLiteral("2:17-2:22")}
            << QStringLiteral("Pin versions in gem install. Instead of `gem install <gem>` use "
                              "`gem install <gem>:<version>`");
        QTest::newRow("DL3028 quiet") << QStringLiteral("DL3028")
                                      << QStringLiteral("FROM a:1\nRUN gem install rails -v 7.1\n")
                                      << QStringList{} << QString();
        QTest::newRow("DL3029 fires")
            << QStringLiteral("DL3029") << QStringLiteral("FROM --platform=linux/amd64 debian:12\n")
            << QStringList{QStringLiteral("1:6-1:28")}
            << QStringLiteral("Do not use --platform flag with FROM");
        QTest::newRow("DL3029 quiet")
            << QStringLiteral("DL3029")
            << QStringLiteral("FROM --platform=$BUILDPLATFORM debian:12\n") << QStringList{}
            << QString();
        QTest::newRow("DL3030 fires")
            << QStringLiteral("DL3030")
            << QStringLiteral("FROM a:1\nRUN yum install httpd-2.4 && yum clean all\n")
            << QStringList{QStringLiteral("2:5-2:26")}
            << QStringLiteral("Use the -y switch to avoid manual input `yum install -y <package`");
        QTest::newRow("DL3030 quiet")
            << QStringLiteral("DL3030")
            << QStringLiteral("FROM a:1\nRUN yum install -y httpd-2.4 && yum clean all\n")
            << QStringList{} << QString();
        QTest::newRow("DL3032 fires")
            << QStringLiteral("DL3032")
            << QStringLiteral("FROM a:1\nRUN yum install -y httpd-2.4\n")
            << QStringList{QStringLiteral("2:5-2:29")}
            << QStringLiteral("`yum clean all` missing after yum command.");
        QTest::newRow("DL3032 quiet")
            << QStringLiteral("DL3032")
            << QStringLiteral("FROM a:1\nRUN yum install -y httpd-2.4 && yum clean all\n")
            << QStringList{} << QString();
        QTest::newRow("DL3033 fires")
            << QStringLiteral("DL3033")
            << QStringLiteral("FROM a:1\nRUN yum install -y httpd && yum clean all\n")
            << QStringList{QStringLiteral("2:20-2:25")}
            << QStringLiteral("Specify version with `yum install -y <package>-<version>`.");
        QTest::newRow("DL3033 quiet")
            << QStringLiteral("DL3033")
            << QStringLiteral("FROM a:1\nRUN yum install -y httpd-2.4.6 && yum clean all\n")
            << QStringList{} << QString();
        QTest::newRow("DL3034 fires")
            << QStringLiteral("DL3034")
            << QStringLiteral("FROM a:1\nRUN zypper install httpd=2.4 && zypper clean\n")
            << QStringList{QStringLiteral("2:5-2:29")}
            << QStringLiteral(
                   "Non-interactive switch missing from `zypper` command: `zypper install -y`");
        QTest::newRow("DL3034 quiet")
            << QStringLiteral("DL3034")
            << QStringLiteral("FROM a:1\nRUN zypper install -y httpd=2.4 && zypper clean\n")
            << QStringList{} << QString();
        QTest::newRow("DL3035 fires")
            << QStringLiteral("DL3035") << QStringLiteral("FROM a:1\nRUN zypper dist-upgrade -y\n")
            << QStringList{QStringLiteral("2:5-2:27")}
            << QStringLiteral("Do not use `zypper dist-upgrade`.");
        QTest::newRow("DL3035 quiet")
            << QStringLiteral("DL3035") << QStringLiteral("FROM a:1\nRUN zypper update -y\n")
            << QStringList{} << QString();
        QTest::newRow("DL3036 fires")
            << QStringLiteral("DL3036")
            << QStringLiteral("FROM a:1\nRUN zypper install -y httpd=2.4\n")
            << QStringList{QStringLiteral("2:5-2:32")}
            << QStringLiteral("`zypper clean` missing after zypper use.");
        QTest::newRow("DL3036 quiet")
            << QStringLiteral("DL3036")
            << QStringLiteral("FROM a:1\nRUN zypper install -y httpd=2.4 && zypper cc\n")
            << QStringList{} << QString();
        QTest::newRow("DL3037 fires")
            << QStringLiteral("DL3037")
            << QStringLiteral("FROM a:1\nRUN zypper install -y httpd && zypper clean\n")
            << QStringList{QStringLiteral("2:23-2:28")}
            << QStringLiteral("Specify version with `zypper install -y <package>=<version>`.");
        QTest::newRow("DL3037 quiet")
            << QStringLiteral("DL3037")
            << QStringLiteral("FROM a:1\nRUN zypper install -y 'httpd>=2.4' && zypper clean\n")
            << QStringList{} << QString();
        QTest::newRow("DL3038 fires")
            << QStringLiteral("DL3038")
            << QStringLiteral("FROM a:1\nRUN dnf install httpd-2.4 && dnf clean all\n")
            << QStringList{QStringLiteral("2:5-2:26")}
            << QStringLiteral("Use the -y switch to avoid manual input `dnf install -y <package`");
        QTest::newRow("DL3038 quiet")
            << QStringLiteral("DL3038")
            << QStringLiteral("FROM a:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n")
            << QStringList{} << QString();
        QTest::newRow("DL3040 fires")
            << QStringLiteral("DL3040")
            << QStringLiteral("FROM a:1\nRUN dnf install -y httpd-2.4\n")
            << QStringList{QStringLiteral("2:5-2:29")}
            << QStringLiteral("`dnf clean all` missing after dnf command.");
        QTest::newRow("DL3040 quiet")
            << QStringLiteral("DL3040")
            << QStringLiteral("FROM a:1\nRUN --mount=type=cache,target=/var/cache/dnf dnf install "
                              "-y httpd-2.4\n")
            << QStringList{} << QString();
        QTest::newRow("DL3041 fires")
            << QStringLiteral("DL3041")
            << QStringLiteral("FROM a:1\nRUN microdnf install -y httpd && microdnf clean all\n")
            << QStringList{QStringLiteral("2:25-2:30")}
            << QStringLiteral("Specify version with `dnf install -y <package>-<version>`");
        QTest::newRow("DL3041 quiet")
            << QStringLiteral("DL3041")
            << QStringLiteral("FROM a:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n")
            << QStringList{} << QString();
        QTest::newRow("DL3042 fires")
            << QStringLiteral("DL3042")
            << QStringLiteral("FROM a:1\nRUN pip install -r requirements.txt\n")
            << QStringList{QStringLiteral("2:5-2:36")}
            << QStringLiteral("Avoid use of cache directory with pip. Use `pip install "
                              "--no-cache-dir <package>`");
        QTest::newRow("DL3042 inline variable")
            << QStringLiteral("DL3042")
            << QStringLiteral("FROM a:1\nRUN PIP_NO_CACHE_DIR=1 pip install -r r.txt\n")
            << QStringList{} << QString();
        QTest::newRow("DL3042 falsy ENV")
            << QStringLiteral("DL3042")
            << QStringLiteral("FROM a:1\nENV PIP_NO_CACHE_DIR=0\nRUN pip install -r r.txt\n")
            << QStringList{QStringLiteral("3:5-3:25")} << QString();
        QTest::newRow("DL3042 quiet")
            << QStringLiteral("DL3042")
            << QStringLiteral(
                   "FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n")
            << QStringList{} << QString();
        QTest::newRow("DL3043 fires")
            << QStringLiteral("DL3043") << QStringLiteral("FROM a:1\nONBUILD FROM b:1\n")
            << QStringList{QStringLiteral("2:9-2:13")}
            << QStringLiteral("`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` "
                              "instruction.");
        QTest::newRow("DL3043 quiet")
            << QStringLiteral("DL3043") << QStringLiteral("FROM a:1\nONBUILD RUN make\n")
            << QStringList{} << QString();
        QTest::newRow("DL3044 fires")
            << QStringLiteral("DL3044") << QStringLiteral("FROM a:1\nENV A=1 B=$A/bin\n")
            << QStringList{QStringLiteral("2:11-2:13")}
            << QStringLiteral("Do not refer to an environment variable within the same `ENV` "
                              "statement where it is defined.");
        QTest::newRow("DL3044 quiet")
            << QStringLiteral("DL3044") << QStringLiteral("FROM a:1\nENV A=1\nENV B=$A/bin\n")
            << QStringList{} << QString();
        QTest::newRow("DL3045 fires")
            << QStringLiteral("DL3045") << QStringLiteral("FROM a:1\nCOPY app.py app/\n")
            << QStringList{QStringLiteral("2:13-2:17")}
            << QStringLiteral("`COPY` to a relative destination without `WORKDIR` set.");
        QTest::newRow("DL3045 quiet")
            << QStringLiteral("DL3045")
            << QStringLiteral("FROM a:1\nWORKDIR /srv\nCOPY app.py app/\n") << QStringList{}
            << QString();
        QTest::newRow("DL3046 fires")
            << QStringLiteral("DL3046") << QStringLiteral("FROM a:1\nRUN useradd -u 1000000 app\n")
            << QStringList{QStringLiteral("2:5-2:27")}
            << QStringLiteral("`useradd` without flag `-l` and high UID will result in excessively "
                              "large Image.");
        QTest::newRow("DL3046 quiet") << QStringLiteral("DL3046")
                                      << QStringLiteral("FROM a:1\nRUN useradd -l -u 1000000 app\n")
                                      << QStringList{} << QString();
        QTest::newRow("DL3047 fires")
            << QStringLiteral("DL3047")
            << QStringLiteral("FROM a:1\nRUN wget https://example.com/f\n")
            << QStringList{QStringLiteral("2:5-2:31")}
            << QStringLiteral(
                   "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. "
                   "Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).");
        QTest::newRow("DL3047 log file")
            << QStringLiteral("DL3047")
            << QStringLiteral("FROM a:1\nRUN wget -o /dev/null -O f https://e.com/f\n")
            << QStringList{} << QString();
        QTest::newRow("DL3047 quiet")
            << QStringLiteral("DL3047")
            << QStringLiteral("FROM a:1\nRUN wget -q https://example.com/f\n") << QStringList{}
            << QString();
        QTest::newRow("DL3048 fires")
            << QStringLiteral("DL3048") << QStringLiteral("FROM a:1\nLABEL Invalid_Key=1\n")
            << QStringList{QStringLiteral("2:7-2:18")} << QStringLiteral("Invalid label key.");
        QTest::newRow("DL3048 quiet")
            << QStringLiteral("DL3048")
            << QStringLiteral("FROM a:1\nLABEL org.opencontainers.image.title=app\n")
            << QStringList{} << QString();
        QTest::newRow("DL3059 fires")
            << QStringLiteral("DL3059") << QStringLiteral("FROM a:1\nRUN make\nRUN make install\n")
            << QStringList{QStringLiteral("3:1-3:4")}
            << QStringLiteral("Multiple consecutive `RUN` instructions. Consider consolidation.");
        QTest::newRow("DL3059 chains are deliberate")
            << QStringLiteral("DL3059")
            << QStringLiteral("FROM a:1\nRUN a && b && c\nRUN d\n# comment\nRUN e\n")
            << QStringList{QStringLiteral("5:1-5:4")}
            << QStringLiteral("Multiple consecutive `RUN` instructions. Consider consolidation.");
        QTest::newRow("DL3059 different mounts")
            << QStringLiteral("DL3059")
            << QStringLiteral("FROM a:1\nRUN a\nRUN --mount=type=cache,target=/c b\n")
            << QStringList{} << QString();
        QTest::newRow("DL3059 quiet")
            << QStringLiteral("DL3059")
            << QStringLiteral("FROM a:1\nRUN make\nCOPY . .\nRUN make install\n") << QStringList{}
            << QString();
        QTest::newRow("DL3060 fires")
            << QStringLiteral("DL3060") << QStringLiteral("FROM a:1\nRUN yarn install\n")
            << QStringList{QStringLiteral("2:5-2:17")}
            << QStringLiteral("`yarn cache clean` missing after `yarn install` was run.");
        QTest::newRow("DL3060 quiet")
            << QStringLiteral("DL3060")
            << QStringLiteral("FROM a:1\nRUN yarn install && yarn cache clean\n") << QStringList{}
            << QString();
        QTest::newRow("DL3061 fires")
            << QStringLiteral("DL3061") << QStringLiteral("WORKDIR /app\nFROM a:1\n")
            << QStringList{QStringLiteral("1:1-1:8")}
            << QStringLiteral("Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` "
                              "or comment.");
        QTest::newRow("DL3061 quiet")
            << QStringLiteral("DL3061") << QStringLiteral("ARG V=1\nFROM a:$V\n") << QStringList{}
            << QString();
        QTest::newRow("DL3062 fires")
            << QStringLiteral("DL3062")
            << QStringLiteral("FROM a:1\nRUN go install example.com/tool\n")
            << QStringList{QStringLiteral("2:16-2:32")}
            << QStringLiteral("Pin versions in go install. Instead of `go install <package>` use "
                              "`go install <package>@<version>`");
        QTest::newRow("DL3062 quiet")
            << QStringLiteral("DL3062")
            << QStringLiteral("FROM a:1\nRUN go install example.com/tool@v1.2.3\n") << QStringList{}
            << QString();
        QTest::newRow("DL3063 fires")
            << QStringLiteral("DL3063") << QStringLiteral("FROM a:1 AS scratch\n")
            << QStringList{QStringLiteral("1:13-1:20")}
            << QStringLiteral("Stage name should not be a reserved word");
        QTest::newRow("DL3063 quiet")
            << QStringLiteral("DL3063") << QStringLiteral("FROM a:1 AS scratchpad\n")
            << QStringList{} << QString();
        QTest::newRow("DL3064 fires")
            << QStringLiteral("DL3064") << QStringLiteral("FROM a:1\nARG API_TOKEN\n")
            << QStringList{QStringLiteral("2:5-2:14")}
            << QStringLiteral(
                   "Potentially sensitive data should not be used in the `ARG` or `ENV` commands");
        QTest::newRow("DL3064 quiet")
            << QStringLiteral("DL3064") << QStringLiteral("FROM a:1\nARG TOKEN_FILE\n")
            << QStringList{} << QString();
        QTest::newRow("DL3065 fires")
            << QStringLiteral("DL3065") << QStringLiteral("FROM --platform=$TARGETPLATFORM a:1\n")
            << QStringList{QStringLiteral("1:6-1:32")}
            << QStringLiteral("Setting FROM --platform to predefined $TARGETPLATFORM in is "
                              "redundant as this is the default behavior");
        QTest::newRow("DL3065 quiet")
            << QStringLiteral("DL3065") << QStringLiteral("FROM --platform=$BUILDPLATFORM a:1\n")
            << QStringList{} << QString();
        QTest::newRow("DL3066 fires")
            << QStringLiteral("DL3066") << QStringLiteral("FROM a:1\nUSER app\n")
            << QStringList{QStringLiteral("2:6-2:9")}
            << QStringLiteral("Non-numeric user-id may not be resolvable by host system");
        QTest::newRow("DL3066 quiet")
            << QStringLiteral("DL3066") << QStringLiteral("FROM a:1\nUSER 1000:1000\n")
            << QStringList{} << QString();
        QTest::newRow("DL3067 fires")
            << QStringLiteral("DL3067")
            << QStringLiteral("FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n")
            << QStringList{QStringLiteral("3:15-3:16")}
            << QStringLiteral("Do not copy an entire filesystem from another stage");
        QTest::newRow("DL3067 quiet")
            << QStringLiteral("DL3067")
            << QStringLiteral("FROM a:1 AS b\nFROM c:1\nCOPY --from=b /out /\n") << QStringList{}
            << QString();
        QTest::newRow("DL4000 fires")
            << QStringLiteral("DL4000") << QStringLiteral("FROM a:1\nMAINTAINER me\n")
            << QStringList{QStringLiteral("2:1-2:14")}
            << QStringLiteral("MAINTAINER is deprecated");
        QTest::newRow("DL4000 quiet")
            << QStringLiteral("DL4000")
            << QStringLiteral("FROM a:1\nLABEL org.opencontainers.image.authors=me\n")
            << QStringList{} << QString();
        QTest::newRow("DL4001 fires")
            << QStringLiteral("DL4001")
            << QStringLiteral(
                   "FROM a:1\nRUN curl -o x https://e.com/x\nRUN wget -q https://e.com/y\n")
            << QStringList{QStringLiteral("3:5-3:28")}
            << QStringLiteral("Either use Wget or Curl but not both");
        QTest::newRow("DL4001 quiet")
            << QStringLiteral("DL4001")
            << QStringLiteral(
                   "FROM a:1\nRUN curl -o x https://e.com/x\nRUN curl -o y https://e.com/y\n")
            << QStringList{} << QString();
        QTest::newRow("DL4003 fires")
            << QStringLiteral("DL4003") << QStringLiteral("FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n")
            << QStringList{QStringLiteral("3:1-3:4")}
            << QStringLiteral("Multiple `CMD` instructions found. If you list more than one `CMD` "
                              "then only the last `CMD` will take effect");
        QTest::newRow("DL4003 quiet")
            << QStringLiteral("DL4003")
            << QStringLiteral("FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n") << QStringList{}
            << QString();
        QTest::newRow("DL4004 fires")
            << QStringLiteral("DL4004")
            << QStringLiteral("FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n")
            << QStringList{QStringLiteral("3:1-3:11")}
            << QStringLiteral("Multiple `ENTRYPOINT` instructions found. If you list more than one "
                              "`ENTRYPOINT` then only the last `ENTRYPOINT` will take effect");
        QTest::newRow("DL4004 quiet")
            << QStringLiteral("DL4004") << QStringLiteral("FROM a:1\nENTRYPOINT [\"a\"]\n")
            << QStringList{} << QString();
        QTest::newRow("DL4005 fires") << QStringLiteral("DL4005")
                                      << QStringLiteral("FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n")
                                      << QStringList{QStringLiteral("2:5-2:29")}
                                      << QStringLiteral("Use SHELL to change the default shell");
        QTest::newRow("DL4005 quiet") << QStringLiteral("DL4005")
                                      << QStringLiteral("FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\n")
                                      << QStringList{} << QString();
        QTest::newRow("DL4006 fires")
            << QStringLiteral("DL4006")
            << QStringLiteral("FROM a:1\nRUN curl -s https://e.com | sh\n")
            << QStringList{QStringLiteral("2:1-2:4")}
            << QStringLiteral(
                   "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are "
                   "using /bin/sh in an alpine image or if your shell is symlinked to busybox then "
                   "consider explicitly setting your SHELL to /bin/ash, or disable this check");
        QTest::newRow("DL4006 quiet on Windows")
            << QStringLiteral("DL4006")
            << QStringLiteral(
                   "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN type a | findstr b\n")
            << QStringList{} << QString();
        QTest::newRow("DL4006 sh -o pipefail does not count")
            << QStringLiteral("DL4006")
            << QStringLiteral(
                   "FROM a:1\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n")
            << QStringList{QStringLiteral("3:1-3:4")} << QString();
        QTest::newRow("DL4006 ash -eo pipefail")
            << QStringLiteral("DL4006")
            << QStringLiteral(
                   "FROM a:1\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n")
            << QStringList{} << QString();
        QTest::newRow("DL4006 quiet")
            << QStringLiteral("DL4006")
            << QStringLiteral("FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN "
                              "curl -s https://e.com | sh\n")
            << QStringList{} << QString();
        QTest::newRow("StageNameCasing fires")
            << QStringLiteral("StageNameCasing") << QStringLiteral("FROM a:1 AS Build\n")
            << QStringList{QStringLiteral("1:13-1:18")}
            << QStringLiteral("Stage name 'Build' should be lowercase");
        QTest::newRow("StageNameCasing quiet")
            << QStringLiteral("StageNameCasing") << QStringLiteral("FROM a:1 AS build\n")
            << QStringList{} << QString();
        QTest::newRow("FromAsCasing fires")
            << QStringLiteral("FromAsCasing") << QStringLiteral("FROM a:1 as build\n")
            << QStringList{QStringLiteral("1:10-1:12")}
            << QStringLiteral("'as' and 'FROM' keywords' casing do not match");
        QTest::newRow("FromAsCasing quiet")
            << QStringLiteral("FromAsCasing") << QStringLiteral("from a:1 as build\n")
            << QStringList{} << QString();
        QTest::newRow("NoEmptyContinuation fires")
            << QStringLiteral("NoEmptyContinuation")
            << QStringLiteral("FROM a:1\nRUN echo a \\\n\n  && echo b\n")
            << QStringList{QStringLiteral("3:1-3:1")} << QStringLiteral("Empty continuation line");
        QTest::newRow("NoEmptyContinuation once per instruction")
            << QStringLiteral("NoEmptyContinuation")
            << QStringLiteral("FROM a:1\nRUN a \\\n\n\n  b \\\n\n  c\nRUN d \\\n\n e\n")
            << QStringList{QStringLiteral("3:1-3:1"), QStringLiteral("9:1-9:1")}
            << QStringLiteral("Empty continuation line");
        QTest::newRow("NoEmptyContinuation quiet")
            << QStringLiteral("NoEmptyContinuation")
            << QStringLiteral("FROM a:1\nRUN echo a \\\n  && echo b\n") << QStringList{}
            << QString();
        QTest::newRow("ConsistentInstructionCasing fires")
            << QStringLiteral("ConsistentInstructionCasing")
            << QStringLiteral("FROM a:1\nRUN true\nrun false\n")
            << QStringList{QStringLiteral("3:1-3:4")}
            << QStringLiteral(
                   "Command 'run' should match the case of the command majority (uppercase)");
        QTest::newRow("ConsistentInstructionCasing quiet")
            << QStringLiteral("ConsistentInstructionCasing")
            << QStringLiteral("from a:1\nrun true\n") << QStringList{} << QString();
        QTest::newRow("DuplicateStageName fires")
            << QStringLiteral("DuplicateStageName")
            << QStringLiteral("FROM a:1 AS x\nFROM b:1 AS X\n")
            << QStringList{QStringLiteral("2:13-2:14")}
            << QStringLiteral("Duplicate stage name \"x\", stage names should be unique");
        QTest::newRow("DuplicateStageName quiet")
            << QStringLiteral("DuplicateStageName")
            << QStringLiteral("FROM a:1 AS x\nFROM b:1 AS y\n") << QStringList{} << QString();
        QTest::newRow("ReservedStageName fires")
            << QStringLiteral("ReservedStageName") << QStringLiteral("FROM a:1 AS context\n")
            << QStringList{QStringLiteral("1:13-1:20")}
            << QStringLiteral(
                   "Stage name should not use the same name as reserved stage \"context\"");
        QTest::newRow("ReservedStageName quiet")
            << QStringLiteral("ReservedStageName") << QStringLiteral("FROM a:1 AS contexts\n")
            << QStringList{} << QString();
        QTest::newRow("JSONArgsRecommended fires")
            << QStringLiteral("JSONArgsRecommended")
            << QStringLiteral("FROM a:1\nENTRYPOINT my-app --serve\n")
            << QStringList{QStringLiteral("2:12-2:26")}
            << QStringLiteral("JSON arguments recommended for ENTRYPOINT to prevent unintended "
                              "behavior related to OS signals");
        QTest::newRow("JSONArgsRecommended quiet")
            << QStringLiteral("JSONArgsRecommended")
            << QStringLiteral("FROM a:1\nENTRYPOINT [\"my-app\", \"--serve\"]\n") << QStringList{}
            << QString();
        QTest::newRow("MaintainerDeprecated fires")
            << QStringLiteral("MaintainerDeprecated")
            << QStringLiteral("FROM a:1\nMAINTAINER me <me@example.com>\n")
            << QStringList{QStringLiteral("2:1-2:31")}
            << QStringLiteral("Maintainer instruction is deprecated in favor of using label");
        QTest::newRow("MaintainerDeprecated quiet")
            << QStringLiteral("MaintainerDeprecated")
            << QStringLiteral("FROM a:1\nLABEL maintainer=me\n") << QStringList{} << QString();
        QTest::newRow("UndefinedArgInFrom fires")
            << QStringLiteral("UndefinedArgInFrom") << QStringLiteral("FROM node:$NODE_VERSON\n")
            << QStringList{QStringLiteral("1:6-1:23")}
            << QStringLiteral("FROM argument 'NODE_VERSON' is not declared");
        QTest::newRow("UndefinedArgInFrom quiet")
            << QStringLiteral("UndefinedArgInFrom")
            << QStringLiteral("ARG NODE_VERSION=20\nFROM node:$NODE_VERSION\n") << QStringList{}
            << QString();
        QTest::newRow("WorkdirRelativePath fires")
            << QStringLiteral("WorkdirRelativePath") << QStringLiteral("FROM a:1\nWORKDIR app\n")
            << QStringList{QStringLiteral("2:9-2:12")}
            << QStringLiteral("Relative workdir \"app\" can have unexpected results if the base "
                              "image changes");
        QTest::newRow("WorkdirRelativePath quiet")
            << QStringLiteral("WorkdirRelativePath")
            << QStringLiteral("FROM a:1\nWORKDIR /srv\nWORKDIR app\n") << QStringList{}
            << QString();
        QTest::newRow("UndefinedVar fires")
            << QStringLiteral("UndefinedVar")
            << QStringLiteral("FROM scratch\nENV APP_HOME=/app\nCOPY . $APP_HOEM\n")
            << QStringList{QStringLiteral("3:8-3:17")}
            << QStringLiteral("Usage of undefined variable '$APP_HOEM' (did you mean $APP_HOME?)");
        QTest::newRow("UndefinedVar quiet")
            << QStringLiteral("UndefinedVar")
            << QStringLiteral("FROM scratch\nENV APP_HOME=/app\nCOPY . $APP_HOME\n")
            << QStringList{} << QString();
        QTest::newRow("MultipleInstructionsDisallowed fires")
            << QStringLiteral("MultipleInstructionsDisallowed")
            << QStringLiteral("FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n")
            << QStringList{QStringLiteral("2:1-2:4")}
            << QStringLiteral("Multiple CMD instructions should not be used in the same stage "
                              "because only the last one will be used");
        QTest::newRow("MultipleInstructionsDisallowed quiet")
            << QStringLiteral("MultipleInstructionsDisallowed")
            << QStringLiteral("FROM a:1\nCMD [\"a\"]\n") << QStringList{} << QString();
        QTest::newRow("LegacyKeyValueFormat fires")
            << QStringLiteral("LegacyKeyValueFormat")
            << QStringLiteral("FROM a:1\nENV DEBUG true\n")
            << QStringList{QStringLiteral("2:1-2:15")}
            << QStringLiteral(
                   "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format");
        QTest::newRow("LegacyKeyValueFormat quiet")
            << QStringLiteral("LegacyKeyValueFormat")
            << QStringLiteral("FROM a:1\nENV DEBUG=true\n") << QStringList{} << QString();
        QTest::newRow("RedundantTargetPlatform fires")
            << QStringLiteral("RedundantTargetPlatform")
            << QStringLiteral("FROM --platform=${TARGETPLATFORM} a:1\n")
            << QStringList{QStringLiteral("1:6-1:34")}
            << QStringLiteral("Setting platform to predefined ${TARGETPLATFORM} in FROM is "
                              "redundant as this is the default behavior");
        QTest::newRow("RedundantTargetPlatform quiet")
            << QStringLiteral("RedundantTargetPlatform")
            << QStringLiteral("FROM --platform=${BUILDPLATFORM} a:1\n") << QStringList{}
            << QString();
        QTest::newRow("SecretsUsedInArgOrEnv fires")
            << QStringLiteral("SecretsUsedInArgOrEnv")
            << QStringLiteral("FROM a:1\nENV DB_PASSWORD=x\n")
            << QStringList{QStringLiteral("2:5-2:16")}
            << QStringLiteral(
                   "Do not use ARG or ENV instructions for sensitive data (ENV \"DB_PASSWORD\")");
        QTest::newRow("SecretsUsedInArgOrEnv quiet")
            << QStringLiteral("SecretsUsedInArgOrEnv")
            << QStringLiteral("FROM a:1\nENV PASSWORD_FILE=/run/secrets/db\n") << QStringList{}
            << QString();
        QTest::newRow("InvalidDefaultArgInFrom fires")
            << QStringLiteral("InvalidDefaultArgInFrom")
            << QStringLiteral("ARG TAG\nFROM busybox:$TAG\n")
            << QStringList{QStringLiteral("2:6-2:18")}
            << QStringLiteral("Default value for ARG busybox:$TAG results in empty or invalid base "
                              "image name");
        QTest::newRow("InvalidDefaultArgInFrom quiet")
            << QStringLiteral("InvalidDefaultArgInFrom")
            << QStringLiteral("ARG TAG=1.36\nFROM busybox:$TAG\n") << QStringList{} << QString();
        QTest::newRow("FromPlatformFlagConstDisallowed fires")
            << QStringLiteral("FromPlatformFlagConstDisallowed")
            << QStringLiteral("FROM --platform=linux/amd64 a:1 AS build\n")
            << QStringList{QStringLiteral("1:17-1:28")}
            << QStringLiteral("FROM --platform flag should not use constant value \"linux/amd64\"");
        QTest::newRow("FromPlatformFlagConstDisallowed quiet")
            << QStringLiteral("FromPlatformFlagConstDisallowed")
            << QStringLiteral("FROM --platform=linux/amd64 a:1 AS build-amd64\n") << QStringList{}
            << QString();
        QTest::newRow("InvalidDefinitionDescription fires")
            << QStringLiteral("InvalidDefinitionDescription")
            << QStringLiteral("# check=experimental=InvalidDefinitionDescription\nFROM a:1\n# the "
                              "builder\nFROM b:1 AS builder\n")
            << QStringList{QStringLiteral("3:1-3:14")}
            << QStringLiteral(
                   "Comment for FROM should follow the format: `# builder <description>`");
        QTest::newRow("InvalidDefinitionDescription several ARGs")
            << QStringLiteral("InvalidDefinitionDescription")
            << QStringLiteral("# check=experimental=all\nFROM a:1\n# versions\nARG A B\n")
            << QStringList{QStringLiteral("3:1-3:11")}
            << QStringLiteral(
                   "Comment for ARG should follow the format: `# <arg_key> <description>`");
        QTest::newRow("InvalidDefinitionDescription off by default")
            << QStringLiteral("InvalidDefinitionDescription")
            << QStringLiteral("FROM a:1\n# the builder\nFROM b:1 AS builder\n") << QStringList{}
            << QString();
        QTest::newRow("InvalidDefinitionDescription quiet")
            << QStringLiteral("InvalidDefinitionDescription")
            << QStringLiteral("# check=experimental=InvalidDefinitionDescription\nFROM a:1\n# "
                              "builder compiles the app\nFROM b:1 AS builder\n")
            << QStringList{} << QString();
        QTest::newRow("ExposeProtoCasing fires")
            << QStringLiteral("ExposeProtoCasing") << QStringLiteral("FROM a:1\nEXPOSE 53/UDP\n")
            << QStringList{QStringLiteral("2:8-2:14")}
            << QStringLiteral(
                   "Defined protocol '53/UDP' in EXPOSE instruction should be lowercase");
        QTest::newRow("ExposeProtoCasing quiet")
            << QStringLiteral("ExposeProtoCasing") << QStringLiteral("FROM a:1\nEXPOSE 53/udp\n")
            << QStringList{} << QString();
        QTest::newRow("ExposeInvalidFormat fires")
            << QStringLiteral("ExposeInvalidFormat") << QStringLiteral("FROM a:1\nEXPOSE 8080:80\n")
            << QStringList{QStringLiteral("2:8-2:15")}
            << QStringLiteral("EXPOSE instruction should not define an IP address or host-port "
                              "mapping, found '8080:80'");
        QTest::newRow("ExposeInvalidFormat quiet")
            << QStringLiteral("ExposeInvalidFormat") << QStringLiteral("FROM a:1\nEXPOSE 80\n")
            << QStringList{} << QString();
    }

    void rules()
    {
        QFETCH(QString, code);
        QFETCH(QString, text);
        QFETCH(QStringList, ranges);
        QFETCH(QString, message);
        QVERIFY2(Linter::rule(code), qPrintable(code));
        const diag::Diagnostics all = Linter::lintText(text, QStringLiteral("Dockerfile"));
        QCOMPARE(rangesFor(all, code), ranges);
        if (!message.isEmpty())
            QCOMPARE(find(all, code)->message, message);
        for (const auto &d : all)
            QCOMPARE(d.file, QStringLiteral("Dockerfile"));
    }

    /// Rules that are off by default or need a project setting.
    void optionalRules_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("enable");
        QTest::addColumn<QStringList>("trusted");
        QTest::addColumn<QStringList>("ranges");
        const QString ignore = QStringLiteral("FROM a:1\n# hadolint ignore=DL3003\nRUN cd /x\n");
        QTest::newRow("DL1001 off")
            << QStringLiteral("DL1001") << ignore << false << QStringList() << QStringList();
        QTest::newRow("DL1001 on") << QStringLiteral("DL1001") << ignore << true << QStringList()
                                   << QStringList{QStringLiteral("2:1-2:25")};
        const QString noHealth = QStringLiteral("FROM a:1\nCMD [\"a\"]\n");
        QTest::newRow("DL3057 off")
            << QStringLiteral("DL3057") << noHealth << false << QStringList() << QStringList();
        QTest::newRow("DL3057 on") << QStringLiteral("DL3057") << noHealth << true << QStringList()
                                   << QStringList{QStringLiteral("1:1-1:5")};
        QTest::newRow("DL3057 quiet")
            << QStringLiteral("DL3057") << QStringLiteral("FROM a:1\nHEALTHCHECK NONE\n") << true
            << QStringList() << QStringList();
        const QString registry =
            QStringLiteral("FROM quay.io/org/app:1\nFROM docker.io/b:1\nFROM c:1\n");
        QTest::newRow("DL3026 no setting")
            << QStringLiteral("DL3026") << registry << false << QStringList() << QStringList();
        QTest::newRow("DL3026 trusted docker.io")
            << QStringLiteral("DL3026") << registry << false
            << QStringList{QStringLiteral("docker.io")} << QStringList{QStringLiteral("1:6-1:23")};
        QTest::newRow("DL3026 trusted quay.io")
            << QStringLiteral("DL3026") << registry << false
            << QStringList{QStringLiteral("quay.io")}
            << QStringList{QStringLiteral("2:6-2:19"), QStringLiteral("3:6-3:9")};
        QTest::newRow("DL3026 COPY --from and RUN --mount images")
            << QStringLiteral("DL3026")
            << QStringLiteral(
                   "FROM quay.io/a:1 AS build\nCOPY --from=build /a /b\nCOPY --from=evil.io/x:1 /a "
                   "/c\nRUN --mount=type=bind,from=ghcr.io/y:2,target=/y true\n")
            << false << QStringList{QStringLiteral("quay.io")}
            << QStringList{QStringLiteral("3:13-3:24"), QStringLiteral("4:13-4:49")};
    }

    void optionalRules()
    {
        QFETCH(QString, code);
        QFETCH(QString, text);
        QFETCH(bool, enable);
        QFETCH(QStringList, trusted);
        QFETCH(QStringList, ranges);
        LintOptions options;
        if (enable)
            options.enabledRules.insert(code);
        options.trustedRegistries = trusted;
        QCOMPARE(rangesFor(Linter::lintText(text, {}, options), code), ranges);
    }

    /// hadolint's label-schema rules (driven by the project's label schema).
    void labelSchema_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("schema");
        QTest::addColumn<bool>("strict");
        QTest::addColumn<QStringList>("ranges");
        const QStringList schema = {
            QStringLiteral("version=semver"),  QStringLiteral("url=url"),
            QStringLiteral("created=rfc3339"), QStringLiteral("license=spdx"),
            QStringLiteral("revision=hash"),   QStringLiteral("author=email")};
        const QString bad =
            QStringLiteral("FROM a:1\nLABEL version=\"\" url=not-a-url created=yesterday\nLABEL "
                           "license=\"MIT OR Foo\" revision=abc author=me\nLABEL extra=1\n");
        const QString good =
            QStringLiteral("FROM a:1\nLABEL version=1.2.3-rc.1 url=https://example.com/x "
                           "created=2024-05-01T10:00:00Z\nLABEL license=\"MIT OR Apache-2.0\" "
                           "revision=0123abc author=me@example.com\n");
        QTest::newRow("DL3049 fires")
            << QStringLiteral("DL3049") << QStringLiteral("FROM a:1\nLABEL url=https://e.com\n")
            << QStringList{QStringLiteral("version=text"), QStringLiteral("url=url")} << false
            << QStringList{QStringLiteral("1:1-1:5")};
        QTest::newRow("DL3049 inherited and copy-only stages")
            << QStringLiteral("DL3049")
            << QStringLiteral("FROM a:1 AS base\nLABEL version=1\nFROM base\nFROM b:1 AS "
                              "tools\nFROM c:1\nCOPY --from=tools /x /x\nLABEL version=2\n")
            << QStringList{QStringLiteral("version=text")} << false << QStringList();
        QTest::newRow("DL3050 fires") << QStringLiteral("DL3050") << bad << schema << true
                                      << QStringList{QStringLiteral("4:7-4:12")};
        QTest::newRow("DL3050 not strict")
            << QStringLiteral("DL3050") << bad << schema << false << QStringList();
        QTest::newRow("DL3051 fires") << QStringLiteral("DL3051") << bad << schema << false
                                      << QStringList{QStringLiteral("2:15-2:17")};
        QTest::newRow("DL3051 quiet")
            << QStringLiteral("DL3051") << good << schema << false << QStringList();
        QTest::newRow("DL3052 fires") << QStringLiteral("DL3052") << bad << schema << false
                                      << QStringList{QStringLiteral("2:22-2:31")};
        QTest::newRow("DL3052 quiet")
            << QStringLiteral("DL3052") << good << schema << false << QStringList();
        QTest::newRow("DL3053 fires") << QStringLiteral("DL3053") << bad << schema << false
                                      << QStringList{QStringLiteral("2:40-2:49")};
        QTest::newRow("DL3053 quiet")
            << QStringLiteral("DL3053") << good << schema << false << QStringList();
        QTest::newRow("DL3054 fires") << QStringLiteral("DL3054") << bad << schema << false
                                      << QStringList{QStringLiteral("3:15-3:27")};
        QTest::newRow("DL3054 quiet")
            << QStringLiteral("DL3054") << good << schema << false << QStringList();
        QTest::newRow("DL3055 fires") << QStringLiteral("DL3055") << bad << schema << false
                                      << QStringList{QStringLiteral("3:37-3:40")};
        QTest::newRow("DL3055 quiet")
            << QStringLiteral("DL3055") << good << schema << false << QStringList();
        QTest::newRow("DL3056 fires")
            << QStringLiteral("DL3056") << QStringLiteral("FROM a:1\nLABEL version=1.2\n")
            << schema.mid(0, 1) << false << QStringList{QStringLiteral("2:15-2:18")};
        QTest::newRow("DL3056 quiet")
            << QStringLiteral("DL3056") << good << schema << false << QStringList();
        QTest::newRow("DL3058 fires") << QStringLiteral("DL3058") << bad << schema << false
                                      << QStringList{QStringLiteral("3:48-3:50")};
        QTest::newRow("DL3058 quiet")
            << QStringLiteral("DL3058") << good << schema << false << QStringList();
        QTest::newRow("no schema, no label rules")
            << QStringLiteral("DL3052") << bad << QStringList() << true << QStringList();
    }

    void labelSchema()
    {
        QFETCH(QString, code);
        QFETCH(QString, text);
        QFETCH(QStringList, schema);
        QFETCH(bool, strict);
        QFETCH(QStringList, ranges);
        LintOptions options;
        for (const QString &entry : schema)
            options.labelSchema.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
        options.strictLabels = strict;
        const auto all = Linter::lintText(text, {}, options);
        QCOMPARE(rangesFor(all, code), ranges);
        if (!ranges.isEmpty() && code != u"DL3050") {
            QVERIFY2(find(all, code)->message.startsWith(QStringLiteral("Label `")),
                     qPrintable(find(all, code)->message));
            QVERIFY(!find(all, code)->message.contains(QStringLiteral("<label>")));
        }
    }

    /// CopyIgnoredFile: experimental, needs the context's .dockerignore.
    void copyIgnoredFile_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("dockerignore");
        QTest::addColumn<QStringList>("ranges");
        const QString df = QStringLiteral(
            "# check=experimental=CopyIgnoredFile\nFROM a:1\nCOPY .env ./app/main.go /src/\nADD "
            "secrets/key.pem /k\nCOPY docs/keep.md /d/\nCOPY --from=b .env /e\n");
        QTest::newRow("fires") << df
                               << QStringList{QStringLiteral("# comment"), QStringLiteral(".env"),
                                              QStringLiteral("**/*.pem"), QStringLiteral("docs"),
                                              QStringLiteral("!docs/keep.md")}
                               << QStringList{QStringLiteral("3:6-3:10"),
                                              QStringLiteral("4:5-4:20")};
        QTest::newRow("folder pattern")
            << df << QStringList{QStringLiteral("app")} << QStringList{QStringLiteral("3:11-3:24")};
        QTest::newRow("no .dockerignore") << df << QStringList() << QStringList();
        QTest::newRow("not enabled") << QStringLiteral("FROM a:1\nCOPY .env /src/\n")
                                     << QStringList{QStringLiteral(".env")} << QStringList();
    }

    void copyIgnoredFile()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, dockerignore);
        QFETCH(QStringList, ranges);
        LintOptions options;
        options.dockerignore = dockerignore;
        const auto all = Linter::lintText(text, {}, options);
        QCOMPARE(rangesFor(all, QStringLiteral("CopyIgnoredFile")), ranges);
        if (!ranges.isEmpty() && dockerignore.contains(QStringLiteral(".env")))
            QCOMPARE(find(all, QStringLiteral("CopyIgnoredFile"))->message,
                     QStringLiteral(
                         "Attempting to Copy file \".env\" that is excluded by .dockerignore"));
    }

    /// Default severities as hadolint and BuildKit define them; `# check=error=true`.
    void severities_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("severity");
        QTest::newRow("hadolint error") << QStringLiteral("FROM a:1\nWORKDIR app\n")
                                        << QStringLiteral("DL3000") << int(diag::Severity::Error);
        QTest::newRow("hadolint warning") << QStringLiteral("FROM a\n") << QStringLiteral("DL3006")
                                          << int(diag::Severity::Warning);
        QTest::newRow("hadolint info") << QStringLiteral("FROM a:1\nRUN make\nRUN make\n")
                                       << QStringLiteral("DL3059") << int(diag::Severity::Info);
        QTest::newRow("hadolint style as info")
            << QStringLiteral("FROM a:1\nLABEL Bad_Key=1\n") << QStringLiteral("DL3048")
            << int(diag::Severity::Info);
        QTest::newRow("buildkit warning")
            << QStringLiteral("FROM a:1\nCMD a\n") << QStringLiteral("JSONArgsRecommended")
            << int(diag::Severity::Warning);
        QTest::newRow("check=error=true")
            << QStringLiteral("# check=error=true\nFROM a:1\nCMD a\n")
            << QStringLiteral("JSONArgsRecommended") << int(diag::Severity::Error);
        QTest::newRow("check=error=true leaves hadolint alone")
            << QStringLiteral("# check=error=true\nFROM a:1\nCMD a\n") << QStringLiteral("DL3025")
            << int(diag::Severity::Warning);
    }

    void severities()
    {
        QFETCH(QString, text);
        QFETCH(QString, code);
        QFETCH(int, severity);
        const auto all = Linter::lintText(text);
        const auto *d = find(all, code);
        QVERIFY2(d, qPrintable(code));
        QCOMPARE(int(d->severity), severity);
        QCOMPARE(int(Linter::rule(code)->severity) == severity,
                 !text.contains(QStringLiteral("error=true")) || code.startsWith(u"DL"));
    }

    /// hadolint pragmas, the BuildKit check directive and the project's disabled set.
    void suppressions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("disabled");
        QTest::addColumn<QStringList>("codes");
        const QString base = QStringLiteral("FROM a:1\nRUN cd /x && make\nCMD make run\n");
        QTest::newRow("none") << base << QStringList()
                              << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025"),
                                             QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("hadolint ignore on the line above")
            << QStringLiteral(
                   "FROM a:1\n# hadolint ignore=DL3003,DL3059\nRUN cd /x && make\nCMD make run\n")
            << QStringList()
            << QStringList{QStringLiteral("DL3025"), QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("hadolint ignore applies to the next instruction only")
            << QStringLiteral(
                   "FROM a:1\n# hadolint ignore=DL3025\nRUN cd /x && make\nCMD make run\n")
            << QStringList()
            << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025"),
                           QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("hadolint ignore not adjacent")
            << QStringLiteral(
                   "FROM a:1\n# hadolint ignore=DL3003\n\nRUN cd /x && make\nCMD make run\n")
            << QStringList()
            << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025"),
                           QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("hadolint global ignore")
            << QStringLiteral("# hadolint global ignore=DL3003,DL3025\nFROM a:1\nRUN cd /x && "
                              "make\nCMD make run\n")
            << QStringList() << QStringList{QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("check=skip")
            << QStringLiteral(
                   "# check=skip=JSONArgsRecommended\nFROM a:1\nRUN cd /x && make\nCMD make run\n")
            << QStringList() << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025")};
        QTest::newRow("check=skip=all")
            << QStringLiteral("# check=skip=all\nFROM a:1\nRUN cd /x && make\nCMD make run\n")
            << QStringList() << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025")};
        QTest::newRow("check=skip only at the top")
            << QStringLiteral("FROM a:1\n# check=skip=all\nRUN cd /x && make\nCMD make run\n")
            << QStringList()
            << QStringList{QStringLiteral("DL3003"), QStringLiteral("DL3025"),
                           QStringLiteral("JSONArgsRecommended")};
        QTest::newRow("project setting")
            << base << QStringList{QStringLiteral("DL3025"), QStringLiteral("JSONArgsRecommended")}
            << QStringList{QStringLiteral("DL3003")};
    }

    void suppressions()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, disabled);
        QFETCH(QStringList, codes);
        LintOptions options;
        for (const QString &c : disabled)
            options.disabledRules.insert(c);
        QStringList got;
        for (const auto &d : Linter::lintText(text, {}, options))
            got << d.code;
        got.sort();
        codes.sort();
        QCOMPARE(got, codes);
    }

    /// hadolint runs its RUN rules on ONBUILD RUN triggers too; heredoc scripts are shell.
    void runSources_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("ranges");
        QTest::newRow("onbuild run")
            << QStringLiteral("FROM a:1\nONBUILD RUN sudo make\n") << QStringLiteral("DL3004")
            << QStringList{QStringLiteral("2:13-2:22")};
        QTest::newRow("heredoc body")
            << QStringLiteral("FROM a:1\nRUN <<EOF\nset -e\n  sudo make\nEOF\n")
            << QStringLiteral("DL3004") << QStringList{QStringLiteral("4:3-4:12")};
        QTest::newRow("heredoc fed to python is not shell")
            << QStringLiteral("FROM a:1\nRUN python3 <<EOF\nsudo = 1\nEOF\n")
            << QStringLiteral("DL3004") << QStringList();
        QTest::newRow("continuation lines")
            << QStringLiteral("FROM a:1\nRUN apt-get update \\\n  # comment\n  && apt-get install "
                              "-y \\\n     curl\n")
            << QStringLiteral("DL3008") << QStringList{QStringLiteral("5:6-5:10")};
        QTest::newRow("exec form is not shell")
            << QStringLiteral("FROM a:1\nRUN [\"sudo\", \"make\"]\n") << QStringLiteral("DL3004")
            << QStringList();
        QTest::newRow("quoted words")
            << QStringLiteral("FROM a:1\nRUN apt-get install -y --no-install-recommends \"curl\"\n")
            << QStringLiteral("DL3008") << QStringList{QStringLiteral("2:48-2:54")};
    }

    void runSources()
    {
        QFETCH(QString, text);
        QFETCH(QString, code);
        QFETCH(QStringList, ranges);
        QCOMPARE(rangesFor(Linter::lintText(text), code), ranges);
    }

    void ruleTable()
    {
        QSet<QString> codes;
        for (const RuleInfo &r : Linter::rules()) {
            QVERIFY2(!codes.contains(r.code), qPrintable(r.code));
            codes.insert(r.code);
            QVERIFY(!r.description.isEmpty());
            if (r.source == RuleSource::BuildKit)
                QCOMPARE(r.severity, diag::Severity::Warning);
        }
        QCOMPARE(Linter::rule(u"DL3008")->severity, diag::Severity::Warning);
        QCOMPARE(Linter::rule(u"DL4000")->severity, diag::Severity::Error);
        QVERIFY(!Linter::rule(u"DL3057")->enabledByDefault);
        QVERIFY(!Linter::rule(u"InvalidDefinitionDescription")->enabledByDefault);
        QVERIFY(!Linter::rule(u"DL9999"));
    }
};

QTEST_GUILESS_MAIN(TestDockerfileLint)
#include "tst_dockerfile_lint.moc"
