#include "ci/resolver.h"
#include "completion.h"
#include "navigator.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace stagecraft;
using namespace stagecraft::gui;
using completion::Context;
using completion::Symbol;

namespace {

// `|` marks the cursor; returns the text without it and its 0-based line/column.
QString placeCursor(QString text, int *line, int *column)
{
    const qsizetype at = text.indexOf(u'|');
    const QString before = text.left(at);
    *line = int(before.count(u'\n'));
    *column = int(at - (before.lastIndexOf(u'\n') + 1));
    text.remove(at, 1);
    return text;
}

const QString config = QStringLiteral("stages: [build, test, deploy]\n"
                                      ".base: &base\n"
                                      "  image: alpine\n"
                                      "build:\n"
                                      "  extends: .base\n"
                                      "  stage: build\n"
                                      "  script: make\n"
                                      "unit:\n"
                                      "  <<: *base\n"
                                      "  needs: [build]\n"
                                      "  script: [make test]\n");

} // namespace

class TestCompletion : public QObject
{
    Q_OBJECT

private slots:
    void context_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QStringList>("path");

        QTest::newRow("top level key")
            << u"stag|"_qs << int(Context::Kind::Keyword) << u"stag"_qs << QStringList{};
        QTest::newRow("job key") << u"build:\n  scr|"_qs << int(Context::Kind::Keyword) << u"scr"_qs
                                 << QStringList{u"build"_qs};
        QTest::newRow("rules item key")
            << u"build:\n  rules:\n    - if: $X\n      wh|"_qs << int(Context::Kind::Keyword)
            << u"wh"_qs << QStringList{u"build"_qs, u"rules"_qs};
        QTest::newRow("first key of a rules item")
            << u"build:\n  rules:\n    - ch|"_qs << int(Context::Kind::Keyword) << u"ch"_qs
            << QStringList{u"build"_qs, u"rules"_qs};
        QTest::newRow("artifacts key")
            << u"build:\n  script: x\n  artifacts:\n    pa|"_qs << int(Context::Kind::Keyword)
            << u"pa"_qs << QStringList{u"build"_qs, u"artifacts"_qs};
        QTest::newRow("needs flow")
            << u"test:\n  needs: [build, li|"_qs << int(Context::Kind::JobName) << u"li"_qs
            << QStringList{u"test"_qs};
        QTest::newRow("needs block item")
            << u"test:\n  needs:\n    - bu|"_qs << int(Context::Kind::JobName) << u"bu"_qs
            << QStringList{u"test"_qs, u"needs"_qs};
        QTest::newRow("needs job key")
            << u"test:\n  needs:\n    - job: bu|"_qs << int(Context::Kind::JobName) << u"bu"_qs
            << QStringList{u"test"_qs, u"needs"_qs};
        QTest::newRow("extends") << u"test:\n  extends: .b|"_qs << int(Context::Kind::JobName)
                                 << u".b"_qs << QStringList{u"test"_qs};
        QTest::newRow("dependencies")
            << u"test:\n  dependencies:\n  - |"_qs << int(Context::Kind::JobName) << QString()
            << QStringList{u"test"_qs, u"dependencies"_qs};
        QTest::newRow("stage") << u"test:\n  stage: te|"_qs << int(Context::Kind::StageName)
                               << u"te"_qs << QStringList{u"test"_qs};
        QTest::newRow("variable") << u"test:\n  script: echo $CI_COMMIT_|"_qs
                                  << int(Context::Kind::Variable) << u"CI_COMMIT_"_qs
                                  << QStringList{};
        QTest::newRow("braced variable")
            << u"a: ${CI_|"_qs << int(Context::Kind::Variable) << u"CI_"_qs << QStringList{};
        QTest::newRow("when value") << u"test:\n  when: ma|"_qs << int(Context::Kind::Value)
                                    << u"ma"_qs << QStringList{u"test"_qs};
        QTest::newRow("comment") << u"# sta|"_qs << int(Context::Kind::None) << u"sta"_qs
                                 << QStringList{};
        QTest::newRow("after a value") << u"test:\n  image: alpine |"_qs << int(Context::Kind::None)
                                       << QString() << QStringList{u"test"_qs};
    }
    void context()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, prefix);
        QFETCH(QStringList, path);
        int line = 0;
        int column = 0;
        const QString clean = placeCursor(text, &line, &column);
        const Context ctx = completion::contextAt(clean, line, column);
        QCOMPARE(int(ctx.kind), kind);
        QCOMPARE(ctx.prefix, prefix);
        if (ctx.kind != Context::Kind::Variable)
            QCOMPARE(ctx.path, path);
        QCOMPARE(ctx.prefixStart, column - int(prefix.size()));
    }

    void candidates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("needs: real jobs, not hidden ones")
            << u"test:\n  needs: [|"_qs << QStringList{u"build"_qs, u"lint"_qs};
        QTest::newRow("extends: hidden ones too")
            << u"test:\n  extends: |"_qs << QStringList{u".base"_qs, u"build"_qs, u"lint"_qs};
        QTest::newRow("stage names in stages order")
            << u"test:\n  stage: |"_qs << QStringList{u"build"_qs, u"test"_qs, u"deploy"_qs};
        QTest::newRow("job keywords by prefix") << u"test:\n  ne|"_qs << QStringList{u"needs"_qs};
        QTest::newRow("global keywords only at the top")
            << u"s|"_qs << QStringList{u"services"_qs, u"spec"_qs, u"stages"_qs};
        QTest::newRow("rules keywords")
            << u"t:\n  rules:\n    - |"_qs
            << QStringList{u"allow_failure"_qs, u"changes"_qs, u"exists"_qs,   u"if"_qs,
                           u"interruptible"_qs, u"needs"_qs,   u"start_in"_qs, u"variables"_qs,
                           u"when"_qs};
        QTest::newRow("variables")
            << u"a: $CI_COMMIT_RE|"_qs
            << QStringList{u"CI_COMMIT_REF_NAME"_qs, u"CI_COMMIT_REF_SLUG"_qs};
    }
    void candidates()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        int line = 0;
        int column = 0;
        const QString clean = placeCursor(text, &line, &column);
        const QStringList jobs{u".base"_qs, u"build"_qs, u"lint"_qs};
        const QStringList stages{u"build"_qs, u"test"_qs, u"deploy"_qs};
        const QStringList variables{u"CI_COMMIT_REF_NAME"_qs, u"CI_COMMIT_REF_SLUG"_qs,
                                    u"CI_COMMIT_SHA"_qs};
        QCOMPARE(completion::candidates(completion::contextAt(clean, line, column), jobs, stages,
                                        variables),
                 expected);
    }

    void symbol_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("name");
        QTest::newRow("keyword") << u"build:\n  scr|ipt: make"_qs << int(Symbol::Kind::Keyword)
                                 << u"script"_qs;
        QTest::newRow("job's own name")
            << u"bu|ild:\n  script: x"_qs << int(Symbol::Kind::None) << u"build"_qs;
        QTest::newRow("variable") << u"a:\n  b: $CI_COMMIT_S|HA"_qs << int(Symbol::Kind::Variable)
                                  << u"CI_COMMIT_SHA"_qs;
        QTest::newRow("extends") << u"a:\n  extends: .ba|se"_qs << int(Symbol::Kind::Job)
                                 << u".base"_qs;
        QTest::newRow("needs flow")
            << u"a:\n  needs: [build, li|nt]"_qs << int(Symbol::Kind::Job) << u"lint"_qs;
        QTest::newRow("needs item")
            << u"a:\n  needs:\n    - bui|ld"_qs << int(Symbol::Kind::Job) << u"build"_qs;
        QTest::newRow("reference") << u"a:\n  script: !reference [.se|tup, script]"_qs
                                   << int(Symbol::Kind::Job) << u".setup"_qs;
        QTest::newRow("reference key is not a job")
            << u"a:\n  script: !reference [.setup, scr|ipt]"_qs << int(Symbol::Kind::None)
            << QString();
        QTest::newRow("alias") << u"a:\n  <<: *ba|se"_qs << int(Symbol::Kind::Anchor) << u"base"_qs;
        QTest::newRow("include local") << u"include:\n  - local: ci/bu|ild.yml"_qs
                                       << int(Symbol::Kind::LocalFile) << u"ci/build.yml"_qs;
        QTest::newRow("include string")
            << u"include: ci/bu|ild.yml"_qs << int(Symbol::Kind::LocalFile) << u"ci/build.yml"_qs;
    }
    void symbol()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, name);
        int line = 0;
        int column = 0;
        const QString clean = placeCursor(text, &line, &column);
        const Symbol s = completion::symbolAt(clean, line, column);
        QCOMPARE(int(s.kind), kind);
        if (kind != int(Symbol::Kind::None))
            QCOMPARE(s.name, name);
    }

    void definition_data()
    {
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("targetLine");
        QTest::addColumn<int>("targetColumn");
        QTest::newRow("extends -> hidden job") << 4 << 12 << u".gitlab-ci.yml"_qs << 2 << 1;
        QTest::newRow("needs -> job") << 9 << 11 << u".gitlab-ci.yml"_qs << 4 << 1;
        QTest::newRow("alias -> anchor") << 8 << 8 << u".gitlab-ci.yml"_qs << 2 << 8;
        QTest::newRow("keyword: nowhere") << 6 << 3 << QString() << 0 << 0;
    }
    void definition()
    {
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, file);
        QFETCH(int, targetLine);
        QFETCH(int, targetColumn);
        QTemporaryDir dir;
        ci::ResolveOptions options;
        options.projectRoot = dir.path();
        options.overlay.insert(u".gitlab-ci.yml"_qs, config.toUtf8());
        const ci::ResolvedConfig resolved = ci::Resolver::resolve(options);
        const auto target = definitionAt(u".gitlab-ci.yml"_qs, config, line, column, &resolved);
        QCOMPARE(target.has_value(), !file.isEmpty());
        if (!target)
            return;
        QCOMPARE(target->file, file);
        QCOMPARE(target->line, targetLine);
        QCOMPARE(target->column, targetColumn);
    }

    void everyPositionOfARealFile()
    {
        // The analysis never fails on real text, at any place (keys, values, scripts, comments).
        QFile f(QStringLiteral(STAGECRAFT_SHARED_DIR) +
                u"/corpus/gitlab-ci/Kitware__CMake/.gitlab/os-linux.yml"_qs);
        if (!f.open(QIODevice::ReadOnly))
            QSKIP("../shared is absent: no corpus file");
        const QString text = QString::fromUtf8(f.readAll());
        const QStringList lines = text.split(u'\n');
        int keywordPlaces = 0;
        for (int line = 0; line < lines.size(); line += 3) {
            for (int column = 0; column <= lines.at(line).size(); column += 2) {
                const Context ctx = completion::contextAt(text, line, column);
                QVERIFY(ctx.prefixStart >= 0 && ctx.prefixStart <= column);
                keywordPlaces += ctx.kind == Context::Kind::Keyword ? 1 : 0;
                completion::symbolAt(text, line, column);
            }
        }
        QVERIFY(keywordPlaces > 0);
    }

    void definitionInAnotherFile()
    {
        // The job is defined in an included file: the resolved configuration knows where.
        QTemporaryDir dir;
        ci::ResolveOptions options;
        options.projectRoot = dir.path();
        const QString main = u"include: ci/base.yml\ntest:\n  extends: .base\n  script: x\n"_qs;
        options.overlay.insert(u".gitlab-ci.yml"_qs, main.toUtf8());
        options.overlay.insert(u"ci/base.yml"_qs, "# base\n.base:\n  image: alpine\n");
        const ci::ResolvedConfig resolved = ci::Resolver::resolve(options);
        const auto target = definitionAt(u".gitlab-ci.yml"_qs, main, 2, 12, &resolved);
        QVERIFY(target);
        QCOMPARE(target->file, u"ci/base.yml");
        QCOMPARE(target->line, 2);
        const auto include = definitionAt(u".gitlab-ci.yml"_qs, main, 0, 12, &resolved);
        QVERIFY(include);
        QCOMPARE(include->file, u"ci/base.yml");
        QCOMPARE(include->line, 1);
    }
};

QTEST_GUILESS_MAIN(TestCompletion)
#include "tst_completion.moc"
