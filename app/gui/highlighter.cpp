#include "highlighter.h"

#include <QList>

#include <algorithm>
#include <cstring>

namespace stagecraft::gui {

namespace {

using S = Highlighter::Style;

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

bool isWordChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

void fill(char *styles, qsizetype from, qsizetype to, S style)
{
    if (to > from)
        std::memset(styles + from, style, size_t(to - from));
}

int indentOf(QByteArrayView line)
{
    int i = 0;
    while (i < line.size() && line[i] == ' ')
        ++i;
    return i;
}

bool isBlank(QByteArrayView line)
{
    for (char c : line) {
        if (!isSpace(c) && c != '\r')
            return false;
    }
    return true;
}

/// `$VAR`, `${VAR}`, `$(cmd)` starting at `i` (which holds '$'); returns the end.
qsizetype variableEnd(QByteArrayView s, qsizetype i)
{
    qsizetype j = i + 1;
    if (j >= s.size())
        return i + 1;
    if (s[j] == '{' || s[j] == '(') {
        const char close = s[j] == '{' ? '}' : ')';
        int depth = 0;
        for (; j < s.size(); ++j) {
            if (s[j] == s[i + 1])
                ++depth;
            else if (s[j] == close && --depth == 0)
                return j + 1;
        }
        return s.size();
    }
    if (s[j] == '$' || s[j] == '?' || s[j] == '@' || s[j] == '#' || s[j] == '*')
        return j + 1;
    while (j < s.size() && isWordChar(s[j]))
        ++j;
    return j;
}

void variablesIn(QByteArrayView s, char *styles)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s[i] == '$') {
            const qsizetype end = variableEnd(s, i);
            if (end > i + 1)
                fill(styles, i, end, S::Variable);
            i = end - 1;
        }
    }
}

constexpr const char *shellKeywords[] = {
    "if",   "then",  "else",     "elif",     "fi",     "for",    "do",    "done", "while", "until",
    "case", "esac",  "in",       "function", "return", "export", "local", "set",  "unset", "source",
    "exit", "break", "continue", "readonly", "shift",  "trap",   "eval",  "exec",
};

bool isShellKeyword(QByteArrayView word)
{
    return std::any_of(std::begin(shellKeywords), std::end(shellKeywords),
                       [word](const char *k) { return word == QByteArrayView(k); });
}

// Global keywords of .gitlab-ci.yml: a top-level key outside this list is a job.
constexpr const char *globalKeys[] = {"default",       "include",      "stages",   "variables",
                                      "workflow",      "image",        "services", "cache",
                                      "before_script", "after_script", "spec",     "pages"};

bool isGlobalKey(QByteArrayView key)
{
    return std::any_of(std::begin(globalKeys), std::end(globalKeys),
                       [key](const char *k) { return key == QByteArrayView(k); });
}

bool isScriptKey(QByteArrayView key)
{
    return key == QByteArrayView("script") || key == QByteArrayView("before_script") ||
           key == QByteArrayView("after_script");
}

/// The end of a quoted string starting at `i` (quote included); the line end when unclosed.
qsizetype quotedEnd(QByteArrayView s, qsizetype i)
{
    const char q = s[i];
    for (qsizetype j = i + 1; j < s.size(); ++j) {
        if (q == '"' && s[j] == '\\') {
            ++j;
            continue;
        }
        if (s[j] == q) {
            if (q == '\'' && j + 1 < s.size() && s[j + 1] == '\'') {
                ++j;
                continue;
            }
            return j + 1;
        }
    }
    return s.size();
}

/// The key of a YAML line at `i` (plain or quoted) followed by ':' and a space or the end:
/// returns the position of ':' or -1.
qsizetype keyColon(QByteArrayView s, qsizetype i)
{
    if (i >= s.size())
        return -1;
    qsizetype j = i;
    if (s[i] == '"' || s[i] == '\'') {
        j = quotedEnd(s, i);
        while (j < s.size() && isSpace(s[j]))
            ++j;
        return j < s.size() && s[j] == ':' ? j : -1;
    }
    if (s[i] == '#' || s[i] == '[' || s[i] == '{' || s[i] == '&' || s[i] == '*' || s[i] == '!' ||
        s[i] == '|' || s[i] == '>' || s[i] == '"')
        return -1;
    for (; j < s.size(); ++j) {
        if (s[j] == ':' && (j + 1 == s.size() || isSpace(s[j + 1]) || s[j + 1] == '\r'))
            return j;
        if (s[j] == '#' && j > i && isSpace(s[j - 1]))
            return -1;
    }
    return -1;
}

