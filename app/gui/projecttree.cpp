#include "projecttree.h"

#include <QAbstractFileIconProvider>
#include <QCoreApplication>
#include <QDir>
#include <QFileSystemModel>
#include <QHeaderView>
#include <QSortFilterProxyModel>

namespace stagecraft::gui {

namespace {

/// Hides `.git` (and only it: `.gitlab-ci.yml` and `.gitlab/` are what we edit).
class HideGit final : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const final
    {
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        return index.data().toString() != u".git";
    }
};

/// Icons by kind only. Qt's default provider asks the MIME database, which reads the first bytes
/// of every listed file on the GUI thread: a FIFO beside the project (in /tmp, say) blocks that
/// read, and with it the whole window, for ever.
class KindIconProvider final : public QAbstractFileIconProvider
{
public:
    QIcon icon(IconType type) const final { return QAbstractFileIconProvider::icon(type); }
    QIcon icon(const QFileInfo &info) const final
    {
        if (info.isDir())
            return icon(Folder);
        return icon(File);
    }
    // The default type() asks the MIME database as well (on the model's gatherer thread, which
    // the model's destructor then waits for): by kind only, too.
    QString type(const QFileInfo &info) const final
    {
        if (info.isDir())
            return QCoreApplication::translate("stagecraft::gui::ProjectTree", "Folder");
        if (info.isSymLink())
            return QCoreApplication::translate("stagecraft::gui::ProjectTree", "Link");
        return QCoreApplication::translate("stagecraft::gui::ProjectTree", "File");
    }
};

} // namespace

ProjectTree::ProjectTree(QWidget *parent)
    : QTreeView(parent)
    , m_model(new QFileSystemModel(this))
    , m_proxy(new HideGit(this))
{
    setObjectName(QStringLiteral("projectTree"));
    // Stateless and outliving every model (the model's gatherer thread uses it until the end).
    static KindIconProvider iconProvider;
    m_model->setIconProvider(&iconProvider);
    m_model->setFilter(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    m_model->setReadOnly(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    setModel(m_proxy);
    for (int c = 1; c < m_model->columnCount(); ++c)
        hideColumn(c);
    header()->hide();
    setSortingEnabled(true);
    sortByColumn(0, Qt::AscendingOrder);
    connect(this, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QModelIndex source = m_proxy->mapToSource(index);
        if (m_model->isDir(source))
            return;
        emit fileActivated(QDir(m_root).relativeFilePath(m_model->filePath(source)));
    });
}

void ProjectTree::setRoot(const QString &folder)
{
    m_root = folder;
    const QModelIndex root = m_model->setRootPath(folder);
    setRootIndex(m_proxy->mapFromSource(root));
}

QStringList ProjectTree::dockerfiles(const QString &root)
{
    // Two directory listings, never a walk of the whole tree (node_modules, build folders).
    const QStringList patterns = {QStringLiteral("Dockerfile*"), QStringLiteral("*.dockerfile"),
                                  QStringLiteral("Containerfile")};
    const QDir dir(root);
    QStringList out = dir.entryList(patterns, QDir::Files, QDir::Name);
    const QStringList folders = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &folder : folders) {
        for (const QString &f : QDir(dir.filePath(folder)).entryList(patterns, QDir::Files))
            out.append(folder + u'/' + f);
    }
    out.sort();
    return out.mid(0, 8);
}

QAbstractItemModel *ProjectTree::filesModel() const
{
    return m_proxy;
}

} // namespace stagecraft::gui
