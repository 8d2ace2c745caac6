// spec:inputs and `$[[ ... ]]` interpolation, after GitLab's Ci::Config::Interpolation and
// Ci::Config::Header::Input.

#include "expr/regex.h"
#include "resolver_p.h"

#include <QRegularExpression>

namespace stagecraft::ci::detail {

using diag::Severity;
using yaml::Location;
using yaml::Node;

namespace {

struct Value
{
    Node node;
    QString type = QStringLiteral("string");
};

QString textOf(const Node &node)
{
    if (node.isScalar())
        return node.scalar();
    if (node.isNull())
        return QString();
    if (node.isSequence()) {
        QStringList parts;
        for (const Node &item : node.items())
            parts << (item.isScalar() && item.isString() ? u'"' + item.scalar() + u'"'
                                                         : textOf(item));
        return u'[' + parts.join(QStringLiteral(", ")) + u']';
    }
    QStringList parts;
    for (const yaml::MapEntry &e : node.entries())
        parts << u'"' + e.key.scalar() + QStringLiteral("\"=>") + textOf(e.value);
    return u'{' + parts.join(QStringLiteral(", ")) + u'}';
}

bool hasType(const Node &node, const QString &type)
{
    if (type == u"array")
        return node.isSequence();
    if (!node.isScalar())
        return false;
    if (type == u"boolean")
        return node.toBool().has_value();
    if (type == u"number")
        return node.toInt().has_value() || node.toFloat().has_value();
    return node.isQuoted() || node.isString();
}

/// Ruby's Shellwords.escape, which GitLab's `posix_escape` uses.
QString posixEscape(const QString &text)
{
    if (text.isEmpty())
        return QStringLiteral("''");
    QString out;
    for (const QChar c : text) {
        if (c == u'\n') {
            out += QStringLiteral("'\n'");
        } else if (c.isLetterOrNumber() && c.unicode() < 128) {
            out += c;
        } else if (QStringView(u"_-.,:+/@").contains(c)) {
            out += c;
        } else {
            out += u'\\';
            out += c;
        }
    }
    return out;
}

class Interpolator
{
public:
    Interpolator(const QHash<QString, Value> &values, const QSet<QString> &missing,
                 const InputContext &context, diag::Diagnostics &out)
        : m_values(values)
        , m_missing(missing)
        , m_context(context)
        , m_out(out)
    {
    }

    Node walk(const Node &node)
    {
        Node result;
        return walk(node, result) ? result : node;
    }

private:
    /// Returns true (and sets result) when something changed below `node`.
    bool walk(const Node &node, Node &result)
    {
        switch (node.type()) {
        case Node::Type::Scalar:
            if (!node.scalar().contains(QLatin1String("$[[")))
                return false;
            result = scalar(node, false);
            return true;
        case Node::Type::Sequence: {
            std::vector<Node> items = node.items();
            bool changed = false;
            for (Node &item : items) {
                Node replaced;
                if (walk(item, replaced)) {
                    item = replaced;
                    changed = true;
                }
            }
            if (!changed)
                return false;
            result =
                Node::makeSequence(std::move(items), node.location(), node.tag(), node.style());
            return true;
        }
        case Node::Type::Map: {
            std::vector<yaml::MapEntry> entries = node.entries();
            bool changed = false;
            for (yaml::MapEntry &e : entries) {
                if (e.key.scalar().contains(QLatin1String("$["))) {
                    e.key = scalar(e.key, true);
                    changed = true;
                }
                Node replaced;
                if (walk(e.value, replaced)) {
                    e.value = replaced;
                    changed = true;
                }
            }
            if (!changed)
                return false;
            result = Node::makeMap(std::move(entries), node.location(), node.tag(), node.style());
            return true;
        }
        default:
            return false;
        }
    }

    void error(const QString &code, const QString &message, const Location &at)
    {
        report(m_out, Severity::Error, code, message, at);
    }

