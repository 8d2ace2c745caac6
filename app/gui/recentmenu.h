#pragma once

#include <QMenu>

namespace stagecraft::gui {

/// File > Open Recent: the recent project folders from the settings.
class RecentMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecentMenu)

public:
    explicit RecentMenu(const QString &title, QWidget *parent = nullptr);
    /// Re-reads the list (after a project was opened).
    void refresh();

signals:
    void projectChosen(const QString &folder);
};

} // namespace stagecraft::gui
