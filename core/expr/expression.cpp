#include "expression.h"

#include "regex.h"

#include <QCoreApplication>

#include <vector>

namespace stagecraft::expr {

namespace {

enum class Tok {
    Variable,
    String,
    Null,
    Regex,
    Equals,
    NotEquals,
    Matches,
    NotMatches,
    And,
    Or,
    Open,
    Close,
    End,
};

struct Token
{
    Tok kind = Tok::End;
    QString value;  ///< variable name, string content, or regex literal `/re/flags`
    QString source; ///< the text as written, for messages
    int column = 0; ///< 1-based
    std::optional<Regex> regex;
};

bool isOperand(Tok kind)
{
    return kind == Tok::Variable || kind == Tok::String || kind == Tok::Null || kind == Tok::Regex;
}

bool isComparison(Tok kind)
{
    return kind == Tok::Equals || kind == Tok::NotEquals || kind == Tok::Matches ||
           kind == Tok::NotMatches;
}

bool isNameChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           c == u'_';
}

/// Quotes a token for a message, shortening very long ones so the message stays readable.
QString quoted(const QString &text)
{
    constexpr qsizetype maxShown = 40;
    if (text.size() <= maxShown)
        return u'\'' + text + u'\'';
    return u'\'' + text.left(maxShown) + QStringLiteral("…'");
}

struct LexResult
{
    std::vector<Token> tokens;
    std::optional<ParseError> error;
};

class Lexer
{
    Q_DECLARE_TR_FUNCTIONS(stagecraft::expr)

public:
    explicit Lexer(QStringView text)
        : m_text(text)
    {
        // Columns count characters, not UTF-16 units, like the YAML loader's columns.
        m_columns.reserve(size_t(text.size()) + 1);
        int column = 1;
        for (qsizetype i = 0; i < text.size(); ++i) {
            m_columns.push_back(column);
            if (!text.at(i).isHighSurrogate())
                ++column;
        }
        m_columns.push_back(column);
    }

    int columnAt(qsizetype index) const { return m_columns[size_t(index)]; }