    /// Evaluates one block's content; nullopt after an error.
    std::optional<Node> evaluate(const QString &block, const Node &at)
    {
        QStringList parts = block.split(u'|');
        const QString access = parts.takeFirst().trimmed();
        if (parts.size() > 3) {
            error(QStringLiteral("input-interpolation"),
                  tr("too many functions in interpolation block"), at.location());
            return std::nullopt;
        }
        const QStringList path = access.split(u'.');
        Node value;
        if (path.size() == 2 && path.first() == u"inputs") {
            const QString name = path.at(1);
            if (m_missing.contains(name))
                return std::nullopt; // already reported as a missing input
            const auto it = m_values.constFind(name);
            if (it == m_values.constEnd()) {
                error(QStringLiteral("input-unknown-key"),
                      tr("unknown interpolation key: `%1`").arg(name), at.location());
                return std::nullopt;
            }
            value = it->node;
        } else if (path.size() == 2 && path.first() == u"component" &&
                   m_context.component.contains(path.at(1))) {
            value = Node::makeScalar(m_context.component.value(path.at(1)), at.location(),
                                     Node::Style::DoubleQuoted);
        } else {
            const QString name =
                path.size() >= 2 && (path.first() == u"inputs" || path.first() == u"component")
                    ? path.at(1)
                    : path.first();
            error(QStringLiteral("input-unknown-key"),
                  tr("unknown interpolation key: `%1`").arg(name), at.location());
            return std::nullopt;
        }
        if (parts.isEmpty())
            return value;
        QString text = textOf(value);
        static const QRegularExpression truncate(
            QStringLiteral("^truncate\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)$"));
        for (const QString &raw : parts) {
            const QString function = raw.trimmed();
            if (function == u"expand_vars") {
                if (m_context.variables)
                    text = expandVariables(text, *m_context.variables);
            } else if (function == u"posix_escape") {
                text = posixEscape(text);
            } else if (const auto m = truncate.match(function); m.hasMatch()) {
                text = text.mid(m.captured(1).toInt(), m.captured(2).toInt());
            } else {
                error(QStringLiteral("input-function"),
                      tr("no function matching `%1`: check that the function name, arguments, "
                         "and types are correct")
                          .arg(function),
                      at.location());
                return std::nullopt;
            }
        }
        return Node::makeScalar(text, at.location(), Node::Style::DoubleQuoted);
    }

    Node scalar(const Node &node, bool isKey)
    {
        static const QRegularExpression block(QStringLiteral("\\$\\[\\[(.*?)\\]\\]"));
        const QString &text = node.scalar();
        auto it = block.globalMatch(text);
        QString result;
        qsizetype last = 0;
        int blocks = 0;
        std::optional<Node> whole;
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            ++blocks;
            const std::optional<Node> value = evaluate(m.captured(1), node);
            result += QStringView(text).mid(last, m.capturedStart() - last);
            last = m.capturedEnd();
            if (!value) {
                result += m.captured();
                continue;
            }
            if (blocks == 1 && m.capturedStart() == 0 && m.capturedEnd() == text.size())
                whole = value;
            result += textOf(*value);
        }
        result += QStringView(text).mid(last);
        if (whole && !isKey) {
            // A whole-scalar interpolation keeps the input's type (GitLab interpolates the
            // loaded YAML, not its text).
            if (whole->isScalar()) {
                const bool keepString = whole->isQuoted() || whole->isString();
                return Node::makeScalar(whole->scalar(), node.location(),
                                        keepString && !Node::makeScalar(whole->scalar()).isString()
                                            ? Node::Style::DoubleQuoted
                                            : (keepString ? node.style() : Node::Style::Plain));
            }
            return whole->withLocation(node.location());
        }
        if (result == text)
            return node;
        Node::Style style = node.style();
        if (!Node::makeScalar(result).isString() && style == Node::Style::Plain)
            style = Node::Style::DoubleQuoted;
        return Node::makeScalar(result, node.location(), style, node.tag());
    }

    const QHash<QString, Value> &m_values;
    const QSet<QString> &m_missing;
    const InputContext &m_context;
    diag::Diagnostics &m_out;
};

} // namespace

