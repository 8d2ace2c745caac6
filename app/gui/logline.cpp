#include "logline.h"

#include <QTextBoundaryFinder>

#include <algorithm>
#include <array>
#include <cmath>

namespace stagecraft::gui {

namespace {

constexpr int tabWidth = 8;

// The 16 terminal colours, readable on the job log's dark background (GitLab's job log is
// dark in every theme).
constexpr std::array<QRgb, 16> basicColors = {
    0xff000000, 0xffe74c3c, 0xff2ecc71, 0xfff1c40f, 0xff3b8eea, 0xffc678dd, 0xff29b8db, 0xffd4d4d4,
    0xff7f7f7f, 0xffff6b6b, 0xff5af78e, 0xfff4f99d, 0xff6cb6ff, 0xffff92d0, 0xff9aedfe, 0xffffffff};

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

struct FoundMarker
{
    qsizetype begin = -1; ///< where `section_` starts
    qsizetype end = -1;   ///< after the `\r\e[0K` that ends it
    LogLine::Marker kind = LogLine::Marker::None;
    QString name;
    qint64 timestamp = 0;
    QByteArray options;
};

/// GitLab's section marker regex, by hand:
/// `section_(start|end):(\d+):([a-zA-Z0-9_.-]+)(?:\[([^\]]+)\])?\r\e\[0K`.
FoundMarker findMarker(QByteArrayView raw)
{
    FoundMarker m;
    qsizetype from = 0;
    while (true) {
        const qsizetype at = raw.indexOf("section_", from);
        if (at < 0)
            return m;
        from = at + 1;
        qsizetype p = at + 8;
        LogLine::Marker kind = LogLine::Marker::None;
        if (raw.sliced(p).startsWith("start:")) {
            kind = LogLine::Marker::SectionStart;
            p += 6;
        } else if (raw.sliced(p).startsWith("end:")) {
            kind = LogLine::Marker::SectionEnd;
            p += 4;
        } else {
            continue;
        }
        const qsizetype digits = p;
        while (p < raw.size() && raw[p] >= '0' && raw[p] <= '9')
            ++p;
        if (p == digits || p >= raw.size() || raw[p] != ':')
            continue;
        const qint64 ts = raw.sliced(digits, p - digits).toLongLong();
        const qsizetype name = ++p;
        while (p < raw.size() && isNameChar(raw[p]))
            ++p;
        if (p == name)
            continue;
        const qsizetype nameEnd = p;
        QByteArrayView options;
        if (p < raw.size() && raw[p] == '[') {
            const qsizetype close = raw.indexOf(']', p);
            if (close < 0 || close == p + 1)
                continue;
            options = raw.sliced(p + 1, close - p - 1);
            p = close + 1;
        }
        if (!raw.sliced(p).startsWith("\r\x1b[0K"))
            continue;
        m.begin = at;
        m.end = p + 5;
        m.kind = kind;
        m.name = QString::fromLatin1(raw.sliced(name, nameEnd - name));
        m.timestamp = ts;
        m.options = options.toByteArray();
        return m;
    }
}

class Builder
{
public:
    explicit Builder(LogLine &out)
        : m_out(out)
    {
    }

    void feed(QByteArrayView raw)
    {
        qsizetype plain = 0; // start of pending printable bytes
        qsizetype i = 0;
        const qsizetype n = raw.size();
        while (i < n) {
            const auto c = static_cast<unsigned char>(raw[i]);
            if (c >= 0x20 && c != 0x7f) {
                ++i;
                continue;
            }
            addText(raw.sliced(plain, i - plain));
            if (c == '\t') {
                addTab();
                ++i;
            } else if (c == '\r') {
                // Overwritten: GitLab shows what comes after the last carriage return.
                eraseLine();
                ++i;
            } else if (c == 0x1b) {
                i = escape(raw, i);
            } else {
                ++i; // other control characters have no glyph
            }
            plain = i;
        }
        addText(raw.sliced(plain, n - plain));
    }

