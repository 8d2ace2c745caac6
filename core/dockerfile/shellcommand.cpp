#include "shellcommand.h"

namespace stagecraft::dockerfile {

namespace {

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\r';
}

bool isAssignment(const QString &w)
{
    const qsizetype eq = w.indexOf(u'=');
    if (eq <= 0)
        return false;
    for (qsizetype i = 0; i < eq; ++i) {
        const QChar c = w.at(i);
        if (!(c.isLetterOrNumber() || c == u'_') || (i == 0 && c.isDigit()))
            return false;
    }
    return true;
}

bool isReserved(const QString &w)
{
    static const QStringList reserved = {
        QStringLiteral("if"),   QStringLiteral("then"),  QStringLiteral("else"),
        QStringLiteral("elif"), QStringLiteral("fi"),    QStringLiteral("do"),
        QStringLiteral("done"), QStringLiteral("while"), QStringLiteral("until"),
        QStringLiteral("!"),    QStringLiteral("{"),     QStringLiteral("}"),
        QStringLiteral("time"), QStringLiteral("esac"),  QStringLiteral("exec")};
    return reserved.contains(w);
}

class Splitter
{
public:
    explicit Splitter(QStringView s)
        : m_s(s)
    {
    }

    QList<ShellCommand> run()
    {
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (isBlank(c)) {
                endWord();
                ++m_i;
                continue;
            }
            if (c == u'\\' && m_i + 1 < m_s.size()) {
                if (m_s.at(m_i + 1) == u'\n') {
                    m_i += 2;
                    continue;
                }
                startWord();
                m_word.append(m_s.at(m_i + 1));
                m_i += 2;
                m_wordEnd = m_i;
                continue;
            }
            if (c == u'#' && !m_inWord) {
                while (m_i < m_s.size() && m_s.at(m_i) != u'\n')
                    ++m_i;
                continue;
            }
            if (c == u'\'' || c == u'"') {
                startWord();
                readQuoted(c);
                continue;
            }
            if (c == u'$' && m_i + 1 < m_s.size() && m_s.at(m_i + 1) == u'(') {
                if (m_i + 2 < m_s.size() && m_s.at(m_i + 2) == u'(') {
                    // arithmetic: keep as part of the word
                    startWord();
                    const qsizetype close = m_s.indexOf(u"))", m_i);
                    const qsizetype stop = close < 0 ? m_s.size() : close + 2;
                    m_word.append(m_s.mid(m_i, stop - m_i));
                    m_i = stop;
                    m_wordEnd = m_i;
                    continue;
                }
                endCommand(false);
                m_i += 2;
                continue;
            }
            if (c == u'`' || c == u'(' || c == u')' || c == u';' || c == u'\n') {
                endCommand(false);
                ++m_i;
                continue;
            }
            if (c == u'&') {
                if (m_i + 1 < m_s.size() && m_s.at(m_i + 1) == u'>') {
                    endWord();
                    m_i += 2;
                    skipRedirectTarget();
                    continue;
                }
                endCommand(false);
                m_i += (m_i + 1 < m_s.size() && m_s.at(m_i + 1) == u'&') ? 2 : 1;
                continue;
            }
            if (c == u'|') {
                const bool orOr = m_i + 1 < m_s.size() && m_s.at(m_i + 1) == u'|';
                endCommand(!orOr);
                m_i += orOr ? 2 : 1;
                if (!orOr && m_i < m_s.size() && m_s.at(m_i) == u'&')
                    ++m_i;
                continue;
            }
            if (c == u'>' || c == u'<') {
                // A pure number just before is a file descriptor, not a word.
                if (m_inWord && !m_word.isEmpty() &&
                    std::all_of(m_word.begin(), m_word.end(),
                                [](QChar ch) { return ch.isDigit(); })) {
                    m_inWord = false;
                    m_word.clear();
                } else {
                    endWord();
                }
                while (m_i < m_s.size() &&
                       (m_s.at(m_i) == u'>' || m_s.at(m_i) == u'<' || m_s.at(m_i) == u'|'))
                    ++m_i;
                if (m_i < m_s.size() && m_s.at(m_i) == u'&') {
                    ++m_i;
                    while (m_i < m_s.size() && (m_s.at(m_i).isDigit() || m_s.at(m_i) == u'-'))
                        ++m_i;
                    continue;
                }
                skipRedirectTarget();
                continue;
            }
            startWord();
            m_word.append(c);
            ++m_i;
            m_wordEnd = m_i;
        }
        endCommand(false);
        return m_commands;
    }

private:
    void startWord()
    {
        if (!m_inWord) {
            m_inWord = true;
            m_wordStart = m_i;
            m_word.clear();
        }
    }