bool isNumber(QByteArrayView w)
{
    if (w.isEmpty())
        return false;
    qsizetype i = (w[0] == '-' || w[0] == '+') ? 1 : 0;
    if (i == w.size())
        return false;
    bool digits = false;
    for (; i < w.size(); ++i) {
        if (w[i] >= '0' && w[i] <= '9')
            digits = true;
        else if (w[i] != '.' && w[i] != '_')
            return false;
    }
    return digits;
}

bool isLiteral(QByteArrayView w)
{
    static constexpr const char *words[] = {"true", "false", "null",  "~",    "yes",
                                            "no",   "on",    "off",   "True", "False",
                                            "Null", "TRUE",  "FALSE", "NULL"};
    return std::any_of(std::begin(words), std::end(words),
                       [w](const char *k) { return w == QByteArrayView(k); });
}

/// A YAML value (after "key: " or "- "), from `i` to the end of the line.
void yamlValue(QByteArrayView s, qsizetype i, char *st)
{
    while (i < s.size()) {
        const char c = s[i];
        if (isSpace(c)) {
            ++i;
            continue;
        }
        if (c == '#' && (i == 0 || isSpace(s[i - 1]))) {
            fill(st, i, s.size(), S::Comment);
            return;
        }
        if (c == '"' || c == '\'') {
            const qsizetype end = quotedEnd(s, i);
            fill(st, i, end, S::String);
            variablesIn(s.sliced(i, end - i), st + i);
            i = end;
            continue;
        }
        if (c == '&' || c == '*' || c == '!') {
            qsizetype end = i + 1;
            while (end < s.size() && !isSpace(s[end]) && s[end] != ',' && s[end] != ']' &&
                   s[end] != '}')
                ++end;
            fill(st, i, end, c == '!' ? S::Tag : S::Anchor);
            i = end;
            continue;
        }
        if (c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == '|' || c == '>' ||
            c == '-' || c == ':') {
            // A sign or a dash inside a word is not an indicator.
            if ((c == '-' || c == ':') && i + 1 < s.size() && !isSpace(s[i + 1])) {
                // falls through to the plain scalar below
            } else {
                st[i] = S::Operator;
                ++i;
                continue;
            }
        }
        // A plain scalar up to a flow indicator, a comment or the end.
        qsizetype end = i;
        while (end < s.size() && s[end] != ',' && s[end] != ']' && s[end] != '}' &&
               !(s[end] == '#' && end > i && isSpace(s[end - 1])) && s[end] != '\r')
            ++end;
        qsizetype trimmed = end;
        while (trimmed > i && isSpace(s[trimmed - 1]))
            --trimmed;
        const QByteArrayView word = s.sliced(i, trimmed - i);
        if (isNumber(word))
            fill(st, i, trimmed, S::Number);
        else if (isLiteral(word))
            fill(st, i, trimmed, S::Literal);
        else
            variablesIn(word, st + i);
        i = end == i ? i + 1 : end;
    }
}

struct BlockState
{
    int scriptIndent = -1; ///< indent of the script key whose items are shell; -1 outside
    int blockIndent = -1;  ///< indent of the key owning a `|`/`>` block scalar; -1 outside
    bool blockIsShell = false;
};

QList<QByteArrayView> splitLines(QByteArrayView text, QList<qsizetype> *starts)
{
    QList<QByteArrayView> lines;
    qsizetype from = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\n') {
            qsizetype end = i;
            if (end > from && text[end - 1] == '\r')
                --end;
            lines.append(text.sliced(from, end - from));
            starts->append(from);
            from = i + 1;
        }
    }
    return lines;
}

} // namespace

