#pragma once

#include "settings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFontComboBox;
class QLineEdit;
class QSpinBox;

namespace stagecraft::gui {

/// Edits a `Settings` value: font, theme, validation delay, ShellCheck, include cache folder.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const Settings &settings, QWidget *parent = nullptr);
    Settings settings() const;

private:
    Settings m_settings;
    QFontComboBox *m_font;
    QSpinBox *m_fontSize;
    QComboBox *m_theme;
    QSpinBox *m_delay;
    QCheckBox *m_shellcheck;
    QLineEdit *m_cache;
};

} // namespace stagecraft::gui
