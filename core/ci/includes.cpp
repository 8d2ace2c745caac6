// `include:` expansion the way GitLab's Config::External::Processor does it: every entry is
// mapped to files (rules, wildcards, variables), each file is read, interpolated with its inputs,
// has its own includes expanded, and is deep-merged under the including file.

#include "expr/expression.h"
#include "resolver_p.h"
#include "yaml/emitter.h"
#include "yaml/loader.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <optional>

namespace stagecraft::ci::detail {

using diag::Severity;
using yaml::Location;
using yaml::Node;

SplitDocuments splitDocuments(const QList<yaml::Document> &documents, const QString &file,
                              diag::Diagnostics &out)
{
    SplitDocuments split;
    QList<yaml::Document> docs = documents;
    // A trailing `---` or `...` leaves an empty document behind: it is not content.
    while (docs.size() > 1 && (!docs.last().root.isDefined() || docs.last().root.isNull()))
        docs.removeLast();
    if (docs.isEmpty())
        return split;
    if (docs.size() == 1) {
        split.content = docs.first().root;
        if (const yaml::MapEntry *spec = split.content.find(u"spec")) {
            // Without `---` GitLab reads `spec:` as configuration: inputs are not interpolated.
            report(out, Severity::Warning, QStringLiteral("header-not-separated"),
                   tr("`spec:` must be a header document of its own, followed by `---`"),
                   spec->key.location(), tr("add a line `---` after the `spec:` section"));
        }
        return split;
    }
    const Node first = docs.first().root;
    if (docs.size() > 2 || !first.isMap() || !first.contains(u"spec")) {
        const Location at = docs.at(1).start;
        report(out, Severity::Error, QStringLiteral("yaml-multiple-documents"),
               tr("Invalid configuration format: the file holds %1 YAML documents; only a "
                  "`spec:` header document may come before the configuration")
                   .arg(docs.size()),
               Location{file, at.line, at.column, at.line, at.column});
        split.ok = false;
        return split;
    }
    split.header = first;
    split.content = docs.at(1).root;
    for (const yaml::MapEntry &entry : first.entries()) {
        if (entry.key.scalar() != u"spec") {
            report(out, Severity::Error, QStringLiteral("header-invalid"),
                   tr("header config contains unknown keys: %1").arg(entry.key.scalar()),
                   entry.key.location());
        }
    }
    const Node spec = first.value(u"spec");
    if (!spec.isMap()) {
        report(out, Severity::Error, QStringLiteral("header-invalid"),
               tr("header:spec config should be a hash"), spec.location());
    } else {
        static const QStringList allowed = {QStringLiteral("inputs"), QStringLiteral("component"),
                                            QStringLiteral("description"),
                                            QStringLiteral("include")};
        for (const yaml::MapEntry &entry : spec.entries()) {
            if (!allowed.contains(entry.key.scalar())) {
                report(out, Severity::Error, QStringLiteral("header-invalid"),
                       tr("header:spec config contains unknown keys: %1").arg(entry.key.scalar()),
                       entry.key.location());
            }
        }
        const Node inputs = spec.value(u"inputs");
        if (inputs.isDefined() && !inputs.isMap() && !inputs.isNull()) {
            report(out, Severity::Error, QStringLiteral("header-invalid"),
                   tr("header:spec:inputs config should be a hash"), inputs.location());
        }
    }
    return split;
}

namespace {

/// Where nested `local` includes of a file are looked up.
struct Context
{
    enum class Kind { Project, Cached };
    Kind kind = Kind::Project;
    QString base;  ///< folder for `local` (project root or the cached project's folder)
    QString label; ///< for messages about a cached project ("group/project@ref")
};

struct FileRef
{
    QString written;  ///< location as written (variables expanded), for messages
    QString display;  ///< file name in diagnostics and ResolvedConfig::files
    QString absolute; ///< path on disk (empty when read from the overlay)
    QString overlayKey;
    Context nested; ///< context of the file's own includes
    Node inputs;    ///< include:inputs
    Location at;    ///< the include entry (for errors about this file)
    QHash<QString, QString> component;
};

QString jsonish(const Node &node)
{
    if (node.isMap()) {
        QStringList parts;
        for (const yaml::MapEntry &e : node.entries())
            parts << u'"' + e.key.scalar() + QStringLiteral("\":") + jsonish(e.value);
        return u'{' + parts.join(u',') + u'}';
    }
    if (node.isSequence()) {
        QStringList parts;
        for (const Node &item : node.items())
            parts << jsonish(item);
        return u'[' + parts.join(u',') + u']';
    }
    if (node.isNull())
        return QStringLiteral("null");
    return u'"' + node.scalar() + u'"';
}

bool isYamlName(const QString &path)
{
    return path.endsWith(QLatin1String(".yml")) || path.endsWith(QLatin1String(".yaml"));
}

/// Cleans a project-relative path; nullopt when `..` leaves the project.
std::optional<QString> cleanRelative(const QString &path)
{
    QStringList parts;
    for (const QString &part : path.split(u'/', Qt::SkipEmptyParts)) {
        if (part == u".")
            continue;
        if (part == u"..") {
            if (parts.isEmpty())
                return std::nullopt;
            parts.removeLast();
            continue;
        }
        parts << part;
    }
    return parts.join(u'/');
}

class Processor
{
public:
    Processor(const ResolveOptions &options, diag::Diagnostics &out)
        : m_options(options)
        , m_out(out)
    {
        m_root = QDir(options.projectRoot).absolutePath();
        m_canonicalRoot = QFileInfo(m_root).canonicalFilePath();
        for (auto it = options.overlay.constBegin(); it != options.overlay.constEnd(); ++it) {
            if (const auto clean = cleanRelative(it.key()))
                m_overlay.insert(*clean, it.value());
        }
    }

