#include "dockerfile/parser.h"

#include <QTest>

using namespace stagecraft;
using namespace stagecraft::dockerfile;

namespace {

QString pos(Position p)
{
    return QStringLiteral("%1:%2").arg(p.line).arg(p.column);
}

QString rng(Range r)
{
    return pos(r.start) + u'-' + pos(r.end);
}

QString escaped(QString s)
{
    return s.replace(u'\n', QStringLiteral("\\n")).replace(u'\t', QStringLiteral("\\t"));
}

/// A compact, position-exact rendering of what the parser found.
QStringList describe(const Dockerfile &df)
{
    QStringList out;
    for (const Directive &d : df.directives)
        out << QStringLiteral("directive %1=%2 @%3").arg(d.name, d.value, rng(d.valueRange));
    for (const Instruction &ins : df.instructions) {
        const char *forms[] = {"none", "shell", "json"};
        QString line = QStringLiteral("%1 %2 %3 stage=%4")
                           .arg(ins.name, rng(ins.range), QLatin1String(forms[int(ins.form)]))
                           .arg(ins.stage);
        for (const Flag &f : ins.flags)
            line += QStringLiteral(" --%1=%2@%3").arg(f.name, f.value, rng(f.range));
        for (const Word &w : ins.words)
            line += QStringLiteral(" [%1]@%2").arg(escaped(w.text), rng(w.range));
        out << line;
        for (const KeyValue &kv : ins.pairs)
            out << QStringLiteral("  pair %1@%2 = %3@%4%5")
                       .arg(kv.key, rng(kv.keyRange), kv.value, rng(kv.valueRange),
                            kv.legacy ? QStringLiteral(" legacy") : QString());
        for (const Heredoc &h : ins.heredocs)
            out << QStringLiteral("  heredoc %1%2%3 @%4 body=\"%5\"@%6")
                       .arg(h.delimiter, h.chomp ? QStringLiteral(" chomp") : QString(),
                            h.expand ? QString() : QStringLiteral(" raw"), rng(h.markerRange),
                            escaped(h.body.text), h.body.isEmpty() ? QString() : pos(h.body.at(0)));
        if (ins.trigger)
            out << QStringLiteral("  trigger %1 %2")
                       .arg(ins.trigger->name, rng(ins.trigger->range));
        if (!ins.healthcheckType.isEmpty())
            out << QStringLiteral("  healthcheck %1").arg(ins.healthcheckType);
    }
    for (const Stage &s : df.stages)
        out << QStringLiteral("stage %1 name=%2 base=%3 parent=%4")
                   .arg(s.index)
                   .arg(s.name, s.base)
                   .arg(s.parent);
    for (int l : df.emptyContinuationLines)
        out << QStringLiteral("empty continuation line %1").arg(l);
    return out;
}

QStringList errors(const Dockerfile &df)
{
    QStringList out;
    for (const auto &d : df.diagnostics)
        out << QStringLiteral("%1 %2 %3").arg(rng(d.range), d.code, d.message);
    return out;
}

} // namespace

