#include "shellcheck.h"

#include "linter.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QPromise>
#include <QStandardPaths>
#include <QThreadPool>

namespace stagecraft::dockerfile {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::dockerfile", text);
}

diag::Severity severityOf(const QString &level)
{
    if (level == u"error")
        return diag::Severity::Error;
    if (level == u"warning")
        return diag::Severity::Warning;
    return diag::Severity::Info; // info and style
}

/// `NAME=` lines so that ShellCheck knows the ARG/ENV names (no SC2154 for them).
QString prelude(const ShellScript &script, int *lines)
{
    QString out;
    *lines = 0;
    for (const QString &name : script.variables) {
        if (name.isEmpty() || !(name.at(0).isLetter() || name.at(0) == u'_'))
            continue;
        bool valid = true;
        for (QChar c : name)
            valid = valid && (c.isLetterOrNumber() || c == u'_') && c.unicode() < 128;
        if (!valid)
            continue;
        out += name + QStringLiteral("=\n");
        ++*lines;
    }
    return out;
}

} // namespace

struct ShellCheck::State
{
    QMutex mutex;
    bool probed = false;
    bool available = false;
    QString version;
};

ShellCheck::ShellCheck(const QString &program)
    : m_program(program)
    , m_state(std::make_shared<State>())
{
}

bool ShellCheck::isAvailable() const
{
    QMutexLocker lock(&m_state->mutex);
    if (!m_state->probed) {
        m_state->probed = true;
        const QString path =
            m_program.contains(u'/') ? m_program : QStandardPaths::findExecutable(m_program);
        if (!path.isEmpty()) {
            QProcess p;
            p.start(path, {QStringLiteral("--version")});
            if (p.waitForFinished(5000) && p.exitStatus() == QProcess::NormalExit &&
                p.exitCode() == 0) {
                m_state->available = true;
                for (const QByteArray &line : p.readAllStandardOutput().split('\n')) {
                    if (line.startsWith("version:"))
                        m_state->version = QString::fromUtf8(line.mid(8).trimmed());
                }
            }
        }
    }
    return m_state->available;
}

QString ShellCheck::version() const
{
    isAvailable();
    QMutexLocker lock(&m_state->mutex);
    return m_state->version;
}

diag::Diagnostic ShellCheck::unavailableNote(const QString &file, diag::Position where)
{
    return diag::make(diag::Severity::Info, QStringLiteral("shellcheck-unavailable"),
                      tr("ShellCheck is not installed: the shell code of RUN instructions is not "
                         "checked"),
                      file, where.line, where.column, where.line, where.column);
}

diag::Diagnostics ShellCheck::mapFindings(const QByteArray &json1, const ShellScript &script,
                                          int preludeLines, const QStringList &excluded)
{
    diag::Diagnostics out;
    const QJsonArray comments =
        QJsonDocument::fromJson(json1).object().value(QStringLiteral("comments")).toArray();
    for (const QJsonValue &v : comments) {
        const QJsonObject c = v.toObject();
        const QString code = QStringLiteral("SC%1").arg(c.value(QStringLiteral("code")).toInt());
        if (excluded.contains(code) || script.excluded.contains(code))
            continue;
        const int line = c.value(QStringLiteral("line")).toInt() - preludeLines;
        const int endLine = c.value(QStringLiteral("endLine")).toInt() - preludeLines;
        if (line < 1 || line > script.lineStarts.size())
            continue; // a finding on the prelude
        const int column = c.value(QStringLiteral("column")).toInt();
        const int endColumn = c.value(QStringLiteral("endColumn")).toInt();
        const diag::Position start = script.lineStarts.at(line - 1);
        const diag::Position endBase =
            script.lineStarts.at(qBound(1, endLine, int(script.lineStarts.size())) - 1);
        diag::Diagnostic d;
        d.severity = severityOf(c.value(QStringLiteral("level")).toString());
        d.code = code;
        d.message = c.value(QStringLiteral("message")).toString();
        d.file = script.file;
        d.range.start = {start.line, start.column + column - 1};
        d.range.end = endLine >= line ? diag::Position{endBase.line, endBase.column + endColumn - 1}
                                      : d.range.start;
        out.append(d);
    }
    return out;
}

