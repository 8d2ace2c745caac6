#pragma once

#include "plancontroller.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QGraphicsPathItem;
class QGraphicsScene;
class QGraphicsView;
class QLabel;

namespace stagecraft::gui {

/// The pipeline graph: GitLab's stage view or job dependencies view of the planned pipeline,
/// drawn with QGraphicsView from the planner's pure layout geometry. Excluded jobs are dimmed
/// with their reason as tooltip; a click on a job asks to show its definition.
class GraphPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GraphPanel)

public:
    enum class View { Stages, Dependencies };

    explicit GraphPanel(PlanController *controller, QWidget *parent = nullptr);

    View view() const { return m_view; }
    void setView(View view);
    void setRef(RefChoice choice);
    /// Names of the jobs drawn as cards, and of those drawn dimmed (excluded).
    QStringList plannedJobs() const { return m_planned; }
    QStringList dimmedJobs() const { return m_dimmed; }
    QGraphicsScene *scene() const { return m_scene; }

    bool exportPng(const QString &file) const;
    bool exportSvg(const QString &file) const;
    /// Emits jobActivated as a click on the card would.
    bool activateJob(const QString &name);
    /// Highlights the `needs` links of a job (hover); empty: none.
    void highlightLinks(const QString &job);
    int highlightedLinks() const;

signals:
    void jobActivated(const QString &file, int line, int column);
    /// The scene now shows the newest plan (for benchmarks and tests: the end of an update).
    void redrawn();

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void redraw();
    void fitWidth();
    void exportDialog();
    void refChosen(int index);

    PlanController *m_controller;
    View m_view = View::Stages;
    QComboBox *m_viewBox;
    QComboBox *m_refBox;
    QLabel *m_status;
    QGraphicsView *m_graphView;
    QGraphicsScene *m_scene;
    QStringList m_planned;
    QStringList m_dimmed;
    struct Where
    {
        QString file;
        int line = 0;
        int column = 0;
    };
    QHash<QString, Where> m_definitions; ///< job name -> its key
    struct Edge
    {
        QGraphicsPathItem *item;
        QString from; ///< first job of the needed card
        QString to;
    };
    QList<Edge> m_edges;
    QString m_hovered;
};

} // namespace stagecraft::gui
