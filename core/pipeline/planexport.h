#pragma once

#include "pipeline/layout.h"
#include "pipeline/plandiff.h"
#include "pipeline/planner.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace stagecraft::pipeline {

/// `{"created","reason","stages":[...],"jobs":[{"name","stage","when","allowFailure","needs":[...],
/// "dag","needsDetail"?,"dependencies"?,"variables"?,"reason","startIn"?,"trigger"?,"child"?}],
/// "excluded":[{"name","reason"}],"errors"?:[...]}`; trigger jobs carry their `child` plan.
QJsonObject planToJson(const Plan &plan);
/// Human-readable listing: stages with their jobs, then the jobs left out with the reason.
QString planToText(const Plan &plan);
/// Graphviz: one cluster per stage, `needs` as edges.
QString planToDot(const Plan &plan);
/// Mermaid flowchart: one subgraph per stage, `needs` as edges.
QString planToMermaid(const Plan &plan);
/// A standalone SVG drawing of a layout (boxes, column titles, polylines).
QString layoutToSvg(const Layout &layout);

QJsonObject diffToJson(const PlanDiff &diff);
QString diffToText(const PlanDiff &diff);

} // namespace stagecraft::pipeline
