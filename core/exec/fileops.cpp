#include "exec/fileops.h"

#include <QFile>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace stagecraft::exec::fileops {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool makePath(const QByteArray &dir, QSet<QByteArray> *made)
{
    if (dir.isEmpty() || (made && made->contains(dir)))
        return true;
    struct stat st;
    if (::lstat(dir.constData(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            if (made)
                made->insert(dir);
            return true;
        }
        errno = ENOTDIR;
        return false;
    }
    const qsizetype slash = dir.lastIndexOf('/');
    if (slash > 0 && !makePath(dir.left(slash), made))
        return false;
    if (::mkdir(dir.constData(), 0777) != 0 && errno != EEXIST)
        return false;
    if (made)
        made->insert(dir);
    return true;
}

namespace {

bool copyData(int in, int out, off_t size)
{
    off_t left = size;
    bool fallback = false;
    while (left > 0 && !fallback) {
        const ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, size_t(left), 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
                fallback = true;
                break;
            }
            return false;
        }
        if (n == 0)
            break; // the file shrank meanwhile
        left -= n;
    }
    if (!fallback)
        return true;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(in, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            return true;
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(out, buffer + done, size_t(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return false;
            done += w;
        }
    }
}

mode_t currentUmask()
{
    static const mode_t mask = [] {
        const mode_t m = ::umask(022);
        ::umask(m);
        return m;
    }();
    return mask;
}

} // namespace

