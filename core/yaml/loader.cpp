#include "loader.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

namespace stagecraft::yaml {

namespace {

using diag::Diagnostic;
using diag::Severity;

/// Thrown inside the event handler to stop yaml-cpp; caught in Loader::load.
struct LoadAbort
{
    Diagnostic diagnostic;
};

/// Maps yaml-cpp byte offsets to 1-based line/character columns and finds token ends.
class SourceMap
{
public:
    explicit SourceMap(const QByteArray &text)
        : m_text(text)
    {
        m_lineStarts.push_back(0);
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text.at(i) == '\n')
                m_lineStarts.push_back(i + 1);
        }
    }

    int lineOf(qsizetype pos) const
    {
        const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), pos);
        return int(it - m_lineStarts.begin()); // 1-based
    }

    /// 1-based column in characters (UTF-16 units) for a byte offset.
    int columnOf(qsizetype pos) const
    {
        const int line = lineOf(pos);
        const qsizetype start = m_lineStarts[size_t(line - 1)];
        const QByteArray prefix = m_text.mid(start, pos - start);
        bool ascii = true;
        for (char c : prefix) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                ascii = false;
                break;
            }
        }
        return 1 + int(ascii ? prefix.size() : QString::fromUtf8(prefix).size());
    }

    char at(qsizetype pos) const { return pos >= 0 && pos < m_text.size() ? m_text.at(pos) : '\0'; }
    qsizetype size() const { return m_text.size(); }
    bool startsWithAt(qsizetype pos, const char *s) const
    {
        return m_text.mid(pos, qsizetype(qstrlen(s))) == s;
    }

    /// Byte offset one past the end of the scalar token starting at pos; -1 when a quoted
    /// scalar is not terminated.
    qsizetype scalarEnd(qsizetype pos, Node::Style style, const QString &value) const
    {
        switch (style) {
        case Node::Style::DoubleQuoted:
            for (qsizetype i = pos + 1; i < m_text.size(); ++i) {
                if (m_text.at(i) == '\\')
                    ++i;
                else if (m_text.at(i) == '"')
                    return i + 1;
            }
            return -1;
        case Node::Style::SingleQuoted:
            for (qsizetype i = pos + 1; i < m_text.size(); ++i) {
                if (m_text.at(i) == '\'') {
                    if (at(i + 1) == '\'')
                        ++i;
                    else
                        return i + 1;
                }
            }
            return -1;
        case Node::Style::Plain: {
            if (!value.contains(u'\n')) {
                const qsizetype len = value.toUtf8().size();
                if (m_text.mid(pos, len) == value.toUtf8())
                    return pos + len;
            }
            qsizetype i = pos;
            while (i < m_text.size() && m_text.at(i) != '\n')
                ++i;
            return i;
        }
        default: {
            qsizetype i = pos;
            while (i < m_text.size() && m_text.at(i) != '\n')
                ++i;
            return i;
        }
        }
    }

private:
    QByteArray m_text;
    std::vector<qsizetype> m_lineStarts;
};

class Builder final : public YAML::EventHandler
{
public:
    Builder(const SourceMap &source, const QString &file, const LoadLimits &limits,
            LoadResult &result)
        : m_source(source)
        , m_file(file)
        , m_limits(limits)
        , m_result(result)
    {
    }

    void OnDocumentStart(const YAML::Mark &mark) override
    {
        Document doc;
        doc.start = location(mark);
        doc.explicitStart = m_source.startsWithAt(mark.pos, "---");
        if (!m_result.documents.isEmpty() && !doc.explicitStart && !m_lastDocumentClosed) {
            // yaml-cpp ends a document silently where the indentation breaks (`- a\nb: 1`);
            // Psych and GitLab reject it. Report it rather than silently dropping content.
            throw LoadAbort{error(QStringLiteral("yaml-syntax"),
                                  QCoreApplication::translate(
                                      "stagecraft::yaml",
                                      "did not find expected key: this line does not fit the "
                                      "structure above it (check its indentation)"),
                                  doc.start)};
        }
        m_result.documents.append(doc);
        m_anchors.clear();
    }