    Node process(const Node &content, const Context &context, const QString &display)
    {
        const QString key = cleanRelative(display).value_or(display);
        const QString identity =
            m_overlay.contains(key) ? QStringLiteral("overlay:") + key
                                    : QFileInfo(QDir(m_root).filePath(display)).canonicalFilePath();
        m_active.insert(identity);
        m_stack.append(display);
        Node result = processFile(content, context);
        m_stack.removeLast();
        m_active.remove(identity);
        return result;
    }

    QStringList files;
    bool incomplete = false;

private:
    Node processFile(const Node &content, const Context &context)
    {
        const yaml::MapEntry *include = content.find(u"include");
        if (!include)
            return content;
        const Node own = withoutKey(content, u"include");
        Node acc = own;
        const std::vector<Node> entries = includeEntries(include->value);
        for (const Node &entry : entries) {
            if (m_stopped)
                break;
            for (const FileRef &ref : filesOf(entry, context)) {
                if (m_stopped)
                    break;
                const Node hash = load(ref);
                if (hash.isMap())
                    acc = deepMerge(acc, hash);
            }
        }
        return deepMerge(acc, own);
    }

    std::vector<Node> includeEntries(const Node &include)
    {
        if (include.isNull())
            return {};
        if (include.isSequence()) {
            std::vector<Node> result;
            for (const Node &item : include.items()) {
                // `include: [*common, x.yml]` nests an aliased list: read it as one flat list.
                if (item.isSequence()) {
                    for (const Node &inner : item.items())
                        result.push_back(inner);
                } else {
                    result.push_back(item);
                }
            }
            return result;
        }
        if (include.isMap() || (include.isScalar() && include.isString()))
            return {include};
        report(m_out, Severity::Error, QStringLiteral("include-invalid"),
               tr("include config should be a hash, a string or an array"), include.location());
        return {};
    }

    void error(const QString &code, const QString &message, const Location &at,
               const QString &hint = {})
    {
        report(m_out, Severity::Error, code, message, at, hint);
    }

    QString expand(const QString &text) const { return expandVariables(text, m_options.variables); }

