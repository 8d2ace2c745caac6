#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace stagecraft::gui {

/// What the status bar shows about the project's repository.
struct GitState
{
    bool repository = false;
    QString branch; ///< empty on a detached HEAD
    QString sha;    ///< short
    QString tag;    ///< a tag on HEAD, if any
    QString defaultBranch;
    bool dirty = false;

    /// "main @ 1a2b3c4d ●" style text; empty outside a repository.
    QString text() const;
};

/// Reads the repository state of a folder through libgit2, off the GUI thread (QtConcurrent,
/// generation ids: only the newest request's result is reported).
class GitStatus final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GitStatus)

public:
    explicit GitStatus(QObject *parent = nullptr);

    void refresh(const QString &folder);
    const GitState &state() const { return m_state; }

    /// The blocking read the worker does (for tests and the CLI-like callers off the GUI thread).
    static GitState read(const QString &folder);

signals:
    void stateChanged(const stagecraft::gui::GitState &state);

private:
    GitState m_state;
    quint64 m_generation = 0;
};

} // namespace stagecraft::gui
