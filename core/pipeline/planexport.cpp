#include "planexport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTextStream>

namespace stagecraft::pipeline {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::pipeline", text);
}

QJsonArray toArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

QString quoteDot(const QString &s)
{
    QString out = s;
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'"', QStringLiteral("\\\""));
    return u'"' + out + u'"';
}

QString escapeXml(const QString &s)
{
    return s.toHtmlEscaped();
}

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

QString whenText(const PlannedJob &job)
{
    QString w = whenName(job.when);
    if (job.when == When::Delayed && !job.startIn.isEmpty())
        w += QStringLiteral(" (") + job.startIn + u')';
    return w;
}

void appendText(QString &out, const Plan &plan, const QString &indent)
{
    QString stage;
    for (const PlannedJob &job : plan.jobs) {
        if (job.stage != stage) {
            stage = job.stage;
            out += indent + stage + u'\n';
        }
        QString line = indent + QStringLiteral("  ") + job.name;
        line = line.leftJustified(indent.size() + 34) + u' ' + whenText(job);
        if (job.allowFailure)
            line += tr(", allowed to fail");
        if (job.hasNeeds) {
            QStringList names;
            for (const Need &n : job.needs)
                names << n.job + (n.optional ? QStringLiteral("?") : QString());
            line += tr("  needs: [%1]").arg(names.join(QStringLiteral(", ")));
        }
        if (job.trigger && !job.triggerProject.isEmpty())
            line += tr("  triggers %1").arg(job.triggerProject);
        out += line + u'\n';
        if (job.child) {
            out +=
                indent + QStringLiteral("    ") + tr("child pipeline: %1\n").arg(job.child->reason);
            appendText(out, *job.child, indent + QStringLiteral("    "));
        }
    }
    if (!plan.excluded.isEmpty()) {
        out += indent + tr("not in the pipeline:\n");
        for (const ExcludedJob &job : plan.excluded)
            out += QString(indent + QStringLiteral("  ") + job.name)
                       .leftJustified(indent.size() + 34) +
                   u' ' + job.reason + u'\n';
    }
    for (const QString &e : plan.errors)
        out += indent + tr("error: %1\n").arg(e);
}

} // namespace

QJsonObject planToJson(const Plan &plan)
{
    QJsonObject o;
    o.insert(QStringLiteral("created"), plan.created);
    o.insert(QStringLiteral("reason"), plan.reason);
    if (!plan.name.isEmpty())
        o.insert(QStringLiteral("name"), plan.name);
    o.insert(QStringLiteral("stages"), toArray(plan.stages));
    QJsonArray jobs;
    for (const PlannedJob &job : plan.jobs) {
        QJsonObject j;
        j.insert(QStringLiteral("name"), job.name);
        j.insert(QStringLiteral("stage"), job.stage);
        j.insert(QStringLiteral("when"), whenName(job.when));
        if (job.when == When::Delayed)
            j.insert(QStringLiteral("startIn"), job.startIn);
        j.insert(QStringLiteral("allowFailure"), job.allowFailure);
        // `needs`: the job names (cross-project ones as `project:job`); `needsDetail` only when
        // some need is optional, has `artifacts: false` or is cross-project/pipeline.
        QJsonArray needs;
        QJsonArray detail;
        bool plain = true;
        for (const Need &n : job.needs) {
            needs.append(n.project.isEmpty() ? n.job : n.project + u':' + n.job);
            QJsonObject need;
            need.insert(QStringLiteral("job"), n.job);
            need.insert(QStringLiteral("artifacts"), n.artifacts);
            need.insert(QStringLiteral("optional"), n.optional);
            if (!n.pipeline.isEmpty())
                need.insert(QStringLiteral("pipeline"), n.pipeline);
            if (!n.project.isEmpty())
                need.insert(QStringLiteral("project"), n.project);
            detail.append(need);
            plain = plain && n.isLocal() && n.artifacts && !n.optional;
        }
        j.insert(QStringLiteral("needs"), needs);
        // false: no `needs:` keyword, the job waits for the earlier stages.
        j.insert(QStringLiteral("dag"), job.hasNeeds);
        if (!plain)
            j.insert(QStringLiteral("needsDetail"), detail);
        if (job.hasDependencies)
            j.insert(QStringLiteral("dependencies"), toArray(job.dependencies));
        if (!job.variables.isEmpty()) {
            QJsonObject v;
            for (const vars::Variable &var : job.variables)
                v.insert(var.name, var.value);
            j.insert(QStringLiteral("variables"), v);
        }
        j.insert(QStringLiteral("reason"), job.reason);
        if (job.trigger) {
            if (!job.triggerProject.isEmpty())
                j.insert(QStringLiteral("trigger"), job.triggerProject);
            if (job.child)
                j.insert(QStringLiteral("child"), planToJson(*job.child));
        }
        jobs.append(j);
    }
    o.insert(QStringLiteral("jobs"), jobs);
    QJsonArray excluded;
    for (const ExcludedJob &job : plan.excluded) {
        QJsonObject j;
        j.insert(QStringLiteral("name"), job.name);
        j.insert(QStringLiteral("reason"), job.reason);
        excluded.append(j);
    }
    o.insert(QStringLiteral("excluded"), excluded);
    if (!plan.errors.isEmpty())
        o.insert(QStringLiteral("errors"), toArray(plan.errors));
    return o;
}