    QList<FileRef> filesOf(const Node &entry, const Context &context)
    {
        if (entry.isScalar() && !entry.isQuoted() && !entry.isString()) {
            error(QStringLiteral("include-invalid"),
                  tr("include config should be a hash or a string"), entry.location());
            return {};
        }
        if (entry.isScalar()) {
            const QString location = expand(entry.scalar());
            if (unknownVariables(location, entry))
                return {};
            if (location.startsWith(QLatin1String("http://")) ||
                location.startsWith(QLatin1String("https://")))
                return remoteFiles(location, entry, {});
            return localFiles(location, entry, context, {});
        }
        if (!entry.isMap()) {
            error(QStringLiteral("include-invalid"),
                  tr("include config should be a hash or a string"), entry.location());
            return {};
        }
        static const QStringList allowed = {
            QStringLiteral("local"),     QStringLiteral("file"),    QStringLiteral("remote"),
            QStringLiteral("template"),  QStringLiteral("project"), QStringLiteral("ref"),
            QStringLiteral("component"), QStringLiteral("rules"),   QStringLiteral("inputs"),
            QStringLiteral("integrity"), QStringLiteral("cache")};
        QStringList unknown;
        Location unknownAt;
        for (const yaml::MapEntry &e : entry.entries()) {
            if (!allowed.contains(e.key.scalar())) {
                if (unknown.isEmpty())
                    unknownAt = e.key.location();
                unknown << e.key.scalar();
            }
        }
        if (!unknown.isEmpty()) {
            error(QStringLiteral("include-invalid"),
                  tr("include config contains unknown keys: %1")
                      .arg(unknown.join(QStringLiteral(", "))),
                  unknownAt);
            return {};
        }
        static const QStringList accessors = {QStringLiteral("local"), QStringLiteral("remote"),
                                              QStringLiteral("template"), QStringLiteral("project"),
                                              QStringLiteral("component")};
        QStringList present;
        for (const QString &a : accessors) {
            if (entry.contains(a))
                present << a;
        }
        if (present.size() != 1) {
            error(QStringLiteral("include-ambiguous"),
                  tr("Include `%1` needs to match exactly one accessor!").arg(jsonish(entry)),
                  entry.location(),
                  present.isEmpty() ? tr("use one of local, remote, template, project, component")
                                    : tr("it uses %1").arg(present.join(QStringLiteral(", "))));
            return {};
        }
        const QString kind = present.first();
        const Node value = entry.value(kind);
        if (!value.isScalar() || value.scalar().isEmpty()) {
            error(QStringLiteral("include-invalid"),
                  tr("include:%1 config should be a string").arg(kind), value.location());
            return {};
        }
        for (const char *onlyProject : {"file", "ref"}) {
            const QString key = QLatin1String(onlyProject);
            if (kind != u"project" && entry.contains(key)) {
                error(QStringLiteral("include-invalid"),
                      tr("include config contains unknown keys: %1").arg(key),
                      entry.find(key)->key.location(), tr("`%1` goes with `project`").arg(key));
                return {};
            }
        }
        const Node inputs = entry.value(u"inputs");
        if (inputs.isDefined() && !inputs.isMap()) {
            error(QStringLiteral("include-invalid"), tr("include:inputs config should be a hash"),
                  inputs.location());
            return {};
        }
        if (const Node rules = entry.value(u"rules"); rules.isDefined()) {
            if (!rulesPass(rules, context))
                return {};
        }
        const QString location = expand(value.scalar());
        if (unknownVariables(location, value))
            return {};
        if (kind == u"local")
            return localFiles(location, value, context, inputs);
        if (kind == u"remote")
            return remoteFiles(location, value, inputs);
        if (kind == u"template")
            return templateFiles(location, value, inputs);
        if (kind == u"component")
            return componentFiles(location, value, inputs);
        return projectFiles(entry, location, inputs);
    }

    /// A location that still names variables after expansion cannot be read offline: the
    /// variable may be a project or instance variable that only GitLab knows.
    bool unknownVariables(const QString &location, const Node &at)
    {
        static const QRegularExpression re(
            QStringLiteral("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))"));
        QStringList names;
        auto it = re.globalMatch(location);
        while (it.hasNext()) {
            const auto m = it.next();
            names << (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1));
        }
        if (names.isEmpty())
            return false;
        names.removeDuplicates();
        offline(tr("`%1` (unknown variable %2)").arg(location, names.join(QStringLiteral(", "))),
                at.location(),
                tr("the variable is not known offline; it may be a project variable"));
        return true;
    }

