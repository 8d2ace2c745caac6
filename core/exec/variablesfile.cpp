// User variables files (Stagecraft's and gitlab-ci-local's shapes) and the trace Masker.
#include "exec/variablesfile.h"

#include "yaml/loader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cstring>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

class Reader
{
public:
    Reader(const QString &path, const QString &environment, const QString &projectPath)
        : m_path(path)
        , m_environment(environment)
        , m_projectPath(projectPath)
    {
        // `~/` in gitlab-ci-local's home file is the folder holding `.gitlab-ci-local/`.
        const QFileInfo info(path);
        const QDir parent = info.absoluteDir();
        m_home = parent.dirName() == QLatin1String(".gitlab-ci-local")
                     ? QFileInfo(parent.absolutePath()).absolutePath()
                     : QDir::homePath();
    }

    VariablesFileResult read()
    {
        QFile f(m_path);
        if (!f.open(QIODevice::ReadOnly)) {
            m_result.errors.append(QStringLiteral("%1: %2").arg(m_path, f.errorString()));
            return m_result;
        }
        const QByteArray text = f.readAll();
        if (looksLikeDotenv(text)) {
            readDotenv(text);
            return finish();
        }
        const yaml::LoadResult loaded = yaml::Loader::load(text, m_path);
        for (const diag::Diagnostic &d : loaded.diagnostics) {
            if (d.isError())
                m_result.errors.append(position(d.range.start.line, d.range.start.column) +
                                       d.message);
        }
        if (!loaded.ok || loaded.documents.isEmpty())
            return finish();
        const yaml::Node root = loaded.documents.first().root;
        if (!root.isDefined() || root.isNull())
            return finish();
        if (!root.isMap()) {
            error(root, tr("a variables file is a map of NAME: value entries"));
            return finish();
        }
        if (isHomeFile(root)) {
            // gitlab-ci-local's precedence: global < group < project.
            if (const yaml::MapEntry *e = root.find(u"global"))
                readVariables(e->value);
            if (const yaml::MapEntry *e = root.find(u"group")) {
                for (const yaml::MapEntry &g : e->value.entries()) {
                    if (groupMatches(g.key.scalar()))
                        readVariables(g.value);
                }
            }
            if (const yaml::MapEntry *e = root.find(u"project")) {
                for (const yaml::MapEntry &p : e->value.entries()) {
                    if (projectMatches(p.key.scalar()))
                        readVariables(p.value);
                }
            }
        } else {
            readVariables(root);
        }
        return finish();
    }

private:
    QString position(int line, int column) const
    {
        return QStringLiteral("%1:%2:%3: ").arg(m_path).arg(line).arg(column);
    }
    void error(const yaml::Node &at, const QString &message)
    {
        m_result.errors.append(position(at.location().line, at.location().column) + message);
    }