    LexResult run()
    {
        LexResult result;
        qsizetype i = 0;
        const qsizetype n = m_text.size();
        auto fail = [&](qsizetype at, const QString &message) {
            result.error = ParseError{message, columnAt(at)};
            return result;
        };
        auto push = [&](Tok kind, qsizetype start, qsizetype end, QString value = {}) {
            Token t;
            t.kind = kind;
            t.value = std::move(value);
            t.source = m_text.mid(start, end - start).toString();
            t.column = columnAt(start);
            result.tokens.push_back(std::move(t));
        };
        while (i < n) {
            const QChar c = m_text.at(i);
            const QChar next = i + 1 < n ? m_text.at(i + 1) : QChar();
            if (c.isSpace()) {
                ++i;
                continue;
            }
            switch (c.unicode()) {
            case '$': {
                if (next == u'{')
                    return fail(i,
                                tr("the ${NAME} form is not allowed in expressions; write $NAME"));
                qsizetype end = i + 1;
                while (end < n && isNameChar(m_text.at(end)))
                    ++end;
                if (end == i + 1)
                    return fail(i, tr("expected a variable name after '$'"));
                push(Tok::Variable, i, end, m_text.mid(i + 1, end - i - 1).toString());
                i = end;
                continue;
            }
            case '"':
            case '\'': {
                // GitLab's string lexeme has no escapes: the string ends at the next same quote.
                const qsizetype close = m_text.indexOf(c, i + 1);
                if (close < 0)
                    return fail(i, tr("unterminated string: missing closing %1").arg(c));
                push(Tok::String, i, close + 1, m_text.mid(i + 1, close - i - 1).toString());
                i = close + 1;
                continue;
            }
            case '/': {
                qsizetype end = i + 1;
                while (end < n && m_text.at(end) != u'/')
                    end += (m_text.at(end) == u'\\' && end + 1 < n) ? 2 : 1;
                if (end >= n)
                    return fail(i, tr("unterminated regular expression: missing closing /"));
                if (end == i + 1)
                    return fail(i, tr("empty regular expression"));
                const QString pattern = m_text.mid(i + 1, end - i - 1).toString();
                qsizetype flagsEnd = end + 1;
                while (flagsEnd < n && m_text.at(flagsEnd).isLetter()) {
                    if (!QStringView(u"ismU").contains(m_text.at(flagsEnd))) {
                        return fail(flagsEnd, tr("unknown regular expression flag '%1' "
                                                 "(allowed: i, m, s, U)")
                                                  .arg(m_text.at(flagsEnd)));
                    }
                    ++flagsEnd;
                }
                const QString flags = m_text.mid(end + 1, flagsEnd - end - 1).toString();
                Regex regex = Regex::compile(pattern, flags);
                if (!regex.isValid())
                    return fail(i, tr("invalid regular expression: %1").arg(regex.error()));
                push(Tok::Regex, i, flagsEnd, m_text.mid(i, flagsEnd - i).toString());
                result.tokens.back().regex = std::move(regex);
                i = flagsEnd;
                continue;
            }
            case '=':
            case '!': {
                if (next == u'=' || next == u'~') {
                    const Tok kind = c == u'=' ? (next == u'=' ? Tok::Equals : Tok::Matches)
                                               : (next == u'=' ? Tok::NotEquals : Tok::NotMatches);
                    push(kind, i, i + 2);
                    i += 2;
                    continue;
                }
                if (c == u'=')
                    return fail(i, tr("unexpected '='; compare with '==' or match with '=~'"));
                return fail(i, tr("unexpected '!': there is no negation operator; use '!=' or "
                                  "'!~'"));
            }
            case '&':
            case '|': {
                if (next == c) {
                    push(c == u'&' ? Tok::And : Tok::Or, i, i + 2);
                    i += 2;
                    continue;
                }
                return fail(i, tr("unexpected '%1'; did you mean '%1%1'?").arg(c));
            }
            case '(':
            case ')':
                push(c == u'(' ? Tok::Open : Tok::Close, i, i + 1);
                ++i;
                continue;
            default:
                break;
            }
            if (isNameChar(c)) {
                qsizetype end = i;
                while (end < n && isNameChar(m_text.at(end)))
                    ++end;
                const QStringView word = m_text.mid(i, end - i);
                if (word != u"null") {
                    return fail(i, tr("unexpected word %1: quote strings, start variables with "
                                      "'$'")
                                       .arg(quoted(word.toString())));
                }
                push(Tok::Null, i, end);
                i = end;
                continue;
            }
            const qsizetype width = c.isHighSurrogate() && i + 1 < n ? 2 : 1;
            return fail(i,
                        tr("unexpected character %1").arg(quoted(m_text.mid(i, width).toString())));
        }
        Token end;
        end.kind = Tok::End;
        end.column = columnAt(n);
        result.tokens.push_back(std::move(end));
        return result;
    }

private:
    QStringView m_text;
    std::vector<int> m_columns;
};

enum class Kind { Variable, String, Null, Regex, Equals, NotEquals, Matches, NotMatches, And, Or };

struct AstNode
{
    Kind kind = Kind::Null;
    QString value; ///< variable name, string content or regex literal
    std::optional<Regex> regex;
    int left = -1;
    int right = -1;
};

/// What a sub-expression evaluates to in GitLab's Ruby evaluator: nil, a String, true/false or
/// a compiled regex. `&&`/`||` return one of their operands (Ruby truthiness: only nil and
/// false are falsy), and the statement is true when the final value is `present?`.
struct Value
{
    enum class Type { Nil, String, Bool, Regex } type = Type::Nil;
    QString text;
    bool boolean = false;
    const Regex *regex = nullptr;

    static Value nil() { return {}; }
    static Value ofBool(bool b) { return {Type::Bool, {}, b, nullptr}; }
    static Value ofString(const QString &s) { return {Type::String, s, false, nullptr}; }