void Highlighter::shell(QByteArrayView s, char *st)
{
    bool commandStart = true;
    qsizetype i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (isSpace(c)) {
            ++i;
            continue;
        }
        if (c == '#') {
            fill(st, i, s.size(), S::Comment);
            return;
        }
        if (c == '\'' || c == '"') {
            qsizetype end = i + 1;
            while (end < s.size() && s[end] != c) {
                if (c == '"' && s[end] == '\\')
                    ++end;
                ++end;
            }
            end = std::min(end + 1, s.size());
            fill(st, i, end, S::String);
            if (c == '"')
                variablesIn(s.sliced(i, end - i), st + i);
            i = end;
            commandStart = false;
            continue;
        }
        if (c == '$') {
            const qsizetype end = variableEnd(s, i);
            fill(st, i, end, S::Variable);
            i = end;
            commandStart = false;
            continue;
        }
        if (c == '|' || c == '&' || c == ';' || c == '(' || c == ')' || c == '<' || c == '>' ||
            c == '`') {
            st[i] = S::Operator;
            commandStart = c != '>' && c != '<';
            ++i;
            continue;
        }
        qsizetype end = i;
        while (end < s.size() && !isSpace(s[end]) && s[end] != ';' && s[end] != '|' &&
               s[end] != '&' && s[end] != '"' && s[end] != '\'' && s[end] != '$' && s[end] != ')' &&
               s[end] != '<' && s[end] != '>')
            ++end;
        const QByteArrayView word = s.sliced(i, end - i);
        if (isShellKeyword(word)) {
            fill(st, i, end, S::ShellKeyword);
            commandStart = true;
        } else if (commandStart && !word.contains('=')) {
            fill(st, i, end, S::ShellCommand);
            commandStart = false;
        } else if (word.startsWith("-")) {
            fill(st, i, end, S::Flag);
        } else if (isNumber(word)) {
            fill(st, i, end, S::Number);
        }
        i = end;
    }
}

QByteArray Highlighter::yaml(QByteArrayView text)
{
    QByteArray styles(text.size(), S::Default);
    char *st = styles.data();
    QList<qsizetype> starts;
    const QList<QByteArrayView> lines = splitLines(text, &starts);
    BlockState state;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArrayView line = lines.at(n);
        char *ls = st + starts.at(n);
        const int indent = indentOf(line);
        if (isBlank(line))
            continue;
        // Inside a block scalar (`key: |`): everything more indented belongs to it.
        if (state.blockIndent >= 0) {
            if (indent > state.blockIndent) {
                if (state.blockIsShell)
                    shell(line.sliced(indent), ls + indent);
                else {
                    fill(ls, indent, line.size(), S::String);
                    variablesIn(line, ls);
                }
                continue;
            }
            state.blockIndent = -1;
        }
        if (state.scriptIndent >= 0 &&
            (indent < state.scriptIndent ||
             (indent == state.scriptIndent && !line.sliced(indent).startsWith("- "))))
            state.scriptIndent = -1;
        if (line.sliced(indent).startsWith("#")) {
            fill(ls, indent, line.size(), S::Comment);
            continue;
        }
        if (indent == 0 && (line.startsWith("---") || line.startsWith("..."))) {
            fill(ls, 0, 3, S::DocumentMarker);
            yamlValue(line, 3, ls);
            continue;
        }
        qsizetype i = indent;
        // Sequence dashes.
        bool inSequence = false;
        while (i + 1 <= line.size() && line[i] == '-' &&
               (i + 1 == line.size() || isSpace(line[i + 1]))) {
            ls[i] = S::Operator;
            inSequence = true;
            ++i;
            while (i < line.size() && isSpace(line[i]))
                ++i;
        }
        if (inSequence && state.scriptIndent >= 0 && indent >= state.scriptIndent) {
            // A script item: shell, unless it is a YAML construct (tag, block, quoted string).
            if (i < line.size() && line[i] == '!') {
                yamlValue(line, i, ls);
            } else if (i < line.size() && (line[i] == '|' || line[i] == '>')) {
                ls[i] = S::Operator;
                state.blockIndent = indent;
                state.blockIsShell = true;
            } else if (i < line.size() && (line[i] == '"' || line[i] == '\'')) {
                yamlValue(line, i, ls);
            } else {
                shell(line.sliced(i), ls + i);
            }
            continue;
        }
        const qsizetype colon = keyColon(line, i);
        if (colon < 0) {
            yamlValue(line, i, ls);
            continue;
        }
        QByteArrayView key = line.sliced(i, colon - i);
        while (!key.isEmpty() && isSpace(key.back()))
            key.chop(1);
        const bool top = indent == 0 && !inSequence;
        fill(ls, i, i + key.size(), top && !isGlobalKey(key) ? S::JobKey : S::Key);
        ls[colon] = S::Operator;
        qsizetype v = colon + 1;
        while (v < line.size() && isSpace(line[v]))
            ++v;
        const int keyIndent = int(i);
        const bool script = isScriptKey(key);
        if (v < line.size() && (line[v] == '|' || line[v] == '>')) {
            qsizetype e = v;
            while (e < line.size() && !isSpace(line[e]))
                ++e;
            fill(ls, v, e, S::Operator);
            yamlValue(line, e, ls);
            state.blockIndent = keyIndent;
            state.blockIsShell = script;
            continue;
        }
        if (script) {
            if (v >= line.size() || line[v] == '#') {
                yamlValue(line, v, ls);
                state.scriptIndent = keyIndent;
            } else if (line[v] == '[' || line[v] == '!' || line[v] == '"' || line[v] == '\'' ||
                       line[v] == '*') {
                yamlValue(line, v, ls);
            } else {
                shell(line.sliced(v), ls + v);
            }
            continue;
        }
        yamlValue(line, v, ls);
    }
    return styles;
}

