#include "pipeline/layout.h"
#include "plantestutil.h"

#include <QDir>
#include <QHashSeed>
#include <QtTest>

#include <cmath>

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

/// The card geometry of the IDE's graph panel (PlanController::cardGeometry), where edges have
/// the least room.
pipeline::LayoutOptions compactGeometry()
{
    return pipeline::LayoutOptions::compact();
}

QString edgeName(const pipeline::Layout &layout, const pipeline::LayoutEdge &e)
{
    return layout.nodes[e.from].id + u"->"_qs + layout.nodes[e.to].id;
}

/// What is wrong with the edges' paths, empty when nothing: a path must be axis-aligned, start
/// on its source card, end on its target card, never enter another card, and run at least
/// `minSeparation` px away from every other edge it runs alongside. Edges that share their
/// source may share the stub that leaves that card (their first segments), and edges that share
/// their target the stub that enters it (their last segments), as GitLab's links do.
QString routingProblems(const pipeline::Layout &layout, double minSeparation = 3)
{
    const auto rectOf = [&](int n) {
        const pipeline::LayoutNode &b = layout.nodes[n];
        return QRectF(b.x, b.y, b.width, b.height);
    };
    for (const pipeline::LayoutEdge &e : layout.edges) {
        if (e.points.size() < 2)
            return edgeName(layout, e) + u": fewer than two points"_qs;
        const QRectF from = rectOf(e.from);
        const QRectF to = rectOf(e.to);
        const QPointF first = e.points.first();
        const QPointF last = e.points.last();
        if (!(qFuzzyCompare(first.x(), from.right()) && first.y() > from.top() &&
              first.y() < from.bottom()))
            return edgeName(layout, e) + u": does not leave its source's right side"_qs;
        if (!((qFuzzyCompare(last.x(), to.left()) || qFuzzyCompare(last.x(), to.right())) &&
              last.y() > to.top() && last.y() < to.bottom()))
            return edgeName(layout, e) + u": does not end on a side of its target"_qs;
        for (int i = 1; i < e.points.size(); ++i) {
            const QPointF a = e.points[i - 1];
            const QPointF b = e.points[i];
            if (a.x() != b.x() && a.y() != b.y())
                return edgeName(layout, e) + u": segment %1 is not axis-aligned"_qs.arg(i);
            const QRectF segment = QRectF(a, b).normalized();
            for (int n = 0; n < layout.nodes.size(); ++n) {
                if (n == e.from || n == e.to)
                    continue;
                const QRectF box = rectOf(n);
                // Touching a border is allowed; entering the card is not.
                if (segment.left() < box.right() && segment.right() > box.left() &&
                    segment.top() < box.bottom() && segment.bottom() > box.top())
                    return edgeName(layout, e) + u" passes through "_qs + layout.nodes[n].id;
            }
        }
    }
    for (int i = 0; i < layout.edges.size(); ++i) {
        const pipeline::LayoutEdge &e = layout.edges[i];
        for (int j = i + 1; j < layout.edges.size(); ++j) {
            const pipeline::LayoutEdge &f = layout.edges[j];
            for (int si = 1; si < e.points.size(); ++si) {
                for (int sj = 1; sj < f.points.size(); ++sj) {
                    const QPointF a0 = e.points[si - 1], a1 = e.points[si];
                    const QPointF b0 = f.points[sj - 1], b1 = f.points[sj];
                    const bool aH = a0.y() == a1.y(), bH = b0.y() == b1.y();
                    const bool aV = a0.x() == a1.x(), bV = b0.x() == b1.x();
                    double gap = 0, overlap = 0;
                    if (aH && bH && !aV && !bV) {
                        gap = std::abs(a0.y() - b0.y());
                        overlap = std::min(std::max(a0.x(), a1.x()), std::max(b0.x(), b1.x())) -
                                  std::max(std::min(a0.x(), a1.x()), std::min(b0.x(), b1.x()));
                    } else if (aV && bV && !aH && !bH) {
                        gap = std::abs(a0.x() - b0.x());
                        overlap = std::min(std::max(a0.y(), a1.y()), std::max(b0.y(), b1.y())) -
                                  std::max(std::min(a0.y(), a1.y()), std::min(b0.y(), b1.y()));
                    } else {
                        continue;
                    }
                    if (gap >= minSeparation || overlap <= 1)
                        continue;
                    const bool sharedStart = e.from == f.from && si == 1 && sj == 1;
                    const bool sharedEnd =
                        e.to == f.to && si == e.points.size() - 1 && sj == f.points.size() - 1;
                    if (sharedStart || sharedEnd)
                        continue;
                    return edgeName(layout, e) + u" and "_qs + edgeName(layout, f) +
                           u" run %1 px apart over %2 px"_qs.arg(gap).arg(overlap);
                }
            }
        }
    }
    return {};
}