QString planToText(const Plan &plan)
{
    QString out = plan.created ? tr("Pipeline created (%1)\n").arg(plan.reason)
                               : tr("Pipeline not created: %1\n").arg(plan.reason);
    appendText(out, plan, QString());
    return out;
}

QString planToDot(const Plan &plan)
{
    QString out = QStringLiteral("digraph pipeline {\n  rankdir=LR;\n  node [shape=box];\n");
    int cluster = 0;
    for (const QString &stage : plan.stages) {
        out += QStringLiteral("  subgraph cluster_%1 {\n    label=%2;\n")
                   .arg(cluster++)
                   .arg(quoteDot(stage));
        for (const PlannedJob &job : plan.jobs) {
            if (job.stage == stage)
                out += QStringLiteral("    %1;\n").arg(quoteDot(job.name));
        }
        out += QStringLiteral("  }\n");
    }
    for (const PlannedJob &job : plan.jobs) {
        for (const Need &n : job.needs) {
            if (n.isLocal())
                out += QStringLiteral("  %1 -> %2;\n").arg(quoteDot(n.job), quoteDot(job.name));
        }
    }
    out += QStringLiteral("}\n");
    return out;
}

QString planToMermaid(const Plan &plan)
{
    QHash<QString, QString> id;
    for (int i = 0; i < plan.jobs.size(); ++i)
        id.insert(plan.jobs[i].name, QStringLiteral("j%1").arg(i));
    auto label = [](QString s) -> QString {
        s.replace(u'"', QStringLiteral("#quot;"));
        return u'"' + s + u'"';
    };
    QString out = QStringLiteral("flowchart LR\n");
    int n = 0;
    for (const QString &stage : plan.stages) {
        out += QStringLiteral("  subgraph s%1[%2]\n").arg(n++).arg(label(stage));
        for (const PlannedJob &job : plan.jobs) {
            if (job.stage == stage)
                out += QStringLiteral("    %1[%2]\n").arg(id.value(job.name), label(job.name));
        }
        out += QStringLiteral("  end\n");
    }
    for (const PlannedJob &job : plan.jobs) {
        for (const Need &need : job.needs) {
            if (id.contains(need.job))
                out += QStringLiteral("  %1 --> %2\n").arg(id.value(need.job), id.value(job.name));
        }
    }
    return out;
}

