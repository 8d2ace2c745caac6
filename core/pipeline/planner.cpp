#include "planner.h"

#include "ci/effective.h"
#include "expr/expression.h"
#include "expr/regex.h"
#include "pipeline/glob.h"
#include "yaml/emitter.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace stagecraft::pipeline {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::pipeline", text);
}

QString text(const yaml::Node &node)
{
    return node.isScalar() ? node.scalar() : QString();
}

/// Sequence items with nested sequences flattened, as GitLab does for lists built with
/// `!reference` (`needs: [a, !reference [.x, needs]]`, `rules: [!reference [.r, rules]]`).
void flattenInto(const yaml::Node &node, std::vector<yaml::Node> &out, int depth)
{
    for (const yaml::Node &item : node.items()) {
        if (item.isSequence() && depth < 10)
            flattenInto(item, out, depth + 1);
        else
            out.push_back(item);
    }
}

std::vector<yaml::Node> flatItems(const yaml::Node &node)
{
    std::vector<yaml::Node> out;
    if (node.isSequence())
        flattenInto(node, out, 0);
    return out;
}

QStringList stringList(const yaml::Node &node)
{
    QStringList out;
    if (node.isScalar()) {
        out << node.scalar();
    } else if (node.isSequence()) {
        for (const yaml::Node &item : flatItems(node)) {
            if (item.isScalar())
                out << item.scalar();
        }
    }
    return out;
}

QList<vars::Variable> readVariables(const yaml::Node &map)
{
    QList<vars::Variable> out;
    if (!map.isMap())
        return out;
    out.reserve(map.size());
    for (const yaml::MapEntry &e : map.entries()) {
        vars::Variable v;
        v.name = e.key.scalar();
        if (e.value.isMap()) {
            v.value = text(e.value.value(u"value"));
            const yaml::Node expand = e.value.value(u"expand");
            v.raw = expand.isDefined() && expand.toBool() == false;
        } else {
            v.value = text(e.value);
        }
        out << v;
    }
    return out;
}

QList<vars::Variable> filterInherited(const QList<vars::Variable> &globals, const yaml::Node &job)
{
    const yaml::Node inherit = job.value(u"inherit").value(u"variables");
    if (!inherit.isDefined())
        return globals;
    if (inherit.isScalar())
        return inherit.toBool() == false ? QList<vars::Variable>{} : globals;
    const QStringList names = stringList(inherit);
    QList<vars::Variable> out;
    for (const vars::Variable &v : globals) {
        if (names.contains(v.name))
            out << v;
    }
    return out;
}

void overrideVariables(QList<vars::Variable> &list, const QList<vars::Variable> &more)
{
    for (const vars::Variable &v : more) {
        auto it = std::find_if(list.begin(), list.end(),
                               [&](const vars::Variable &x) { return x.name == v.name; });
        if (it != list.end())
            *it = v;
        else
            list << v;
    }
}

struct Instance
{
    QString name;
    QList<vars::Variable> matrix;
    int index = 0;
    int total = 1;
};

/// The cartesian product of one matrix entry: first key varies slowest (Ruby's Array#product).
QList<QList<vars::Variable>> matrixProduct(const yaml::Node &entry)
{
    QList<QList<vars::Variable>> rows{{}};
    for (const yaml::MapEntry &e : entry.entries()) {
        QStringList values =
            e.value.isSequence() ? stringList(e.value) : QStringList{text(e.value)};
        QList<QList<vars::Variable>> next;
        for (const auto &row : rows) {
            for (const QString &value : values) {
                auto r = row;
                r << vars::Variable{e.key.scalar(), value, false};
                next << r;
            }
        }
        rows = next;
    }
    return rows;
}

QList<Instance> expandParallel(const QString &name, const yaml::Node &job)
{
    const yaml::Node parallel = job.value(u"parallel");
    if (parallel.isScalar()) {
        const int total = int(parallel.toInt().value_or(0));
        if (total >= 1) {
            QList<Instance> out;
            for (int i = 1; i <= total; ++i)
                out << Instance{parallelName(name, i, total), {}, i, total};
            return out;
        }
    } else if (parallel.isMap() && parallel.value(u"matrix").isSequence()) {
        QList<Instance> out;
        for (const yaml::Node &entry : parallel.value(u"matrix").items()) {
            if (!entry.isMap())
                continue;
            for (const auto &row : matrixProduct(entry)) {
                QStringList values;
                for (const vars::Variable &v : row)
                    values << v.value;
                out << Instance{matrixName(name, values), row, 0, 0};
            }
        }
        for (int i = 0; i < out.size(); ++i) {
            out[i].index = i + 1;
            out[i].total = int(out.size());
        }
        if (!out.isEmpty())
            return out;
    }
    return {Instance{name, {}, 0, 1}};
}

