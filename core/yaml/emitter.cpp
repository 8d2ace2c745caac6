#include "emitter.h"

#include <QRegularExpression>

#include <optional>

namespace stagecraft::yaml {

namespace {

QString quoted(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += u'"';
    for (QChar c : value) {
        switch (c.unicode()) {
        case '"':
            out += QStringLiteral("\\\"");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += u'"';
    return out;
}

QString scalarText(const Node &node)
{
    const QString &s = node.scalar();
    if (node.isQuoted() || node.style() == Node::Style::Literal
        || node.style() == Node::Style::Folded) {
        // A quoted "true" must stay a string; a plain one stays a boolean.
        return (needsQuotes(s) || Node::makeScalar(s).kindName() != u"string") ? quoted(s) : s;
    }
    // A plain `true`, `2` or `1.5` keeps its type: quoting it would make it a string.
    if (node.kindName() != u"string")
        return s;
    return needsQuotes(s) ? quoted(s) : s;
}

/// A multi-line string as a literal block (`|`), when that represents it exactly.
std::optional<QString> literalBlock(const Node &node, int indent)
{
    if (!node.isScalar() || !node.tag().isEmpty())
        return std::nullopt;
    const QString &s = node.scalar();
    if (!s.contains(u'\n') || s.contains(u'\r') || s.contains(u'\t') || s.startsWith(u' ')
        || s.trimmed().isEmpty())
        return std::nullopt;
    for (QChar c : s) {
        if (c.unicode() < 0x20 && c != u'\n')
            return std::nullopt;
    }
    QString body = s;
    QString indicator = QStringLiteral("|");
    if (!body.endsWith(u'\n')) {
        indicator = QStringLiteral("|-");
    } else if (body.endsWith(QStringLiteral("\n\n"))) {
        indicator = QStringLiteral("|+");
    }
    if (body.endsWith(u'\n'))
        body.chop(1);
    const QStringList lines = body.split(u'\n');
    for (const QString &line : lines) {
        if (line.endsWith(u' '))
            return std::nullopt;
    }
    // A reader takes the block's indentation from its first non-empty line: it must not start
    // with a space (found by fuzz_ci: "\n  x\ny" came back unreadable).
    for (const QString &line : lines) {
        if (line.isEmpty())
            continue;
        if (line.startsWith(u' '))
            return std::nullopt;
        break;
    }
    const QString pad(indent, u' ');
    QString out = indicator + u'\n';
    for (const QString &line : lines)
        out += (line.isEmpty() ? QString() : pad + line) + u'\n';
    return out;
}

bool isEmptyCollection(const Node &node)
{
    return (node.isMap() || node.isSequence()) && node.size() == 0;
}

/// The tag as it can be written back: yaml-cpp reports `!!str` as "tag:yaml.org,2002:str" and
/// `!<uri>` as "uri"; written as such they would become part of the value.
QString tagText(const QString &tag)
{
    static const QString core = QStringLiteral("tag:yaml.org,2002:");
    if (tag.isEmpty() || tag.startsWith(u'!'))
        return tag;
    if (tag.startsWith(core))
        return QStringLiteral("!!") + tag.mid(core.size());
    return QStringLiteral("!<") + tag + u'>';
}

QString tagPrefix(const Node &node)
{
    return node.tag().isEmpty() ? QString() : tagText(node.tag()) + u' ';
}

QString keyText(const Node &key)
{
    return tagPrefix(key) + (key.isNull() ? QStringLiteral("~") : scalarText(key));
}

void emitNode(QString &out, const Node &node, int indent);

void emitInline(QString &out, const Node &node)
{
    switch (node.type()) {
    case Node::Type::Undefined:
    case Node::Type::Null:
        out += tagPrefix(node);
        out += QStringLiteral("null");
        break;
    case Node::Type::Scalar:
        out += tagPrefix(node) + scalarText(node);
        break;
    case Node::Type::Sequence:
        out += tagPrefix(node) + QStringLiteral("[]");
        break;
    case Node::Type::Map:
        out += tagPrefix(node) + QStringLiteral("{}");
        break;
    }
}

void emitNode(QString &out, const Node &node, int indent)
{
    const QString pad(indent, u' ');
    if (node.isMap() && node.size() > 0) {
        for (const MapEntry &entry : node.entries()) {
            const QString key = keyText(entry.key);
            // YAML readers refuse implicit keys over 1024 characters: write those as `? key`.
            if (key.size() > 1024 / 4 && key.toUtf8().size() > 1000)
                out += pad + QStringLiteral("? ") + key + u'\n' + pad + u':';
            else
                out += pad + key + u':';
            const Node &value = entry.value;
            if ((value.isMap() || value.isSequence()) && !isEmptyCollection(value)) {
                if (!value.tag().isEmpty())
                    out += u' ' + tagText(value.tag());
                out += u'\n';
                emitNode(out, value, value.isSequence() ? indent : indent + 2);
            } else if (const auto block = literalBlock(value, indent + 2)) {
                out += u' ' + *block;
            } else {
                out += u' ';
                emitInline(out, value);
                out += u'\n';
            }
        }
        return;
    }
    if (node.isSequence() && node.size() > 0) {
        for (const Node &item : node.items()) {
            out += pad + QStringLiteral("- ");
            if ((item.isMap() || item.isSequence()) && !isEmptyCollection(item)) {
                if (!item.tag().isEmpty()) {
                    out += tagText(item.tag()) + u'\n';
                    emitNode(out, item, indent + 2);
                    continue;
                }
                QString nested;
                emitNode(nested, item, indent + 2);
                // The first line goes right after the dash.
                out += nested.mid(indent + 2);
            } else if (const auto block = literalBlock(item, indent + 2)) {
                out += *block;
            } else {
                emitInline(out, item);
                out += u'\n';
            }
        }
        return;
    }
    out += pad;
    emitInline(out, node);
    out += u'\n';
}

} // namespace

bool needsQuotes(const QString &value)
{
    if (value.isEmpty())
        return true;
    static const QRegularExpression special(QStringLiteral(
        "^[-?:,\\[\\]{}#&*!|>'\"%@`~ ]|: |:$| #|^\\s|\\s$|[\\x00-\\x1f\\x7f]|^(---|\\.\\.\\.)"));
    if (special.match(value).hasMatch())
        return true;
    static const QRegularExpression reserved(QStringLiteral(
        "^(null|Null|NULL|~|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|"
        "Off|OFF|y|Y|n|N|<<|=)$"));
    if (reserved.match(value).hasMatch())
        return true;
    static const QRegularExpression number(QStringLiteral(
        "^[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^0x[0-9a-fA-F_]+$|^0o[0-7]+$|"
        "^[-+]?\\.(inf|Inf|INF)$|^\\.(nan|NaN|NAN)$|^[0-9]+(:[0-5]?[0-9])+(\\.[0-9]*)?$"));
    return number.match(value).hasMatch();
}

QByteArray toYaml(const Node &node)
{
    QString out;
    // Nested collections get their tag after the key or dash; the top one on a line of its own.
    if ((node.isMap() || node.isSequence()) && !isEmptyCollection(node) && !node.tag().isEmpty())
        out += tagText(node.tag()) + u'\n';
    emitNode(out, node, 0);
    return out.toUtf8();
}

} // namespace stagecraft::yaml
