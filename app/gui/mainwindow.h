#pragma once

#include <QMainWindow>

class QsciScintilla;

namespace stagecraft::gui {

/// The main window: assembles the editor and the problems list for one project.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    bool openProject(const QString &folder);

private:
    QsciScintilla *m_editor = nullptr;
    QString m_projectRoot;
};

} // namespace stagecraft::gui
