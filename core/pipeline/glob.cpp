#include "glob.h"

namespace stagecraft::pipeline {

namespace {

// Matches one bracket expression at p[pi] == '['; returns the index after ']' or -1 when the
// bracket is not closed (then '[' is literal). `matched` tells whether c is in the class.
qsizetype matchClass(QStringView p, qsizetype pi, QChar c, bool &matched)
{
    qsizetype i = pi + 1;
    bool negate = false;
    if (i < p.size() && (p[i] == u'!' || p[i] == u'^')) {
        negate = true;
        ++i;
    }
    bool found = false;
    bool first = true;
    while (i < p.size() && (first || p[i] != u']')) {
        first = false;
        QChar lo = p[i];
        if (lo == u'\\' && i + 1 < p.size())
            lo = p[++i];
        QChar hi = lo;
        if (i + 2 < p.size() && p[i + 1] == u'-' && p[i + 2] != u']') {
            hi = p[i + 2];
            if (hi == u'\\' && i + 3 < p.size()) {
                hi = p[i + 3];
                ++i;
            }
            i += 2;
        }
        if (c >= lo && c <= hi)
            found = true;
        ++i;
    }
    if (i >= p.size())
        return -1;
    matched = (found != negate) && c != u'/';
    return i + 1;
}

bool matchHere(QStringView p, qsizetype pi, QStringView s, qsizetype si)
{
    while (pi < p.size()) {
        const QChar pc = p[pi];
        if (pc == u'*') {
            // `**/` at the start of a path segment: zero or more whole folders.
            const bool segmentStart = pi == 0 || p[pi - 1] == u'/';
            if (segmentStart && pi + 2 < p.size() && p[pi + 1] == u'*' && p[pi + 2] == u'/') {
                const qsizetype rest = pi + 3;
                qsizetype at = si;
                while (true) {
                    if (matchHere(p, rest, s, at))
                        return true;
                    const qsizetype slash = s.indexOf(u'/', at);
                    if (slash < 0)
                        return false;
                    at = slash + 1;
                }
            }
            while (pi < p.size() && p[pi] == u'*')
                ++pi;
            // A star never crosses '/'.
            for (qsizetype at = si;; ++at) {
                if (matchHere(p, pi, s, at))
                    return true;
                if (at >= s.size() || s[at] == u'/')
                    return false;
            }
        }
        if (si >= s.size())
            return false;
        if (pc == u'?') {
            if (s[si] == u'/')
                return false;
            ++pi;
            ++si;
            continue;
        }
        if (pc == u'[') {
            bool matched = false;
            const qsizetype next = matchClass(p, pi, s[si], matched);
            if (next >= 0) {
                if (!matched)
                    return false;
                pi = next;
                ++si;
                continue;
            }
        }
        QChar literal = pc;
        if (pc == u'\\' && pi + 1 < p.size())
            literal = p[++pi];
        if (literal != s[si])
            return false;
        ++pi;
        ++si;
    }
    return si == s.size();
}

} // namespace

QStringList expandBraces(const QString &pattern)
{
    // Find the first top-level {...} with a comma, expand it, recurse on the results.
    qsizetype open = -1;
    int depth = 0;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'\\') {
            ++i;
            continue;
        }
        if (c == u'{') {
            if (depth == 0)
                open = i;
            ++depth;
        } else if (c == u'}' && depth > 0) {
            --depth;
            if (depth == 0 && open >= 0) {
                QStringList parts;
                int d2 = 0;
                qsizetype start = open + 1;
                for (qsizetype j = open + 1; j < i; ++j) {
                    const QChar cj = pattern.at(j);
                    if (cj == u'\\') {
                        ++j;
                    } else if (cj == u'{') {
                        ++d2;
                    } else if (cj == u'}') {
                        --d2;
                    } else if (cj == u',' && d2 == 0) {
                        parts << pattern.mid(start, j - start);
                        start = j + 1;
                    }
                }
                parts << pattern.mid(start, i - start);
                const QString prefix = pattern.left(open);
                const QString suffix = pattern.mid(i + 1);
                QStringList out;
                for (const QString &part : parts)
                    out += expandBraces(prefix + part + suffix);
                return out;
            }
        }
    }
    return {pattern};
}

bool globMatch(QStringView pattern, QStringView path)
{
    if (pattern.contains(u'{')) {
        const QStringList alternatives = expandBraces(pattern.toString());
        for (const QString &alt : alternatives) {
            if (matchHere(alt, 0, path, 0))
                return true;
        }
        return false;
    }
    return matchHere(pattern, 0, path, 0);
}

bool anyMatch(const QStringList &patterns, const QStringList &paths)
{
    for (const QString &pattern : patterns) {
        const QStringList alternatives = expandBraces(pattern);
        for (const QString &path : paths) {
            for (const QString &alt : alternatives) {
                if (matchHere(alt, 0, path, 0))
                    return true;
            }
        }
    }
    return false;
}

} // namespace stagecraft::pipeline
