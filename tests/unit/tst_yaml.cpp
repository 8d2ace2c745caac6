#include "yaml/emitter.h"
#include "yaml/loader.h"

#include <QTest>

using namespace stagecraft;
using yaml::Loader;
using yaml::Node;

namespace {
Node load(const char *text, diag::Diagnostics *diagnostics = nullptr)
{
    const yaml::LoadResult r = Loader::load(QByteArray(text), QStringLiteral("t.yml"));
    if (diagnostics)
        *diagnostics = r.diagnostics;
    return r.documents.isEmpty() ? Node() : r.documents.last().root;
}

/// Follows a path like "job/script/1" through maps and sequences.
Node at(const Node &root, const QString &path)
{
    Node n = root;
    for (const QString &part : path.split(u'/', Qt::SkipEmptyParts)) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        if (n.isSequence() && isIndex)
            n = index < n.size() ? n.items()[size_t(index)] : Node();
        else
            n = n.value(part);
    }
    return n;
}
} // namespace

class TestYaml : public QObject
{
    Q_OBJECT

private slots:
    void positions_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("endColumn");
        QTest::newRow("top key value") << QByteArray("a: b\n") << "a" << 1 << 4 << 5;
        QTest::newRow("nested scalar") << QByteArray("job:\n  script:\n    - echo hi\n    - make\n")
                                       << "job/script/1" << 4 << 7 << 11;
        QTest::newRow("flow item") << QByteArray("job:\n  needs: [a, bb]\n") << "job/needs/1" << 2
                                   << 14 << 16;
        QTest::newRow("double quoted") << QByteArray("x: \"a b\"\n") << "x" << 1 << 4 << 9;
        QTest::newRow("single quoted") << QByteArray("x: 'it''s'\n") << "x" << 1 << 4 << 11;
        QTest::newRow("unicode column") << QByteArray("é: x\nk: [\xc3\xa9, y]\n") << "k/1" << 2
                                        << 8 << 9;
        QTest::newRow("map start") << QByteArray("a:\n  b: 1\n") << "a" << 2 << 3 << 3;
    }
    void positions()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, path);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(int, endColumn);
        const Node root = load(text.constData());
        const Node n = at(root, path);
        QVERIFY2(n.isDefined(), qPrintable(path));
        QCOMPARE(n.location().file, QStringLiteral("t.yml"));
        QCOMPARE(n.location().line, line);
        QCOMPARE(n.location().column, column);
        QCOMPARE(n.location().endColumn, endColumn);
    }

    void keyPositions()
    {
        const Node root = load("stages: [a]\n\nbuild:\n  stage: a\n");
        const yaml::MapEntry *e = root.find(u"build");
        QVERIFY(e);
        QCOMPARE(e->key.location().line, 3);
        QCOMPARE(e->key.location().column, 1);
        QCOMPARE(e->key.location().endColumn, 6);
    }

    void mergeKeys()
    {
        const Node root = load(".base: &base\n  image: alpine\n  stage: test\n"
                               ".other: &other\n  stage: build\n  tags: [x]\n"
                               "job:\n  <<: [*base, *other]\n  image: debian\n  script: x\n");
        const Node job = root.value(u"job");
        QCOMPARE(job.value(u"image").scalar(), QStringLiteral("debian")); // explicit key wins
        QCOMPARE(job.value(u"stage").scalar(), QStringLiteral("test"));   // first merged map wins
        QCOMPARE(job.value(u"tags").size(), 1);
        QVERIFY(!job.contains(u"<<"));
        // Provenance: the merged value keeps the anchor's position.
        QCOMPARE(job.value(u"stage").location().line, 3);
    }

    void mergeSingleMap()
    {
        const Node root = load("a: &a {x: 1}\nb:\n  <<: *a\n  y: 2\n");
        QCOMPARE(root.value(u"b").value(u"x").scalar(), QStringLiteral("1"));
        QCOMPARE(root.value(u"b").size(), 2);
    }

    void mergeBadValue()
    {
        diag::Diagnostics d;
        load("b:\n  <<: 3\n", &d);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.first().code, QStringLiteral("yaml-merge-key"));
        QCOMPARE(d.first().range.start.line, 2);
    }

    void aliasesShareAndRedefine()
    {
        const Node root = load("a: &x one\nb: *x\nc: &x two\nd: *x\n");
        QCOMPARE(root.value(u"b").scalar(), QStringLiteral("one"));
        QCOMPARE(root.value(u"d").scalar(), QStringLiteral("two"));
    }

    void tagsKept()
    {
        const Node root = load("job:\n  script: !reference [.setup, script]\n");
        const Node ref = root.value(u"job").value(u"script");
        QCOMPARE(ref.tag(), QStringLiteral("!reference"));
        QVERIFY(ref.isSequence());
        QCOMPARE(ref.size(), 2);
    }

    void duplicateKeys()
    {
        diag::Diagnostics d;
        const Node root = load("job:\n  script: a\n  script: b\n", &d);
        QCOMPARE(root.value(u"job").value(u"script").scalar(), QStringLiteral("b"));
        QCOMPARE(root.value(u"job").size(), 1);
        QCOMPARE(d.size(), 1);
        QCOMPARE(d.first().severity, diag::Severity::Warning);
        QCOMPARE(d.first().code, QStringLiteral("yaml-duplicate-key"));
        QCOMPARE(d.first().range.start.line, 3);
        QCOMPARE(d.first().range.start.column, 3);
    }

    void scalarsTyped()
    {
        const Node root = load("a: yes\nb: 'true'\nc: 012\nd: 1_000\ne: 1.5\nf: ~\ng:\nh: \"\"\n");
        QCOMPARE(root.value(u"a").toBool(), std::optional<bool>(true));
        QVERIFY(!root.value(u"b").toBool());
        QCOMPARE(root.value(u"c").toInt(), std::optional<qint64>(10));
        QCOMPARE(root.value(u"d").toInt(), std::optional<qint64>(1000));
        QCOMPARE(root.value(u"e").kindName(), QStringLiteral("float"));
        QVERIFY(root.value(u"f").isNull());
        QVERIFY(root.value(u"g").isNull());
        QVERIFY(root.value(u"h").isScalar());
        QVERIFY(root.value(u"h").isString());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::newRow("unclosed flow") << QByteArray("a: [1, 2\nb: 3\n") << "yaml-syntax" << 1;
        QTest::newRow("unclosed flow later") << QByteArray("a: 1\nb:\n  n: [x\nc:\n  d: 1\n")
                                             << "yaml-syntax" << 3;
        QTest::newRow("bad indent") << QByteArray("a:\n  b: 1\n c: 2\n") << "yaml-syntax" << 3;
        QTest::newRow("undefined alias") << QByteArray("a: *nope\n") << "yaml-syntax" << 1;
        QTest::newRow("unterminated quote") << QByteArray("a: \"oops\nb: 2\n") << "yaml-syntax" << 1;
        QTest::newRow("dropped content") << QByteArray("- a\nb: 1\n") << "yaml-syntax" << 2;
        QTest::newRow("nul byte") << QByteArray("a: 1\nb: \0\n", 10) << "yaml-syntax" << 2;
    }
    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(int, line);
        const yaml::LoadResult r = Loader::load(text, QStringLiteral("t.yml"));
        QVERIFY(!r.ok);
        QVERIFY(!r.diagnostics.isEmpty());
        QCOMPARE(r.diagnostics.last().code, code);
        QCOMPARE(r.diagnostics.last().range.start.line, line);
        QCOMPARE(r.diagnostics.last().file, QStringLiteral("t.yml"));
    }

    void billionLaughs()
    {
        QByteArray text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
        for (int i = 1; i < 12; ++i) {
            text += "a" + QByteArray::number(i) + ": &a" + QByteArray::number(i) + " [";
            for (int j = 0; j < 10; ++j)
                text += (j ? ", *a" : "*a") + QByteArray::number(i - 1);
            text += "]\n";
        }
        QElapsedTimer timer;
        timer.start();
        const yaml::LoadResult r = Loader::load(text, QStringLiteral("lol.yml"));
        QVERIFY(!r.ok);
        QCOMPARE(r.diagnostics.last().code, QStringLiteral("yaml-too-big"));
        QVERIFY(r.diagnostics.last().range.start.line > 1);
    }

    void depthLimit()
    {
        QByteArray text;
        for (int i = 0; i < 150; ++i)
            text += '[';
        for (int i = 0; i < 150; ++i)
            text += ']';
        const yaml::LoadResult r = Loader::load(text, QStringLiteral("deep.yml"));
        QVERIFY(!r.ok);
        QCOMPARE(r.diagnostics.last().code, QStringLiteral("yaml-too-deep"));
        // Far deeper than yaml-cpp's own guard: still an error, not a crash.
        const yaml::LoadResult r2 = Loader::load(QByteArray(100000, '['), QStringLiteral("d.yml"));
        QVERIFY(!r2.ok);
    }

    void sizeLimit()
    {
        yaml::LoadLimits limits;
        limits.maxFileBytes = 10;
        const yaml::LoadResult r = Loader::load("a: 123456789\n", QStringLiteral("big.yml"), limits);
        QVERIFY(!r.ok);
        QCOMPARE(r.diagnostics.last().code, QStringLiteral("yaml-too-big"));
    }

    void multipleDocuments()
    {
        const yaml::LoadResult r = Loader::load(
            "spec:\n  inputs:\n    a:\n---\njob:\n  script: x\n", QStringLiteral("t.yml"));
        QVERIFY(r.ok);
        QCOMPARE(r.documents.size(), 2);
        QVERIFY(r.documents[0].root.contains(u"spec"));
        QVERIFY(r.documents[1].root.contains(u"job"));
        QCOMPARE(r.documents[1].root.value(u"job").location().line, 6);
    }

    void emitRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("mixed") << QByteArray(
            "a: 'true'\nb: true\nc: \"x: y\"\nd: [1, '2', null]\ne: {}\nf: []\n"
            "g:\n  - {k: v, l: [1]}\n  - - nested\nh: \"multi\\nline\"\ni: ''\nj: \"#x\"\n");
        QTest::newRow("tags") << QByteArray("s: !reference [.a, b]\n");
        QTest::newRow("literal blocks") << QByteArray(
            "a: |\n  line 1\n\n  line 3\nb: |-\n  x\n  y\nc:\n  - |+\n    keep\n\n  - \"trail \\nx\"\n"
            "d: \"  lead\\nx\"\n");
    }
    void emitRoundTrip()
    {
        QFETCH(QByteArray, text);
        const Node a = load(text.constData());
        const QByteArray emitted = yaml::toYaml(a);
        const Node b = load(emitted.constData());
        QVERIFY2(a.equals(b), emitted.constData());
        // Strings stay strings and booleans stay booleans.
        QCOMPARE(a.value(u"a").kindName(), b.value(u"a").kindName().isEmpty()
                                               ? QString()
                                               : a.value(u"a").kindName());
    }
};

QTEST_GUILESS_MAIN(TestYaml)
#include "tst_yaml.moc"
