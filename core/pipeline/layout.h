#pragma once

#include "pipeline/planner.h"

#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

namespace stagecraft::pipeline {

struct LayoutOptions
{
    double nodeWidth = 200;
    double nodeHeight = 40;
    double columnGap = 80;
    double rowGap = 12;
    double headerHeight = 40; ///< room for the column title
    int sweeps = 4;           ///< crossing-reduction passes (each way)
    /// Least distance between two edges running side by side; gaps between columns and rows
    /// grow when more edges have to pass through them than fit at this spacing.
    double edgeSpacing = 5;
    /// Bent links leave a card this far below its middle and enter the card beside it in the
    /// next column this far above, when both have some: they never run on top of each other.
    double portOffset = 3;

    /// The IDE's compact cards (the graph shares the window with the editor), where links have
    /// the least room.
    static LayoutOptions compact()
    {
        LayoutOptions o;
        o.nodeWidth = 168;
        o.nodeHeight = 34;
        o.columnGap = 56;
        o.rowGap = 10;
        o.headerHeight = 36;
        return o;
    }
};

/// One box: a job, or GitLab's group of parallel/matrix jobs (`test 1/3`..`test 3/3` -> `test`).
struct LayoutNode
{
    QString id;       ///< group name (unique within a layout)
    QString label;    ///< what to draw: the group name, or the job name for single jobs
    QStringList jobs; ///< member jobs, in plan order
    int column = 0;
    int row = 0;
    double x = 0;
    double y = 0;
    double width = 0;
    double height = 0;
};

/// A `needs` link between two boxes, as an axis-aligned polyline from the right side of `from`
/// to the left side of `to` (same-column links go round the right side and end on its right
/// side). Vertical runs lie in the gaps between columns, horizontal runs across a column in the
/// gaps between its cards, each edge on its own track: an edge never enters a card other than
/// its two ends, and edges run at least `LayoutOptions::edgeSpacing` apart, except that links
/// leaving one card share their first stub and links entering one card their last.
struct LayoutEdge
{
    int from = 0; ///< index into Layout::nodes
    int to = 0;
    QList<QPointF> points;
};

struct LayoutColumn
{
    QString title; ///< stage name, or "1", "2"... for dependency layers
    double x = 0;
    QList<int> nodes; ///< top to bottom
};

struct Layout
{
    QList<LayoutColumn> columns;
    QList<LayoutNode> nodes;
    QList<LayoutEdge> edges;
    double width = 0;
    double height = 0;
    int crossings = 0; ///< edge crossings between adjacent columns after ordering

    int nodeOf(QStringView id) const;
};

/// GitLab's group name of a job (`CommitStatus#group_name`): a trailing `1/3`, `1:3`, `1 3` or
/// `[...]` (up to three of them) is dropped: `test 1/3` -> `test`, `build: [a, b]` -> `build`.
QString groupName(const QString &jobName);

/// "Group jobs by: Stage": one column per stage with jobs.
Layout stageLayout(const Plan &plan, const LayoutOptions &options = {});
/// "Group jobs by: Job dependencies": column = 1 + the furthest `needs`, 0 without needs.
Layout dependencyLayout(const Plan &plan, const LayoutOptions &options = {});

} // namespace stagecraft::pipeline
