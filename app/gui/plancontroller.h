#pragma once

#include "ci/config.h"
#include "pipeline/layout.h"
#include "pipeline/planner.h"

#include <QObject>

#include <memory>

namespace stagecraft::gui {

/// The pipeline a ref selector entry simulates.
enum class RefChoice { CurrentBranch, DefaultBranch, Tag, MergeRequest };

/// A plan with both layouts, computed off the GUI thread.
struct PlanResult
{
    pipeline::Plan plan;
    pipeline::Layout stages;
    pipeline::Layout dependencies;
    QString ref;    ///< the ref that was simulated
    QString source; ///< its pipeline source
};

/// Plans the last resolved configuration for the chosen ref with QtConcurrent; a newer request
/// (an edit, another ref) makes older results stale, and they are dropped.
class PlanController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlanController)

public:
    explicit PlanController(QObject *parent = nullptr);

    void setProjectRoot(const QString &root) { m_root = root; }
    QString projectRoot() const { return m_root; }
    /// The configuration the newest plan was asked for (with the open buffers).
    std::shared_ptr<const ci::ResolvedConfig> config() const { return m_config; }
    void setConfig(std::shared_ptr<const ci::ResolvedConfig> config);
    void setRef(RefChoice choice);
    RefChoice ref() const { return m_ref; }
    const PlanResult *result() const { return m_result.get(); }

    /// The context a choice stands for (from the repository when there is one). Blocking: runs
    /// in the worker.
    static pipeline::PipelineContext contextFor(const QString &root, RefChoice choice);
    /// The card size and spacing the graph is laid out with.
    static pipeline::LayoutOptions cardGeometry();
    static PlanResult compute(std::shared_ptr<const ci::ResolvedConfig> config, const QString &root,
                              RefChoice choice);

signals:
    void planReady();

private:
    void start();

    QString m_root;
    std::shared_ptr<const ci::ResolvedConfig> m_config;
    RefChoice m_ref = RefChoice::CurrentBranch;
    std::shared_ptr<const PlanResult> m_result;
    quint64 m_generation = 0;
};

} // namespace stagecraft::gui
