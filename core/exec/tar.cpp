// writeTar()/extractTar(): the archives that carry a workspace into containers and pods and
// back. ustar with GNU long names on write (what GNU tar, busybox tar and Docker's archive API
// all read); ustar, GNU long names and pax `path`/`linkpath`/`size` on read.
#include "exec/fileops.h"
#include "exec/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSet>

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sys/stat.h>
#include <unistd.h>

namespace stagecraft::exec {

namespace {

constexpr int Block = 512;

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

bool setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

// ---- writing ------------------------------------------------------------------------------

void putOctal(char *field, int width, quint64 value)
{
    // width includes the terminating NUL; values too large for octal use GNU's base-256.
    const quint64 max = width - 1 >= 22 ? ~quint64(0) : (quint64(1) << (3 * (width - 1))) - 1;
    if (value <= max) {
        QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
        std::memcpy(field, digits.constData(), size_t(width - 1));
        field[width - 1] = '\0';
        return;
    }
    std::memset(field, 0, size_t(width));
    for (int i = width - 1; i > 0; --i) {
        field[i] = char(value & 0xff);
        value >>= 8;
    }
    field[0] = char(0x80);
}

struct Header
{
    char b[Block];
};

Header makeHeader(const QByteArray &name, char type, quint64 mode, quint64 size, qint64 mtime,
                  const QByteArray &linkName, bool gnuMagic)
{
    Header h;
    std::memset(h.b, 0, Block);
    std::memcpy(h.b, name.constData(), size_t(std::min<qsizetype>(name.size(), 100)));
    putOctal(h.b + 100, 8, mode);
    putOctal(h.b + 108, 8, 0);
    putOctal(h.b + 116, 8, 0);
    putOctal(h.b + 124, 12, size);
    putOctal(h.b + 136, 12, quint64(std::max<qint64>(mtime, 0)));
    h.b[156] = type;
    std::memcpy(h.b + 157, linkName.constData(), size_t(std::min<qsizetype>(linkName.size(), 100)));
    if (gnuMagic)
        std::memcpy(h.b + 257, "ustar  ", 8);
    else
        std::memcpy(h.b + 257,
                    "ustar\0"
                    "00",
                    8);
    std::memcpy(h.b + 265, "root", 4);
    std::memcpy(h.b + 297, "root", 4);
    std::memset(h.b + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h.b)
        sum += c;
    putOctal(h.b + 148, 7, sum);
    h.b[155] = ' ';
    return h;
}

class Writer
{
public:
    explicit Writer(QIODevice *out)
        : m_out(out)
    {
    }