/// `$[[ matrix.NAME ]]` in needs, from the consumer's own matrix values.
QString substituteMatrix(QString value, const QList<vars::Variable> &matrix)
{
    if (!value.contains(QStringLiteral("$[[")))
        return value;
    static const QRegularExpression re(
        QStringLiteral(R"(\$\[\[\s*matrix\.([A-Za-z0-9_-]+)\s*\]\])"));
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(value);
    while (it.hasNext()) {
        const auto m = it.next();
        out += value.mid(last, m.capturedStart() - last);
        QString replacement;
        for (const vars::Variable &v : matrix) {
            if (v.name == m.captured(1))
                replacement = v.value;
        }
        out += replacement;
        last = m.capturedEnd();
    }
    out += value.mid(last);
    return out;
}

struct NeedSpec
{
    QString job;
    bool artifacts = true;
    bool optional = false;
    QString pipeline;
    QString project;
    yaml::Node matrix;
};

QList<NeedSpec> readNeeds(const yaml::Node &needs, const QList<vars::Variable> &matrix)
{
    QList<NeedSpec> out;
    if (!needs.isSequence())
        return out;
    for (const yaml::Node &item : flatItems(needs)) {
        NeedSpec spec;
        if (item.isScalar()) {
            spec.job = substituteMatrix(item.scalar(), matrix);
        } else if (item.isMap()) {
            spec.job = substituteMatrix(text(item.value(u"job")), matrix);
            if (const yaml::Node a = item.value(u"artifacts"); a.isScalar())
                spec.artifacts = a.toBool().value_or(true);
            if (const yaml::Node o = item.value(u"optional"); o.isScalar())
                spec.optional = o.toBool().value_or(false);
            spec.pipeline = text(item.value(u"pipeline"));
            spec.project = text(item.value(u"project"));
            spec.matrix = item.value(u"parallel").value(u"matrix");
        } else {
            continue;
        }
        out << spec;
    }
    return out;
}

/// Caches parsed expressions: the same `if:` text appears in many jobs.
class ExpressionCache
{
public:
    const expr::Expression &get(const QString &text)
    {
        auto it = m_cache.find(text);
        if (it == m_cache.end())
            it = m_cache.insert(text, expr::Expression::parse(text));
        return *it;
    }

private:
    QHash<QString, expr::Expression> m_cache;
};

struct Evaluator
{
    const PipelineContext &context;
    ExpressionCache &expressions;
    QStringList *errors;
    /// Glob results by pattern list: many jobs share the same `exists`/`changes` lists, and a
    /// repository can hold thousands of files.
    QHash<QString, bool> *globCache = nullptr;

    bool cachedMatch(const QStringList &patterns, const QStringList &files, QChar kind) const
    {
        if (!globCache)
            return anyMatch(patterns, files);
        const QString key = kind + patterns.join(u'\n');
        const auto it = globCache->constFind(key);
        if (it != globCache->cend())
            return *it;
        const bool result = anyMatch(patterns, files);
        globCache->insert(key, result);
        return result;
    }

    bool ifClause(const yaml::Node &node, const QHash<QString, QString> &variables) const
    {
        const QString source = text(node);
        if (source.trimmed().isEmpty())
            return true;
        const expr::Expression &e = expressions.get(source);
        if (!e.isValid()) {
            if (errors) {
                errors->append(tr("rules:if invalid expression syntax: %1")
                                   .arg(e.error() ? e.error()->message : source));
            }
            return false;
        }
        return e.evaluate(variables);
    }

