#include "editortabs.h"

#include "codeeditor.h"
#include "theme.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QSaveFile>

#include <memory>

namespace stagecraft::gui {

EditorTabs::EditorTabs(QWidget *parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    setTabsClosable(true);
    setMovable(true);
    setObjectName(QStringLiteral("editorTabs"));
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &EditorTabs::diskChanged);
    connect(this, &QTabWidget::tabCloseRequested, this, &EditorTabs::closeTabAsking);
}

void EditorTabs::setProjectRoot(const QString &root)
{
    while (count() > 0) {
        QWidget *w = widget(0);
        removeTab(0);
        delete w;
    }
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    m_diskContent.clear();
    m_diagnostics.clear();
    m_root = root;
}

QString EditorTabs::absolutePath(const QString &path) const
{
    return QDir(m_root).absoluteFilePath(path);
}

HighlightLexer::Language EditorTabs::languageFor(const QString &path)
{
    const QString name = QFileInfo(path).fileName().toLower();
    if (name.endsWith(u".yml") || name.endsWith(u".yaml"))
        return HighlightLexer::Language::Yaml;
    if (name.startsWith(u"dockerfile") || name.startsWith(u"containerfile") ||
        name.endsWith(u".dockerfile"))
        return HighlightLexer::Language::Dockerfile;
    return HighlightLexer::Language::Plain;
}

CodeEditor *EditorTabs::open(const QString &path, bool allowMissing)
{
    if (CodeEditor *e = editor(path)) {
        setCurrentWidget(e);
        return e;
    }
    QFile file(absolutePath(path));
    QByteArray content;
    if (file.exists()) {
        if (!file.open(QIODevice::ReadOnly))
            return nullptr;
        content = file.readAll();
    } else if (!allowMissing) {
        return nullptr;
    }
    m_diskContent.insert(path, content);
    CodeEditor *e = addEditor(path, content);
    watch(path);
    return e;
}

CodeEditor *EditorTabs::openBuffer(const QString &path, const QByteArray &content)
{
    CodeEditor *e = editor(path);
    if (!e) {
        QFile file(absolutePath(path));
        if (file.open(QIODevice::ReadOnly))
            m_diskContent.insert(path, file.readAll());
        e = addEditor(path, m_diskContent.value(path));
        watch(path);
    }
    e->setText(QString::fromUtf8(content)); // an edit: marks the tab modified, relints
    setCurrentWidget(e);
    return e;
}

CodeEditor *EditorTabs::addEditor(const QString &path, const QByteArray &content)
{
    auto *e = new CodeEditor(this);
    e->setObjectName(path);
    e->setLanguage(languageFor(path));
    if (m_hasTheme)
        e->applyTheme(m_theme, m_font);
    {
        // Loading is not an edit.
        const QSignalBlocker blocker(e);
        e->setText(QString::fromUtf8(content));
        e->setModified(false);
    }
    e->setCompletionSymbols(m_jobs, m_stages);
    e->setDiagnostics(m_diagnostics, path);
    const int index = addTab(e, QFileInfo(path).fileName());
    setTabToolTip(index, path);
    setCurrentIndex(index);
    QPointer<CodeEditor> guard(e);
    connect(e, &QsciScintilla::textChanged, this, [this, guard] {
        if (guard)
            emit bufferEdited(pathOf(guard), guard->text().toUtf8());
    });
    connect(e, &QsciScintilla::modificationChanged, this, [this, guard] {
        if (!guard)
            return;
        updateTabTitle(guard);
        emit modificationChanged();
    });
    connect(e, &CodeEditor::definitionRequested, this, [this, guard](int line, int column) {
        if (guard)
            emit definitionRequested(pathOf(guard), line, column);
    });
    if (languageFor(path) == HighlightLexer::Language::Dockerfile)
        emit dockerfileOpened(path);
    return e;
}

void EditorTabs::closePath(const QString &path)
{
    CodeEditor *e = editor(path);
    if (!e)
        return;
    removeTab(indexOf(e));
    e->deleteLater();
    m_watcher.removePath(absolutePath(path));
    m_diskContent.remove(path);
    emit tabClosed(path);
}

CodeEditor *EditorTabs::editor(const QString &path) const
{
    for (int i = 0; i < count(); ++i) {
        auto *e = qobject_cast<CodeEditor *>(widget(i));
        if (e && e->objectName() == path)
            return e;
    }
    return nullptr;
}

CodeEditor *EditorTabs::currentEditor() const
{
    return qobject_cast<CodeEditor *>(currentWidget());
}

QString EditorTabs::currentPath() const
{
    return pathOf(currentEditor());
}

QString EditorTabs::pathOf(const CodeEditor *e) const
{
    return e ? e->objectName() : QString();
}

QStringList EditorTabs::paths() const
{
    QStringList out;
    for (int i = 0; i < count(); ++i)
        out.append(widget(i)->objectName());
    return out;
}

QStringList EditorTabs::modifiedPaths() const
{
    QStringList out;
    for (int i = 0; i < count(); ++i) {
        auto *e = qobject_cast<CodeEditor *>(widget(i));
        if (e && e->isModified())
            out.append(e->objectName());
    }
    return out;
}

