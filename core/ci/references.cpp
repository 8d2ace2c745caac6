// `!reference [job, key, ...]` after GitLab's Ci::Config::Yaml::Tags::Resolver: resolved on the
// configuration whose `extends` are already merged; a reference may point at values that hold
// references themselves (nested), up to 10 levels; cycles are reported.

#include "resolver_p.h"

#include <QSet>

namespace stagecraft::ci::detail {

using diag::Severity;
using yaml::Node;

namespace {

constexpr int maxReferenceLevels = 10;
const QString referenceTag = QStringLiteral("!reference");

class ReferenceResolver
{
public:
    ReferenceResolver(const Node &root, bool incomplete, diag::Diagnostics &out)
        : m_root(root)
        , m_incomplete(incomplete)
        , m_out(out)
    {
        m_index.reserve(root.size());
        for (const yaml::MapEntry &e : root.entries())
            m_index.insert(e.key.scalar(), e.value);
    }

    Node run()
    {
        std::vector<yaml::MapEntry> entries = m_root.entries();
        bool changed = false;
        for (yaml::MapEntry &e : entries) {
            Resolved r = resolve(e.value);
            if (r.changed) {
                e.value = r.node;
                changed = true;
            }
        }
        if (!changed)
            return m_root;
        return Node::makeMap(std::move(entries), m_root.location(), m_root.tag(), m_root.style());
    }

private:
    struct Resolved
    {
        Node node;
        bool changed = false;
        int levels = 0; ///< longest chain of references below (and including) this node
    };

    static bool isReference(const Node &node) { return node.tag() == referenceTag; }

    Resolved resolve(const Node &node)
    {
        if (isReference(node))
            return reference(node);
        Resolved r{node, false, 0};
        // Copy-on-write: most sub-trees hold no reference and are returned as they are.
        if (node.isSequence()) {
            const std::vector<Node> &original = node.items();
            std::vector<Node> items;
            for (size_t i = 0; i < original.size(); ++i) {
                const Resolved sub = resolve(original[i]);
                r.levels = std::max(r.levels, sub.levels);
                if (sub.changed && !r.changed) {
                    items.assign(original.begin(), original.begin() + qsizetype(i));
                    r.changed = true;
                }
                if (r.changed)
                    items.push_back(sub.changed ? sub.node : original[i]);
            }
            if (r.changed)
                r.node =
                    Node::makeSequence(std::move(items), node.location(), node.tag(), node.style());
        } else if (node.isMap()) {
            const std::vector<yaml::MapEntry> &original = node.entries();
            std::vector<yaml::MapEntry> entries;
            for (size_t i = 0; i < original.size(); ++i) {
                const Resolved sub = resolve(original[i].value);
                r.levels = std::max(r.levels, sub.levels);
                if (sub.changed && !r.changed) {
                    entries.assign(original.begin(), original.begin() + qsizetype(i));
                    r.changed = true;
                }
                if (r.changed)
                    entries.push_back(
                        {original[i].key, sub.changed ? sub.node : original[i].value});
            }
            if (r.changed)
                r.node =
                    Node::makeMap(std::move(entries), node.location(), node.tag(), node.style());
        }
        return r;
    }

    void error(const Node &at, const QString &code, const QString &message,
               const QString &hint = {}, Severity severity = Severity::Error)
    {
        const QString key = QStringLiteral("%1:%2:%3:%4")
                                .arg(at.location().file)
                                .arg(at.location().line)
                                .arg(at.location().column)
                                .arg(code);
        if (m_reported.contains(key))
            return;
        m_reported.insert(key);
        report(m_out, severity, code, message, at.location(), hint);
    }

    Resolved reference(const Node &node)
    {
        QStringList path;
        bool valid = node.isSequence() && node.size() > 0;
        for (const Node &item : node.items()) {
            if (!item.isScalar())
                valid = false;
            path << item.scalar();
        }
        const QString shown = QStringLiteral("!reference ") + inspectList(path);
        if (!valid) {
            error(node, QStringLiteral("reference-invalid"),
                  tr("%1 should be an array of strings").arg(shown));
            return {node, false, 0};
        }
        const QString key = path.join(u'\x1f');
        if (const auto it = m_memo.constFind(key); it != m_memo.constEnd()) {
            if (!it->node.isDefined())
                return {node, false, 0};
            return {it->node, true, it->levels};
        }
        if (m_active.contains(key)) {
            error(node, QStringLiteral("reference-cycle"),
                  tr("%1 is part of a circular chain").arg(shown),
                  m_chain.join(QStringLiteral(" → ")) + QStringLiteral(" → ") + path.join(u'.'));
            return {node, false, 0};
        }
        // Walk the path; intermediate values may be references themselves.
        m_active.insert(key);
        m_chain << path.join(u'.');
        Node current = m_index.value(path.first());
        int levels = 0;
        for (qsizetype i = 1; i < path.size() && current.isDefined(); ++i) {
            if (isReference(current)) {
                const Resolved inner = reference(current);
                levels = std::max(levels, inner.levels);
                current = inner.changed ? inner.node : Node();
            }
            if (current.isMap()) {
                current = current.value(path.at(i));
            } else if (current.isSequence()) {
                // Ruby's dig takes an integer index into an array (`[.services, 0]`).
                bool isIndex = false;
                const int index = path.at(i).toInt(&isIndex);
                current = isIndex && index >= 0 && index < current.size()
                              ? current.items()[size_t(index)]
                              : Node();
            } else {
                current = Node();
            }
        }
        Resolved result;
        if (!current.isDefined()) {
            // With an include that could not be read, the target may well be in it.
            error(
                node, QStringLiteral("reference-not-found"), tr("%1 could not be found").arg(shown),
                m_incomplete ? tr("it may come from an include that could not be read") : QString(),
                m_incomplete ? Severity::Info : Severity::Error);
            result = {node, false, 0};
        } else {
            const Resolved inner = resolve(current);
            levels = std::max(levels, inner.levels) + 1;
            if (levels > maxReferenceLevels && inner.levels <= maxReferenceLevels) {
                error(node, QStringLiteral("reference-depth"),
                      tr("%1 is nested too deeply: references may be nested %2 levels")
                          .arg(shown)
                          .arg(maxReferenceLevels),
                      m_chain.join(QStringLiteral(" → ")));
            }
            result = {inner.node, true, levels};
        }
        m_chain.removeLast();
        m_active.remove(key);
        m_memo.insert(key, {result.changed ? result.node : Node(), result.changed, result.levels});
        return result;
    }

