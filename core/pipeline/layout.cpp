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

/// One vertical run of an edge in the gap to the right of a column: it joins two heights, each
/// reached by a horizontal stub from the gap's left or right border.
struct Run
{
    int edge = 0;
    double y0 = 0; ///< where the edge comes from
    double y1 = 0; ///< where it goes
    bool left0 = true;
    bool left1 = false;
    int slot = 0;

    double top() const { return std::min(y0, y1); }
    double bottom() const { return std::max(y0, y1); }
    /// Order in the gap, left to right: loops back to the left column innermost first, then
    /// runs going down (those starting lower further left), then runs going up (those starting
    /// higher further left), then loops to the right column outermost first. Two runs of one
    /// kind whose spans overlap then cross at most once, where the other order would cross
    /// twice.
    int kind() const
    {
        if (left0 && left1)
            return 0;
        if (!left0 && !left1)
            return 3;
        return y1 > y0 ? 1 : 2;
    }
    bool before(const Run &other) const
    {
        const int k = kind();
        if (k != other.kind())
            return k < other.kind();
        const double span = bottom() - top();
        const double otherSpan = other.bottom() - other.top();
        switch (k) {
        case 0:
            if (span != otherSpan)
                return span < otherSpan;
            break;
        case 1:
            if (y0 != other.y0)
                return y0 > other.y0;
            if (y1 != other.y1)
                return y1 > other.y1;
            break;
        case 2:
            if (y0 != other.y0)
                return y0 < other.y0;
            if (y1 != other.y1)
                return y1 < other.y1;
            break;
        default:
            if (span != otherSpan)
                return span > otherSpan;
            break;
        }
        return edge < other.edge;
    }
};

/// Gives each run of a gap a slot (its track, counted from the left) and returns the number of
/// slots. Runs keep their order wherever their spans come within `spacing` of each other; runs
/// that are far apart share a slot, so a gap is only as wide as its busiest height needs.
int assignSlots(std::vector<Run> &runs, double spacing)
{
    std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.before(b); });
    int used = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        int slot = 0;
        const double top = runs[i].top() - spacing;
        const double bottom = runs[i].bottom() + spacing;
        for (size_t j = 0; j < i; ++j) {
            if (runs[j].slot >= slot && runs[j].top() < bottom && runs[j].bottom() > top)
                slot = runs[j].slot + 1;
        }
        runs[i].slot = slot;
        used = std::max(used, slot + 1);
    }
    return used;
}

enum class Route { Straight, Adjacent, Loop, Lane };