/// Everything a layout draws, for comparing two runs.
QString dump(const pipeline::Layout &layout)
{
    QString out = columns(layout) + u'\n';
    for (const pipeline::LayoutNode &n : layout.nodes)
        out += u"%1 %2,%3 %4x%5\n"_qs.arg(n.id).arg(n.x).arg(n.y).arg(n.width).arg(n.height);
    for (const pipeline::LayoutEdge &e : layout.edges) {
        out += edgeName(layout, e) + u':';
        for (const QPointF &p : e.points)
            out += u" %1,%2"_qs.arg(p.x()).arg(p.y());
        out += u'\n';
    }
    return out + u"%1x%2 %3"_qs.arg(layout.width).arg(layout.height).arg(layout.crossings);
}

pipeline::Layout layoutOf(const pipeline::Plan &p, const QString &view)
{
    return view == u"needs" ? pipeline::dependencyLayout(p, compactGeometry())
                            : pipeline::stageLayout(p, compactGeometry());
}

QByteArray job(const QString &name, const QString &stage, const QStringList &needs = {})
{
    QString y = u"%1:\n  stage: %2\n  script: x\n"_qs.arg(name, stage);
    if (!needs.isEmpty())
        y += u"  needs: [%1]\n"_qs.arg(needs.join(u", "));
    return y.toUtf8();
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
    void edgesAvoidBoxes();
    void deterministic();
    void routingCheck_data();
    void routingCheck();
    void routing_data();
    void routing();
    void corpusRouting_data();
    void corpusRouting();
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
    // Polylines are axis-aligned.
    for (int i = 1; i < e.points.size(); ++i) {
        QVERIFY(e.points[i].x() == e.points[i - 1].x() || e.points[i].y() == e.points[i - 1].y());
    }
}

