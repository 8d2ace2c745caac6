#include "exec/logstore.h"

#include <QCoreApplication>
#include <QFile>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace stagecraft::exec {

namespace {

// The line index: chunks of 4096 line starts, each a 64-bit base and 32-bit deltas from it
// (4 bytes a line instead of 8). A chunk whose lines span more than 4 GiB (absurdly long lines)
// switches to 64-bit offsets.
constexpr int chunkShift = 12;
constexpr qint64 chunkLines = qint64(1) << chunkShift;
constexpr qint64 chunkMask = chunkLines - 1;
// Appends collect here and go to the file in blocks this large: a write per job output line
// would cost a system call each (1,000,000 lines: seconds).
constexpr qsizetype writeBufferSize = 256 * 1024;
// scan() reads the flushed part in blocks of about this size.
constexpr qint64 scanBlockBytes = 4 * 1024 * 1024;

struct Chunk
{
    qint64 base = 0;
    std::unique_ptr<quint32[]> deltas{new quint32[chunkLines]};
    std::unique_ptr<qint64[]> wide; ///< only after a delta overflow

    qint64 at(qint64 i) const { return wide ? wide[i] : base + deltas[i]; }
};

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool writeAll(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size_t(size));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= n;
    }
    return true;
}

bool readAllAt(int fd, char *data, qint64 size, qint64 offset)
{
    while (size > 0) {
        const ssize_t n = ::pread(fd, data, size_t(size), off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
        offset += n;
    }
    return true;
}

} // namespace

namespace {
/// A reader's lock: announced, so that the writer lets it in first.
class ReadLock
{
public:
    ReadLock(std::mutex &m, std::atomic<int> &waiting)
        : m_lock(m, std::defer_lock)
    {
        if (m_lock.try_lock())
            return;
        waiting.fetch_add(1, std::memory_order_acq_rel);
        m_lock.lock();
        waiting.fetch_sub(1, std::memory_order_acq_rel);
    }
    std::unique_lock<std::mutex> &lock() { return m_lock; }

private:
    std::unique_lock<std::mutex> m_lock;
};
} // namespace

struct LogStore::Private
{
    mutable std::mutex mutex;
    mutable std::condition_variable grown;
    /// Readers waiting for `mutex`. std::mutex is not fair: a writer appending in a tight loop
    /// re-takes it before a woken reader runs, and the GUI would wait tens of milliseconds for
    /// a window of lines. The writer steps aside while a reader waits.
    mutable std::atomic<int> readersWaiting{0};
    QString path;
    int fd = -1;
    // Index, guarded by `mutex` (the chunk vector may reallocate).
    std::vector<std::unique_ptr<Chunk>> chunks;
    std::atomic<qint64> lines{0};
    std::atomic<qint64> complete{0}; ///< lines whose `\n` has been seen
    std::atomic<qint64> size{0};
    qint64 flushed = 0; ///< bytes in the file; [flushed, size) are in `buffer`
    QByteArray buffer;
    bool endsWithNewline = true; ///< the next byte starts a line
    std::atomic<bool> finished{false};
    const char *map = nullptr; ///< the whole file, once finished
    qint64 mapSize = 0;
    bool ioFailed = false;

    std::mutex listenerMutex;
    std::vector<std::pair<int, std::function<void()>>> listeners;
    std::atomic<int> listenerCount{0};
    int nextListener = 1;

    ~Private()
    {
        if (map)
            ::munmap(const_cast<char *>(map), size_t(mapSize));
        if (fd >= 0)
            ::close(fd);
    }

    qint64 start(qint64 line) const
    {
        return chunks[size_t(line >> chunkShift)]->at(line & chunkMask);
    }
    void pushLine(qint64 offset)
    {
        const qint64 n = lines.load(std::memory_order_relaxed);
        const qint64 i = n & chunkMask;
        if (i == 0) {
            auto c = std::make_unique<Chunk>();
            c->base = offset;
            chunks.push_back(std::move(c));
        }
        Chunk &c = *chunks.back();
        const qint64 delta = offset - c.base;
        if (!c.wide && delta > qint64(0xffffffffu)) {
            c.wide.reset(new qint64[chunkLines]);
            for (qint64 k = 0; k < i; ++k)
                c.wide[k] = c.base + c.deltas[k];
            c.deltas.reset();
        }
        if (c.wide)
            c.wide[i] = offset;
        else
            c.deltas[i] = quint32(delta);
        lines.store(n + 1, std::memory_order_release);
    }

    /// Indexes `bytes` that will be stored at offset `at`.
    void index(const char *bytes, qint64 count, qint64 at)
    {
        const char *p = bytes;
        const char *stop = bytes + count;
        if (endsWithNewline && count > 0)
            pushLine(at);
        qint64 ended = 0;
        while (p < stop) {
            const void *nl = std::memchr(p, '\n', size_t(stop - p));
            if (!nl)
                break;
            ++ended;
            p = static_cast<const char *>(nl) + 1;
            if (p < stop)
                pushLine(at + (p - bytes));
        }
        complete.fetch_add(ended, std::memory_order_release);
        if (count > 0)
            endsWithNewline = stop[-1] == '\n';
    }

