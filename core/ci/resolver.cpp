#include "resolver.h"

#include "resolver_p.h"
#include "yaml/loader.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace stagecraft::ci {

using yaml::Node;

const Job *ResolvedConfig::job(QStringView name) const
{
    if (!jobIndex.isEmpty()) {
        const auto it = jobIndex.constFind(name.toString());
        if (it != jobIndex.constEnd() && *it >= 0 && *it < jobs.size() && jobs.at(*it).name == name)
            return &jobs.at(*it);
        if (jobIndex.size() == jobs.size())
            return nullptr;
    }
    for (const Job &j : jobs) {
        if (j.name == name)
            return &j;
    }
    return nullptr;
}

QStringList defaultStages()
{
    return {QStringLiteral("build"), QStringLiteral("test"), QStringLiteral("deploy")};
}

bool isGlobalKeyword(QStringView key)
{
    static const QStringList keywords = {
        QStringLiteral("image"),         QStringLiteral("services"),
        QStringLiteral("before_script"), QStringLiteral("after_script"),
        QStringLiteral("variables"),     QStringLiteral("cache"),
        QStringLiteral("default"),       QStringLiteral("stages"),
        QStringLiteral("include"),       QStringLiteral("workflow"),
        QStringLiteral("spec"),          QStringLiteral("types"),
        QStringLiteral("$schema")};
    for (const QString &k : keywords) {
        if (k == key)
            return true;
    }
    return false;
}

namespace detail {

void report(diag::Diagnostics &out, diag::Severity severity, const QString &code,
            const QString &message, const yaml::Location &at, const QString &hint)
{
    diag::Diagnostic d =
        diag::make(severity, code, message, at.file, at.line, at.column, at.endLine, at.endColumn);
    d.hint = hint;
    out.append(d);
}

Node deepMerge(const Node &a, const Node &b)
{
    if (!a.isMap() || !b.isMap())
        return b.isDefined() ? b : a;
    // The same shared map on both sides (the including file merged over itself): nothing to do.
    if (a.entries().data() == b.entries().data())
        return b;
    const auto &ae = a.entries();
    const auto &be = b.entries();
    // Small maps (most jobs) are searched linearly; large ones (the root) through a hash.
    const bool hashed = be.size() > 12;
    QHash<QString, qsizetype> bIndex;
    if (hashed) {
        bIndex.reserve(qsizetype(be.size()));
        for (size_t i = 0; i < be.size(); ++i)
            bIndex.insert(be[i].key.scalar(), qsizetype(i));
    }
    auto findInB = [&](const QString &name) -> qsizetype {
        if (hashed)
            return bIndex.value(name, -1);
        for (size_t i = 0; i < be.size(); ++i) {
            if (be[i].key.scalar() == name)
                return qsizetype(i);
        }
        return -1;
    };
    std::vector<yaml::MapEntry> entries;
    entries.reserve(ae.size() + be.size());
    std::vector<bool> used(be.size(), false);
    for (const yaml::MapEntry &entry : ae) {
        const qsizetype j = findInB(entry.key.scalar());
        if (j < 0) {
            entries.push_back(entry);
            continue;
        }
        used[size_t(j)] = true;
        // The key node of the winning side: provenance points at the definition in effect.
        const yaml::MapEntry &other = be[size_t(j)];
        entries.push_back({other.key, deepMerge(entry.value, other.value)});
    }
    for (size_t i = 0; i < be.size(); ++i) {
        if (!used[i])
            entries.push_back(be[i]);
    }
    return Node::makeMap(std::move(entries), a.location(), a.tag(), a.style());
}

Node withoutKey(const Node &map, QStringView key)
{
    if (!map.contains(key))
        return map;
    std::vector<yaml::MapEntry> entries;
    entries.reserve(map.entries().size());
    for (const yaml::MapEntry &entry : map.entries()) {
        if (entry.key.scalar() != key)
            entries.push_back(entry);
    }
    return Node::makeMap(std::move(entries), map.location(), map.tag(), map.style());
}

Node withValue(const Node &map, const Node &key, const Node &value)
{
    std::vector<yaml::MapEntry> entries = map.entries();
    bool replaced = false;
    for (yaml::MapEntry &entry : entries) {
        if (entry.key.scalar() == key.scalar()) {
            entry.value = value;
            replaced = true;
            break;
        }
    }
    if (!replaced)
        entries.push_back({key, value});
    return Node::makeMap(std::move(entries), map.location(), map.tag(), map.style());
}

QString expandVariables(const QString &text, const QHash<QString, QString> &variables)
{
    if (!text.contains(u'$'))
        return text;
    static const QRegularExpression re(
        QStringLiteral("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))"));
    QString result;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString name = m.captured(1).isEmpty() ? m.captured(2) : m.captured(1);
        result += QStringView(text).mid(last, m.capturedStart() - last);
        const auto found = variables.constFind(name);
        result += found != variables.constEnd() ? *found : m.captured();
        last = m.capturedEnd();
    }
    result += QStringView(text).mid(last);
    return result;
}