    bool changesClause(const yaml::Node &node, const QHash<QString, QString> &variables) const
    {
        yaml::Node paths = node;
        QString compareTo;
        if (node.isMap()) {
            paths = node.value(u"paths");
            compareTo = vars::expand(text(node.value(u"compare_to")), variables);
        }
        // GitLab: always true when the pipeline has no push/merge request diff.
        if (!context.changedFiles)
            return true;
        QStringList patterns;
        for (const QString &p : stringList(paths))
            patterns << vars::expand(p, variables);
        if (!compareTo.isEmpty() && context.changesAgainst) {
            const std::optional<QStringList> files = context.changesAgainst(compareTo);
            if (!files) {
                if (errors)
                    errors->append(tr("rules:changes:compare_to is not a valid ref"));
                return false;
            }
            return anyMatch(patterns, *files);
        }
        return cachedMatch(patterns, *context.changedFiles, u'c');
    }

    bool existsClause(const yaml::Node &node, const QHash<QString, QString> &variables) const
    {
        const yaml::Node paths = node.isMap() ? node.value(u"paths") : node;
        QStringList patterns;
        for (const QString &p : stringList(paths)) {
            const QString expanded = vars::expand(p, variables);
            if (!expanded.isEmpty())
                patterns << expanded;
        }
        return cachedMatch(patterns, context.existingFiles, u'e');
    }

    /// Index of the first matching rule, or -1.
    int firstMatch(const std::vector<yaml::Node> &rules,
                   const QHash<QString, QString> &variables) const
    {
        int index = 0;
        for (const yaml::Node &rule : rules) {
            if (rule.isMap()) {
                bool ok = true;
                if (const yaml::Node n = rule.value(u"if"); n.isDefined())
                    ok = ifClause(n, variables);
                if (ok && rule.contains(u"changes"))
                    ok = changesClause(rule.value(u"changes"), variables);
                if (ok && rule.contains(u"exists"))
                    ok = existsClause(rule.value(u"exists"), variables);
                if (ok)
                    return index;
            }
            ++index;
        }
        return -1;
    }
};

bool isBranchPipeline(const PipelineContext &c)
{
    return !c.tag && c.source != u"merge_request_event" &&
           c.source != u"external_pull_request_event";
}

/// `Gitlab::Ci::Build::Policy::Refs#matches_pattern?`.
bool refMatches(const QString &pattern, const PipelineContext &c)
{
    if (pattern == u"tags" && c.tag)
        return true;
    if (pattern == u"branches" && isBranchPipeline(c))
        return true;
    QString source = c.source;
    if (source == u"merge_request_event")
        source = QStringLiteral("merge_request");
    else if (source == u"external_pull_request_event")
        source = QStringLiteral("external_pull_request");
    if (pattern == source)
        return true;
    const QString plural =
        source.endsWith(u'h') ? QString(source + QStringLiteral("es")) : QString(source + u's');
    if (pattern == plural)
        return true;
    QString p = pattern;
    const qsizetype at = p.lastIndexOf(u'@');
    if (at > 0 && !expr::Regex::isLiteral(p)) {
        if (p.mid(at + 1) != c.effectiveFacts().projectPath)
            return false;
        p = p.left(at);
    }
    if (expr::Regex::isLiteral(p)) {
        const expr::Regex re = expr::Regex::fromLiteral(p);
        return re.isValid() && re.search(c.ref);
    }
    return p == c.ref;
}

struct PolicyResult
{
    bool matched = false;
    QString detail;
};

/// One `only`/`except` policy. All given keys must match ("conjoined").
PolicyResult evaluatePolicy(const yaml::Node &policy, const Evaluator &eval,
                            const QHash<QString, QString> &variables)
{
    PolicyResult result{true, {}};
    QStringList refs;
    yaml::Node variablesNode;
    yaml::Node changes;
    yaml::Node kubernetes;
    if (policy.isSequence() || policy.isScalar()) {
        refs = stringList(policy);
    } else if (policy.isMap()) {
        refs = stringList(policy.value(u"refs"));
        variablesNode = policy.value(u"variables");
        changes = policy.value(u"changes");
        kubernetes = policy.value(u"kubernetes");
    }
    QStringList details;
    if (!refs.isEmpty()) {
        QStringList hits;
        for (const QString &r : refs) {
            if (refMatches(r, eval.context))
                hits << r;
        }
        if (hits.isEmpty())
            return {false, QStringLiteral("refs ") + refs.join(QStringLiteral(", "))};
        details << QStringLiteral("refs ") + hits.join(QStringLiteral(", "));
    }
    if (variablesNode.isDefined()) {
        QStringList hits;
        for (const QString &e : stringList(variablesNode)) {
            if (eval.ifClause(yaml::Node::makeScalar(e), variables))
                hits << e;
        }
        if (hits.isEmpty()) {
            return {false, QStringLiteral("variables ") +
                               stringList(variablesNode).join(QStringLiteral(", "))};
        }
        details << QStringLiteral("variables ") + hits.join(QStringLiteral(", "));
    }
    if (changes.isDefined()) {
        if (!eval.changesClause(changes, variables)) {
            return {false, QStringLiteral("changes ") +
                               stringList(changes.isMap() ? changes.value(u"paths") : changes)
                                   .join(QStringLiteral(", "))};
        }
        details << QStringLiteral("changes");
    }
    if (kubernetes.isDefined()) {
        if (variables.value(QStringLiteral("CI_KUBERNETES_ACTIVE")).isEmpty())
            return {false, QStringLiteral("kubernetes active")};
        details << QStringLiteral("kubernetes active");
    }
    result.detail = details.join(QStringLiteral("; "));
    return result;
}

