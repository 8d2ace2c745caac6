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
    <name>stagecraft::gui::JobStatusLook</name>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>waiting for resource</source>
        <translation>wartet auf Ressource</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>preparing</source>
        <translation>wird vorbereitet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed (allowed to fail)</source>
        <translation>fehlgeschlagen (darf fehlschlagen)</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manuell</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::JobsPanel</name>
    <message>
        <source>No pipeline has run yet.</source>
        <translation>Es ist noch keine Pipeline gelaufen.</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Run the selected manual job</source>
        <translation>Den gewählten manuellen Job starten</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Run the selected job again</source>
        <translation>Den gewählten Job erneut ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the selected job</source>
        <translation>Den gewählten Job abbrechen</translation>
    </message>
    <message>
        <source>Cancel pipeline</source>
        <translation>Pipeline abbrechen</translation>
    </message>
    <message>
        <source>Cancel every job of the pipeline that has not finished</source>
        <translation>Alle noch nicht beendeten Jobs der Pipeline abbrechen</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>The pipeline could not start: %1</source>
        <translation>Die Pipeline konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Starting the pipeline…</source>
        <translation>Pipeline wird gestartet…</translation>
    </message>
    <message>
        <source> (attempt %1)</source>
        <translation> (Versuch %1)</translation>
    </message>
    <message>
        <source>Failure reason: %1</source>
        <translation>Fehlergrund: %1</translation>
    </message>
    <message>
        <source>Exit code: %1</source>
        <translation>Exit-Code: %1</translation>
    </message>
    <message>
        <source>Environment kept; enter it with: %1</source>
        <translation>Umgebung behalten; betreten mit: %1</translation>
    </message>
    <message>
        <source>Pipeline %1: %2</source>
        <translation>Pipeline %1: %2</translation>
    </message>
    <message>
        <source>Show Log</source>
        <translation>Log anzeigen</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::LogView</name>
    <message>
        <source>Search job log</source>
        <translation>Job-Log durchsuchen</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter)</source>
        <translation>Vorheriger Treffer (Umschalt+Eingabe)</translation>
    </message>
    <message>
        <source>Next match (Enter)</source>
        <translation>Nächster Treffer (Eingabe)</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Mitlaufen</translation>
    </message>
    <message>
        <source>Scroll with new output while at the bottom of the log</source>
        <translation>Am Ende des Logs mit neuer Ausgabe mitscrollen</translation>
    </message>
    <message>
        <source>No log</source>
        <translation>Kein Log</translation>
    </message>
    <message>
        <source>Lines: %1</source>
        <translation>Zeilen: %1</translation>
    </message>
    <message>
        <source> — running</source>
        <translation> — läuft</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>No results</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Wrap lines</source>
        <translation>Zeilen umbrechen</translation>
    </message>
    <message>
        <source>Wrap long lines at the width of the view</source>
        <translation>Lange Zeilen an der Breite der Ansicht umbrechen</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Alles auswählen</translation>
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
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Job Logs</source>
        <translation>Job-Logs</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <source>Run &amp;Pipeline</source>
        <translation>&amp;Pipeline ausführen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>Run the pipeline of the project as it is on disk</source>
        <translation>Die Pipeline des Projekts so ausführen, wie es auf der Festplatte liegt</translation>
    </message>
    <message>
        <source>Run &amp;Job</source>
        <translation>&amp;Job ausführen</translation>
    </message>
    <message>
        <source>Run Job with Its &amp;Needs</source>
        <translation>Job mit seinen &amp;Needs ausführen</translation>
    </message>
    <message>
        <source>&amp;Cancel Pipeline</source>
        <translation>Pipeline a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <source>Pipeline %1 started</source>
        <translation>Pipeline %1 gestartet</translation>
    </message>
    <message>
        <source>The pipeline could not start: %1</source>
        <translation>Die Pipeline konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Pipeline %1: %2</source>
        <translation>Pipeline %1: %2</translation>
    </message>
    <message>
        <source>No planned jobs</source>
        <translation>Keine geplanten Jobs</translation>
    </message>
    <message>
        <source>Run Job</source>
        <translation>Job ausführen</translation>
    </message>
    <message>
        <source>Run Job with Its Needs</source>
        <translation>Job mit seinen Needs ausführen</translation>
    </message>
    <message>
        <source>Show Log</source>
        <translation>Log anzeigen</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>%1 has no log yet.</source>
        <translation>%1 hat noch kein Log.</translation>
    </message>
    <message>
        <source>%1 #%2</source>
        <translation>%1 #%2</translation>
    </message>
    <message>
        <source>Pipeline %1 started; pipeline %2 on the same ref was auto-canceled as redundant</source>
        <translation>Pipeline %1 gestartet; Pipeline %2 auf derselben Ref wurde als überflüssig automatisch abgebrochen</translation>
    </message>
    <message>
        <source>Pipeline %1 started; pipeline %2 runs on in the background: a job that is not interruptible has started</source>
        <translation>Pipeline %1 gestartet; Pipeline %2 läuft im Hintergrund weiter: ein nicht unterbrechbarer Job hat begonnen</translation>
    </message>
    <message>
        <source>Pipeline %1 started; pipeline %2 of another ref runs on in the background</source>
        <translation>Pipeline %1 gestartet; Pipeline %2 einer anderen Ref läuft im Hintergrund weiter</translation>
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
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::ProjectTree</name>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Verknüpfung</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
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
    <name>stagecraft::gui::RunController</name>
    <message>
        <source>The pipeline is not created: %1</source>
        <translation>Die Pipeline wird nicht erstellt: %1</translation>
    </message>