Node applyInputs(const Node &header, const Node &content, const InputContext &context,
                 diag::Diagnostics &out)
{
    const Node specInputs = header.value(u"spec").value(u"inputs");
    QHash<QString, Value> values;
    QSet<QString> missing;

    QStringList unknown;
    Location unknownAt;
    QHash<QString, QPair<Node, Node>> provided;
    for (const auto &pair : context.provided) {
        const QString name = pair.first.scalar();
        provided.insert(name, pair);
        if (!specInputs.contains(name)) {
            if (unknown.isEmpty())
                unknownAt =
                    pair.first.location().isValid() ? pair.first.location() : context.providedAt;
            unknown << name;
        }
    }
    if (!unknown.isEmpty()) {
        report(out, Severity::Error, QStringLiteral("input-unknown"),
               tr("unknown input arguments: %1").arg(unknown.join(QStringLiteral(", "))),
               unknownAt);
    }

    static const QStringList types = {QStringLiteral("string"), QStringLiteral("number"),
                                      QStringLiteral("boolean"), QStringLiteral("array")};
    static const QStringList specKeys = {QStringLiteral("default"), QStringLiteral("description"),
                                         QStringLiteral("options"), QStringLiteral("regex"),
                                         QStringLiteral("type"),    QStringLiteral("rules")};
    for (const yaml::MapEntry &entry : specInputs.entries()) {
        const QString name = entry.key.scalar();
        const Node spec = entry.value;
        if (!spec.isMap() && !spec.isNull()) {
            report(out, Severity::Error, QStringLiteral("header-invalid"),
                   tr("header:spec:inputs:%1 config should be a hash").arg(name), spec.location());
            missing.insert(name);
            continue;
        }
        for (const yaml::MapEntry &e : spec.entries()) {
            if (!specKeys.contains(e.key.scalar())) {
                report(out, Severity::Error, QStringLiteral("header-invalid"),
                       tr("header:spec:inputs:%1 config contains unknown keys: %2")
                           .arg(name, e.key.scalar()),
                       e.key.location());
            }
        }
        QString type = QStringLiteral("string");
        if (const Node t = spec.value(u"type"); t.isDefined()) {
            if (!types.contains(t.scalar())) {
                report(
                    out, Severity::Error, QStringLiteral("input-type"),
                    tr("header:spec:inputs:%1 input type unknown value: %2").arg(name, t.scalar()),
                    t.location());
                missing.insert(name);
                continue;
            }
            type = t.scalar();
        }
        const auto given = provided.constFind(name);
        const bool isProvided = given != provided.constEnd();
        const Node value = isProvided ? given->second : spec.value(u"default");
        const Location valueAt =
            isProvided ? (value.location().isValid() ? value.location() : context.providedAt)
                       : value.location();
        if (!value.isDefined()) {
            report(out, Severity::Error, QStringLiteral("input-required"),
                   tr("`%1` input: required value has not been provided").arg(name),
                   context.providedAt);
            missing.insert(name);
            continue;
        }
        if (!hasType(value, type)) {
            const QString article = type == u"array" ? QStringLiteral("an") : QStringLiteral("a");
            report(out, Severity::Error, QStringLiteral("input-type"),
                   isProvided
                       ? tr("`%1` input: provided value is not %2 %3").arg(name, article, type)
                       : tr("`%1` input: default value is not %2 %3").arg(name, article, type),
                   valueAt);
            missing.insert(name);
            continue;
        }
        bool ok = true;
        const Node options = spec.value(u"options");
        if (options.isDefined() && type != u"string" && type != u"number") {
            report(out, Severity::Error, QStringLiteral("header-invalid"),
                   tr("header:spec:inputs:%1 options can only be used with string and number "
                      "inputs")
                       .arg(name),
                   options.location());
            ok = false;
        } else if (options.isSequence()) {
            bool found = false;
            for (const Node &option : options.items()) {
                if (option.isScalar() && option.scalar() == value.scalar())
                    found = true;
            }
            if (!found) {
                report(out, Severity::Error, QStringLiteral("input-options"),
                       tr("`%1` input: `%2` cannot be used because it is not in the list of "
                          "allowed options")
                           .arg(name, textOf(value)),
                       valueAt);
                ok = false;
            }
        }
        if (const Node regex = spec.value(u"regex"); ok && regex.isScalar()) {
            QString pattern = regex.scalar();
            expr::Regex re = expr::Regex::isLiteral(pattern) ? expr::Regex::fromLiteral(pattern)
                                                             : expr::Regex::compile(pattern);
            if (!re.isValid()) {
                report(out, Severity::Error, QStringLiteral("input-regex"),
                       tr("`%1` input: invalid regular expression: %2").arg(name, re.error()),
                       regex.location());
                ok = false;
            } else if (!re.search(textOf(value))) {
                report(out, Severity::Error, QStringLiteral("input-regex"),
                       tr("`%1` input: provided value does not match required RegEx pattern")
                           .arg(name),
                       valueAt);
                ok = false;
            }
        }
        values.insert(name, Value{value, type});
    }

    Interpolator interpolator(values, missing, context, out);
    return interpolator.walk(content);
}

} // namespace stagecraft::ci::detail
