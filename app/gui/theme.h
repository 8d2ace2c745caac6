#pragma once

#include "highlighter.h"

#include <QColor>
#include <QPalette>
#include <QString>

namespace stagecraft::gui {

/// Editor colours: a light and a dark set; "system" picks one from the desktop palette.
struct Theme
{
    enum class Kind { System, Light, Dark };

    bool dark = false;
    QColor paper;
    QColor text;
    QColor caretLine;
    QColor margin;
    QColor marginText;
    QColor selection;
    QColor braceMatch;
    QColor styles[Highlighter::StyleCount];

    static Theme make(Kind kind, const QPalette &palette);
    /// The application palette for a choice: the desktop's for System, else a light or dark one
    /// (`desktop` is the palette the application started with).
    static QPalette applicationPalette(Kind kind, const QPalette &desktop);
    static Kind kindFromName(const QString &name);
    static QString nameOf(Kind kind);
};

} // namespace stagecraft::gui