    /// What came before a section marker is a terminal's business: the marker's `\r\e[0K`
    /// erases it.
    void eraseLine()
    {
        m_out.text.clear();
        m_out.runs.clear();
        m_columns = 0;
    }

private:
    void addString(const QString &s)
    {
        if (s.isEmpty())
            return;
        const int start = int(m_out.text.size());
        m_out.text += s;
        m_columns += LogLine::displayWidth(s);
        if (!m_out.runs.isEmpty() && m_out.runs.last().style == m_style &&
            m_out.runs.last().start + m_out.runs.last().length == start) {
            m_out.runs.last().length += int(s.size());
        } else {
            m_out.runs.append(LogRun{start, int(s.size()), m_style});
        }
    }
    void addText(QByteArrayView bytes)
    {
        if (!bytes.isEmpty())
            addString(QString::fromUtf8(bytes));
    }
    void addTab()
    {
        // Stops every 8 terminal columns: a wide character before the tab counts twice.
        addString(QString(tabWidth - m_columns % tabWidth, u' '));
    }

    /// Consumes the escape sequence at `i`; returns the index after it.
    qsizetype escape(QByteArrayView raw, qsizetype i)
    {
        const qsizetype n = raw.size();
        if (i + 1 >= n)
            return n;
        const char kind = raw[i + 1];
        if (kind == '[') {
            qsizetype p = i + 2;
            while (p < n && raw[p] >= 0x30 && raw[p] <= 0x3f)
                ++p;
            const qsizetype paramsEnd = p;
            while (p < n && raw[p] >= 0x20 && raw[p] <= 0x2f)
                ++p;
            if (p >= n || raw[p] < 0x40 || raw[p] > 0x7e)
                return n; // unfinished: nothing more to show
            if (raw[p] == 'm' && paramsEnd == p)
                sgr(raw.sliced(i + 2, paramsEnd - i - 2));
            // `\e[0K` (erase to the end of the line) and cursor movements: a log is not a
            // screen, GitLab ignores them too.
            return p + 1;
        }
        if (kind == ']') {
            // OSC (window titles, hyperlinks): up to BEL or ST.
            for (qsizetype p = i + 2; p < n; ++p) {
                if (raw[p] == '\a')
                    return p + 1;
                if (raw[p] == 0x1b && p + 1 < n && raw[p + 1] == '\\')
                    return p + 2;
            }
            return n;
        }
        // Other escapes (`\e(B` charsets, `\e=` keypad): intermediates, then a final byte.
        qsizetype p = i + 1;
        while (p < n && raw[p] >= 0x20 && raw[p] <= 0x2f)
            ++p;
        return std::min(n, p + 1);
    }

    void sgr(QByteArrayView params)
    {
        QList<int> codes;
        int value = 0;
        bool any = false;
        for (const char c : params) {
            if (c >= '0' && c <= '9') {
                value = std::min(value * 10 + (c - '0'), 100000);
                any = true;
            } else if (c == ';' || c == ':') {
                codes.append(any ? value : 0);
                value = 0;
                any = false;
            }
        }
        codes.append(any ? value : 0);
        for (qsizetype k = 0; k < codes.size(); ++k) {
            const int code = codes[k];
            if (code == 0) {
                m_style = LogStyle();
            } else if (code == 1) {
                m_style.bold = true;
            } else if (code == 3) {
                m_style.italic = true;
            } else if (code == 4) {
                m_style.underline = true;
            } else if (code == 22) {
                m_style.bold = false;
            } else if (code == 23) {
                m_style.italic = false;
            } else if (code == 24) {
                m_style.underline = false;
            } else if (code >= 30 && code <= 37) {
                m_style.foreground = LogLine::paletteColor(code - 30);
            } else if (code >= 90 && code <= 97) {
                m_style.foreground = LogLine::paletteColor(code - 90 + 8);
            } else if (code >= 40 && code <= 47) {
                m_style.background = LogLine::paletteColor(code - 40);
            } else if (code >= 100 && code <= 107) {
                m_style.background = LogLine::paletteColor(code - 100 + 8);
            } else if (code == 39) {
                m_style.foreground = QColor();
            } else if (code == 49) {
                m_style.background = QColor();
            } else if (code == 38 || code == 48) {
                QColor color;
                if (k + 2 < codes.size() && codes[k + 1] == 5) {
                    color = LogLine::paletteColor(codes[k + 2]);
                    k += 2;
                } else if (k + 4 < codes.size() && codes[k + 1] == 2) {
                    color = QColor(qBound(0, codes[k + 2], 255), qBound(0, codes[k + 3], 255),
                                   qBound(0, codes[k + 4], 255));
                    k += 4;
                } else {
                    break; // malformed: the rest of the sequence means nothing
                }
                (code == 38 ? m_style.foreground : m_style.background) = color;
            }
        }
    }