void TestLayout::edgesAvoidBoxes()
{
    // Long links over full columns: no segment may enter a box other than its two ends.
    QByteArray yaml = "stages: [a, b, c, d]\n";
    for (int i = 0; i < 6; ++i) {
        for (const char *stage : {"a", "b", "c"}) {
            yaml += QStringLiteral("%1%2:\n  stage: %1\n  script: x\n")
                        .arg(QLatin1String(stage))
                        .arg(i)
                        .toUtf8();
        }
        yaml += QStringLiteral("d%1:\n  stage: d\n  script: x\n  needs: [a%2, b%3]\n")
                    .arg(i)
                    .arg(5 - i)
                    .arg((i * 2) % 6)
                    .toUtf8();
    }
    const pipeline::Plan p = plan(yaml.constData());
    for (const pipeline::Layout &layout :
         {pipeline::stageLayout(p), pipeline::dependencyLayout(p)}) {
        QVERIFY(!layout.edges.isEmpty());
        for (const pipeline::LayoutEdge &e : layout.edges) {
            for (int i = 1; i < e.points.size(); ++i) {
                const QRectF segment = QRectF(e.points[i - 1], e.points[i]).normalized();
                for (int n = 0; n < layout.nodes.size(); ++n) {
                    if (n == e.from || n == e.to)
                        continue;
                    const pipeline::LayoutNode &box = layout.nodes[n];
                    const QRectF inner(box.x + 1, box.y + 1, box.width - 2, box.height - 2);
                    // A zero-width segment: intersects when it overlaps the inner rectangle.
                    const bool hit =
                        segment.left() <= inner.right() && segment.right() >= inner.left() &&
                        segment.top() <= inner.bottom() && segment.bottom() >= inner.top();
                    QVERIFY2(!hit, qPrintable(layout.nodes[e.from].id + u"->"_qs +
                                              layout.nodes[e.to].id + u" crosses "_qs + box.id));
                }
            }
        }
    }
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

void TestLayout::routingCheck_data()
{
    // The check itself, on hand-made layouts: three cards in a row, one below the first.
    QTest::addColumn<QList<QList<QPointF>>>("paths"); // edges 0->2, then 3->2
    QTest::addColumn<QString>("problem");
    const QList<QPointF> around{{100, 20}, {140, 20}, {140, 70}, {340, 70}, {340, 20}, {400, 20}};
    QTest::newRow("straight through the middle card")
        << QList<QList<QPointF>>{{{100, 20}, {400, 20}}} << u"c0->c2 passes through c1"_qs;
    QTest::newRow("round it") << QList<QList<QPointF>>{around} << QString();
    QTest::newRow("second link on top of the first")
        << QList<QList<QPointF>>{around,
                                 {{100, 80}, {140, 80}, {140, 70}, {340, 70}, {340, 20}, {400, 20}}}
        << u"c0->c2 and c3->c2 run 0 px apart over 200 px"_qs;
    QTest::newRow("second link 2 px beside the first")
        << QList<QList<QPointF>>{around,
                                 {{100, 80}, {142, 80}, {142, 72}, {338, 72}, {338, 20}, {400, 20}}}
        << u"c0->c2 and c3->c2 run 2 px apart over 196 px"_qs;
    QTest::newRow("second link apart, sharing the last stub")
        << QList<QList<QPointF>>{around,
                                 {{100, 80}, {150, 80}, {150, 75}, {330, 75}, {330, 20}, {400, 20}}}
        << QString();
}

void TestLayout::routingCheck()
{
    QFETCH(QList<QList<QPointF>>, paths);
    QFETCH(QString, problem);
    pipeline::Layout layout;
    for (const QPointF &at : {QPointF(0, 0), QPointF(200, 0), QPointF(400, 0), QPointF(0, 60)}) {
        pipeline::LayoutNode n;
        n.id = u"c%1"_qs.arg(layout.nodes.size());
        n.x = at.x();
        n.y = at.y();
        n.width = 100;
        n.height = 40;
        layout.nodes << n;
    }
    for (int i = 0; i < paths.size(); ++i)
        layout.edges << pipeline::LayoutEdge{i == 0 ? 0 : 3, 2, paths[i]};
    QCOMPARE(routingProblems(layout), problem);
}

void TestLayout::routing_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("view");
    QList<QPair<const char *, QByteArray>> cases;
    {
        // A need that skips two stages, past full columns.
        QByteArray y = "stages: [a, b, c, d]\n";
        for (int i = 0; i < 4; ++i)
            y += job(u"a%1"_qs.arg(i), u"a"_qs) + job(u"b%1"_qs.arg(i), u"b"_qs) +
                 job(u"c%1"_qs.arg(i), u"c"_qs);
        y += job(u"d0"_qs, u"d"_qs, {u"a0"_qs}) + job(u"d1"_qs, u"d"_qs, {u"a3"_qs, u"b2"_qs});
        cases.append({"need skips two stages", y});
    }
    {
        // A need to a card below several others in its column, and from a card low in its own.
        QByteArray y = "stages: [a, b]\n";
        for (int i = 0; i < 6; ++i)
            y += job(u"a%1"_qs.arg(i), u"a"_qs);
        for (int i = 0; i < 5; ++i)
            y += job(u"b%1"_qs.arg(i), u"b"_qs, {u"a%1"_qs.arg(i)});
        y += job(u"low"_qs, u"b"_qs, {u"a0"_qs, u"a5"_qs});
        cases.append({"need to a card below several others", y});
    }
    {
        // Many edges into one card, from three stages.
        QByteArray y = "stages: [a, b, c, d]\n";
        QStringList all;
        for (int i = 0; i < 5; ++i) {
            for (const QString &s : {u"a"_qs, u"b"_qs, u"c"_qs}) {
                y += job(s + QString::number(i), s);
                all << s + QString::number(i);
            }
        }
        y += job(u"d0"_qs, u"d"_qs) + job(u"collect"_qs, u"d"_qs, all);
        cases.append({"many edges into one card", y});
    }
    {
        // Crossing needs between two full columns and same-stage needs.
        QByteArray y = "stages: [a, b]\n";
        for (int i = 0; i < 6; ++i)
            y += job(u"a%1"_qs.arg(i), u"a"_qs);
        for (int i = 0; i < 6; ++i)
            y += job(u"b%1"_qs.arg(i), u"b"_qs, {u"a%1"_qs.arg(5 - i), u"a%1"_qs.arg((i * 2) % 6)});
        y += job(u"same"_qs, u"b"_qs, {u"b0"_qs, u"b4"_qs});
        cases.append({"crossing and same-stage needs", y});
    }
    {
        // Jobs written as `check 1/2` and `check 2/2` are one card, in the needs view in the
        // column of the later one: a job needing the earlier one sits left of it (a link going
        // backwards) or in the same column (a link round the right side).
        QByteArray y = "stages: [a, b, c]\n";
        y += job(u"a0"_qs, u"a"_qs) + job(u"a1"_qs, u"a"_qs) + job(u"a2"_qs, u"a"_qs);
        y += job(u"b0"_qs, u"b"_qs, {u"a0"_qs}) + job(u"b1"_qs, u"b"_qs, {u"a1"_qs}) +
             job(u"b2"_qs, u"b"_qs, {u"b0"_qs});
        y += job(u"check 1/2"_qs, u"b"_qs, {u"a2"_qs}) + job(u"check 2/2"_qs, u"b"_qs, {u"b2"_qs});
        y += job(u"late"_qs, u"c"_qs, {u"\"check 1/2\""_qs, u"b1"_qs});
        y += job(u"peer"_qs, u"c"_qs, {u"\"check 1/2\""_qs, u"b2"_qs});
        cases.append({"backward link between groups", y});
    }
    for (const auto &c : std::as_const(cases)) {
        for (const QString &view : {u"stages"_qs, u"needs"_qs})
            QTest::newRow(qPrintable(QLatin1String(c.first) + u", "_qs + view)) << c.second << view;
    }
}

