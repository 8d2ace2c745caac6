#pragma once

#include <QString>
#include <QStringView>

#include <memory>
#include <optional>
#include <vector>

namespace stagecraft::yaml {

/// Where a node was written: 1-based line/column of its first and one-past-last character.
/// line == 0 means the node was made by the engine and has no source.
struct Location
{
    QString file;
    int line = 0;
    int column = 0;
    int endLine = 0;
    int endColumn = 0;

    bool isValid() const { return line > 0; }
};

struct MapEntry;

/// An immutable, positioned YAML node. Copies are cheap handles to shared data, so the resolver
/// can compose new maps out of existing sub-trees without copying them (aliases share too).
class Node
{
public:
    enum class Type { Undefined, Null, Scalar, Sequence, Map };
    enum class Style { Plain, SingleQuoted, DoubleQuoted, Literal, Folded, Flow, Block };

    Node() = default; ///< undefined: "not present"

    static Node makeNull(const Location &location = {}, const QString &tag = {});
    static Node makeScalar(const QString &value, const Location &location = {},
                           Style style = Style::Plain, const QString &tag = {});
    static Node makeSequence(std::vector<Node> items, const Location &location = {},
                             const QString &tag = {}, Style style = Style::Block);
    static Node makeMap(std::vector<MapEntry> entries, const Location &location = {},
                        const QString &tag = {}, Style style = Style::Block);

    Type type() const;
    bool isDefined() const { return bool(d); }
    bool isNull() const { return type() == Type::Null; }
    bool isScalar() const { return type() == Type::Scalar; }
    bool isSequence() const { return type() == Type::Sequence; }
    bool isMap() const { return type() == Type::Map; }

    /// Scalar text (empty for other types).
    const QString &scalar() const;
    /// Explicit tag such as "!reference" (empty when none was written).
    const QString &tag() const;
    Style style() const;
    bool isQuoted() const { return style() == Style::SingleQuoted || style() == Style::DoubleQuoted; }
    const Location &location() const;

    /// Sequence items (empty for other types).
    const std::vector<Node> &items() const;
    /// Map entries in source order, keys unique (empty for other types).
    const std::vector<MapEntry> &entries() const;
    int size() const;

    /// Map look-up by key text; returns an undefined node when absent.
    Node value(QStringView key) const;
    const MapEntry *find(QStringView key) const;
    bool contains(QStringView key) const { return find(key) != nullptr; }

    // Typed views of plain scalars with YAML 1.1 core-schema resolution (as Ruby's Psych, which
    // GitLab uses): quoted scalars are always strings.
    std::optional<bool> toBool() const;
    std::optional<qint64> toInt() const;
    std::optional<double> toFloat() const;
    bool isString() const; ///< a scalar that is not a bool/int/float literal
    /// A short name of the node's kind for messages: "string", "integer", "boolean", "array", "hash", "null".
    QString kindName() const;

    /// Number of nodes in this sub-tree (aliases counted each time they appear).
    qint64 expandedSize() const;

    /// Structural equality (values, not locations).
    bool equals(const Node &other) const;

    /// Same node with another location (for synthesised nodes).
    Node withLocation(const Location &location) const;

private:
    struct Data;
    std::shared_ptr<const Data> d;
};

struct MapEntry
{
    Node key;
    Node value;
};

} // namespace stagecraft::yaml
