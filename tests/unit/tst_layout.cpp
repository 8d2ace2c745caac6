#include "pipeline/layout.h"
#include "plantestutil.h"

#include <QtTest>

using namespace stagecraft;

namespace {

pipeline::Plan plan(const char *yaml)
{
    pipeline::PipelineContext c;
    c.ref = u"main"_qs;
    return plantest::planYaml(QByteArray(yaml), c);
}

/// "title: node, node | title: node" with group sizes as "name(3)".
QString columns(const pipeline::Layout &layout)
{
    QStringList cols;
    for (const pipeline::LayoutColumn &c : layout.columns) {
        QStringList nodes;
        for (int i : c.nodes) {
            const pipeline::LayoutNode &n = layout.nodes[i];
            nodes << (n.jobs.size() > 1 ? n.label + QStringLiteral("(%1)").arg(n.jobs.size())
                                        : n.label);
        }
        cols << c.title + QStringLiteral(": ") + nodes.join(QStringLiteral(", "));
    }
    return cols.join(QStringLiteral(" | "));
}

QString edges(const pipeline::Layout &layout)
{
    QStringList out;
    for (const pipeline::LayoutEdge &e : layout.edges)
        out << layout.nodes[e.from].id + QStringLiteral("->") + layout.nodes[e.to].id;
    out.sort();
    return out.join(QStringLiteral(", "));
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT

private slots:
    void groupName_data();
    void groupName();
    void stageView_data();
    void stageView();
    void dependencyView_data();
    void dependencyView();
    void geometry();
    void deterministic();
};

void TestLayout::groupName_data()
{
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("group");
    QTest::newRow("slash") << u"rspec 1/3"_qs << u"rspec"_qs;
    QTest::newRow("colon") << u"rspec 1:3"_qs << u"rspec"_qs;
    QTest::newRow("space") << u"rspec 1 3"_qs << u"rspec"_qs;
    QTest::newRow("matrix") << u"build: [linux, amd64]"_qs << u"build"_qs;
    QTest::newRow("two levels") << u"test 1/2 3/4"_qs << u"test"_qs;
    QTest::newRow("plain") << u"deploy-prod"_qs << u"deploy-prod"_qs;
    QTest::newRow("number in name") << u"python3.11"_qs << u"python3.11"_qs;
    QTest::newRow("only an index") << u"1/2"_qs << u"1/2"_qs;
}

void TestLayout::groupName()
{
    QFETCH(QString, job);
    QFETCH(QString, group);
    QCOMPARE(pipeline::groupName(job), group);
}

void TestLayout::stageView_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("columns");
    QTest::addColumn<QString>("edges");
    QTest::addColumn<int>("crossings");
    QTest::newRow("stages with jobs only, .pre first")
        << QByteArray(
               "stages: [build, test, deploy]\nt:\n  script: x\np:\n  stage: .pre\n  script: x\n")
        << u".pre: p | test: t"_qs << QString() << 0;
    QTest::newRow("parallel and matrix grouped")
        << QByteArray(
               "stages: [build, test]\nb:\n  stage: build\n  script: x\n  parallel: 3\n"
               "m:\n  script: x\n  parallel:\n    matrix:\n      - A: [x, y]\n  needs: [b]\n")
        << u"build: b(3) | test: m(2)"_qs << u"b->m"_qs << 0;
    QTest::newRow("crossing removed")
        << QByteArray("stages: [a, b]\na1:\n  stage: a\n  script: x\na2:\n  stage: a\n  script: x\n"
                      "b1:\n  stage: b\n  script: x\n  needs: [a2]\n"
                      "b2:\n  stage: b\n  script: x\n  needs: [a1]\n")
        << u"a: a1, a2 | b: b2, b1"_qs << u"a1->b2, a2->b1"_qs << 0;
    QTest::newRow("three columns, barycentre")
        << QByteArray("stages: [a, b, c]\n"
                      "a1:\n  stage: a\n  script: x\na2:\n  stage: a\n  script: x\n"
                      "a3:\n  stage: a\n  script: x\n"
                      "b1:\n  stage: b\n  script: x\n  needs: [a3]\n"
                      "b2:\n  stage: b\n  script: x\n  needs: [a1]\n"
                      "c1:\n  stage: c\n  script: x\n  needs: [b1]\n"
                      "c2:\n  stage: c\n  script: x\n  needs: [b2]\n")
        << u"a: a1, a2, a3 | b: b2, b1 | c: c2, c1"_qs << u"a1->b2, a3->b1, b1->c1, b2->c2"_qs << 0;
    QTest::newRow("same-stage needs")
        << QByteArray("a:\n  script: x\n  needs: [b]\nb:\n  script: x\n") << u"test: a, b"_qs
        << u"b->a"_qs << 0;
}

