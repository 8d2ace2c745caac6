#pragma once

#include "diag/diagnostic.h"
#include "highlightlexer.h"
#include "theme.h"

#include <QFileSystemWatcher>
#include <QHash>
#include <QTabWidget>

namespace stagecraft::gui {

class CodeEditor;

/// The open files of a project, one CodeEditor tab each (paths relative to the project root).
/// Reads and writes the files (atomically, through QSaveFile), watches them on disk, hands every
/// editor its own diagnostics and reports edits as (path, bytes) for the lint snapshot.
class EditorTabs final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditorTabs)

public:
    explicit EditorTabs(QWidget *parent = nullptr);

    /// Closes every tab and sets the folder later paths are relative to.
    void setProjectRoot(const QString &root);
    QString projectRoot() const { return m_root; }
    QString absolutePath(const QString &path) const;

    /// Opens a file (or activates its tab). A missing file opens as an empty buffer when
    /// `allowMissing`; otherwise nullptr.
    CodeEditor *open(const QString &path, bool allowMissing = false);
    /// Opens a tab with given text as an unsaved modification (recovery).
    CodeEditor *openBuffer(const QString &path, const QByteArray &content);
    void closePath(const QString &path);

    CodeEditor *editor(const QString &path) const;
    CodeEditor *currentEditor() const;
    QString currentPath() const;
    QString pathOf(const CodeEditor *editor) const;
    QStringList paths() const;
    QStringList modifiedPaths() const;
    /// Every open buffer with unsaved changes: path -> UTF-8 text.
    QHash<QString, QByteArray> modifiedBuffers() const;

    bool save(const QString &path, QString *error = nullptr);
    /// Saves every modified buffer; stops at the first failure (described in `error`).
    bool saveAll(QString *error = nullptr);
    /// Before the buffers go away: asks whether to save the modified ones. False: cancelled.
    bool askToSaveAll();
    /// Closes a tab, asking first when it has unsaved changes.
    void closeTabAsking(int index);
    /// Replaces the buffer with the file on disk.
    bool reload(const QString &path);

    void setDiagnostics(const diag::Diagnostics &diagnostics);
    void setCompletionSymbols(const QStringList &jobs, const QStringList &stages);
    void applyTheme(const Theme &theme, const QFont &font);
    /// With Theme::Kind::System the editors follow later changes of the desktop palette.
    void setThemeKind(Theme::Kind kind) { m_themeKind = kind; }

    static HighlightLexer::Language languageFor(const QString &path);

signals:
    /// The user changed a buffer.
    void bufferEdited(const QString &path, const QByteArray &content);
    void modificationChanged();
    /// An open file was changed by another program (not by our own save).
    void fileChangedOnDisk(const QString &path);
    void definitionRequested(const QString &path, int line, int column);
    void tabClosed(const QString &path);
    /// A Dockerfile got a tab (it is checked from then on).
    void dockerfileOpened(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    CodeEditor *addEditor(const QString &path, const QByteArray &content);
    void updateTabTitle(CodeEditor *editor);
    void diskChanged(const QString &absolute);
    void watch(const QString &path);

    QString m_root;
    QFileSystemWatcher m_watcher;
    QHash<QString, QByteArray> m_diskContent; ///< what we last read or wrote, per path
    diag::Diagnostics m_diagnostics;
    QStringList m_jobs;
    QStringList m_stages;
    Theme m_theme;
    bool m_hasTheme = false;
    Theme::Kind m_themeKind = Theme::Kind::System;
    QFont m_font;
};

} // namespace stagecraft::gui
