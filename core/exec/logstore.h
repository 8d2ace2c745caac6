#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace stagecraft::exec {

/// A job's trace: append-only on disk, indexed by line, readable from any thread while it is
/// being written. Bytes are stored as the job wrote them (ANSI colours, `\r`, GitLab's
/// `section_start:`/`section_end:` markers) so that viewers can render them; lines end at `\n`
/// (not stored). A trailing partial line is readable as the last line until more arrives.
///
/// One writer (the engine's thread) and any number of readers (the GUI, a search worker).
/// Appends go to a write buffer that is flushed to the file in large blocks; reads of the
/// flushed part are positioned reads (or a memory map once the log is finished or was opened)
/// done outside the lock, so a reader never waits for the disk while holding the writer up.
///
/// Memory: a chunked line index of 32-bit deltas (about 4 bytes per line) plus the write
/// buffer.
class LogStore
{
public:
    /// A new, empty log at `path` (created or truncated). Nothing, with `error` set, on I/O errors.
    static std::shared_ptr<LogStore> create(const QString &path, QString *error = nullptr);
    /// An existing log (e.g. of an earlier run), read-only (finished).
    static std::shared_ptr<LogStore> open(const QString &path, QString *error = nullptr);

    ~LogStore();
    LogStore(const LogStore &) = delete;
    LogStore &operator=(const LogStore &) = delete;

    QString path() const;

    /// Appends raw bytes; may contain any number of lines and end mid-line.
    void append(QByteArrayView bytes);
    /// No more appends; a pending partial line becomes final. Flushes the file.
    void finish();
    bool isFinished() const;
    /// Writes buffered bytes to the file (readers see them either way).
    void flush();

    /// Number of lines, including a trailing partial line. Lock-free.
    qint64 lineCount() const;
    /// Lines ended by `\n` (all of them once finished): those that will not change any more.
    qint64 completeLineCount() const;
    qint64 byteCount() const;
    /// Line `index` (0-based) without its `\n`; empty when out of range.
    QByteArray line(qint64 index) const;
    /// Up to `count` lines from `first`.
    QList<QByteArray> lines(qint64 first, qint64 count) const;
    /// Calls `visit(index, line)` for up to `count` lines from `first`, reading in large blocks
    /// (for searches and indexing over millions of lines); stops early when `visit` returns
    /// false. The views are valid during the call only. Returns the number of lines visited.
    qint64 scan(qint64 first, qint64 count,
                const std::function<bool(qint64 index, QByteArrayView line)> &visit) const;

    /// Blocks until the log has at least `count` lines (a partial line counts) or is finished,
    /// or `timeoutMs` passed (negative: no limit). True when there are `count` lines.
    bool waitForLines(qint64 count, int timeoutMs = -1) const;

    /// A change notification: `callback` runs on the writer's thread after every append and at
    /// finish(); it must be cheap and must not call back into the store's writer side (a GUI
    /// posts itself a queued event). Returns an id for removeListener(); after removeListener()
    /// returns, the callback is not running and will not run again.
    int addListener(std::function<void()> callback);
    void removeListener(int id);

    /// Bytes of memory the store holds besides the log itself (index, buffers), for benchmarks.
    qint64 memoryUsage() const;

private:
    LogStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace stagecraft::exec
