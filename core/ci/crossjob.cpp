// References between jobs, checked after the structure the way GitLab's YamlProcessor does
// (`<job> job: ...` messages): stages, dependencies, needs and their cycles, on_stop.

#include "checker.h"
#include "hints.h"

#include <QHash>
#include <QRegularExpression>

namespace stagecraft::ci::detail {

namespace {

struct JobInfo
{
    const Job *job = nullptr;
    int stageIndex = -1;
    QString stage;
};

// Flattens `stages:` (strings or nested arrays of strings) in order.
void flattenStages(const Node &n, QStringList &out)
{
    for (const Node &item : n.items()) {
        if (item.isSequence())
            flattenStages(item, out);
        else if (isStr(item))
            out << item.scalar();
    }
}

struct NeedRef
{
    QString name;
    Node node; ///< the string or the `job:` value
    bool optional = false;
    bool matrix = false; ///< needs one instance set of a parallel:matrix job
};

// `build: [linux, amd64]` names one instance of a parallel:matrix job, `build 2/3` one of a
// `parallel: 3` job.
QString baseName(const QString &name)
{
    const qsizetype i = name.indexOf(QStringLiteral(": ["));
    if (i > 0 && name.endsWith(u']'))
        return name.left(i);
    static const QRegularExpression index(QStringLiteral("^(.+) \\d+/\\d+$"));
    const QRegularExpressionMatch m = index.match(name);
    return m.hasMatch() ? m.captured(1) : name;
}

QString sanitizedStage(const Node &job)
{
    Node s = job.value(u"stage");
    if (!s.isDefined())
        s = job.value(u"type"); // deprecated alias
    return isStr(s) ? s.scalar() : QStringLiteral("test");
}

} // namespace

void Checker::crossJob()
{
    const Node &root = m_config.root;
    if (!root.isMap())
        return;

    QStringList stages;
    Node stagesNode = root.value(u"stages");
    if (!stagesNode.isSequence())
        stagesNode = root.value(u"types");
    if (stagesNode.isSequence()) {
        flattenStages(stagesNode, stages);
        stages.removeAll(QStringLiteral(".pre"));
        stages.removeAll(QStringLiteral(".post"));
        stages.prepend(QStringLiteral(".pre"));
        stages.append(QStringLiteral(".post"));
    } else {
        stages = m_config.stages.isEmpty() ? QStringList{QStringLiteral(".pre")} + defaultStages() +
                                                 QStringList{QStringLiteral(".post")}
                                           : m_config.stages;
    }
    QHash<QString, int> stageIndex;
    for (int i = 0; i < stages.size(); ++i)
        stageIndex.insert(stages.at(i), i);

    QHash<QString, JobInfo> jobs; // visible jobs with a hash value
    QHash<QString, const Job *> hidden;
    jobs.reserve(m_config.jobs.size());
    QStringList visibleNames;
    for (const Job &j : m_config.jobs) {
        if (j.hidden) {
            hidden.insert(j.name, &j);
            continue;
        }
        if (!j.node.isMap())
            continue;
        JobInfo info;
        info.job = &j;
        info.stage = sanitizedStage(j.node);
        info.stageIndex = stageIndex.value(info.stage, -1);
        jobs.insert(j.name, info);
        visibleNames << j.name;
    }

    // Stage of every job.
    const QString available = stages.join(QStringLiteral(", "));
    for (const QString &name : std::as_const(visibleNames)) {
        const JobInfo &info = jobs[name];
        if (info.stageIndex >= 0)
            continue;
        const Node s = info.job->node.contains(u"stage") ? info.job->node.value(u"stage")
                                                         : info.job->node.value(u"type");
        if (s.isDefined() && !isStr(s))
            continue; // already reported as a type error
        m_anchor = info.job->key;
        missing(QStringLiteral("undefined-stage"),
                tr("%1 job: chosen stage %2 does not exist; available stages are %3")
                    .arg(name, info.stage, available),
                s.isDefined() ? s : info.job->key,
                s.isDefined() ? didYouMean(info.stage, stages)
                              : tr("a job without stage: runs in 'test', which is not in stages:"));
    }

    auto describeMissing = [&](const QString &what) -> QString {
        if (hidden.contains(what))
            return tr("'%1' is a hidden job (its name starts with '.'): it is a template and "
                      "never runs")
                .arg(what);
        return didYouMean(what, visibleNames);
    };

    // Dependencies and needs.
    QHash<QString, QList<NeedRef>> needGraph;
    for (const QString &name : std::as_const(visibleNames)) {
        const JobInfo &info = jobs[name];
        const Node &node = info.job->node;
        m_anchor = info.job->key;

        QList<NeedRef> needs;
        const Node needsNode = node.value(u"needs");
        bool hasJobNeeds = false;
        if (needsNode.isSequence()) {
            const std::vector<Node> needItems = flattened(needsNode);
            for (const Node &item : needItems) {
                NeedRef ref;
                if (isStr(item)) {
                    ref.name = item.scalar();
                    ref.node = item;
                } else if (item.isMap() && !item.contains(u"pipeline") &&
                           !item.contains(u"project") && isStr(item.value(u"job"))) {
                    ref.node = item.value(u"job");
                    ref.name = ref.node.scalar();
                    ref.optional = item.value(u"optional").toBool().value_or(false);
                    ref.matrix = item.contains(u"parallel");
                } else {
                    continue;
                }
                needs.append(ref);
            }
            hasJobNeeds = !needs.isEmpty();
            if (needItems.size() > 50) {
                error(QStringLiteral("too-many-needs"),
                      tr("%1 job: one job can only need 50 others, but you have listed %2. See "
                         "needs keyword documentation for more details")
                          .arg(name)
                          .arg(qsizetype(needItems.size())),
                      needsNode);
            }
        }

        QSet<QString> seenNeeds, plainNeeds;
        QStringList duplicates;
        QList<NeedRef> edges;
        for (const NeedRef &ref : std::as_const(needs)) {
            if (!ref.matrix && plainNeeds.contains(ref.name)) {
                if (!duplicates.contains(ref.name))
                    duplicates << ref.name;
                continue;
            }
            if (!ref.matrix)
                plainNeeds.insert(ref.name);
            seenNeeds.insert(ref.name);
            const QString target = jobs.contains(ref.name) ? ref.name : baseName(ref.name);
            const auto it = jobs.constFind(target);
            if (it == jobs.constEnd()) {
                if (!ref.optional) {
                    missing(QStringLiteral("undefined-need"),
                            tr("%1 job: undefined need: %2").arg(name, ref.name), ref.node,
                            describeMissing(ref.name));
                }
                continue;
            }
            if (it->stageIndex >= 0 && info.stageIndex >= 0 && it->stageIndex > info.stageIndex) {
                missing(
                    QStringLiteral("need-in-later-stage"),
                    tr("%1 job: need %2 is not defined in current or prior stages")
                        .arg(name, ref.name),
                    ref.node,
                    tr("'%1' runs in stage '%2', after '%3'").arg(target, it->stage, info.stage));
            }
            NeedRef edge = ref;
            edge.name = target;
            edges.append(edge);
        }
        if (!duplicates.isEmpty()) {
            error(QStringLiteral("duplicate-need"),
                  tr("%1 has the following needs duplicated: %2.")
                      .arg(name, duplicates.join(QStringLiteral(", "))),
                  needsNode);
        }
        needGraph.insert(name, edges);

        const Node deps = node.value(u"dependencies");
        if (deps.isSequence()) {
            for (const Node &d : deps.items()) {
                if (!isStr(d))
                    continue;
                const QString dep = d.scalar();
                const QString target = jobs.contains(dep) ? dep : baseName(dep);
                const auto it = jobs.constFind(target);
                if (it == jobs.constEnd()) {
                    missing(QStringLiteral("undefined-dependency"),
                            tr("%1 job: undefined dependency: %2").arg(name, dep), d,
                            describeMissing(dep));
                    continue;
                }
                if (it->stageIndex >= 0 && info.stageIndex >= 0 &&
                    it->stageIndex > info.stageIndex) {
                    missing(QStringLiteral("dependency-in-later-stage"),
                            tr("%1 job: dependency %2 is not defined in current or prior stages")
                                .arg(name, dep),
                            d,
                            tr("'%1' runs in stage '%2', after '%3'")
                                .arg(target, it->stage, info.stage));
                } else if (hasJobNeeds && !seenNeeds.contains(dep)) {
                    error(QStringLiteral("dependency-not-in-needs"),
                          tr("jobs:%1 dependencies the %2 should be part of needs").arg(name, dep),
                          d);
                }
            }
        }

        // environment:on_stop
        const Node env = node.value(u"environment");
        const Node onStop = env.isMap() ? env.value(u"on_stop") : Node();
        if (isStr(onStop)) {
            const QString stop = onStop.scalar();
            const auto it = jobs.constFind(stop);
            if (it == jobs.constEnd()) {
                missing(QStringLiteral("undefined-on-stop"),
                        tr("%1 job: on_stop job %2 is not defined").arg(name, stop), onStop,
                        describeMissing(stop));
            } else {
                const Node stopEnv = it->job->node.value(u"environment");
                const QString envName =
                    isStr(env.value(u"name")) ? env.value(u"name").scalar() : QString();
                const QString stopName = isStr(stopEnv)
                                             ? stopEnv.scalar()
                                             : (stopEnv.isMap() && isStr(stopEnv.value(u"name"))
                                                    ? stopEnv.value(u"name").scalar()
                                                    : QString());
                const Node action = stopEnv.isMap() ? stopEnv.value(u"action") : Node();
                if (!stopEnv.isDefined() || stopEnv.isNull()) {
                    error(QStringLiteral("invalid-on-stop"),
                          tr("%1 job: on_stop job %2 does not have environment defined")
                              .arg(name, stop),
                          onStop);
                } else if (stopName != envName) {
                    error(QStringLiteral("invalid-on-stop"),
                          tr("%1 job: on_stop job %2 have different environment name")
                              .arg(name, stop),
                          onStop, tr("'%1' vs '%2'").arg(envName, stopName));
                } else if (!isStr(action) || action.scalar() != u"stop") {
                    error(QStringLiteral("invalid-on-stop"),
                          tr("%1 job: on_stop job %2 needs to have action stop defined")
                              .arg(name, stop),
                          onStop);
                }
            }
        }
    }

    // Cycles in needs: iterative depth-first search, one report per cycle found.
    enum Color : quint8 { White, Grey, Black };
    QHash<QString, Color> color;
    color.reserve(visibleNames.size());
    for (const QString &start : std::as_const(visibleNames)) {
        if (color.value(start, White) != White)
            continue;
        struct Frame
        {
            QString name;
            qsizetype next = 0;
        };
        QList<Frame> stack{{start, 0}};
        color.insert(start, Grey);
        while (!stack.isEmpty()) {
            Frame &top = stack.last();
            const QList<NeedRef> &edges = needGraph[top.name];
            if (top.next >= edges.size()) {
                color.insert(top.name, Black);
                stack.removeLast();
                continue;
            }
            const NeedRef &edge = edges.at(top.next++);
            const Color c = color.value(edge.name, White);
            if (c == White) {
                color.insert(edge.name, Grey);
                stack.append({edge.name, 0});
            } else if (c == Grey) {
                QStringList cycle;
                bool in = false;
                for (const Frame &f : std::as_const(stack)) {
                    in = in || f.name == edge.name;
                    if (in)
                        cycle << f.name;
                }
                cycle << edge.name;
                m_anchor = jobs[top.name].job->key;
                error(QStringLiteral("needs-cycle"), tr("The pipeline has circular dependencies"),
                      edge.node, tr("needs cycle: %1").arg(cycle.join(QStringLiteral(" -> "))));
            }
        }
    }
}

} // namespace stagecraft::ci::detail