    bool rulesPass(const Node &rules, const Context &context)
    {
        if (!rules.isSequence()) {
            error(QStringLiteral("include-invalid"),
                  tr("include:rules config should be an array of hashes"), rules.location());
            return false;
        }
        static const QStringList allowed = {QStringLiteral("if"), QStringLiteral("exists"),
                                            QStringLiteral("changes"), QStringLiteral("when")};
        for (const Node &rule : rules.items()) {
            if (!rule.isMap()) {
                error(QStringLiteral("include-invalid"),
                      tr("include:rules:rule config should be a hash"), rule.location());
                return false;
            }
            for (const yaml::MapEntry &e : rule.entries()) {
                if (!allowed.contains(e.key.scalar())) {
                    error(QStringLiteral("include-invalid"),
                          tr("include:rules:rule config contains unknown keys: %1")
                              .arg(e.key.scalar()),
                          e.key.location());
                    return false;
                }
            }
            const Node when = rule.value(u"when");
            if (when.isDefined() && !when.isNull() && when.scalar() != u"never" &&
                when.scalar() != u"always") {
                error(QStringLiteral("include-invalid"),
                      tr("include:rules:rule when unknown value: %1").arg(when.scalar()),
                      when.location(), tr("include rules accept `when: never` or `when: always`"));
                return false;
            }
            bool match = true;
            if (const Node cond = rule.value(u"if"); cond.isDefined()) {
                const expr::Expression e = expr::Expression::parse(cond.scalar());
                if (!e.isValid()) {
                    error(QStringLiteral("include-rules-invalid"),
                          tr("include:rules:rule if invalid expression syntax"), cond.location(),
                          e.error() ? e.error()->message : QString());
                    match = false;
                } else {
                    match = e.evaluate(m_options.variables);
                }
            }
            if (match) {
                if (const Node exists = rule.value(u"exists"); exists.isDefined())
                    match = existsMatch(exists, context);
            }
            // `changes` cannot be known without a push: GitLab evaluates it as true here.
            if (match)
                return when.scalar() != u"never";
        }
        return false;
    }

    bool existsMatch(const Node &exists, const Context &context)
    {
        Node paths = exists;
        if (exists.isMap())
            paths = exists.value(u"paths");
        if (exists.isMap() && exists.contains(u"project"))
            return true; // another project's files are not known offline
        std::vector<Node> items = paths.isSequence() ? paths.items() : std::vector<Node>{paths};
        const QStringList all = listFiles(context.base);
        for (const Node &item : items) {
            QString pattern = expand(item.scalar());
            while (pattern.startsWith(u'/'))
                pattern.remove(0, 1);
            const QRegularExpression re(globToRegex(pattern));
            // `**/` also matches no folder at all for `exists` (fnmatch with FNM_PATHNAME).
            const QRegularExpression alt(
                globToRegex(QString(pattern).replace(QStringLiteral("**/"), QString())));
            for (const QString &f : all) {
                if (re.match(f).hasMatch() || alt.match(f).hasMatch())
                    return true;
            }
        }
        return false;
    }

    /// Files of a folder (project root or cached project), relative, sorted, without .git.
    QStringList listFiles(const QString &base)
    {
        if (const auto it = m_listings.constFind(base); it != m_listings.constEnd())
            return *it;
        QStringList found;
        // Without a project folder (editor buffers only) there is nothing on disk to walk; a
        // project as of a revision has its own list.
        const bool ofRevision = base == m_root && m_options.projectFiles.has_value();
        if (ofRevision)
            found = *m_options.projectFiles;
        const bool walk = !(base == m_root && m_options.projectRoot.isEmpty()) && !ofRevision;
        QDirIterator it(walk ? base : QString(),
                        QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot | QDir::Dirs,
                        QDirIterator::Subdirectories);
        const QDir dir(base);
        while (walk && it.hasNext() && found.size() < 100000) {
            it.next();
            const QFileInfo info = it.fileInfo();
            if (!info.isFile())
                continue;
            const QString rel = dir.relativeFilePath(info.filePath());
            if (rel.startsWith(QLatin1String(".git/")))
                continue;
            found << rel;
        }
        if (base == m_root) {
            for (auto o = m_overlay.constBegin(); o != m_overlay.constEnd(); ++o) {
                if (!found.contains(o.key()))
                    found << o.key();
            }
        }
        found.sort();
        m_listings.insert(base, found);
        return found;
    }