    void flushLocked()
    {
        if (buffer.isEmpty())
            return;
        if (!writeAll(fd, buffer.constData(), buffer.size()))
            ioFailed = true;
        flushed += buffer.size();
        buffer.resize(0);
    }

    void mapFile()
    {
        const qint64 n = size.load();
        if (n <= 0 || fd < 0)
            return;
        void *m = ::mmap(nullptr, size_t(n), PROT_READ, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED)
            return; // positioned reads still work
        map = static_cast<const char *>(m);
        mapSize = n;
    }

    /// Copies bytes [from, to) into `out` (sized to - from). The part still in the write buffer
    /// is copied under the lock (held by the caller), the flushed part is read afterwards by
    /// readFlushed() without it: flushed bytes never change.
    struct Pending
    {
        qint64 from = 0;
        qint64 diskEnd = 0; ///< [from, diskEnd) is read from the file or the map
        const char *map = nullptr;
    };
    Pending copyBuffered(char *out, qint64 from, qint64 to) const
    {
        Pending p{from, std::min(to, flushed), map};
        if (to > flushed) {
            const qint64 b = std::max(from, flushed);
            std::memcpy(out + (b - from), buffer.constData() + (b - flushed), size_t(to - b));
        }
        return p;
    }
    bool readFlushed(char *out, const Pending &p) const
    {
        if (p.diskEnd <= p.from)
            return true;
        if (p.map && p.diskEnd <= mapSize) {
            std::memcpy(out, p.map + p.from, size_t(p.diskEnd - p.from));
            return true;
        }
        return readAllAt(fd, out, p.diskEnd - p.from, p.from);
    }

    void yieldToReaders() const
    {
        while (readersWaiting.load(std::memory_order_acquire) > 0)
            std::this_thread::yield();
    }

    void notify()
    {
        grown.notify_all();
        if (listenerCount.load(std::memory_order_acquire) == 0)
            return;
        std::lock_guard lock(listenerMutex);
        for (const auto &l : listeners)
            l.second();
    }
};

LogStore::LogStore()
    : d(std::make_unique<Private>())
{
}
LogStore::~LogStore() = default;

std::shared_ptr<LogStore> LogStore::create(const QString &path, QString *error)
{
    std::shared_ptr<LogStore> store(new LogStore);
    Private &p = *store->d;
    p.path = path;
    p.fd =
        ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (p.fd < 0) {
        if (error)
            *error = QCoreApplication::translate("stagecraft::exec", "Cannot create %1: %2")
                         .arg(path, errnoText());
        return {};
    }
    p.buffer.reserve(writeBufferSize);
    return store;
}

std::shared_ptr<LogStore> LogStore::open(const QString &path, QString *error)
{
    std::shared_ptr<LogStore> store(new LogStore);
    Private &p = *store->d;
    p.path = path;
    p.fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    struct stat st
    {
    };
    if (p.fd < 0 || ::fstat(p.fd, &st) != 0) {
        if (error)
            *error = QCoreApplication::translate("stagecraft::exec", "Cannot open %1: %2")
                         .arg(path, errnoText());
        return {};
    }
    p.size = qint64(st.st_size);
    p.flushed = p.size;
    p.mapFile();
    if (p.map) {
        p.index(p.map, p.mapSize, 0);
    } else {
        // Not mappable (a pipe, a special file system): index it block by block.
        std::vector<char> block(static_cast<size_t>(scanBlockBytes));
        qint64 at = 0;
        while (at < p.size) {
            const qint64 n = std::min<qint64>(scanBlockBytes, p.size - at);
            if (!readAllAt(p.fd, block.data(), n, at)) {
                if (error)
                    *error = QCoreApplication::translate("stagecraft::exec", "Cannot read %1: %2")
                                 .arg(path, errnoText());
                return {};
            }
            p.index(block.data(), n, at);
            at += n;
        }
    }
    p.complete = p.lines.load();
    p.finished = true;
    return store;
}

QString LogStore::path() const
{
    return d->path;
}

void LogStore::append(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
    d->yieldToReaders();
    {
        std::lock_guard lock(d->mutex);
        if (d->finished.load(std::memory_order_relaxed))
            return;
        const qint64 at = d->size.load(std::memory_order_relaxed);
        if (d->buffer.size() + bytes.size() > writeBufferSize)
            d->flushLocked();
        if (bytes.size() >= writeBufferSize) {
            if (!writeAll(d->fd, bytes.data(), bytes.size()))
                d->ioFailed = true;
            d->flushed += bytes.size();
        } else {
            d->buffer.append(bytes.data(), bytes.size());
        }
        d->index(bytes.data(), bytes.size(), at);
        d->size.store(at + bytes.size(), std::memory_order_release);
    }
    d->notify();
}

void LogStore::flush()
{
    std::lock_guard lock(d->mutex);
    if (!d->finished && d->fd >= 0)
        d->flushLocked();
}