    LogLine &m_out;
    LogStyle m_style;
    int m_columns = 0; ///< terminal columns of m_out.text
};

bool isWide(char32_t c)
{
    // East Asian Wide and Fullwidth blocks, and the emoji blocks (what wcwidth() says 2 for).
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x231a && c <= 0x231b) ||
           (c >= 0x2329 && c <= 0x232a) || (c >= 0x23e9 && c <= 0x23ec) ||
           (c >= 0x25fd && c <= 0x25fe) || (c >= 0x2614 && c <= 0x2615) ||
           (c >= 0x2648 && c <= 0x2653) || (c >= 0x26aa && c <= 0x26ab) ||
           (c >= 0x26bd && c <= 0x26be) || (c >= 0x26c4 && c <= 0x26c5) || c == 0x26a1 ||
           c == 0x26ce || c == 0x26d4 || c == 0x26ea || (c >= 0x26f2 && c <= 0x26f5) ||
           c == 0x26fa || c == 0x26fd || c == 0x2705 || (c >= 0x270a && c <= 0x270b) ||
           c == 0x2728 || c == 0x274c || c == 0x274e || (c >= 0x2753 && c <= 0x2755) ||
           c == 0x2757 || (c >= 0x2795 && c <= 0x2797) || c == 0x27b0 || c == 0x27bf ||
           (c >= 0x2b1b && c <= 0x2b1c) || c == 0x2b50 || c == 0x2b55 ||
           (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
           (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xa000 && c <= 0xa4cf) || (c >= 0xa960 && c <= 0xa97f) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xfe10 && c <= 0xfe19) || (c >= 0xfe30 && c <= 0xfe6f) ||
           (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ||
           (c >= 0x16fe0 && c <= 0x18aff) || (c >= 0x1b000 && c <= 0x1b2ff) || c == 0x1f004 ||
           c == 0x1f0cf || c == 0x1f18e || (c >= 0x1f191 && c <= 0x1f19a) ||
           (c >= 0x1f200 && c <= 0x1f251) || (c >= 0x1f300 && c <= 0x1f64f) ||
           (c >= 0x1f680 && c <= 0x1f6ff) || (c >= 0x1f7e0 && c <= 0x1f7eb) ||
           (c >= 0x1f90c && c <= 0x1f9ff) || (c >= 0x1fa70 && c <= 0x1faff) ||
           (c >= 0x20000 && c <= 0x3fffd);
}

} // namespace

QColor LogLine::paletteColor(int index)
{
    if (index < 0 || index > 255)
        return {};
    if (index < 16)
        return QColor::fromRgb(basicColors[size_t(index)]);
    if (index < 232) {
        static constexpr std::array<int, 6> levels = {0, 95, 135, 175, 215, 255};
        const int i = index - 16;
        return QColor(levels[size_t(i / 36)], levels[size_t(i / 6 % 6)], levels[size_t(i % 6)]);
    }
    const int gray = 8 + (index - 232) * 10;
    return QColor(gray, gray, gray);
}

int LogLine::displayWidth(QStringView text)
{
    int width = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text[i].unicode();
        if (c < 0x300) {
            width += c >= 0x20 ? 1 : 0;
            continue;
        }
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text[i], text[i + 1]);
            ++i;
        }
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing ||
            category == QChar::Other_Format || (c >= 0xfe00 && c <= 0xfe0f))
            continue; // combining marks, joiners, variation selectors
        width += isWide(c) ? 2 : 1;
    }
    return width;
}

