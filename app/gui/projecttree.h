#pragma once

#include <QTreeView>

class QFileSystemModel;
class QSortFilterProxyModel;

namespace stagecraft::gui {

/// The project's files (QFileSystemModel), dotfiles shown except `.git`; activating a file asks
/// to open it.
class ProjectTree final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectTree)

public:
    explicit ProjectTree(QWidget *parent = nullptr);

    void setRoot(const QString &folder);
    QAbstractItemModel *filesModel() const;
    QFileSystemModel *fileSystemModel() const { return m_model; }
    /// Dockerfiles of a project: at the top and one folder down (where projects keep them).
    static QStringList dockerfiles(const QString &root);

signals:
    /// A file was activated: its path relative to the root.
    void fileActivated(const QString &relativePath);

private:
    QFileSystemModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QString m_root;
};

} // namespace stagecraft::gui
