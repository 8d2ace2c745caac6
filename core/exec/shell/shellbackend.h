#pragma once

#include "exec/backend.h"

#include <QProcess>
#include <QProcessEnvironment>

namespace stagecraft::exec {

/// GitLab Runner's `shell` executor: jobs run as local processes (bash, else sh) in their own
/// copy of the project. `image:` and `services:` cannot apply and are ignored with a warning.
class ShellBackend : public Backend
{
public:
    QString id() const override;
    QString displayName() const override;
    QString buildsDir(const JobSpec &spec) const override;
    QString projectDir(const JobSpec &spec) const override;
    bool initialize(QString *error) override;
    JobEnvironment *createEnvironment(const JobSpec &spec, QObject *parent) override;

    QString shell() const { return m_shell; }

private:
    QString m_shell;
};

/// One job's processes. Every script runs in its own session (process group), so that aborting
/// kills the children (`sleep`, servers started in the background) too.
class ShellEnvironment : public JobEnvironment
{
    Q_OBJECT
public:
    ShellEnvironment(const JobSpec &spec, const QString &shell, QObject *parent);
    ~ShellEnvironment() override;

    void prepare() override;
    void runScript(ScriptStep step, const QByteArray &script) override;
    void abortScript() override;
    void collect() override;
    void cleanup(bool keep) override;
    QString enterCommand() const override;

private:
    void killGroup();

    JobSpec m_spec;
    QString m_shell;
    QProcessEnvironment m_env;
    QProcess *m_process = nullptr;
    qint64 m_pgid = 0;
    QStringList m_files; ///< scripts and file variables written to hostScratch
};

} // namespace stagecraft::exec