LogLine LogLine::parse(QByteArrayView raw)
{
    LogLine out;
    // A CR before the newline (CRLF output) ends the line rather than overwriting it.
    while (raw.endsWith('\r'))
        raw.chop(1);
    Builder builder(out);
    const FoundMarker m = findMarker(raw);
    if (m.kind == Marker::None) {
        builder.feed(raw);
        return out;
    }
    builder.feed(raw.first(m.begin));
    builder.eraseLine();
    out.marker = m.kind;
    out.section = m.name;
    out.timestamp = m.timestamp;
    for (const QByteArray &option : m.options.split(',')) {
        const QByteArray o = option.trimmed();
        if (o == "collapsed=true")
            out.collapsed = true;
        else if (o == "hide_duration=true")
            out.hideDuration = true;
    }
    builder.feed(raw.sliced(m.end));
    return out;
}

LogLine LogLine::parseMarker(QByteArrayView raw, bool *visibleText)
{
    LogLine out;
    while (raw.endsWith('\r'))
        raw.chop(1);
    const FoundMarker m = findMarker(raw);
    if (m.kind == Marker::None) {
        *visibleText = true;
        return out;
    }
    out.marker = m.kind;
    out.section = m.name;
    out.timestamp = m.timestamp;
    for (const QByteArray &option : m.options.split(',')) {
        const QByteArray o = option.trimmed();
        if (o == "collapsed=true")
            out.collapsed = true;
        else if (o == "hide_duration=true")
            out.hideDuration = true;
    }
    // What follows the marker: usually nothing (end) or a short title (start).
    const QByteArrayView rest = raw.sliced(m.end);
    *visibleText = false;
    if (!rest.isEmpty()) {
        LogLine title;
        Builder(title).feed(rest);
        *visibleText = !title.text.isEmpty();
    }
    return out;
}

QString LogLine::plainText(QByteArrayView raw)
{
    return parse(raw).text;
}

LogMetrics::LogMetrics(const QFont &font)
    : m_fm(font)
{
    for (int c = 0; c < 128; ++c)
        m_ascii[size_t(c)] = c < 0x20 || c == 0x7f ? 0 : m_fm.horizontalAdvance(QChar(c));
    for (int c = 0x20; c < 0x7f; ++c)
        m_uniform = m_uniform && m_ascii[size_t(c)] == m_ascii[u'M'];
}

qreal LogMetrics::advance(QStringView cluster) const
{
    if (cluster.size() == 1 && cluster[0].unicode() < 128)
        return m_ascii[cluster[0].unicode()];
    const QString key = cluster.toString();
    const auto it = m_cache.constFind(key);
    if (it != m_cache.constEnd())
        return *it;
    if (m_cache.size() > 20000)
        m_cache.clear();
    const qreal a = m_fm.horizontalAdvance(key);
    m_cache.insert(key, a);
    return a;
}

