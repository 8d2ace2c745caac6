#pragma once

#include "ci/config.h"
#include "codeeditor.h"

#include <QWidget>

#include <memory>

namespace stagecraft::gui {

class LintController;

/// "Full configuration": the merged configuration of the newest lint (includes, `extends`,
/// anchors and `!reference` applied) as YAML, read-only, highlighted like the editor. It follows
/// every configReady, so it changes as the user types; the scroll position survives a refresh.
class ConfigView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigView)

public:
    explicit ConfigView(LintController *lint, QWidget *parent = nullptr);

    void setConfig(const std::shared_ptr<const ci::ResolvedConfig> &config);
    /// How many times the text was replaced (a result with the same YAML changes nothing).
    int refreshes() const { return m_refreshes; }
    CodeEditor *editor() const { return m_editor; }
    QString text() const { return m_editor->text(); }
    void applyTheme(const Theme &theme, const QFont &font) { m_editor->applyTheme(theme, font); }

private:
    CodeEditor *m_editor;
    int m_refreshes = 0;
};

} // namespace stagecraft::gui
