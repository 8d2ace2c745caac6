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
    return s;
}

} // namespace stagecraft::gui
