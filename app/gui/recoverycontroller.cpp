#include "recoverycontroller.h"

#include "editortabs.h"
#include "noticebar.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace stagecraft::gui {

namespace {
const QString recoverTag = QStringLiteral("recover");
}

RecoveryController::RecoveryController(EditorTabs *tabs, NoticeBar *notice, QObject *parent)
    : QObject(parent)
    , m_tabs(tabs)
    , m_notice(notice)
{
    m_timer.setInterval(30000);
    connect(&m_timer, &QTimer::timeout, this, &RecoveryController::autosaveNow);
    m_timer.start();
    connect(m_notice, &NoticeBar::accepted, this,
            [this](const QString &tag) { answered(tag, true); });
    connect(m_notice, &NoticeBar::rejected, this,
            [this](const QString &tag) { answered(tag, false); });
}

void RecoveryController::projectOpened(const QString &root)
{
    m_root = root;
    if (!m_store.has(root))
        return;
    const int files = int(m_store.load(root).size());
    m_notice->ask(recoverTag,
                  tr("Stagecraft did not exit cleanly. Unsaved changes to %n file(s) of this "
                     "project were recovered.",
                     nullptr, files),
                  tr("Restore"), tr("Discard"));
}

void RecoveryController::autosaveNow()
{
    if (m_root.isEmpty())
        return;
    const QHash<QString, QByteArray> buffers = m_tabs->modifiedBuffers();
    if (buffers.isEmpty() && !m_store.has(m_root))
        return;
    auto *watcher = new QFutureWatcher<bool>(this);
    QPointer<RecoveryController> self(this);
    connect(watcher, &QFutureWatcher<bool>::finished, this, [self, watcher] {
        watcher->deleteLater();
        if (self)
            emit self->autosaved();
    });
    // The store is a value (a folder name): the worker shares nothing with the GUI thread.
    watcher->setFuture(QtConcurrent::run(
        [store = m_store, root = m_root, buffers] { return store.store(root, buffers); }));
}

void RecoveryController::clear()
{
    if (!m_root.isEmpty())
        m_store.clear(m_root);
}

void RecoveryController::restore()
{
    const QHash<QString, QByteArray> buffers = m_store.load(m_root);
    for (auto it = buffers.cbegin(); it != buffers.cend(); ++it)
        m_tabs->openBuffer(it.key(), it.value());
}

void RecoveryController::answered(const QString &tag, bool accepted)
{
    if (tag != recoverTag)
        return;
    if (accepted)
        restore();
    else
        clear();
}

} // namespace stagecraft::gui
