#pragma once

#include "exec/state.h"
#include "pipeline/plandiff.h"
#include "plancontroller.h"

#include <QHash>
#include <QPen>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

class QCheckBox;
class QGraphicsItem;
class QGraphicsSimpleTextItem;
class QMenu;
class QComboBox;
class QGraphicsRectItem;
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
    /// How a card differs from the compared revision (diff mode).
    enum class DiffState { Unchanged, Added, Removed, Changed };

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

    /// Diff mode: colours the cards by how the working tree's plan (open buffers included)
    /// differs from the plan at `revision` (any revision libgit2 understands; empty: keep).
    void setCompare(bool on, const QString &revision = {});
    bool isComparing() const;
    QString compareRevision() const;
    /// False outside a git repository (the toggle is disabled then).
    bool canCompare() const;
    DiffState diffState(const QString &job) const;
    QString cardToolTip(const QString &job) const;
    QString legendText() const;

    /// Live run states on the cards (GitLab's colours and icons); kept across redraws.
    void setJobStatus(const QString &job, exec::JobStatus status, bool allowedToFail = false);
    void clearJobStatuses();
    std::optional<exec::JobStatus> jobStatus(const QString &job) const;
    /// The status a card shows (its jobs' most telling one, for parallel groups).
    std::optional<exec::JobStatus> cardStatus(const QString &job) const;

    /// Fills a card's context menu (run actions: the window provides them).
    using CardMenuProvider = std::function<void(QMenu *menu, const QString &job)>;
    void setCardMenuProvider(CardMenuProvider provider) { m_menuProvider = std::move(provider); }
    /// The context menu of a job's card, owned by the caller; null without a provider.
    QMenu *createCardMenu(const QString &job);

    /// What a diff run computes (off the GUI thread).
    struct DiffResult
    {
        QString revision;
        QString error; ///< the revision could not be planned
        pipeline::PlanDiff diff;
        QHash<QString, QString> removedStages; ///< removed job -> its stage at the revision
        QString basisKey; ///< what the revision's plan depends on (commits, ref, files)
        std::shared_ptr<const pipeline::Plan> basis; ///< the plan at the revision
    };
    /// `previous`: the last result, whose plan of the revision is reused when the revision's
    /// commit, HEAD and the simulated ref are the same (typing does not re-read git).
    static DiffResult computeDiff(const pipeline::Plan &after,
                                  std::shared_ptr<const ci::ResolvedConfig> config,
                                  const QString &root, RefChoice choice, const QString &revision,
                                  std::shared_ptr<const DiffResult> previous);

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
    void planArrived();
    void compareChanged();
    void startDiff();
    void updateCompareAvailability();
    void updateLegend();
    void applyRunStates();

    PlanController *m_controller;
    View m_view = View::Stages;
    QComboBox *m_viewBox;
    QComboBox *m_refBox;
    QLabel *m_status;
    QCheckBox *m_compare;
    QComboBox *m_revisionBox;
    QLabel *m_legend;
    std::shared_ptr<const DiffResult> m_diff;     ///< for the plan on screen; null: not computed
    std::shared_ptr<const DiffResult> m_lastDiff; ///< newest result, for its revision plan
    quint64 m_diffGeneration = 0;                 ///< newer requests make older diff runs stale
    bool m_diffRunning = false;
    QString m_checkedRoot; ///< the project root whose repository was looked for
    bool m_inRepository = false;
    QHash<QString, DiffState> m_diffStates;
    QHash<QString, QGraphicsRectItem *> m_cards;
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
    struct RunState
    {
        exec::JobStatus status;
        bool allowedToFail = false;
    };
    QHash<QString, RunState> m_runStates;
    /// A card of the plan: its jobs, its label and what shows its run state.
    struct Card
    {
        QGraphicsRectItem *rect = nullptr;
        QGraphicsSimpleTextItem *text = nullptr;
        QGraphicsItem *badge = nullptr;
        QString label;      ///< with the flags (manual, allowed to fail, ...)
        QString plainLabel; ///< the name(s) only, beside a status icon
        QStringList jobs;
        QPen pen; ///< the card's own border (manual, diff)
    };
    QList<Card> m_planCards;
    CardMenuProvider m_menuProvider;
};

} // namespace stagecraft::gui
