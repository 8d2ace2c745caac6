#pragma once

#include "exec/logstore.h"
#include "logline.h"

#include <QAbstractScrollArea>
#include <QHash>
#include <QPointer>

#include <atomic>
#include <memory>
#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace stagecraft::gui {

/// A job log as GitLab shows it, over a LogStore that may still be growing (written by the
/// engine's thread): only the visible lines are read, parsed (ANSI colours, `\r`, section
/// markers) and painted, so millions of lines cost no more than a screenful. Sections are
/// foldable headers with their duration; search runs over the whole log in a worker thread;
/// while the view is at the bottom it follows the tail.
class LogView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)

public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    void setStore(std::shared_ptr<exec::LogStore> store);
    std::shared_ptr<exec::LogStore> store() const { return m_store; }

    /// One foldable section (`section_start` .. `section_end`).
    struct Section
    {
        qint64 start = 0; ///< line of section_start (the header)
        qint64 end = -1;  ///< line of section_end; -1 while open
        QString name;
        qint64 startTime = 0;
        qint64 endTime = 0;
        bool collapsed = false;
        bool hideDuration = false;
        int depth = 0;
    };
    const std::vector<Section> &sections() const { return m_sections; }
    /// The section whose header is `line`; -1 when it is none.
    int sectionAt(qint64 line) const;
    void setSectionCollapsed(int section, bool collapsed);
    /// GitLab's duration text for a section ("00:03", "01:02:03"); empty while open.
    static QString durationText(const Section &section);

    /// Rows a user sees (lines minus folded sections and bare `section_end` lines).
    qint64 rowCount() const { return m_rows; }
    qint64 lineAtRow(qint64 row) const;
    /// The row showing `line`; -1 when it is folded away.
    qint64 rowOfLine(qint64 line) const;
    /// First row on screen.
    qint64 firstVisibleRow() const;
    int visibleRowCapacity() const;
    int lineHeight() const { return m_lineHeight; }
    /// Lines of the store already taken into account (section index).
    qint64 indexedLines() const { return m_indexed; }
    /// The parsed line (cached).
    const LogLine &parsedLine(qint64 line);

    /// Follow the tail: keep the last line in view as lines arrive.
    bool followTail() const { return m_follow; }
    void setFollowTail(bool on);
    void scrollToLine(qint64 line);
    /// Scrolls so that `column` of `line` is on screen (its wrapped row, or horizontally).
    void scrollToPosition(qint64 line, int column);

    /// Wrap long lines at the view's width (as GitLab's job log does). The vertical scroll bar
    /// still counts lines (rowCount()); only the lines on screen are laid out, so wrapping costs
    /// nothing per line of the log. Remembered in the settings (`logView/wrapLines`) when
    /// toggled by the user (wrapAction()).
    bool wrapLines() const { return m_wrap; }
    void setWrapLines(bool on);
    /// The checkable "Wrap lines" action of the toolbar and the context menu.
    QAction *wrapAction() const { return m_wrapAction; }
    /// Screen rows `line` takes at the current width (1 without wrapping).
    int wrappedRowCount(qint64 line);
    /// How `line` is laid out at the current width (wrapped rows, x of columns).
    std::shared_ptr<const LogLineLayout> lineLayout(qint64 line);
    /// Continuation rows of a wrapped line start this much further right.
    int wrapIndent() const { return 2 * m_charWidth; }
    /// x (viewport) where column 0 of an unscrolled first row is painted.
    int textLeft() const { return m_gutter + 4; }
    /// Wrapped rows of the top line scrolled past (0 without wrapping).
    int topWrapRow() const;

    /// One row of pixels on screen: `wrapRow` of `line`, text [start, end), at `y`.
    struct ScreenRow
    {
        qint64 line = -1;
        int wrapRow = 0;
        int start = 0;
        int end = 0;
        int y = 0;
    };
    /// The rows on screen, top to bottom (the last may be cut by the bottom edge).
    std::vector<ScreenRow> screenRows();

    /// Search (case-insensitive, over the displayed text), in a worker thread.
    void setSearchText(const QString &text);
    QString searchText() const;
    bool isSearching() const { return m_searchRunning; }
    /// Lines with a match, ascending (found so far).
    const std::vector<qint64> &matches() const { return m_matches; }
    /// Index into matches() of the current match; -1: none.
    qsizetype currentMatch() const { return m_currentMatch; }
    void findNext();
    void findPrevious();

    /// Selection in (line, column) of the displayed text; copy() puts it on the clipboard.
    void selectLines(qint64 firstLine, qint64 lastLine);
    void selectAll();
    QString selectedText() const;
    void copy();

    /// Shows the search field with the keyboard focus (Ctrl+F).
    void focusSearch();