</context>
<context>
    <name>stagecraft::gui::ScriptChecker</name>
    <message>
        <source>ShellCheck wiki: %1</source>
        <translation>ShellCheck-Wiki: %1</translation>
    </message>
    <message>
        <source>ShellCheck is not installed: the job scripts are not checked</source>
        <translation>ShellCheck ist nicht installiert: Die Job-Skripte werden nicht geprüft</translation>
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
        <source>Run containers privileged (Docker-in-Docker)</source>
        <translation>Container privilegiert ausführen (Docker-in-Docker)</translation>
    </message>
    <message>
        <source>Keep the environment of a failed job for debugging</source>
        <translation>Die Umgebung eines fehlgeschlagenen Jobs zur Fehlersuche behalten</translation>
    </message>
    <message>
        <source>Shell (on this computer)</source>
        <translation>Shell (auf diesem Rechner)</translation>
    </message>
    <message>
        <source>Docker</source>
        <translation>Docker</translation>
    </message>
    <message>
        <source>Kubernetes</source>
        <translation>Kubernetes</translation>
    </message>
    <message>
        <source>Executor:</source>
        <translation>Executor:</translation>
    </message>
    <message>
        <source>The kubeconfig&apos;s current context</source>
        <translation>Der aktuelle Kontext der kubeconfig</translation>
    </message>
    <message>
        <source>Number of cores</source>
        <translation>Anzahl der Kerne</translation>
    </message>
    <message>
        <source>Jobs at the same time:</source>
        <translation>Gleichzeitige Jobs:</translation>
    </message>
    <message>
        <source>registry.gitlab.com</source>
        <translation>registry.gitlab.com</translation>
    </message>
    <message>
        <source>CI_REGISTRY of the jobs (and CI_REGISTRY_IMAGE), e.g. a local registry such as localhost:5000</source>
        <translation>CI_REGISTRY der Jobs (und CI_REGISTRY_IMAGE), z. B. eine lokale Registry wie localhost:5000</translation>
    </message>
    <message>
        <source>Container registry:</source>
        <translation>Container-Registry:</translation>
    </message>
    <message>
        <source>Docker executor</source>
        <translation>Docker-Executor</translation>
    </message>
    <message>
        <source>Kubernetes executor</source>
        <translation>Kubernetes-Executor</translation>
    </message>
    <message>
        <source>Mount the project folder (hostPath)</source>
        <translation>Den Projektordner einhängen (hostPath)</translation>
    </message>
    <message>
        <source>unix:///var/run/docker.sock (the default socket)</source>
        <translation>unix:///var/run/docker.sock (der Standard-Socket)</translation>
    </message>
    <message>
        <source>%1 (DOCKER_HOST)</source>
        <translation>%1 (DOCKER_HOST)</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>busybox:latest</source>
        <translation>busybox:latest</translation>
    </message>
    <message>
        <source>The image of jobs without image:</source>
        <translation>Das Image der Jobs ohne image:</translation>
    </message>
    <message>
        <source>Default image:</source>
        <translation>Standard-Image:</translation>
    </message>
    <message>
        <source>If not present (default)</source>
        <translation>Falls nicht vorhanden (Standard)</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>Immer</translation>
    </message>
    <message>
        <source>If not present</source>
        <translation>Falls nicht vorhanden</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>For images whose job gives no pull_policy:</source>
        <translation>Für Images, deren Job keine pull_policy: angibt</translation>
    </message>
    <message>
        <source>Pull policy:</source>
        <translation>Pull-Richtlinie:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>context (kind)</comment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Kontext:</translation>
    </message>
    <message>
        <source>Namespace:</source>
        <translation>Namespace:</translation>
    </message>
    <message>
        <source>Helper image:</source>
        <translation>Hilfs-Image:</translation>
    </message>
    <message>
        <source>For a cluster on this computer (Minikube, MicroK8s): the pods use the project folder instead of a copy</source>
        <translation>Für einen Cluster auf diesem Rechner (Minikube, MicroK8s): die Pods verwenden den Projektordner statt einer Kopie</translation>
    </message>
    <message>
        <source>The context&apos;s namespace, else default</source>
        <translation>Der Namespace des Kontexts, sonst default</translation>
    </message>
    <message>
        <source>Receives the project and hands it back: needs sh, tar, tail, head and nc (busybox or alpine)</source>
        <translation>Empfängt das Projekt und gibt es zurück: braucht sh, tar, tail, head und nc (busybox oder alpine)</translation>
    </message>
    <message>
        <source>Check job scripts and Dockerfile RUN scripts with ShellCheck when it is installed</source>
        <translation>Job-Skripte und RUN-Skripte in Dockerfiles mit ShellCheck prüfen, wenn es installiert ist</translation>
    </message>
    <message>
        <source>The namespace&apos;s default</source>
        <translation>Der Standard des Namespace</translation>
    </message>
    <message>
        <source>The service account of the job pods (serviceAccountName): what the jobs may do in the cluster</source>
        <translation>Das Dienstkonto der Job-Pods (serviceAccountName): was die Jobs im Cluster dürfen</translation>
    </message>
    <message>
        <source>Service account:</source>
        <translation>Dienstkonto:</translation>
    </message>
    <message>
        <source>Cluster default</source>
        <translation>Standard des Clusters</translation>
    </message>
    <message>
        <source>Request, e.g. 500m</source>
        <translation>Anforderung, z. B. 500m</translation>
    </message>
    <message>
        <source>Limit, e.g. 2</source>
        <translation>Grenze, z. B. 2</translation>
    </message>
    <message>
        <source>Request, e.g. 512Mi</source>
        <translation>Anforderung, z. B. 512Mi</translation>
    </message>
    <message>
        <source>Limit, e.g. 1Gi</source>
        <translation>Grenze, z. B. 1Gi</translation>
    </message>
    <message>
        <source>Applied to every container of the job pods; empty: none</source>
        <translation>Gilt für jeden Container der Job-Pods; leer: keine</translation>
    </message>
    <message>
        <source>CPU:</source>
        <translation>CPU:</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <source>disktype=ssd, zone=a</source>
        <translation>disktype=ssd, zone=a</translation>
    </message>
    <message>
        <source>The pods run only on nodes with these labels (key=value, separated by commas)</source>
        <translation>Die Pods laufen nur auf Knoten mit diesen Labels (Schlüssel=Wert, durch Kommas getrennt)</translation>
    </message>
    <message>
        <source>Node selector:</source>
        <translation>Knotenauswahl:</translation>
    </message>
    <message>
        <source>None: /cache stays in the pod</source>
        <translation>Keiner: /cache bleibt im Pod</translation>
    </message>
    <message>
        <source>A PersistentVolumeClaim mounted at /cache in every container, kept between jobs; it must exist in the namespace</source>
        <translation>Ein PersistentVolumeClaim, in jedem Container unter /cache eingehängt und zwischen Jobs erhalten; er muss im Namespace existieren</translation>
    </message>
    <message>
        <source>Cache claim:</source>
        <translation>Cache-Claim:</translation>
    </message>
</context>
</TS>
