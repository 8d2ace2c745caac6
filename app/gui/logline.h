#pragma once

#include <QByteArrayView>
#include <QColor>
#include <QList>
#include <QString>

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
};

} // namespace stagecraft::gui