bool copyEntry(const QByteArray &src, const QByteArray &dst, QSet<QByteArray> *made, QString *error)
{
    auto fail = [&](const QByteArray &path) {
        if (error)
            *error = QFile::decodeName(path) + QStringLiteral(": ") + errnoText(errno);
        return false;
    };
    struct stat st;
    if (::lstat(src.constData(), &st) != 0)
        return fail(src);
    const qsizetype slash = dst.lastIndexOf('/');
    if (made && slash > 0 && !makePath(dst.left(slash), made))
        return fail(dst.left(slash));
    if (S_ISDIR(st.st_mode))
        return makePath(dst, made) || fail(dst);

    // No lstat of the destination first (one system call per file counts on slow file systems):
    // create, and clear the spot only when something is in the way.
    auto clearSpot = [&]() {
        struct stat existing;
        if (::lstat(dst.constData(), &existing) != 0)
            return errno == ENOENT;
        return S_ISDIR(existing.st_mode) ? removeTree(dst) : ::unlink(dst.constData()) == 0;
    };
    if (S_ISLNK(st.st_mode)) {
        QByteArray target(qsizetype(st.st_size) + 1, '\0');
        const ssize_t n = ::readlink(src.constData(), target.data(), size_t(target.size()));
        if (n < 0)
            return fail(src);
        target.truncate(n);
        if (::symlink(target.constData(), dst.constData()) == 0)
            return true;
        if (errno != EEXIST || !clearSpot())
            return fail(dst);
        return ::symlink(target.constData(), dst.constData()) == 0 || fail(dst);
    }
    if (!S_ISREG(st.st_mode))
        return true; // sockets, fifos, devices: not part of a project's files
    const int in = ::open(src.constData(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return fail(src);
    // O_EXCL: the file is always new, so its mode is the requested one minus the umask.
    const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
    int out = ::open(dst.constData(), flags, st.st_mode & 07777);
    if (out < 0 && errno == EEXIST && clearSpot())
        out = ::open(dst.constData(), flags, st.st_mode & 07777);
    if (out < 0) {
        const int saved = errno;
        ::close(in);
        errno = saved;
        return fail(dst);
    }
    bool ok = copyData(in, out, st.st_size);
    const int saved = errno;
    ::close(in);
    // The umask may have cut bits off at creation: set the exact mode, which costs a system call
    // only when needed.
    if (ok && (st.st_mode & 07777 & ~currentUmask()) != (st.st_mode & 07777) &&
        ::fchmod(out, st.st_mode & 07777) != 0)
        ok = false;
    const int savedChmod = errno;
    ::close(out);
    errno = ok ? 0 : (saved ? saved : savedChmod);
    return ok || fail(dst);
}

bool copyAll(const QString &fromRoot, const QString &toRoot, const QStringList &files,
             QString *error)
{
    const QByteArray from = QFile::encodeName(fromRoot);
    const QByteArray to = QFile::encodeName(toRoot);
    // Folders first, once each, so that the copying threads never race on them.
    QSet<QByteArray> made;
    if (!makePath(to, &made)) {
        if (error)
            *error = toRoot + QStringLiteral(": ") + errnoText(errno);
        return false;
    }
    QList<QByteArray> rels;
    rels.reserve(files.size());
    for (const QString &f : files) {
        const QByteArray rel = QFile::encodeName(f);
        const qsizetype slash = rel.lastIndexOf('/');
        if (slash > 0 && !makePath(QByteArray(to + '/' + rel.left(slash)), &made)) {
            if (error)
                *error = QFile::decodeName(to + '/' + rel.left(slash)) + QStringLiteral(": ") +
                         errnoText(errno);
            return false;
        }
        rels.append(rel);
    }
    // Copies are system-call bound: a few threads overlap the file system's latency.
    const int threadCount = rels.size() < 64 ? 1 : 4;
    std::atomic<qsizetype> next{0};
    std::atomic<bool> failed{false};
    std::mutex errorLock;
    auto worker = [&] {
        QString localError;
        for (qsizetype i = next++; i < rels.size() && !failed; i = next++) {
            if (!copyEntry(QByteArray(from + '/' + rels[i]), QByteArray(to + '/' + rels[i]),
                           nullptr, &localError)) {
                const std::lock_guard<std::mutex> guard(errorLock);
                if (!failed.exchange(true) && error)
                    *error = localError;
                return;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < threadCount; ++t)
        threads.emplace_back(worker);
    worker();
    for (std::thread &t : threads)
        t.join();
    return !failed;
}

bool removeTree(const QByteArray &path)
{
    struct stat st;
    if (::lstat(path.constData(), &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return ::unlink(path.constData()) == 0;
    DIR *dir = ::opendir(path.constData());
    if (!dir)
        return false;
    bool ok = true;
    while (dirent *e = ::readdir(dir)) {
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
            continue;
        ok = removeTree(path + '/' + e->d_name) && ok;
    }
    ::closedir(dir);
    return ::rmdir(path.constData()) == 0 && ok;
}

namespace {

void walkInto(const QByteArray &root, const QByteArray &rel, const QList<QByteArray> &skip,
              bool withDirs, QStringList *out)
{
    const QByteArray full = rel.isEmpty() ? root : root + '/' + rel;
    DIR *dir = ::opendir(full.constData());
    if (!dir)
        return;
    bool empty = true;
    while (dirent *e = ::readdir(dir)) {
        if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
            continue;
        empty = false;
        const QByteArray name(e->d_name);
        const QByteArray childRel = rel.isEmpty() ? name : rel + '/' + name;
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (::lstat(QByteArray(root + '/' + childRel).constData(), &st) != 0)
                continue;
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : DT_REG;
        }
        if (type == DT_DIR) {
            if (!skip.contains(name))
                walkInto(root, childRel, skip, withDirs, out);
        } else if (type == DT_REG || type == DT_LNK) {
            out->append(QFile::decodeName(childRel));
        }
    }
    ::closedir(dir);
    if (empty && withDirs && !rel.isEmpty())
        out->append(QFile::decodeName(rel));
}

} // namespace

QStringList walk(const QString &root, const QStringList &skipDirs, bool withDirs)
{
    QList<QByteArray> skip;
    for (const QString &s : skipDirs)
        skip.append(QFile::encodeName(s));
    QStringList out;
    walkInto(QFile::encodeName(root), {}, skip, withDirs, &out);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace stagecraft::exec::fileops
