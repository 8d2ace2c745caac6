#include "configview.h"

#include "lintcontroller.h"
#include "yaml/emitter.h"

#include <QScrollBar>
#include <QVBoxLayout>

namespace stagecraft::gui {

ConfigView::ConfigView(LintController *lint, QWidget *parent)
    : QWidget(parent)
    , m_editor(new CodeEditor(this))
{
    setObjectName(QStringLiteral("fullConfiguration"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_editor);
    m_editor->setLanguage(HighlightLexer::Language::Yaml);
    m_editor->setReadOnly(true);
    m_editor->setToolTip(
        tr("The configuration GitLab runs: includes, extends, anchors and !reference "
           "merged. Read-only."));
    connect(lint, &LintController::configReady, this, &ConfigView::setConfig);
}

void ConfigView::setConfig(const std::shared_ptr<const ci::ResolvedConfig> &config)
{
    if (!config)
        return;
    const QString yaml = QString::fromUtf8(yaml::toYaml(config->root));
    if (yaml == text())
        return;
    // Keep the reader's place: a refresh while typing must not jump to the top.
    const int firstLine = m_editor->firstVisibleLine();
    const int horizontal = m_editor->horizontalScrollBar()->value();
    m_editor->setText(yaml);
    m_editor->setFirstVisibleLine(firstLine);
    m_editor->horizontalScrollBar()->setValue(horizontal);
    ++m_refreshes;
}

} // namespace stagecraft::gui