    QList<FileRef> localFiles(const QString &location, const Node &at, const Context &context,
                              const Node &inputs)
    {
        QString path = location;
        while (path.startsWith(u'/'))
            path.remove(0, 1);
        const auto clean = cleanRelative(path);
        if (!clean) {
            error(QStringLiteral("include-outside-project"),
                  tr("Local file `%1` is outside the project: includes cannot leave the "
                     "repository")
                      .arg(location),
                  at.location());
            return {};
        }
        if (!isYamlName(*clean)) {
            error(QStringLiteral("include-not-yaml"),
                  tr("Included file `%1` does not have YAML extension!").arg(location),
                  at.location());
            return {};
        }
        QStringList matches;
        if (clean->contains(u'*') || clean->contains(u'?')) {
            const QRegularExpression re(globToRegex(*clean));
            for (const QString &f : listFiles(context.base)) {
                if (isYamlName(f) && re.match(f).hasMatch())
                    matches << f;
            }
            if (matches.isEmpty()) {
                error(QStringLiteral("include-not-found"),
                      tr("Local file `%1` does not exist!").arg(location), at.location(),
                      tr("the wildcard matches no file of the project"));
                return {};
            }
        } else {
            matches << *clean;
        }
        QList<FileRef> refs;
        for (const QString &rel : matches) {
            FileRef ref;
            ref.written = matches.size() == 1 && !clean->contains(u'*') ? location : rel;
            ref.at = at.location();
            ref.inputs = inputs;
            ref.nested = context;
            if (context.kind == Context::Kind::Project && m_overlay.contains(rel)) {
                ref.overlayKey = rel;
                ref.display = rel;
                refs << ref;
                continue;
            }
            const QString absolute = QDir(context.base).filePath(rel);
            const QFileInfo info(absolute);
            const bool ofRevision =
                context.kind == Context::Kind::Project && m_options.projectFiles.has_value();
            if (ofRevision || !info.isFile()) {
                if (context.kind == Context::Kind::Cached) {
                    offline(tr("local `%1` of %2").arg(location, context.label), at.location());
                    continue;
                }
                error(QStringLiteral("include-not-found"),
                      tr("Local file `%1` does not exist!").arg(location), at.location());
                continue;
            }
            if (context.kind == Context::Kind::Project) {
                const QString canonical = info.canonicalFilePath();
                if (!m_canonicalRoot.isEmpty() && canonical != m_canonicalRoot &&
                    !canonical.startsWith(m_canonicalRoot + u'/')) {
                    error(QStringLiteral("include-outside-project"),
                          tr("Local file `%1` is outside the project: it is a symbolic link to %2")
                              .arg(location, canonical),
                          at.location());
                    continue;
                }
            }
            ref.absolute = absolute;
            ref.display = context.kind == Context::Kind::Project ? rel : absolute;
            refs << ref;
        }
        return refs;
    }

    void offline(const QString &what, const Location &at, const QString &hint = {})
    {
        incomplete = true;
        report(m_out, Severity::Info, QStringLiteral("include-offline"),
               tr("include not resolved offline: %1").arg(what), at,
               !hint.isEmpty() ? hint
               : m_options.includeCacheDir.isEmpty()
                   ? tr("set an include cache folder (see docs/includes-cache.md) to check it")
                   : tr("not found in the include cache %1").arg(m_options.includeCacheDir));
    }

    std::optional<FileRef> cached(const QStringList &candidates, const QString &what,
                                  const Node &at, const Node &inputs)
    {
        if (!m_options.includeCacheDir.isEmpty()) {
            for (const QString &relative : candidates) {
                const auto clean = cleanRelative(relative);
                if (!clean)
                    continue;
                const QString path = QDir(m_options.includeCacheDir).filePath(*clean);
                if (QFileInfo(path).isFile()) {
                    FileRef ref;
                    ref.absolute = QFileInfo(path).absoluteFilePath();
                    ref.display = ref.absolute;
                    ref.written = what;
                    ref.at = at.location();
                    ref.inputs = inputs;
                    return ref;
                }
            }
        }
        offline(what, at.location());
        return std::nullopt;
    }

