#pragma once

#include <QTreeView>

namespace stagecraft::gui {

class ProblemsModel;

/// The problems list as the dock shows it: message column stretched, the rest sized to fit.
class ProblemsView final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProblemsView)

public:
    explicit ProblemsView(ProblemsModel *model, QWidget *parent = nullptr);
};

} // namespace stagecraft::gui