namespace {

bool isAsciiText(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

} // namespace

LogLineLayout LogLineLayout::build(const QString &text, const LogMetrics &metrics, qreal wrapWidth,
                                   qreal indent)
{
    LogLineLayout l;
    l.m_length = int(text.size());
    l.m_advance = metrics.asciiAdvance();
    l.m_uniform = metrics.uniformAscii() && isAsciiText(text);
    if (!l.m_uniform) {
        l.m_x.assign(size_t(l.m_length) + 1, 0.f);
        l.m_inside.assign(size_t(l.m_length) + 1, false);
    }
    const bool wrap = wrapWidth > 0;
    int rowStart = 0;
    qreal rowX = 0;          // x of rowStart
    qreal avail = wrapWidth; // the first row has no indent
    int spaceBreak = -1;     // after the last space of the current row
    auto place = [&](int at, qreal xAt, qreal xNext) {
        // The cluster [at, ..) from xAt to xNext: does it still fit on the row?
        while (wrap && xNext - rowX > avail && at > rowStart) {
            const int brk = spaceBreak > rowStart ? spaceBreak : at;
            l.m_rows.push_back(Row{rowStart, brk});
            rowStart = brk;
            rowX = brk == at ? xAt : l.x(brk);
            avail = std::max(wrapWidth - indent, l.m_advance);
            spaceBreak = -1;
        }
    };
    if (l.m_uniform) {
        const qreal a = l.m_advance;
        for (int i = 0; i < l.m_length; ++i) {
            if (text[i] == u' ')
                spaceBreak = i + 1; // a space may hang past the width: the row breaks after it
            else if (wrap)
                place(i, i * a, (i + 1) * a);
        }
    } else {
        QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
        int at = 0;
        qreal x = 0;
        while (at < l.m_length) {
            qsizetype next = finder.toNextBoundary();
            if (next <= at || next > l.m_length)
                next = l.m_length;
            const int end = int(next);
            const qreal adv = metrics.advance(QStringView(text).sliced(at, end - at));
            l.m_x[size_t(at)] = float(x);
            for (int k = at + 1; k < end; ++k) {
                l.m_x[size_t(k)] = float(x);
                l.m_inside[size_t(k)] = true;
            }
            if (text[at] == u' ' && end == at + 1)
                spaceBreak = end;
            else
                place(at, x, x + adv);
            x += adv;
            at = end;
        }
        l.m_x[size_t(l.m_length)] = float(x);
    }
    l.m_rows.push_back(Row{rowStart, l.m_length});
    return l;
}

int LogLineLayout::rowOf(int column) const
{
    const auto it = std::partition_point(m_rows.begin(), m_rows.end(),
                                         [column](const Row &r) { return r.start <= column; });
    return std::max(0, int(it - m_rows.begin()) - 1);
}

qreal LogLineLayout::x(int column) const
{
    column = std::clamp(column, 0, m_length);
    return m_uniform ? column * m_advance : qreal(m_x[size_t(column)]);
}

bool LogLineLayout::isBoundary(int column) const
{
    return m_uniform || column <= 0 || column >= m_length || !m_inside[size_t(column)];
}

int LogLineLayout::columnAt(int rowIndex, qreal x) const
{
    const Row &r = m_rows[size_t(std::clamp(rowIndex, 0, rowCount() - 1))];
    if (x <= 0)
        return r.start;
    if (m_uniform)
        return std::clamp(r.start + int(std::lround(x / m_advance)), r.start, r.end);
    const float target = float(x + this->x(r.start));
    // The last cluster starting at or left of x, and the next one: the nearer boundary wins.
    const auto first = m_x.begin() + r.start;
    const auto last = m_x.begin() + r.end + 1;
    int lo = int(std::upper_bound(first, last, target) - m_x.begin()) - 1;
    lo = std::clamp(lo, r.start, r.end);
    while (lo > r.start && !isBoundary(lo))
        --lo;
    if (lo >= r.end)
        return r.end;
    int hi = lo + 1;
    while (hi < r.end && !isBoundary(hi))
        ++hi;
    return target - m_x[size_t(lo)] <= m_x[size_t(hi)] - target ? lo : hi;
}

std::vector<int> LogLineLayout::pieces(const QString &text, int from, int to) const
{
    std::vector<int> out;
    if (from >= to)
        return out;
    if (m_uniform) {
        out.push_back(from);
        return out;
    }
    bool ascii = false;
    for (int i = from; i < to; ++i) {
        if (!isBoundary(i))
            continue;
        const bool a = text[i].unicode() < 0x80 && (i + 1 >= m_length || isBoundary(i + 1));
        if (!(a && ascii))
            out.push_back(i);
        ascii = a;
    }
    return out;
}

qsizetype LogLineLayout::memoryUsage() const
{
    return qsizetype(m_x.size() * sizeof(float) + m_inside.size() / 8 +
                     m_rows.size() * sizeof(Row));
}

} // namespace stagecraft::gui