    static bool looksLikeDotenv(const QByteArray &text)
    {
        static const QRegularExpression line(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*=.*$"));
        bool any = false;
        for (const QByteArray &raw : text.split('\n')) {
            const QString l = QString::fromUtf8(raw).trimmed();
            if (l.isEmpty() || l.startsWith(QLatin1Char('#')))
                continue;
            if (!line.match(l).hasMatch())
                return false;
            any = true;
        }
        return any;
    }

    void readDotenv(const QByteArray &text)
    {
        static const QRegularExpression quoted(QStringLiteral("^([\"'])(.*)\\1$"));
        for (const QByteArray &raw : text.split('\n')) {
            const QString l = QString::fromUtf8(raw).trimmed();
            if (l.isEmpty() || l.startsWith(QLatin1Char('#')))
                continue;
            const qsizetype eq = l.indexOf(QLatin1Char('='));
            QString value = l.mid(eq + 1).trimmed();
            const QRegularExpressionMatch m = quoted.match(value);
            if (m.hasMatch())
                value = m.captured(2);
            set({l.left(eq).trimmed(), value, false, false});
        }
    }

    static bool isHomeFile(const yaml::Node &root)
    {
        if (root.entries().empty())
            return false;
        for (const yaml::MapEntry &e : root.entries()) {
            const QString k = e.key.scalar();
            if (k != QLatin1String("project") && k != QLatin1String("group") &&
                k != QLatin1String("global"))
                return false;
            if (!e.value.isMap() && !e.value.isNull())
                return false;
        }
        return true;
    }

    static QString normalise(QString key)
    {
        // `gitlab.com:group/project.git`, `gitlab.com/group/project`: one spelling.
        key.replace(QLatin1Char(':'), QLatin1Char('/'));
        if (key.endsWith(QLatin1String(".git")))
            key.chop(4);
        return key;
    }
    bool projectMatches(const QString &rawKey) const
    {
        if (m_projectPath.isEmpty())
            return false;
        const QString key = normalise(rawKey);
        const QString project = normalise(m_projectPath);
        return key == project || key.endsWith(QLatin1Char('/') + project) ||
               project.endsWith(QLatin1Char('/') + key);
    }
    bool groupMatches(const QString &rawKey) const
    {
        if (m_projectPath.isEmpty())
            return false;
        QString key = normalise(rawKey);
        if (!key.endsWith(QLatin1Char('/')))
            key += QLatin1Char('/');
        const QString project = normalise(m_projectPath);
        if (project.startsWith(key))
            return true;
        // The key names the host (`gitlab.com/group/`), the project path may not.
        const qsizetype slash = key.indexOf(QLatin1Char('/'));
        return slash > 0 && key.left(slash).contains(QLatin1Char('.')) &&
               project.startsWith(key.mid(slash + 1));
    }

    /// The value for the job's environment among `values:` patterns: an exact name first, then
    /// the most specific wildcard (the longest pattern), `*` last. Nothing when none applies.
    std::optional<yaml::Node> scoped(const yaml::Node &values) const
    {
        std::optional<yaml::Node> best;
        int bestRank = -1;
        for (const yaml::MapEntry &e : values.entries()) {
            const QString pattern = e.key.scalar();
            int rank = -1;
            if (!m_environment.isEmpty() && pattern == m_environment) {
                rank = 1'000'000;
            } else if (pattern.contains(QLatin1Char('*'))) {
                QStringList parts = pattern.split(QLatin1Char('*'));
                for (QString &part : parts)
                    part = QRegularExpression::escape(part);
                const QString re = parts.join(QStringLiteral(".*"));
                const bool all = pattern == QLatin1String("*");
                if (all || (!m_environment.isEmpty() &&
                            QRegularExpression(QRegularExpression::anchoredPattern(re))
                                .match(m_environment)
                                .hasMatch()))
                    rank = all ? 0 : int(pattern.size());
            }
            if (rank > bestRank) {
                bestRank = rank;
                best = e.value;
            }
        }
        return best;
    }

    /// A scalar as text (numbers and booleans as written; null as empty).
    std::optional<QString> text(const yaml::Node &n, const QString &name)
    {
        if (n.isNull())
            return QString();
        if (n.isScalar())
            return n.scalar();
        error(n, tr("variable %1: the value must be a string (found: %2)").arg(name, n.kindName()));
        return std::nullopt;
    }

    void readVariables(const yaml::Node &map)
    {
        if (map.isNull())
            return;
        if (!map.isMap()) {
            error(map, tr("a variables file is a map of NAME: value entries"));
            return;
        }
        static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9_]+$"));
        for (const yaml::MapEntry &e : map.entries()) {
            const QString name = e.key.scalar();
            if (!nameRe.match(name).hasMatch()) {
                error(e.key, tr("invalid variable name \"%1\": only letters, digits and '_' are "
                                "allowed")
                                 .arg(name));
                continue;
            }
            readVariable(name, e.value);
        }
    }

    void readVariable(const QString &name, const yaml::Node &node)
    {
        JobVariable v{name, {}, false, false};
        if (!node.isMap()) {
            const std::optional<QString> value = text(node, name);
            if (!value)
                return;
            v.value = *value;
            homeFile(&v, node);
            set(v);
            return;
        }
        static const QStringList known{QStringLiteral("value"),  QStringLiteral("values"),
                                       QStringLiteral("type"),   QStringLiteral("masked"),
                                       QStringLiteral("expand"), QStringLiteral("description"),
                                       QStringLiteral("raw")};
        bool ok = true;
        for (const yaml::MapEntry &k : node.entries()) {
            if (!known.contains(k.key.scalar())) {
                error(k.key, tr("variable %1: unknown key \"%2\" (known: %3)")
                                 .arg(name, k.key.scalar(), known.join(QStringLiteral(", "))));
                ok = false;
            }
        }
        const yaml::MapEntry *value = node.find(u"value");
        const yaml::MapEntry *values = node.find(u"values");
        if (value && values) {
            error(values->key, tr("variable %1: use either value or values").arg(name));
            return;
        }
        if (const yaml::MapEntry *type = node.find(u"type")) {
            const QString t = type->value.scalar();
            if (t == QLatin1String("file")) {
                v.file = true;
            } else if (t != QLatin1String("variable") && t != QLatin1String("env_var")) {
                error(type->value,
                      tr("variable %1: type must be file or variable, not \"%2\"").arg(name, t));
                ok = false;
            }
        }
        if (const yaml::MapEntry *masked = node.find(u"masked")) {
            const std::optional<bool> b = masked->value.toBool();
            if (!b) {
                error(masked->value, tr("variable %1: masked must be true or false").arg(name));
                ok = false;
            }
            v.masked = b.value_or(false);
        }
        bool raw = false;
        for (const char16_t *key : {u"expand", u"raw"}) {
            if (const yaml::MapEntry *flag = node.find(key)) {
                const std::optional<bool> b = flag->value.toBool();
                if (!b) {
                    error(
                        flag->value,
                        tr("variable %1: %2 must be true or false").arg(name, flag->key.scalar()));
                    ok = false;
                } else {
                    raw = raw || (QStringView(key) == u"expand" ? !*b : *b);
                }
            }
        }
        if (!ok)
            return;
        yaml::Node chosen;
        if (value) {
            chosen = value->value;
        } else if (values) {
            if (!values->value.isMap()) {
                error(values->value,
                      tr("variable %1: values must map environments to values").arg(name));
                return;
            }
            const std::optional<yaml::Node> s = scoped(values->value);
            if (!s)
                return; // not defined for this environment
            chosen = *s;
        } else {
            error(node, tr("variable %1: value or values is required").arg(name));
            return;
        }
        const std::optional<QString> t = text(chosen, name);
        if (!t)
            return;
        v.value = *t;
        if (raw) // the engine expands variables: `$$` keeps a literal `$` (GitLab's expand: false)
            v.value.replace(QLatin1Char('$'), QStringLiteral("$$"));
        if (!v.file)
            homeFile(&v, chosen);
        set(v);
    }

