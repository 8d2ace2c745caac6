#include "layout.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <functional>
#include <vector>

namespace stagecraft::pipeline {

namespace {

struct Graph
{
    QList<LayoutNode> nodes;
    QList<QPair<int, int>> edges; // from, to (node indices)
    QList<QList<int>> columns;
};

/// Builds group nodes and edges; `columnOf` gives the column of each group.
Graph buildGraph(const Plan &plan, const std::function<int(const QString &group)> &columnOf,
                 int columnCount, QHash<QString, int> &nodeOfJob)
{
    Graph g;
    QHash<QString, int> nodeOfGroup;
    g.columns.resize(columnCount);
    for (const PlannedJob &job : plan.jobs) {
        // Groups are per stage: the same prefix in two stages gives two boxes.
        const QString group = groupName(job.name);
        const QString key = job.stage + u'\x1f' + group;
        auto it = nodeOfGroup.find(key);
        if (it == nodeOfGroup.end()) {
            LayoutNode node;
            node.id = group;
            node.label = group;
            it = nodeOfGroup.insert(key, int(g.nodes.size()));
            g.nodes << node;
        }
        g.nodes[*it].jobs << job.name;
        nodeOfJob.insert(job.name, *it);
    }
    // Unique ids: a group name used in two stages gets the stage appended.
    QHash<QString, int> idCount;
    for (const LayoutNode &n : std::as_const(g.nodes))
        ++idCount[n.id];
    for (auto it = nodeOfGroup.cbegin(); it != nodeOfGroup.cend(); ++it) {
        LayoutNode &n = g.nodes[it.value()];
        if (idCount.value(n.id) > 1)
            n.id = n.id + QStringLiteral(" (") + it.key().section(u'\x1f', 0, 0) + u')';
        if (n.jobs.size() == 1)
            n.label = n.jobs.first();
    }
    QSet<quint64> seen;
    for (const PlannedJob &job : plan.jobs) {
        const int to = nodeOfJob.value(job.name);
        for (const Need &need : job.needs) {
            const auto it = nodeOfJob.constFind(need.job);
            if (it == nodeOfJob.cend() || *it == to)
                continue;
            const quint64 key = (quint64(quint32(*it)) << 32) | quint32(to);
            if (seen.contains(key))
                continue;
            seen.insert(key);
            g.edges << qMakePair(*it, to);
        }
    }
    for (int i = 0; i < g.nodes.size(); ++i) {
        const int c = columnOf(g.nodes[i].jobs.isEmpty() ? QString() : g.nodes[i].jobs.first());
        g.nodes[i].column = c;
        g.columns[c] << i;
    }
    return g;
}

int countCrossings(const Graph &g, const QList<int> &rowOf)
{
    // Edges between the same pair of columns cross when their end rows are in opposite order.
    QHash<quint64, QList<QPair<int, int>>> byColumns;
    for (const auto &e : g.edges) {
        const int ca = g.nodes[e.first].column;
        const int cb = g.nodes[e.second].column;
        if (ca == cb)
            continue;
        byColumns[(quint64(quint32(ca)) << 32) | quint32(cb)]
            << qMakePair(rowOf[e.first], rowOf[e.second]);
    }
    int crossings = 0;
    for (auto it = byColumns.begin(); it != byColumns.end(); ++it) {
        auto &list = *it;
        // Sorted by (source row, target row), two edges cross when a later one ends strictly
        // above an earlier one: count those inversions with a Fenwick tree, O(n log n).
        std::sort(list.begin(), list.end());
        int maxRow = 0;
        for (const auto &e : std::as_const(list))
            maxRow = std::max(maxRow, e.second);
        std::vector<int> tree(size_t(maxRow) + 2, 0);
        int seen = 0;
        for (const auto &e : std::as_const(list)) {
            int notAbove = 0; // earlier edges ending at or above... at rows <= e.second
            for (int i = e.second + 1; i > 0; i -= i & -i)
                notAbove += tree[size_t(i)];
            crossings += seen - notAbove;
            for (int i = e.second + 1; i < int(tree.size()); i += i & -i)
                ++tree[size_t(i)];
            ++seen;
        }
    }
    return crossings;
}

void orderColumns(Graph &g, int sweeps)
{
    QList<int> rowOf(g.nodes.size());
    auto renumber = [&] {
        for (const QList<int> &col : std::as_const(g.columns)) {
            for (int r = 0; r < col.size(); ++r)
                rowOf[col[r]] = r;
        }
    };
    renumber();
    QList<QList<int>> preds(g.nodes.size());
    QList<QList<int>> succs(g.nodes.size());
    for (const auto &e : std::as_const(g.edges)) {
        if (g.nodes[e.first].column < g.nodes[e.second].column) {
            preds[e.second] << e.first;
            succs[e.first] << e.second;
        }
    }
    QList<QList<int>> best = g.columns;
    int bestCrossings = countCrossings(g, rowOf);
    for (int s = 0; s < sweeps && bestCrossings > 0; ++s) {
        const bool down = s % 2 == 0;
        const int n = int(g.columns.size());
        for (int k = 0; k < n; ++k) {
            const int c = down ? k : n - 1 - k;
            QList<int> &col = g.columns[c];
            QList<QPair<double, int>> keyed;
            for (int r = 0; r < col.size(); ++r) {
                const QList<int> &adj = down ? preds[col[r]] : succs[col[r]];
                double key = r;
                if (!adj.isEmpty()) {
                    // Barycentre of the neighbours' rows, scaled to this column's rows.
                    double sum = 0;
                    for (int a : adj)
                        sum += rowOf[a];
                    key = sum / double(adj.size());
                }
                keyed << qMakePair(key, r);
            }
            std::stable_sort(keyed.begin(), keyed.end());
            QList<int> reordered;
            for (const auto &kv : std::as_const(keyed))
                reordered << col[kv.second];
            col = reordered;
            for (int r = 0; r < col.size(); ++r)
                rowOf[col[r]] = r;
        }
        const int crossings = countCrossings(g, rowOf);
        if (crossings < bestCrossings) {
            bestCrossings = crossings;
            best = g.columns;
        }
    }
    g.columns = best;
}

Layout place(Graph &g, const QStringList &titles, const LayoutOptions &o)
{
    Layout layout;
    QList<int> rowOf(g.nodes.size());
    double maxRows = 0;
    for (int c = 0; c < g.columns.size(); ++c) {
        LayoutColumn column;
        column.title = titles.value(c);
        column.x = c * (o.nodeWidth + o.columnGap);
        column.nodes = g.columns[c];
        for (int r = 0; r < column.nodes.size(); ++r) {
            LayoutNode &n = g.nodes[column.nodes[r]];
            n.row = r;
            n.x = column.x;
            n.y = o.headerHeight + r * (o.nodeHeight + o.rowGap);
            n.width = o.nodeWidth;
            n.height = o.nodeHeight;
            rowOf[column.nodes[r]] = r;
        }
        maxRows = std::max(maxRows, double(column.nodes.size()));
        layout.columns << column;
    }
    layout.crossings = countCrossings(g, rowOf);
    layout.nodes = g.nodes;
    for (const auto &e : std::as_const(g.edges)) {
        const LayoutNode &a = g.nodes[e.first];
        const LayoutNode &b = g.nodes[e.second];
        LayoutEdge edge;
        edge.from = e.first;
        edge.to = e.second;
        const double ay = a.y + a.height / 2;
        const double by = b.y + b.height / 2;
        if (a.column < b.column) {
            const double out = a.x + a.width + o.columnGap / 2;
            const double in = b.x - o.columnGap / 2;
            edge.points << QPointF(a.x + a.width, ay) << QPointF(out, ay);
            if (in > out) {
                // Long links run along the gap above the target row's column.
                edge.points << QPointF(out, by) << QPointF(in, by);
            } else {
                edge.points << QPointF(in, by);
            }
            edge.points << QPointF(b.x, by);
        } else {
            // Same column (same-stage needs) or backwards: round the right side.
            const double side = std::max(a.x + a.width, b.x + b.width) + o.columnGap / 4;
            edge.points << QPointF(a.x + a.width, ay) << QPointF(side, ay) << QPointF(side, by)
                        << QPointF(b.x + b.width, by);
        }
        layout.edges << edge;
    }
    const int cols = int(g.columns.size());
    layout.width = cols == 0 ? 0 : cols * o.nodeWidth + (cols - 1) * o.columnGap;
    layout.height = o.headerHeight + maxRows * (o.nodeHeight + o.rowGap);
    return layout;
}

} // namespace

int Layout::nodeOf(QStringView id) const
{
    for (int i = 0; i < nodes.size(); ++i) {
        if (nodes.at(i).id == id)
            return i;
    }
    return -1;
}

QString groupName(const QString &jobName)
{
    static const QRegularExpression re(
        QStringLiteral(R"((?:[\s:]+(?:\[.*\]|\d+[\s:/\\]+\d+)){1,3}\s*$)"));
    QString out = jobName;
    out.remove(re);
    out = out.trimmed();
    return out.isEmpty() ? jobName : out;
}

Layout stageLayout(const Plan &plan, const LayoutOptions &options)
{
    QHash<QString, int> columnOfStage;
    for (int i = 0; i < plan.stages.size(); ++i)
        columnOfStage.insert(plan.stages[i], i);
    QHash<QString, int> stageColumnOfJob;
    for (const PlannedJob &job : plan.jobs)
        stageColumnOfJob.insert(job.name, columnOfStage.value(job.stage));
    QHash<QString, int> nodeOfJob;
    Graph g = buildGraph(
        plan, [&](const QString &job) { return stageColumnOfJob.value(job); },
        int(plan.stages.size()), nodeOfJob);
    orderColumns(g, options.sweeps);
    return place(g, plan.stages, options);
}

Layout dependencyLayout(const Plan &plan, const LayoutOptions &options)
{
    // Layer of each job: 0 without needs, else 1 + the furthest need (memoised, cycle-safe).
    QHash<QString, int> index;
    for (int i = 0; i < plan.jobs.size(); ++i)
        index.insert(plan.jobs[i].name, i);
    QList<int> layer(plan.jobs.size(), -1);
    QList<char> visiting(plan.jobs.size(), 0);
    std::function<int(int)> layerOf = [&](int i) -> int {
        if (layer[i] >= 0)
            return layer[i];
        if (visiting[i])
            return 0;
        visiting[i] = 1;
        int l = 0;
        for (const Need &n : plan.jobs[i].needs) {
            const auto it = index.constFind(n.job);
            if (it != index.cend())
                l = std::max(l, layerOf(*it) + 1);
        }
        visiting[i] = 0;
        layer[i] = l;
        return l;
    };
    int layers = 0;
    for (int i = 0; i < plan.jobs.size(); ++i)
        layers = std::max(layers, layerOf(i) + 1);
    // A group sits in the column of its furthest member.
    QHash<QString, int> groupLayer;
    for (int i = 0; i < plan.jobs.size(); ++i) {
        const QString key = plan.jobs[i].stage + u'\x1f' + groupName(plan.jobs[i].name);
        groupLayer[key] = std::max(groupLayer.value(key), layer[i]);
    }
    QHash<QString, int> columnOfJob;
    for (const PlannedJob &job : plan.jobs)
        columnOfJob.insert(job.name, groupLayer.value(job.stage + u'\x1f' + groupName(job.name)));
    QHash<QString, int> nodeOfJob;
    Graph g = buildGraph(
        plan, [&](const QString &job) { return columnOfJob.value(job); }, layers, nodeOfJob);
    orderColumns(g, options.sweeps);
    QStringList titles;
    for (int i = 0; i < layers; ++i)
        titles << QString::number(i + 1);
    return place(g, titles, options);
}

} // namespace stagecraft::pipeline
