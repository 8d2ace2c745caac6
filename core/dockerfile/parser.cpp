#include "parser.h"

#include "levenshtein.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace stagecraft::dockerfile {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::dockerfile", text);
}

bool isSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\f' || c == u'\v' || c == u'\n';
}

bool isNameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= u'0' && c <= u'9');
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SourceText

Position SourceText::at(qsizetype index) const
{
    if (index >= 0 && index < positions.size())
        return positions.at(index);
    return endPosition;
}

Range SourceText::range(qsizetype from, qsizetype to) const
{
    from = qBound<qsizetype>(0, from, text.size());
    to = qBound<qsizetype>(from, to, text.size());
    if (from == to)
        return Range{at(from), at(from)};
    const Position last = positions.at(to - 1);
    return Range{positions.at(from), Position{last.line, last.column + 1}};
}

SourceText SourceText::mid(qsizetype from, qsizetype length) const
{
    SourceText out;
    from = qBound<qsizetype>(0, from, text.size());
    if (length < 0 || from + length > text.size())
        length = text.size() - from;
    out.text = text.mid(from, length);
    out.positions = positions.mid(from, length);
    out.endPosition = from + length < text.size() ? positions.at(from + length)
                      : length > 0
                          ? Position{out.positions.last().line, out.positions.last().column + 1}
                          : at(from);
    return out;
}

SourceText SourceText::trimmed() const
{
    qsizetype a = 0;
    qsizetype b = text.size();
    while (a < b && isSpace(text.at(a)))
        ++a;
    while (b > a && isSpace(text.at(b - 1)))
        --b;
    return mid(a, b - a);
}

void SourceText::append(QChar c, Position p)
{
    text.append(c);
    positions.append(p);
    endPosition = Position{p.line, p.column + 1};
}

void SourceText::appendRun(QStringView chars, int line, int column)
{
    if (chars.isEmpty())
        return;
    text.append(chars);
    const qsizetype base = positions.size();
    positions.resize(base + chars.size());
    Position *p = positions.data() + base;
    for (qsizetype k = 0; k < chars.size(); ++k)
        p[k] = Position{line, column + int(k)};
    endPosition = Position{line, column + int(chars.size())};
}

const Flag *Instruction::flag(QStringView flagName) const
{
    for (const Flag &f : flags) {
        if (f.name == flagName)
            return &f;
    }
    return nullptr;
}