    void OnDocumentEnd() override
    {
        m_lastDocumentClosed = false;
        if (!m_stack.empty())
            return;
        m_result.documents.last().root = m_rootNode;
        m_rootNode = Node();
    }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        Location loc = location(mark);
        // A null written as `~` or `null` has a width; an empty value has none.
        if (m_source.startsWithAt(mark.pos, "~")) {
            loc.endColumn = loc.column + 1;
        } else if (m_source.startsWithAt(mark.pos, "null") || m_source.startsWithAt(mark.pos, "Null")
                   || m_source.startsWithAt(mark.pos, "NULL")) {
            loc.endColumn = loc.column + 4;
        }
        add(Node::makeNull(loc), anchor);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            throw LoadAbort{error(QStringLiteral("yaml-recursive-alias"),
                                  QCoreApplication::translate(
                                      "stagecraft::yaml",
                                      "an alias refers to a node that contains it (recursive alias)"),
                                  location(mark))};
        }
        checkSize(it->second, mark);
        add(it->second, 0, /*fromAlias=*/true);
    }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                  const std::string &value) override
    {
        const QString text = QString::fromStdString(value);
        Node::Style style = Node::Style::Plain;
        if (tag == "!") {
            switch (m_source.at(mark.pos)) {
            case '"':
                style = Node::Style::DoubleQuoted;
                break;
            case '\'':
                style = Node::Style::SingleQuoted;
                break;
            case '|':
                style = Node::Style::Literal;
                break;
            case '>':
                style = Node::Style::Folded;
                break;
            default:
                style = Node::Style::DoubleQuoted;
                break;
            }
        }
        Location loc = location(mark);
        const qsizetype end = m_source.scalarEnd(mark.pos, style, text);
        if (end < 0) {
            throw LoadAbort{error(
                QStringLiteral("yaml-syntax"),
                QCoreApplication::translate("stagecraft::yaml",
                                            "found unexpected end of stream while scanning a "
                                            "quoted scalar (the closing quote is missing)"),
                loc)};
        }
        loc.endLine = m_source.lineOf(end > mark.pos ? end - 1 : end);
        loc.endColumn = m_source.columnOf(end);
        if (loc.endLine != loc.line && style == Node::Style::Plain)
            loc.endLine = loc.line;
        add(Node::makeScalar(text, loc, style, normalisedTag(tag)), anchor);
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value style) override
    {
        push(Frame::Sequence, mark, tag, anchor, style);
    }

    void OnSequenceEnd() override
    {
        Frame frame = pop();
        Node node = Node::makeSequence(std::move(frame.items), frame.location, frame.tag,
                                       frame.style);
        finish(node, frame);
    }

    void OnMapStart(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value style) override
    {
        push(Frame::Map, mark, tag, anchor, style);
    }

    void OnMapEnd() override
    {
        Frame frame = pop();
        Node node = Node::makeMap(buildMapEntries(frame), frame.location, frame.tag, frame.style);
        finish(node, frame);
    }

    /// The innermost flow collection still open (for "end of flow not found" errors).
    std::optional<std::pair<bool, Location>> innermostOpenFlow() const
    {
        for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it) {
            if (it->style == Node::Style::Flow)
                return std::make_pair(it->kind == Frame::Map, it->location);
        }
        return std::nullopt;
    }

