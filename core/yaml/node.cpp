#include "node.h"

#include <QRegularExpression>

namespace stagecraft::yaml {

struct Node::Data
{
    Type type = Type::Undefined;
    Style style = Style::Plain;
    QString scalar;
    QString tag;
    Location location;
    std::vector<Node> items;
    std::vector<MapEntry> entries;
    qint64 expandedSize = 1;
};

namespace {
const QString &emptyString()
{
    static const QString s;
    return s;
}
const Location &emptyLocation()
{
    static const Location l;
    return l;
}
const std::vector<Node> &emptyItems()
{
    static const std::vector<Node> v;
    return v;
}
const std::vector<MapEntry> &emptyEntries()
{
    static const std::vector<MapEntry> v;
    return v;
}
} // namespace

Node Node::makeNull(const Location &location, const QString &tag)
{
    auto data = std::make_shared<Data>();
    data->type = Type::Null;
    data->location = location;
    data->tag = tag;
    Node n;
    n.d = std::move(data);
    return n;
}

Node Node::makeScalar(const QString &value, const Location &location, Style style,
                      const QString &tag)
{
    auto data = std::make_shared<Data>();
    data->type = Type::Scalar;
    data->scalar = value;
    data->location = location;
    data->style = style;
    data->tag = tag;
    Node n;
    n.d = std::move(data);
    return n;
}

Node Node::makeSequence(std::vector<Node> items, const Location &location, const QString &tag,
                        Style style)
{
    auto data = std::make_shared<Data>();
    data->type = Type::Sequence;
    data->location = location;
    data->tag = tag;
    data->style = style;
    qint64 size = 1;
    for (const Node &item : items)
        size += item.expandedSize();
    data->expandedSize = size;
    data->items = std::move(items);
    Node n;
    n.d = std::move(data);
    return n;
}

Node Node::makeMap(std::vector<MapEntry> entries, const Location &location, const QString &tag,
                   Style style)
{
    auto data = std::make_shared<Data>();
    data->type = Type::Map;
    data->location = location;
    data->tag = tag;
    data->style = style;
    qint64 size = 1;
    for (const MapEntry &entry : entries)
        size += entry.key.expandedSize() + entry.value.expandedSize();
    data->expandedSize = size;
    data->entries = std::move(entries);
    Node n;
    n.d = std::move(data);
    return n;
}

Node::Type Node::type() const
{
    return d ? d->type : Type::Undefined;
}

const QString &Node::scalar() const
{
    return d ? d->scalar : emptyString();
}

const QString &Node::tag() const
{
    return d ? d->tag : emptyString();
}

Node::Style Node::style() const
{
    return d ? d->style : Style::Plain;
}

const Location &Node::location() const
{
    return d ? d->location : emptyLocation();
}

const std::vector<Node> &Node::items() const
{
    return d ? d->items : emptyItems();
}

const std::vector<MapEntry> &Node::entries() const
{
    return d ? d->entries : emptyEntries();
}

int Node::size() const
{
    if (!d)
        return 0;
    if (d->type == Type::Sequence)
        return int(d->items.size());
    if (d->type == Type::Map)
        return int(d->entries.size());
    return 0;
}

const MapEntry *Node::find(QStringView key) const
{
    if (!d || d->type != Type::Map)
        return nullptr;
    for (const MapEntry &entry : d->entries) {
        if (entry.key.scalar() == key)
            return &entry;
    }
    return nullptr;
}

Node Node::value(QStringView key) const
{
    const MapEntry *entry = find(key);
    return entry ? entry->value : Node();
}

std::optional<bool> Node::toBool() const
{
    if (!d || d->type != Type::Scalar || isQuoted() || !d->tag.isEmpty())
        return std::nullopt;
    const QString &s = d->scalar;
    // YAML 1.1 booleans, as resolved by Psych.
    static const QStringList yes = {QStringLiteral("true"), QStringLiteral("True"),
                                    QStringLiteral("TRUE"), QStringLiteral("yes"),
                                    QStringLiteral("Yes"),  QStringLiteral("YES"),
                                    QStringLiteral("on"),   QStringLiteral("On"),
                                    QStringLiteral("ON")};
    static const QStringList no = {QStringLiteral("false"), QStringLiteral("False"),
                                   QStringLiteral("FALSE"), QStringLiteral("no"),
                                   QStringLiteral("No"),    QStringLiteral("NO"),
                                   QStringLiteral("off"),   QStringLiteral("Off"),
                                   QStringLiteral("OFF")};
    if (yes.contains(s))
        return true;
    if (no.contains(s))
        return false;
    return std::nullopt;
}

std::optional<qint64> Node::toInt() const
{
    if (!d || d->type != Type::Scalar || isQuoted() || !d->tag.isEmpty())
        return std::nullopt;
    static const QRegularExpression re(QStringLiteral("^[-+]?(0|[1-9][0-9_]*)$"));
    static const QRegularExpression hex(QStringLiteral("^0x[0-9a-fA-F_]+$"));
    static const QRegularExpression oct(QStringLiteral("^0[0-7_]+$"));
    QString s = d->scalar;
    bool ok = false;
    qint64 value = 0;
    if (re.match(s).hasMatch()) {
        s.remove(u'_');
        value = s.toLongLong(&ok, 10);
    } else if (hex.match(s).hasMatch()) {
        s.remove(u'_');
        value = s.mid(2).toLongLong(&ok, 16);
    } else if (oct.match(s).hasMatch()) {
        s.remove(u'_');
        value = s.toLongLong(&ok, 8);
    }
    if (!ok)
        return std::nullopt;
    return value;
}

std::optional<double> Node::toFloat() const
{
    if (!d || d->type != Type::Scalar || isQuoted() || !d->tag.isEmpty())
        return std::nullopt;
    static const QRegularExpression re(
        QStringLiteral("^[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?$"));
    if (!re.match(d->scalar).hasMatch() || d->scalar == u".")
        return std::nullopt;
    QString s = d->scalar;
    s.remove(u'_');
    bool ok = false;
    const double value = s.toDouble(&ok);
    if (!ok)
        return std::nullopt;
    return value;
}

bool Node::isString() const
{
    if (!d || d->type != Type::Scalar)
        return false;
    return !toBool() && !toInt() && !toFloat();
}

QString Node::kindName() const
{
    switch (type()) {
    case Type::Undefined:
        return QStringLiteral("undefined");
    case Type::Null:
        return QStringLiteral("null");
    case Type::Sequence:
        return QStringLiteral("array");
    case Type::Map:
        return QStringLiteral("hash");
    case Type::Scalar:
        break;
    }
    if (toBool())
        return QStringLiteral("boolean");
    if (toInt())
        return QStringLiteral("integer");
    if (toFloat())
        return QStringLiteral("float");
    return QStringLiteral("string");
}

qint64 Node::expandedSize() const
{
    return d ? d->expandedSize : 0;
}

bool Node::equals(const Node &other) const
{
    if (d == other.d)
        return true;
    if (type() != other.type() || tag() != other.tag())
        return false;
    switch (type()) {
    case Type::Undefined:
    case Type::Null:
        return true;
    case Type::Scalar:
        return scalar() == other.scalar();
    case Type::Sequence: {
        const auto &a = items();
        const auto &b = other.items();
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            if (!a[i].equals(b[i]))
                return false;
        }
        return true;
    }
    case Type::Map: {
        const auto &a = entries();
        const auto &b = other.entries();
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            if (a[i].key.scalar() != b[i].key.scalar() || !a[i].value.equals(b[i].value))
                return false;
        }
        return true;
    }
    }
    return false;
}

Node Node::withLocation(const Location &location) const
{
    if (!d)
        return {};
    auto data = std::make_shared<Data>(*d);
    data->location = location;
    Node n;
    n.d = std::move(data);
    return n;
}

} // namespace stagecraft::yaml
