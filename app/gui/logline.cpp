#include "logline.h"

#include <array>

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
                m_out.text.clear();
                m_out.runs.clear();
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
    }

private:
    void addString(const QString &s)
    {
        if (s.isEmpty())
            return;
        const int start = int(m_out.text.size());
        m_out.text += s;
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
        const qsizetype column = m_out.text.size();
        addString(QString(tabWidth - column % tabWidth, u' '));
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
};

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

} // namespace stagecraft::gui