    QList<FileRef> remoteFiles(const QString &url, const Node &at, const Node &inputs)
    {
        QString rest = url.mid(url.indexOf(QLatin1String("://")) + 3);
        rest = rest.left(rest.indexOf(u'?') >= 0 ? rest.indexOf(u'?') : rest.size());
        rest = rest.left(rest.indexOf(u'#') >= 0 ? rest.indexOf(u'#') : rest.size());
        auto ref =
            cached({QStringLiteral("remote/") + rest}, tr("remote `%1`").arg(url), at, inputs);
        if (!ref)
            return {};
        ref->written = url;
        // Nested `local` includes of a remote file point at the including project.
        ref->nested = Context{Context::Kind::Project, m_root, {}};
        return {*ref};
    }

    QList<FileRef> templateFiles(const QString &name, const Node &at, const Node &inputs)
    {
        auto ref = cached({QStringLiteral("template/") + name, name}, tr("template `%1`").arg(name),
                          at, inputs);
        if (!ref)
            return {};
        ref->written = name;
        ref->nested = Context{Context::Kind::Project, m_root, {}};
        return {*ref};
    }

    QList<FileRef> componentFiles(const QString &address, const Node &at, const Node &inputs)
    {
        const qsizetype atSign = address.lastIndexOf(u'@');
        const QString path = atSign >= 0 ? address.left(atSign) : address;
        const QString version = atSign >= 0 ? address.mid(atSign + 1) : QString();
        const qsizetype slash = path.lastIndexOf(u'/');
        if (atSign < 0 || version.isEmpty() || slash <= 0 || path.indexOf(u'/') == slash) {
            error(QStringLiteral("include-invalid"),
                  tr("include:component `%1` should be `<host>/<project path>/<name>@<version>`")
                      .arg(address),
                  at.location());
            return {};
        }
        const QString project = path.left(slash);
        const QString name = path.mid(slash + 1);
        const QHash<QString, QString> component = {{QStringLiteral("name"), name},
                                                   {QStringLiteral("version"), version},
                                                   {QStringLiteral("reference"), version},
                                                   {QStringLiteral("sha"), QString()}};
        // A component of the project being checked is read from its working tree.
        const QString host = m_options.variables.value(QStringLiteral("CI_SERVER_HOST"));
        const QString self = m_options.variables.value(QStringLiteral("CI_PROJECT_PATH"));
        if (!host.isEmpty() && !self.isEmpty() && project == host + u'/' + self) {
            for (const QString &candidate :
                 {QStringLiteral("templates/%1.yml").arg(name),
                  QStringLiteral("templates/%1/template.yml").arg(name)}) {
                FileRef ref;
                if (m_overlay.contains(candidate)) {
                    ref.overlayKey = candidate;
                } else if (!m_options.projectFiles &&
                           QFileInfo(QDir(m_root).filePath(candidate)).isFile()) {
                    ref.absolute = QDir(m_root).filePath(candidate);
                } else {
                    continue;
                }
                ref.display = candidate;
                ref.written = address;
                ref.at = at.location();
                ref.inputs = inputs;
                ref.component = component;
                ref.nested = Context{Context::Kind::Project, m_root, {}};
                return {ref};
            }
        }
        const QString base = QStringLiteral("component/%1/%2/templates/").arg(project, version);
        auto ref = cached(
            {base + name + QStringLiteral(".yml"), base + name + QStringLiteral("/template.yml")},
            tr("component `%1`").arg(address), at, inputs);
        if (!ref)
            return {};
        ref->written = address;
        ref->component = component;
        const QString projectDir =
            QDir(m_options.includeCacheDir)
                .filePath(QStringLiteral("component/%1/%2").arg(project, version));
        ref->nested = Context{Context::Kind::Cached, projectDir, address};
        return {*ref};
    }

