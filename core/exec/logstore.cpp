#include "exec/logstore.h"

#include <QCoreApplication>
#include <QFile>

#include <mutex>
#include <vector>

namespace stagecraft::exec {

// First version: a file written through and read back with positioned reads, one offset per
// line. The LogStore helper owns its performance.
struct LogStore::Private
{
    mutable std::mutex mutex;
    QString path;
    mutable QFile file;
    std::vector<qint64> starts; ///< byte offset of each line's start
    qint64 size = 0;
    bool endsWithNewline = true; ///< no partial line pending
    bool finished = false;
};

LogStore::LogStore() : d(std::make_unique<Private>()) {}
LogStore::~LogStore() = default;

std::shared_ptr<LogStore> LogStore::create(const QString &path, QString *error)
{
    std::shared_ptr<LogStore> store(new LogStore);
    store->d->path = path;
    store->d->file.setFileName(path);
    if (!store->d->file.open(QIODevice::ReadWrite | QIODevice::Truncate)) {
        if (error)
            *error = QCoreApplication::translate("stagecraft::exec", "Cannot create %1: %2")
                         .arg(path, store->d->file.errorString());
        return {};
    }
    return store;
}

std::shared_ptr<LogStore> LogStore::open(const QString &path, QString *error)
{
    std::shared_ptr<LogStore> store(new LogStore);
    store->d->path = path;
    store->d->file.setFileName(path);
    if (!store->d->file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("stagecraft::exec", "Cannot open %1: %2")
                         .arg(path, store->d->file.errorString());
        return {};
    }
    const QByteArray all = store->d->file.readAll();
    Private &p = *store->d;
    p.size = all.size();
    qint64 start = 0;
    for (qint64 i = 0; i < all.size(); ++i) {
        if (all[i] == '\n') {
            p.starts.push_back(start);
            start = i + 1;
        }
    }
    if (start < all.size()) {
        p.starts.push_back(start);
        p.endsWithNewline = false;
    }
    p.finished = true;
    return store;
}

QString LogStore::path() const
{
    return d->path;
}

void LogStore::append(QByteArrayView bytes)
{
    std::lock_guard lock(d->mutex);
    if (d->finished || bytes.isEmpty())
        return;
    d->file.seek(d->size);
    d->file.write(bytes.data(), bytes.size());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (d->endsWithNewline) {
            d->starts.push_back(d->size + i);
            d->endsWithNewline = false;
        }
        if (bytes[i] == '\n')
            d->endsWithNewline = true;
    }
    d->size += bytes.size();
}

void LogStore::finish()
{
    std::lock_guard lock(d->mutex);
    d->file.flush();
    d->finished = true;
}

bool LogStore::isFinished() const
{
    std::lock_guard lock(d->mutex);
    return d->finished;
}

qint64 LogStore::lineCount() const
{
    std::lock_guard lock(d->mutex);
    return qint64(d->starts.size());
}

qint64 LogStore::byteCount() const
{
    std::lock_guard lock(d->mutex);
    return d->size;
}

QByteArray LogStore::line(qint64 index) const
{
    const QList<QByteArray> one = lines(index, 1);
    return one.isEmpty() ? QByteArray() : one.first();
}

QList<QByteArray> LogStore::lines(qint64 first, qint64 count) const
{
    std::lock_guard lock(d->mutex);
    QList<QByteArray> result;
    const qint64 total = qint64(d->starts.size());
    if (first < 0 || first >= total || count <= 0)
        return result;
    const qint64 last = std::min(total, first + count);
    const qint64 from = d->starts[size_t(first)];
    const qint64 to = last < total ? d->starts[size_t(last)] : d->size;
    d->file.flush();
    d->file.seek(from);
    const QByteArray block = d->file.read(to - from);
    qsizetype pos = 0;
    for (qint64 i = first; i < last; ++i) {
        const qint64 end = (i + 1 < total ? d->starts[size_t(i + 1)] : d->size) - from;
        qsizetype len = qsizetype(end) - pos;
        if (len > 0 && block.size() >= pos + len && block[pos + len - 1] == '\n')
            --len;
        result.append(block.mid(pos, len));
        pos = qsizetype(end);
    }
    return result;
}

} // namespace stagecraft::exec
