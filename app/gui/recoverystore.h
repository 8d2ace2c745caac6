#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace stagecraft::gui {

/// Autosave copies of unsaved buffers, per project, under a recovery folder (by default
/// AppDataLocation/recovery). A clean exit or a save of everything clears them; what is left at
/// the next start came from a crash and is offered back.
class RecoveryStore
{
public:
    explicit RecoveryStore(QString folder = {});

    QString folder() const { return m_folder; }
    /// Replaces the recovery copy of a project's buffers (path relative to the project -> text).
    /// Nothing to keep removes it. Safe to call off the GUI thread (no shared state).
    bool store(const QString &projectRoot, const QHash<QString, QByteArray> &buffers) const;
    QHash<QString, QByteArray> load(const QString &projectRoot) const;
    bool has(const QString &projectRoot) const;
    void clear(const QString &projectRoot) const;
    /// Project folders with recovery copies (left by a crash), newest first.
    QStringList projects() const;

private:
    QString projectFolder(const QString &projectRoot) const;
    QString m_folder;
};

} // namespace stagecraft::gui
