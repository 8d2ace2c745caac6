#include "settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace stagecraft::gui {

namespace {
SettingsDialog::ContextProvider &contextProvider()
{
    static SettingsDialog::ContextProvider provider;
    return provider;
}
} // namespace

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
          tr("Check Dockerfile RUN scripts with ShellCheck when it is installed"), this))
    , m_cache(new QLineEdit(this))
    , m_executor(new QComboBox(this))
    , m_privileged(new QCheckBox(tr("Run containers privileged (Docker-in-Docker)"), this))
    , m_keepFailed(
          new QCheckBox(tr("Keep the environment of a failed job for debugging"), this))
    , m_concurrency(new QSpinBox(this))
    , m_kubeContext(new QComboBox(this))
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
    m_kubeContext->setObjectName(QStringLiteral("kubeContext"));
    m_kubeContext->setEditable(true);
    m_kubeContext->lineEdit()->setPlaceholderText(tr("The kubeconfig's current context"));
    if (contextProvider())
        m_kubeContext->addItems(contextProvider()());
    m_kubeContext->setCurrentText(settings.kubeContext);
    form->addRow(tr("Kubernetes context:"), m_kubeContext);
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
    auto executorChanged = [this] {
        const QString id = m_executor->currentData().toString();
        m_kubeContext->setEnabled(id == u"kubernetes");
        m_privileged->setEnabled(id != u"shell");
    };
    connect(m_executor, &QComboBox::currentIndexChanged, this, executorChanged);
    executorChanged();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
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
    s.kubeContext = m_kubeContext->currentText().trimmed();
    return s;
}

} // namespace stagecraft::gui
