#include "theme.h"

namespace stagecraft::gui {

namespace {
using H = Highlighter;
}

Theme Theme::make(Kind kind, const QPalette &palette)
{
    Theme t;
    t.dark = kind == Kind::Dark ||
             (kind == Kind::System && palette.color(QPalette::Window).lightness() < 128);
    if (t.dark) {
        t.paper = QColor(0x1e, 0x1f, 0x22);
        t.text = QColor(0xd4, 0xd4, 0xd4);
        t.caretLine = QColor(0x2a, 0x2c, 0x31);
        t.margin = QColor(0x25, 0x26, 0x2a);
        t.marginText = QColor(0x85, 0x88, 0x8e);
        t.selection = QColor(0x26, 0x4f, 0x78);
        t.braceMatch = QColor(0x3b, 0x51, 0x4d);
        t.styles[H::Default] = t.text;
        t.styles[H::Comment] = QColor(0x6a, 0x99, 0x55);
        t.styles[H::Key] = QColor(0x9c, 0xdc, 0xfe);
        t.styles[H::JobKey] = QColor(0xdc, 0xdc, 0xaa);
        t.styles[H::String] = QColor(0xce, 0x91, 0x78);
        t.styles[H::Number] = QColor(0xb5, 0xce, 0xa8);
        t.styles[H::Literal] = QColor(0x56, 0x9c, 0xd6);
        t.styles[H::Anchor] = QColor(0x4e, 0xc9, 0xb0);
        t.styles[H::Tag] = QColor(0xc5, 0x86, 0xc0);
        t.styles[H::Variable] = QColor(0xff, 0xc6, 0x6d);
        t.styles[H::Operator] = QColor(0xa0, 0xa0, 0xa0);
        t.styles[H::DocumentMarker] = QColor(0xc5, 0x86, 0xc0);
        t.styles[H::ShellCommand] = QColor(0xdc, 0xdc, 0xaa);
        t.styles[H::ShellKeyword] = QColor(0xc5, 0x86, 0xc0);
        t.styles[H::Instruction] = QColor(0x56, 0x9c, 0xd6);
        t.styles[H::Flag] = QColor(0x9c, 0xdc, 0xfe);
        t.styles[H::Heredoc] = QColor(0xd7, 0xba, 0x7d);
    } else {
        t.paper = QColor(0xff, 0xff, 0xff);
        t.text = QColor(0x1f, 0x23, 0x28);
        t.caretLine = QColor(0xf4, 0xf6, 0xf8);
        t.margin = QColor(0xf6, 0xf8, 0xfa);
        t.marginText = QColor(0x6e, 0x77, 0x81);
        t.selection = QColor(0xc8, 0xe1, 0xff);
        t.braceMatch = QColor(0xd4, 0xf0, 0xd4);
        t.styles[H::Default] = t.text;
        t.styles[H::Comment] = QColor(0x6a, 0x73, 0x7d);
        t.styles[H::Key] = QColor(0x00, 0x5c, 0xc5);
        t.styles[H::JobKey] = QColor(0x6f, 0x42, 0xc1);
        t.styles[H::String] = QColor(0x03, 0x2f, 0x62);
        t.styles[H::Number] = QColor(0x00, 0x5c, 0x5c);
        t.styles[H::Literal] = QColor(0xd7, 0x3a, 0x49);
        t.styles[H::Anchor] = QColor(0x22, 0x86, 0x3a);
        t.styles[H::Tag] = QColor(0xb0, 0x35, 0x8c);
        t.styles[H::Variable] = QColor(0xe3, 0x62, 0x09);
        t.styles[H::Operator] = QColor(0x6a, 0x73, 0x7d);
        t.styles[H::DocumentMarker] = QColor(0xb0, 0x35, 0x8c);
        t.styles[H::ShellCommand] = QColor(0x6f, 0x42, 0xc1);
        t.styles[H::ShellKeyword] = QColor(0xd7, 0x3a, 0x49);
        t.styles[H::Instruction] = QColor(0xd7, 0x3a, 0x49);
        t.styles[H::Flag] = QColor(0x00, 0x5c, 0xc5);
        t.styles[H::Heredoc] = QColor(0x73, 0x5c, 0x0f);
    }
    return t;
}

QPalette Theme::applicationPalette(Kind kind, const QPalette &desktop)
{
    const bool desktopDark = desktop.color(QPalette::Window).lightness() < 128;
    if (kind == Kind::System || (kind == Kind::Dark) == desktopDark)
        return desktop;
    QPalette p;
    if (kind == Kind::Dark) {
        const QColor window(0x2b, 0x2d, 0x31);
        const QColor base(0x1e, 0x1f, 0x22);
        const QColor text(0xdf, 0xe1, 0xe5);
        p.setColor(QPalette::Window, window);
        p.setColor(QPalette::WindowText, text);
        p.setColor(QPalette::Base, base);
        p.setColor(QPalette::AlternateBase, window);
        p.setColor(QPalette::Text, text);
        p.setColor(QPalette::Button, window);
        p.setColor(QPalette::ButtonText, text);
        p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x45));
        p.setColor(QPalette::ToolTipText, text);
        p.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x63));
        p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x8f, 0x94));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    }
    return p;
}

Theme::Kind Theme::kindFromName(const QString &name)
{
    if (name == u"light")
        return Kind::Light;
    if (name == u"dark")
        return Kind::Dark;
    return Kind::System;
}

QString Theme::nameOf(Kind kind)
{
    switch (kind) {
    case Kind::Light:
        return QStringLiteral("light");
    case Kind::Dark:
        return QStringLiteral("dark");
    case Kind::System:
        break;
    }
    return QStringLiteral("system");
}

} // namespace stagecraft::gui
