#include "logview.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QSettings>
#include <QTimer>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace stagecraft::gui {

namespace {

// GitLab's job log colours: a dark terminal in every theme.
const QColor background(0x1f, 0x1f, 0x1f);
const QColor foreground(0xe8, 0xe8, 0xe8);
const QColor lineNumberColor(0x86, 0x86, 0x86);
const QColor headerBackground(0x2a, 0x2a, 0x2e);
const QColor durationBackground(0x3a, 0x3a, 0x40);
const QColor matchColor(0xf1, 0xc4, 0x0f, 90);
const QColor currentMatchColor(0xff, 0x8c, 0x00, 170);
const QColor selectionColor(0x3b, 0x8e, 0xea, 110);

// While lines stream in, the view looks at most this often, and indexes for at most this long
// per look: the GUI never stalls on a fast writer.
constexpr int refreshMs = 30;
constexpr qint64 indexBudgetNs = 5'000'000;
constexpr qsizetype cacheLimit = 4000;
// Widest line the horizontal scroll bar reaches (its range is an int of pixels).
constexpr qsizetype maxColumns = 20'000'000;
constexpr qsizetype cacheCharLimit = 16 * 1024 * 1024; ///< very long lines count by their size
constexpr qsizetype layoutByteLimit = 64 * 1024 * 1024;
const QString wrapSetting = QStringLiteral("logView/wrapLines");

/// Case-insensitive search of an ASCII needle (already lower case) in raw bytes.
bool containsAsciiFolded(QByteArrayView hay, QByteArrayView needle)
{
    if (needle.isEmpty())
        return true;
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; };
    const char first = needle[0];
    const qsizetype last = hay.size() - needle.size();
    for (qsizetype i = 0; i <= last; ++i) {
        if (lower(hay[i]) != first)
            continue;
        qsizetype k = 1;
        while (k < needle.size() && lower(hay[i + k]) == needle[k])
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

bool isPlainAscii(QByteArrayView raw)
{
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f)
            return false;
    }
    return true;
}

std::vector<qint64> searchLines(std::shared_ptr<exec::LogStore> store, QString query, qint64 from,
                                qint64 to, std::shared_ptr<std::atomic<bool>> cancel)
{
    std::vector<qint64> found;
    const bool asciiQuery = isPlainAscii(query.toUtf8());
    const QByteArray folded = query.toLower().toUtf8();
    store->scan(from, to - from, [&](qint64 index, QByteArrayView raw) {
        if ((index & 0xfff) == 0 && cancel->load(std::memory_order_relaxed))
            return false;
        bool hit = false;
        if (asciiQuery && isPlainAscii(raw)) {
            // Most lines: no escape sequences, no section markers; no decoding needed.
            hit = !raw.contains("section_") && containsAsciiFolded(raw, folded);
            if (!hit && raw.contains("section_"))
                hit = LogLine::plainText(raw).contains(query, Qt::CaseInsensitive);
        } else {
            hit = LogLine::plainText(raw).contains(query, Qt::CaseInsensitive);
        }
        if (hit)
            found.push_back(index);
        return true;
    });
    return found;
}