void LogStore::finish()
{
    {
        std::lock_guard lock(d->mutex);
        if (d->finished)
            return;
        d->flushLocked();
        d->buffer = QByteArray(); // its memory too
        d->endsWithNewline = true;
        d->mapFile();
        d->complete.store(d->lines.load(), std::memory_order_release);
        d->finished.store(true, std::memory_order_release);
    }
    d->notify();
}

bool LogStore::isFinished() const
{
    return d->finished.load(std::memory_order_acquire);
}

qint64 LogStore::lineCount() const
{
    return d->lines.load(std::memory_order_acquire);
}

qint64 LogStore::completeLineCount() const
{
    return d->complete.load(std::memory_order_acquire);
}

qint64 LogStore::byteCount() const
{
    return d->size.load(std::memory_order_acquire);
}

QByteArray LogStore::line(qint64 index) const
{
    QByteArray result;
    scan(index, 1, [&result](qint64, QByteArrayView l) {
        result = l.toByteArray();
        return false;
    });
    return result;
}

QList<QByteArray> LogStore::lines(qint64 first, qint64 count) const
{
    QList<QByteArray> result;
    if (first < 0 || count <= 0)
        return result;
    result.reserve(qsizetype(std::min(count, lineCount() - first)));
    scan(first, count, [&result](qint64, QByteArrayView l) {
        result.append(l.toByteArray());
        return true;
    });
    return result;
}

qint64 LogStore::scan(qint64 first, qint64 count,
                      const std::function<bool(qint64, QByteArrayView)> &visit) const
{
    if (first < 0 || count <= 0)
        return 0;
    qint64 visited = 0;
    QByteArray block;
    std::vector<qint64> starts;
    qint64 at = first;
    qint64 remaining = count;
    while (remaining > 0) {
        qint64 from = 0;
        qint64 to = 0;
        Private::Pending pending;
        {
            ReadLock lock(d->mutex, d->readersWaiting);
            const qint64 total = d->lines.load(std::memory_order_relaxed);
            if (at >= total)
                break;
            // As many lines as fit a block (at least one, however long).
            from = d->start(at);
            const qint64 bytes = d->size.load(std::memory_order_relaxed);
            const qint64 limit = std::min(total, at + remaining);
            starts.clear();
            starts.push_back(from);
            for (qint64 k = at; k < limit; ++k) {
                const qint64 e = k + 1 < total ? d->start(k + 1) : bytes;
                if (k > at && e - from > scanBlockBytes)
                    break;
                starts.push_back(e);
            }
            to = starts.back();
            block.resize(qsizetype(to - from));
            pending = d->copyBuffered(block.data(), from, to);
        }
        if (!d->readFlushed(block.data(), pending))
            block.fill('\0'); // an I/O error: readers get empty-ish lines rather than garbage
        const qint64 n = qint64(starts.size()) - 1;
        for (qint64 k = 0; k < n; ++k) {
            qint64 len = starts[size_t(k + 1)] - starts[size_t(k)];
            const char *s = block.constData() + (starts[size_t(k)] - from);
            if (len > 0 && s[len - 1] == '\n')
                --len;
            ++visited;
            if (!visit(at + k, QByteArrayView(s, qsizetype(len))))
                return visited;
        }
        at += n;
        remaining -= n;
    }
    return visited;
}

bool LogStore::waitForLines(qint64 count, int timeoutMs) const
{
    ReadLock lock(d->mutex, d->readersWaiting);
    auto ready = [this, count] {
        return d->lines.load(std::memory_order_relaxed) >= count ||
               d->finished.load(std::memory_order_relaxed);
    };
    if (timeoutMs < 0)
        d->grown.wait(lock.lock(), ready);
    else
        d->grown.wait_for(lock.lock(), std::chrono::milliseconds(timeoutMs), ready);
    return d->lines.load(std::memory_order_relaxed) >= count;
}

int LogStore::addListener(std::function<void()> callback)
{
    std::lock_guard lock(d->listenerMutex);
    const int id = d->nextListener++;
    d->listeners.emplace_back(id, std::move(callback));
    d->listenerCount.store(int(d->listeners.size()), std::memory_order_release);
    return id;
}

void LogStore::removeListener(int id)
{
    std::lock_guard lock(d->listenerMutex);
    std::erase_if(d->listeners, [id](const auto &l) { return l.first == id; });
    d->listenerCount.store(int(d->listeners.size()), std::memory_order_release);
}

qint64 LogStore::memoryUsage() const
{
    ReadLock lock(d->mutex, d->readersWaiting);
    qint64 bytes = qint64(sizeof(Private)) + qint64(d->buffer.capacity());
    bytes += qint64(d->chunks.capacity() * sizeof(std::unique_ptr<Chunk>));
    for (const auto &c : d->chunks)
        bytes += qint64(sizeof(Chunk)) +
                 (c->wide ? chunkLines * qint64(sizeof(qint64)) : chunkLines * 4);
    return bytes;
}

} // namespace stagecraft::exec
