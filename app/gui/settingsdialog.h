#pragma once

#include "settings.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QFontComboBox;
class QLineEdit;
class QSpinBox;

namespace stagecraft::gui {

/// Edits a `Settings` value: font, theme, validation delay, ShellCheck, include cache folder,
/// and how pipelines run (executor, privileged, keep failed environments, concurrency).
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const Settings &settings, QWidget *parent = nullptr);
    Settings settings() const;

    /// Lists the kubeconfig's contexts for the kubernetes executor (set by the Kubernetes
    /// backend when it is built in; without it the context field is free text).
    using ContextProvider = std::function<QStringList()>;
    static void setKubeContextProvider(ContextProvider provider);

private:
    Settings m_settings;
    QFontComboBox *m_font;
    QSpinBox *m_fontSize;
    QComboBox *m_theme;
    QSpinBox *m_delay;
    QCheckBox *m_shellcheck;
    QLineEdit *m_cache;
    QComboBox *m_executor;
    QCheckBox *m_privileged;
    QCheckBox *m_keepFailed;
    QSpinBox *m_concurrency;
    QComboBox *m_kubeContext;
};

} // namespace stagecraft::gui