Layout place(Graph &g, const QStringList &titles, const LayoutOptions &o)
{
    Layout layout;
    const int cols = int(g.columns.size());
    QList<int> rowOf(g.nodes.size());
    int rows = 0;
    for (int c = 0; c < cols; ++c) {
        for (int r = 0; r < g.columns[c].size(); ++r) {
            g.nodes[g.columns[c][r]].row = r;
            rowOf[g.columns[c][r]] = r;
        }
        rows = std::max(rows, int(g.columns[c].size()));
    }
    layout.crossings = countCrossings(g, rowOf);

    // 1. How each edge goes. Edges that cannot go straight from one column gap to the next
    // cross the columns in between (or, backwards, their own two) along a row gap: gap k lies
    // above row k (gap `rows` below the last row), the same in every column.
    const int edgeCount = int(g.edges.size());
    QList<Route> route(edgeCount);
    QList<int> laneGap(edgeCount, -1);  // row gap of a lane
    QList<int> laneTrack(edgeCount, 0); // its track in that gap, from the top
    QList<int> laneFrom(edgeCount, 0);  // column gaps it joins (gap c: right of column c)
    QList<int> laneTo(edgeCount, 0);
    const int gapCount = cols + 1; // column gaps -1..cols-1, stored at +1
    std::vector<int> load(size_t(rows + 1) * size_t(gapCount), 0);
    QList<QList<int>> lanesInGap(rows + 1);
    for (int i = 0; i < edgeCount; ++i) {
        const LayoutNode &a = g.nodes[g.edges[i].first];
        const LayoutNode &b = g.nodes[g.edges[i].second];
        if (b.column == a.column + 1) {
            route[i] = a.row == b.row ? Route::Straight : Route::Adjacent;
            continue;
        }
        if (b.column == a.column) {
            route[i] = Route::Loop;
            continue;
        }
        route[i] = Route::Lane;
        const int from = std::min(a.column, b.column - 1) + 1;
        const int to = std::max(a.column, b.column - 1) + 1;
        laneFrom[i] = from;
        laneTo[i] = to;
        // Row gaps between the two ends cost no extra length; the least used one of them keeps
        // the lanes spread over the gaps, and on a tie the one nearest the target: the links
        // of one card then fan out in the gap beside it and cross the columns near where they
        // end (on the corpus, 5% fewer crossings than the middle one).
        int lo = std::min(a.row, b.row) + 1;
        int hi = std::max(a.row, b.row);
        if (lo > hi) {
            lo = a.row;
            hi = a.row + 1;
        }
        const int aim = b.row > a.row ? b.row : b.row + 1; // the gap beside the target
        // Far apart ends: the gaps near the preferred one are enough to choose from.
        constexpr int choices = 16;
        if (hi - lo >= choices) {
            lo = std::clamp(aim - choices / 2, lo, hi - choices + 1);
            hi = lo + choices - 1;
        }
        int best = -1;
        int bestCost = 0;
        for (int k = lo; k <= hi; ++k) {
            int cost = 0;
            for (int gi = from; gi <= to; ++gi)
                cost = std::max(cost, load[size_t(k) * size_t(gapCount) + size_t(gi)]);
            if (best < 0 || cost < bestCost ||
                (cost == bestCost && std::abs(k - aim) < std::abs(best - aim))) {
                best = k;
                bestCost = cost;
            }
        }
        for (int gi = from; gi <= to; ++gi)
            ++load[size_t(best) * size_t(gapCount) + size_t(gi)];
        laneGap[i] = best;
        lanesInGap[best] << i;
    }
    // Tracks: lanes whose column spans meet (a shared end gap counts) get different ones.
    QList<int> tracksInGap(rows + 1, 0);
    for (int k = 0; k <= rows; ++k) {
        QList<int> &lanes = lanesInGap[k];
        std::sort(lanes.begin(), lanes.end(), [&](int x, int y) {
            if (laneFrom[x] != laneFrom[y])
                return laneFrom[x] < laneFrom[y];
            if (laneTo[x] != laneTo[y])
                return laneTo[x] < laneTo[y];
            return x < y;
        });
        std::vector<int> lastTo;
        for (int i : std::as_const(lanes)) {
            size_t t = 0;
            while (t < lastTo.size() && lastTo[t] >= laneFrom[i])
                ++t;
            if (t == lastTo.size())
                lastTo.push_back(0);
            lastTo[t] = laneTo[i];
            laneTrack[i] = int(t);
        }
        tracksInGap[k] = int(lastTo.size());
    }

    // 2. Heights: a row gap grows when its lanes do not fit at the edge spacing.
    QList<double> gapTop(rows + 1);
    QList<double> gapHeight(rows + 1);
    QList<double> rowTop(rows);
    double y = o.headerHeight - o.rowGap;
    for (int k = 0; k <= rows; ++k) {
        gapTop[k] = y;
        gapHeight[k] = std::max(o.rowGap, (tracksInGap[k] + 1) * o.edgeSpacing);
        y += gapHeight[k];
        if (k < rows) {
            rowTop[k] = y;
            y += o.nodeHeight;
        }
    }
    layout.height = rows == 0 ? o.headerHeight : y;
    auto laneY = [&](int i) {
        const int k = laneGap[i];
        return gapTop[k] + (laneTrack[i] + 1) * gapHeight[k] / (tracksInGap[k] + 1);
    };
    // Ports: links leave and enter a card at its middle, like GitLab's, unless the card beside
    // it in the next column is entered by bent links at the same height as this one's bent
    // links leave: then those leave a little lower and those enter a little higher, so that
    // neither runs on top of the other.
    QList<char> bentOut(g.nodes.size(), 0);
    QList<char> bentIn(g.nodes.size(), 0);
    for (int i = 0; i < edgeCount; ++i) {
        if (route[i] == Route::Adjacent || route[i] == Route::Lane) {
            bentOut[g.edges[i].first] = 1;
            bentIn[g.edges[i].second] = 1;
        } else if (route[i] == Route::Loop) {
            bentOut[g.edges[i].first] = 1;
        }
    }
    QList<double> outOffset(g.nodes.size(), 0.0);
    QList<double> inOffset(g.nodes.size(), 0.0);
    for (int c = 0; c + 1 < cols; ++c) {
        const QList<int> &here = g.columns[c];
        const QList<int> &next = g.columns[c + 1];
        for (int r = 0; r < std::min(here.size(), next.size()); ++r) {
            if (bentOut[here[r]] && bentIn[next[r]]) {
                outOffset[here[r]] = o.portOffset;
                inOffset[next[r]] = o.portOffset;
            }
        }
    }
    auto mid = [&](const LayoutNode &n) { return rowTop[n.row] + o.nodeHeight / 2; };
    auto outY = [&](int node) { return mid(g.nodes[node]) + outOffset[node]; };
    auto inY = [&](int node) { return mid(g.nodes[node]) - inOffset[node]; };
    // Loops come back on the right side, below the links that leave there.
    auto loopInY = [&](const LayoutNode &n) { return mid(n) + 2 * o.portOffset; };

    // 3. Vertical runs per column gap, then the gaps' widths from their busiest heights.
    std::vector<std::vector<Run>> runs(static_cast<size_t>(gapCount));
    auto addRun = [&](int gap, int edge, double y0, bool left0, double y1, bool left1) {
        runs[size_t(gap + 1)].push_back(Run{edge, y0, y1, left0, left1, 0});
    };
    for (int i = 0; i < edgeCount; ++i) {
        const LayoutNode &a = g.nodes[g.edges[i].first];
        const LayoutNode &b = g.nodes[g.edges[i].second];
        switch (route[i]) {
        case Route::Straight:
            break;
        case Route::Adjacent:
            addRun(a.column, i, outY(g.edges[i].first), true, inY(g.edges[i].second), false);
            break;
        case Route::Loop:
            addRun(a.column, i, outY(g.edges[i].first), true, loopInY(b), true);
            break;
        case Route::Lane:
            if (a.column < b.column) {
                addRun(a.column, i, outY(g.edges[i].first), true, laneY(i), false);
                addRun(b.column - 1, i, laneY(i), true, inY(g.edges[i].second), false);
            } else {
                addRun(a.column, i, outY(g.edges[i].first), true, laneY(i), true);
                addRun(b.column - 1, i, laneY(i), false, inY(g.edges[i].second), false);
            }
            break;
        }
    }
    QList<int> slotsInGap(gapCount, 0);
    QList<double> gapWidth(gapCount, 0);
    for (int gi = 0; gi < gapCount; ++gi) {
        slotsInGap[gi] = assignSlots(runs[size_t(gi)], o.edgeSpacing);
        // The margins left and right of the graph take room only when loops use them.
        const bool outer = gi == 0 || gi == gapCount - 1;
        if (outer && slotsInGap[gi] == 0)
            continue;
        gapWidth[gi] =
            std::max(outer ? o.columnGap / 2 : o.columnGap, (slotsInGap[gi] + 1) * o.edgeSpacing);
    }
    QList<double> columnX(cols);
    double x = 0;
    for (int c = 0; c < cols; ++c) {
        columnX[c] = x;
        x += o.nodeWidth + gapWidth[c + 1];
    }
    layout.width = cols == 0 ? 0 : columnX[cols - 1] + o.nodeWidth + gapWidth[size_t(gapCount - 1)];
    // Slot x of each edge's run in each gap it uses (at most two per edge).
    QList<QPair<double, double>> runX(edgeCount, qMakePair(0.0, 0.0));
    for (int gi = 0; gi < gapCount; ++gi) {
        const double left = gi == 0 ? -gapWidth[0] : columnX[gi - 1] + o.nodeWidth;
        const double step = gapWidth[gi] / (slotsInGap[gi] + 1);
        for (const Run &r : runs[size_t(gi)]) {
            const double rx = left + (r.slot + 1) * step;
            // An edge's first run is in the gap right of its source; a lane's second elsewhere.
            const LayoutNode &a = g.nodes[g.edges[r.edge].first];
            const bool exit = gi == a.column + 1;
            if (exit)
                runX[r.edge].first = rx;
            else
                runX[r.edge].second = rx;
        }
    }

    // 4. Cards and points.
    for (int c = 0; c < cols; ++c) {
        LayoutColumn column;
        column.title = titles.value(c);
        column.x = columnX[c];
        column.nodes = g.columns[c];
        for (int r = 0; r < column.nodes.size(); ++r) {
            LayoutNode &n = g.nodes[column.nodes[r]];
            n.x = column.x;
            n.y = rowTop[r];
            n.width = o.nodeWidth;
            n.height = o.nodeHeight;
        }
        layout.columns << column;
    }
    for (int i = 0; i < edgeCount; ++i) {
        const LayoutNode &a = g.nodes[g.edges[i].first];
        const LayoutNode &b = g.nodes[g.edges[i].second];
        LayoutEdge edge;
        edge.from = g.edges[i].first;
        edge.to = g.edges[i].second;
        const double right = a.x + a.width;
        switch (route[i]) {
        case Route::Straight:
            edge.points << QPointF(right, mid(a)) << QPointF(b.x, mid(b));
            break;
        case Route::Adjacent: {
            const double rx = runX[i].first;
            edge.points << QPointF(right, outY(edge.from)) << QPointF(rx, outY(edge.from))
                        << QPointF(rx, inY(edge.to)) << QPointF(b.x, inY(edge.to));
            break;
        }
        case Route::Loop: {
            const double rx = runX[i].first;
            edge.points << QPointF(right, outY(edge.from)) << QPointF(rx, outY(edge.from))
                        << QPointF(rx, loopInY(b)) << QPointF(b.x + b.width, loopInY(b));
            break;
        }
        case Route::Lane: {
            const double x1 = runX[i].first;
            const double x2 = runX[i].second;
            const double ly = laneY(i);
            edge.points << QPointF(right, outY(edge.from)) << QPointF(x1, outY(edge.from))
                        << QPointF(x1, ly) << QPointF(x2, ly) << QPointF(x2, inY(edge.to))
                        << QPointF(b.x, inY(edge.to));
            break;
        }
        }
        layout.edges << edge;
    }
    layout.nodes = g.nodes;
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
