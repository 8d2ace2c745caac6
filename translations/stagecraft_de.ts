<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <source>IDE for GitLab CI pipelines</source>
        <translation>IDE für GitLab-CI-Pipelines</translation>
    </message>
    <message>
        <source>Project folder to open</source>
        <translation>Zu öffnender Projektordner</translation>
    </message>
    <message>
        <source>Save a screenshot and quit</source>
        <translation>Bildschirmfoto speichern und beenden</translation>
    </message>
    <message>
        <source>Colour theme for this run: system, light or dark</source>
        <translation>Farbschema für diesen Start: system, light oder dark</translation>
    </message>
    <message>
        <source>Pipeline to show in the graph</source>
        <translation>Im Graphen gezeigte Pipeline</translation>
    </message>
    <message>
        <source>Graph view: stages or needs</source>
        <translation>Graph-Ansicht: stages oder needs</translation>
    </message>
    <message>
        <source>Project file to show first</source>
        <translation>Zuerst gezeigte Projektdatei</translation>
    </message>
    <message>
        <source>Revision to compare the graph with</source>
        <translation>Revision, mit der der Graph verglichen wird</translation>
    </message>
    <message>
        <source>Print the time to the first paint and quit</source>
        <translation>Zeit bis zum ersten Zeichnen ausgeben und beenden</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::ConfigView</name>
    <message>
        <source>The configuration GitLab runs: includes, extends, anchors and !reference merged. Read-only.</source>
        <translation>Die Konfiguration, die GitLab ausführt: includes, extends, Anker und !reference zusammengeführt. Schreibgeschützt.</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::EditorTabs</name>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>These files have unsaved changes:
%1

Save them?</source>
        <translation>Diese Dateien haben ungespeicherte Änderungen:
%1

