#include "plancontroller.h"

#include "pipeline/gitcontext.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace stagecraft::gui {

namespace {
// Outside a repository the current branch is a hypothetical feature branch.
const QString featureBranch = QStringLiteral("feature");
const QString exampleTag = QStringLiteral("v1.0.0");
} // namespace

pipeline::LayoutOptions PlanController::cardGeometry()
{
    return pipeline::LayoutOptions::compact();
}

PlanController::PlanController(QObject *parent)
    : QObject(parent)
{
}

void PlanController::setConfig(std::shared_ptr<const ci::ResolvedConfig> config)
{
    m_config = std::move(config);
    start();
}

void PlanController::setRef(RefChoice choice)
{
    m_ref = choice;
    start();
}

pipeline::PipelineContext PlanController::contextFor(const QString &root, RefChoice choice)
{
    pipeline::GitContextOptions options;
    pipeline::PipelineContext manual;
    std::optional<pipeline::PipelineContext> fromRepo;
    switch (choice) {
    case RefChoice::CurrentBranch:
        fromRepo = pipeline::contextFromRepository(root, options);
        manual.ref = featureBranch;
        break;
    case RefChoice::DefaultBranch:
        if (auto c = pipeline::contextFromRepository(root, options)) {
            options.ref = c->defaultBranch;
            fromRepo = pipeline::contextFromRepository(root, options);
        }
        manual.ref = manual.defaultBranch;
        break;
    case RefChoice::Tag:
        options.ref = exampleTag;
        fromRepo = pipeline::contextFromRepository(root, options);
        if (fromRepo)
            fromRepo->tag = true;
        manual.ref = exampleTag;
        manual.tag = true;
        break;
    case RefChoice::MergeRequest:
        options.source = QStringLiteral("merge_request_event");
        fromRepo = pipeline::contextFromRepository(root, options);
        manual.source = options.source;
        manual.ref = featureBranch;
        break;
    }
    return fromRepo ? *fromRepo : manual;
}

PlanResult PlanController::compute(std::shared_ptr<const ci::ResolvedConfig> config,
                                   const QString &root, RefChoice choice)
{
    PlanResult r;
    const pipeline::PipelineContext context = contextFor(root, choice);
    pipeline::PlanOptions options;
    options.resolve.projectRoot = root;
    options.resolve.mainFile = config->mainFile;
    r.plan = pipeline::Planner::plan(*config, context, options);
    r.stages = pipeline::stageLayout(r.plan, cardGeometry());
    r.dependencies = pipeline::dependencyLayout(r.plan, cardGeometry());
    r.ref = context.ref;
    r.source = context.source;
    return r;
}

void PlanController::start()
{
    if (!m_config)
        return;
    const quint64 generation = ++m_generation;
    auto *watcher = new QFutureWatcher<PlanResult>(this);
    QPointer<PlanController> self(this);
    connect(watcher, &QFutureWatcher<PlanResult>::finished, this, [self, watcher, generation] {
        watcher->deleteLater();
        if (!self || generation != self->m_generation)
            return; // an edit or another ref came meanwhile
        self->m_result = std::make_shared<const PlanResult>(watcher->result());
        emit self->planReady();
    });
    watcher->setFuture(QtConcurrent::run(&PlanController::compute, m_config, m_root, m_ref));
}

} // namespace stagecraft::gui
