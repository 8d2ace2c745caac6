#include "mainwindow.h"

#include <QDir>
#include <QFile>

#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>

namespace stagecraft::gui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_editor(new QsciScintilla(this))
{
    auto *lexer = new QsciLexerYAML(m_editor);
    m_editor->setLexer(lexer);
    m_editor->setMarginType(0, QsciScintilla::NumberMargin);
    m_editor->setMarginWidth(0, QStringLiteral("00000"));
    setCentralWidget(m_editor);
    setWindowTitle(tr("Stagecraft"));
    resize(1100, 700);
}

bool MainWindow::openProject(const QString &folder)
{
    m_projectRoot = QDir(folder).absolutePath();
    QFile file(QDir(m_projectRoot).filePath(QStringLiteral(".gitlab-ci.yml")));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    m_editor->setText(QString::fromUtf8(file.readAll()));
    setWindowTitle(tr("%1 — Stagecraft").arg(QDir(m_projectRoot).dirName()));
    return true;
}

} // namespace stagecraft::gui
