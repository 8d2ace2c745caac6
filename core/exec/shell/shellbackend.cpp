#include "exec/shell/shellbackend.h"

#include "exec/scriptbuilder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

} // namespace

QString ShellBackend::id() const
{
    return QStringLiteral("shell");
}

QString ShellBackend::displayName() const
{
    return QStringLiteral("shell");
}

QString ShellBackend::buildsDir(const JobSpec &spec) const
{
    return QFileInfo(spec.hostWorkspace).absolutePath();
}

QString ShellBackend::projectDir(const JobSpec &spec) const
{
    return QFileInfo(spec.hostWorkspace).absoluteFilePath();
}

bool ShellBackend::initialize(QString *error)
{
    // GitLab Runner's detection order for the shell executor: bash, else sh.
    m_shell = QStandardPaths::findExecutable(QStringLiteral("bash"));
    if (m_shell.isEmpty())
        m_shell = QStandardPaths::findExecutable(QStringLiteral("sh"));
    if (m_shell.isEmpty()) {
        if (error)
            *error = tr("Neither bash nor sh was found in PATH");
        return false;
    }
    return true;
}

JobEnvironment *ShellBackend::createEnvironment(const JobSpec &spec, QObject *parent)
{
    if (m_shell.isEmpty())
        initialize(nullptr);
    return new ShellEnvironment(spec, m_shell, parent);
}

ShellEnvironment::ShellEnvironment(const JobSpec &spec, const QString &shell, QObject *parent)
    : JobEnvironment(parent)
    , m_spec(spec)
    , m_shell(shell)
{
}

ShellEnvironment::~ShellEnvironment()
{
    killGroup();
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void ShellEnvironment::prepare()
{
    QByteArray text;
    if (!m_spec.image.name.isEmpty()) {
        text += "\x1b[0;33m" +
                tr("WARNING: image \"%1\" ignored: the shell executor runs jobs on this machine")
                    .arg(m_spec.image.name)
                    .toUtf8() +
                "\x1b[0;m\n";
    }
    for (const ServiceSpec &service : std::as_const(m_spec.services)) {
        text += "\x1b[0;33m" +
                tr("WARNING: service \"%1\" ignored: the shell executor runs jobs on this "
                   "machine")
                    .arg(service.image.name)
                    .toUtf8() +
                "\x1b[0;m\n";
    }
    text += tr("Using Shell (%1) executor...").arg(QFileInfo(m_shell).fileName()).toUtf8() + '\n';

    QString error;
    m_env = QProcessEnvironment::systemEnvironment();
    QDir().mkpath(m_spec.hostScratch);
    for (const JobVariable &v : std::as_const(m_spec.variables)) {
        if (v.file) {
            // As GitLab Runner: the value goes to a file, the variable holds its path.
            const QString path = QDir(m_spec.hostScratch).filePath(v.name);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                error = tr("Cannot write the file variable %1 to %2: %3")
                            .arg(v.name, path, f.errorString());
                break;
            }
            f.write(v.value.toUtf8());
            m_files << path;
            m_env.insert(v.name, path);
        } else {
            m_env.insert(v.name, v.value);
        }
    }
    if (error.isEmpty() && !QFileInfo(m_spec.hostWorkspace).isDir())
        error = tr("The job's project folder %1 does not exist").arg(m_spec.hostWorkspace);
    QTimer::singleShot(0, this, [this, text, error] {
        Q_EMIT output(text);
        Q_EMIT prepared(error.isEmpty(), error);
    });
}

void ShellEnvironment::runScript(ScriptStep step, const QByteArray &script)
{
    const QString path = QDir(m_spec.hostScratch)
                             .filePath(step == ScriptStep::Step ? QStringLiteral("step_script")
                                                                : QStringLiteral("after_script"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        const QByteArray message =
            tr("ERROR: cannot write %1: %2").arg(path, f.errorString()).toUtf8() + '\n';
        QTimer::singleShot(0, this, [this, message] {
            Q_EMIT output(message);
            Q_EMIT scriptFinished(1);
        });
        return;
    }
    f.write(script);
    f.close();
    if (!m_files.contains(path))
        m_files << path;

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setWorkingDirectory(m_spec.hostWorkspace);
    m_process->setProcessEnvironment(m_env);
    m_process->setProgram(m_shell);
    m_process->setArguments({path});
    // Own session: the whole group can be killed; no controlling terminal (no tty prompts).
    m_process->setChildProcessModifier([] { ::setsid(); });
    QProcess *process = m_process;
    connect(process, &QProcess::readyRead, this, [this, process] {
        const QByteArray bytes = process->readAll();
        if (!bytes.isEmpty())
            Q_EMIT output(bytes);
    });
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus status) {
                const QByteArray rest = process->readAll();
                if (!rest.isEmpty())
                    Q_EMIT output(rest);
                // Children left in the background die with the script, as with GitLab Runner's
                // process-group kill at the end of a stage.
                killGroup();
                m_pgid = 0;
                Q_EMIT scriptFinished(status == QProcess::NormalExit ? exitCode : -1);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        Q_EMIT output(
            tr("ERROR: cannot start %1: %2").arg(m_shell, process->errorString()).toUtf8() + '\n');
        Q_EMIT scriptFinished(-1);
    });
    process->start();
    if (process->waitForStarted(5000))
        m_pgid = process->processId();
}

void ShellEnvironment::killGroup()
{
    if (m_pgid > 0)
        ::kill(-pid_t(m_pgid), SIGKILL);
}

void ShellEnvironment::abortScript()
{
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        QTimer::singleShot(0, this, [this] { Q_EMIT scriptFinished(-1); });
        return;
    }
    // As GitLab Runner: TERM first (the script's traps run), KILL for what is left once the
    // shell is gone (see finished) or after a grace period.
    if (m_pgid > 0)
        ::kill(-pid_t(m_pgid), SIGTERM);
    QPointer<QProcess> process = m_process;
    QTimer::singleShot(2000, this, [this, process] {
        if (!process || process->state() == QProcess::NotRunning)
            return;
        killGroup();
        process->kill();
    });
}

void ShellEnvironment::collect()
{
    // The job ran in hostWorkspace itself: nothing to copy back.
    QTimer::singleShot(0, this, [this] { Q_EMIT collected(true, QString()); });
}

void ShellEnvironment::cleanup(bool keep)
{
    killGroup();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    if (!keep) {
        for (const QString &file : std::as_const(m_files))
            QFile::remove(file);
        m_files.clear();
    }
    QTimer::singleShot(0, this, [this] { Q_EMIT cleanedUp(); });
}

QString ShellEnvironment::enterCommand() const
{
    // Quoted only when the path needs it, so that the usual case reads naturally.
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./+@:=-]+$"));
    const QString path = plain.match(m_spec.hostWorkspace).hasMatch()
                             ? m_spec.hostWorkspace
                             : shellQuote(m_spec.hostWorkspace);
    return QStringLiteral("cd %1 && bash").arg(path);
}

} // namespace stagecraft::exec