diag::Diagnostics ShellCheck::check(const QList<ShellScript> &scripts, int timeoutMs) const
{
    diag::Diagnostics out;
    if (scripts.isEmpty() || !isAvailable())
        return out;
    const QString path =
        m_program.contains(u'/') ? m_program : QStandardPaths::findExecutable(m_program);
    QDeadlineTimer deadline(timeoutMs);
    // A few processes at once: one ShellCheck start costs far more than the analysis.
    constexpr int parallel = 4;
    for (qsizetype first = 0; first < scripts.size(); first += parallel) {
        struct Job
        {
            std::unique_ptr<QProcess> process;
            int prelude = 0;
            const ShellScript *script = nullptr;
        };
        std::vector<Job> jobs;
        for (qsizetype i = first; i < std::min(scripts.size(), first + parallel); ++i) {
            Job job;
            job.script = &scripts.at(i);
            job.process = std::make_unique<QProcess>();
            const QString text = prelude(*job.script, &job.prelude) + job.script->text;
            job.process->start(path, {QStringLiteral("--format=json1"), QStringLiteral("-s"),
                                      job.script->shell, QStringLiteral("-")});
            job.process->write(text.toUtf8());
            job.process->closeWriteChannel();
            jobs.push_back(std::move(job));
        }
        bool timedOut = false;
        for (Job &job : jobs) {
            const bool finished =
                !timedOut &&
                job.process->waitForFinished(int(std::max<qint64>(1, deadline.remainingTime())));
            if (!finished) {
                job.process->kill();
                job.process->waitForFinished(1000);
                if (!timedOut) {
                    // One note for the whole run, on the first script that did not finish.
                    const diag::Position where = job.script->lineStarts.value(0, {1, 1});
                    out.append(diag::make(
                        diag::Severity::Info, QStringLiteral("shellcheck-timeout"),
                        tr("ShellCheck did not finish within %1 ms").arg(timeoutMs),
                        job.script->file, where.line, where.column, where.line, where.column));
                }
                timedOut = true;
                continue;
            }
            out += mapFindings(job.process->readAllStandardOutput(), *job.script, job.prelude,
                               excluded);
        }
        if (timedOut || deadline.hasExpired())
            break;
    }
    return out;
}

QFuture<diag::Diagnostics> ShellCheck::checkAsync(const QList<ShellScript> &scripts,
                                                  int timeoutMs) const
{
    auto promise = std::make_shared<QPromise<diag::Diagnostics>>();
    QFuture<diag::Diagnostics> future = promise->future();
    promise->start();
    const ShellCheck self = *this; // shares the probe state
    QThreadPool::globalInstance()->start([promise, self, scripts, timeoutMs] {
        promise->addResult(self.check(scripts, timeoutMs));
        promise->finish();
    });
    return future;
}

diag::Diagnostics lintWithShellCheck(const Dockerfile &dockerfile, const LintOptions &options,
                                     const ShellCheck *shellcheck, int timeoutMs)
{
    diag::Diagnostics all = Linter::lint(dockerfile, options);
    const QList<ShellScript> scripts = Linter::shellScripts(dockerfile);
    if (scripts.isEmpty())
        return all;
    if (!shellcheck || !shellcheck->isAvailable()) {
        if (shellcheck)
            all.append(ShellCheck::unavailableNote(dockerfile.file,
                                                   scripts.first().lineStarts.value(0, {1, 1})));
    } else {
        all +=
            Linter::applySuppressions(dockerfile, shellcheck->check(scripts, timeoutMs), options);
    }
    diag::sortDiagnostics(all);
    return all;
}

} // namespace stagecraft::dockerfile