QString layoutToSvg(const Layout &layout)
{
    const double margin = 20;
    QString out;
    QTextStream s(&out);
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(layout.width + 2 * margin)
      << "\" height=\"" << num(layout.height + 2 * margin) << "\" font-family=\"sans-serif\" "
      << "font-size=\"13\">\n";
    s << "<g transform=\"translate(" << num(margin) << "," << num(margin) << ")\">\n";
    for (const LayoutColumn &c : layout.columns) {
        s << "<text x=\"" << num(c.x) << "\" y=\"16\" font-weight=\"bold\">" << escapeXml(c.title)
          << "</text>\n";
    }
    for (const LayoutEdge &e : layout.edges) {
        s << "<polyline fill=\"none\" stroke=\"#999\" stroke-width=\"1.5\" points=\"";
        for (int i = 0; i < e.points.size(); ++i)
            s << (i ? " " : "") << num(e.points[i].x()) << "," << num(e.points[i].y());
        s << "\"/>\n";
    }
    for (const LayoutNode &n : layout.nodes) {
        s << "<rect x=\"" << num(n.x) << "\" y=\"" << num(n.y) << "\" width=\"" << num(n.width)
          << "\" height=\"" << num(n.height) << "\" rx=\"20\" fill=\"#fff\" stroke=\"#bbb\"/>\n";
        QString label = n.label;
        if (n.jobs.size() > 1)
            label += QStringLiteral("  (%1)").arg(n.jobs.size());
        s << "<text x=\"" << num(n.x + 14) << "\" y=\"" << num(n.y + n.height / 2 + 4) << "\">"
          << escapeXml(label) << "</text>\n";
    }
    s << "</g>\n</svg>\n";
    s.flush();
    return out;
}

QJsonObject diffToJson(const PlanDiff &diff)
{
    QJsonObject o;
    o.insert(QStringLiteral("createdBefore"), diff.createdBefore);
    o.insert(QStringLiteral("createdAfter"), diff.createdAfter);
    o.insert(QStringLiteral("added"), toArray(diff.added));
    o.insert(QStringLiteral("removed"), toArray(diff.removed));
    QJsonArray changed;
    for (const JobChange &c : diff.changed) {
        QJsonObject j;
        j.insert(QStringLiteral("name"), c.name);
        j.insert(QStringLiteral("keys"), toArray(c.keys));
        if (c.stageMoved()) {
            j.insert(QStringLiteral("oldStage"), c.oldStage);
            j.insert(QStringLiteral("newStage"), c.newStage);
        }
        if (c.oldWhen != c.newWhen) {
            j.insert(QStringLiteral("oldWhen"), c.oldWhen);
            j.insert(QStringLiteral("newWhen"), c.newWhen);
        }
        if (!c.needsAdded.isEmpty())
            j.insert(QStringLiteral("needsAdded"), toArray(c.needsAdded));
        if (!c.needsRemoved.isEmpty())
            j.insert(QStringLiteral("needsRemoved"), toArray(c.needsRemoved));
        changed.append(j);
    }
    o.insert(QStringLiteral("changed"), changed);
    o.insert(QStringLiteral("stagesAdded"), toArray(diff.stagesAdded));
    o.insert(QStringLiteral("stagesRemoved"), toArray(diff.stagesRemoved));
    return o;
}

QString diffToText(const PlanDiff &diff)
{
    QString out;
    if (diff.createdBefore != diff.createdAfter) {
        out += diff.createdAfter ? tr("pipeline: now created (was not)\n")
                                 : tr("pipeline: no longer created\n");
    }
    for (const QString &s : diff.stagesAdded)
        out += tr("+ stage %1\n").arg(s);
    for (const QString &s : diff.stagesRemoved)
        out += tr("- stage %1\n").arg(s);
    for (const QString &j : diff.added)
        out += QStringLiteral("+ ") + j + u'\n';
    for (const QString &j : diff.removed)
        out += QStringLiteral("- ") + j + u'\n';
    for (const JobChange &c : diff.changed) {
        QStringList parts;
        for (const QString &k : c.keys) {
            if (k == u"stage")
                parts << tr("stage %1 -> %2").arg(c.oldStage, c.newStage);
            else if (k == u"when" && c.oldWhen != c.newWhen)
                parts << tr("when %1 -> %2").arg(c.oldWhen, c.newWhen);
            else if (k == u"needs") {
                QStringList n;
                for (const QString &a : c.needsAdded)
                    n << u'+' + a;
                for (const QString &r : c.needsRemoved)
                    n << u'-' + r;
                parts << (n.isEmpty() ? QStringLiteral("needs")
                                      : tr("needs (%1)").arg(n.join(QStringLiteral(", "))));
            } else {
                parts << k;
            }
        }
        out += QStringLiteral("~ ") + c.name + QStringLiteral(": ") +
               parts.join(QStringLiteral(", ")) + u'\n';
    }
    if (out.isEmpty())
        out = tr("no changes to the pipeline\n");
    return out;
}

} // namespace stagecraft::pipeline
