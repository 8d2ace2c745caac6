#include "recentmenu.h"

#include "settings.h"

namespace stagecraft::gui {

RecentMenu::RecentMenu(const QString &title, QWidget *parent)
    : QMenu(title, parent)
{
    refresh();
}

void RecentMenu::refresh()
{
    clear();
    const QStringList recent = Settings::recentProjects();
    for (const QString &folder : recent)
        addAction(folder, this, [this, folder] { emit projectChosen(folder); });
    setEnabled(!recent.isEmpty());
}

} // namespace stagecraft::gui
