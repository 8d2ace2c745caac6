#include "gitstatus.h"

#include "git/repository.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace stagecraft::gui {

QString GitState::text() const
{
    if (!repository)
        return {};
    QString ref = branch;
    if (ref.isEmpty())
        ref = tag.isEmpty() ? QCoreApplication::translate("stagecraft::gui::GitStatus", "detached")
                            : tag;
    QString out = ref;
    if (!sha.isEmpty())
        out += u" @ "_qs + sha;
    if (dirty)
        out += u" ●"_qs;
    return out;
}

GitStatus::GitStatus(QObject *parent)
    : QObject(parent)
{
}

GitState GitStatus::read(const QString &folder)
{
    GitState s;
    const auto repo = git::Repository::discover(folder);
    if (!repo)
        return s;
    s.repository = true;
    s.branch = repo->currentBranch();
    const QString head = repo->headSha();
    s.sha = head.left(8);
    if (!head.isEmpty())
        s.tag = repo->tagPointingAt(head);
    s.defaultBranch = repo->defaultBranch();
    s.dirty = !repo->uncommittedChanges().isEmpty();
    return s;
}

void GitStatus::refresh(const QString &folder)
{
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<GitState>(this);
    QPointer<GitStatus> self(this);
    connect(watcher, &QFutureWatcher<GitState>::finished, this, [self, watcher, generation] {
        watcher->deleteLater();
        if (!self || generation != self->m_generation)
            return;
        self->m_state = watcher->result();
        emit self->stateChanged(self->m_state);
    });
    watcher->setFuture(QtConcurrent::run(&GitStatus::read, folder));
}

} // namespace stagecraft::gui