/// `allow_failure: {exit_codes: 3}` or `exit_codes: [1, 3]`.
QList<int> exitCodes(const yaml::Node &allowFailure)
{
    QList<int> out;
    if (!allowFailure.isMap())
        return out;
    const yaml::Node codes = allowFailure.value(u"exit_codes");
    const std::vector<yaml::Node> items =
        codes.isSequence() ? codes.items() : std::vector<yaml::Node>{codes};
    for (const yaml::Node &item : items)
        if (item.isScalar())
            if (const auto code = item.toInt())
                out << int(*code);
    return out;
}

std::optional<bool> boolValue(const yaml::Node &node)
{
    if (!node.isDefined())
        return std::nullopt;
    if (node.isMap())
        return false; // allow_failure: exit_codes: only some failures are allowed
    return node.toBool();
}

struct Pending
{
    PlannedJob job;
    QList<NeedSpec> needs;
    bool needsGiven = false;
    QStringList dependencies;
    int order = 0;
};

void planChild(PlannedJob &job, const yaml::Node &trigger, const QHash<QString, QString> &jobVars,
               const PipelineContext &context, const PlanOptions &options)
{
    if (trigger.isScalar()) {
        job.triggerProject = trigger.scalar();
        return;
    }
    if (!trigger.isMap())
        return;
    job.triggerProject = text(trigger.value(u"project"));
    const yaml::Node include = trigger.value(u"include");
    if (!include.isDefined() || !options.planChildren || options.maxChildDepth <= 0)
        return;
    // Dynamic child pipelines (artifact) are only known when the job has run.
    if (include.isSequence()) {
        for (const yaml::Node &item : include.items()) {
            if (item.isMap() && item.contains(u"artifact"))
                return;
        }
    } else if (include.isMap() && include.contains(u"artifact")) {
        return;
    }
    PlanOptions childOptions = options;
    const QString main = QStringLiteral(".stagecraft-child-%1.yml").arg(vars::slugify(job.name));
    std::vector<yaml::MapEntry> entries;
    entries.push_back({yaml::Node::makeScalar(QStringLiteral("include")), include});
    childOptions.resolve.mainFile = main;
    childOptions.resolve.overlay.insert(main,
                                        yaml::toYaml(yaml::Node::makeMap(std::move(entries))));
    PipelineContext childContext = context;
    childContext.source = QStringLiteral("parent_pipeline");
    const yaml::Node forward = trigger.value(u"forward").value(u"yaml_variables");
    if (!(forward.isDefined() && forward.toBool() == false)) {
        for (const vars::Variable &v : job.variables)
            childContext.variables.insert(v.name, jobVars.value(v.name, v.value));
    }
    childOptions.maxChildDepth = options.maxChildDepth - 1;
    childOptions.resolve.variables.clear(); // the child's own pipeline variables
    job.child = std::make_shared<Plan>(Planner::planProject(childContext, childOptions));
}

} // namespace

QString whenName(When when)
{
    switch (when) {
    case When::OnSuccess:
        return QStringLiteral("on_success");
    case When::OnFailure:
        return QStringLiteral("on_failure");
    case When::Always:
        return QStringLiteral("always");
    case When::Manual:
        return QStringLiteral("manual");
    case When::Delayed:
        return QStringLiteral("delayed");
    case When::Never:
        return QStringLiteral("never");
    }
    return {};
}

