#include "problemsview.h"

#include "problemsmodel.h"

#include <QHeaderView>

namespace stagecraft::gui {

ProblemsView::ProblemsView(ProblemsModel *model, QWidget *parent)
    : QTreeView(parent)
{
    setObjectName(QStringLiteral("problemsView"));
    setModel(model);
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    QHeaderView *h = header();
    h->setStretchLastSection(false);
    h->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(ProblemsModel::SeverityColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(ProblemsModel::PositionColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(ProblemsModel::CodeColumn, QHeaderView::ResizeToContents);
    setColumnWidth(ProblemsModel::FileColumn, 200);
}

} // namespace stagecraft::gui