    /// gitlab-ci-local: a plain value `~/path` naming a file is a file variable with its content.
    void homeFile(JobVariable *v, const yaml::Node &node)
    {
        if (!v->value.startsWith(QLatin1String("~/")))
            return;
        const QString path = m_home + v->value.mid(1);
        const QFileInfo info(path);
        if (!info.isFile())
            return;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            error(node, QStringLiteral("%1: %2").arg(path, f.errorString()));
            return;
        }
        v->value = QString::fromUtf8(f.readAll());
        v->file = true;
    }

    void set(const JobVariable &v)
    {
        const auto it = m_index.constFind(v.name);
        if (it != m_index.cend()) {
            m_result.variables[*it] = v;
            return;
        }
        m_index.insert(v.name, m_result.variables.size());
        m_result.variables.append(v);
    }

    VariablesFileResult finish() { return m_result; }

    QString m_path;
    QString m_environment;
    QString m_projectPath;
    QString m_home;
    VariablesFileResult m_result;
    QHash<QString, qsizetype> m_index;
};

} // namespace

VariablesFileResult readVariablesFile(const QString &path, const QString &environment,
                                      const QString &projectPath)
{
    return Reader(path, environment, projectPath).read();
}

// ---- Masker -------------------------------------------------------------------------------

Masker::Masker(const QStringList &values)
{
    for (const QString &v : values) {
        // GitLab masks values of 8 characters or more only.
        if (v.size() < 8)
            continue;
        const QByteArray bytes = v.toUtf8();
        if (!m_values.contains(bytes))
            m_values.append(bytes);
    }
    // Longest first: where one value is a prefix of another, the longer one is masked whole.
    std::stable_sort(m_values.begin(), m_values.end(),
                     [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    for (const QByteArray &v : std::as_const(m_values))
        m_longest = std::max(m_longest, v.size());
}

namespace {

QByteArray mask(const QList<QByteArray> &values, const QByteArray &buffer, bool final,
                QByteArray *pending)
{
    static const QByteArray replacement("[MASKED]");
    bool first[256] = {};
    for (const QByteArray &v : values)
        first[static_cast<unsigned char>(v.front())] = true;
    QByteArray out;
    out.reserve(buffer.size());
    const qsizetype n = buffer.size();
    const char *data = buffer.constData();
    qsizetype i = 0;
    while (i < n) {
        if (!first[static_cast<unsigned char>(data[i])]) {
            out.append(data[i++]);
            continue;
        }
        bool done = false;
        for (const QByteArray &v : values) {
            const qsizetype left = n - i;
            if (left >= v.size()) {
                if (std::memcmp(data + i, v.constData(), size_t(v.size())) == 0) {
                    out.append(replacement);
                    i += v.size();
                    done = true;
                    break;
                }
            } else if (!final && std::memcmp(data + i, v.constData(), size_t(left)) == 0) {
                // Could be the start of a value cut by the chunk boundary: wait for more.
                *pending = buffer.mid(i);
                return out;
            }
        }
        if (!done)
            out.append(data[i++]);
    }
    pending->clear();
    return out;
}

} // namespace

QByteArray Masker::feed(QByteArrayView bytes)
{
    if (m_values.isEmpty())
        return bytes.toByteArray();
    const QByteArray buffer = m_pending + bytes.toByteArray();
    return mask(m_values, buffer, false, &m_pending);
}

QByteArray Masker::flush()
{
    if (m_pending.isEmpty())
        return {};
    const QByteArray buffer = m_pending;
    m_pending.clear();
    QByteArray rest;
    return mask(m_values, buffer, true, &rest);
}

bool Masker::isActive() const
{
    return !m_values.isEmpty();
}

} // namespace stagecraft::exec