    bool truthy() const { return type != Type::Nil && !(type == Type::Bool && !boolean); }
    bool present() const
    {
        switch (type) {
        case Type::Nil:
            return false;
        case Type::Bool:
            return boolean;
        case Type::Regex:
            return true;
        case Type::String:
            // ActiveSupport's String#blank?: empty or whitespace only.
            for (QChar c : text) {
                if (!c.isSpace())
                    return true;
            }
            return false;
        }
        return false;
    }
};

} // namespace

struct Expression::Impl
{
    std::vector<AstNode> nodes;
    int root = -1;
    QStringList variables;
    QList<ParseError> warnings;

    Value eval(int index, const Variables &vars) const;
    bool matches(const AstNode &node, const Variables &vars) const;
    QString dump(int index) const;
};

Value Expression::Impl::eval(int index, const Variables &vars) const
{
    const AstNode &node = nodes[size_t(index)];
    switch (node.kind) {
    case Kind::Variable: {
        const auto it = vars.constFind(node.value);
        return it == vars.constEnd() ? Value::nil() : Value::ofString(*it);
    }
    case Kind::String:
        return Value::ofString(node.value);
    case Kind::Null:
        return Value::nil();
    case Kind::Regex: {
        Value v;
        v.type = Value::Type::Regex;
        v.regex = &*node.regex;
        v.text = node.value;
        return v;
    }
    case Kind::Equals:
    case Kind::NotEquals: {
        const Value l = eval(node.left, vars);
        const Value r = eval(node.right, vars);
        // Ruby ==: nil only equals nil; a regex object never equals a string.
        bool equal = l.type == r.type;
        if (equal && l.type == Value::Type::String)
            equal = l.text == r.text;
        else if (equal && l.type == Value::Type::Bool)
            equal = l.boolean == r.boolean;
        else if (equal && l.type == Value::Type::Regex)
            equal = false;
        return Value::ofBool(node.kind == Kind::Equals ? equal : !equal);
    }
    case Kind::Matches:
        return Value::ofBool(matches(node, vars));
    case Kind::NotMatches:
        return Value::ofBool(!matches(node, vars));
    case Kind::And: {
        const Value l = eval(node.left, vars);
        return l.truthy() ? eval(node.right, vars) : l;
    }
    case Kind::Or: {
        const Value l = eval(node.left, vars);
        return l.truthy() ? l : eval(node.right, vars);
    }
    }
    return Value::nil();
}

bool Expression::Impl::matches(const AstNode &node, const Variables &vars) const
{
    const Value text = eval(node.left, vars);
    if (text.type == Value::Type::Nil)
        return false;
    const QString subject = text.type == Value::Type::Bool
                                ? (text.boolean ? QStringLiteral("true") : QStringLiteral("false"))
                                : text.text;
    const Value pattern = eval(node.right, vars);
    switch (pattern.type) {
    case Value::Type::Nil:
    case Value::Type::Bool:
        return false;
    case Value::Type::Regex:
        return pattern.regex->search(subject);
    case Value::Type::String: {
        // A value of the form "/re/flags" is used as a regex (GitLab >= 15.0). Any other string
        // stays a Ruby String, and GitLab's `regexp.scan(text)` becomes String#scan(String): true
        // when the right side's text *contains* the left side's value.
        if (Regex::isLiteral(pattern.text)) {
            const Regex regex = Regex::fromLiteral(pattern.text);
            if (regex.isValid())
                return regex.search(subject);
        }
        return pattern.text.contains(subject);
    }
    }
    return false;
}

