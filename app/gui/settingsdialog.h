#pragma once

#include "settings.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QFontComboBox;
class QGroupBox;
class QLineEdit;
class QSpinBox;

namespace stagecraft::gui {

/// Edits a `Settings` value: font, theme, validation delay, ShellCheck, include cache folder,
/// and how pipelines run (executor, privileged, keep failed environments, concurrency, and the
/// Docker and Kubernetes executors' own settings).
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const Settings &settings, QWidget *parent = nullptr);
    Settings settings() const;

    /// A kubeconfig context as the context choice shows it: "minikube (Minikube)".
    struct KubeContext
    {
        QString name;
        QString kind; ///< "Minikube", "MicroK8s"; empty for other clusters
    };
    /// Lists the kubeconfig's contexts for the kubernetes executor; kubeconfigContexts() by
    /// default. An empty provider leaves the context field free text only.
    using ContextProvider = std::function<QList<KubeContext>()>;
    static void setKubeContextProvider(ContextProvider provider);
    /// The contexts of the default kubeconfig (`$KUBECONFIG`, else `~/.kube/config`) with the
    /// kind of cluster the Kubernetes backend recognises; none when no kubeconfig can be read.
    static QList<KubeContext> kubeconfigContexts();

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
    QLineEdit *m_registry;
    QGroupBox *m_docker;
    QLineEdit *m_dockerHost;
    QLineEdit *m_dockerImage;
    QComboBox *m_pullPolicy;
    QGroupBox *m_kube;
    QComboBox *m_kubeContext;
    QLineEdit *m_kubeNamespace;
    QLineEdit *m_kubeHelperImage;
    QCheckBox *m_kubeMount;
};

} // namespace stagecraft::gui