private:
    struct Frame
    {
        enum Kind { Sequence, Map } kind = Sequence;
        Location location;
        QString tag;
        Node::Style style = Node::Style::Block;
        YAML::anchor_t anchor = 0;
        std::vector<Node> items;          // sequence items, or map keys and values interleaved
        std::vector<bool> fromAlias;      // per item: written as an alias (`<<: *x`)
    };

    Location location(const YAML::Mark &mark) const
    {
        Location loc;
        loc.file = m_file;
        loc.line = mark.line + 1;
        loc.column = mark.pos >= 0 ? m_source.columnOf(mark.pos) : mark.column + 1;
        loc.endLine = loc.line;
        loc.endColumn = loc.column;
        return loc;
    }

    Diagnostic error(const QString &code, const QString &message, const Location &loc) const
    {
        return diag::make(Severity::Error, code, message, m_file, loc.line, loc.column,
                          loc.endLine, loc.endColumn);
    }

    static QString normalisedTag(const std::string &tag)
    {
        if (tag.empty() || tag == "?" || tag == "!")
            return {};
        return QString::fromStdString(tag);
    }

    void push(Frame::Kind kind, const YAML::Mark &mark, const std::string &tag,
              YAML::anchor_t anchor, YAML::EmitterStyle::value style)
    {
        if (int(m_stack.size()) >= m_limits.maxDepth) {
            throw LoadAbort{error(
                QStringLiteral("yaml-too-deep"),
                QCoreApplication::translate("stagecraft::yaml",
                                            "The parsed YAML is too big: nesting is deeper than "
                                            "%1 levels")
                    .arg(m_limits.maxDepth),
                location(mark))};
        }
        Frame frame;
        frame.kind = kind;
        frame.location = location(mark);
        frame.tag = normalisedTag(tag);
        frame.style = style == YAML::EmitterStyle::Flow ? Node::Style::Flow : Node::Style::Block;
        frame.anchor = anchor;
        m_stack.push_back(std::move(frame));
    }

    Frame pop()
    {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        return frame;
    }

    void finish(const Node &node, const Frame &frame)
    {
        checkSize(node, {});
        add(node, frame.anchor);
    }

    void checkSize(const Node &node, const YAML::Mark &mark)
    {
        if (node.expandedSize() > m_limits.maxExpandedNodes) {
            Location loc = node.location();
            if (mark.line >= 0 && mark.pos > 0)
                loc = location(mark);
            throw LoadAbort{error(QStringLiteral("yaml-too-big"),
                                  QCoreApplication::translate(
                                      "stagecraft::yaml",
                                      "The parsed YAML is too big: aliases expand it to more than "
                                      "%1 nodes")
                                      .arg(m_limits.maxExpandedNodes),
                                  loc)};
        }
    }

    void add(const Node &node, YAML::anchor_t anchor, bool fromAlias = false)
    {
        if (anchor != 0)
            m_anchors[anchor] = node;
        if (m_stack.empty()) {
            m_rootNode = node;
            return;
        }
        m_stack.back().items.push_back(node);
        m_stack.back().fromAlias.push_back(fromAlias);
    }

    std::vector<MapEntry> buildMapEntries(Frame &frame)
    {
        std::vector<MapEntry> entries;
        std::unordered_map<QString, size_t> index;
        std::vector<Node> merges; // values of `<<` keys, in order
        auto &items = frame.items;
        for (size_t i = 0; i + 1 < items.size(); i += 2) {
            const Node &key = items[i];
            const Node &value = items[i + 1];
            if (key.isScalar() && !key.isQuoted() && key.scalar() == u"<<") {
                merges.push_back(value);
                continue;
            }
            const QString name = key.isScalar() ? key.scalar() : QString();
            if (auto it = index.find(name); it != index.end()) {
                const Location &first = entries[it->second].key.location();
                Diagnostic d = diag::make(
                    Severity::Warning, QStringLiteral("yaml-duplicate-key"),
                    QCoreApplication::translate("stagecraft::yaml",
                                                "duplicate key \"%1\": this value replaces the one "
                                                "at line %2")
                        .arg(name)
                        .arg(first.line),
                    m_file, key.location().line, key.location().column, key.location().endLine,
                    key.location().endColumn);
                m_result.diagnostics.append(d);
                entries[it->second] = {key, value};
                continue;
            }
            index.emplace(name, entries.size());
            entries.push_back({key, value});
        }
        // `<<` merge keys: explicit keys win; among merged maps, the first one listed wins.
        for (const Node &merge : merges) {
            std::vector<Node> sources;
            if (merge.isMap()) {
                sources.push_back(merge);
            } else if (merge.isSequence()) {
                for (const Node &item : merge.items())
                    sources.push_back(item);
            } else {
                sources.push_back(merge);
            }
            for (const Node &source : sources) {
                if (!source.isMap()) {
                    const Location &loc = source.location().isValid() ? source.location()
                                                                     : frame.location;
                    throw LoadAbort{
                        error(QStringLiteral("yaml-merge-key"),
                              QCoreApplication::translate("stagecraft::yaml",
                                                          "the value of a merge key (<<) must be a "
                                                          "map or a list of maps"),
                              loc)};
                }
                for (const MapEntry &entry : source.entries()) {
                    const QString name = entry.key.scalar();
                    if (index.count(name))
                        continue;
                    index.emplace(name, entries.size());
                    entries.push_back(entry);
                }
            }
        }
        return entries;
    }

    const SourceMap &m_source;
    QString m_file;
    LoadLimits m_limits;
    LoadResult &m_result;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, Node> m_anchors;
    Node m_rootNode;
    bool m_lastDocumentClosed = false;
};

} // namespace

