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
    static Kind kindFromName(const QString &name);
    static QString nameOf(Kind kind);
};

} // namespace stagecraft::gui