QHash<QString, QByteArray> EditorTabs::modifiedBuffers() const
{
    QHash<QString, QByteArray> out;
    for (const QString &path : modifiedPaths())
        out.insert(path, editor(path)->text().toUtf8());
    return out;
}

bool EditorTabs::save(const QString &path, QString *error)
{
    CodeEditor *e = editor(path);
    if (!e)
        return false;
    const QByteArray content = e->text().toUtf8();
    const QString absolute = absolutePath(path);
    QDir().mkpath(QFileInfo(absolute).absolutePath());
    // QSaveFile writes a temporary file and renames it: the file on disk is either the old or
    // the new content, never a mix, even if we crash half-way.
    QSaveFile file(absolute);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() ||
        !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    m_diskContent.insert(path, content);
    e->setModified(false);
    watch(path); // a rename replaces the inode: watch the new file
    return true;
}

bool EditorTabs::saveAll(QString *error)
{
    for (const QString &path : modifiedPaths()) {
        QString why;
        if (!save(path, &why)) {
            if (error)
                *error = tr("Could not save %1: %2").arg(path, why);
            return false;
        }
    }
    return true;
}

bool EditorTabs::askToSaveAll()
{
    const QStringList modified = modifiedPaths();
    if (modified.isEmpty())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"),
        tr("These files have unsaved changes:\n%1\n\nSave them?").arg(modified.join(u'\n')),
        QMessageBox::SaveAll | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::SaveAll);
    if (answer == QMessageBox::SaveAll) {
        QString error;
        if (saveAll(&error))
            return true;
        QMessageBox::warning(this, tr("Save failed"), error);
        return false;
    }
    return answer == QMessageBox::Discard;
}

void EditorTabs::closeTabAsking(int index)
{
    auto *e = qobject_cast<CodeEditor *>(widget(index));
    if (!e)
        return;
    const QString path = pathOf(e);
    if (e->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(path),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        QString error;
        if (answer == QMessageBox::Cancel)
            return;
        if (answer == QMessageBox::Save && !save(path, &error)) {
            QMessageBox::warning(this, tr("Save failed"),
                                 tr("Could not save %1: %2").arg(path, error));
            return;
        }
    }
    closePath(path);
}

bool EditorTabs::reload(const QString &path)
{
    CodeEditor *e = editor(path);
    QFile file(absolutePath(path));
    if (!e || !file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray content = file.readAll();
    m_diskContent.insert(path, content);
    int line = 0;
    int index = 0;
    e->getCursorPosition(&line, &index);
    e->setText(QString::fromUtf8(content));
    e->setModified(false);
    e->setCursorPosition(qMin(line, e->lines() - 1), 0);
    return true;
}

void EditorTabs::setDiagnostics(const diag::Diagnostics &diagnostics)
{
    m_diagnostics = diagnostics;
    for (int i = 0; i < count(); ++i) {
        auto *e = qobject_cast<CodeEditor *>(widget(i));
        if (!e)
            continue;
        e->setDiagnostics(diagnostics, e->objectName());
        updateTabTitle(e);
    }
}

void EditorTabs::setCompletionSymbols(const QStringList &jobs, const QStringList &stages)
{
    m_jobs = jobs;
    m_stages = stages;
    for (int i = 0; i < count(); ++i) {
        if (auto *e = qobject_cast<CodeEditor *>(widget(i)))
            e->setCompletionSymbols(jobs, stages);
    }
}

void EditorTabs::applyTheme(const Theme &theme, const QFont &font)
{
    m_theme = theme;
    m_hasTheme = true;
    m_font = font;
    for (int i = 0; i < count(); ++i) {
        if (auto *e = qobject_cast<CodeEditor *>(widget(i)))
            e->applyTheme(theme, font);
    }
}

void EditorTabs::changeEvent(QEvent *event)
{
    QTabWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_hasTheme &&
        m_themeKind == Theme::Kind::System) {
        const Theme theme = Theme::make(Theme::Kind::System, palette());
        if (theme.dark != m_theme.dark)
            applyTheme(theme, m_font);
    }
}

void EditorTabs::updateTabTitle(CodeEditor *e)
{
    const int index = indexOf(e);
    if (index < 0)
        return;
    int errors = 0;
    for (const diag::Diagnostic &d : e->diagnostics())
        errors += d.isError() ? 1 : 0;
    QString title = QFileInfo(e->objectName()).fileName();
    if (e->isModified())
        title += u" ●"_qs;
    if (errors > 0)
        title += u" (%1)"_qs.arg(errors);
    setTabText(index, title);
}

void EditorTabs::watch(const QString &path)
{
    const QString absolute = absolutePath(path);
    if (QFileInfo::exists(absolute) && !m_watcher.files().contains(absolute))
        m_watcher.addPath(absolute);
}

void EditorTabs::diskChanged(const QString &absolute)
{
    const QString path = QDir(m_root).relativeFilePath(absolute);
    if (!editor(path))
        return;
    watch(path); // editors that save by rename drop the watch
    QFile file(absolute);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray content = file.readAll();
    // Our own save, or a touch without change.
    if (content == m_diskContent.value(path))
        return;
    emit fileChangedOnDisk(path);
}

} // namespace stagecraft::gui
