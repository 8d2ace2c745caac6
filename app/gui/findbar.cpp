#include "findbar.h"

#include "codeeditor.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>

namespace stagecraft::gui {

FindBar::FindBar(QWidget *parent)
    : QWidget(parent)
    , m_find(new QLineEdit(this))
    , m_replace(new QLineEdit(this))
    , m_case(new QCheckBox(tr("Match case"), this))
    , m_regex(new QCheckBox(tr("Regular expression"), this))
    , m_status(new QLabel(this))
    , m_replaceRow(new QWidget(this))
{
    setObjectName(QStringLiteral("findBar"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 2, 6, 2);
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    auto *next = new QToolButton(this);
    next->setText(tr("Next"));
    auto *previous = new QToolButton(this);
    previous->setText(tr("Previous"));
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close"));
    grid->addWidget(m_find, 0, 0);
    grid->addWidget(previous, 0, 1);
    grid->addWidget(next, 0, 2);
    grid->addWidget(m_case, 0, 3);
    grid->addWidget(m_regex, 0, 4);
    grid->addWidget(m_status, 0, 5);
    grid->addWidget(close, 0, 6);
    grid->setColumnStretch(0, 1);

    auto *row = new QHBoxLayout(m_replaceRow);
    row->setContentsMargins(0, 0, 0, 0);
    m_replace->setPlaceholderText(tr("Replace with"));
    auto *replace = new QToolButton(m_replaceRow);
    replace->setText(tr("Replace"));
    auto *all = new QToolButton(m_replaceRow);
    all->setText(tr("Replace All"));
    row->addWidget(m_replace, 1);
    row->addWidget(replace);
    row->addWidget(all);
    grid->addWidget(m_replaceRow, 1, 0, 1, 7);

    connect(m_find, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(replace, &QToolButton::clicked, this, &FindBar::replaceOne);
    connect(all, &QToolButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void FindBar::setEditor(CodeEditor *editor)
{
    m_editor = editor;
}

void FindBar::addActionsTo(QMenu *menu)
{
    menu->addAction(tr("&Find…"), QKeySequence::Find, this, [this] { showFind(false); });
    menu->addAction(tr("&Replace…"), QKeySequence(tr("Ctrl+H")), this, [this] { showFind(true); });
    menu->addAction(tr("Find &Next"), QKeySequence::FindNext, this, [this] { findNext(true); });
}

void FindBar::showFind(bool replace)
{
    m_replaceRow->setVisible(replace);
    show();
    if (m_editor && m_editor->hasSelectedText() && !m_editor->selectedText().contains(u'\n'))
        m_find->setText(m_editor->selectedText());
    m_find->setFocus();
    m_find->selectAll();
}

void FindBar::setSearchText(const QString &text)
{
    m_find->setText(text);
}

void FindBar::setReplaceText(const QString &text)
{
    m_replace->setText(text);
}

bool FindBar::findNext(bool forward)
{
    if (!m_editor || m_find->text().isEmpty())
        return false;
    int line = 0;
    int index = 0;
    if (!forward && m_editor->hasSelectedText()) {
        int l2 = 0;
        int i2 = 0;
        m_editor->getSelection(&line, &index, &l2, &i2);
    } else {
        m_editor->getCursorPosition(&line, &index);
    }
    const bool found = m_editor->findFirst(m_find->text(), m_regex->isChecked(),
                                           m_case->isChecked(), false, true, forward, line, index);
    m_status->setText(found ? QString() : tr("Not found"));
    return found;
}

bool FindBar::replaceOne()
{
    if (!m_editor)
        return false;
    if (!m_editor->hasSelectedText() && !findNext(true))
        return false;
    m_editor->replace(m_replace->text());
    return findNext(true) || true;
}

int FindBar::replaceAll()
{
    if (!m_editor || m_find->text().isEmpty())
        return 0;
    int n = 0;
    m_editor->beginUndoAction();
    bool found = m_editor->findFirst(m_find->text(), m_regex->isChecked(), m_case->isChecked(),
                                     false, false, true, 0, 0);
    while (found && n < 100000) {
        m_editor->replace(m_replace->text());
        ++n;
        found = m_editor->findNext();
    }
    m_editor->endUndoAction();
    m_status->setText(tr("%n replaced", nullptr, n));
    return n;
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        hide();
        if (m_editor)
            m_editor->setFocus();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace stagecraft::gui