QString Expression::Impl::dump(int index) const
{
    const AstNode &node = nodes[size_t(index)];
    auto binary = [&](QStringView op) -> QString {
        return u'(' + op.toString() + u' ' + dump(node.left) + u' ' + dump(node.right) + u')';
    };
    switch (node.kind) {
    case Kind::Variable:
        return u'$' + node.value;
    case Kind::String:
        return u'"' + node.value + u'"';
    case Kind::Null:
        return QStringLiteral("null");
    case Kind::Regex:
        return node.value;
    case Kind::Equals:
        return binary(u"==");
    case Kind::NotEquals:
        return binary(u"!=");
    case Kind::Matches:
        return binary(u"=~");
    case Kind::NotMatches:
        return binary(u"!~");
    case Kind::And:
        return binary(u"&&");
    case Kind::Or:
        return binary(u"||");
    }
    return {};
}

namespace {

class Parser
{
    Q_DECLARE_TR_FUNCTIONS(stagecraft::expr)

public:
    Parser(std::vector<Token> tokens, std::vector<AstNode> &nodes, QStringList &variables)
        : m_tokens(std::move(tokens))
        , m_nodes(nodes)
        , m_variables(variables)
    {
    }

    int parse()
    {
        const int root = parseOr(nullptr, 0);
        if (m_error)
            return -1;
        const Token &t = peek();
        if (t.kind == Tok::Close) {
            fail(t, tr("unbalanced parenthesis: ')' has no matching '('"));
            return -1;
        }
        if (t.kind != Tok::End) {
            unexpectedAfterTerm(t, false);
            return -1;
        }
        return root;
    }

    std::optional<ParseError> error() const { return m_error; }
    QList<ParseError> warnings() const { return m_warnings; }

private:
    // Parentheses nest through recursion: a limit keeps hostile input from exhausting the stack.
    static constexpr int maxDepth = 64;

    const Token &peek() const { return m_tokens[m_pos]; }
    const Token &take() { return m_tokens[m_pos++]; }

    void fail(const Token &at, const QString &message)
    {
        if (!m_error)
            m_error = ParseError{message, at.column};
    }

    int add(AstNode node)
    {
        m_nodes.push_back(std::move(node));
        return int(m_nodes.size()) - 1;
    }

    int addBinary(Kind kind, int left, int right)
    {
        AstNode node;
        node.kind = kind;
        node.left = left;
        node.right = right;
        return add(std::move(node));
    }

    int parseOr(const Token *after, int depth)
    {
        int left = parseAnd(after, depth);
        while (!m_error && peek().kind == Tok::Or) {
            const Token &op = take();
            const int right = parseAnd(&op, depth);
            left = addBinary(Kind::Or, left, right);
        }
        return left;
    }

    int parseAnd(const Token *after, int depth)
    {
        int left = parseTerm(after, depth);
        while (!m_error && peek().kind == Tok::And) {
            const Token &op = take();
            const int right = parseTerm(&op, depth);
            left = addBinary(Kind::And, left, right);
        }
        return left;
    }

    /// Reports what is wrong with `t` where an operand was expected after `after`.
    void missingOperand(const Token &t, const Token *after)
    {
        if (t.kind == Tok::End) {
            if (after)
                fail(*after, tr("missing operand after %1").arg(quoted(after->source)));
            else
                m_error = ParseError{tr("empty expression"), 1};
        } else if (t.kind == Tok::Close && after && after->kind == Tok::Open) {
            fail(*after, tr("empty parentheses"));
        } else if (after) {
            fail(t, tr("missing operand between %1 and %2")
                        .arg(quoted(after->source), quoted(t.source)));
        } else {
            fail(t, tr("missing operand before %1").arg(quoted(t.source)));
        }
    }

    void unexpectedAfterTerm(const Token &t, bool insideParentheses)
    {
        if (isComparison(t.kind))
            fail(t, tr("comparisons cannot be chained or applied to a parenthesised expression; "
                       "join comparisons with '&&' or '||'"));
        else if (insideParentheses)
            fail(t, tr("missing operator or ')' before %1").arg(quoted(t.source)));
        else
            fail(t, tr("missing operator before %1").arg(quoted(t.source)));
    }