const Directive *Dockerfile::directive(QStringView name) const
{
    for (const Directive &d : directives) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

QString unquote(QStringView word, QChar escape)
{
    QString out;
    out.reserve(word.size());
    QChar quote;
    for (qsizetype i = 0; i < word.size(); ++i) {
        const QChar c = word.at(i);
        if (quote.isNull()) {
            if (c == u'\'' || c == u'"') {
                quote = c;
            } else if (c == escape && i + 1 < word.size()) {
                out.append(word.at(++i));
            } else {
                out.append(c);
            }
        } else if (c == quote) {
            quote = QChar();
        } else if (quote == u'"' && c == escape && i + 1 < word.size() &&
                   (word.at(i + 1) == u'"' || word.at(i + 1) == escape || word.at(i + 1) == u'$')) {
            out.append(word.at(++i));
        } else {
            out.append(c);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Variable references

QList<VariableReference> variableReferences(QStringView text, QChar escape,
                                            SubstitutionError *error)
{
    QList<VariableReference> refs;
    bool inSingle = false;
    bool inDouble = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inSingle) {
            if (c == u'\'')
                inSingle = false;
            continue;
        }
        if (c == escape) {
            ++i;
            continue;
        }
        if (c == u'\'' && !inDouble) {
            inSingle = true;
            continue;
        }
        if (c == u'"') {
            inDouble = !inDouble;
            continue;
        }
        if (c != u'$' || i + 1 >= text.size())
            continue;
        const QChar n = text.at(i + 1);
        if (n == u'{') {
            qsizetype j = i + 2;
            const qsizetype nameStart = j;
            while (j < text.size() && isNameChar(text.at(j)))
                ++j;
            VariableReference ref;
            ref.braced = true;
            ref.start = i;
            ref.name = text.mid(nameStart, j - nameStart).toString();
            if (j >= text.size()) {
                if (error && error->offset < 0)
                    *error = {tr("syntax error: missing '}'"), i};
                return refs;
            }
            if (ref.name.isEmpty()) {
                if (error && error->offset < 0)
                    *error = {tr("bad substitution"), i};
                i = j;
                continue;
            }
            if (text.at(j) != u'}') {
                // modifier
                static const QStringList modifiers = {
                    QStringLiteral(":-"), QStringLiteral(":+"), QStringLiteral(":?"),
                    QStringLiteral("##"), QStringLiteral("%%"), QStringLiteral("//"),
                    QStringLiteral("-"),  QStringLiteral("+"),  QStringLiteral("?"),
                    QStringLiteral("#"),  QStringLiteral("%"),  QStringLiteral("/")};
                for (const QString &m : modifiers) {
                    if (text.mid(j).startsWith(m)) {
                        ref.modifier = m;
                        break;
                    }
                }
                if (ref.modifier.isEmpty()) {
                    if (error && error->offset < 0) {
                        *error = {tr("unsupported modifier (%1) in substitution").arg(text.at(j)),
                                  i};
                    }
                }
                // find the matching brace, honouring nesting
                qsizetype k = j + ref.modifier.size();
                const qsizetype wordStart = k;
                int depth = 1;
                while (k < text.size()) {
                    const QChar d = text.at(k);
                    if (d == escape) {
                        k += 2;
                        continue;
                    }
                    if (d == u'$' && k + 1 < text.size() && text.at(k + 1) == u'{') {
                        ++depth;
                        k += 2;
                        continue;
                    }
                    if (d == u'}' && --depth == 0)
                        break;
                    ++k;
                }
                if (k >= text.size()) {
                    if (error && error->offset < 0)
                        *error = {tr("syntax error: missing '}'"), i};
                    return refs;
                }
                ref.word = text.mid(wordStart, k - wordStart).toString();
                ref.end = k + 1;
                refs.append(ref);
                const auto nested = variableReferences(ref.word, escape, nullptr);
                for (VariableReference inner : nested) {
                    inner.start += wordStart;
                    inner.end += wordStart;
                    refs.append(inner);
                }
                i = k;
                continue;
            }
            ref.end = j + 1;
            refs.append(ref);
            i = j;
        } else if (isNameStart(n)) {
            qsizetype j = i + 1;
            while (j < text.size() && isNameChar(text.at(j)))
                ++j;
            VariableReference ref;
            ref.start = i;
            ref.end = j;
            ref.name = text.mid(i + 1, j - i - 1).toString();
            refs.append(ref);
            i = j - 1;
        }
    }
    return refs;
}

/// BuildKit's word expansion, enough for FROM: plain references and the -, :-, +, :+ modifiers;
/// quotes removed. Unknown variables expand to nothing.
QString expandVariables(const QString &text, const QHash<QString, QString> &values, QChar escape)
{
    const auto refs = variableReferences(text, escape);
    QString out;
    qsizetype last = 0;
    for (const VariableReference &r : refs) {
        if (r.start < last)
            continue; // nested inside a modifier word, handled by recursion
        out += text.mid(last, r.start - last);
        const bool set = values.contains(r.name);
        QString value = values.value(r.name);
        if ((r.modifier == u":-" && value.isEmpty()) || (r.modifier == u"-" && !set))
            value = expandVariables(r.word, values, escape);
        else if (r.modifier == u":+")
            value = value.isEmpty() ? QString() : expandVariables(r.word, values, escape);
        else if (r.modifier == u"+")
            value = set ? expandVariables(r.word, values, escape) : QString();
        out += value;
        last = r.end;
    }
    out += text.mid(last);
    return unquote(out, escape);
}

// ---------------------------------------------------------------------------------------------
// Parser

namespace {

enum class FlagType { String, Strings, Bool };

struct FlagSpec
{
    const char16_t *name;
    FlagType type;
};

QList<FlagSpec> flagSpecs(const QString &instruction)
{
    if (instruction == u"FROM")
        return {{u"platform", FlagType::String}};
    if (instruction == u"RUN")
        return {{u"mount", FlagType::Strings},
                {u"network", FlagType::String},
                {u"security", FlagType::String},
                {u"device", FlagType::Strings}};
    if (instruction == u"COPY")
        return {{u"from", FlagType::String},  {u"chown", FlagType::String},
                {u"chmod", FlagType::String}, {u"link", FlagType::Bool},
                {u"parents", FlagType::Bool}, {u"exclude", FlagType::Strings}};
    if (instruction == u"ADD")
        return {{u"chown", FlagType::String},    {u"chmod", FlagType::String},
                {u"link", FlagType::Bool},       {u"keep-git-dir", FlagType::Bool},
                {u"checksum", FlagType::String}, {u"exclude", FlagType::Strings},
                {u"unpack", FlagType::Bool}};
    if (instruction == u"HEALTHCHECK")
        return {{u"interval", FlagType::String},
                {u"timeout", FlagType::String},
                {u"start-period", FlagType::String},
                {u"start-interval", FlagType::String},
                {u"retries", FlagType::String}};
    return {};
}

bool allowsHeredoc(const QString &name)
{
    return name == u"RUN" || name == u"COPY" || name == u"ADD";
}

bool maybeJson(const QString &name)
{
    return name == u"RUN" || name == u"CMD" || name == u"ENTRYPOINT" || name == u"SHELL" ||
           name == u"ADD" || name == u"COPY" || name == u"VOLUME";
}

/// Minimal JSON reader: enough to tell "array of strings" (with the position of each string)
/// from "valid JSON that is not an array of strings" from "not JSON", as Go's json.Unmarshal.
class JsonReader
{
public:
    explicit JsonReader(QStringView t)
        : m_t(t)
    {
    }

    enum Result { StringArray, NotStringArray, Invalid };

    Result readArray(QList<Word> &words)
    {
        skipWs();
        if (!eat(u'['))
            return Invalid;
        bool allStrings = true;
        skipWs();
        if (eat(u']')) {
            skipWs();
            return m_i == m_t.size() ? StringArray : Invalid;
        }
        while (true) {
            skipWs();
            if (peek() == u'"') {
                Word w;
                w.offset = m_i;
                QString s;
                if (!readString(&s))
                    return Invalid;
                w.text = s;
                w.length = m_i - w.offset;
                words.append(w);
            } else {
                allStrings = false;
                if (!readValue())
                    return Invalid;
            }
            skipWs();
            if (eat(u','))
                continue;
            if (eat(u']'))
                break;
            return Invalid;
        }
        skipWs();
        if (m_i != m_t.size())
            return Invalid;
        return allStrings ? StringArray : NotStringArray;
    }

private:
    QChar peek() const { return m_i < m_t.size() ? m_t.at(m_i) : QChar(); }
    bool eat(QChar c)
    {
        if (peek() == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    void skipWs()
    {
        while (m_i < m_t.size() && (m_t.at(m_i) == u' ' || m_t.at(m_i) == u'\t' ||
                                    m_t.at(m_i) == u'\n' || m_t.at(m_i) == u'\r'))
            ++m_i;
    }
    bool readString(QString *out)
    {
        if (!eat(u'"'))
            return false;
        while (m_i < m_t.size()) {
            const QChar c = m_t.at(m_i++);
            if (c == u'"')
                return true;
            if (c.unicode() < 0x20)
                return false;
            if (c == u'\\') {
                if (m_i >= m_t.size())
                    return false;
                const QChar e = m_t.at(m_i++);
                switch (e.unicode()) {
                case '"':
                    out->append(u'"');
                    break;
                case '\\':
                    out->append(u'\\');
                    break;
                case '/':
                    out->append(u'/');
                    break;
                case 'b':
                    out->append(u'\b');
                    break;
                case 'f':
                    out->append(u'\f');
                    break;
                case 'n':
                    out->append(u'\n');
                    break;
                case 'r':
                    out->append(u'\r');
                    break;
                case 't':
                    out->append(u'\t');
                    break;
                case 'u': {
                    if (m_i + 4 > m_t.size())
                        return false;
                    bool ok = false;
                    const ushort code = m_t.mid(m_i, 4).toString().toUShort(&ok, 16);
                    if (!ok)
                        return false;
                    out->append(QChar(code));
                    m_i += 4;
                    break;
                }
                default:
                    return false;
                }
            } else {
                out->append(c);
            }
        }
        return false;
    }
    bool readValue()
    {
        skipWs();
        const QChar c = peek();
        if (c == u'"')
            return readString(&m_scratch);
        if (c == u'[') {
            ++m_i;
            skipWs();
            if (eat(u']'))
                return true;
            while (true) {
                if (!readValue())
                    return false;
                skipWs();
                if (eat(u','))
                    continue;
                return eat(u']');
            }
        }
        if (c == u'{') {
            ++m_i;
            skipWs();
            if (eat(u'}'))
                return true;
            while (true) {
                skipWs();
                if (!readString(&m_scratch))
                    return false;
                skipWs();
                if (!eat(u':') || !readValue())
                    return false;
                skipWs();
                if (eat(u','))
                    continue;
                return eat(u'}');
            }
        }
        for (const QStringView lit : {u"true", u"false", u"null"}) {
            if (m_t.mid(m_i).startsWith(lit)) {
                m_i += lit.size();
                return true;
            }
        }
        const qsizetype start = m_i;
        eat(u'-');
        while (m_i < m_t.size() &&
               (m_t.at(m_i).isDigit() || m_t.at(m_i) == u'.' || m_t.at(m_i) == u'e' ||
                m_t.at(m_i) == u'E' || m_t.at(m_i) == u'+' || m_t.at(m_i) == u'-'))
            ++m_i;
        return m_i > start && m_t.at(m_i - 1).isDigit();
    }

    QStringView m_t;
    qsizetype m_i = 0;
    QString m_scratch;
};

struct RawLine
{
    QStringView text;
    int number = 0;
};

class Builder
{
public:
    Builder(const QString &text, const QString &file)
        : m_source(text)
    {
        m_df.file = file;
        QStringView all(m_source);
        if (all.startsWith(QChar(0xfeff)))
            all = all.mid(1);
        int number = 1;
        while (!all.isEmpty()) {
            qsizetype nl = all.indexOf(u'\n');
            QStringView line = nl < 0 ? all : all.left(nl);
            if (line.endsWith(u'\r'))
                line.chop(1);
            m_lines.append(RawLine{line, number++});
            if (nl < 0)
                break;
            all = all.mid(nl + 1);
        }
        m_df.lineCount = int(m_lines.size());
    }

    Dockerfile run()
    {
        qsizetype i = 0;
        bool directives = true;
        while (i < m_lines.size()) {
            const RawLine &line = m_lines.at(i);
            if (directives) {
                if (parseDirective(line)) {
                    ++i;
                    continue;
                }
                directives = false;
            }
            qsizetype lead = 0;
            while (lead < line.text.size() && isSpace(line.text.at(lead)))
                ++lead;
            if (lead == line.text.size()) {
                ++i;
                continue;
            }
            if (line.text.at(lead) == u'#') {
                addComment(line, lead, false);
                ++i;
                continue;
            }
            // An instruction, possibly continued over several lines.
            SourceText st;
            bool continues = appendSegment(st, line, lead);
            ++i;
            while (continues && i < m_lines.size()) {
                const RawLine &next = m_lines.at(i);
                qsizetype l = 0;
                while (l < next.text.size() && isSpace(next.text.at(l)))
                    ++l;
                if (l < next.text.size() && next.text.at(l) == u'#') {
                    addComment(next, l, true);
                    ++i;
                    continue;
                }
                if (l == next.text.size()) {
                    m_df.emptyContinuationLines.append(next.number);
                    ++i;
                    continue;
                }
                continues = appendSegment(st, next, 0);
                ++i;
            }
            const int endLine = m_lines.at(i - 1).number;
            Instruction ins = parseInstruction(st, false);
            ins.endLine = endLine;
            ins.range.end = Position{endLine, int(m_lines.at(i - 1).text.size()) + 1};
            // Heredoc bodies follow the instruction line (for ONBUILD, the trigger's).
            QList<Heredoc> *docs = &ins.heredocs;
            std::shared_ptr<Instruction> trigger;
            if (ins.trigger && !ins.trigger->heredocs.isEmpty()) {
                trigger = std::make_shared<Instruction>(*ins.trigger);
                docs = &trigger->heredocs;
            }
            for (Heredoc &doc : *docs) {
                while (i < m_lines.size()) {
                    const RawLine &body = m_lines.at(i);
                    ++i;
                    QStringView candidate = body.text;
                    if (doc.chomp) {
                        while (candidate.startsWith(u'\t'))
                            candidate = candidate.mid(1);
                    }
                    if (candidate == doc.delimiter) {
                        doc.terminated = true;
                        ins.range.end = Position{body.number, int(body.text.size()) + 1};
                        break;
                    }
                    qsizetype skip = 0;
                    if (doc.chomp) {
                        while (skip < body.text.size() && body.text.at(skip) == u'\t')
                            ++skip;
                    }
                    doc.body.appendRun(body.text.mid(skip), body.number, int(skip) + 1);
                    doc.body.append(u'\n', Position{body.number, int(body.text.size()) + 1});
                    ins.range.end = Position{body.number, int(body.text.size()) + 1};
                }
                if (!doc.terminated) {
                    error(QStringLiteral("unterminated-heredoc"), tr("unterminated heredoc"),
                          doc.markerRange);
                    break;
                }
            }
            if (trigger) {
                trigger->range.end = ins.range.end;
                ins.trigger = trigger;
            }
            m_df.instructions.append(ins);
        }
        finish();
        return std::move(m_df);
    }

private:
    void error(const QString &code, const QString &message, Range r,
               diag::Severity severity = diag::Severity::Error, const QString &hint = {})
    {
        diag::Diagnostic d = diag::make(severity, code, message, m_df.file, r.start.line,
                                        r.start.column, r.end.line, r.end.column);
        d.hint = hint;
        m_df.diagnostics.append(d);
    }

    void addComment(const RawLine &line, qsizetype at, bool inside)
    {
        Comment c;
        c.text = line.text.mid(at + 1).toString();
        c.range = Range{Position{line.number, int(at) + 1},
                        Position{line.number, int(line.text.size()) + 1}};
        c.insideInstruction = inside;
        m_df.comments.append(c);
    }

    /// `# name=value` at the top of the file. Returns false when the line ends the directives.
    bool parseDirective(const RawLine &line)
    {
        QStringView t = line.text;
        if (!t.startsWith(u'#'))
            return false;
        qsizetype i = 1;
        while (i < t.size() && (t.at(i) == u' ' || t.at(i) == u'\t'))
            ++i;
        const qsizetype nameStart = i;
        if (i >= t.size() || !t.at(i).isLetter() || t.at(i).unicode() > 127)
            return false;
        while (i < t.size() && t.at(i).unicode() < 128 && t.at(i).isLetterOrNumber())
            ++i;
        const QString name = t.mid(nameStart, i - nameStart).toString().toLower();
        while (i < t.size() && (t.at(i) == u' ' || t.at(i) == u'\t'))
            ++i;
        if (i >= t.size() || t.at(i) != u'=')
            return false;
        ++i;
        while (i < t.size() && (t.at(i) == u' ' || t.at(i) == u'\t'))
            ++i;
        qsizetype end = t.size();
        while (end > i && (t.at(end - 1) == u' ' || t.at(end - 1) == u'\t'))
            --end;
        if (end <= i)
            return false;
        if (name != u"syntax" && name != u"escape" && name != u"check")
            return false; // unknown directives are comments, and end the directive block
        Directive d;
        d.name = name;
        d.value = t.mid(i, end - i).toString();
        d.range = Range{Position{line.number, 1}, Position{line.number, int(t.size()) + 1}};
        d.valueRange =
            Range{Position{line.number, int(i) + 1}, Position{line.number, int(end) + 1}};
        if (m_df.directive(name)) {
            error(QStringLiteral("duplicate-directive"),
                  tr("only one %1 parser directive can be used").arg(name), d.range);
            return true;
        }
        if (name == u"escape") {
            if (d.value != u"`" && d.value != u"\\") {
                error(QStringLiteral("invalid-directive"),
                      tr("invalid escape token '%1' does not match ` or \\").arg(d.value),
                      d.valueRange);
            } else {
                m_df.escape = d.value.at(0);
            }
        }
        m_df.directives.append(d);
        return true;
    }

    /// Appends one physical line from `from` to `st`; returns true when it ends with the escape
    /// character (a continuation), which is removed together with trailing blanks.
    bool appendSegment(SourceText &st, const RawLine &line, qsizetype from)
    {
        qsizetype end = line.text.size();
        qsizetype e = end;
        while (e > from && (line.text.at(e - 1) == u' ' || line.text.at(e - 1) == u'\t'))
            --e;
        bool continues = false;
        if (e > from && line.text.at(e - 1) == m_df.escape) {
            continues = true;
            end = e - 1;
        }
        // Grow geometrically: exact reserves would copy a long RUN once per continuation line.
        const qsizetype needed = st.text.size() + (end - from);
        if (st.text.capacity() < needed) {
            st.text.reserve(needed * 2);
            st.positions.reserve(needed * 2);
        }
        st.appendRun(line.text.mid(from, end - from), line.number, int(from) + 1);
        if (end == from && st.positions.isEmpty())
            st.endPosition = Position{line.number, int(from) + 1};
        return continues;
    }

    QList<Word> splitWhitespace(const SourceText &args)
    {
        QList<Word> words;
        const QString &t = args.text;
        qsizetype i = 0;
        while (i < t.size()) {
            while (i < t.size() && isSpace(t.at(i)))
                ++i;
            if (i >= t.size())
                break;
            const qsizetype s = i;
            while (i < t.size() && !isSpace(t.at(i)))
                ++i;
            words.append(Word{t.mid(s, i - s), args.range(s, i), s, i - s});
        }
        return words;
    }

    /// BuildKit's parseWords: quote-aware, quotes kept.
    QList<Word> splitQuoted(const SourceText &args)
    {
        QList<Word> words;
        const QString &t = args.text;
        const QChar esc = m_df.escape;
        qsizetype i = 0;
        while (i < t.size()) {
            while (i < t.size() && isSpace(t.at(i)))
                ++i;
            if (i >= t.size())
                break;
            const qsizetype s = i;
            QChar quote;
            while (i < t.size()) {
                const QChar c = t.at(i);
                if (quote.isNull()) {
                    if (isSpace(c))
                        break;
                    if (c == u'\'' || c == u'"')
                        quote = c;
                    else if (c == esc && i + 1 < t.size())
                        ++i;
                } else if (c == quote) {
                    quote = QChar();
                } else if (c == esc && quote != u'\'' && i + 1 < t.size()) {
                    ++i;
                }
                ++i;
            }
            words.append(Word{t.mid(s, i - s), args.range(s, i), s, i - s});
        }
        return words;
    }

    void extractFlags(Instruction &ins, SourceText &rest)
    {
        const QString &t = rest.text;
        qsizetype i = 0;
        while (true) {
            while (i < t.size() && isSpace(t.at(i)))
                ++i;
            if (i + 1 >= t.size() || t.at(i) != u'-' || t.at(i + 1) != u'-')
                break;
            const qsizetype s = i;
            QString word;
            QChar quote;
            qsizetype eq = -1;
            while (i < t.size()) {
                const QChar c = t.at(i);
                if (quote.isNull()) {
                    if (isSpace(c))
                        break;
                    if (c == u'\'' || c == u'"') {
                        quote = c;
                        ++i;
                        continue;
                    }
                    if (c == u'\\' && i + 1 < t.size()) {
                        word.append(t.at(i + 1));
                        i += 2;
                        continue;
                    }
                    if (c == u'=' && eq < 0)
                        eq = i;
                    word.append(c);
                    ++i;
                } else {
                    if (c == quote) {
                        quote = QChar();
                    } else if (c == u'\\' && i + 1 < t.size()) {
                        word.append(t.at(++i));
                    } else {
                        word.append(c);
                    }
                    ++i;
                }
            }
            if (word == u"--") {
                break;
            }
            Flag f;
            const qsizetype cut = word.indexOf(u'=');
            f.name = word.mid(2, cut < 0 ? -1 : cut - 2);
            f.hasValue = cut >= 0;
            f.value = cut >= 0 ? word.mid(cut + 1) : QString();
            f.range = rest.range(s, i);
            f.valueRange = eq >= 0 ? rest.range(eq + 1, i) : rest.range(i, i);
            ins.flags.append(f);
        }
        rest = rest.mid(i).trimmed();
    }

    void validateFlags(const Instruction &ins)
    {
        const QList<FlagSpec> specs = flagSpecs(ins.name);
        QStringList seen;
        for (const Flag &f : ins.flags) {
            const FlagSpec *spec = nullptr;
            for (const FlagSpec &s : specs) {
                if (f.name == QStringView(s.name))
                    spec = &s;
            }
            if (!spec) {
                QString hint;
                for (const FlagSpec &s : specs) {
                    const QString candidate = QString::fromUtf16(s.name);
                    if (candidate.startsWith(f.name.left(3)) && !f.name.isEmpty())
                        hint = tr("did you mean --%1?").arg(candidate);
                }
                error(QStringLiteral("unknown-flag"), tr("unknown flag: %1").arg(f.name), f.range,
                      diag::Severity::Error, hint);
                continue;
            }
            if (seen.contains(f.name) && spec->type != FlagType::Strings) {
                error(QStringLiteral("duplicate-flag"),
                      tr("duplicate flag specified: %1").arg(f.name), f.range);
                continue;
            }
            seen.append(f.name);
            if (spec->type == FlagType::Bool) {
                if (f.hasValue && f.value.isEmpty()) {
                    error(QStringLiteral("invalid-flag"),
                          tr("missing a value on flag: %1").arg(f.name), f.range);
                } else if (f.hasValue && f.value.toLower() != u"true" &&
                           f.value.toLower() != u"false") {
                    error(QStringLiteral("invalid-flag"),
                          tr("expecting boolean value for flag %1, not: %2").arg(f.name, f.value),
                          f.valueRange);
                }
            } else if (!f.hasValue) {
                error(QStringLiteral("invalid-flag"), tr("missing a value on flag: %1").arg(f.name),
                      f.range);
            }
        }
    }

    /// Go's time.ParseDuration, enough to reproduce its errors; returns nanoseconds.
    static std::optional<double> parseDuration(const QString &s, QString *err)
    {
        static const QHash<QString, double> units = {
            {QStringLiteral("ns"), 1},        {QStringLiteral("us"), 1e3},
            {QStringLiteral("\u00b5s"), 1e3}, {QStringLiteral("ms"), 1e6},
            {QStringLiteral("s"), 1e9},       {QStringLiteral("m"), 60e9},
            {QStringLiteral("h"), 3600e9}};
        const QString quoted = u'"' + s + u'"';
        qsizetype i = 0;
        bool negative = false;
        if (i < s.size() && (s.at(i) == u'-' || s.at(i) == u'+')) {
            negative = s.at(i) == u'-';
            ++i;
        }
        if (s.mid(i) == u"0")
            return 0.0;
        if (i >= s.size()) {
            *err = tr("time: invalid duration %1").arg(quoted);
            return std::nullopt;
        }
        double total = 0;
        while (i < s.size()) {
            const qsizetype numStart = i;
            while (i < s.size() && (s.at(i).isDigit() || s.at(i) == u'.'))
                ++i;
            if (i == numStart) {
                *err = tr("time: invalid duration %1").arg(quoted);
                return std::nullopt;
            }
            bool ok = false;
            const double v = s.mid(numStart, i - numStart).toDouble(&ok);
            if (!ok) {
                *err = tr("time: invalid duration %1").arg(quoted);
                return std::nullopt;
            }
            const qsizetype unitStart = i;
            while (i < s.size() && !s.at(i).isDigit() && s.at(i) != u'.')
                ++i;
            const QString unit = s.mid(unitStart, i - unitStart);
            if (unit.isEmpty()) {
                *err = tr("time: missing unit in duration %1").arg(quoted);
                return std::nullopt;
            }
            if (!units.contains(unit)) {
                *err = tr("time: unknown unit %1 in duration %2").arg(u'"' + unit + u'"', quoted);
                return std::nullopt;
            }
            total += v * units.value(unit);
        }
        return negative ? -total : total;
    }

    void validateHealthcheck(Instruction &ins)
    {
        for (const Flag &f : ins.flags) {
            if (!f.hasValue || f.value.isEmpty())
                continue;
            if (f.name == u"retries") {
                bool ok = false;
                const qlonglong n = f.value.toLongLong(&ok);
                if (!ok) {
                    error(QStringLiteral("invalid-flag"),
                          tr("strconv.ParseInt: parsing \"%1\": invalid syntax").arg(f.value),
                          f.valueRange);
                } else if (n < 0) {
                    error(QStringLiteral("invalid-flag"),
                          tr("--retries cannot be negative (%1)").arg(n), f.valueRange);
                }
                continue;
            }
            if (f.name == u"interval" || f.name == u"timeout" || f.name == u"start-period" ||
                f.name == u"start-interval") {
                QString err;
                const auto d = parseDuration(f.value, &err);
                if (!d) {
                    error(QStringLiteral("invalid-flag"), err, f.valueRange);
                } else if (*d != 0 && *d < 1e6) {
                    error(QStringLiteral("invalid-flag"),
                          tr("Interval \"%1\" cannot be less than 1ms").arg(f.name), f.valueRange);
                }
            }
        }
    }

    void parseHeredocs(Instruction &ins)
    {
        const QString &t = ins.args.text;
        // Shell-like words, quotes kept.
        qsizetype i = 0;
        while (i < t.size()) {
            while (i < t.size() && isSpace(t.at(i)))
                ++i;
            const qsizetype s = i;
            QChar quote;
            while (i < t.size()) {
                const QChar c = t.at(i);
                if (quote.isNull()) {
                    if (isSpace(c))
                        break;
                    if (c == u'\'' || c == u'"')
                        quote = c;
                    else if (c == u'\\' && i + 1 < t.size())
                        ++i;
                } else if (c == quote) {
                    quote = QChar();
                } else if (c == u'\\' && quote == u'"' && i + 1 < t.size()) {
                    ++i;
                }
                ++i;
            }
            if (i == s)
                break;
            const QStringView word = QStringView(t).mid(s, i - s);
            qsizetype k = 0;
            while (k < word.size() && word.at(k).isDigit())
                ++k;
            if (!word.mid(k).startsWith(u"<<"))
                continue;
            Heredoc doc;
            if (k > 0)
                doc.fd = word.left(k).toInt();
            k += 2;
            if (k < word.size() && word.at(k) == u'-') {
                doc.chomp = true;
                ++k;
            }
            const QStringView rest = word.mid(k);
            if (rest.isEmpty() || rest.contains(u'<'))
                continue;
            doc.delimiter = unquote(rest, u'\\');
            if (doc.delimiter.isEmpty())
                continue;
            doc.expand = !(rest.contains(u'\'') || rest.contains(u'"'));
            doc.markerRange = ins.args.range(s, i);
            ins.heredocs.append(doc);
        }
    }

    void parseKeyValues(Instruction &ins)
    {
        const SourceText &a = ins.args;
        if (ins.name == u"ARG") {
            for (const Word &w : ins.words) {
                KeyValue kv;
                const qsizetype eq = w.text.indexOf(u'=');
                kv.key = eq < 0 ? w.text : w.text.left(eq);
                kv.hasValue = eq >= 0;
                kv.value = eq < 0 ? QString() : w.text.mid(eq + 1);
                kv.valueOffset = eq < 0 ? w.offset + w.length : w.offset + eq + 1;
                kv.range = w.range;
                kv.keyRange = a.range(w.offset, eq < 0 ? w.offset + w.length : w.offset + eq);
                kv.valueRange = eq < 0 ? Range{w.range.end, w.range.end}
                                       : a.range(w.offset + eq + 1, w.offset + w.length);
                ins.pairs.append(kv);
            }
            return;
        }
        if (ins.words.isEmpty())
            return;
        if (!ins.words.first().text.contains(u'=')) {
            // legacy `KEY name value`
            const Word &first = ins.words.first();
            if (ins.words.size() < 2) {
                error(QStringLiteral("missing-argument"),
                      tr("%1 must have two arguments").arg(ins.name), ins.range);
                return;
            }
            KeyValue kv;
            kv.legacy = true;
            kv.key = first.text;
            kv.hasValue = true;
            qsizetype vs = first.offset + first.length;
            while (vs < a.size() && isSpace(a.text.at(vs)))
                ++vs;
            kv.value = a.text.mid(vs);
            kv.valueOffset = vs;
            kv.keyRange = first.range;
            kv.valueRange = a.range(vs, a.size());
            kv.range = a.range();
            ins.pairs.append(kv);
            return;
        }
        for (const Word &w : ins.words) {
            const qsizetype eq = w.text.indexOf(u'=');
            if (eq < 0) {
                error(QStringLiteral("invalid-argument"),
                      tr("Syntax error - can't find = in \"%1\". Must be of the form: name=value")
                          .arg(w.text),
                      w.range);
                continue;
            }
            KeyValue kv;
            kv.key = unquote(QStringView(w.text).left(eq), m_df.escape);
            if (kv.key.isEmpty()) {
                error(QStringLiteral("invalid-argument"),
                      tr("%1 names can not be blank").arg(ins.name), w.range);
                continue;
            }
            kv.hasValue = true;
            kv.value = w.text.mid(eq + 1);
            kv.valueOffset = w.offset + eq + 1;
            kv.range = w.range;
            kv.keyRange = a.range(w.offset, w.offset + eq);
            kv.valueRange = a.range(w.offset + eq + 1, w.offset + w.length);
            ins.pairs.append(kv);
        }
    }

    void parseCommandForm(Instruction &ins, const SourceText &text)
    {
        ins.args = text;
        ins.form = text.isEmpty() ? Form::None : Form::Shell;
        if (text.text.startsWith(u'[')) {
            QList<Word> words;
            JsonReader reader(text.text);
            const auto result = reader.readArray(words);
            if (result == JsonReader::StringArray) {
                for (Word &w : words)
                    w.range = text.range(w.offset, w.offset + w.length);
                ins.form = Form::Json;
                ins.words = words;
                return;
            }
            if (result == JsonReader::NotStringArray) {
                error(QStringLiteral("invalid-json-array"),
                      tr("when using JSON array syntax, arrays must be comprised of strings only"),
                      text.range());
                ins.form = Form::Json;
                return;
            }
        }
        ins.words = splitWhitespace(text);
    }

    Instruction parseInstruction(const SourceText &line, bool inOnbuild)
    {
        Instruction ins;
        qsizetype k = 0;
        while (k < line.size() && !isSpace(line.text.at(k)))
            ++k;
        ins.keyword = line.text.left(k);
        ins.name = ins.keyword.toUpper();
        ins.keywordRange = line.range(0, k);
        ins.range = line.range();
        ins.startLine = ins.keywordRange.start.line;
        ins.endLine = ins.range.end.line;
        SourceText rest = line.mid(k).trimmed();
        extractFlags(ins, rest);

        if (!Parser::instructionNames().contains(ins.name)) {
            QString hint;
            int best = 3;
            for (const QString &candidate : Parser::instructionNames()) {
                const int d = levenshtein(ins.name, candidate);
                if (d < best) {
                    best = d;
                    hint = tr("did you mean %1?").arg(candidate);
                }
            }
            error(QStringLiteral("unknown-instruction"),
                  tr("unknown instruction: %1").arg(ins.name), ins.keywordRange,
                  diag::Severity::Error, hint);
            ins.args = rest;
            ins.words = splitWhitespace(rest);
            return ins;
        }
        // HEALTHCHECK NONE does not even look at its flags in BuildKit.
        const bool healthcheckNone =
            ins.name == u"HEALTHCHECK" && rest.text.section(u' ', 0, 0).toUpper() == u"NONE";
        if (!healthcheckNone)
            validateFlags(ins);

        const QString &n = ins.name;
        if (n == u"ONBUILD") {
            ins.args = rest;
            if (rest.isEmpty()) {
                error(QStringLiteral("missing-argument"),
                      tr("ONBUILD requires at least one argument"), ins.range);
                return ins;
            }
            if (inOnbuild) {
                return ins;
            }
            auto trigger = std::make_shared<Instruction>(parseInstruction(rest, true));
            if (trigger->name == u"ONBUILD") {
                error(QStringLiteral("invalid-onbuild-trigger"),
                      tr("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
                      trigger->keywordRange);
            } else if (trigger->name == u"FROM" || trigger->name == u"MAINTAINER") {
                error(QStringLiteral("invalid-onbuild-trigger"),
                      tr("%1 isn't allowed as an ONBUILD trigger").arg(trigger->name),
                      trigger->keywordRange);
            }
            ins.trigger = trigger;
            return ins;
        }
        if (n == u"HEALTHCHECK") {
            if (!healthcheckNone)
                validateHealthcheck(ins);
            qsizetype t = 0;
            while (t < rest.size() && !isSpace(rest.text.at(t)))
                ++t;
            ins.healthcheckType = rest.text.left(t).toUpper();
            const Range typeRange = rest.range(0, t);
            const SourceText cmd = rest.mid(t).trimmed();
            if (rest.isEmpty()) {
                error(QStringLiteral("missing-argument"),
                      tr("HEALTHCHECK requires at least one argument"), ins.range);
            } else if (ins.healthcheckType == u"NONE") {
                if (!cmd.isEmpty())
                    error(QStringLiteral("invalid-argument"),
                          tr("HEALTHCHECK NONE takes no arguments"), rest.range());
            } else if (ins.healthcheckType != u"CMD") {
                error(QStringLiteral("invalid-argument"),
                      tr("Unknown type \"%1\" in HEALTHCHECK (try CMD)").arg(ins.healthcheckType),
                      typeRange);
            } else if (cmd.isEmpty()) {
                error(QStringLiteral("missing-argument"),
                      tr("Missing command after HEALTHCHECK CMD"), typeRange);
            }
            parseCommandForm(ins, cmd);
            return ins;
        }
        if (maybeJson(n)) {
            parseCommandForm(ins, rest);
            if (n == u"SHELL") {
                if (ins.form == Form::Shell) {
                    error(QStringLiteral("invalid-argument"),
                          tr("SHELL requires the arguments to be in JSON form"), rest.range());
                } else if (ins.words.isEmpty() && !hasErrorAt(rest.range())) {
                    error(QStringLiteral("missing-argument"),
                          tr("SHELL requires at least one argument"), ins.range);
                }
            }
            if (ins.form == Form::Shell && allowsHeredoc(n))
                parseHeredocs(ins);
            if ((n == u"COPY" || n == u"ADD") && ins.words.size() + ins.heredocs.size() < 2 &&
                ins.form != Form::None) {
                error(QStringLiteral("missing-argument"),
                      tr("%1 requires at least two arguments, but only one was provided. "
                         "Destination could not be determined")
                          .arg(n),
                      ins.range);
            } else if ((n == u"COPY" || n == u"ADD") && ins.form == Form::None) {
                error(QStringLiteral("missing-argument"),
                      tr("%1 requires at least two arguments").arg(n), ins.range);
            }
            if ((n == u"RUN" || n == u"VOLUME") && ins.form == Form::None) {
                error(QStringLiteral("missing-argument"),
                      tr("%1 requires at least one argument").arg(n), ins.range);
            }
            if (n == u"VOLUME" && ins.form == Form::Json) {
                for (const Word &w : ins.words) {
                    if (w.text.trimmed().isEmpty())
                        error(QStringLiteral("invalid-argument"),
                              tr("VOLUME specified can not be an empty string"), w.range);
                }
            }
            return ins;
        }
        ins.args = rest;
        ins.form = rest.isEmpty() ? Form::None : Form::Shell;
        if (n == u"ENV" || n == u"LABEL" || n == u"ARG") {
            ins.words = splitQuoted(rest);
            if (ins.words.isEmpty()) {
                error(QStringLiteral("missing-argument"),
                      tr("%1 requires at least one argument").arg(n), ins.range);
                return ins;
            }
            parseKeyValues(ins);
            return ins;
        }
        ins.words = splitWhitespace(rest);
        if (n == u"FROM") {
            if (ins.words.size() != 1 && ins.words.size() != 3) {
                error(QStringLiteral("missing-argument"),
                      tr("FROM requires either one or three arguments"),
                      rest.isEmpty() ? ins.range : rest.range());
            } else if (ins.words.size() == 3) {
                if (ins.words.at(1).text.toLower() != u"as") {
                    error(QStringLiteral("invalid-argument"),
                          tr("FROM requires either one or three arguments"), ins.words.at(1).range);
                } else {
                    static const QRegularExpression valid(QStringLiteral("^[a-z][a-z0-9-_.]*$"));
                    const QString stage = ins.words.at(2).text.toLower();
                    if (!valid.match(stage).hasMatch()) {
                        error(QStringLiteral("invalid-stage-name"),
                              tr("invalid name for build stage: \"%1\", name can't start with a "
                                 "number or contain symbols")
                                  .arg(ins.words.at(2).text),
                              ins.words.at(2).range);
                    }
                }
            }
            return ins;
        }
        if (n == u"EXPOSE") {
            if (ins.words.isEmpty())
                error(QStringLiteral("missing-argument"),
                      tr("EXPOSE requires at least one argument"), ins.range);
            return ins;
        }
        if (n == u"USER" || n == u"WORKDIR" || n == u"STOPSIGNAL" || n == u"MAINTAINER") {
            if (rest.isEmpty())
                error(QStringLiteral("missing-argument"),
                      tr("%1 requires exactly one argument").arg(n), ins.range);
            return ins;
        }
        return ins;
    }

    /// distribution/reference's grammar, as ParseNormalizedNamed applies it to FROM.
    static QString referenceError(const QString &ref)
    {
        static const QRegularExpression grammar(QStringLiteral(
            "^(?:((?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-"
            "9]"
            "[a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?)/)?"
            "([a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)"
            "(?::([\\w][\\w.-]{0,127}))?"
            "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$"));
        // The first component is a registry only when it looks like one (as Docker decides).
        const qsizetype slash = ref.indexOf(u'/');
        const QString first = slash < 0 ? QString() : ref.left(slash);
        const bool hasDomain = slash >= 0 && (first.contains(u'.') || first.contains(u':') ||
                                              first == u"localhost" || first != first.toLower());
        const QString remainder = hasDomain ? ref.mid(slash + 1) : ref;
        const QString name = remainder.section(u'@', 0, 0).section(u':', 0, 0);
        if (name != name.toLower())
            return tr("invalid reference format: repository name must be lowercase");
        if (!grammar.match(hasDomain ? ref : remainder).hasMatch())
            return tr("invalid reference format");
        return {};
    }

    bool hasErrorAt(Range r) const
    {
        for (const auto &d : m_df.diagnostics) {
            if (d.range == r)
                return true;
        }
        return false;
    }


    /// Variable substitution errors in the instructions BuildKit expands.
    void checkSubstitutions(const Instruction &ins)
    {
        static const QStringList expanded = {
            QStringLiteral("ADD"),        QStringLiteral("COPY"), QStringLiteral("ENV"),
            QStringLiteral("EXPOSE"),     QStringLiteral("FROM"), QStringLiteral("LABEL"),
            QStringLiteral("STOPSIGNAL"), QStringLiteral("USER"), QStringLiteral("VOLUME"),
            QStringLiteral("WORKDIR"),    QStringLiteral("ARG")};
        if (!expanded.contains(ins.name))
            return;
        const bool quoteAware = ins.name == u"ENV" || ins.name == u"LABEL" || ins.name == u"ARG";
        for (const Word &w : ins.words) {
            SubstitutionError e;
            variableReferences(w.text, m_df.escape, &e);
            if (e.offset >= 0) {
                error(QStringLiteral("invalid-substitution"),
                      tr("failed to process \"%1\": %2").arg(w.text, e.message), w.range);
                continue;
            }
            if (!quoteAware)
                continue;
            QChar quote;
            for (qsizetype i = 0; i < w.text.size(); ++i) {
                const QChar c = w.text.at(i);
                if (quote.isNull() && c == m_df.escape)
                    ++i;
                else if (quote.isNull() && (c == u'\'' || c == u'"'))
                    quote = c;
                else if (!quote.isNull() && c == quote)
                    quote = QChar();
                else if (quote == u'"' && c == m_df.escape)
                    ++i;
            }
            if (!quote.isNull()) {
                error(QStringLiteral("invalid-substitution"),
                      tr("failed to process \"%1\": unexpected end of statement while looking "
                         "for matching %2")
                          .arg(w.text, quote == u'"' ? QStringLiteral("double-quote")
                                                     : QStringLiteral("single-quote")),
                      w.range);
            }
        }
        if (ins.name == u"EXPOSE")
            checkPorts(ins);
        if (ins.name == u"STOPSIGNAL" && !ins.args.isEmpty()) // one argument: the whole rest
            checkSignal(Word{ins.args.text, ins.args.range(), 0, ins.args.size()});
    }

    /// BuildKit (go-connections/nat) rejects what is not `port[-port][/proto]`.
    void checkPorts(const Instruction &ins)
    {
        static const QRegularExpression number(QStringLiteral("^[0-9]+$"));
        for (const Word &w : ins.words) {
            const QString text = unquote(w.text, m_df.escape);
            if (text.contains(u'$'))
                continue;
            const QString proto = text.section(u'/', 1).toLower();
            if (text.contains(u'/') && proto != u"tcp" && proto != u"udp" && proto != u"sctp") {
                error(QStringLiteral("invalid-argument"),
                      tr("invalid proto: %1").arg(text.section(u'/', 1)), w.range);
                continue;
            }
            const QString container = text.section(u'/', 0, 0).section(u':', -1);
            const QStringList bounds = container.split(u'-');
            bool valid = bounds.size() <= 2;
            for (const QString &b : bounds)
                valid = valid && number.match(b).hasMatch();
            if (!valid)
                error(QStringLiteral("invalid-argument"),
                      tr("invalid containerPort: %1").arg(container), w.range);
        }
    }

    /// moby/sys/signal: a number or a known signal name, with or without SIG.
    void checkSignal(const Word &w)
    {
        const QString value = unquote(w.text, m_df.escape);
        if (value.contains(u'$'))
            return;
        bool numeric = false;
        const int n = value.toInt(&numeric);
        if (numeric) {
            if (n <= 0)
                error(QStringLiteral("invalid-argument"), tr("Invalid signal: %1").arg(value),
                      w.range);
            return;
        }
        static const QStringList names = {
            QStringLiteral("ABRT"),   QStringLiteral("ALRM"),   QStringLiteral("BUS"),
            QStringLiteral("CHLD"),   QStringLiteral("CLD"),    QStringLiteral("CONT"),
            QStringLiteral("FPE"),    QStringLiteral("HUP"),    QStringLiteral("ILL"),
            QStringLiteral("INT"),    QStringLiteral("IO"),     QStringLiteral("IOT"),
            QStringLiteral("KILL"),   QStringLiteral("PIPE"),   QStringLiteral("POLL"),
            QStringLiteral("PROF"),   QStringLiteral("PWR"),    QStringLiteral("QUIT"),
            QStringLiteral("SEGV"),   QStringLiteral("STKFLT"), QStringLiteral("STOP"),
            QStringLiteral("SYS"),    QStringLiteral("TERM"),   QStringLiteral("TRAP"),
            QStringLiteral("TSTP"),   QStringLiteral("TTIN"),   QStringLiteral("TTOU"),
            QStringLiteral("UNUSED"), QStringLiteral("URG"),    QStringLiteral("USR1"),
            QStringLiteral("USR2"),   QStringLiteral("VTALRM"), QStringLiteral("WINCH"),
            QStringLiteral("XCPU"),   QStringLiteral("XFSZ")};
        QString name = value.toUpper();
        if (name.startsWith(u"SIG"))
            name = name.mid(3);
        static const QRegularExpression rt(QStringLiteral("^RTM(IN|AX)([+-][0-9]+)?$"));
        if (!names.contains(name) && !rt.match(name).hasMatch())
            error(QStringLiteral("invalid-argument"), tr("Invalid signal: %1").arg(value), w.range);
    }

    void finish()
    {
        if (m_df.instructions.isEmpty()) {
            const Position p{1, 1};
            error(QStringLiteral("no-instructions"), tr("file with no instructions"), Range{p, p});
        }
        int stage = -1;
        QHash<QString, QString> globals; // global ARG defaults, for stage references
        for (qsizetype i = 0; i < m_df.instructions.size(); ++i) {
            Instruction &ins = m_df.instructions[i];
            checkSubstitutions(ins);
            if (stage < 0 && ins.name == u"ARG") {
                for (const KeyValue &kv : std::as_const(ins.pairs))
                    globals.insert(kv.key, kv.hasValue
                                               ? expandVariables(kv.value, globals, m_df.escape)
                                               : QString());
            }
            if (ins.name == u"FROM") {
                Stage s;
                s.index = int(m_df.stages.size());
                s.fromInstruction = int(i);
                if (!ins.words.isEmpty()) {
                    s.base = ins.words.first().text;
                    s.baseRange = ins.words.first().range;
                }
                if (ins.words.size() == 3) {
                    s.nameAsWritten = ins.words.at(2).text;
                    s.name = s.nameAsWritten.toLower();
                    s.nameRange = ins.words.at(2).range;
                }
                const QString base = expandVariables(s.base, globals, m_df.escape).toLower();
                for (const Stage &previous : std::as_const(m_df.stages)) {
                    if (!previous.name.isEmpty() && previous.name == base)
                        s.parent = previous.index;
                }
                m_df.stages.append(s);
                stage = s.index;
            }
            ins.stage = stage;
            if (stage >= 0)
                m_df.stages[stage].instructions.append(int(i));
            if (ins.name == u"FROM" && stage >= 0) {
                const Stage &s = m_df.stages.at(stage);
                if (s.parent < 0 && !s.base.isEmpty() && !s.base.contains(u'$') &&
                    s.base.toLower() != u"scratch") {
                    const QString problem = referenceError(s.base);
                    if (!problem.isEmpty())
                        error(QStringLiteral("invalid-reference"),
                              tr("failed to parse stage name \"%1\": %2").arg(s.base, problem),
                              s.baseRange);
                }
            }
        }
        // BuildKit builds stages: anything but ARG before the first FROM has nowhere to go.
        for (const Instruction &ins : std::as_const(m_df.instructions)) {
            if (ins.name == u"FROM")
                break;
            if (ins.name != u"ARG" && Parser::instructionNames().contains(ins.name)) {
                error(QStringLiteral("no-build-stage"), tr("no build stage in current context"),
                      ins.keywordRange);
                break;
            }
        }
        if (m_df.stages.isEmpty() && !m_df.instructions.isEmpty() &&
            std::all_of(m_df.instructions.cbegin(), m_df.instructions.cend(),
                        [](const Instruction &i) { return i.name == u"ARG"; })) {
            error(QStringLiteral("no-build-stage"), tr("dockerfile contains no stages to build"),
                  m_df.instructions.first().keywordRange);
        }
        diag::sortDiagnostics(m_df.diagnostics);
    }

    QString m_source;
    QList<RawLine> m_lines;
    Dockerfile m_df;
};

} // namespace

const QStringList &Parser::instructionNames()
{
    static const QStringList names = {
        QStringLiteral("ADD"),    QStringLiteral("ARG"),        QStringLiteral("CMD"),
        QStringLiteral("COPY"),   QStringLiteral("ENTRYPOINT"), QStringLiteral("ENV"),
        QStringLiteral("EXPOSE"), QStringLiteral("FROM"),       QStringLiteral("HEALTHCHECK"),
        QStringLiteral("LABEL"),  QStringLiteral("MAINTAINER"), QStringLiteral("ONBUILD"),
        QStringLiteral("RUN"),    QStringLiteral("SHELL"),      QStringLiteral("STOPSIGNAL"),
        QStringLiteral("USER"),   QStringLiteral("VOLUME"),     QStringLiteral("WORKDIR")};
    return names;
}

bool Parser::isSyntaxError(QStringView code)
{
    return code == u"no-instructions" || code == u"unterminated-heredoc" ||
           code == u"invalid-json-array" || code == u"duplicate-directive" ||
           code == u"invalid-directive" || code == u"io-error";
}

Dockerfile Parser::parse(const QString &text, const QString &file)
{
    return Builder(text, file).run();
}

Dockerfile Parser::parse(const QByteArray &bytes, const QString &file)
{
    return parse(QString::fromUtf8(bytes), file);
}

Dockerfile Parser::parseFile(const QString &path, const QString &displayName)
{
    const QString name = displayName.isEmpty() ? path : displayName;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        Dockerfile df;
        df.file = name;
        df.diagnostics.append(diag::make(diag::Severity::Error, QStringLiteral("io-error"),
                                         tr("cannot read %1: %2").arg(name, f.errorString()), name,
                                         1, 1));
        return df;
    }
    return parse(f.readAll(), name);
}

} // namespace stagecraft::dockerfile