QByteArray Highlighter::dockerfile(QByteArrayView text)
{
    static constexpr const char *instructions[] = {
        "FROM",    "RUN", "CMD",     "LABEL",      "MAINTAINER",  "EXPOSE",
        "ENV",     "ADD", "COPY",    "ENTRYPOINT", "VOLUME",      "USER",
        "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
    QByteArray styles(text.size(), S::Default);
    char *st = styles.data();
    QList<qsizetype> starts;
    const QList<QByteArrayView> lines = splitLines(text, &starts);
    QByteArray instruction;     // of the instruction continued on this line
    bool continued = false;     // the previous line ended with a backslash
    QList<QByteArray> heredocs; // pending heredoc terminators, in order
    QList<bool> heredocStrip;
    bool heredocShell = false;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArrayView line = lines.at(n);
        char *ls = st + starts.at(n);
        if (!heredocs.isEmpty()) {
            QByteArrayView t = line;
            if (heredocStrip.constFirst()) {
                while (!t.isEmpty() && t[0] == '\t')
                    t = t.sliced(1);
            }
            if (t == QByteArrayView(heredocs.constFirst())) {
                fill(ls, 0, line.size(), S::Heredoc);
                heredocs.removeFirst();
                heredocStrip.removeFirst();
            } else if (heredocShell) {
                shell(line, ls);
            } else {
                fill(ls, 0, line.size(), S::String);
                variablesIn(line, ls);
            }
            continue;
        }
        const int indent = indentOf(line);
        if (isBlank(line))
            continue;
        if (line.sliced(indent).startsWith("#")) {
            fill(ls, indent, line.size(), S::Comment);
            continue;
        }
        qsizetype i = indent;
        if (!continued) {
            qsizetype e = i;
            while (e < line.size() && !isSpace(line[e]))
                ++e;
            instruction = line.sliced(i, e - i).toByteArray().toUpper();
            const bool known =
                std::any_of(std::begin(instructions), std::end(instructions),
                            [&](const char *k) { return instruction == QByteArrayView(k); });
            if (known)
                fill(ls, i, e, S::Instruction);
            i = e;
            // Flags right after the instruction.
            while (true) {
                while (i < line.size() && isSpace(line[i]))
                    ++i;
                if (!line.sliced(i).startsWith("--"))
                    break;
                qsizetype f = i;
                while (f < line.size() && !isSpace(line[f]))
                    ++f;
                fill(ls, i, f, S::Flag);
                i = f;
            }
        }
        QByteArrayView rest = line.sliced(i);
        qsizetype restEnd = rest.size();
        continued = rest.endsWith("\\");
        if (continued)
            --restEnd;
        const bool shellForm = instruction == "RUN" || instruction == "CMD" ||
                               instruction == "ENTRYPOINT" || instruction == "HEALTHCHECK";
        qsizetype firstNonSpace = 0;
        while (firstNonSpace < rest.size() && isSpace(rest[firstNonSpace]))
            ++firstNonSpace;
        if (firstNonSpace < rest.size() && rest[firstNonSpace] == '[' && !continued) {
            // JSON (exec) form.
            for (qsizetype j = firstNonSpace; j < restEnd; ++j) {
                if (rest[j] == '"') {
                    const qsizetype end = quotedEnd(rest, j);
                    fill(ls + i, j, end, S::String);
                    j = end - 1;
                } else if (!isSpace(rest[j])) {
                    ls[i + j] = S::Operator;
                }
            }
        } else if (shellForm) {
            shell(rest.first(restEnd), ls + i);
        } else if (instruction == "FROM") {
            variablesIn(rest, ls + i);
            for (qsizetype j = 0; j + 2 <= rest.size(); ++j) {
                if ((j == 0 || isSpace(rest[j - 1])) &&
                    (rest.sliced(j).startsWith("AS") || rest.sliced(j).startsWith("as")) &&
                    (j + 2 == rest.size() || isSpace(rest[j + 2])))
                    fill(ls + i, j, j + 2, S::Literal);
            }
        } else {
            for (qsizetype j = 0; j < rest.size(); ++j) {
                if (rest[j] == '"' || rest[j] == '\'') {
                    const qsizetype end = quotedEnd(rest, j);
                    fill(ls + i, j, end, S::String);
                    j = end - 1;
                }
            }
            variablesIn(rest, ls + i);
        }
        if (continued)
            ls[i + restEnd] = S::Operator;
        // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"`; the body starts on the next line.
        for (qsizetype j = 0; j + 2 < rest.size(); ++j) {
            if (rest[j] != '<' || rest[j + 1] != '<' || (j > 0 && rest[j - 1] == '<'))
                continue;
            qsizetype k = j + 2;
            const bool strip = k < rest.size() && rest[k] == '-';
            if (strip)
                ++k;
            if (k < rest.size() && (rest[k] == '"' || rest[k] == '\''))
                ++k;
            qsizetype w = k;
            while (w < rest.size() && isWordChar(rest[w]))
                ++w;
            if (w == k)
                continue;
            heredocs.append(rest.sliced(k, w - k).toByteArray());
            heredocStrip.append(strip);
            qsizetype end = w;
            if (end < rest.size() && (rest[end] == '"' || rest[end] == '\''))
                ++end;
            fill(ls + i, j, end, S::Heredoc);
            j = end - 1;
        }
        heredocShell = instruction == "RUN";
    }
    return styles;
}

QList<int> Highlighter::yamlFoldLevels(QByteArrayView text)
{
    constexpr int base = 0x400;
    constexpr int whiteFlag = 0x1000;
    constexpr int headerFlag = 0x2000;
    QList<qsizetype> starts;
    const QList<QByteArrayView> lines = splitLines(text, &starts);
    QList<int> indents(lines.size(), -1);
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArrayView l = lines.at(n);
        if (!isBlank(l) && !l.sliced(indentOf(l)).startsWith("#"))
            indents[n] = indentOf(l);
    }
    QList<int> levels(lines.size(), base);
    int previous = 0;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        if (indents.at(n) < 0) {
            levels[n] = (base + previous / 2) | whiteFlag;
            continue;
        }
        const int level = indents.at(n);
        int next = level;
        for (qsizetype m = n + 1; m < lines.size(); ++m) {
            if (indents.at(m) >= 0) {
                next = indents.at(m);
                break;
            }
        }
        levels[n] = (base + level / 2) | (next > level ? headerFlag : 0);
        previous = level;
    }
    return levels;
}

} // namespace stagecraft::gui
