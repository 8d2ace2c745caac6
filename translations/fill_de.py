#!/usr/bin/env python3
"""Writes the German translations into stagecraft_de.ts (after lupdate added new sources).

Run from the repository root: lupdate app/gui -ts translations/stagecraft_de.ts -no-obsolete
-locations none && python3 translations/fill_de.py. Sources without an entry here stay
unfinished, so lrelease reports them."""
import html
import re
import sys

DE = {
    "detached": "losgelöst",
    "IDE for GitLab CI pipelines": "IDE für GitLab-CI-Pipelines",
    "Project folder to open": "Zu öffnender Projektordner",
    "Save a screenshot and quit": "Bildschirmfoto speichern und beenden",
    "Colour theme for this run: system, light or dark":
        "Farbschema für diesen Start: system, light oder dark",
    "Pipeline to show in the graph": "Im Graphen gezeigte Pipeline",
    "Could not save %1: %2": "%1 konnte nicht gespeichert werden: %2",
    "Unsaved changes": "Ungespeicherte Änderungen",
    "These files have unsaved changes:\n%1\n\nSave them?":
        "Diese Dateien haben ungespeicherte Änderungen:\n%1\n\nSpeichern?",
    "Save failed": "Speichern fehlgeschlagen",
    "%1 has unsaved changes. Save them?": "%1 hat ungespeicherte Änderungen. Speichern?",
    "Match case": "Groß-/Kleinschreibung",
    "Regular expression": "Regulärer Ausdruck",
    "Find": "Suchen",
    "Next": "Weiter",
    "Previous": "Zurück",
    "Close": "Schließen",
    "Replace with": "Ersetzen durch",
    "Replace": "Ersetzen",
    "Replace All": "Alle ersetzen",
    "Not found": "Nicht gefunden",
    "%n replaced": ("%n ersetzt", "%n ersetzt"),
    "Group jobs by: Stage": "Jobs gruppieren nach: Stage",
    "Group jobs by: Job dependencies": "Jobs gruppieren nach: Abhängigkeiten",
    "Push to the current branch": "Push auf den aktuellen Branch",
    "Push to the default branch": "Push auf den Standard-Branch",
    "Tag": "Tag",
    "Merge request": "Merge-Request",
    "Export…": "Exportieren…",
    "Export as PNG…": "Als PNG exportieren…",
    "Export Graph": "Graph exportieren",
    "PNG images (*.png)": "PNG-Bilder (*.png)",
    "Export as SVG…": "Als SVG exportieren…",
    "SVG images (*.svg)": "SVG-Bilder (*.svg)",
    "No pipeline for %1 (%2): %3": "Keine Pipeline für %1 (%2): %3",
    "%1 (%2): %3": "%1 (%2): %3",
    "%n job(s) for %1 (%2)": ("%n Job für %1 (%2)", "%n Jobs für %1 (%2)"),
    "Not in this pipeline: %1": "Nicht in dieser Pipeline: %1",
    "Not created": "Nicht erstellt",
    "Pipeline graph": "Pipeline-Graph",
    "Known when the pipeline is created (usable in rules).":
        "Beim Erstellen der Pipeline bekannt (in rules verwendbar).",
    "Only set while the job runs (not in rules).":
        "Nur gesetzt, während der Job läuft (nicht in rules).",
    "Only in merge request pipelines.": "Nur in Merge-Request-Pipelines.",
    "No project open.": "Kein Projekt geöffnet.",
    "%1 was changed by another program.": "%1 wurde von einem anderen Programm geändert.",
    "Reload": "Neu laden",
    "Keep my version": "Meine Fassung behalten",
    "Branch, commit and uncommitted changes": "Branch, Commit und nicht committete Änderungen",
    "Problems": "Probleme",
    "Project": "Projekt",
    "Pipeline": "Pipeline",
    "&File": "&Datei",
    "&Open Folder…": "Ordner ö&ffnen…",
    "Open &Recent": "&Zuletzt geöffnet",
    "&Save": "&Speichern",
    "Save A&ll": "&Alle speichern",
    "Ctrl+Shift+S": "Ctrl+Shift+S",
    "&Close Tab": "Tab s&chließen",
    "Se&ttings…": "&Einstellungen…",
    "&Quit": "&Beenden",
    "&Edit": "&Bearbeiten",
    "&Find…": "&Suchen…",
    "&Replace…": "&Ersetzen…",
    "Ctrl+H": "Ctrl+H",
    "Find &Next": "&Weitersuchen",
    "&Complete": "&Vervollständigen",
    "Ctrl+Space": "Ctrl+Space",
    "Go to &Definition": "Zur &Definition",
    "&View": "&Ansicht",
    "Validating GitLab CI configuration…": "GitLab-CI-Konfiguration wird geprüft…",
    "Saved %1": "%1 gespeichert",
    "No definition found here.": "Hier wurde keine Definition gefunden.",
    "This GitLab CI configuration is invalid: %1": "Diese GitLab-CI-Konfiguration ist ungültig: %1",
    "Pipeline syntax is correct.": "Die Pipeline-Syntax ist korrekt.",
    "Open Project Folder": "Projektordner öffnen",
    "Open failed": "Öffnen fehlgeschlagen",
    "Could not open the project folder %1.": "Der Projektordner %1 konnte nicht geöffnet werden.",
    "Problems (%1)": "Probleme (%1)",
    "Stagecraft": "Stagecraft",
    "%1 — %2 [*] — Stagecraft": "%1 — %2 [*] — Stagecraft",
    "Severity": "Schweregrad",
    "Message": "Meldung",
    "File": "Datei",
    "Line:Col": "Zeile:Spalte",
    "Error": "Fehler",
    "Warning": "Warnung",
    "Info": "Hinweis",
    "Stagecraft did not exit cleanly. Unsaved changes to %n file(s) of this project were recovered.":
        ("Stagecraft wurde nicht sauber beendet. Ungespeicherte Änderungen an %n Datei dieses "
         "Projekts wurden wiederhergestellt.",
         "Stagecraft wurde nicht sauber beendet. Ungespeicherte Änderungen an %n Dateien dieses "
         "Projekts wurden wiederhergestellt."),
    "Restore": "Wiederherstellen",
    "Discard": "Verwerfen",
    "Check job scripts and Dockerfile RUN scripts with ShellCheck when it is installed":
        "Job-Skripte und RUN-Skripte in Dockerfiles mit ShellCheck prüfen, wenn es installiert ist",
    "ShellCheck wiki: %1": "ShellCheck-Wiki: %1",
    "Code": "Code",
    "registry.gitlab.com": "registry.gitlab.com",
    "CI_REGISTRY of the jobs (and CI_REGISTRY_IMAGE), e.g. a local registry such as localhost:5000":
        "CI_REGISTRY der Jobs (und CI_REGISTRY_IMAGE), z. B. eine lokale Registry wie localhost:5000",
    "Container registry:": "Container-Registry:",
    "ShellCheck is not installed: the job scripts are not checked":
        "ShellCheck ist nicht installiert: Die Job-Skripte werden nicht geprüft",
    "Settings": "Einstellungen",
    "Editor font:": "Editor-Schrift:",
    "Follow the desktop": "Wie der Desktop",
    "Light": "Hell",
    "Dark": "Dunkel",
    "Theme:": "Farbschema:",
    " ms": " ms",
    "Validation delay:": "Prüfverzögerung:",
    "ShellCheck:": "ShellCheck:",
    "Not set: remote includes are not resolved":
        "Nicht gesetzt: entfernte Includes werden nicht aufgelöst",
    "Browse…": "Durchsuchen…",
    "Include cache folder:": "Include-Cache-Ordner:",
    "Include Cache Folder": "Include-Cache-Ordner",
    "Graph view: stages or needs": "Graph-Ansicht: stages oder needs",
    "Project file to show first": "Zuerst gezeigte Projektdatei",
    "Compare with": "Vergleichen mit",
    "A revision: HEAD, HEAD~1, a branch, a tag or a commit":
        "Eine Revision: HEAD, HEAD~1, ein Branch, ein Tag oder ein Commit",
    "Show how the planned pipeline differs from the one at a revision":
        "Zeigt, wie sich die geplante Pipeline von der einer Revision unterscheidet",
    "The project is not in a git repository: there is no revision to compare with":
        "Das Projekt liegt in keinem Git-Repository: Es gibt keine Revision zum Vergleichen",
    "the revision cannot be read": "die Revision kann nicht gelesen werden",
    "Comparing with %1…": "Vergleich mit %1…",
    "Cannot compare with %1: %2": "Vergleich mit %1 nicht möglich: %2",
    "%1 added, %2 removed, %3 changed against %4":
        "%1 hinzugefügt, %2 entfernt, %3 geändert gegenüber %4",
    "Added since %1": "Hinzugefügt seit %1",
    "Changed since %1: %2": "Geändert seit %1: %2",
    "Stage: %1 → %2": "Stage: %1 → %2",
    "Needs added: %1": "Neue needs: %1",
    "Needs removed: %1": "Entfernte needs: %1",
    "When: %1 → %2": "when: %1 → %2",
    "Removed": "Entfernt",
    "%1 — removed since %2": "%1 — entfernt seit %2",
    "The configuration GitLab runs: includes, extends, anchors and !reference merged. Read-only.":
        "Die Konfiguration, die GitLab ausführt: includes, extends, Anker und !reference "
        "zusammengeführt. Schreibgeschützt.",
    "Full configuration": "Vollständige Konfiguration",
    "Revision to compare the graph with": "Revision, mit der der Graph verglichen wird",
    "Print the time to the first paint and quit":
        "Zeit bis zum ersten Zeichnen ausgeben und beenden",
    # Runs: job states (GitLab's German UI words), jobs panel, log view, run actions, settings.
    "created": "erstellt",
    "waiting for resource": "wartet auf Ressource",
    "pending": "wartend",
    "preparing": "wird vorbereitet",
    "running": "läuft",
    "passed": "erfolgreich",
    "failed (allowed to fail)": "fehlgeschlagen (darf fehlschlagen)",
    "failed": "fehlgeschlagen",
    "canceled": "abgebrochen",
    "skipped": "übersprungen",
    "manual": "manuell",
    "scheduled": "geplant",
    "No pipeline has run yet.": "Es ist noch keine Pipeline gelaufen.",
    "Play": "Starten",
    "Run the selected manual job": "Den gewählten manuellen Job starten",
    "Retry": "Wiederholen",
    "Run the selected job again": "Den gewählten Job erneut ausführen",
    "Cancel": "Abbrechen",
    "Cancel the selected job": "Den gewählten Job abbrechen",
    "Cancel pipeline": "Pipeline abbrechen",
    "Cancel every job of the pipeline that has not finished":
        "Alle noch nicht beendeten Jobs der Pipeline abbrechen",
    "Job": "Job",
    "Stage": "Stage",
    "Status": "Status",
    "Duration": "Dauer",
    "The pipeline could not start: %1": "Die Pipeline konnte nicht starten: %1",
    "Starting the pipeline…": "Pipeline wird gestartet…",
    " (attempt %1)": " (Versuch %1)",
    "Failure reason: %1": "Fehlergrund: %1",
    "Exit code: %1": "Exit-Code: %1",
    "Environment kept; enter it with: %1": "Umgebung behalten; betreten mit: %1",
    "Pipeline %1: %2": "Pipeline %1: %2",
    "Show Log": "Log anzeigen",
    "Search job log": "Job-Log durchsuchen",
    "Previous match (Shift+Enter)": "Vorheriger Treffer (Umschalt+Eingabe)",
    "Next match (Enter)": "Nächster Treffer (Eingabe)",
    "Follow": "Mitlaufen",
    "Scroll with new output while at the bottom of the log":
        "Am Ende des Logs mit neuer Ausgabe mitscrollen",
    "Wrap lines": "Zeilen umbrechen",
    "Wrap long lines at the width of the view": "Lange Zeilen an der Breite der Ansicht umbrechen",
    "Copy": "Kopieren",
    "Select All": "Alles auswählen",
    "No log": "Kein Log",
    "Lines: %1": "Zeilen: %1",
    " — running": " — läuft",
    "Searching…": "Suche läuft…",
    "No results": "Keine Treffer",
    "%1 of %2": "%1 von %2",
    "Jobs": "Jobs",
    "Job Logs": "Job-Logs",
    "&Run": "&Ausführen",
    "Run &Pipeline": "&Pipeline ausführen",
    "Ctrl+Shift+R": "Ctrl+Shift+R",
    "Run the pipeline of the project as it is on disk":
        "Die Pipeline des Projekts so ausführen, wie es auf der Festplatte liegt",
    "Run &Job": "&Job ausführen",
    "Run Job with Its &Needs": "Job mit seinen &Needs ausführen",
    "&Cancel Pipeline": "Pipeline a&bbrechen",
    "Run": "Ausführen",
    "Pipeline %1 started": "Pipeline %1 gestartet",
    "No planned jobs": "Keine geplanten Jobs",
    "Run Job": "Job ausführen",
    "Run Job with Its Needs": "Job mit seinen Needs ausführen",
    "%1 has no log yet.": "%1 hat noch kein Log.",
    "%1 #%2": "%1 #%2",
    "Folder": "Ordner",
    "Link": "Verknüpfung",
    "The pipeline is not created: %1": "Die Pipeline wird nicht erstellt: %1",
    "Run containers privileged (Docker-in-Docker)":
        "Container privilegiert ausführen (Docker-in-Docker)",
    "Keep the environment of a failed job for debugging":
        "Die Umgebung eines fehlgeschlagenen Jobs zur Fehlersuche behalten",
    "Shell (on this computer)": "Shell (auf diesem Rechner)",
    "Docker": "Docker",
    "Kubernetes": "Kubernetes",
    "Executor:": "Executor:",
    "The kubeconfig's current context": "Der aktuelle Kontext der kubeconfig",
    "Number of cores": "Anzahl der Kerne",
    "Jobs at the same time:": "Gleichzeitige Jobs:",
    "Pipeline %1 started; pipeline %2 on the same ref was auto-canceled as redundant":
        "Pipeline %1 gestartet; Pipeline %2 auf derselben Ref wurde als überflüssig "
        "automatisch abgebrochen",
    "Pipeline %1 started; pipeline %2 runs on in the background: a job that is not "
    "interruptible has started":
        "Pipeline %1 gestartet; Pipeline %2 läuft im Hintergrund weiter: ein nicht "
        "unterbrechbarer Job hat begonnen",
    "Pipeline %1 started; pipeline %2 of another ref runs on in the background":
        "Pipeline %1 gestartet; Pipeline %2 einer anderen Ref läuft im Hintergrund weiter",
    "Docker executor": "Docker-Executor",
    "Kubernetes executor": "Kubernetes-Executor",
    "Mount the project folder (hostPath)": "Den Projektordner einhängen (hostPath)",
    "unix:///var/run/docker.sock (the default socket)":
        "unix:///var/run/docker.sock (der Standard-Socket)",
    "%1 (DOCKER_HOST)": "%1 (DOCKER_HOST)",
    "Host:": "Host:",
    "busybox:latest": "busybox:latest",
    "The image of jobs without image:": "Das Image der Jobs ohne image:",
    "Default image:": "Standard-Image:",
    "If not present (default)": "Falls nicht vorhanden (Standard)",
    "Always": "Immer",
    "If not present": "Falls nicht vorhanden",
    "Never": "Nie",
    "For images whose job gives no pull_policy:":
        "Für Images, deren Job keine pull_policy: angibt",
    "Pull policy:": "Pull-Richtlinie:",
    "%1 (%2)": "%1 (%2)",
    "Context:": "Kontext:",
    "The context's namespace, else default":
        "Der Namespace des Kontexts, sonst default",
    "Receives the project and hands it back: needs sh, tar, tail, head and nc (busybox or "
    "alpine)":
        "Empfängt das Projekt und gibt es zurück: braucht sh, tar, tail, head und nc (busybox "
        "oder alpine)",
    "Namespace:": "Namespace:",
    "Helper image:": "Hilfs-Image:",
    "For a cluster on this computer (Minikube, MicroK8s): the pods use the project folder "
    "instead of a copy":
        "Für einen Cluster auf diesem Rechner (Minikube, MicroK8s): die Pods verwenden den "
        "Projektordner statt einer Kopie",
    "The namespace's default": "Der Standard des Namespace",
    "The service account of the job pods (serviceAccountName): what the jobs may do in the "
    "cluster":
        "Das Dienstkonto der Job-Pods (serviceAccountName): was die Jobs im Cluster dürfen",
    "Service account:": "Dienstkonto:",
    "Cluster default": "Standard des Clusters",
    "Request, e.g. 500m": "Anforderung, z. B. 500m",
    "Limit, e.g. 2": "Grenze, z. B. 2",
    "Request, e.g. 512Mi": "Anforderung, z. B. 512Mi",
    "Limit, e.g. 1Gi": "Grenze, z. B. 1Gi",
    "Applied to every container of the job pods; empty: none":
        "Gilt für jeden Container der Job-Pods; leer: keine",
    "CPU:": "CPU:",
    "Memory:": "Speicher:",
    "disktype=ssd, zone=a": "disktype=ssd, zone=a",
    "The pods run only on nodes with these labels (key=value, separated by commas)":
        "Die Pods laufen nur auf Knoten mit diesen Labels (Schlüssel=Wert, durch Kommas "
        "getrennt)",
    "Node selector:": "Knotenauswahl:",
    "None: /cache stays in the pod": "Keiner: /cache bleibt im Pod",
    "A PersistentVolumeClaim mounted at /cache in every container, kept between jobs; it must "
    "exist in the namespace":
        "Ein PersistentVolumeClaim, in jedem Container unter /cache eingehängt und zwischen "
        "Jobs erhalten; er muss im Namespace existieren",
    "Cache claim:": "Cache-Claim:",
}

path = sys.argv[1] if len(sys.argv) > 1 else "translations/stagecraft_de.ts"
text = open(path, encoding="utf-8").read()
missing = []


def fill(m):
    source = html.unescape(m.group(2))
    numerus = 'numerus="yes"' in m.group(1)
    german = DE.get(source)
    if german is None:
        missing.append(source)
        return m.group(0)
    if numerus:
        forms = german if isinstance(german, tuple) else (german, german)
        body = "".join(f"\n            <numerusform>{html.escape(f, quote=False)}</numerusform>"
                       for f in forms)
        translation = f"<translation>{body}\n        </translation>"
    else:
        translation = f"<translation>{html.escape(german, quote=False)}</translation>"
    return f"{m.group(1)}<source>{m.group(2)}</source>{m.group(3)}{translation}"


text = re.sub(r'(<message[^>]*>\s*)<source>(.*?)</source>(\s*(?:<comment>.*?</comment>\s*)?)'
              r'<translation[^>]*?(?:/>|>.*?</translation>)',
              fill, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
if missing:
    print("missing German for:", *missing, sep="\n  ", file=sys.stderr)
    sys.exit(1)
