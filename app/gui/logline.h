#pragma once

#include <QByteArrayView>
#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <vector>

namespace stagecraft::gui {

/// The look of a run of log text (ANSI SGR state). Invalid colours mean the view's defaults.
struct LogStyle
{
    QColor foreground;
    QColor background;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    bool operator==(const LogStyle &) const = default;
};

/// A run of equally styled characters of LogLine::text.
struct LogRun
{
    int start = 0;
    int length = 0;
    LogStyle style;
    bool operator==(const LogRun &) const = default;
};

/// One trace line as GitLab's job log shows it: ANSI SGR sequences applied (16 colours,
/// 256 colours, truecolor, bold, italic, underline, reset), other escape sequences (`\e[0K`,
/// cursor moves, OSC titles) dropped, a `\r` overwrite showing the last segment only, tabs
/// expanded, and GitLab's `section_start:<ts>:<name>[options]\r\e[0K` / `section_end:` markers
/// taken out of the text.
struct LogLine
{
    enum class Marker { None, SectionStart, SectionEnd };

    QString text;
    QList<LogRun> runs; ///< cover `text` in order (unstyled text has runs with default styles)
    Marker marker = Marker::None;
    QString section;           ///< the marker's section name
    qint64 timestamp = 0;      ///< the marker's Unix time
    bool collapsed = false;    ///< `[collapsed=true]`
    bool hideDuration = false; ///< `[hide_duration=true]`

    static LogLine parse(QByteArrayView raw);
    /// Only the section marker of a line (text and runs stay empty): what indexing a long log
    /// needs. `visibleText` tells whether anything would be shown besides the marker.
    static LogLine parseMarker(QByteArrayView raw, bool *visibleText);
    /// The plain text only (what a search matches and a copy takes).
    static QString plainText(QByteArrayView raw);

    /// The 256-colour palette (0-15: the 16 terminal colours GitLab's job log uses).
    static QColor paletteColor(int index);
    /// Terminal columns of `text` (wcwidth's idea: East Asian wide characters and emoji take 2,
    /// combining marks and joiners 0): what tab stops count.
    static int displayWidth(QStringView text);
};

/// Advances of grapheme clusters in the log's font, cached: ASCII from a table, the rest
/// (CJK, emoji, combining sequences, whatever font fallback draws them with) measured once.
class LogMetrics
{
public:
    explicit LogMetrics(const QFont &font = QFont());
    /// The advance of one grapheme cluster.
    qreal advance(QStringView cluster) const;
    /// All printable ASCII characters have this advance (a fixed-pitch font): lines of ASCII
    /// need no per-character positions.
    bool uniformAscii() const { return m_uniform; }
    qreal asciiAdvance() const { return m_ascii[u'M']; }

private:
    QFontMetricsF m_fm;
    std::array<qreal, 128> m_ascii{};
    bool m_uniform = true;
    mutable QHash<QString, qreal> m_cache;
};

/// Where the characters of one displayed line are, horizontally, and where it wraps: positions
/// come from real advances of grapheme clusters (double-width CJK and emoji, zero-width
/// combining marks), so that a column (an index into LogLine::text) maps to x and back exactly
/// as the text is painted. Wrapped rows break after a space where one fits, else at the width;
/// continuation rows start `indent` further right.
class LogLineLayout
{
public:
    struct Row
    {
        int start = 0; ///< text index of the row's first character
        int end = 0;   ///< after its last
    };

    /// `wrapWidth` <= 0: one row, however long.
    static LogLineLayout build(const QString &text, const LogMetrics &metrics, qreal wrapWidth,
                               qreal indent);

    int rowCount() const { return int(m_rows.size()); }
    const Row &row(int index) const { return m_rows[size_t(index)]; }
    /// The row showing text index `column` (a row's end is the next row's start).
    int rowOf(int column) const;
    /// x of text index `column` from the start of the unwrapped line (a cluster's start for an
    /// index inside it).
    qreal x(int column) const;
    /// x of `column` from the start of its row `row`.
    qreal xInRow(int row, int column) const { return x(column) - x(m_rows[size_t(row)].start); }
    /// The cluster boundary in `row` nearest to `x` (from the row's start).
    int columnAt(int row, qreal x) const;
    /// Whether `column` starts a grapheme cluster (or is the end).
    bool isBoundary(int column) const;
    /// Width of the unwrapped line.
    qreal width() const { return x(m_length); }
    /// One text index per cluster start in [from, to), with runs of ASCII joined: the pieces a
    /// painter draws at their own x, so that what is painted is where x() says.
    std::vector<int> pieces(const QString &text, int from, int to) const;
    qsizetype memoryUsage() const;

private:
    int m_length = 0;
    bool m_uniform = true;
    qreal m_advance = 8;
    std::vector<float> m_x;     ///< per text index (not uniform); inside a cluster: its start's
    std::vector<bool> m_inside; ///< per text index: inside a cluster, not at its start
    std::vector<Row> m_rows;
};

} // namespace stagecraft::gui