    QList<FileRef> projectFiles(const Node &entry, const QString &project, const Node &inputs)
    {
        const Node fileNode = entry.value(u"file");
        const Node refNode = entry.value(u"ref");
        if (project.startsWith(u'/') || project.endsWith(u'/') || !project.contains(u'/')) {
            error(QStringLiteral("include-invalid"),
                  tr("include:project `%1` should be a full project path such as `group/project`")
                      .arg(project),
                  entry.value(u"project").location());
            return {};
        }
        if (!fileNode.isDefined()) {
            error(QStringLiteral("include-invalid"),
                  tr("include config must specify the file where to fetch the config from"),
                  entry.location());
            return {};
        }
        std::vector<Node> fileNodes;
        if (fileNode.isSequence())
            fileNodes = fileNode.items();
        else
            fileNodes.push_back(fileNode);
        for (const Node &f : fileNodes) {
            if (!f.isScalar() || f.scalar().isEmpty()) {
                error(QStringLiteral("include-invalid"),
                      tr("include:file config should be a string or an array of strings"),
                      f.location());
                return {};
            }
        }
        if (refNode.isDefined() && !refNode.isScalar()) {
            error(QStringLiteral("include-invalid"), tr("include:ref config should be a string"),
                  refNode.location());
            return {};
        }
        const QString ref = refNode.isDefined() ? expand(refNode.scalar()) : QString();
        if (unknownVariables(ref, refNode))
            return {};
        const QString refDir = ref.isEmpty() ? QStringLiteral("HEAD") : ref;
        const QString projectDir =
            QDir(m_options.includeCacheDir)
                .filePath(QStringLiteral("project/%1/%2").arg(project, refDir));
        const QString label = ref.isEmpty() ? project : project + u'@' + ref;
        const Context nested{Context::Kind::Cached, projectDir, label};
        QList<FileRef> refs;
        for (const Node &f : fileNodes) {
            QString file = expand(f.scalar());
            if (unknownVariables(file, f))
                continue;
            while (file.startsWith(u'/'))
                file.remove(0, 1);
            if (!isYamlName(file)) {
                error(QStringLiteral("include-not-yaml"),
                      tr("Included file `%1` does not have YAML extension!").arg(f.scalar()),
                      f.location());
                continue;
            }
            if (file.contains(u'*') && !m_options.includeCacheDir.isEmpty() &&
                QFileInfo(projectDir).isDir()) {
                const QRegularExpression re(globToRegex(file));
                for (const QString &candidate : listFiles(projectDir)) {
                    if (isYamlName(candidate) && re.match(candidate).hasMatch()) {
                        if (auto r = cached({QStringLiteral("project/%1/%2/%3")
                                                 .arg(project, refDir, candidate)},
                                            candidate, f, inputs)) {
                            r->nested = nested;
                            refs << *r;
                        }
                    }
                }
                continue;
            }
            auto r = cached({QStringLiteral("project/%1/%2/%3").arg(project, refDir, file)},
                            tr("project `%1` file `%2`").arg(label, file), f, inputs);
            if (!r)
                continue;
            r->written = file;
            r->nested = nested;
            refs << *r;
        }
        return refs;
    }