LoadResult Loader::load(const QByteArray &text, const QString &fileName, const LoadLimits &limits)
{
    LoadResult result;
    if (text.size() > limits.maxFileBytes) {
        result.ok = false;
        result.diagnostics.append(diag::make(
            Severity::Error, QStringLiteral("yaml-too-big"),
            QCoreApplication::translate("stagecraft::yaml",
                                        "The parsed YAML is too big: the file has %1 bytes, the "
                                        "limit is %2")
                .arg(text.size())
                .arg(limits.maxFileBytes),
            fileName, 1, 1));
        return result;
    }
    if (text.contains('\0')) {
        result.ok = false;
        const int line = int(text.left(text.indexOf('\0')).count('\n')) + 1;
        result.diagnostics.append(diag::make(
            Severity::Error, QStringLiteral("yaml-syntax"),
            QCoreApplication::translate("stagecraft::yaml",
                                        "control characters are not allowed (a NUL byte)"),
            fileName, line, 1));
        return result;
    }
    const SourceMap source(text);
    std::istringstream stream(text.toStdString());
    Builder builder(source, fileName, limits, result);
    try {
        YAML::Parser parser(stream);
        while (parser.HandleNextDocument(builder)) {
        }
    } catch (const LoadAbort &abort) {
        result.ok = false;
        result.diagnostics.append(abort.diagnostic);
    } catch (const YAML::DeepRecursion &e) {
        result.ok = false;
        result.diagnostics.append(diag::make(
            Severity::Error, QStringLiteral("yaml-too-deep"),
            QCoreApplication::translate("stagecraft::yaml",
                                        "The parsed YAML is too big: nesting is too deep"),
            fileName, e.mark.line + 1, e.mark.column + 1));
    } catch (const YAML::Exception &e) {
        result.ok = false;
        const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
        const int column = e.mark.is_null() ? 1 : source.columnOf(e.mark.pos);
        const QString message = QString::fromStdString(e.msg);
        // yaml-cpp notices an unclosed `[` or `{` where the document ends; point at the bracket.
        const auto flow = builder.innermostOpenFlow();
        if (flow && message.contains(QStringLiteral("flow not found"))) {
            Diagnostic d = diag::make(
                Severity::Error, QStringLiteral("yaml-syntax"),
                flow->first ? QCoreApplication::translate("stagecraft::yaml",
                                                          "this flow mapping '{' is never closed")
                            : QCoreApplication::translate("stagecraft::yaml",
                                                          "this flow sequence '[' is never closed"),
                fileName, flow->second.line, flow->second.column, flow->second.line,
                flow->second.column + 1);
            d.hint = QCoreApplication::translate("stagecraft::yaml",
                                                 "yaml-cpp: %1 (noticed at line %2)")
                         .arg(message)
                         .arg(line);
            result.diagnostics.append(d);
        } else {
            result.diagnostics.append(diag::make(Severity::Error, QStringLiteral("yaml-syntax"),
                                                 message, fileName, line, column));
        }
    } catch (const std::exception &e) {
        result.ok = false;
        result.diagnostics.append(diag::make(Severity::Error, QStringLiteral("yaml-syntax"),
                                             QString::fromLocal8Bit(e.what()), fileName, 1, 1));
    }
    return result;
}

LoadResult Loader::loadFile(const QString &path, const QString &displayName,
                            const LoadLimits &limits)
{
    const QFileInfo info(path);
    if (info.exists() && info.size() > limits.maxFileBytes) {
        LoadResult result;
        result.ok = false;
        result.diagnostics.append(diag::make(
            Severity::Error, QStringLiteral("yaml-too-big"),
            QCoreApplication::translate("stagecraft::yaml",
                                        "The parsed YAML is too big: the file has %1 bytes, the "
                                        "limit is %2")
                .arg(info.size())
                .arg(limits.maxFileBytes),
            displayName, 1, 1));
        return result;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        LoadResult result;
        result.ok = false;
        result.diagnostics.append(diag::make(
            Severity::Error, QStringLiteral("io-error"),
            QCoreApplication::translate("stagecraft::yaml", "cannot read %1: %2")
                .arg(displayName, file.errorString()),
            displayName));
        return result;
    }
    return load(file.readAll(), displayName, limits);
}

} // namespace stagecraft::yaml