std::optional<When> whenFromName(QStringView name)
{
    for (When w : {When::OnSuccess, When::OnFailure, When::Always, When::Manual, When::Delayed,
                   When::Never}) {
        if (whenName(w) == name)
            return w;
    }
    return std::nullopt;
}

QString parallelName(const QString &base, int index, int total)
{
    return QStringLiteral("%1 %2/%3").arg(base).arg(index).arg(total);
}

QString matrixName(const QString &base, const QStringList &values)
{
    return base + QStringLiteral(": [") + values.join(QStringLiteral(", ")) + u']';
}

vars::PipelineFacts PipelineContext::effectiveFacts() const
{
    vars::PipelineFacts f = facts;
    f.source = source == u"tag" ? QStringLiteral("push") : source;
    f.ref = ref;
    f.tag = tag || source == u"tag";
    f.defaultBranch = defaultBranch;
    f.mergeRequestTargetBranch = mergeRequestTargetBranch;
    return f;
}

const PlannedJob *Plan::job(QStringView jobName) const
{
    const int i = jobIndex(jobName);
    return i < 0 ? nullptr : &jobs.at(i);
}

int Plan::jobIndex(QStringView jobName) const
{
    for (int i = 0; i < jobs.size(); ++i) {
        if (jobs.at(i).name == jobName)
            return i;
    }
    return -1;
}

Plan Planner::planProject(const PipelineContext &context, const PlanOptions &options)
{
    PlanOptions o = options;
    if (o.resolve.variables.isEmpty()) {
        // include:rules and variables in include paths see the pipeline-level variables.
        o.resolve.variables = vars::predefinedVariables(context.effectiveFacts());
        for (auto it = context.variables.cbegin(); it != context.variables.cend(); ++it)
            o.resolve.variables.insert(it.key(), it.value());
    }
    return plan(ci::Resolver::resolve(o.resolve), context, o);
}

