// `extends:` after GitLab's Ci::Config::Extendable: every parent is extended first, parents are
// deep-merged in order (later ones win) and the job's own map is merged last. The `extends` key
// stays in the result, as in GitLab's merged YAML.

#include "resolver_p.h"

#include <QSet>

namespace stagecraft::ci::detail {

using diag::Severity;
using yaml::Node;

namespace {

constexpr int maxLevels = 11; // the job plus 10 ancestors (GitLab's MAX_NESTING_LEVELS)

class Extender
{
public:
    Extender(const Node &root, bool incomplete, diag::Diagnostics &out)
        : m_root(root)
        , m_incomplete(incomplete)
        , m_out(out)
    {
        const auto &entries = root.entries();
        m_states.resize(entries.size());
        m_index.reserve(qsizetype(entries.size()));
        for (size_t i = 0; i < entries.size(); ++i)
            m_index.insert(entries[i].key.scalar(), int(i));
    }

    Node run()
    {
        const auto &entries = m_root.entries();
        bool any = false;
        for (size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].value.contains(u"extends")) {
                any = true;
                QList<int> stack;
                visit(int(i), stack);
            }
        }
        if (!any)
            return m_root;
        std::vector<yaml::MapEntry> result;
        result.reserve(entries.size());
        for (size_t i = 0; i < entries.size(); ++i) {
            const State &s = m_states[i];
            result.push_back({entries[i].key, s.status == 2 ? s.result : entries[i].value});
        }
        return Node::makeMap(std::move(result), m_root.location(), m_root.tag(), m_root.style());
    }

private:
    struct State
    {
        int status = 0; // 0 new, 1 being extended, 2 done
        Node result;
        int depth = 1;
        bool reported = false;
    };

    QString nameOf(int i) const { return m_root.entries()[size_t(i)].key.scalar(); }
    Node extendsOf(int i) const { return m_root.entries()[size_t(i)].value.value(u"extends"); }

    void problem(int i, Severity severity, const QString &code, const QString &message,
                 const QString &hint = {})
    {
        State &s = m_states[size_t(i)];
        if (s.reported)
            return;
        s.reported = true;
        report(m_out, severity, code, message, extendsOf(i).location(), hint);
    }

    const Node &visit(int i, QList<int> &stack)
    {
        State &state = m_states[size_t(i)];
        const Node &value = m_root.entries()[size_t(i)].value;
        if (state.status == 2)
            return state.result;
        if (state.status == 1) {
            // A cycle: every job on it has the problem.
            const qsizetype from = stack.indexOf(i);
            QStringList path;
            for (qsizetype k = from; k < stack.size(); ++k)
                path << nameOf(stack.at(k));
            path << nameOf(i);
            for (qsizetype k = from; k < stack.size(); ++k) {
                const int j = stack.at(k);
                problem(j, Severity::Error, QStringLiteral("extends-cycle"),
                        tr("%1: circular dependency detected in `extends`").arg(nameOf(j)),
                        path.join(QStringLiteral(" → ")));
            }
            return value;
        }
        state.status = 1;
        stack.append(i);
        Node result = value;
        int depth = 1;
        const Node extends = value.value(u"extends");
        if (value.isMap() && extends.isDefined()) {
            QList<Node> names;
            bool valid = true;
            if (extends.isScalar()) {
                names << extends;
            } else if (extends.isSequence()) {
                for (const Node &item : extends.items()) {
                    if (!item.isScalar())
                        valid = false;
                    names << item;
                }
            } else {
                valid = false;
            }
            if (!valid) {
                problem(i, Severity::Error, QStringLiteral("extends-invalid"),
                        tr("%1: invalid extends").arg(nameOf(i)),
                        tr("`extends` takes a job name or a list of job names"));
                names.clear();
            }
            QStringList unknown;
            Node base;
            for (const Node &nameNode : names) {
                const QString name = nameNode.scalar();
                const auto it = m_index.constFind(name);
                if (it == m_index.constEnd()) {
                    unknown << name;
                    continue;
                }
                const int j = *it;
                if (!m_root.entries()[size_t(j)].value.isMap()) {
                    problem(i, Severity::Error, QStringLiteral("extends-invalid"),
                            tr("%1: invalid base hash in `extends` (%2)").arg(nameOf(i), name));
                    continue;
                }
                const Node parent = visit(j, stack);
                // `visit` may grow m_states? No: its size is fixed; the reference stays valid.
                depth = std::max(depth, m_states[size_t(j)].depth + 1);
                base = base.isDefined() ? deepMerge(base, parent) : parent;
            }
            if (!unknown.isEmpty()) {
                problem(i, m_incomplete ? Severity::Info : Severity::Error,
                        QStringLiteral("extends-unknown"),
                        tr("%1: unknown keys in `extends` (%2)")
                            .arg(nameOf(i), unknown.join(QStringLiteral(", "))),
                        m_incomplete ? tr("it may come from an include that could not be read")
                                     : QString());
            }
            if (depth > maxLevels) {
                QStringList chain;
                for (int k : stack)
                    chain << nameOf(k);
                problem(i, Severity::Error, QStringLiteral("extends-depth"),
                        tr("%1: nesting too deep in `extends`").arg(nameOf(i)),
                        tr("%1 levels; at most %2 are allowed").arg(depth).arg(maxLevels));
            }
            if (base.isDefined())
                result = deepMerge(base, value);
        }
        stack.removeLast();
        state.status = 2;
        state.result = result;
        state.depth = depth;
        return state.result;
    }

    Node m_root;
    bool m_incomplete;
    diag::Diagnostics &m_out;
    QHash<QString, int> m_index;
    std::vector<State> m_states;
};

} // namespace

Node resolveExtends(const Node &root, bool incomplete, diag::Diagnostics &out)
{
    if (!root.isMap())
        return root;
    return Extender(root, incomplete, out).run();
}

} // namespace stagecraft::ci::detail