signals:
    /// New lines were taken into account (rows, sections, scroll position).
    void linesIndexed(qint64 lines);
    /// A search (or its continuation over new lines) has finished.
    void searchFinished(qsizetype matches);
    void followTailChanged(bool on);
    void wrapLinesChanged(bool on);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Position
    {
        qint64 line = -1;
        int column = 0;
        auto operator<=>(const Position &) const = default;
    };
    struct Interval
    {
        qint64 first; ///< hidden lines [first, last]
        qint64 last;
        qint64 hiddenBefore; ///< hidden lines in earlier intervals
    };

    void storeChanged();
    void processLines();
    void indexLine(qint64 index, QByteArrayView raw);
    void rebuildRows();
    void extendRows();
    void updateScrollBars();
    void updateGeometryMetrics();
    void updateStatus();
    void scrollToBottom();
    Position positionAt(const QPoint &point);
    /// Where wrapped rows end (from the text's left); 0 without wrapping.
    qreal wrapWidth() const;
    /// Finds where the last line's last row is at the bottom (m_bottomRow, m_bottomSub).
    void computeBottom();
    bool isAtBottom() const;
    /// (row, wrap row) moved by `delta` screen rows, kept between the top and the bottom.
    std::pair<qint64, int> movedTop(qint64 row, int sub, qint64 delta);
    /// Puts wrap row `sub` of row `row` at the top; `user`: a scroll of the user's (follow).
    void setTop(qint64 row, int sub, bool user);
    void scrollByScreenRows(qint64 delta);
    void goToMatch(qsizetype index);
    void startSearch();
    void searchDone(quint64 generation, qint64 upTo, std::vector<qint64> found);
    void revealLine(qint64 line);

    std::shared_ptr<exec::LogStore> m_store;
    int m_listener = 0;
    /// Set by the writer's notification until the GUI thread has looked: one queued event per
    /// burst of appends, not one per append.
    std::shared_ptr<std::atomic<bool>> m_notified;
    bool m_processScheduled = false;

    qint64 m_indexed = 0; ///< complete lines indexed for sections
    qint64 m_lines = 0;   ///< store lines known to the view (the last may be partial)
    qint64 m_rows = 0;
    int m_maxColumns = 0;
    std::vector<Section> m_sections;
    std::vector<int> m_open;        ///< stack of open sections
    std::vector<qint64> m_endLines; ///< bare `section_end` lines, hidden
    std::vector<Interval> m_hidden;
    bool m_openCollapsed = false; ///< an open folded section grows with the log
    size_t m_builtSections = 0;   ///< sections and ends merged into m_hidden
    size_t m_builtEnds = 0;

    QHash<qint64, LogLine> m_cache; ///< complete lines only
    qsizetype m_cachedChars = 0;
    LogLine m_partialLine;

    // Geometry
    int m_lineHeight = 16;
    int m_charWidth = 8;
    int m_ascent = 12;
    int m_gutter = 60;
    int m_barHeight = 0;

    // Wrapping: only lines on screen are laid out, cached per line for the current width.
    bool m_wrap = true;
    int m_topSub = 0;       ///< wrapped rows of the top line above the view
    qint64 m_bottomRow = 0; ///< the top row (and its wrap row) when the tail is at the bottom
    int m_bottomSub = 0;
    int m_wheelDelta = 0;
    LogMetrics m_metrics;
    QHash<qint64, std::shared_ptr<const LogLineLayout>> m_layouts;
    qsizetype m_layoutBytes = 0;
    qreal m_layoutWidth = -1;
    qreal m_maxWidth = 0; ///< widest unwrapped line laid out (horizontal scroll bar)
    QAction *m_wrapAction = nullptr;

    bool m_follow = true;
    bool m_scrolling = false; ///< a scroll the view made itself (follow) is not the user's

    // Selection
    Position m_anchor;
    Position m_cursor;
    bool m_selecting = false;
    bool m_dragged = false;

    // Search
    QWidget *m_bar = nullptr;
    QLineEdit *m_searchField = nullptr;
    QLabel *m_searchStatus = nullptr;
    QLabel *m_status = nullptr;
    QToolButton *m_followButton = nullptr;
    QString m_query;
    std::vector<qint64> m_matches;
    qsizetype m_currentMatch = -1;
    quint64 m_searchGeneration = 0;
    qint64 m_searchedUpTo = 0;
    bool m_searchRunning = false;
    std::shared_ptr<std::atomic<bool>> m_searchCancel;
};

} // namespace stagecraft::gui