void TestLayout::stageView()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, columns);
    QFETCH(QString, edges);
    QFETCH(int, crossings);
    const pipeline::Layout layout = pipeline::stageLayout(plan(yaml.constData()));
    QCOMPARE(::columns(layout), columns);
    QCOMPARE(::edges(layout), edges);
    QCOMPARE(layout.crossings, crossings);
}

void TestLayout::dependencyView_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("columns");
    QTest::newRow("layers by needs")
        << QByteArray("stages: [build, test, deploy]\n"
                      "b:\n  stage: build\n  script: x\n"
                      "lint:\n  stage: test\n  script: x\n  needs: []\n"
                      "t:\n  stage: test\n  script: x\n  needs: [b]\n"
                      "d:\n  stage: deploy\n  script: x\n  needs: [t, lint]\n"
                      "late:\n  stage: deploy\n  script: x\n")
        << u"1: b, lint, late | 2: t | 3: d"_qs;
    QTest::newRow("group in its furthest member's layer")
        << QByteArray("stages: [build, test]\nb:\n  stage: build\n  script: x\n"
                      "t:\n  script: x\n  parallel: 2\n  needs: [b]\n")
        << u"1: b | 2: t(2)"_qs;
}

void TestLayout::dependencyView()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, columns);
    QCOMPARE(::columns(pipeline::dependencyLayout(plan(yaml.constData()))), columns);
}

void TestLayout::geometry()
{
    const pipeline::Plan p = plan("stages: [a, b, c]\nx:\n  stage: a\n  script: x\n"
                                  "y:\n  stage: b\n  script: x\n"
                                  "z:\n  stage: c\n  script: x\n  needs: [x]\n");
    pipeline::LayoutOptions o;
    const pipeline::Layout layout = pipeline::stageLayout(p, o);
    QCOMPARE(layout.columns.size(), 3);
    QCOMPARE(layout.columns[1].x, o.nodeWidth + o.columnGap);
    QCOMPARE(layout.width, 3 * o.nodeWidth + 2 * o.columnGap);
    QCOMPARE(layout.height, o.headerHeight + o.nodeHeight + o.rowGap);
    QCOMPARE(layout.edges.size(), 1);
    const pipeline::LayoutEdge &e = layout.edges.first();
    const pipeline::LayoutNode &from = layout.nodes[e.from];
    const pipeline::LayoutNode &to = layout.nodes[e.to];
    QCOMPARE(e.points.first(), QPointF(from.x + from.width, from.y + from.height / 2));
    QCOMPARE(e.points.last(), QPointF(to.x, to.y + to.height / 2));
    // A link over a column runs through the gaps, never through the middle column's boxes.
    for (const QPointF &pt : e.points)
        QVERIFY(pt.x() <= o.nodeWidth + o.columnGap / 2 || pt.x() >= to.x - o.columnGap / 2);
}

void TestLayout::deterministic()
{
    QByteArray yaml = "stages: [a, b, c]\n";
    for (int i = 0; i < 30; ++i) {
        yaml += QStringLiteral("a%1:\n  stage: a\n  script: x\n").arg(i).toUtf8();
        yaml += QStringLiteral("b%1:\n  stage: b\n  script: x\n  needs: [a%2, a%3]\n")
                    .arg(i)
                    .arg((i * 7) % 30)
                    .arg((i * 13 + 5) % 30)
                    .toUtf8();
        yaml += QStringLiteral("c%1:\n  stage: c\n  script: x\n  needs: [b%2]\n")
                    .arg(i)
                    .arg((i * 11) % 30)
                    .toUtf8();
    }
    const pipeline::Plan p = plan(yaml.constData());
    const pipeline::Layout first = pipeline::stageLayout(p);
    const pipeline::Layout second = pipeline::stageLayout(p);
    QCOMPARE(columns(first), columns(second));
    QCOMPARE(first.crossings, second.crossings);
    // The ordering must do better than definition order.
    pipeline::LayoutOptions none;
    none.sweeps = 0;
    QVERIFY2(first.crossings < pipeline::stageLayout(p, none).crossings,
             qPrintable(QString::number(first.crossings)));
}

QTEST_GUILESS_MAIN(TestLayout)
#include "tst_layout.moc"