    /// Reads one included file and returns its hash with its own includes expanded.
    Node load(const FileRef &ref)
    {
        ++m_count;
        if (m_count > m_options.maxIncludes) {
            error(QStringLiteral("include-too-many"),
                  tr("Maximum of %1 nested includes are allowed!").arg(m_options.maxIncludes),
                  ref.at);
            m_stopped = true;
            return {};
        }
        const QString identity = ref.overlayKey.isEmpty()
                                     ? QFileInfo(ref.absolute).canonicalFilePath()
                                     : QStringLiteral("overlay:") + ref.overlayKey;
        const QString stackName = ref.display;
        if (m_active.contains(identity)) {
            QStringList chain =
                m_stack.mid(m_stack.indexOf(stackName) >= 0 ? m_stack.indexOf(stackName) : 0);
            chain << stackName;
            error(QStringLiteral("include-cycle"),
                  tr("Circular include: %1").arg(chain.join(QStringLiteral(" → "))), ref.at,
                  tr("`%1` is already being included; remove one of the includes of this chain")
                      .arg(ref.written));
            return {};
        }
        const QString memoKey =
            identity + u'\x1f' +
            (ref.inputs.isDefined() ? QString::fromUtf8(yaml::toYaml(ref.inputs)) : QString());
        if (const auto it = m_memo.constFind(memoKey); it != m_memo.constEnd()) {
            // Included again: GitLab merges the same content again (a no-op) but still counts
            // the file and its nested includes against the limit.
            m_count += it->nested;
            if (m_count > m_options.maxIncludes) {
                error(QStringLiteral("include-too-many"),
                      tr("Maximum of %1 nested includes are allowed!").arg(m_options.maxIncludes),
                      ref.at);
                m_stopped = true;
                return {};
            }
            return it->hash;
        }
        if (!files.contains(ref.display))
            files << ref.display;
        const yaml::LoadResult loaded =
            ref.overlayKey.isEmpty()
                ? yaml::Loader::loadFile(ref.absolute, ref.display)
                : yaml::Loader::load(m_overlay.value(ref.overlayKey), ref.display);
        m_out += loaded.diagnostics;
        if (!loaded.ok) {
            error(QStringLiteral("include-invalid-yaml"),
                  tr("Included file `%1` does not have valid YAML syntax!").arg(ref.written),
                  ref.at);
            m_memo.insert(memoKey, {Node(), 0});
            return {};
        }
        const SplitDocuments split = splitDocuments(loaded.documents, ref.display, m_out);
        if (!split.ok) {
            error(QStringLiteral("include-invalid-yaml"),
                  tr("Included file `%1` does not have valid YAML syntax!").arg(ref.written),
                  ref.at);
            m_memo.insert(memoKey, {Node(), 0});
            return {};
        }
        Node content = split.content;
        if (!content.isDefined() || content.isNull()) {
            if (!split.header.isDefined()) {
                error(QStringLiteral("include-empty"),
                      tr("Included file `%1` is empty or does not exist!").arg(ref.written),
                      ref.at);
                m_memo.insert(memoKey, {Node(), 0});
                return {};
            }
            content = Node::makeMap({}, Location{ref.display, 1, 1, 1, 1});
        }
        if (!content.isMap()) {
            error(QStringLiteral("include-invalid-yaml"),
                  tr("Included file `%1` does not have valid YAML syntax!").arg(ref.written),
                  ref.at, tr("the file's content is a %1, not a hash").arg(content.kindName()));
            m_memo.insert(memoKey, {Node(), 0});
            return {};
        }
        if (split.header.isDefined()) {
            InputContext inputs;
            for (const yaml::MapEntry &e : ref.inputs.entries())
                inputs.provided.append({e.key, e.value});
            inputs.providedAt = ref.at;
            inputs.component = ref.component;
            inputs.variables = &m_options.variables;
            content = applyInputs(split.header, content, inputs, m_out);
        } else if (ref.inputs.isDefined()) {
            error(QStringLiteral("inputs-without-spec"),
                  tr("Given inputs not defined in the `spec` section of the included "
                     "configuration file"),
                  ref.inputs.location());
        }
        const int before = m_count;
        m_active.insert(identity);
        m_stack.append(stackName);
        const Node hash = processFile(content, ref.nested);
        m_stack.removeLast();
        m_active.remove(identity);
        m_memo.insert(memoKey, {hash, m_count - before});
        return hash;
    }

    struct Memo
    {
        Node hash;
        int nested = 0;
    };

    const ResolveOptions &m_options;
    diag::Diagnostics &m_out;
    QString m_root;
    QString m_canonicalRoot;
    QHash<QString, QByteArray> m_overlay;
    QHash<QString, QStringList> m_listings;
    QHash<QString, Memo> m_memo;
    QSet<QString> m_active;
    QStringList m_stack;
    int m_count = 0;
    bool m_stopped = false;
};

} // namespace

IncludeResult processIncludes(const ResolveOptions &options, const QString &mainDisplay,
                              const Node &content, diag::Diagnostics &out)
{
    IncludeResult result;
    result.files << mainDisplay;
    if (!content.contains(u"include")) {
        result.root = content;
        return result;
    }
    Processor processor(options, out);
    processor.files << mainDisplay;
    const Context context{Context::Kind::Project, QDir(options.projectRoot).absolutePath(), {}};
    result.root = processor.process(content, context, mainDisplay);
    result.files = processor.files;
    result.incomplete = processor.incomplete;
    return result;
}

} // namespace stagecraft::ci::detail