class TestDockerfileParser : public QObject
{
    Q_OBJECT

private slots:
    void structure_data();
    void structure()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const Dockerfile df = Parser::parse(text, QStringLiteral("Dockerfile"));
        QCOMPARE(errors(df), QStringList());
        QCOMPARE(describe(df), expected);
    }

    void parseErrors_data();
    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const Dockerfile df = Parser::parse(text, QStringLiteral("Dockerfile"));
        QCOMPARE(::errors(df), expected);
        for (const auto &d : df.diagnostics)
            QCOMPARE(d.file, QStringLiteral("Dockerfile"));
    }

    void variables_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("error");
        QTest::newRow("plain") << QStringLiteral("$A/${B}")
                               << QStringList{QStringLiteral("A 0-2"), QStringLiteral("B 3-7")}
                               << QString();
        QTest::newRow("modifiers")
            << QStringLiteral("${A:-x}${B:+y}${C-z}${D#p}")
            << QStringList{QStringLiteral("A 0-7 :- x"), QStringLiteral("B 7-14 :+ y"),
                           QStringLiteral("C 14-20 - z"), QStringLiteral("D 20-26 # p")}
            << QString();
        QTest::newRow("nested") << QStringLiteral("${A:-$B}")
                                << QStringList{QStringLiteral("A 0-8 :- $B"),
                                               QStringLiteral("B 5-7")}
                                << QString();
        QTest::newRow("single quotes")
            << QStringLiteral("'$A' \"$B\"") << QStringList{QStringLiteral("B 6-8")} << QString();
        QTest::newRow("escaped") << QStringLiteral("\\$A $B")
                                 << QStringList{QStringLiteral("B 4-6")} << QString();
        QTest::newRow("unterminated") << QStringLiteral("${A") << QStringList()
                                      << QStringLiteral("syntax error: missing '}'");
        QTest::newRow("unsupported modifier")
            << QStringLiteral("${A:1}") << QStringList{QStringLiteral("A 0-6")}
            << QStringLiteral("unsupported modifier (:) in substitution");
    }

    void variables()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QFETCH(QString, error);
        SubstitutionError e;
        QStringList got;
        for (const auto &r : variableReferences(text, u'\\', &e)) {
            QString s = QStringLiteral("%1 %2-%3").arg(r.name).arg(r.start).arg(r.end);
            if (!r.modifier.isEmpty())
                s += u' ' + r.modifier + u' ' + r.word;
            got << s;
        }
        QCOMPARE(got, expected);
        QCOMPARE(e.message, error);
    }

    void expansion()
    {
        const QHash<QString, QString> vars = {{QStringLiteral("A"), QStringLiteral("1")},
                                              {QStringLiteral("E"), QString()}};
        QCOMPARE(expandVariables(QStringLiteral("x:$A"), vars), QStringLiteral("x:1"));
        QCOMPARE(expandVariables(QStringLiteral("x:${E:-d}"), vars), QStringLiteral("x:d"));
        QCOMPARE(expandVariables(QStringLiteral("x:${E-d}"), vars), QStringLiteral("x:"));
        QCOMPARE(expandVariables(QStringLiteral("x:${U-d}"), vars), QStringLiteral("x:d"));
        QCOMPARE(expandVariables(QStringLiteral("x${A:+-y}"), vars), QStringLiteral("x-y"));
        QCOMPARE(expandVariables(QStringLiteral("\"a\"$U"), vars), QStringLiteral("a"));
    }

    void unquoting()
    {
        QCOMPARE(unquote(u"\"a b\"'c'\\d"), QStringLiteral("a bcd"));
        QCOMPARE(unquote(u"\"a\\\"b\""), QStringLiteral("a\"b"));
        QCOMPARE(unquote(u"'a\\b'"), QStringLiteral("a\\b"));
    }

    void crlfAndBom()
    {
        const Dockerfile df = Parser::parse(QStringLiteral("\ufeffFROM a:1\r\nRUN a \\\r\n b\r\n"));
        QCOMPARE(errors(df), QStringList());
        QCOMPARE(df.instructions.size(), 2);
        QCOMPARE(df.instructions.at(1).args.text, QStringLiteral("a  b"));
        QCOMPARE(rng(df.instructions.at(1).range), QStringLiteral("2:1-3:3"));
    }
};