    int operand(const Token &t)
    {
        AstNode node;
        switch (t.kind) {
        case Tok::Variable:
            node.kind = Kind::Variable;
            if (!m_variables.contains(t.value))
                m_variables.append(t.value);
            break;
        case Tok::String:
            node.kind = Kind::String;
            break;
        case Tok::Regex:
            node.kind = Kind::Regex;
            node.regex = t.regex;
            break;
        default:
            node.kind = Kind::Null;
            break;
        }
        node.value = t.value;
        return add(std::move(node));
    }

    int parseTerm(const Token *after, int depth)
    {
        const Token &t = peek();
        if (t.kind == Tok::Open) {
            const Token &open = take();
            if (depth >= maxDepth) {
                fail(open,
                     tr("expression nested too deeply (more than %1 parentheses)").arg(maxDepth));
                return -1;
            }
            const int inner = parseOr(&open, depth + 1);
            if (m_error)
                return -1;
            const Token &close = peek();
            if (close.kind == Tok::End) {
                fail(open, tr("unbalanced parenthesis: '(' is never closed"));
                return -1;
            }
            if (close.kind != Tok::Close) {
                unexpectedAfterTerm(close, true);
                return -1;
            }
            take();
            return inner;
        }
        if (!isOperand(t.kind)) {
            missingOperand(t, after);
            return -1;
        }
        const int left = operand(take());
        if (!isComparison(peek().kind))
            return left;
        const Token &op = take();
        const Token &r = peek();
        const bool isMatch = op.kind == Tok::Matches || op.kind == Tok::NotMatches;
        if (!isOperand(r.kind) && r.kind != Tok::Open) {
            missingOperand(r, &op);
            return -1;
        }
        if (isMatch && r.kind == Tok::String) {
            m_warnings.append(ParseError{
                tr("%1 with a quoted string is not a regex match: GitLab checks whether %2 "
                   "contains the left side's value; use '==' or a /regex/")
                    .arg(quoted(op.source), r.source),
                r.column});
        } else if (isMatch && r.kind != Tok::Regex && r.kind != Tok::Variable) {
            fail(r, tr("the right side of %1 must be a /regex/ or a variable holding one")
                        .arg(quoted(op.source)));
            return -1;
        }
        if (r.kind == Tok::Open) {
            fail(r, tr("the right side of %1 must be a variable, a string, null or a /regex/")
                        .arg(quoted(op.source)));
            return -1;
        }
        const int right = operand(take());
        if (isComparison(peek().kind)) {
            unexpectedAfterTerm(peek(), false);
            return -1;
        }
        const Kind kind = op.kind == Tok::Equals      ? Kind::Equals
                          : op.kind == Tok::NotEquals ? Kind::NotEquals
                          : op.kind == Tok::Matches   ? Kind::Matches
                                                      : Kind::NotMatches;
        return addBinary(kind, left, right);
    }

    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    std::vector<AstNode> &m_nodes;
    QStringList &m_variables;
    std::optional<ParseError> m_error;
    QList<ParseError> m_warnings;
};

} // namespace

Expression Expression::parse(QStringView text)
{
    Expression e;
    LexResult lexed = Lexer(text).run();
    if (lexed.error) {
        e.m_error = lexed.error;
        return e;
    }
    auto impl = std::make_shared<Impl>();
    Parser parser(std::move(lexed.tokens), impl->nodes, impl->variables);
    impl->root = parser.parse();
    if (parser.error()) {
        e.m_error = parser.error();
        return e;
    }
    impl->warnings = parser.warnings();
    e.d = std::move(impl);
    return e;
}

bool Expression::isValid() const
{
    return !m_error && d;
}

const std::optional<ParseError> &Expression::error() const
{
    return m_error;
}

bool Expression::evaluate(const Variables &variables) const
{
    if (!isValid())
        return false;
    return d->eval(d->root, variables).present();
}

QList<ParseError> Expression::warnings() const
{
    return d ? d->warnings : QList<ParseError>();
}

QStringList Expression::variableNames() const
{
    return d ? d->variables : QStringList();
}

QString Expression::toString() const
{
    return isValid() ? d->dump(d->root) : QString();
}

} // namespace stagecraft::expr