QString twoDigits(qint64 n)
{
    return QString::number(n).rightJustified(2, u'0');
}

} // namespace

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_notified(std::make_shared<std::atomic<bool>>(false))
{
    setObjectName(QStringLiteral("logView"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    m_metrics = LogMetrics(font());
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setAutoFillBackground(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);

    m_bar = new QWidget(this);
    m_bar->setObjectName(QStringLiteral("logBar"));
    auto *row = new QHBoxLayout(m_bar);
    row->setContentsMargins(6, 3, 6, 3);
    m_status = new QLabel(m_bar);
    m_status->setObjectName(QStringLiteral("logStatus"));
    m_searchField = new QLineEdit(m_bar);
    m_searchField->setObjectName(QStringLiteral("logSearch"));
    m_searchField->setPlaceholderText(tr("Search job log"));
    m_searchField->setClearButtonEnabled(true);
    m_searchField->setMaximumWidth(260);
    m_searchStatus = new QLabel(m_bar);
    auto *previous = new QToolButton(m_bar);
    previous->setText(QStringLiteral("↑"));
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto *next = new QToolButton(m_bar);
    next->setText(QStringLiteral("↓"));
    next->setToolTip(tr("Next match (Enter)"));
    m_followButton = new QToolButton(m_bar);
    m_followButton->setObjectName(QStringLiteral("followTail"));
    m_followButton->setText(tr("Follow"));
    m_followButton->setToolTip(tr("Scroll with new output while at the bottom of the log"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(m_follow);
    m_wrap = QSettings().value(wrapSetting, true).toBool();
    m_wrapAction = new QAction(tr("Wrap lines"), this);
    m_wrapAction->setObjectName(QStringLiteral("wrapLines"));
    m_wrapAction->setToolTip(tr("Wrap long lines at the width of the view"));
    m_wrapAction->setCheckable(true);
    m_wrapAction->setChecked(m_wrap);
    auto *wrapButton = new QToolButton(m_bar);
    wrapButton->setObjectName(QStringLiteral("wrapButton"));
    wrapButton->setDefaultAction(m_wrapAction);
    row->addWidget(m_status, 1);
    row->addWidget(m_searchField);
    row->addWidget(m_searchStatus);
    row->addWidget(previous);
    row->addWidget(next);
    row->addWidget(wrapButton);
    row->addWidget(m_followButton);

    auto *searchDelay = new QTimer(this);
    searchDelay->setSingleShot(true);
    searchDelay->setInterval(200);
    connect(m_searchField, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
    connect(searchDelay, &QTimer::timeout, this, [this] { setSearchText(m_searchField->text()); });
    connect(m_searchField, &QLineEdit::returnPressed, this, [this, searchDelay] {
        if (searchDelay->isActive()) {
            searchDelay->stop();
            setSearchText(m_searchField->text());
            return;
        }
        if (QApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    connect(previous, &QToolButton::clicked, this, &LogView::findPrevious);
    connect(next, &QToolButton::clicked, this, &LogView::findNext);
    connect(m_followButton, &QToolButton::toggled, this, &LogView::setFollowTail);
    connect(m_wrapAction, &QAction::triggered, this, [this](bool on) {
        // Only the user's choice is remembered, not a program's (tests, benchmarks).
        QSettings().setValue(wrapSetting, on);
        setWrapLines(on);
    });

    updateGeometryMetrics();
    updateStatus();
}

LogView::~LogView()
{
    if (m_store && m_listener)
        m_store->removeListener(m_listener);
    if (m_searchCancel)
        m_searchCancel->store(true);
}

void LogView::setStore(std::shared_ptr<exec::LogStore> store)
{
    if (m_store && m_listener)
        m_store->removeListener(m_listener);
    m_listener = 0;
    if (m_searchCancel)
        m_searchCancel->store(true);
    m_store = std::move(store);
    m_indexed = 0;
    m_lines = 0;
    m_rows = 0;
    m_maxColumns = 0;
    m_sections.clear();
    m_open.clear();
    m_endLines.clear();
    m_hidden.clear();
    m_openCollapsed = false;
    m_cache.clear();
    m_cachedChars = 0;
    m_layouts.clear();
    m_layoutBytes = 0;
    m_maxWidth = 0;
    m_topSub = 0;
    m_anchor = m_cursor = Position();
    m_matches.clear();
    m_currentMatch = -1;
    m_searchedUpTo = 0;
    m_searchRunning = false;
    ++m_searchGeneration;
    m_notified = std::make_shared<std::atomic<bool>>(false);
    if (m_store) {
        // Runs on the writer's thread: one queued event until the GUI thread has looked.
        const auto notified = m_notified;
        m_listener = m_store->addListener([this, notified] {
            if (!notified->exchange(true))
                QMetaObject::invokeMethod(this, &LogView::storeChanged, Qt::QueuedConnection);
        });
    }
    processLines();
    if (!m_query.isEmpty())
        startSearch();
}

void LogView::storeChanged()
{
    if (m_processScheduled)
        return;
    m_processScheduled = true;
    QTimer::singleShot(refreshMs, this, &LogView::processLines);
}

void LogView::processLines()
{
    m_processScheduled = false;
    m_notified->store(false);
    if (!m_store) {
        rebuildRows();
        updateScrollBars();
        viewport()->update();
        return;
    }
    const qint64 total = m_store->lineCount();
    const qint64 complete = m_store->completeLineCount();
    const qint64 oldLines = m_lines;
    const qint64 oldIndexed = m_indexed;
    if (m_indexed < complete) {
        QElapsedTimer timer;
        timer.start();
        // In slices of a few thousand lines, so that one read never outlasts the budget.
        while (m_indexed < complete && timer.nsecsElapsed() < indexBudgetNs) {
            m_store->scan(m_indexed, std::min<qint64>(complete - m_indexed, 1024),
                          [this](qint64 i, QByteArrayView l) {
                              indexLine(i, l);
                              m_indexed = i + 1;
                              return true;
                          });
        }
    }
    m_lines = total;
    if (m_openCollapsed)
        rebuildRows();
    else
        extendRows();
    updateScrollBars();
    if (m_follow)
        scrollToBottom();
    viewport()->update();
    updateStatus();
    if (!m_query.isEmpty() && !m_searchRunning)
        startSearch();
    if (m_indexed < complete) {
        // More to index: give the event loop a turn first.
        m_processScheduled = true;
        QTimer::singleShot(0, this, &LogView::processLines);
    }
    if (m_lines != oldLines || m_indexed != oldIndexed)
        emit linesIndexed(m_indexed);
}

void LogView::indexLine(qint64 index, QByteArrayView raw)
{
    if (!raw.contains("section_")) {
        if (raw.size() > m_maxColumns && isPlainAscii(raw))
            m_maxColumns = int(std::min<qsizetype>(raw.size(), maxColumns));
        return;
    }
    bool visibleText = true;
    const LogLine parsed = LogLine::parseMarker(raw, &visibleText);
    if (parsed.marker == LogLine::Marker::SectionStart) {
        Section s;
        s.start = index;
        s.name = parsed.section;
        s.startTime = parsed.timestamp;
        s.collapsed = parsed.collapsed;
        s.hideDuration = parsed.hideDuration;
        s.depth = int(m_open.size());
        m_open.push_back(int(m_sections.size()));
        m_sections.push_back(s);
    } else if (parsed.marker == LogLine::Marker::SectionEnd) {
        // Closes the innermost open section of that name (and any left open inside it).
        for (size_t k = m_open.size(); k-- > 0;) {
            if (m_sections[size_t(m_open[k])].name != parsed.section)
                continue;
            for (size_t j = k; j < m_open.size(); ++j) {
                Section &s = m_sections[size_t(m_open[j])];
                s.end = index;
                s.endTime = parsed.timestamp;
            }
            m_open.resize(k);
            break;
        }
        if (!visibleText)
            m_endLines.push_back(index);
    }
}

void LogView::rebuildRows()
{
    m_hidden.clear();
    m_openCollapsed = false;
    m_builtSections = 0;
    m_builtEnds = 0;
    extendRows();
}

void LogView::extendRows()
{
    // Hidden lines: the inside of folded sections and the bare `section_end` lines, merged from
    // two lists that are both in line order already. New sections and ends come after the ones
    // already merged (the log only grows), so they extend the intervals; a folded section that
    // is still open grows with the log and needs rebuildRows().
    const qint64 lastLine = m_lines - 1;
    size_t si = m_builtSections;
    size_t ei = m_builtEnds;
    auto add = [this](qint64 first, qint64 last) {
        if (last < first)
            return;
        if (!m_hidden.empty() && first <= m_hidden.back().last + 1) {
            m_hidden.back().last = std::max(m_hidden.back().last, last);
            return;
        }
        const qint64 before =
            m_hidden.empty()
                ? 0
                : m_hidden.back().hiddenBefore + m_hidden.back().last - m_hidden.back().first + 1;
        m_hidden.push_back(Interval{first, last, before});
    };
    while (si < m_sections.size() || ei < m_endLines.size()) {
        const bool takeSection =
            si < m_sections.size() &&
            (ei >= m_endLines.size() || m_sections[si].start + 1 <= m_endLines[ei]);
        if (takeSection) {
            const Section &s = m_sections[si++];
            if (!s.collapsed)
                continue;
            if (s.end < 0)
                m_openCollapsed = true;
            add(s.start + 1, std::min(lastLine, s.end < 0 ? lastLine : s.end));
        } else {
            const qint64 e = m_endLines[ei++];
            add(e, e);
        }
    }
    m_builtSections = si;
    m_builtEnds = ei;
    const qint64 hidden = m_hidden.empty() ? 0
                                           : m_hidden.back().hiddenBefore + m_hidden.back().last -
                                                 m_hidden.back().first + 1;
    m_rows = std::max<qint64>(0, m_lines - hidden);
}

qint64 LogView::lineAtRow(qint64 row) const
{
    if (row < 0 || row >= m_rows)
        return -1;
    // The first interval that starts after the row's line.
    const auto it =
        std::partition_point(m_hidden.begin(), m_hidden.end(),
                             [row](const Interval &i) { return i.first - i.hiddenBefore <= row; });
    if (it == m_hidden.begin())
        return row;
    const Interval &prev = *(it - 1);
    return row + prev.hiddenBefore + (prev.last - prev.first + 1);
}

qint64 LogView::rowOfLine(qint64 line) const
{
    if (line < 0 || line >= m_lines)
        return -1;
    const auto it = std::partition_point(m_hidden.begin(), m_hidden.end(),
                                         [line](const Interval &i) { return i.first <= line; });
    if (it == m_hidden.begin())
        return line;
    const Interval &prev = *(it - 1);
    if (line <= prev.last)
        return -1;
    return line - prev.hiddenBefore - (prev.last - prev.first + 1);
}

int LogView::sectionAt(qint64 line) const
{
    // Sections are in the order of their headers.
    const auto it = std::lower_bound(m_sections.begin(), m_sections.end(), line,
                                     [](const Section &s, qint64 l) { return s.start < l; });
    return it != m_sections.end() && it->start == line ? int(it - m_sections.begin()) : -1;
}

void LogView::setSectionCollapsed(int section, bool collapsed)
{
    if (section < 0 || size_t(section) >= m_sections.size())
        return;
    Section &s = m_sections[size_t(section)];
    if (s.collapsed == collapsed)
        return;
    // Keep the header where it is on screen.
    const qint64 headerRow = rowOfLine(s.start);
    const qint64 offset = headerRow - firstVisibleRow();
    const qint64 topLine = lineAtRow(firstVisibleRow());
    s.collapsed = collapsed;
    rebuildRows();
    updateScrollBars();
    if (headerRow >= 0) {
        m_scrolling = true;
        verticalScrollBar()->setValue(int(rowOfLine(s.start) - offset));
        m_scrolling = false;
    }
    if (lineAtRow(firstVisibleRow()) != topLine)
        m_topSub = 0; // wrapped rows of another line
    viewport()->update();
}

QString LogView::durationText(const Section &section)
{
    if (section.end < 0 || section.hideDuration)
        return {};
    const qint64 seconds = std::max<qint64>(0, section.endTime - section.startTime);
    const QString mmss = twoDigits(seconds / 60 % 60) + u':' + twoDigits(seconds % 60);
    return seconds >= 3600 ? twoDigits(seconds / 3600) + u':' + mmss : mmss;
}

const LogLine &LogView::parsedLine(qint64 line)
{
    const auto it = m_cache.constFind(line);
    if (it != m_cache.constEnd())
        return *it;
    if (m_cache.size() >= cacheLimit || m_cachedChars > cacheCharLimit) {
        m_cache.clear();
        m_cachedChars = 0;
    }
    // Read the completeness first: a line complete then is complete in what line() returns.
    const bool complete = m_store && line < m_store->completeLineCount();
    LogLine parsed = m_store ? LogLine::parse(m_store->line(line)) : LogLine();
    m_maxColumns = std::max(m_maxColumns, int(std::min<qsizetype>(parsed.text.size(), maxColumns)));
    if (!complete) {
        // A partial line may still grow: parsed again every time, never cached.
        m_partialLine = std::move(parsed);
        return m_partialLine;
    }
    m_cachedChars += parsed.text.size();
    return *m_cache.insert(line, std::move(parsed));
}

qreal LogView::wrapWidth() const
{
    if (!m_wrap)
        return 0;
    return std::max<qreal>(viewport()->width() - textLeft() - 6, 4 * m_charWidth);
}

std::shared_ptr<const LogLineLayout> LogView::lineLayout(qint64 line)
{
    const qreal width = wrapWidth();
    if (width != m_layoutWidth) {
        m_layouts.clear();
        m_layoutBytes = 0;
        m_layoutWidth = width;
    }
    const auto it = m_layouts.constFind(line);
    if (it != m_layouts.constEnd())
        return *it;
    const bool complete = m_store && line < m_store->completeLineCount();
    // A section header keeps its right end free for the duration badge.
    const qreal lineWidth = width > 0 && sectionAt(line) >= 0
                                ? std::max<qreal>(width - 10 * m_charWidth, 4 * m_charWidth)
                                : width;
    auto layout = std::make_shared<const LogLineLayout>(
        LogLineLayout::build(parsedLine(line).text, m_metrics, lineWidth, wrapIndent()));
    if (!m_wrap)
        m_maxWidth = std::max(m_maxWidth, layout->width());
    if (!complete)
        return layout; // a partial line may still grow
    if (m_layouts.size() >= cacheLimit || m_layoutBytes > layoutByteLimit) {
        m_layouts.clear();
        m_layoutBytes = 0;
    }
    m_layoutBytes += layout->memoryUsage();
    m_layouts.insert(line, layout);
    return layout;
}

int LogView::wrappedRowCount(qint64 line)
{
    return m_wrap ? lineLayout(line)->rowCount() : 1;
}

int LogView::topWrapRow() const
{
    if (!m_wrap)
        return 0;
    return firstVisibleRow() >= m_bottomRow ? std::min(m_topSub, m_bottomSub) : m_topSub;
}

void LogView::computeBottom()
{
    const int capacity = visibleRowCapacity();
    m_bottomRow = std::max<qint64>(0, m_rows - capacity);
    m_bottomSub = 0;
    if (!m_wrap)
        return;
    // Only the last screenful is laid out: from the last row up until the screen is full.
    int below = 0;
    for (qint64 r = m_rows - 1; r >= 0; --r) {
        const int n = wrappedRowCount(lineAtRow(r));
        if (below + n >= capacity) {
            m_bottomRow = r;
            m_bottomSub = below + n - capacity;
            return;
        }
        below += n;
    }
    m_bottomRow = 0;
}

bool LogView::isAtBottom() const
{
    const QScrollBar *v = verticalScrollBar();
    return v->value() >= v->maximum() && (!m_wrap || topWrapRow() >= m_bottomSub);
}

std::pair<qint64, int> LogView::movedTop(qint64 row, int sub, qint64 delta)
{
    if (m_rows <= 0)
        return {0, 0};
    row = std::clamp<qint64>(row, 0, m_rows - 1);
    sub = std::clamp(sub, 0, wrappedRowCount(lineAtRow(row)) - 1);
    while (delta > 0 && std::pair(row, sub) < std::pair(m_bottomRow, m_bottomSub)) {
        const int left = wrappedRowCount(lineAtRow(row)) - 1 - sub;
        if (delta <= left) {
            sub += int(delta);
            delta = 0;
        } else {
            delta -= left + 1;
            ++row;
            sub = 0;
        }
    }
    while (delta < 0 && (row > 0 || sub > 0)) {
        if (-delta <= sub) {
            sub += int(delta);
            delta = 0;
        } else {
            delta += sub + 1;
            --row;
            sub = wrappedRowCount(lineAtRow(row)) - 1;
        }
    }
    if (std::pair(row, sub) > std::pair(m_bottomRow, m_bottomSub))
        return {m_bottomRow, m_bottomSub};
    return {row, sub};
}

void LogView::setTop(qint64 row, int sub, bool user)
{
    m_scrolling = true;
    verticalScrollBar()->setValue(int(std::min<qint64>(row, INT_MAX)));
    m_scrolling = false;
    m_topSub = m_wrap ? sub : 0;
    if (user) {
        const bool atBottom = isAtBottom();
        if (atBottom != m_follow) {
            m_follow = atBottom;
            m_followButton->setChecked(atBottom);
            emit followTailChanged(atBottom);
        }
    }
    viewport()->update();
}

void LogView::scrollByScreenRows(qint64 delta)
{
    const auto [row, sub] = movedTop(firstVisibleRow(), topWrapRow(), delta);
    setTop(row, sub, true);
}

std::vector<LogView::ScreenRow> LogView::screenRows()
{
    std::vector<ScreenRow> out;
    if (!m_store || m_rows <= 0)
        return out;
    qint64 row = firstVisibleRow();
    int sub = topWrapRow();
    int y = 0;
    const int height = viewport()->height();
    while (row < m_rows && y < height) {
        const qint64 line = lineAtRow(row);
        if (line < 0)
            break;
        if (!m_wrap) {
            out.push_back(ScreenRow{line, 0, 0, int(parsedLine(line).text.size()), y});
            y += m_lineHeight;
        } else {
            const auto layout = lineLayout(line);
            for (int k = std::min(sub, layout->rowCount() - 1);
                 k < layout->rowCount() && y < height; ++k) {
                out.push_back(ScreenRow{line, k, layout->row(k).start, layout->row(k).end, y});
                y += m_lineHeight;
            }
        }
        sub = 0;
        ++row;
    }
    return out;
}

void LogView::setWrapLines(bool on)
{
    if (m_wrap == on)
        return;
    // The top line stays the top line.
    const qint64 top = firstVisibleRow();
    m_wrap = on;
    m_topSub = 0;
    m_layouts.clear();
    m_layoutBytes = 0;
    m_wrapAction->setChecked(on);
    updateScrollBars();
    if (on)
        horizontalScrollBar()->setValue(0);
    if (m_follow) {
        scrollToBottom();
    } else {
        m_scrolling = true;
        verticalScrollBar()->setValue(int(top));
        m_scrolling = false;
    }
    viewport()->update();
    emit wrapLinesChanged(on);
}

qint64 LogView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

int LogView::visibleRowCapacity() const
{
    return std::max(1, viewport()->height() / m_lineHeight);
}

void LogView::updateGeometryMetrics()
{
    if (!m_bar)
        return; // the constructor's setFont()
    const QFontMetrics fm(font());
    m_lineHeight = fm.height() + 2;
    m_charWidth = std::max(1, fm.horizontalAdvance(u'M'));
    m_ascent = fm.ascent() + 1;
    const int digits = int(QString::number(std::max<qint64>(m_lines, 9999)).size());
    m_gutter = (digits + 4) * m_charWidth;
    m_barHeight = m_bar->sizeHint().height();
    setViewportMargins(0, m_barHeight, 0, 0);
    const QRect r = contentsRect();
    // The vertical scroll bar (always on) runs the full height, beside the bar: the bar ends
    // where it begins, or its right end (the Follow button) would be drawn under it.
    const int scrollBar = verticalScrollBar()->sizeHint().width();
    m_bar->setGeometry(r.x(), r.y(), std::max(0, r.width() - scrollBar), m_barHeight);
}

void LogView::updateScrollBars()
{
    const int digits = int(QString::number(std::max<qint64>(m_lines, 9999)).size());
    const int gutter = (digits + 4) * m_charWidth;
    if (gutter != m_gutter)
        m_gutter = gutter;
    QScrollBar *v = verticalScrollBar();
    const int capacity = visibleRowCapacity();
    computeBottom();
    m_scrolling = true;
    v->setRange(0, int(std::min<qint64>(INT_MAX, m_bottomRow)));
    v->setPageStep(capacity);
    v->setSingleStep(1);
    QScrollBar *h = horizontalScrollBar();
    const int textWidth = viewport()->width() - m_gutter;
    const qreal widest = std::max<qreal>(qreal(m_maxColumns) * m_charWidth, m_maxWidth);
    h->setRange(0, m_wrap ? 0 : std::max(0, int(widest) + 2 * m_charWidth - textWidth));
    h->setPageStep(std::max(1, textWidth));
    h->setSingleStep(m_charWidth * 4);
    m_scrolling = false;
}

void LogView::updateStatus()
{
    if (!m_store) {
        m_status->setText(tr("No log"));
        return;
    }
    QString text = tr("Lines: %1").arg(QLocale().toString(m_lines));
    if (!m_store->isFinished())
        text += tr(" — running");
    m_status->setText(text);
    if (m_query.isEmpty())
        m_searchStatus->clear();
    else if (m_searchRunning && m_matches.empty())
        m_searchStatus->setText(tr("Searching…"));
    else if (m_matches.empty())
        m_searchStatus->setText(tr("No results"));
    else
        m_searchStatus->setText(tr("%1 of %2")
                                    .arg(m_currentMatch >= 0 ? m_currentMatch + 1 : 0)
                                    .arg(qsizetype(m_matches.size())));
}

void LogView::setFollowTail(bool on)
{
    if (m_follow != on) {
        m_follow = on;
        m_followButton->setChecked(on);
        emit followTailChanged(on);
    }
    if (on)
        scrollToBottom();
}

void LogView::scrollToBottom()
{
    m_scrolling = true;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_scrolling = false;
    m_topSub = m_wrap ? m_bottomSub : 0;
}

void LogView::scrollToLine(qint64 line)
{
    scrollToPosition(line, -1);
}

void LogView::scrollToPosition(qint64 line, int column)
{
    revealLine(line);
    const qint64 row = rowOfLine(line);
    if (row < 0)
        return;
    const int capacity = visibleRowCapacity();
    if (m_wrap) {
        const auto layout = lineLayout(line);
        const int wrapRow = column >= 0 ? layout->rowOf(column) : 0;
        bool shown = false;
        const int height = viewport()->height();
        for (const ScreenRow &r : screenRows())
            shown =
                shown || (r.line == line && r.wrapRow == wrapRow && r.y + m_lineHeight <= height);
        if (!shown) {
            const auto [top, sub] = movedTop(row, wrapRow, -(capacity / 2));
            setTop(top, sub, false);
        }
    } else {
        m_scrolling = true;
        const qint64 first = firstVisibleRow();
        if (row < first || row >= first + capacity)
            verticalScrollBar()->setValue(int(row - capacity / 2));
        m_scrolling = false;
        if (column >= 0) {
            QScrollBar *h = horizontalScrollBar();
            const int x = int(lineLayout(line)->x(column));
            const int textWidth = viewport()->width() - textLeft();
            if (x < h->value() || x > h->value() + textWidth - 4 * m_charWidth)
                h->setValue(x - textWidth / 3);
        }
    }
    if (!isAtBottom())
        setFollowTail(false);
    viewport()->update();
}

void LogView::revealLine(qint64 line)
{
    bool changed = false;
    for (Section &s : m_sections) {
        if (s.start > line)
            break;
        if (s.collapsed && line > s.start && (s.end < 0 || line <= s.end)) {
            s.collapsed = false;
            changed = true;
        }
    }
    if (changed) {
        rebuildRows();
        updateScrollBars();
    }
}

void LogView::scrollContentsBy(int, int)
{
    if (!m_scrolling) {
        // The user scrolled (the scroll bar counts lines): following resumes at the bottom and
        // stops above it.
        const bool atBottom = verticalScrollBar()->value() >= verticalScrollBar()->maximum();
        m_topSub = atBottom && m_wrap ? m_bottomSub : 0;
        if (atBottom != m_follow) {
            m_follow = atBottom;
            m_followButton->setChecked(atBottom);
            emit followTailChanged(atBottom);
        }
    }
    viewport()->update();
}

void LogView::resizeEvent(QResizeEvent *event)
{
    // Wrapped lines re-wrap at the new width (lineLayout() sees it); the top line stays.
    const qint64 top = firstVisibleRow();
    QAbstractScrollArea::resizeEvent(event);
    updateGeometryMetrics();
    updateScrollBars();
    if (m_follow) {
        scrollToBottom();
    } else if (m_wrap) {
        m_scrolling = true;
        verticalScrollBar()->setValue(int(top));
        m_scrolling = false;
    }
}

void LogView::wheelEvent(QWheelEvent *event)
{
    if (!m_wrap || event->modifiers() != Qt::NoModifier) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    // By screen rows, so that the middle of a line longer than the view can be reached.
    m_wheelDelta += event->angleDelta().y();
    const int notches = m_wheelDelta / 120;
    m_wheelDelta -= notches * 120;
    if (notches != 0)
        scrollByScreenRows(-qint64(notches) * QApplication::wheelScrollLines());
    event->accept();
}

void LogView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *copyAction = menu.addAction(tr("Copy"), this, &LogView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(m_anchor.line >= 0 && m_anchor != m_cursor);
    menu.addAction(tr("Select All"), this, &LogView::selectAll)
        ->setShortcut(QKeySequence::SelectAll);
    menu.addSeparator();
    menu.addAction(m_wrapAction);
    QAction *follow = menu.addAction(tr("Follow"));
    follow->setCheckable(true);
    follow->setChecked(m_follow);
    connect(follow, &QAction::toggled, this, &LogView::setFollowTail);
    menu.exec(event->globalPos());
}

void LogView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        m_cache.clear();
        m_cachedChars = 0;
        m_metrics = LogMetrics(font());
        m_layouts.clear();
        m_layoutBytes = 0;
        m_layoutWidth = -1;
        m_maxWidth = 0;
        updateGeometryMetrics();
        updateScrollBars();
        viewport()->update();
    }
}

void LogView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QRect area = viewport()->rect();
    p.fillRect(area, background);
    if (!m_store)
        return;
    const int hOffset = m_wrap ? 0 : horizontalScrollBar()->value();
    const int textLeft = m_gutter;
    QFont plainFont = font();
    Position selA = std::min(m_anchor, m_cursor);
    Position selB = std::max(m_anchor, m_cursor);
    const bool selection = m_anchor.line >= 0 && selA != selB;
    const qint64 current = m_currentMatch >= 0 ? m_matches[size_t(m_currentMatch)] : qint64(-1);
    for (const ScreenRow &sr : screenRows()) {
        const qint64 line = sr.line;
        const int y = sr.y;
        // The layout first: it may parse (and so change the parse cache), parsedLine() then
        // finds the line cached.
        const auto layout = lineLayout(line);
        const LogLine &l = parsedLine(line);
        const int wrapRow = std::min(sr.wrapRow, layout->rowCount() - 1);
        const LogLineLayout::Row row = layout->row(wrapRow);
        const bool lastRow = wrapRow == layout->rowCount() - 1;
        const int section = sectionAt(line);
        if (section >= 0)
            p.fillRect(QRect(0, y, area.width(), m_lineHeight), headerBackground);

        // Text area, clipped right of the gutter.
        p.save();
        p.setClipRect(QRect(textLeft, y, area.width() - textLeft, m_lineHeight));
        const qreal x0 = textLeft + 4 - hOffset + (wrapRow > 0 ? wrapIndent() : 0);
        auto columnX = [&](int column) { return x0 + layout->xInRow(wrapRow, column); };
        auto fill = [&](int from, int to, qreal extra, const QColor &color) {
            const qreal left = columnX(from);
            const qreal right = columnX(to) + extra;
            if (right > left)
                p.fillRect(QRectF(left, y, right - left, m_lineHeight), color);
        };
        // Only the columns in view of an unwrapped line (a line may be megabytes long).
        int visibleFrom = row.start;
        int visibleTo = row.end;
        if (!m_wrap) {
            visibleFrom = std::max(row.start, layout->columnAt(0, hOffset) - 2);
            visibleTo = std::min(row.end, layout->columnAt(0, hOffset + area.width()) + 2);
            while (visibleFrom > row.start && !layout->isBoundary(visibleFrom))
                --visibleFrom;
            while (visibleTo < row.end && !layout->isBoundary(visibleTo))
                ++visibleTo;
        }
        if (selection && line >= selA.line && line <= selB.line) {
            const int from = line == selA.line ? selA.column : 0;
            const int to = line == selB.line ? selB.column : int(l.text.size()) + 1;
            // Past the end of the last row: the line's end is selected (one column's width).
            const qreal extra = lastRow && to > row.end ? m_charWidth : 0;
            const int a = std::clamp(from, row.start, row.end);
            const int b = std::clamp(to, row.start, row.end);
            if (from <= row.end && to >= row.start)
                fill(a, b, extra, selectionColor);
        }
        if (!m_query.isEmpty() && std::binary_search(m_matches.begin(), m_matches.end(), line)) {
            for (qsizetype at = l.text.indexOf(m_query, 0, Qt::CaseInsensitive); at >= 0;
                 at = l.text.indexOf(m_query, at + m_query.size(), Qt::CaseInsensitive)) {
                const int a = std::max(int(at), row.start);
                const int b = std::min(int(at + m_query.size()), row.end);
                if (a < b)
                    fill(a, b, 0, line == current ? currentMatchColor : matchColor);
            }
        }
        for (const LogRun &run : l.runs) {
            const int from = std::max(run.start, visibleFrom);
            const int to = std::min(run.start + run.length, visibleTo);
            if (from >= to)
                continue;
            if (run.style.background.isValid())
                fill(from, to, 0, run.style.background);
            QFont f = plainFont;
            f.setBold(run.style.bold || section >= 0);
            f.setItalic(run.style.italic);
            f.setUnderline(run.style.underline);
            p.setFont(f);
            p.setPen(run.style.foreground.isValid() ? run.style.foreground : foreground);
            // Each wide or combined cluster at its own x: painted where selection maps it.
            const std::vector<int> pieces = layout->pieces(l.text, from, to);
            for (size_t k = 0; k < pieces.size(); ++k) {
                const int end = k + 1 < pieces.size() ? pieces[k + 1] : to;
                p.drawText(QPointF(columnX(pieces[k]), y + m_ascent),
                           l.text.mid(pieces[k], end - pieces[k]));
            }
        }
        p.restore();

        if (wrapRow > 0) {
            // Continuation rows: a thin mark in the indent, no line number.
            p.setPen(lineNumberColor);
            const int mx = textLeft + 4 + m_charWidth / 2;
            p.drawLine(mx, y + 2, mx, y + m_lineHeight - 3);
            continue;
        }
        // Gutter: fold arrow and line number (GitLab's).
        p.setFont(plainFont);
        p.setPen(lineNumberColor);
        p.drawText(QRect(0, y, m_gutter - m_charWidth, m_lineHeight),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(line + 1));
        if (section >= 0) {
            const Section &s = m_sections[size_t(section)];
            const double cx = m_charWidth * 1.2;
            const double cy = y + m_lineHeight / 2.0;
            const double r = m_lineHeight * 0.22;
            QPainterPath arrow;
            if (s.collapsed) {
                arrow.moveTo(cx - r * 0.6, cy - r);
                arrow.lineTo(cx + r * 0.8, cy);
                arrow.lineTo(cx - r * 0.6, cy + r);
            } else {
                arrow.moveTo(cx - r, cy - r * 0.6);
                arrow.lineTo(cx + r, cy - r * 0.6);
                arrow.lineTo(cx, cy + r * 0.8);
            }
            arrow.closeSubpath();
            p.setRenderHint(QPainter::Antialiasing);
            p.fillPath(arrow, foreground);
            p.setRenderHint(QPainter::Antialiasing, false);
            const QString duration = durationText(s);
            if (!duration.isEmpty()) {
                const int w = (int(duration.size()) + 2) * m_charWidth;
                const QRect badge(area.width() - w - 6, y + 2, w, m_lineHeight - 4);
                p.setRenderHint(QPainter::Antialiasing);
                p.setPen(Qt::NoPen);
                p.setBrush(durationBackground);
                p.drawRoundedRect(badge, 4, 4);
                p.setRenderHint(QPainter::Antialiasing, false);
                p.setPen(foreground);
                p.drawText(badge, Qt::AlignCenter, duration);
            }
        }
    }
}

LogView::Position LogView::positionAt(const QPoint &point)
{
    Position pos;
    const std::vector<ScreenRow> rows = screenRows();
    if (rows.empty())
        return pos;
    // The screen row under the point; above the view: the top one, below the text: the last.
    const auto it =
        std::partition_point(rows.begin(), rows.end(), [&point, this](const ScreenRow &r) {
            return r.y + m_lineHeight <= point.y();
        });
    const ScreenRow &sr = it == rows.end() ? rows.back() : *it;
    pos.line = sr.line;
    if (point.y() < 0) {
        pos.column = sr.start;
        return pos;
    }
    const auto layout = lineLayout(sr.line);
    const int hOffset = m_wrap ? 0 : horizontalScrollBar()->value();
    const qreal x = point.x() - textLeft() + hOffset - (sr.wrapRow > 0 ? wrapIndent() : 0);
    pos.column = layout->columnAt(sr.wrapRow, x);
    return pos;
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    setFocus(Qt::MouseFocusReason);
    const Position pos = positionAt(event->position().toPoint());
    m_dragged = false;
    if (pos.line >= 0 && event->position().x() < m_gutter && sectionAt(pos.line) >= 0) {
        // The arrow and the line number fold, as in GitLab.
        const int s = sectionAt(pos.line);
        setSectionCollapsed(s, !m_sections[size_t(s)].collapsed);
        m_selecting = false;
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier && m_anchor.line >= 0) {
        m_cursor = pos;
    } else {
        m_anchor = pos;
        m_cursor = pos;
    }
    m_selecting = true;
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_selecting)
        return;
    const QPoint at = event->position().toPoint();
    if (at.y() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 2);
    else if (at.y() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 2);
    const Position pos = positionAt(at);
    if (pos != m_cursor) {
        m_cursor = pos;
        m_dragged = true;
        viewport()->update();
    }
}

void LogView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_selecting)
        return;
    m_selecting = false;
    if (!m_dragged && m_anchor == m_cursor && m_anchor.line >= 0) {
        // A click on a section header folds it, anywhere on the line (GitLab's behaviour).
        const int s = sectionAt(m_anchor.line);
        if (s >= 0)
            setSectionCollapsed(s, !m_sections[size_t(s)].collapsed);
    }
    if (m_anchor != m_cursor && QApplication::clipboard()->supportsSelection())
        QApplication::clipboard()->setText(selectedText(), QClipboard::Selection);
}

bool LogView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // These are the log's own while it has the focus (the editor's Find has Ctrl+F too).
        auto *key = static_cast<QKeyEvent *>(event);
        if (key == QKeySequence::Find || key == QKeySequence::Copy ||
            key == QKeySequence::SelectAll || key == QKeySequence::FindNext ||
            key == QKeySequence::FindPrevious) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    if (event == QKeySequence::Find) {
        focusSearch();
    } else if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else if (event == QKeySequence::FindNext) {
        findNext();
    } else if (event == QKeySequence::FindPrevious) {
        findPrevious();
    } else if (event == QKeySequence::MoveToStartOfDocument) {
        verticalScrollBar()->setValue(0);
    } else if (event == QKeySequence::MoveToEndOfDocument) {
        setFollowTail(true);
    } else if (m_wrap && (event == QKeySequence::MoveToNextPage ||
                          event == QKeySequence::MoveToPreviousPage)) {
        // A page of screen rows, not of lines (which may wrap to many).
        const qint64 page = std::max(1, visibleRowCapacity() - 1);
        scrollByScreenRows(event == QKeySequence::MoveToNextPage ? page : -page);
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void LogView::focusSearch()
{
    m_searchField->setFocus(Qt::ShortcutFocusReason);
    m_searchField->selectAll();
}

void LogView::setSearchText(const QString &text)
{
    if (m_searchField->text() != text) {
        const QSignalBlocker block(m_searchField);
        m_searchField->setText(text);
    }
    if (text == m_query)
        return;
    m_query = text;
    if (m_searchCancel)
        m_searchCancel->store(true);
    ++m_searchGeneration;
    m_searchRunning = false;
    m_matches.clear();
    m_currentMatch = -1;
    m_searchedUpTo = 0;
    if (!m_query.isEmpty())
        startSearch();
    updateStatus();
    viewport()->update();
}

QString LogView::searchText() const
{
    return m_query;
}

void LogView::startSearch()
{
    if (!m_store || m_query.isEmpty())
        return;
    const qint64 to = m_store->completeLineCount();
    if (to <= m_searchedUpTo)
        return;
    m_searchRunning = true;
    m_searchCancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = m_searchGeneration;
    auto *watcher = new QFutureWatcher<std::vector<qint64>>(this);
    connect(watcher, &QFutureWatcher<std::vector<qint64>>::finished, this,
            [this, watcher, generation, to] {
                watcher->deleteLater();
                searchDone(generation, to, watcher->result());
            });
    watcher->setFuture(
        QtConcurrent::run(searchLines, m_store, m_query, m_searchedUpTo, to, m_searchCancel));
    updateStatus();
}

void LogView::searchDone(quint64 generation, qint64 upTo, std::vector<qint64> found)
{
    if (generation != m_searchGeneration)
        return; // another query (or log) came meanwhile
    m_searchRunning = false;
    const bool first = m_searchedUpTo == 0;
    m_matches.insert(m_matches.end(), found.begin(), found.end());
    m_searchedUpTo = upTo;
    if (first && m_currentMatch < 0 && !m_matches.empty()) {
        // As GitLab's search does: go to the first match at or below the top of the view.
        const qint64 top = lineAtRow(firstVisibleRow());
        const auto it =
            std::lower_bound(m_matches.begin(), m_matches.end(), std::max<qint64>(0, top));
        goToMatch(it == m_matches.end() ? 0 : it - m_matches.begin());
    }
    updateStatus();
    viewport()->update();
    emit searchFinished(qsizetype(m_matches.size()));
    if (m_store && m_store->completeLineCount() > m_searchedUpTo)
        startSearch(); // lines arrived while searching
}

void LogView::goToMatch(qsizetype index)
{
    if (m_matches.empty())
        return;
    const qsizetype n = qsizetype(m_matches.size());
    m_currentMatch = ((index % n) + n) % n;
    const qint64 line = m_matches[size_t(m_currentMatch)];
    revealLine(line);
    // The match itself in view: on its wrapped row, or scrolled to horizontally.
    scrollToPosition(line, int(parsedLine(line).text.indexOf(m_query, 0, Qt::CaseInsensitive)));
    updateStatus();
}

void LogView::findNext()
{
    if (m_matches.empty())
        return;
    if (m_currentMatch < 0) {
        const qint64 top = lineAtRow(firstVisibleRow());
        const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), top);
        goToMatch(it == m_matches.end() ? 0 : it - m_matches.begin());
        return;
    }
    goToMatch(m_currentMatch + 1);
}

void LogView::findPrevious()
{
    if (m_matches.empty())
        return;
    goToMatch(m_currentMatch < 0 ? qsizetype(m_matches.size()) - 1 : m_currentMatch - 1);
}

void LogView::selectLines(qint64 firstLine, qint64 lastLine)
{
    m_anchor = Position{firstLine, 0};
    m_cursor = Position{lastLine + 1, 0};
    if (m_cursor.line >= m_lines)
        m_cursor = Position{lastLine, int(parsedLine(lastLine).text.size())};
    viewport()->update();
}

void LogView::selectAll()
{
    if (m_lines <= 0)
        return;
    m_anchor = Position{0, 0};
    m_cursor = Position{m_lines - 1, int(parsedLine(m_lines - 1).text.size())};
    viewport()->update();
}

QString LogView::selectedText() const
{
    if (!m_store || m_anchor.line < 0 || m_anchor == m_cursor)
        return {};
    const Position a = std::min(m_anchor, m_cursor);
    const Position b = std::max(m_anchor, m_cursor);
    QStringList out;
    m_store->scan(a.line, b.line - a.line + 1, [&](qint64 line, QByteArrayView raw) {
        if (rowOfLine(line) < 0)
            return true; // folded away: not what the user saw
        const QString text = LogLine::plainText(raw);
        const int from = line == a.line ? std::min(a.column, int(text.size())) : 0;
        if (line == b.line) {
            if (b.column > 0 || a.line == b.line)
                out.append(text.mid(from, std::max(0, b.column - from)));
            else
                out.append(QString()); // the selection ends at the start of this line
        } else {
            out.append(text.mid(from));
        }
        return true;
    });
    return out.join(u'\n');
}

void LogView::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

} // namespace stagecraft::gui
