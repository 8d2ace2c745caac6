#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace stagecraft::exec {

/// A job's trace: append-only on disk, indexed by line, readable from any thread while it is
/// being written. Bytes are stored as the job wrote them (ANSI colours, `\r`, GitLab's
/// `section_start:`/`section_end:` markers) so that viewers can render them; lines end at `\n`
/// (not stored). A trailing partial line is readable as the last line until more arrives.
///
/// Memory: one 8-byte offset per line plus a small tail buffer.
class LogStore
{
public:
    /// A new, empty log at `path` (created or truncated). Nothing, with `error` set, on I/O errors.
    static std::shared_ptr<LogStore> create(const QString &path, QString *error = nullptr);
    /// An existing log (e.g. of an earlier run), read-only.
    static std::shared_ptr<LogStore> open(const QString &path, QString *error = nullptr);

    ~LogStore();
    LogStore(const LogStore &) = delete;
    LogStore &operator=(const LogStore &) = delete;

    QString path() const;

    /// Appends raw bytes; may contain any number of lines and end mid-line.
    void append(QByteArrayView bytes);
    /// No more appends; a pending partial line becomes final.
    void finish();
    bool isFinished() const;

    /// Number of lines, including a trailing partial line.
    qint64 lineCount() const;
    qint64 byteCount() const;
    /// Line `index` (0-based) without its `\n`; empty when out of range.
    QByteArray line(qint64 index) const;
    /// Up to `count` lines from `first`.
    QList<QByteArray> lines(qint64 first, qint64 count) const;

private:
    LogStore();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace stagecraft::exec