QString globToRegex(const QString &glob)
{
    QString re = QStringLiteral("^");
    int braces = 0;
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == u'*') {
            if (i + 1 < glob.size() && glob.at(i + 1) == u'*') {
                ++i;
                if (i + 1 < glob.size() && glob.at(i + 1) == u'/') {
                    ++i;
                    re += QStringLiteral("(?:[^/]+/)+"); // at least one folder
                } else {
                    re += QStringLiteral(".*");
                }
            } else {
                re += QStringLiteral("[^/]*");
            }
        } else if (c == u'?') {
            re += QStringLiteral("[^/]");
        } else if (c == u'{') {
            ++braces;
            re += QStringLiteral("(?:");
        } else if (c == u'}' && braces > 0) {
            --braces;
            re += u')';
        } else if (c == u',' && braces > 0) {
            re += u'|';
        } else {
            re += QRegularExpression::escape(QString(c));
        }
    }
    while (braces-- > 0)
        re += u')';
    re += u'$';
    return re;
}

QString inspectList(const QStringList &items)
{
    QStringList quoted;
    quoted.reserve(items.size());
    for (const QString &item : items)
        quoted << u'"' + item + u'"';
    return u'[' + quoted.join(QStringLiteral(", ")) + u']';
}

} // namespace detail

namespace {

using namespace detail;

void collectStages(const Node &value, QStringList &out, int depth)
{
    if (depth > 10)
        return;
    for (const Node &item : value.items()) {
        if (item.isSequence())
            collectStages(item, out, depth + 1);
        else if (item.isScalar())
            out << item.scalar();
    }
}

void computeStages(ResolvedConfig &config)
{
    QStringList stages = defaultStages();
    Node node = config.root.value(u"stages");
    if (!node.isDefined())
        node = config.root.value(u"types");
    if (node.isDefined()) {
        config.stagesNode = node;
        if (node.isSequence()) {
            stages.clear();
            collectStages(node, stages, 1);
        }
    }
    stages.removeAll(QStringLiteral(".pre"));
    stages.removeAll(QStringLiteral(".post"));
    config.stages =
        QStringList{QStringLiteral(".pre")} + stages + QStringList{QStringLiteral(".post")};
}

void collectJobs(ResolvedConfig &config)
{
    config.jobs.reserve(config.root.size());
    for (const yaml::MapEntry &entry : config.root.entries()) {
        const QString name = entry.key.scalar();
        if (isGlobalKeyword(name))
            continue;
        Job job;
        job.name = name;
        job.key = entry.key;
        job.node = entry.value;
        job.hidden = name.startsWith(u'.');
        config.jobIndex.insert(name, config.jobs.size());
        config.jobs.append(job);
    }
}

QString normalisedMain(const QString &mainFile)
{
    QString p = QDir::cleanPath(mainFile);
    while (p.startsWith(u'/'))
        p.remove(0, 1);
    return p;
}

} // namespace

ResolvedConfig Resolver::resolve(const ResolveOptions &options)
{
    ResolvedConfig config;
    config.mainFile = options.mainFile;
    const QString display = options.mainFile;
    config.files << display;

    yaml::LoadResult loaded;
    const QString key = normalisedMain(options.mainFile);
    if (options.overlay.contains(options.mainFile))
        loaded = yaml::Loader::load(options.overlay.value(options.mainFile), display);
    else if (options.overlay.contains(key))
        loaded = yaml::Loader::load(options.overlay.value(key), display);
    else
        loaded =
            yaml::Loader::loadFile(QDir(options.projectRoot).filePath(options.mainFile), display);
    config.diagnostics += loaded.diagnostics;
    if (!loaded.ok)
        return config;

    const SplitDocuments split = splitDocuments(loaded.documents, display, config.diagnostics);
    if (!split.ok)
        return config;
    config.header = split.header;
    Node content = split.content;
    if (!content.isDefined() || content.isNull() ||
        (content.isScalar() && content.scalar().trimmed().isEmpty())) {
        if (!split.header.isDefined()) {
            report(config.diagnostics, diag::Severity::Error, QStringLiteral("empty-config"),
                   tr("Please provide content of .gitlab-ci.yml"),
                   yaml::Location{display, 1, 1, 1, 1});
            return config;
        }
        content = Node::makeMap({}, yaml::Location{display, 1, 1, 1, 1});
    }
    if (!content.isMap()) {
        report(config.diagnostics, diag::Severity::Error, QStringLiteral("invalid-format"),
               tr("Invalid configuration format"), content.location());
        return config;
    }

    if (split.header.isDefined()) {
        InputContext inputs;
        for (auto it = options.inputs.constBegin(); it != options.inputs.constEnd(); ++it)
            inputs.provided.append({Node::makeScalar(it.key()), it.value()});
        inputs.providedAt = split.header.location();
        inputs.variables = &options.variables;
        content = applyInputs(split.header, content, inputs, config.diagnostics);
    }

    IncludeResult included = processIncludes(options, display, content, config.diagnostics);
    config.files = included.files;
    config.incomplete = included.incomplete;
    Node root = included.root;
    root = resolveExtends(root, config.incomplete, config.diagnostics);
    root = resolveReferences(root, config.incomplete, config.diagnostics);
    root = flattenScripts(root);
    config.root = root;
    computeStages(config);
    collectJobs(config);
    return config;
}

} // namespace stagecraft::ci
