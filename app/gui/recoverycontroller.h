#pragma once

#include "recoverystore.h"

#include <QObject>
#include <QTimer>

namespace stagecraft::gui {

class EditorTabs;
class NoticeBar;

/// Crash safety: autosaves the unsaved buffers of the open project to a `RecoveryStore`
/// periodically (off the GUI thread), and when a project is opened with leftovers from a crash,
/// offers them back through the notice bar.
class RecoveryController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecoveryController)

public:
    RecoveryController(EditorTabs *tabs, NoticeBar *notice, QObject *parent = nullptr);

    void setStore(const RecoveryStore &store) { m_store = store; }
    const RecoveryStore &store() const { return m_store; }
    void setInterval(int seconds) { m_timer.setInterval(seconds * 1000); }

    /// A project was opened: offers what a crash left behind.
    void projectOpened(const QString &root);
    void autosaveNow();
    /// Nothing unsaved any more (a clean exit, everything saved).
    void clear();
    /// Restores the recovered buffers into tabs (what "Restore" does).
    void restore();

signals:
    void autosaved();

private:
    void answered(const QString &tag, bool accepted);

    EditorTabs *m_tabs;
    NoticeBar *m_notice;
    RecoveryStore m_store;
    QTimer m_timer;
    QString m_root;
};

} // namespace stagecraft::gui
