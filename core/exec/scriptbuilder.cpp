#include "exec/scriptbuilder.h"

#include <QDateTime>

namespace stagecraft::exec {

namespace {

void flatten(const yaml::Node &node, QStringList &out)
{
    if (node.isScalar()) {
        out << node.scalar();
    } else if (node.isSequence()) {
        for (const yaml::Node &item : node.items())
            flatten(item, out);
    }
}

} // namespace

QStringList scriptCommands(const yaml::Node &node)
{
    QStringList out;
    flatten(node, out);
    return out;
}

QString shellQuote(const QString &text)
{
    QString out = text;
    out.replace(u'\'', QStringLiteral("'\\''"));
    return u'\'' + out + u'\'';
}

QString displayCommand(const QString &command)
{
    QString trimmed = command;
    while (!trimmed.isEmpty() && trimmed.back().isSpace())
        trimmed.chop(1);
    const qsizetype newline = trimmed.indexOf(u'\n');
    if (newline < 0)
        return trimmed;
    return trimmed.left(newline) + QStringLiteral(" # collapsed multi-line command");
}

QByteArray buildScript(const QStringList &commands, const ScriptOptions &options)
{
    QString body;
    for (const QString &line : options.prologue)
        body += line + u'\n';
    for (const QString &command : commands) {
        // The echo goes through printf with the text as an argument: no escape is interpreted.
        body += QStringLiteral("printf '\\033[32;1m$ %s\\033[0;m\\n' ") +
                shellQuote(displayCommand(command)) + u'\n';
        body += command;
        if (!command.endsWith(u'\n'))
            body += u'\n';
    }
    // GitLab Runner tests for pipefail with `set -o | grep pipefail` (a shell without it must
    // not stop on `set -o pipefail`); a subshell tests the same without starting grep, which
    // was half of the cost of a trivial job.
    QString script = QStringLiteral("#!/usr/bin/env bash\n"
                                    "trap exit 1 TERM\n"
                                    "if (set -o pipefail) 2>/dev/null; then set -o pipefail; "
                                    "fi; set -o errexit\n"
                                    "set +o noclobber\n");
    if (options.debugTrace)
        script += QStringLiteral("set -o xtrace\n");
    script += QStringLiteral(": | eval ") + shellQuote(body) + QStringLiteral("\nexit 0\n");
    return script.toUtf8();
}

QByteArray sectionStart(const QString &name, const QString &title)
{
    return "section_start:" + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + ':' +
           name.toUtf8() + "\r\x1b[0K\x1b[0K" + ansi::boldCyan + title.toUtf8() + ansi::reset +
           '\n';
}

QByteArray sectionEnd(const QString &name)
{
    return "section_end:" + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + ':' +
           name.toUtf8() + "\r\x1b[0K\n";
}

QString goDuration(qint64 seconds)
{
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1h%2m%3s").arg(h).arg(m).arg(s);
    if (m > 0)
        return QStringLiteral("%1m%2s").arg(m).arg(s);
    return QStringLiteral("%1s").arg(s);
}

const char kDetectShell[] = "if [ -x /usr/local/bin/bash ]; then\n"
                            "\texec /usr/local/bin/bash \"$@\"\n"
                            "elif [ -x /usr/bin/bash ]; then\n"
                            "\texec /usr/bin/bash \"$@\"\n"
                            "elif [ -x /bin/bash ]; then\n"
                            "\texec /bin/bash \"$@\"\n"
                            "elif [ -x /usr/local/bin/sh ]; then\n"
                            "\texec /usr/local/bin/sh \"$@\"\n"
                            "elif [ -x /usr/bin/sh ]; then\n"
                            "\texec /usr/bin/sh \"$@\"\n"
                            "elif [ -x /bin/sh ]; then\n"
                            "\texec /bin/sh \"$@\"\n"
                            "elif [ -x /busybox/sh ]; then\n"
                            "\texec /busybox/sh \"$@\"\n"
                            "else\n"
                            "\techo shell not found\n"
                            "\texit 1\n"
                            "fi\n";

} // namespace stagecraft::exec