Plan Planner::plan(const ci::ResolvedConfig &config, const PipelineContext &contextIn,
                   const PlanOptions &options)
{
    Plan plan;
    PipelineContext context = contextIn;
    if (context.source == u"tag") {
        context.source = QStringLiteral("push");
        context.tag = true;
    }
    plan.allStages = config.stages.isEmpty()
                         ? QStringList{QStringLiteral(".pre")} + ci::defaultStages() +
                               QStringList{QStringLiteral(".post")}
                         : config.stages;
    ExpressionCache expressions;
    QHash<QString, bool> globCache;
    Evaluator eval{context, expressions, &plan.errors, &globCache};

    // Pipeline-level variables: predefined, then user variables above everything.
    QHash<QString, QString> pipelineVars = vars::predefinedVariables(context.effectiveFacts());
    for (auto it = context.variables.cbegin(); it != context.variables.cend(); ++it)
        pipelineVars.insert(it.key(), it.value());
    plan.pipelineVariables = pipelineVars;
    auto withUser = [&](QHash<QString, QString> values) {
        for (auto it = context.variables.cbegin(); it != context.variables.cend(); ++it)
            values.insert(it.key(), it.value());
        return values;
    };

    plan.incomplete = config.incomplete;
    // With includes that could not be read offline, a missing stage or job may be defined there:
    // such findings are warnings, not reasons to refuse the pipeline.
    auto unresolved = [&]() -> QStringList & {
        return config.incomplete ? plan.warnings : plan.errors;
    };
    QList<vars::Variable> globals = readVariables(config.root.value(u"variables"));
    // Most jobs see the same variable list (the global one): expand each distinct list once.
    QHash<QString, QHash<QString, QString>> valuesCache;
    auto valuesFor = [&](const QList<vars::Variable> &list) -> QHash<QString, QString> {
        QString key;
        for (const vars::Variable &v : list)
            key += v.name + u'\x1f' + v.value + (v.raw ? u'\x1e' : u'\x1d');
        const auto it = valuesCache.constFind(key);
        if (it != valuesCache.cend())
            return *it;
        return *valuesCache.insert(key, withUser(vars::expandAll(list, pipelineVars)));
    };

    // workflow:rules
    const yaml::Node workflow = config.root.value(u"workflow");
    const yaml::Node workflowRules = workflow.value(u"rules");
    plan.created = true;
    if (const QString mode = text(workflow.value(u"auto_cancel").value(u"on_new_commit"));
        !mode.isEmpty())
        plan.autoCancelOnNewCommit = mode;
    if (const QString mode = text(workflow.value(u"auto_cancel").value(u"on_job_failure"));
        !mode.isEmpty())
        plan.autoCancelOnJobFailure = mode;
    if (workflowRules.isSequence()) {
        const QHash<QString, QString> values = withUser(vars::expandAll(globals, pipelineVars));
        const std::vector<yaml::Node> ruleList = flatItems(workflowRules);
        const int match = eval.firstMatch(ruleList, values);
        if (match < 0) {
            plan.created = false;
            plan.reason = tr("workflow: no rule matched");
        } else {
            const yaml::Node rule = ruleList.at(size_t(match));
            if (text(rule.value(u"when")) == u"never") {
                plan.created = false;
                plan.reason = tr("workflow: rule %1 sets when: never").arg(match + 1);
            } else {
                plan.reason = tr("workflow: rule %1 matched").arg(match + 1);
                plan.workflowVariables = readVariables(rule.value(u"variables"));
                overrideVariables(globals, plan.workflowVariables);
                if (const QString mode = text(rule.value(u"auto_cancel").value(u"on_new_commit"));
                    !mode.isEmpty())
                    plan.autoCancelOnNewCommit = mode;
                if (const QString mode = text(rule.value(u"auto_cancel").value(u"on_job_failure"));
                    !mode.isEmpty())
                    plan.autoCancelOnJobFailure = mode;
            }
        }
    }
    if (const yaml::Node name = workflow.value(u"name"); name.isScalar())
        plan.name = vars::expand(name.scalar(), withUser(vars::expandAll(globals, pipelineVars)));

    // Jobs, expanded into parallel instances, in definition order.
    QList<Pending> pending;
    QHash<QString, QStringList> instancesOf; // base name -> instance names (all, even excluded)
    QSet<QString> allNames;
    int order = 0;
    for (const ci::Job &job : config.jobs) {
        if (job.hidden || !job.node.isMap())
            continue;
        const QString stage =
            job.node.contains(u"stage") ? text(job.node.value(u"stage")) : QStringLiteral("test");
        const QList<Instance> instances = expandParallel(job.name, job.node);
        for (const Instance &inst : instances) {
            instancesOf[job.name] << inst.name;
            allNames.insert(inst.name);
        }
        if (!plan.created) {
            for (const Instance &inst : instances)
                plan.excluded << ExcludedJob{inst.name, stage, tr("workflow: pipeline not created"),
                                             job};
            continue;
        }
        const QList<vars::Variable> inherited = filterInherited(globals, job.node);
        const QList<vars::Variable> jobVariables = readVariables(job.node.value(u"variables"));
        for (const Instance &inst : instances) {
            QList<vars::Variable> yamlVars = inherited;
            overrideVariables(yamlVars, jobVariables);
            overrideVariables(yamlVars, inst.matrix);
            QHash<QString, QString> values = valuesFor(yamlVars);

            PlannedJob planned;
            planned.name = inst.name;
            planned.baseName = job.name;
            planned.stage = stage;
            planned.source = job;
            if (options.effectiveJobs)
                planned.effective = ci::effectiveJob(config, job);
            planned.matrix = inst.matrix;
            planned.nodeIndex = inst.index;
            planned.nodeTotal = inst.total;

            const yaml::Node jobWhen = job.node.value(u"when");
            const When defaultWhen = whenFromName(text(jobWhen)).value_or(When::OnSuccess);
            When when = defaultWhen;
            QString startIn = text(job.node.value(u"start_in"));
            std::optional<bool> allowFailure = boolValue(job.node.value(u"allow_failure"));
            planned.allowFailureExitCodes = exitCodes(job.node.value(u"allow_failure"));
            bool manualFromRule = false;
            yaml::Node needsNode = job.node.value(u"needs");
            QList<vars::Variable> ruleVariables;

            const yaml::Node rules = job.node.value(u"rules");
            if (rules.isDefined()) {
                const std::vector<yaml::Node> ruleList = flatItems(rules);
                const int match = eval.firstMatch(ruleList, values);
                if (match < 0) {
                    plan.excluded << ExcludedJob{inst.name, stage, tr("rules: no rule matched"),
                                                 job};
                    continue;
                }
                const yaml::Node rule = ruleList.at(size_t(match));
                if (const yaml::Node w = rule.value(u"when"); w.isScalar()) {
                    when = whenFromName(w.scalar()).value_or(When::OnSuccess);
                    manualFromRule = when == When::Manual;
                }
                if (when == When::Never) {
                    plan.excluded << ExcludedJob{
                        inst.name, stage, tr("rules: rule %1 sets when: never").arg(match + 1),
                        job};
                    continue;
                }
                if (const yaml::Node s = rule.value(u"start_in"); s.isScalar())
                    startIn = s.scalar();
                planned.matchedRule = match;
                planned.rule = rule;
                if (const auto af = boolValue(rule.value(u"allow_failure"))) {
                    allowFailure = af;
                    planned.allowFailureFromRule = true;
                    planned.allowFailureExitCodes = exitCodes(rule.value(u"allow_failure"));
                }
                if (rule.contains(u"needs"))
                    needsNode = rule.value(u"needs");
                ruleVariables = readVariables(rule.value(u"variables"));
                planned.reason = tr("rules: rule %1 matched").arg(match + 1);
            } else {
                const yaml::Node only = job.node.value(u"only");
                const yaml::Node except = job.node.value(u"except");
                if (only.isDefined()) {
                    const PolicyResult r = evaluatePolicy(only, eval, values);
                    if (!r.matched) {
                        plan.excluded << ExcludedJob{inst.name, stage,
                                                     tr("only: %1 not matched").arg(r.detail), job};
                        continue;
                    }
                    planned.reason = tr("only: %1").arg(r.detail);
                } else if (workflowRules.isDefined()) {
                    // With workflow:rules GitLab drops the only/except defaults
                    // (Entry::Processable#compose!): the job is in every created pipeline.
                    planned.reason = tr("no rules, only or except");
                } else {
                    // GitLab's default policy when `only` is absent: refs branches and tags.
                    if (!isBranchPipeline(context) && !context.tag) {
                        plan.excluded << ExcludedJob{
                            inst.name, stage,
                            tr("only: refs branches, tags (the default) not matched"), job};
                        continue;
                    }
                    planned.reason = tr("only: refs branches, tags (the default)");
                }
                if (except.isDefined()) {
                    const PolicyResult r = evaluatePolicy(except, eval, values);
                    if (r.matched) {
                        plan.excluded
                            << ExcludedJob{inst.name, stage, tr("except: %1").arg(r.detail), job};
                        continue;
                    }
                }
                if (when == When::Never) {
                    plan.excluded << ExcludedJob{inst.name, stage, tr("when: never"), job};
                    continue;
                }
            }
            planned.when = when;
            planned.startIn = when == When::Delayed ? startIn : QString();
            planned.allowFailure = allowFailure.value_or(when == When::Manual && !manualFromRule);
            overrideVariables(yamlVars, ruleVariables);
            if (!ruleVariables.isEmpty())
                values = valuesFor(yamlVars);
            for (vars::Variable v : yamlVars) {
                v.value = values.value(v.name);
                planned.variables << v;
            }
            planned.stageIndex = int(plan.allStages.indexOf(stage));
            if (planned.stageIndex < 0) {
                unresolved()
                    << tr("%1 job: chosen stage %2 does not exist; available stages are %3")
                           .arg(inst.name, stage, plan.allStages.join(QStringLiteral(", ")));
                planned.stageIndex = int(plan.allStages.size());
            }
            Pending p;
            p.needsGiven = needsNode.isDefined() && !needsNode.isNull();
            p.needs = readNeeds(needsNode, inst.matrix);
            if (const yaml::Node deps = job.node.value(u"dependencies"); deps.isDefined()) {
                planned.hasDependencies = true;
                p.dependencies = stringList(deps);
            }
            if (const yaml::Node trigger = job.node.value(u"trigger"); trigger.isDefined()) {
                planned.trigger = true;
                planChild(planned, trigger, values, context, options);
            }
            p.job = std::move(planned);
            p.order = order++;
            pending << std::move(p);
        }
    }

    // Stage order, then definition order.
    std::stable_sort(pending.begin(), pending.end(), [](const Pending &a, const Pending &b) {
        return a.job.stageIndex < b.job.stageIndex;
    });
    QHash<QString, int> planned; // name -> stage index
    for (const Pending &p : pending)
        planned.insert(p.job.name, p.job.stageIndex);

    auto targetsOf = [&](const NeedSpec &spec, const QList<vars::Variable> &consumerMatrix) {
        QStringList names;
        if (spec.matrix.isSequence()) {
            for (const yaml::Node &entry : spec.matrix.items()) {
                if (!entry.isMap())
                    continue;
                for (const auto &row : matrixProduct(entry)) {
                    QStringList values;
                    for (const vars::Variable &v : row)
                        values << substituteMatrix(v.value, consumerMatrix);
                    names << matrixName(spec.job, values);
                }
            }
            return names;
        }
        const auto it = instancesOf.constFind(spec.job);
        if (it != instancesOf.cend() && !(it->size() == 1 && it->first() == spec.job))
            return *it;
        return QStringList{spec.job};
    };

    for (Pending &p : pending) {
        PlannedJob &job = p.job;
        job.hasNeeds = p.needsGiven;
        for (const NeedSpec &spec : p.needs) {
            if (!spec.pipeline.isEmpty() || !spec.project.isEmpty()) {
                job.needs << Need{spec.job, spec.artifacts, spec.optional, spec.pipeline,
                                  spec.project};
                continue;
            }
            for (const QString &target : targetsOf(spec, job.matrix)) {
                const auto it = planned.constFind(target);
                if (it == planned.cend()) {
                    if (spec.optional)
                        continue;
                    if (allNames.contains(target)) {
                        plan.errors << tr("'%1' job needs '%2' job, but '%2' does not exist in "
                                          "the pipeline. This might be because of the only, "
                                          "except, or rules keywords. To need a job that "
                                          "sometimes does not exist in the pipeline, use "
                                          "needs:optional.")
                                           .arg(job.name, target);
                    } else {
                        unresolved() << tr("%1 job: undefined need: %2").arg(job.name, target);
                    }
                    continue;
                }
                if (*it > job.stageIndex) {
                    unresolved() << tr("%1 job: need %2 is not defined in current or prior stages")
                                        .arg(job.name, target);
                    continue;
                }
                job.needs << Need{target, spec.artifacts, spec.optional, {}, {}};
            }
        }
        for (const QString &dep : p.dependencies) {
            const auto it = instancesOf.constFind(dep);
            const QStringList targets = it != instancesOf.cend() ? *it : QStringList{dep};
            for (const QString &t : targets) {
                const auto at = planned.constFind(t);
                if (at != planned.cend() && *at > job.stageIndex) {
                    unresolved() << tr("%1 job: dependency %2 is not defined in current or prior "
                                       "stages")
                                        .arg(job.name, t);
                } else if (at != planned.cend()) {
                    job.dependencies << t;
                } else if (!allNames.contains(t))
                    unresolved() << tr("%1 job: undefined dependency: %2").arg(job.name, t);
            }
        }
        plan.jobs << std::move(job);
    }

    for (const PlannedJob &job : std::as_const(plan.jobs)) {
        if (plan.stages.isEmpty() || plan.stages.last() != job.stage) {
            if (!plan.stages.contains(job.stage))
                plan.stages << job.stage;
        }
    }
    plan.errors.removeDuplicates();
    plan.warnings.removeDuplicates();
    if (plan.created && !plan.errors.isEmpty()) {
        plan.created = false;
        plan.reason = plan.errors.first();
    } else if (plan.created && plan.jobs.isEmpty() && !plan.excluded.isEmpty()) {
        plan.created = false;
        plan.reason = tr("Pipeline will not run for the selected trigger. The rules configuration "
                         "prevented any jobs from being added to the pipeline.");
    } else if (plan.created &&
               std::all_of(plan.jobs.cbegin(), plan.jobs.cend(), [](const PlannedJob &j) {
                   return j.stage == u".pre" || j.stage == u".post";
               })) {
        // No jobs at all, or only .pre/.post ones: GitLab does not create such pipelines.
        plan.created = false;
        plan.reason = tr("No stages / jobs for this pipeline.");
    } else if (plan.created && plan.reason.isEmpty()) {
        plan.reason = tr("no workflow:rules");
    }
    return plan;
}

} // namespace stagecraft::pipeline