void TestLayout::routing()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, view);
    const pipeline::Plan p = plan(yaml.constData());
    QVERIFY2(p.errors.isEmpty(), qPrintable(p.errors.join(u"; ")));
    const pipeline::Layout layout = layoutOf(p, view);
    QVERIFY(!layout.edges.isEmpty());
    if (QByteArray(QTest::currentDataTag()) == "backward link between groups, needs") {
        int backward = 0;
        int sameColumn = 0;
        for (const pipeline::LayoutEdge &e : layout.edges) {
            const int from = layout.nodes[e.from].column, to = layout.nodes[e.to].column;
            backward += from > to ? 1 : 0;
            sameColumn += from == to ? 1 : 0;
        }
        QCOMPARE(backward, 1);
        QCOMPARE(sameColumn, 1);
    }
    const QString problems = routingProblems(layout);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    // The same plan gives the same picture, whatever the hash seed of the run.
    QHashSeed::resetRandomGlobalSeed();
    QCOMPARE(dump(layoutOf(plan(yaml.constData()), view)), dump(layout));
}

void TestLayout::corpusRouting_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("view");
    const QDir corpus(QStringLiteral(STAGECRAFT_SHARED_DIR "/corpus/gitlab-ci"));
    if (!corpus.exists()) {
        QTest::newRow("absent") << QString() << QString() << QString();
        return;
    }
    for (const QString &name : corpus.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (!QFile::exists(corpus.filePath(name) + u"/.gitlab-ci.yml"_qs))
            continue;
        for (const QString &source : {u"push"_qs, u"merge_request_event"_qs}) {
            for (const QString &view : {u"stages"_qs, u"needs"_qs}) {
                QTest::newRow(qPrintable(name + u' ' + source + u' ' + view))
                    << corpus.filePath(name) << source << view;
            }
        }
    }
}

void TestLayout::corpusRouting()
{
    QFETCH(QString, project);
    QFETCH(QString, source);
    QFETCH(QString, view);
    if (project.isEmpty())
        QSKIP("../shared is absent: no corpus projects to lay out");
    auto planIt = [&] {
        pipeline::PipelineContext context;
        context.source = source;
        context.ref = source == u"push" ? u"main"_qs : u"feature/graph"_qs;
        context.facts.projectPath = QDir(project).dirName().replace(u"__"_qs, u"/"_qs);
        pipeline::PlanOptions options;
        options.resolve.projectRoot = project;
        return pipeline::Planner::planProject(context, options);
    };
    const pipeline::Layout layout = layoutOf(planIt(), view);
    const QString problems = routingProblems(layout);
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
    QHashSeed::resetRandomGlobalSeed();
    QCOMPARE(dump(layoutOf(planIt(), view)), dump(layout));
}

QTEST_GUILESS_MAIN(TestLayout)
#include "tst_layout.moc"