    bool write(const char *data, qint64 size)
    {
        while (size > 0) {
            const qint64 n = m_out->write(data, size);
            if (n <= 0)
                return false;
            data += n;
            size -= n;
        }
        return true;
    }
    bool pad(quint64 size)
    {
        static const char zeros[Block] = {};
        const quint64 rest = size % Block;
        return rest == 0 || write(zeros, qint64(Block - rest));
    }
    bool longRecord(char type, const QByteArray &value)
    {
        const QByteArray data = value + '\0';
        const Header h = makeHeader(QByteArrayLiteral("././@LongLink"), type, 0644,
                                    quint64(data.size()), 0, {}, true);
        return write(h.b, Block) && write(data.constData(), data.size()) &&
               pad(quint64(data.size()));
    }
    /// Header (with long-name records before it as needed).
    bool header(QByteArray name, char type, quint64 mode, quint64 size, qint64 mtime,
                const QByteArray &linkName)
    {
        bool gnu = false;
        if (linkName.size() > 100) {
            if (!longRecord('K', linkName))
                return false;
            gnu = true;
        }
        if (name.size() > 100) {
            if (!longRecord('L', name))
                return false;
            gnu = true;
            name.truncate(100);
        }
        const Header h = makeHeader(name, type, mode, size, mtime, linkName, gnu);
        return write(h.b, Block);
    }

private:
    QIODevice *m_out;
};

bool writeEntry(Writer &w, const QByteArray &rootBytes, const QByteArray &rel, QString *error)
{
    const QByteArray full = rootBytes + '/' + rel;
    struct stat st;
    if (::lstat(full.constData(), &st) != 0)
        return setError(error,
                        QFile::decodeName(full) + QStringLiteral(": ") + fileops::errnoText(errno));
    const quint64 mode = st.st_mode & 07777;
    const qint64 mtime = qint64(st.st_mtim.tv_sec);
    const auto writeFailed = [&] { return setError(error, tr("cannot write the archive")); };
    if (S_ISDIR(st.st_mode))
        return w.header(rel + '/', '5', mode, 0, mtime, {}) || writeFailed();
    if (S_ISLNK(st.st_mode)) {
        QByteArray target(qsizetype(st.st_size) + 1, '\0');
        const ssize_t n = ::readlink(full.constData(), target.data(), size_t(target.size()));
        if (n < 0)
            return setError(error, QFile::decodeName(full) + QStringLiteral(": ") +
                                       fileops::errnoText(errno));
        target.truncate(n);
        return w.header(rel, '2', mode, 0, mtime, target) || writeFailed();
    }
    if (!S_ISREG(st.st_mode))
        return true;
    const int fd = ::open(full.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return setError(error,
                        QFile::decodeName(full) + QStringLiteral(": ") + fileops::errnoText(errno));
    const quint64 size = quint64(st.st_size);
    if (!w.header(rel, '0', mode, size, mtime, {})) {
        ::close(fd);
        return writeFailed();
    }
    // Exactly `size` bytes: a file that changes meanwhile must not corrupt the stream.
    static thread_local char buffer[1 << 16];
    quint64 left = size;
    while (left > 0) {
        const ssize_t n = ::read(fd, buffer, size_t(std::min<quint64>(left, sizeof buffer)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            std::memset(buffer, 0, sizeof buffer); // shrank: pad with zeros
            const quint64 chunk = std::min<quint64>(left, sizeof buffer);
            if (!w.write(buffer, qint64(chunk))) {
                ::close(fd);
                return writeFailed();
            }
            left -= chunk;
            continue;
        }
        if (!w.write(buffer, n)) {
            ::close(fd);
            return writeFailed();
        }
        left -= quint64(n);
    }
    ::close(fd);
    return w.pad(size) || writeFailed();
}

} // namespace

bool writeTar(const QString &root, const QStringList &files, QIODevice *out, QString *error)
{
    if (!out || !out->isWritable())
        return setError(error, tr("cannot write the archive: the output is not open"));
    Writer w(out);
    const QByteArray rootBytes = QFile::encodeName(QDir::cleanPath(root));
    QSet<QByteArray> written;
    // Parent folders first (modes kept), then the entry; folders listed are written with their
    // content.
    std::function<bool(const QByteArray &)> add = [&](const QByteArray &rel) -> bool {
        if (rel.isEmpty() || written.contains(rel))
            return true;
        const qsizetype slash = rel.lastIndexOf('/');
        if (slash > 0 && !add(rel.left(slash)))
            return false;
        if (written.contains(rel)) // the parent folder brought it along
            return true;
        written.insert(rel);
        if (!writeEntry(w, rootBytes, rel, error))
            return false;
        struct stat st;
        if (::lstat(QByteArray(rootBytes + '/' + rel).constData(), &st) == 0 &&
            S_ISDIR(st.st_mode)) {
            for (const QString &child :
                 fileops::walk(QFile::decodeName(rootBytes + '/' + rel), {}, true)) {
                if (!add(rel + '/' + QFile::encodeName(child)))
                    return false;
            }
        }
        return true;
    };
    for (const QString &f : files) {
        QByteArray rel = QFile::encodeName(QDir::cleanPath(f));
        while (rel.startsWith("./"))
            rel.remove(0, 2);
        if (rel == "." || rel.isEmpty()) {
            for (const QString &child : fileops::walk(QFile::decodeName(rootBytes), {}, true)) {
                if (!add(QFile::encodeName(child)))
                    return false;
            }
            continue;
        }
        if (rel.startsWith('/') || rel == ".." || rel.startsWith("../"))
            return setError(error, tr("%1: not a path inside %2").arg(f, root));
        if (!add(rel))
            return false;
    }
    static const char zeros[2 * Block] = {};
    if (!w.write(zeros, sizeof zeros))
        return setError(error, tr("cannot write the archive"));
    return true;
}

// ---- reading ------------------------------------------------------------------------------

namespace {

class Reader
{
public:
    explicit Reader(QIODevice *in)
        : m_in(in)
    {
    }
    /// Reads exactly `size` bytes; false at the end of the stream.
    bool read(char *data, qint64 size)
    {
        while (size > 0) {
            const qint64 n = m_in->read(data, size);
            if (n < 0)
                return false;
            if (n == 0) {
                if (m_in->atEnd() && !m_in->isSequential())
                    return false;
                if (!m_in->waitForReadyRead(60000))
                    return false;
                continue;
            }
            data += n;
            size -= n;
        }
        return true;
    }
    bool skip(quint64 size)
    {
        char buffer[8192];
        while (size > 0) {
            const qint64 chunk = qint64(std::min<quint64>(size, sizeof buffer));
            if (!read(buffer, chunk))
                return false;
            size -= quint64(chunk);
        }
        return true;
    }

private:
    QIODevice *m_in;
};

quint64 parseNumber(const char *field, int width, bool *ok)
{
    *ok = true;
    if (static_cast<unsigned char>(field[0]) & 0x80) { // GNU base-256
        quint64 v = static_cast<unsigned char>(field[0]) & 0x7f;
        for (int i = 1; i < width; ++i)
            v = (v << 8) | static_cast<unsigned char>(field[i]);
        return v;
    }
    quint64 v = 0;
    int i = 0;
    while (i < width && (field[i] == ' ' || field[i] == '\0'))
        ++i;
    bool any = false;
    for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
        v = v * 8 + quint64(field[i] - '0');
        any = true;
    }
    for (; i < width; ++i) {
        if (field[i] != ' ' && field[i] != '\0')
            *ok = false;
    }
    if (!any && field[0] != '\0' && field[0] != ' ')
        *ok = false;
    return v;
}

QByteArray cString(const char *field, int width)
{
    return QByteArray(field, qsizetype(strnlen(field, size_t(width))));
}

/// The entry's path made relative and clean, or empty when it would leave the destination.
QByteArray safeRelative(QByteArray path, bool *ok)
{
    *ok = false;
    if (path.startsWith('/'))
        return {};
    QList<QByteArray> parts;
    for (const QByteArray &p : path.split('/')) {
        if (p.isEmpty() || p == ".")
            continue;
        if (p == "..")
            return {};
        parts.append(p);
    }
    *ok = true;
    return parts.join('/');
}

void parsePax(const QByteArray &data, QHash<QByteArray, QByteArray> *values)
{
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype space = data.indexOf(' ', pos);
        if (space < 0)
            return;
        bool ok = false;
        const qsizetype len = data.mid(pos, space - pos).toLongLong(&ok);
        if (!ok || len <= 0 || pos + len > data.size())
            return;
        const QByteArray record = data.mid(space + 1, pos + len - space - 2); // drop '\n'
        const qsizetype eq = record.indexOf('=');
        if (eq > 0)
            values->insert(record.left(eq), record.mid(eq + 1));
        pos += len;
    }
}

} // namespace

bool extractTar(QIODevice *in, const QString &dest, QString *error)
{
    if (!in || !in->isReadable())
        return setError(error, tr("cannot read the archive: the input is not open"));
    Reader r(in);
    QSet<QByteArray> made;
    const QByteArray destBytes = QFile::encodeName(QDir::cleanPath(QDir(dest).absolutePath()));
    if (!fileops::makePath(destBytes, &made))
        return setError(error, dest + QStringLiteral(": ") + fileops::errnoText(errno));

    QByteArray longName, longLink;
    QHash<QByteArray, QByteArray> pax;
    bool sawEntry = false;
    // Folders' modes are set at the end: a read-only folder must still receive its files.
    QList<QPair<QByteArray, mode_t>> dirModes;

    // Refuses to write through a symlink the archive (or anyone) placed inside the destination.
    auto throughSymlink = [&](const QByteArray &rel) {
        qsizetype from = 0;
        for (;;) {
            const qsizetype slash = rel.indexOf('/', from);
            if (slash < 0)
                return false;
            struct stat st;
            if (::lstat(QByteArray(destBytes + '/' + rel.left(slash)).constData(), &st) == 0 &&
                S_ISLNK(st.st_mode))
                return true;
            from = slash + 1;
        }
    };

    int zeroBlocks = 0;
    for (;;) {
        char block[Block];
        if (!r.read(block, Block)) {
            if (sawEntry || zeroBlocks > 0)
                break; // some writers omit the end blocks
            return setError(error, tr("cannot read the archive: unexpected end of data"));
        }
        if (std::all_of(block, block + Block, [](char c) { return c == 0; })) {
            if (++zeroBlocks == 2)
                break;
            continue;
        }
        zeroBlocks = 0;
        sawEntry = true;
        // Some old writers summed signed chars: accept both sums, as GNU tar does.
        unsigned sum = 0;
        int signedSum = 0;
        for (int i = 0; i < Block; ++i) {
            const bool field = i >= 148 && i < 156;
            sum += field ? unsigned(' ') : static_cast<unsigned char>(block[i]);
            signedSum += field ? int(' ') : static_cast<signed char>(block[i]);
        }
        bool ok = false;
        const quint64 stored = parseNumber(block + 148, 8, &ok);
        if (!ok || (stored != sum && qint64(stored) != qint64(signedSum)))
            return setError(error, tr("cannot read the archive: not a tar archive or corrupt "
                                      "(bad header checksum)"));
        const char type = block[156];
        quint64 size = parseNumber(block + 124, 12, &ok);
        if (!ok)
            return setError(error, tr("cannot read the archive: corrupt entry size"));
        const quint64 padded = (size + Block - 1) / Block * Block;

        if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
            if (size > 1024 * 1024)
                return setError(error, tr("cannot read the archive: extended header too large"));
            QByteArray data(qsizetype(padded), '\0');
            if (!r.read(data.data(), qint64(padded)))
                return setError(error, tr("cannot read the archive: unexpected end of data"));
            data.truncate(qsizetype(size));
            if (type == 'L')
                longName = cString(data.constData(), int(data.size()));
            else if (type == 'K')
                longLink = cString(data.constData(), int(data.size()));
            else if (type == 'x')
                parsePax(data, &pax);
            continue;
        }

        QByteArray name = cString(block, 100);
        QByteArray link = cString(block + 157, 100);
        if (std::memcmp(block + 257, "ustar\0", 6) == 0) {
            const QByteArray prefix = cString(block + 345, 155);
            if (!prefix.isEmpty())
                name = prefix + '/' + name;
        }
        if (!longName.isEmpty())
            name = longName;
        if (!longLink.isEmpty())
            link = longLink;
        if (pax.contains("path"))
            name = pax.value("path");
        if (pax.contains("linkpath"))
            link = pax.value("linkpath");
        if (pax.contains("size"))
            size = pax.value("size").toULongLong();
        const quint64 dataSize = (type == '0' || type == '\0' || type == '7') ? size : 0;
        const quint64 dataPadded =
            (type == '5' || type == '2' || type == '1') ? 0 : (size + Block - 1) / Block * Block;
        longName.clear();
        longLink.clear();
        pax.clear();
        const mode_t mode = mode_t(parseNumber(block + 100, 8, &ok) & 07777);

        bool safe = false;
        const QByteArray rel = safeRelative(name, &safe);
        if (!safe)
            return setError(error, tr("refusing to extract \"%1\": the path leaves %2")
                                       .arg(QFile::decodeName(name), dest));
        if (rel.isEmpty()) { // "./" itself
            if (!r.skip(dataPadded))
                return setError(error, tr("cannot read the archive: unexpected end of data"));
            continue;
        }
        if (throughSymlink(rel))
            return setError(error, tr("refusing to extract \"%1\": a parent folder is a symbolic "
                                      "link")
                                       .arg(QFile::decodeName(name)));
        const QByteArray full = destBytes + '/' + rel;
        const qsizetype slash = full.lastIndexOf('/');
        if (!fileops::makePath(full.left(slash), &made))
            return setError(error, QFile::decodeName(full.left(slash)) + QStringLiteral(": ") +
                                       fileops::errnoText(errno));
        struct stat existing;
        const bool exists = ::lstat(full.constData(), &existing) == 0;
        auto clearSpot = [&]() {
            if (!exists || (type == '5' && S_ISDIR(existing.st_mode)))
                return true;
            return S_ISDIR(existing.st_mode) ? fileops::removeTree(full)
                                             : ::unlink(full.constData()) == 0;
        };
        auto ioError = [&]() {
            return setError(error, QFile::decodeName(full) + QStringLiteral(": ") +
                                       fileops::errnoText(errno));
        };
        if (!clearSpot())
            return ioError();

        switch (type) {
        case '5':
            if (!fileops::makePath(full, &made))
                return ioError();
            dirModes.append({full, mode});
            break;
        case '2':
            if (::symlink(link.constData(), full.constData()) != 0)
                return ioError();
            break;
        case '1': {
            const QByteArray target = safeRelative(link, &safe);
            if (!safe || target.isEmpty() || throughSymlink(target))
                return setError(error,
                                tr("refusing to extract \"%1\": the hard link target "
                                   "\"%2\" leaves %3")
                                    .arg(QFile::decodeName(name), QFile::decodeName(link), dest));
            QString copyError;
            if (::link(QByteArray(destBytes + '/' + target).constData(), full.constData()) != 0 &&
                !fileops::copyEntry(destBytes + '/' + target, full, &made, &copyError))
                return setError(error, copyError);
            break;
        }
        case '0':
        case '\0':
        case '7': {
            const int fd = ::open(full.constData(),
                                  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
            if (fd < 0)
                return ioError();
            char buffer[65536];
            quint64 left = dataPadded;
            quint64 toWrite = dataSize;
            while (left > 0) {
                const qint64 chunk = qint64(std::min<quint64>(left, sizeof buffer));
                if (!r.read(buffer, chunk)) {
                    ::close(fd);
                    return setError(error, tr("cannot read the archive: unexpected end of data"));
                }
                left -= quint64(chunk);
                const quint64 w = std::min<quint64>(toWrite, quint64(chunk));
                for (quint64 done = 0; done < w;) {
                    const ssize_t n = ::write(fd, buffer + done, size_t(w - done));
                    if (n < 0 && errno == EINTR)
                        continue;
                    if (n < 0) {
                        const int saved = errno;
                        ::close(fd);
                        errno = saved;
                        return ioError();
                    }
                    done += quint64(n);
                }
                toWrite -= w;
            }
            ::fchmod(fd, mode);
            ::close(fd);
            break;
        }
        default: // devices, fifos and unknown types: skipped
            if (!r.skip(dataPadded))
                return setError(error, tr("cannot read the archive: unexpected end of data"));
            break;
        }
    }
    for (auto it = dirModes.crbegin(); it != dirModes.crend(); ++it)
        ::chmod(it->first.constData(), it->second);
    return true;
}

} // namespace stagecraft::exec