void TestDockerfileParser::structure_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("onbuild heredoc")
        << QStringLiteral("FROM a:1\nONBUILD RUN <<EOF\nmake\nEOF\nCMD [\"x\"]\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("ONBUILD 2:1-4:4 none stage=0"),
                       QStringLiteral("  trigger RUN 2:9-4:4"),
                       QStringLiteral("CMD 5:1-5:10 json stage=0 [x]@5:6-5:9"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("directives and escape")
        << QStringLiteral("# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM "
                          "mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command "
                          "`\n    Write-Host hi\n")
        << QStringList{
               QStringLiteral("directive syntax=docker/dockerfile:1 @1:10-1:29"),
               QStringLiteral("directive escape=` @2:10-2:11"),
               QStringLiteral("directive check=skip=all @3:9-3:17"),
               QStringLiteral("FROM 4:1-4:51 shell stage=0 "
                              "[mcr.microsoft.com/windows/servercore:ltsc2022]@4:6-4:51"),
               QStringLiteral("RUN 5:1-6:18 shell stage=0 [powershell]@5:5-5:15 "
                              "[-Command]@5:16-5:24 [Write-Host]@6:5-6:15 [hi]@6:16-6:18"),
               QStringLiteral(
                   "stage 0 name= base=mcr.microsoft.com/windows/servercore:ltsc2022 parent=-1")};
    QTest::newRow("directives end at first comment")
        << QStringLiteral("# hello\n# escape=`\nFROM a:1\nRUN a \\\n b\n")
        << QStringList{QStringLiteral("FROM 3:1-3:9 shell stage=0 [a:1]@3:6-3:9"),
                       QStringLiteral("RUN 4:1-5:3 shell stage=0 [a]@4:5-4:6 [b]@5:2-5:3"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("uppercase directive name")
        << QStringLiteral("# ESCAPE=\\\nFROM a:1\n")
        << QStringList{QStringLiteral("directive escape=\\ @1:10-1:11"),
                       QStringLiteral("FROM 2:1-2:9 shell stage=0 [a:1]@2:6-2:9"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("continuation with comments and empty lines")
        << QStringLiteral(
               "FROM a:1\nRUN apt-get update \\\n    # a comment\n\n    && make \\\n    install\n")
        << QStringList{
               QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
               QStringLiteral("RUN 2:1-6:12 shell stage=0 [apt-get]@2:5-2:12 [update]@2:13-2:19 "
                              "[&&]@5:5-5:7 [make]@5:8-5:12 [install]@6:5-6:12"),
               QStringLiteral("stage 0 name= base=a:1 parent=-1"),
               QStringLiteral("empty continuation line 4")};
    QTest::newRow("trailing blanks after escape")
        << QStringLiteral("FROM a:1\nRUN a \\  \n b\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("RUN 2:1-3:3 shell stage=0 [a]@2:5-2:6 [b]@3:2-3:3"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("continuation at end of file")
        << QStringLiteral("FROM a:1\nRUN echo hi \\")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("RUN 2:1-2:14 shell stage=0 [echo]@2:5-2:9 [hi]@2:10-2:12"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("heredocs")
        << QStringLiteral("FROM a:1\nRUN <<EOF\necho a\nEOF\nCOPY <<-\"EOT\" <<two /dst/\n\tx "
                          "$y\n\tEOT\nsecond\ntwo\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("RUN 2:1-4:4 shell stage=0 [<<EOF]@2:5-2:10"),
                       QStringLiteral("  heredoc EOF @2:5-2:10 body=\"echo a\\n\"@3:1"),
                       QStringLiteral("COPY 5:1-9:4 shell stage=0 [<<-\"EOT\"]@5:6-5:14 "
                                      "[<<two]@5:15-5:20 [/dst/]@5:21-5:26"),
                       QStringLiteral("  heredoc EOT chomp raw @5:6-5:14 body=\"x $y\\n\"@6:2"),
                       QStringLiteral("  heredoc two @5:15-5:20 body=\"second\\n\"@8:1"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("heredoc with command and fd")
        << QStringLiteral("FROM a:1\nRUN python3 3<<'PY' arg\nprint(1)\nPY\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("RUN 2:1-4:3 shell stage=0 [python3]@2:5-2:12 "
                                      "[3<<'PY']@2:13-2:20 [arg]@2:21-2:24"),
                       QStringLiteral("  heredoc PY raw @2:13-2:20 body=\"print(1)\\n\"@3:1"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("json and shell forms")
        << QStringLiteral("FROM a:1\nCMD [\"echo\", \"a b\"]\nENTRYPOINT ['single']\nRUN "
                          "[\"unterminated\"\nSHELL [\"/bin/bash\", \"-c\"]\n")
        << QStringList{
               QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
               QStringLiteral("CMD 2:1-2:20 json stage=0 [echo]@2:6-2:12 [a b]@2:14-2:19"),
               QStringLiteral("ENTRYPOINT 3:1-3:22 shell stage=0 [['single']]@3:12-3:22"),
               QStringLiteral("RUN 4:1-4:20 shell stage=0 [[\"unterminated\"]@4:5-4:20"),
               QStringLiteral("SHELL 5:1-5:26 json stage=0 [/bin/bash]@5:8-5:19 [-c]@5:21-5:25"),
               QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("flags")
        << QStringLiteral("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN "
                          "--mount=type=cache,target=/root/.cache --network=none go build\nCOPY "
                          "--from=build --chown=1:1 --chmod=755 --link /out /bin/\nADD "
                          "--checksum=sha256:abc --keep-git-dir=true https://x/y.git /src\nCOPY "
                          "--exclude=*.md --exclude=*.txt . /app/\n")
        << QStringList{
               QStringLiteral("FROM 1:1-1:52 shell stage=0 --platform=$BUILDPLATFORM@1:6-1:31 "
                              "[golang:1.22]@1:32-1:43 [AS]@1:44-1:46 [build]@1:47-1:52"),
               QStringLiteral(
                   "RUN 2:1-2:67 shell stage=0 --mount=type=cache,target=/root/.cache@2:5-2:43 "
                   "--network=none@2:44-2:58 [go]@2:59-2:61 [build]@2:62-2:67"),
               QStringLiteral(
                   "COPY 3:1-3:60 shell stage=0 --from=build@3:6-3:18 --chown=1:1@3:19-3:30 "
                   "--chmod=755@3:31-3:42 --link=@3:43-3:49 [/out]@3:50-3:54 [/bin/]@3:55-3:60"),
               QStringLiteral(
                   "ADD 4:1-4:67 shell stage=0 --checksum=sha256:abc@4:5-4:26 "
                   "--keep-git-dir=true@4:27-4:46 [https://x/y.git]@4:47-4:62 [/src]@4:63-4:67"),
               QStringLiteral("COPY 5:1-5:44 shell stage=0 --exclude=*.md@5:6-5:20 "
                              "--exclude=*.txt@5:21-5:36 [.]@5:37-5:38 [/app/]@5:39-5:44"),
               QStringLiteral("stage 0 name=build base=golang:1.22 parent=-1")};
    QTest::newRow("args and stages")
        << QStringLiteral("ARG BASE=alpine\nARG TAG\nFROM ${BASE}:3 AS Builder\nARG TAG\nENV A=1 "
                          "B=\"two words\" C='x'\nLABEL version 1.0\nFROM builder\nFROM 0\n")
        << QStringList{
               QStringLiteral("ARG 1:1-1:16 shell stage=-1 [BASE=alpine]@1:5-1:16"),
               QStringLiteral("  pair BASE@1:5-1:9 = alpine@1:10-1:16"),
               QStringLiteral("ARG 2:1-2:8 shell stage=-1 [TAG]@2:5-2:8"),
               QStringLiteral("  pair TAG@2:5-2:8 = @2:8-2:8"),
               QStringLiteral("FROM 3:1-3:26 shell stage=0 [${BASE}:3]@3:6-3:15 [AS]@3:16-3:18 "
                              "[Builder]@3:19-3:26"),
               QStringLiteral("ARG 4:1-4:8 shell stage=0 [TAG]@4:5-4:8"),
               QStringLiteral("  pair TAG@4:5-4:8 = @4:8-4:8"),
               QStringLiteral("ENV 5:1-5:28 shell stage=0 [A=1]@5:5-5:8 [B=\"two words\"]@5:9-5:22 "
                              "[C='x']@5:23-5:28"),
               QStringLiteral("  pair A@5:5-5:6 = 1@5:7-5:8"),
               QStringLiteral("  pair B@5:9-5:10 = \"two words\"@5:11-5:22"),
               QStringLiteral("  pair C@5:23-5:24 = 'x'@5:25-5:28"),
               QStringLiteral("LABEL 6:1-6:18 shell stage=0 [version]@6:7-6:14 [1.0]@6:15-6:18"),
               QStringLiteral("  pair version@6:7-6:14 = 1.0@6:15-6:18 legacy"),
               QStringLiteral("FROM 7:1-7:13 shell stage=1 [builder]@7:6-7:13"),
               QStringLiteral("FROM 8:1-8:7 shell stage=2 [0]@8:6-8:7"),
               QStringLiteral("stage 0 name=builder base=${BASE}:3 parent=-1"),
               QStringLiteral("stage 1 name= base=builder parent=0"),
               QStringLiteral("stage 2 name= base=0 parent=-1")};
    QTest::newRow("onbuild and healthcheck")
        << QStringLiteral(
               "FROM a:1\nONBUILD RUN make\nONBUILD COPY . /src\nHEALTHCHECK --interval=30s "
               "--timeout=0s --retries=0 CMD [\"curl\", \"-f\", \"http://x\"]\nHEALTHCHECK NONE\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("ONBUILD 2:1-2:17 none stage=0"),
                       QStringLiteral("  trigger RUN 2:9-2:17"),
                       QStringLiteral("ONBUILD 3:1-3:20 none stage=0"),
                       QStringLiteral("  trigger COPY 3:9-3:20"),
                       QStringLiteral("HEALTHCHECK 4:1-4:83 json stage=0 --interval=30s@4:13-4:27 "
                                      "--timeout=0s@4:28-4:40 --retries=0@4:41-4:52 "
                                      "[curl]@4:58-4:64 [-f]@4:66-4:70 [http://x]@4:72-4:82"),
                       QStringLiteral("  healthcheck CMD"),
                       QStringLiteral("HEALTHCHECK 5:1-5:17 none stage=0"),
                       QStringLiteral("  healthcheck NONE"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("windows escape json")
        << QStringLiteral("# escape=`\nFROM a:1\nCOPY [\"C:\\\\src\\\\a.exe\", "
                          "\"C:\\\\dst\\\\\"]\nRUN setx PATH \"%PATH%;C:\\go\" `\n  && echo done\n")
        << QStringList{
               QStringLiteral("directive escape=` @1:10-1:11"),
               QStringLiteral("FROM 2:1-2:9 shell stage=0 [a:1]@2:6-2:9"),
               QStringLiteral(
                   "COPY 3:1-3:37 json stage=0 [C:\\src\\a.exe]@3:7-3:23 [C:\\dst\\]@3:25-3:36"),
               QStringLiteral(
                   "RUN 4:1-5:15 shell stage=0 [setx]@4:5-4:9 [PATH]@4:10-4:14 "
                   "[\"%PATH%;C:\\go\"]@4:15-4:29 [&&]@5:3-5:5 [echo]@5:6-5:10 [done]@5:11-5:15"),
               QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("leading whitespace and lowercase")
        << QStringLiteral("  from a:1\n\t run echo\n")
        << QStringList{QStringLiteral("FROM 1:3-1:11 shell stage=0 [a:1]@1:8-1:11"),
                       QStringLiteral("RUN 2:3-2:11 shell stage=0 [echo]@2:7-2:11"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
    QTest::newRow("copy double dash")
        << QStringLiteral("FROM a:1\nCOPY --link -- --weird /x/\n")
        << QStringList{QStringLiteral("FROM 1:1-1:9 shell stage=0 [a:1]@1:6-1:9"),
                       QStringLiteral("COPY 2:1-2:27 shell stage=0 --link=@2:6-2:12 "
                                      "[--weird]@2:16-2:23 [/x/]@2:24-2:27"),
                       QStringLiteral("stage 0 name= base=a:1 parent=-1")};
}

void TestDockerfileParser::parseErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("base image reference")
        << QStringLiteral(
               "FROM alpine:3.20:bad\nFROM Alpine:3\nFROM alpine@sha256:xyz\nFROM "
               "localhost:5000/a/b:1\nFROM MyRegistry/app:1\nFROM "
               "ghcr.io/o/"
               "r@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nFROM "
               "$X\n")
        << QStringList{
               QStringLiteral("1:6-1:21 invalid-reference failed to parse stage name "
                              "\"alpine:3.20:bad\": invalid reference format"),
               QStringLiteral("2:6-2:14 invalid-reference failed to parse stage name \"Alpine:3\": "
                              "invalid reference format: repository name must be lowercase"),
               QStringLiteral("3:6-3:23 invalid-reference failed to parse stage name "
                              "\"alpine@sha256:xyz\": invalid reference format")};
    QTest::newRow("no build stage")
        << QStringLiteral("ARG A=1\nRUN echo\nFROM a:1\nCMD x\n")
        << QStringList{QStringLiteral("2:1-2:4 no-build-stage no build stage in current context")};
    QTest::newRow("only ARG")
        << QStringLiteral("ARG A=1\n")
        << QStringList{
               QStringLiteral("1:1-1:4 no-build-stage dockerfile contains no stages to build")};
    QTest::newRow("expose")
        << QStringLiteral("FROM a:1\nEXPOSE 80/xyz abc 8080-x 53/UDP 1-2/tcp\n")
        << QStringList{QStringLiteral("2:8-2:14 invalid-argument invalid proto: xyz"),
                       QStringLiteral("2:15-2:18 invalid-argument invalid containerPort: abc"),
                       QStringLiteral("2:19-2:25 invalid-argument invalid containerPort: 8080-x")};
    QTest::newRow("stopsignal value")
        << QStringLiteral("FROM a:1\nSTOPSIGNAL SIGFOO\nSTOPSIGNAL 9\nSTOPSIGNAL "
                          "sigterm\nSTOPSIGNAL SIGRTMIN+3\n")
        << QStringList{QStringLiteral("2:12-2:18 invalid-argument Invalid signal: SIGFOO")};
    QTest::newRow("unterminated quotes")
        << QStringLiteral("FROM a:1\nENV A=\"x\nLABEL b='y\nENV C=\"a\\\"b\"\n")
        << QStringList{QStringLiteral(
                           "2:5-2:9 invalid-substitution failed to process \"A=\"x\": unexpected "
                           "end of statement while looking for matching double-quote"),
                       QStringLiteral(
                           "3:7-3:11 invalid-substitution failed to process \"b='y\": unexpected "
                           "end of statement while looking for matching single-quote")};
    QTest::newRow("unknown instruction")
        << QStringLiteral("FROM a:1\nFOOBAR x\nRUNN y\n")
        << QStringList{QStringLiteral("2:1-2:7 unknown-instruction unknown instruction: FOOBAR"),
                       QStringLiteral("3:1-3:5 unknown-instruction unknown instruction: RUNN")};
    QTest::newRow("missing arguments")
        << QStringLiteral("FROM a:1\nENV\nEXPOSE\nWORKDIR\nRUN\nONBUILD\n")
        << QStringList{
               QStringLiteral("2:1-2:4 missing-argument ENV requires at least one argument"),
               QStringLiteral("3:1-3:7 missing-argument EXPOSE requires at least one argument"),
               QStringLiteral("4:1-4:8 missing-argument WORKDIR requires exactly one argument"),
               QStringLiteral("5:1-5:4 missing-argument RUN requires at least one argument"),
               QStringLiteral("6:1-6:8 missing-argument ONBUILD requires at least one argument")};
    QTest::newRow("from arguments")
        << QStringLiteral("FROM a b\nFROM a:1 AS 1x\nFROM\n")
        << QStringList{QStringLiteral(
                           "1:6-1:9 missing-argument FROM requires either one or three arguments"),
                       QStringLiteral("2:13-2:15 invalid-stage-name invalid name for build stage: "
                                      "\"1x\", name can't start with a number or contain symbols"),
                       QStringLiteral(
                           "3:1-3:5 missing-argument FROM requires either one or three arguments")};
    QTest::newRow("unknown flag")
        << QStringLiteral("FROM a:1\nCOPY --chmown=1 a /b\nRUN --foo true\nWORKDIR --x /a\n")
        << QStringList{QStringLiteral("2:6-2:16 unknown-flag unknown flag: chmown"),
                       QStringLiteral("3:5-3:10 unknown-flag unknown flag: foo"),
                       QStringLiteral("4:9-4:12 unknown-flag unknown flag: x")};
    QTest::newRow("flag values")
        << QStringLiteral("FROM a:1\nCOPY --from a /b\nCOPY --link=maybe a /b\nCOPY --link= a "
                          "/b\nCOPY --from=a --from=b x /y\n")
        << QStringList{
               QStringLiteral("2:6-2:12 invalid-flag missing a value on flag: from"),
               QStringLiteral(
                   "3:13-3:18 invalid-flag expecting boolean value for flag link, not: maybe"),
               QStringLiteral("4:6-4:13 invalid-flag missing a value on flag: link"),
               QStringLiteral("5:15-5:23 duplicate-flag duplicate flag specified: from")};
    QTest::newRow("unterminated heredoc")
        << QStringLiteral("FROM a:1\nRUN <<EOF\necho hi\n")
        << QStringList{QStringLiteral("2:5-2:10 unterminated-heredoc unterminated heredoc")};
    QTest::newRow("second heredoc unterminated")
        << QStringLiteral("FROM a:1\nRUN <<A <<B\na\nA\nb\n")
        << QStringList{QStringLiteral("2:9-2:12 unterminated-heredoc unterminated heredoc")};
    QTest::newRow("nested json") << QStringLiteral("FROM a:1\nCMD [\"a\", [\"b\"]]\n")
                                 << QStringList{QStringLiteral(
                                        "2:5-2:17 invalid-json-array when using JSON array syntax, "
                                        "arrays must be comprised of strings only")};
    QTest::newRow("invalid escape")
        << QStringLiteral("# escape=x\nFROM a:1\n")
        << QStringList{QStringLiteral(
               "1:10-1:11 invalid-directive invalid escape token 'x' does not match ` or \\")};
    QTest::newRow("duplicate directive")
        << QStringLiteral("# escape=`\n# escape=\\\nFROM a:1\n")
        << QStringList{QStringLiteral(
               "2:1-2:11 duplicate-directive only one escape parser directive can be used")};
    QTest::newRow("empty file") << QStringLiteral("")
                                << QStringList{QStringLiteral(
                                       "1:1-1:1 no-instructions file with no instructions")};
    QTest::newRow("only comments")
        << QStringLiteral("# a\n# b\n\n")
        << QStringList{QStringLiteral("1:1-1:1 no-instructions file with no instructions")};
    QTest::newRow("onbuild triggers")
        << QStringLiteral(
               "FROM a:1\nONBUILD ONBUILD RUN x\nONBUILD FROM b\nONBUILD MAINTAINER me\n")
        << QStringList{
               QStringLiteral("2:9-2:16 invalid-onbuild-trigger Chaining ONBUILD via `ONBUILD "
                              "ONBUILD` isn't allowed"),
               QStringLiteral(
                   "3:9-3:13 invalid-onbuild-trigger FROM isn't allowed as an ONBUILD trigger"),
               QStringLiteral("4:9-4:19 invalid-onbuild-trigger MAINTAINER isn't allowed as an "
                              "ONBUILD trigger")};
    QTest::newRow("healthcheck")
        << QStringLiteral(
               "FROM a:1\nHEALTHCHECK --interval=5 CMD true\nHEALTHCHECK --timeout=1x CMD "
               "true\nHEALTHCHECK --start-period=10us CMD true\nHEALTHCHECK --retries=-1 CMD "
               "true\nHEALTHCHECK --retries=x CMD true\nHEALTHCHECK CMD\nHEALTHCHECK FOO "
               "x\nHEALTHCHECK NONE x\nHEALTHCHECK --start-interval=0s --timeout=0 CMD ok\n")
        << QStringList{
               QStringLiteral("2:24-2:25 invalid-flag time: missing unit in duration \"5\""),
               QStringLiteral("3:23-3:25 invalid-flag time: unknown unit \"x\" in duration \"1x\""),
               QStringLiteral(
                   "4:28-4:32 invalid-flag Interval \"start-period\" cannot be less than 1ms"),
               QStringLiteral("5:23-5:25 invalid-flag --retries cannot be negative (-1)"),
               QStringLiteral(
                   "6:23-6:24 invalid-flag strconv.ParseInt: parsing \"x\": invalid syntax"),
               QStringLiteral("7:13-7:16 missing-argument Missing command after HEALTHCHECK CMD"),
               QStringLiteral(
                   "8:13-8:16 invalid-argument Unknown type \"FOO\" in HEALTHCHECK (try CMD)"),
               QStringLiteral("9:13-9:19 invalid-argument HEALTHCHECK NONE takes no arguments")};
    QTest::newRow("shell form SHELL")
        << QStringLiteral("FROM a:1\nSHELL /bin/bash -c\nSHELL []\n")
        << QStringList{
               QStringLiteral(
                   "2:7-2:19 invalid-argument SHELL requires the arguments to be in JSON form"),
               QStringLiteral("3:1-3:9 missing-argument SHELL requires at least one argument")};
    QTest::newRow("copy with one argument")
        << QStringLiteral("FROM a:1\nCOPY onlysource\nADD\n")
        << QStringList{
               QStringLiteral("2:1-2:16 missing-argument COPY requires at least two arguments, but "
                              "only one was provided. Destination could not be determined"),
               QStringLiteral("3:1-3:4 missing-argument ADD requires at least two arguments")};
    QTest::newRow("key value syntax")
        << QStringLiteral("FROM a:1\nENV FOO\nENV a=1 b\nLABEL =x\n")
        << QStringList{QStringLiteral("2:1-2:8 missing-argument ENV must have two arguments"),
                       QStringLiteral("3:9-3:10 invalid-argument Syntax error - can't find = in "
                                      "\"b\". Must be of the form: name=value"),
                       QStringLiteral("4:7-4:9 invalid-argument LABEL names can not be blank")};
    QTest::newRow("substitution")
        << QStringLiteral(
               "FROM a:1\nWORKDIR ${FOO\nCOPY ${A:1} /x/\nRUN echo ${SHELL_IS_NOT_CHECKED\n")
        << QStringList{QStringLiteral("2:9-2:14 invalid-substitution failed to process \"${FOO\": "
                                      "syntax error: missing '}'"),
                       QStringLiteral("3:6-3:12 invalid-substitution failed to process \"${A:1}\": "
                                      "unsupported modifier (:) in substitution")};
    QTest::newRow("stopsignal")
        << QStringLiteral("FROM a:1\nSTOPSIGNAL\nSTOPSIGNAL a b\n")
        << QStringList{
               QStringLiteral("2:1-2:11 missing-argument STOPSIGNAL requires exactly one argument"),
               QStringLiteral("3:12-3:15 invalid-argument Invalid signal: a b")};
    QTest::newRow("healthcheck none ignores flags")
        << QStringLiteral("FROM a:1\nHEALTHCHECK --interval=5 --foo NONE\n") << QStringList();
    QTest::newRow("volume")
        << QStringLiteral("FROM a:1\nVOLUME [\"\"]\n")
        << QStringList{QStringLiteral(
               "2:9-2:11 invalid-argument VOLUME specified can not be an empty string")};
}

QTEST_GUILESS_MAIN(TestDockerfileParser)
#include "tst_dockerfile_parser.moc"
