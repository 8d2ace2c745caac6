#pragma once

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QMenu;

namespace stagecraft::gui {

class CodeEditor;

/// The small find/replace strip under the editors (Ctrl+F, Ctrl+H, Escape hides it).
class FindBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FindBar)

public:
    explicit FindBar(QWidget *parent = nullptr);

    void setEditor(CodeEditor *editor);
    /// Find, Replace and Find Next actions with their shortcuts.
    void addActionsTo(QMenu *menu);
    void showFind(bool replace);
    bool findNext(bool forward = true);
    bool replaceOne();
    int replaceAll();
    void setSearchText(const QString &text);
    void setReplaceText(const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QPointer<CodeEditor> m_editor;
    QLineEdit *m_find;
    QLineEdit *m_replace;
    QCheckBox *m_case;
    QCheckBox *m_regex;
    QLabel *m_status;
    QWidget *m_replaceRow;
};

} // namespace stagecraft::gui
