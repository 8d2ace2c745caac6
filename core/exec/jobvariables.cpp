#include "exec/jobvariables.h"

#include <algorithm>

namespace stagecraft::exec {

namespace {

class Builder
{
public:
    void set(const JobVariable &v)
    {
        const auto it = m_index.constFind(v.name);
        if (it != m_index.cend()) {
            m_list[*it] = v;
            return;
        }
        m_index.insert(v.name, m_list.size());
        m_list << v;
    }
    void set(const QString &name, const QString &value) { set(JobVariable{name, value}); }
    QList<JobVariable> take() { return std::move(m_list); }

private:
    QList<JobVariable> m_list;
    QHash<QString, qsizetype> m_index;
};

} // namespace

QList<JobVariable> mergeJobVariables(const JobVariableLayers &layers)
{
    Builder b;
    // Predefined pipeline variables in a stable order (the hash has none); user values of the
    // same hash come back at the top layer anyway.
    QStringList names = layers.pipeline.keys();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        if (!layers.user.contains(name))
            b.set(name, layers.pipeline.value(name));
    }
    for (const auto &[name, value] : layers.job)
        b.set(name, value);
    for (const vars::Variable &v : layers.yaml)
        b.set(v.name, v.value);
    for (const auto &[name, value] : layers.dotenv)
        b.set(name, value);
    for (const JobVariable &v : layers.files)
        b.set(v);
    QStringList userNames = layers.user.keys();
    std::sort(userNames.begin(), userNames.end());
    for (const QString &name : std::as_const(userNames))
        b.set(name, layers.user.value(name));
    return b.take();
}

QStringList maskedValues(const QList<JobVariable> &variables)
{
    QStringList out;
    for (const JobVariable &v : variables) {
        if (v.masked && v.value.size() >= 8)
            out << v.value;
    }
    return out;
}

} // namespace stagecraft::exec
