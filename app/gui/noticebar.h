#pragma once

#include <QFrame>

class QLabel;
class QHBoxLayout;
class QPushButton;

namespace stagecraft::gui {

/// A non-modal message strip above the editors ("file changed on disk: Reload / Ignore"), so
/// that questions never block the GUI thread or a test.
class NoticeBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBar)

public:
    explicit NoticeBar(QWidget *parent = nullptr);

    /// Shows `text` with two buttons; `accepted` or `rejected` is emitted with `tag`.
    void ask(const QString &tag, const QString &text, const QString &acceptText,
             const QString &rejectText);
    QString tag() const { return m_tag; }
    QString text() const;
    void accept();
    void reject();

signals:
    void accepted(const QString &tag);
    void rejected(const QString &tag);

private:
    QLabel *m_label;
    QPushButton *m_accept;
    QPushButton *m_reject;
    QString m_tag;
};

} // namespace stagecraft::gui