Speichern?</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>Speichern fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 hat ungespeicherte Änderungen. Speichern?</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::FindBar</name>
    <message>
        <source>Match case</source>
        <translation>Groß-/Kleinschreibung</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>Regulärer Ausdruck</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>Ersetzen durch</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Ersetzen</translation>
    </message>
    <message>
        <source>Replace All</source>
        <translation>Alle ersetzen</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message numerus="yes">
        <source>%n replaced</source>
        <translation>
            <numerusform>%n ersetzt</numerusform>
            <numerusform>%n ersetzt</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Ersetzen…</translation>
    </message>
    <message>
        <source>Ctrl+H</source>
        <translation>Ctrl+H</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>&amp;Weitersuchen</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::GitStatus</name>
    <message>
        <source>detached</source>
        <translation>losgelöst</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::GraphPanel</name>
    <message>
        <source>Group jobs by: Stage</source>
        <translation>Jobs gruppieren nach: Stage</translation>
    </message>
    <message>
        <source>Group jobs by: Job dependencies</source>
        <translation>Jobs gruppieren nach: Abhängigkeiten</translation>
    </message>
    <message>
        <source>Push to the current branch</source>
        <translation>Push auf den aktuellen Branch</translation>
    </message>
    <message>
        <source>Push to the default branch</source>
        <translation>Push auf den Standard-Branch</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Merge request</source>
        <translation>Merge-Request</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Export as PNG…</source>
        <translation>Als PNG exportieren…</translation>
    </message>
    <message>
        <source>Export Graph</source>
        <translation>Graph exportieren</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Export as SVG…</source>
        <translation>Als SVG exportieren…</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG-Bilder (*.svg)</translation>
    </message>
    <message>
        <source>No pipeline for %1 (%2): %3</source>
        <translation>Keine Pipeline für %1 (%2): %3</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) for %1 (%2)</source>
        <translation>
            <numerusform>%n Job für %1 (%2)</numerusform>
            <numerusform>%n Jobs für %1 (%2)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not in this pipeline: %1</source>
        <translation>Nicht in dieser Pipeline: %1</translation>
    </message>
    <message>
        <source>Not created</source>
        <translation>Nicht erstellt</translation>
    </message>
    <message>
        <source>Pipeline graph</source>
        <translation>Pipeline-Graph</translation>
    </message>
    <message>
        <source>Compare with</source>
        <translation>Vergleichen mit</translation>
    </message>
    <message>
        <source>A revision: HEAD, HEAD~1, a branch, a tag or a commit</source>
        <translation>Eine Revision: HEAD, HEAD~1, ein Branch, ein Tag oder ein Commit</translation>
    </message>
    <message>
        <source>Show how the planned pipeline differs from the one at a revision</source>
        <translation>Zeigt, wie sich die geplante Pipeline von der einer Revision unterscheidet</translation>
    </message>
    <message>
        <source>The project is not in a git repository: there is no revision to compare with</source>
        <translation>Das Projekt liegt in keinem Git-Repository: Es gibt keine Revision zum Vergleichen</translation>
    </message>
    <message>
        <source>the revision cannot be read</source>
        <translation>die Revision kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Comparing with %1…</source>
        <translation>Vergleich mit %1…</translation>
    </message>
    <message>
        <source>Cannot compare with %1: %2</source>
        <translation>Vergleich mit %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1 added, %2 removed, %3 changed against %4</source>
        <translation>%1 hinzugefügt, %2 entfernt, %3 geändert gegenüber %4</translation>
    </message>
    <message>
        <source>Added since %1</source>
        <translation>Hinzugefügt seit %1</translation>
    </message>
    <message>
        <source>Changed since %1: %2</source>
        <translation>Geändert seit %1: %2</translation>
    </message>
    <message>
        <source>Stage: %1 → %2</source>
        <translation>Stage: %1 → %2</translation>
    </message>
    <message>
        <source>Needs added: %1</source>
        <translation>Neue needs: %1</translation>
    </message>
    <message>
        <source>Needs removed: %1</source>
        <translation>Entfernte needs: %1</translation>
    </message>
    <message>
        <source>When: %1 → %2</source>
        <translation>when: %1 → %2</translation>
    </message>
    <message>
        <source>Removed</source>
        <translation>Entfernt</translation>
    </message>
    <message>
        <source>%1 — removed since %2</source>
        <translation>%1 — entfernt seit %2</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::HelpCatalog</name>
    <message>
        <source>Known when the pipeline is created (usable in rules).</source>
        <translation>Beim Erstellen der Pipeline bekannt (in rules verwendbar).</translation>
    </message>
    <message>
        <source>Only set while the job runs (not in rules).</source>
        <translation>Nur gesetzt, während der Job läuft (nicht in rules).</translation>
    </message>
    <message>
        <source>Only in merge request pipelines.</source>
        <translation>Nur in Merge-Request-Pipelines.</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::MainWindow</name>
    <message>
        <source>No project open.</source>
        <translation>Kein Projekt geöffnet.</translation>
    </message>
    <message>
        <source>%1 was changed by another program.</source>
        <translation>%1 wurde von einem anderen Programm geändert.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Keep my version</source>
        <translation>Meine Fassung behalten</translation>
    </message>
    <message>
        <source>Branch, commit and uncommitted changes</source>
        <translation>Branch, Commit und nicht committete Änderungen</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Folder…</source>
        <translation>Ordner ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save A&amp;ll</source>
        <translation>&amp;Alle speichern</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Close Tab</source>
        <translation>Tab s&amp;chließen</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Complete</source>
        <translation>&amp;Vervollständigen</translation>
    </message>
    <message>
        <source>Ctrl+Space</source>
        <translation>Ctrl+Space</translation>
    </message>
    <message>
        <source>Go to &amp;Definition</source>
        <translation>Zur &amp;Definition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Validating GitLab CI configuration…</source>
        <translation>GitLab-CI-Konfiguration wird geprüft…</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>No definition found here.</source>
        <translation>Hier wurde keine Definition gefunden.</translation>
    </message>
    <message>
        <source>This GitLab CI configuration is invalid: %1</source>
        <translation>Diese GitLab-CI-Konfiguration ist ungültig: %1</translation>
    </message>
    <message>
        <source>Pipeline syntax is correct.</source>
        <translation>Die Pipeline-Syntax ist korrekt.</translation>
    </message>
    <message>
        <source>Open Project Folder</source>
        <translation>Projektordner öffnen</translation>
    </message>
    <message>
        <source>Open failed</source>
        <translation>Öffnen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not open the project folder %1.</source>
        <translation>Der Projektordner %1 konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>Probleme (%1)</translation>
    </message>
    <message>
        <source>Stagecraft</source>
        <translation>Stagecraft</translation>
    </message>
    <message>
        <source>%1 — %2 [*] — Stagecraft</source>
        <translation>%1 — %2 [*] — Stagecraft</translation>
    </message>
    <message>
        <source>Full configuration</source>
        <translation>Vollständige Konfiguration</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::ProblemsModel</name>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Line:Col</source>
        <translation>Zeile:Spalte</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::RecoveryController</name>
    <message numerus="yes">
        <source>Stagecraft did not exit cleanly. Unsaved changes to %n file(s) of this project were recovered.</source>
        <translation>
            <numerusform>Stagecraft wurde nicht sauber beendet. Ungespeicherte Änderungen an %n Datei dieses Projekts wurden wiederhergestellt.</numerusform>
            <numerusform>Stagecraft wurde nicht sauber beendet. Ungespeicherte Änderungen an %n Dateien dieses Projekts wurden wiederhergestellt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Editor font:</source>
        <translation>Editor-Schrift:</translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation>Wie der Desktop</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Farbschema:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Validation delay:</source>
        <translation>Prüfverzögerung:</translation>
    </message>
    <message>
        <source>ShellCheck:</source>
        <translation>ShellCheck:</translation>
    </message>
    <message>
        <source>Not set: remote includes are not resolved</source>
        <translation>Nicht gesetzt: entfernte Includes werden nicht aufgelöst</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Include cache folder:</source>
        <translation>Include-Cache-Ordner:</translation>
    </message>
    <message>
        <source>Include Cache Folder</source>
        <translation>Include-Cache-Ordner</translation>
    </message>
    <message>
        <source>Check Dockerfile RUN scripts with ShellCheck when it is installed</source>
        <translation>RUN-Skripte in Dockerfiles mit ShellCheck prüfen, wenn es installiert ist</translation>
    </message>
</context>
</TS>