    Node m_root;
    bool m_incomplete;
    diag::Diagnostics &m_out;
    QHash<QString, Node> m_index;
    QHash<QString, Resolved> m_memo;
    QSet<QString> m_active;
    QStringList m_chain;
    QSet<QString> m_reported;
};

int arrayDepth(const Node &node, int limit)
{
    if (!node.isSequence())
        return 0;
    int depth = 1;
    for (const Node &item : node.items()) {
        if (item.isSequence()) {
            depth = std::max(depth, 1 + arrayDepth(item, limit));
            if (depth > limit)
                return depth;
        }
    }
    return depth;
}

void flattenInto(const Node &node, std::vector<Node> &out)
{
    for (const Node &item : node.items()) {
        if (item.isSequence() && item.tag().isEmpty())
            flattenInto(item, out);
        else
            out.push_back(item);
    }
}

/// script-like value: nested arrays flattened when at most 10 levels deep.
Node flattenScript(const Node &value)
{
    if (!value.isSequence())
        return value;
    const int depth = arrayDepth(value, 10);
    if (depth <= 1 || depth > 10)
        return value;
    std::vector<Node> items;
    flattenInto(value, items);
    return Node::makeSequence(std::move(items), value.location(), value.tag(), value.style());
}

/// rules: a nested array (from a !reference) is spliced one level, as GitLab's rules entry does.
Node flattenRules(const Node &value)
{
    if (!value.isSequence())
        return value;
    bool nested = false;
    for (const Node &item : value.items())
        nested = nested || item.isSequence();
    if (!nested)
        return value;
    std::vector<Node> items;
    for (const Node &item : value.items()) {
        if (item.isSequence()) {
            for (const Node &inner : item.items())
                items.push_back(inner);
        } else {
            items.push_back(item);
        }
    }
    return Node::makeSequence(std::move(items), value.location(), value.tag(), value.style());
}

Node normaliseMap(const Node &map, const QStringList &scriptKeys, bool rules)
{
    if (!map.isMap())
        return map;
    const std::vector<yaml::MapEntry> &original = map.entries();
    std::vector<yaml::MapEntry> entries;
    bool changed = false;
    for (size_t i = 0; i < original.size(); ++i) {
        const yaml::MapEntry &e = original[i];
        Node replaced = e.value;
        if (e.value.isSequence()) {
            if (scriptKeys.contains(e.key.scalar()))
                replaced = flattenScript(e.value);
            else if (rules && e.key.scalar() == u"rules")
                replaced = flattenRules(e.value);
        } else if (e.value.isMap() && e.key.scalar() == u"hooks") {
            // hooks:pre_get_sources_script is a script like the others.
            static const QStringList hookScripts = {QStringLiteral("pre_get_sources_script")};
            replaced = normaliseMap(e.value, hookScripts, false);
        }
        const bool differs = replaced.items().data() != e.value.items().data() ||
                             replaced.entries().data() != e.value.entries().data();
        if (differs && !changed) {
            entries.assign(original.begin(), original.begin() + qsizetype(i));
            changed = true;
        }
        if (changed)
            entries.push_back({e.key, replaced});
    }
    if (!changed)
        return map;
    return Node::makeMap(std::move(entries), map.location(), map.tag(), map.style());
}

} // namespace

Node resolveReferences(const Node &root, bool incomplete, diag::Diagnostics &out)
{
    if (!root.isMap())
        return root;
    return ReferenceResolver(root, incomplete, out).run();
}

Node flattenScripts(const Node &root)
{
    if (!root.isMap())
        return root;
    static const QStringList jobScripts = {
        QStringLiteral("script"), QStringLiteral("before_script"), QStringLiteral("after_script")};
    static const QStringList globalScripts = {QStringLiteral("before_script"),
                                              QStringLiteral("after_script")};
    const std::vector<yaml::MapEntry> &original = root.entries();
    std::vector<yaml::MapEntry> entries;
    bool changed = false;
    for (size_t i = 0; i < original.size(); ++i) {
        const yaml::MapEntry &e = original[i];
        const QString &name = e.key.scalar();
        Node value = e.value;
        if (name == u"before_script" || name == u"after_script")
            value = flattenScript(e.value);
        else if (name == u"default")
            value = normaliseMap(e.value, globalScripts, false);
        else if (name == u"workflow")
            value = normaliseMap(e.value, {}, true);
        else if (!isGlobalKeyword(name))
            value = normaliseMap(e.value, jobScripts, true);
        const bool differs = value.items().data() != e.value.items().data() ||
                             value.entries().data() != e.value.entries().data();
        if (differs && !changed) {
            entries.assign(original.begin(), original.begin() + qsizetype(i));
            changed = true;
        }
        if (changed)
            entries.push_back({e.key, value});
    }
    if (!changed)
        return root;
    return Node::makeMap(std::move(entries), root.location(), root.tag(), root.style());
}

} // namespace stagecraft::ci::detail
