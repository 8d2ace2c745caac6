#pragma once

// Internal helpers of the workspace functions (not part of the module's interface): POSIX file
// copies that keep symlinks and modes, fast enough for thousands of files.

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>

namespace stagecraft::exec::fileops {

/// Creates `dir` and its parents; remembers created folders in `made` to skip syscalls.
bool makePath(const QByteArray &dir, QSet<QByteArray> *made = nullptr);

/// Copies one file system entry (regular file with its mode, or symlink as a link; a folder is
/// created empty) from `src` to `dst`, replacing what is at `dst`. Parents are created (and
/// remembered in `made`); with `made` null the caller has created them.
bool copyEntry(const QByteArray &src, const QByteArray &dst, QSet<QByteArray> *made,
               QString *error);

/// Copies `files` (relative paths) from `fromRoot` to `toRoot` with copyEntry(), on a few
/// threads.
bool copyAll(const QString &fromRoot, const QString &toRoot, const QStringList &files,
             QString *error);

/// Removes a file or a folder tree (never following symlinks).
bool removeTree(const QByteArray &path);

/// Every file and symlink under `root` (relative, '/'-separated, sorted), skipping folders
/// named in `skipDirs` at any depth; with `withDirs`, empty folders are listed too.
QStringList walk(const QString &root, const QStringList &skipDirs = {}, bool withDirs = false);

/// errno as text.
QString errnoText(int error);

} // namespace stagecraft::exec::fileops
