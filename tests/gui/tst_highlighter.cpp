#include "highlighter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using stagecraft::gui::Highlighter;
using S = Highlighter::Style;

namespace {

// The style of the first byte of the `occurrence`-th `needle` in `text`.
int styleOf(const QByteArray &text, const QByteArray &styles, const QByteArray &needle,
            int occurrence = 1)
{
    qsizetype at = -1;
    for (int i = 0; i < occurrence; ++i) {
        at = text.indexOf(needle, at + 1);
        if (at < 0)
            return -1;
    }
    return styles.at(at);
}

} // namespace

class TestHighlighter : public QObject
{
    Q_OBJECT

private slots:
    void yaml_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("needle");
        QTest::addColumn<int>("occurrence");
        QTest::addColumn<int>("style");
        const QByteArray ci = "# pipeline\n"
                              "stages: [build]\n"
                              "variables:\n"
                              "  IMAGE: \"$CI_REGISTRY_IMAGE\"\n"
                              ".base: &base\n"
                              "  retry: 2\n"
                              "build:\n"
                              "  <<: *base\n"
                              "  script:\n"
                              "    - if [ -f x ]; then make all; fi # build\n"
                              "    - echo \"$CI_COMMIT_SHA\" | tee out\n"
                              "  after_script: rm -rf tmp\n"
                              "  before_script: !reference [.base, script]\n"
                              "  variables:\n"
                              "    DEBUG: 'true'\n"
                              "deploy:\n"
                              "  script: |\n"
                              "    kubectl apply -f k8s\n"
                              "  when: manual\n"
                              "  allow_failure: true\n";
        QTest::newRow("comment") << ci << QByteArray("# pipeline") << 1 << int(S::Comment);
        QTest::newRow("global key") << ci << QByteArray("stages") << 1 << int(S::Key);
        QTest::newRow("flow bracket") << ci << QByteArray("[build]") << 1 << int(S::Operator);
        QTest::newRow("job key") << ci << QByteArray("build:") << 1 << int(S::JobKey);
        QTest::newRow("hidden job key") << ci << QByteArray(".base:") << 1 << int(S::JobKey);
        QTest::newRow("anchor") << ci << QByteArray("&base") << 1 << int(S::Anchor);
        QTest::newRow("alias") << ci << QByteArray("*base") << 1 << int(S::Anchor);
        QTest::newRow("number") << ci << QByteArray("2\n") << 1 << int(S::Number);
        QTest::newRow("quoted string") << ci << QByteArray("\"$CI_REG") << 1 << int(S::String);
        QTest::newRow("variable in string") << ci << QByteArray("$CI_REG") << 1 << int(S::Variable);
        QTest::newRow("shell keyword") << ci << QByteArray("if [") << 1 << int(S::ShellKeyword);
        QTest::newRow("shell then") << ci << QByteArray("then") << 1 << int(S::ShellKeyword);
        QTest::newRow("shell command after then")
            << ci << QByteArray("make all") << 1 << int(S::ShellCommand);
        QTest::newRow("shell comment") << ci << QByteArray("# build") << 1 << int(S::Comment);
        QTest::newRow("shell command") << ci << QByteArray("echo") << 1 << int(S::ShellCommand);
        QTest::newRow("shell string") << ci << QByteArray("\"$CI_COMMIT") << 1 << int(S::String);
        QTest::newRow("shell variable") << ci << QByteArray("$CI_COMMIT") << 1 << int(S::Variable);
        QTest::newRow("pipe") << ci << QByteArray("| tee") << 1 << int(S::Operator);
        QTest::newRow("command after pipe") << ci << QByteArray("tee") << 1 << int(S::ShellCommand);
        QTest::newRow("inline script") << ci << QByteArray("rm -rf") << 1 << int(S::ShellCommand);
        QTest::newRow("shell flag") << ci << QByteArray("-rf") << 1 << int(S::Flag);
        QTest::newRow("tag") << ci << QByteArray("!reference") << 1 << int(S::Tag);
        QTest::newRow("key after script block")
            << ci << QByteArray("variables:") << 2 << int(S::Key);
        QTest::newRow("single quoted") << ci << QByteArray("'true'") << 1 << int(S::String);
        QTest::newRow("block scalar script")
            << ci << QByteArray("kubectl") << 1 << int(S::ShellCommand);
        QTest::newRow("key after block") << ci << QByteArray("when:") << 1 << int(S::Key);
        QTest::newRow("literal") << ci << QByteArray("true\n") << 1 << int(S::Literal);
        QTest::newRow("plain value") << ci << QByteArray("manual") << 1 << int(S::Default);
        QTest::newRow("document marker") << QByteArray("spec:\n  inputs: {}\n---\nx: 1\n")
                                         << QByteArray("---") << 1 << int(S::DocumentMarker);
        QTest::newRow("script block item at key indent")
            << QByteArray("a:\n  script:\n  - make\n  stage: x\n") << QByteArray("make") << 1
            << int(S::ShellCommand);
        QTest::newRow("not shell: other sequences") << QByteArray("a:\n  tags:\n    - docker\n")
                                                    << QByteArray("docker") << 1 << int(S::Default);
    }
    void yaml()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, needle);
        QFETCH(int, occurrence);
        QFETCH(int, style);
        const QByteArray styles = Highlighter::yaml(text);
        QCOMPARE(styles.size(), text.size());
        QCOMPARE(styleOf(text, styles, needle, occurrence), style);
    }

    void dockerfile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("needle");
        QTest::addColumn<int>("style");
        const QByteArray df = "# syntax=docker/dockerfile:1\n"
                              "ARG BASE=alpine:3.20\n"
                              "FROM ${BASE} AS build\n"
                              "COPY --from=deps --chown=app /src /dst\n"
                              "RUN apk add --no-cache curl && \\\n"
                              "    echo done\n"
                              "RUN <<EOF\n"
                              "set -e\n"
                              "make install\n"
                              "EOF\n"
                              "COPY <<-CONF /etc/app.conf\n"
                              "\tport=$PORT\n"
                              "\tCONF\n"
                              "ENV PATH=\"/opt/bin:$PATH\"\n"
                              "CMD [\"./server\", \"--port\", \"8080\"]\n"
                              "from scratch\n";
        QTest::newRow("comment") << df << QByteArray("# syntax") << int(S::Comment);
        QTest::newRow("instruction") << df << QByteArray("ARG") << int(S::Instruction);
        QTest::newRow("lowercase instruction")
            << df << QByteArray("from scratch") << int(S::Instruction);
        QTest::newRow("variable in FROM") << df << QByteArray("${BASE}") << int(S::Variable);
        QTest::newRow("AS") << df << QByteArray("AS build") << int(S::Literal);
        QTest::newRow("flag") << df << QByteArray("--from=deps") << int(S::Flag);
        QTest::newRow("second flag") << df << QByteArray("--chown") << int(S::Flag);
        QTest::newRow("run command") << df << QByteArray("apk add") << int(S::ShellCommand);
        QTest::newRow("run operator") << df << QByteArray("&&") << int(S::Operator);
        QTest::newRow("continuation") << df << QByteArray("\\\n") << int(S::Operator);
        QTest::newRow("continued shell") << df << QByteArray("echo done") << int(S::ShellCommand);
        QTest::newRow("heredoc marker") << df << QByteArray("<<EOF") << int(S::Heredoc);
        QTest::newRow("heredoc shell body") << df << QByteArray("set -e") << int(S::ShellKeyword);
        QTest::newRow("heredoc shell command")
            << df << QByteArray("make install") << int(S::ShellCommand);
        QTest::newRow("heredoc end") << df << QByteArray("EOF\nCOPY") << int(S::Heredoc);
        QTest::newRow("copy heredoc body") << df << QByteArray("port=") << int(S::String);
        QTest::newRow("variable in heredoc") << df << QByteArray("$PORT") << int(S::Variable);
        QTest::newRow("stripped heredoc end") << df << QByteArray("CONF\nENV") << int(S::Heredoc);
        QTest::newRow("instruction after heredoc")
            << df << QByteArray("ENV") << int(S::Instruction);
        QTest::newRow("env string") << df << QByteArray("\"/opt") << int(S::String);
        QTest::newRow("json bracket") << df << QByteArray("[\"./server") << int(S::Operator);
        QTest::newRow("json string") << df << QByteArray("\"./server") << int(S::String);
    }
    void dockerfile()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, needle);
        QFETCH(int, style);
        const QByteArray styles = Highlighter::dockerfile(text);
        QCOMPARE(styles.size(), text.size());
        QCOMPARE(styleOf(text, styles, needle), style);
    }

    void foldLevels()
    {
        const QByteArray text = "a:\n  b:\n    c: 1\n\n  d: 2\ne: 3\n";
        const QList<int> levels = Highlighter::yamlFoldLevels(text);
        QCOMPARE(levels.size(), 7);
        constexpr int base = 0x400;
        constexpr int header = 0x2000;
        QCOMPARE(levels.at(0), base | header);
        QCOMPARE(levels.at(1), (base + 1) | header);
        QCOMPARE(levels.at(2), base + 2);
        QCOMPARE(levels.at(3) & 0x1000, 0x1000); // white line
        QCOMPARE(levels.at(4), base + 1);
        QCOMPARE(levels.at(5), base);
    }

    void wholeCorpus()
    {
        // Every corpus file: one style per byte, nothing out of range (run under ASan too).
        const QDir shared(QStringLiteral(STAGECRAFT_SHARED_DIR));
        if (!shared.exists(u"corpus"_qs))
            QSKIP("../shared is absent: no corpus to highlight");
        int files = 0;
        QDirIterator it(shared.filePath(u"corpus"_qs), QDir::Files | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            const QString name = QFileInfo(path).fileName();
            QByteArray styles;
            if (name.endsWith(u".yml") || name.endsWith(u".yaml"))
                styles = Highlighter::yaml(text);
            else if (name.contains(u"ockerfile"_qs))
                styles = Highlighter::dockerfile(text);
            else
                continue;
            ++files;
            QCOMPARE(styles.size(), text.size());
            for (char c : styles)
                QVERIFY(c >= 0 && c < Highlighter::StyleCount);
        }
        QVERIFY(files > 50);
    }

    void unicodeKeepsByteOffsets()
    {
        const QByteArray text = "job:\n  script: echo \"héllo\" $X\n";
        const QByteArray styles = Highlighter::yaml(text);
        QCOMPARE(styles.size(), text.size());
        QCOMPARE(styleOf(text, styles, "$X"), int(S::Variable));
    }
};

QTEST_GUILESS_MAIN(TestHighlighter)
#include "tst_highlighter.moc"
