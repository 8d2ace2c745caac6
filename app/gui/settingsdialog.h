#pragma once

#include "settings.h"

#include <QDialog>

#include <functional>

class QCheckBox;
class QComboBox;
class QFontComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
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

    /// Why the settings cannot be saved, in the backend's words (empty: they can); OK is
    /// disabled while there is a reason.
    QString error() const;
    /// Refused while error() says why (Enter in a field must not get past the disabled OK).
    void accept() override;

private:
    void validate();

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
    QLineEdit *m_kubeServiceAccount;
    QComboBox *m_kubePullPolicy;
    QLineEdit *m_kubeCpuRequest;
    QLineEdit *m_kubeCpuLimit;
    QLineEdit *m_kubeMemoryRequest;
    QLineEdit *m_kubeMemoryLimit;
    QLineEdit *m_kubeNodeSelector;
    QLineEdit *m_kubeCacheClaim;
    QLabel *m_kubeError;
    QPushButton *m_ok = nullptr;
};

} // namespace stagecraft::gui