    void endWord()
    {
        if (!m_inWord)
            return;
        m_inWord = false;
        if (m_current.words.isEmpty())
            m_current.start = m_wordStart;
        m_current.words.append(ShellWord{m_word, m_wordStart, m_wordEnd});
        m_current.end = m_wordEnd;
    }

    void readQuoted(QChar quote)
    {
        ++m_i;
        while (m_i < m_s.size() && m_s.at(m_i) != quote) {
            if (quote == u'"' && m_s.at(m_i) == u'\\' && m_i + 1 < m_s.size()) {
                const QChar n = m_s.at(m_i + 1);
                if (n == u'"' || n == u'\\' || n == u'$' || n == u'`') {
                    m_word.append(n);
                    m_i += 2;
                    continue;
                }
                if (n == u'\n') {
                    m_i += 2;
                    continue;
                }
            }
            m_word.append(m_s.at(m_i));
            ++m_i;
        }
        if (m_i < m_s.size())
            ++m_i;
        m_wordEnd = m_i;
    }

    void skipRedirectTarget()
    {
        while (m_i < m_s.size() && isBlank(m_s.at(m_i)))
            ++m_i;
        // consume one word (quotes included)
        QChar quote;
        while (m_i < m_s.size()) {
            const QChar c = m_s.at(m_i);
            if (quote.isNull()) {
                if (isBlank(c) || c == u'\n' || c == u';' || c == u'&' || c == u'|' || c == u')' ||
                    c == u'(')
                    break;
                if (c == u'\'' || c == u'"')
                    quote = c;
            } else if (c == quote) {
                quote = QChar();
            }
            ++m_i;
        }
    }

    void endCommand(bool piped)
    {
        endWord();
        // Drop leading assignments and reserved words; `for`/`case` headers are not commands.
        QList<ShellWord> &w = m_current.words;
        while (!w.isEmpty() && (isAssignment(w.first().text) || isReserved(w.first().text)))
            w.removeFirst();
        if (!w.isEmpty() && (w.first().text == u"for" || w.first().text == u"case"))
            w.clear();
        if (!w.isEmpty()) {
            m_current.start = w.first().start;
            m_current.pipedInto = piped;
            m_commands.append(m_current);
        }
        m_current = ShellCommand();
    }

    QStringView m_s;
    qsizetype m_i = 0;
    bool m_inWord = false;
    QString m_word;
    qsizetype m_wordStart = 0;
    qsizetype m_wordEnd = 0;
    ShellCommand m_current;
    QList<ShellCommand> m_commands;
};

} // namespace

QString ShellCommand::name() const
{
    if (words.isEmpty())
        return {};
    const QString &w = words.first().text;
    const qsizetype slash = w.lastIndexOf(u'/');
    return slash < 0 ? w : w.mid(slash + 1);
}

QStringList ShellCommand::arguments() const
{
    QStringList out;
    for (qsizetype i = 1; i < words.size(); ++i)
        out.append(words.at(i).text);
    return out;
}

bool ShellCommand::hasArgument(QStringView word) const
{
    for (qsizetype i = 1; i < words.size(); ++i) {
        if (words.at(i).text == word)
            return true;
    }
    return false;
}

bool ShellCommand::hasFlag(QChar letter, QStringView longName) const
{
    for (qsizetype i = 1; i < words.size(); ++i) {
        const QString &w = words.at(i).text;
        if (w == u"--")
            break;
        if (w.startsWith(u"--")) {
            if (!longName.isEmpty() && (w == longName || w.startsWith(longName.toString() + u'=')))
                return true;
        } else if (w.startsWith(u'-') && !letter.isNull() && w.size() > 1) {
            if (w.mid(1).contains(letter))
                return true;
        }
    }
    return false;
}

QStringList ShellCommand::operands(const QStringList &flagsWithValue) const
{
    QStringList out;
    bool afterDashDash = false;
    for (qsizetype i = 1; i < words.size(); ++i) {
        const QString &w = words.at(i).text;
        if (afterDashDash) {
            out.append(w);
            continue;
        }
        if (w == u"--") {
            afterDashDash = true;
            continue;
        }
        if (w.startsWith(u'-') && w.size() > 1) {
            if (flagsWithValue.contains(w) && i + 1 < words.size())
                ++i;
            continue;
        }
        out.append(w);
    }
    return out;
}

QList<ShellCommand> ShellCommand::split(QStringView script)
{
    return Splitter(script).run();
}

} // namespace stagecraft::dockerfile
