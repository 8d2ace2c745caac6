#include "noticebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace stagecraft::gui {

NoticeBar::NoticeBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_accept(new QPushButton(this))
    , m_reject(new QPushButton(this))
{
    setObjectName(QStringLiteral("noticeBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette p = palette();
    p.setColor(QPalette::Window, p.color(QPalette::ToolTipBase));
    p.setColor(QPalette::WindowText, p.color(QPalette::ToolTipText));
    setPalette(p);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    m_label->setWordWrap(true);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_accept);
    layout->addWidget(m_reject);
    connect(m_accept, &QPushButton::clicked, this, &NoticeBar::accept);
    connect(m_reject, &QPushButton::clicked, this, &NoticeBar::reject);
    hide();
}

void NoticeBar::ask(const QString &tag, const QString &text, const QString &acceptText,
                    const QString &rejectText)
{
    m_tag = tag;
    m_label->setText(text);
    m_accept->setText(acceptText);
    m_reject->setText(rejectText);
    show();
}

QString NoticeBar::text() const
{
    return isVisible() || !isHidden() ? m_label->text() : QString();
}

void NoticeBar::accept()
{
    hide();
    const QString tag = m_tag;
    m_tag.clear();
    emit accepted(tag);
}

void NoticeBar::reject()
{
    hide();
    const QString tag = m_tag;
    m_tag.clear();
    emit rejected(tag);
}

} // namespace stagecraft::gui
