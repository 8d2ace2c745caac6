// `cache:`: keys, restore (key, then fallback keys) and save, as plain folders under a cache
// root (`<root>/<key>/<files>`), with GitLab Runner's log lines for a runner without a shared
// cache server.
#include "exec/fileops.h"
#include "exec/pathmatch.h"
#include "exec/workspace.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <stdio.h>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

void say(QStringList *log, const QString &line)
{
    if (log)
        log->append(line);
}

/// GitLab refuses `/` (also URL-encoded) and the keys `.` and `..`; a local run replaces them
/// so that a key is always one folder name.
QString sanitise(QString key)
{
    key.replace(QStringLiteral("%2F"), QStringLiteral("-"), Qt::CaseInsensitive);
    key.replace(QLatin1Char('/'), QLatin1Char('-'));
    key.replace(QLatin1Char('\\'), QLatin1Char('-'));
    key = key.trimmed();
    if (key.isEmpty() || key == QLatin1String(".") || key == QLatin1String(".."))
        return QStringLiteral("default");
    return key;
}

} // namespace

QString cacheKey(const CacheSpec &spec, const QString &workspace)
{
    if (spec.keyFiles.isEmpty())
        return sanitise(spec.key);
    const QString shownDir = spec.workingDirectory;
    QCryptographicHash hash(QCryptographicHash::Sha1);
    bool any = false;
    for (const QString &file : spec.keyFiles) {
        QString rel = QDir::cleanPath(file);
        for (const QString &base : {shownDir, workspace}) {
            if (!base.isEmpty() && rel.startsWith(base + QLatin1Char('/')))
                rel = rel.mid(base.size() + 1);
        }
        if (rel.startsWith(QLatin1Char('/')) || rel.startsWith(QLatin1String("../")))
            continue;
        QFile f(workspace + QLatin1Char('/') + rel);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        any = true;
        hash.addData(rel.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
        hash.addData(&f);
    }
    const QString sha =
        any ? QString::fromLatin1(hash.result().toHex()) : QStringLiteral("default");
    return sanitise(spec.keyPrefix.isEmpty() ? sha : spec.keyPrefix + QLatin1Char('-') + sha);
}

QString restoreCache(const CacheSpec &spec, const QString &key, const QString &cacheRoot,
                     const QString &workspace, QStringList *log)
{
    if (spec.policy == QLatin1String("push")) {
        say(log, tr("Not downloading cache %1 due to policy").arg(key));
        return {};
    }
    QStringList keys{key};
    for (const QString &k : spec.fallbackKeys)
        keys.append(sanitise(k));
    for (const QString &k : std::as_const(keys)) {
        say(log, tr("Checking cache for %1...").arg(k));
        say(log, tr("No URL provided, cache will not be downloaded from shared cache server. "
                    "Instead a local version of cache will be extracted."));
        const QString dir = cacheRoot + QLatin1Char('/') + k;
        if (!QFileInfo(dir).isDir()) {
            say(log, tr("WARNING: file does not exist"));
            say(log, tr("Failed to extract cache"));
            continue;
        }
        QString error;
        if (!fileops::copyAll(dir, workspace, fileops::walk(dir, {}, true), &error)) {
            say(log, QStringLiteral("WARNING: ") + error);
            say(log, tr("Failed to extract cache"));
            continue;
        }
        say(log, tr("Successfully extracted cache"));
        return k;
    }
    return {};
}

bool saveCache(const CacheSpec &spec, const QString &key, const QString &cacheRoot,
               const QString &workspace, const QStringList &sourceFiles, QStringList *log)
{
    if (spec.policy == QLatin1String("pull")) {
        say(log, tr("Not uploading cache %1 due to policy").arg(key));
        return true;
    }
    say(log, tr("Creating cache %1...").arg(key));
    pathmatch::Selection sel = pathmatch::select(workspace, spec.paths, {}, spec.workingDirectory);
    for (const QString &m : std::as_const(sel.messages))
        say(log, m);
    for (const QString &w : std::as_const(sel.warnings))
        say(log, w);
    QStringList files = sel.files;
    if (spec.untracked) {
        const QStringList extra = pathmatch::untracked(workspace, sourceFiles);
        say(log, QCoreApplication::translate("stagecraft::exec", "untracked: found %n files",
                                             nullptr, int(extra.size())));
        files += extra;
        std::sort(files.begin(), files.end());
        files.erase(std::unique(files.begin(), files.end()), files.end());
    }
    say(log, tr("No URL provided, cache will not be uploaded to shared cache server. Cache will "
                "be stored only locally."));
    // Atomic replace: a complete copy beside the old one, then exchanged with it, so that a
    // concurrent restore sees the old or the new cache, never half of one.
    if (!QDir().mkpath(cacheRoot)) {
        say(log, tr("ERROR: %1: cannot create the cache folder").arg(cacheRoot));
        return false;
    }
    const QString unique = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString temp = cacheRoot + QStringLiteral("/.tmp-") + unique;
    QString error;
    if (!fileops::copyAll(workspace, temp, files, &error)) {
        fileops::removeTree(QFile::encodeName(temp));
        say(log, QStringLiteral("ERROR: ") + error);
        return false;
    }
    const QByteArray target = QFile::encodeName(cacheRoot + QLatin1Char('/') + key);
    const QByteArray tempBytes = QFile::encodeName(temp);
    if (::renameat2(AT_FDCWD, tempBytes.constData(), AT_FDCWD, target.constData(),
                    RENAME_EXCHANGE) == 0) {
        fileops::removeTree(tempBytes); // now the old cache
    } else if (::rename(tempBytes.constData(), target.constData()) != 0) {
        // No old cache (ENOENT for the exchange) is the normal first save; anything else is
        // reported.
        const int saved = errno;
        fileops::removeTree(tempBytes);
        say(log, QStringLiteral("ERROR: %1: %2")
                     .arg(QFile::decodeName(target), fileops::errnoText(saved)));
        return false;
    }
    say(log, tr("Created cache"));
    return true;
}

} // namespace stagecraft::exec
