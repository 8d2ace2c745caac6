#include "effective.h"

#include <QSet>

namespace stagecraft::ci {

using yaml::Node;

const QStringList &defaultableKeys()
{
    static const QStringList keys = {
        QStringLiteral("after_script"),  QStringLiteral("artifacts"),
        QStringLiteral("before_script"), QStringLiteral("cache"),
        QStringLiteral("hooks"),         QStringLiteral("id_tokens"),
        QStringLiteral("image"),         QStringLiteral("interruptible"),
        QStringLiteral("retry"),         QStringLiteral("services"),
        QStringLiteral("tags"),          QStringLiteral("timeout")};
    return keys;
}

namespace {

/// inherit:<what> as a filter: nullopt = everything, empty set = nothing, else the listed names.
std::optional<QSet<QString>> inheritFilter(const Node &job, QStringView what)
{
    const Node value = job.value(u"inherit").value(what);
    if (!value.isDefined() || value.isNull())
        return std::nullopt;
    if (value.isScalar()) {
        if (value.toBool() == false)
            return QSet<QString>();
        return std::nullopt;
    }
    QSet<QString> names;
    for (const Node &item : value.items())
        names.insert(item.scalar());
    return names;
}

void walk(const Node &node, const QString &prefix, QList<QPair<QString, yaml::Location>> &out)
{
    for (const yaml::MapEntry &e : node.entries()) {
        const QString path = prefix.isEmpty() ? e.key.scalar() : prefix + u'.' + e.key.scalar();
        out.append({path, e.key.location()});
        if (e.value.isMap())
            walk(e.value, path, out);
    }
}

} // namespace

Node effectiveJob(const ResolvedConfig &config, const Job &job)
{
    if (!job.node.isMap())
        return job.node;
    const Node &own = job.node;
    std::vector<yaml::MapEntry> entries = own.entries();

    const auto defaults = inheritFilter(own, u"default");
    const Node defaultMap = config.root.value(u"default");
    for (const QString &key : defaultableKeys()) {
        if (own.contains(key) || (defaults && !defaults->contains(key)))
            continue;
        const yaml::MapEntry *entry = defaultMap.isMap() ? defaultMap.find(key) : nullptr;
        static const QStringList legacy = {QStringLiteral("image"), QStringLiteral("services"),
                                           QStringLiteral("cache"), QStringLiteral("before_script"),
                                           QStringLiteral("after_script")};
        if (!entry && legacy.contains(key))
            entry = config.root.find(key);
        if (entry)
            entries.push_back(*entry);
    }

    const auto variables = inheritFilter(own, u"variables");
    const yaml::MapEntry *global = config.root.find(u"variables");
    if (global && global->value.isMap() && !(variables && variables->isEmpty())) {
        const yaml::MapEntry *jobVars = own.find(u"variables");
        const Node jobMap = jobVars && jobVars->value.isMap() ? jobVars->value : Node();
        std::vector<yaml::MapEntry> merged;
        QSet<QString> seen;
        for (const yaml::MapEntry &v : global->value.entries()) {
            if (variables && !variables->contains(v.key.scalar()))
                continue;
            const yaml::MapEntry *mine = jobMap.find(v.key.scalar());
            merged.push_back(mine ? *mine : v);
            seen.insert(v.key.scalar());
        }
        for (const yaml::MapEntry &v : jobMap.entries()) {
            if (!seen.contains(v.key.scalar()))
                merged.push_back(v);
        }
        if (!merged.empty()) {
            const yaml::MapEntry &source = jobVars ? *jobVars : *global;
            const Node map = Node::makeMap(std::move(merged), source.value.location(), QString(),
                                           source.value.style());
            bool replaced = false;
            for (yaml::MapEntry &e : entries) {
                if (e.key.scalar() == u"variables") {
                    e.value = map;
                    replaced = true;
                }
            }
            if (!replaced)
                entries.push_back({global->key, map});
        }
    }
    return Node::makeMap(std::move(entries), own.location(), own.tag(), own.style());
}

QList<QPair<QString, yaml::Location>> provenance(const Job &job)
{
    QList<QPair<QString, yaml::Location>> out;
    walk(job.node, QString(), out);
    return out;
}

QList<QPair<QString, yaml::Location>> provenance(const ResolvedConfig &config, const Job &job)
{
    QList<QPair<QString, yaml::Location>> out;
    walk(effectiveJob(config, job), QString(), out);
    return out;
}

} // namespace stagecraft::ci
