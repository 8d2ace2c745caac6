#include "settingsdialog.h"

#include "exec/kube/kubebackend.h"
#include "exec/kube/kubeconfig.h"
#include "runcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace stagecraft::gui {

namespace {
SettingsDialog::ContextProvider &contextProvider()
{
    static SettingsDialog::ContextProvider provider = &SettingsDialog::kubeconfigContexts;
    return provider;
}
} // namespace

QList<SettingsDialog::KubeContext> SettingsDialog::kubeconfigContexts()
{
    QList<KubeContext> out;
    for (const exec::kube::ContextInfo &c : exec::kube::listContexts()) {
        // Other clusters are shown by name only: "Kubernetes" would say nothing.
        out.append({c.name, c.kind == exec::kube::ClusterKind::Other
                                ? QString()
                                : exec::kube::clusterKindName(c.kind)});
    }
    return out;
}

void SettingsDialog::setKubeContextProvider(ContextProvider provider)
{
    contextProvider() = std::move(provider);
}

SettingsDialog::SettingsDialog(const Settings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_font(new QFontComboBox(this))
    , m_fontSize(new QSpinBox(this))
    , m_theme(new QComboBox(this))
    , m_delay(new QSpinBox(this))
    , m_shellcheck(new QCheckBox(
          tr("Check job scripts and Dockerfile RUN scripts with ShellCheck when it is installed"),
          this))
    , m_cache(new QLineEdit(this))
    , m_executor(new QComboBox(this))
    , m_privileged(new QCheckBox(tr("Run containers privileged (Docker-in-Docker)"), this))
    , m_keepFailed(new QCheckBox(tr("Keep the environment of a failed job for debugging"), this))
    , m_concurrency(new QSpinBox(this))
    , m_registry(new QLineEdit(this))
    , m_docker(new QGroupBox(tr("Docker executor"), this))
    , m_dockerHost(new QLineEdit(m_docker))
    , m_dockerImage(new QLineEdit(m_docker))
    , m_pullPolicy(new QComboBox(m_docker))
    , m_kube(new QGroupBox(tr("Kubernetes executor"), this))
    , m_kubeContext(new QComboBox(m_kube))
    , m_kubeNamespace(new QLineEdit(m_kube))
    , m_kubeHelperImage(new QLineEdit(m_kube))
    , m_kubeMount(new QCheckBox(tr("Mount the project folder (hostPath)"), m_kube))
    , m_kubeServiceAccount(new QLineEdit(m_kube))
    , m_kubePullPolicy(new QComboBox(m_kube))
    , m_kubeCpuRequest(new QLineEdit(m_kube))
    , m_kubeCpuLimit(new QLineEdit(m_kube))
    , m_kubeMemoryRequest(new QLineEdit(m_kube))
    , m_kubeMemoryLimit(new QLineEdit(m_kube))
    , m_kubeNodeSelector(new QLineEdit(m_kube))
    , m_kubeCacheClaim(new QLineEdit(m_kube))
    , m_kubeError(new QLabel(m_kube))
{
    setWindowTitle(tr("Settings"));
    auto *form = new QFormLayout(this);
    m_font->setFontFilters(QFontComboBox::MonospacedFonts);
    m_font->setCurrentFont(settings.font);
    m_fontSize->setRange(6, 48);
    m_fontSize->setValue(settings.font.pointSize() > 0 ? settings.font.pointSize() : 10);
    auto *fontRow = new QHBoxLayout;
    fontRow->addWidget(m_font, 1);
    fontRow->addWidget(m_fontSize);
    form->addRow(tr("Editor font:"), fontRow);

    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Follow the desktop"), int(Theme::Kind::System));
    m_theme->addItem(tr("Light"), int(Theme::Kind::Light));
    m_theme->addItem(tr("Dark"), int(Theme::Kind::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(settings.theme)));
    form->addRow(tr("Theme:"), m_theme);

    m_delay->setRange(0, 5000);
    m_delay->setSingleStep(50);
    m_delay->setSuffix(tr(" ms"));
    m_delay->setValue(settings.validationDelayMs);
    form->addRow(tr("Validation delay:"), m_delay);

    m_shellcheck->setChecked(settings.shellcheck);
    form->addRow(tr("ShellCheck:"), m_shellcheck);

    m_cache->setText(settings.includeCacheDir);
    m_cache->setPlaceholderText(tr("Not set: remote includes are not resolved"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    auto *cacheRow = new QHBoxLayout;
    cacheRow->addWidget(m_cache, 1);
    cacheRow->addWidget(browse);
    form->addRow(tr("Include cache folder:"), cacheRow);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Include Cache Folder"), m_cache->text());
        if (!dir.isEmpty())
            m_cache->setText(dir);
    });

    // Running pipelines.
    m_executor->setObjectName(QStringLiteral("executor"));
    m_executor->addItem(tr("Shell (on this computer)"), QStringLiteral("shell"));
    m_executor->addItem(tr("Docker"), QStringLiteral("docker"));
    m_executor->addItem(tr("Kubernetes"), QStringLiteral("kubernetes"));
    m_executor->setCurrentIndex(std::max(0, m_executor->findData(settings.executor)));
    form->addRow(tr("Executor:"), m_executor);
    m_privileged->setObjectName(QStringLiteral("privileged"));
    m_privileged->setChecked(settings.privileged);
    form->addRow(QString(), m_privileged);
    m_keepFailed->setObjectName(QStringLiteral("keepFailed"));
    m_keepFailed->setChecked(settings.keepFailedEnvironment);
    form->addRow(QString(), m_keepFailed);
    m_concurrency->setObjectName(QStringLiteral("concurrency"));
    m_concurrency->setRange(0, 64);
    m_concurrency->setSpecialValueText(tr("Number of cores"));
    m_concurrency->setValue(settings.concurrency);
    form->addRow(tr("Jobs at the same time:"), m_concurrency);
    m_registry->setObjectName(QStringLiteral("registry"));
    m_registry->setText(settings.registry);
    m_registry->setPlaceholderText(tr("registry.gitlab.com"));
    m_registry->setToolTip(tr("CI_REGISTRY of the jobs (and CI_REGISTRY_IMAGE), e.g. a local "
                              "registry such as localhost:5000"));
    form->addRow(tr("Container registry:"), m_registry);

    // The Docker executor: an empty field leaves the backend's default, which the placeholder
    // names.
    auto *docker = new QFormLayout(m_docker);
    m_docker->setObjectName(QStringLiteral("dockerGroup"));
    m_dockerHost->setObjectName(QStringLiteral("dockerHost"));
    m_dockerHost->setText(settings.dockerHost);
    const QString dockerHostEnv = qEnvironmentVariable("DOCKER_HOST");
    m_dockerHost->setPlaceholderText(dockerHostEnv.isEmpty()
                                         ? tr("unix:///var/run/docker.sock (the default socket)")
                                         : tr("%1 (DOCKER_HOST)").arg(dockerHostEnv));
    docker->addRow(tr("Host:"), m_dockerHost);
    m_dockerImage->setObjectName(QStringLiteral("dockerImage"));
    m_dockerImage->setText(settings.dockerDefaultImage);
    m_dockerImage->setPlaceholderText(tr("busybox:latest"));
    m_dockerImage->setToolTip(tr("The image of jobs without image:"));
    docker->addRow(tr("Default image:"), m_dockerImage);
    m_pullPolicy->setObjectName(QStringLiteral("pullPolicy"));
    m_pullPolicy->addItem(tr("If not present (default)"), QString());
    m_pullPolicy->addItem(tr("Always"), QStringLiteral("always"));
    m_pullPolicy->addItem(tr("If not present"), QStringLiteral("if-not-present"));
    m_pullPolicy->addItem(tr("Never"), QStringLiteral("never"));
    m_pullPolicy->setCurrentIndex(std::max(0, m_pullPolicy->findData(settings.dockerPullPolicy)));
    m_pullPolicy->setToolTip(tr("For images whose job gives no pull_policy:"));
    docker->addRow(tr("Pull policy:"), m_pullPolicy);
    form->addRow(m_docker);

    // The Kubernetes executor.
    auto *kube = new QFormLayout(m_kube);
    m_kube->setObjectName(QStringLiteral("kubeGroup"));
    m_kubeContext->setObjectName(QStringLiteral("kubeContext"));
    m_kubeContext->setEditable(true);
    m_kubeContext->lineEdit()->setPlaceholderText(tr("The kubeconfig's current context"));
    if (contextProvider()) {
        for (const KubeContext &c : contextProvider()()) {
            m_kubeContext->addItem(
                c.kind.isEmpty() ? c.name : tr("%1 (%2)", "context (kind)").arg(c.name, c.kind),
                c.name);
        }
    }
    const int known = m_kubeContext->findData(settings.kubeContext);
    if (known >= 0)
        m_kubeContext->setCurrentIndex(known);
    else
        m_kubeContext->setCurrentText(settings.kubeContext);
    kube->addRow(tr("Context:"), m_kubeContext);
    m_kubeNamespace->setObjectName(QStringLiteral("kubeNamespace"));
    m_kubeNamespace->setText(settings.kubeNamespace);
    m_kubeNamespace->setPlaceholderText(tr("The context's namespace, else default"));
    kube->addRow(tr("Namespace:"), m_kubeNamespace);
    m_kubeServiceAccount->setObjectName(QStringLiteral("kubeServiceAccount"));
    m_kubeServiceAccount->setText(settings.kubeServiceAccount);
    m_kubeServiceAccount->setPlaceholderText(tr("The namespace's default"));
    m_kubeServiceAccount->setToolTip(
        tr("The service account of the job pods (serviceAccountName): what the jobs may do in "
           "the cluster"));
    kube->addRow(tr("Service account:"), m_kubeServiceAccount);
    m_kubeHelperImage->setObjectName(QStringLiteral("kubeHelperImage"));
    m_kubeHelperImage->setText(settings.kubeHelperImage);
    m_kubeHelperImage->setPlaceholderText(exec::kube::Settings().helperImage);
    m_kubeHelperImage->setToolTip(tr("Receives the project and hands it back: needs sh, tar, "
                                     "tail, head and nc (busybox or alpine)"));
    kube->addRow(tr("Helper image:"), m_kubeHelperImage);
    // Kubernetes' own names: they are what a pod's imagePullPolicy says.
    m_kubePullPolicy->setObjectName(QStringLiteral("kubePullPolicy"));
    m_kubePullPolicy->addItem(tr("Cluster default"), QString());
    for (const QString &policy :
         {QStringLiteral("Always"), QStringLiteral("IfNotPresent"), QStringLiteral("Never")})
        m_kubePullPolicy->addItem(policy, policy);
    m_kubePullPolicy->setCurrentIndex(
        std::max(0, m_kubePullPolicy->findData(settings.kubePullPolicy)));
    m_kubePullPolicy->setToolTip(tr("For images whose job gives no pull_policy:"));
    kube->addRow(tr("Pull policy:"), m_kubePullPolicy);
    // Requests and limits: one row each for CPU and memory, applied to every container.
    auto quantity = [this](QLineEdit *edit, const char *name, const QString &value,
                           const QString &placeholder) {
        edit->setObjectName(QLatin1String(name));
        edit->setText(value);
        edit->setPlaceholderText(placeholder);
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    };
    quantity(m_kubeCpuRequest, "kubeCpuRequest", settings.kubeCpuRequest, tr("Request, e.g. 500m"));
    quantity(m_kubeCpuLimit, "kubeCpuLimit", settings.kubeCpuLimit, tr("Limit, e.g. 2"));
    quantity(m_kubeMemoryRequest, "kubeMemoryRequest", settings.kubeMemoryRequest,
             tr("Request, e.g. 512Mi"));
    quantity(m_kubeMemoryLimit, "kubeMemoryLimit", settings.kubeMemoryLimit, tr("Limit, e.g. 1Gi"));
    const QString resources = tr("Applied to every container of the job pods; empty: none");
    auto *cpuRow = new QHBoxLayout;
    cpuRow->addWidget(m_kubeCpuRequest);
    cpuRow->addWidget(m_kubeCpuLimit);
    m_kubeCpuRequest->setToolTip(resources);
    m_kubeCpuLimit->setToolTip(resources);
    kube->addRow(tr("CPU:"), cpuRow);
    auto *memoryRow = new QHBoxLayout;
    memoryRow->addWidget(m_kubeMemoryRequest);
    memoryRow->addWidget(m_kubeMemoryLimit);
    m_kubeMemoryRequest->setToolTip(resources);
    m_kubeMemoryLimit->setToolTip(resources);
    kube->addRow(tr("Memory:"), memoryRow);
    m_kubeNodeSelector->setObjectName(QStringLiteral("kubeNodeSelector"));
    m_kubeNodeSelector->setText(settings.kubeNodeSelector);
    m_kubeNodeSelector->setPlaceholderText(tr("disktype=ssd, zone=a"));
    m_kubeNodeSelector->setToolTip(
        tr("The pods run only on nodes with these labels (key=value, separated by commas)"));
    connect(m_kubeNodeSelector, &QLineEdit::textChanged, this, &SettingsDialog::validate);
    kube->addRow(tr("Node selector:"), m_kubeNodeSelector);
    m_kubeCacheClaim->setObjectName(QStringLiteral("kubeCacheClaim"));
    m_kubeCacheClaim->setText(settings.kubeCacheClaim);
    m_kubeCacheClaim->setPlaceholderText(tr("None: /cache stays in the pod"));
    m_kubeCacheClaim->setToolTip(
        tr("A PersistentVolumeClaim mounted at /cache in every container, kept between jobs; "
           "it must exist in the namespace"));
    kube->addRow(tr("Cache claim:"), m_kubeCacheClaim);
    m_kubeMount->setObjectName(QStringLiteral("kubeMount"));
    m_kubeMount->setChecked(settings.kubeMountProject);
    m_kubeMount->setToolTip(tr("For a cluster on this computer (Minikube, MicroK8s): the pods "
                               "use the project folder instead of a copy"));
    kube->addRow(QString(), m_kubeMount);
    // The backend's own words for what it would refuse at run start.
    m_kubeError->setObjectName(QStringLiteral("kubeError"));
    m_kubeError->setWordWrap(true);
    m_kubeError->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_kubeError->setVisible(false);
    kube->addRow(m_kubeError);
    form->addRow(m_kube);

    auto executorChanged = [this] {
        const QString id = m_executor->currentData().toString();
        m_docker->setEnabled(id == u"docker");
        m_kube->setEnabled(id == u"kubernetes");
        m_privileged->setEnabled(id != u"shell");
    };
    connect(m_executor, &QComboBox::currentIndexChanged, this, executorChanged);
    executorChanged();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

QString SettingsDialog::error() const
{
    // Read as the backend will read them at run start, so that the words are the same.
    const Settings s = settings();
    return exec::kube::settingsError(exec::kube::settingsFrom(backendSettings(runRequestFrom(s))));
}

void SettingsDialog::accept()
{
    if (!error().isEmpty())
        return;
    QDialog::accept();
}

void SettingsDialog::validate()
{
    const QString wrong = error();
    m_kubeError->setText(wrong);
    m_kubeError->setVisible(!wrong.isEmpty());
    if (m_ok)
        m_ok->setEnabled(wrong.isEmpty());
}

Settings SettingsDialog::settings() const
{
    Settings s = m_settings;
    s.font = m_font->currentFont();
    s.font.setPointSize(m_fontSize->value());
    s.theme = Theme::Kind(m_theme->currentData().toInt());
    s.validationDelayMs = m_delay->value();
    s.shellcheck = m_shellcheck->isChecked();
    s.includeCacheDir = m_cache->text().trimmed();
    s.executor = m_executor->currentData().toString();
    s.privileged = m_privileged->isChecked();
    s.keepFailedEnvironment = m_keepFailed->isChecked();
    s.concurrency = m_concurrency->value();
    s.registry = m_registry->text().trimmed();
    // A listed context is shown with its kind: the name is the item's data.
    const int index = m_kubeContext->currentIndex();
    s.kubeContext = index >= 0 && m_kubeContext->itemText(index) == m_kubeContext->currentText()
                        ? m_kubeContext->itemData(index).toString()
                        : m_kubeContext->currentText().trimmed();
    s.dockerHost = m_dockerHost->text().trimmed();
    s.dockerDefaultImage = m_dockerImage->text().trimmed();
    s.dockerPullPolicy = m_pullPolicy->currentData().toString();
    s.kubeNamespace = m_kubeNamespace->text().trimmed();
    s.kubeHelperImage = m_kubeHelperImage->text().trimmed();
    s.kubeMountProject = m_kubeMount->isChecked();
    s.kubeServiceAccount = m_kubeServiceAccount->text().trimmed();
    s.kubePullPolicy = m_kubePullPolicy->currentData().toString();
    s.kubeCpuRequest = m_kubeCpuRequest->text().trimmed();
    s.kubeCpuLimit = m_kubeCpuLimit->text().trimmed();
    s.kubeMemoryRequest = m_kubeMemoryRequest->text().trimmed();
    s.kubeMemoryLimit = m_kubeMemoryLimit->text().trimmed();
    s.kubeNodeSelector = m_kubeNodeSelector->text().trimmed();
    s.kubeCacheClaim = m_kubeCacheClaim->text().trimmed();
    return s;
}

} // namespace stagecraft::gui
