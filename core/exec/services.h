#pragma once

#include "exec/backend.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

namespace stagecraft::exec {

/// The host names a service answers to, derived as GitLab Runner does (`SplitNameAndVersion` in
/// common/services.go): the image name without tag, digest and registry port, with `/` replaced
/// by `__`, then the RFC 1123 variant with `/` replaced by `-` (when different), then the
/// explicit `alias:` entries (comma- or space-separated), without duplicates.
///   `docker:24-dind` -> docker
///   `registry.x/grp/pg:15` -> registry.x__grp__pg, registry.x-grp-pg
///   `registry-1.docker.io:443/library/nginx:1.29` -> registry-1.docker.io__library__nginx,
///   registry-1.docker.io-library-nginx
QStringList serviceAliases(const QString &imageName, const QString &explicitAlias = {});

/// The image reference split as Docker does: `registry:5000/grp/img:tag@sha256:...` ->
/// repository `registry:5000/grp/img`, tag `tag`, digest `sha256:...`.
struct ImageReference
{
    QString repository;
    QString tag;    ///< empty when none was given
    QString digest; ///< empty when none was given
};
ImageReference parseImageReference(const QString &image);

/// Whether the job asked for its services' logs in the trace: `CI_DEBUG_SERVICES` (the last
/// definition) read as GitLab Runner reads it, with Go's strconv.ParseBool (1, t, T, TRUE, true,
/// True; 0, f, F, FALSE, false, False). Unset or empty: false. Another value is false too, and
/// `warning` receives GitLab Runner's words: "failed to parse value 'yes' for CI_DEBUG_SERVICES
/// variable: strconv.ParseBool: parsing "yes": invalid syntax".
bool debugServicesEnabled(const QList<JobVariable> &variables, QString *warning = nullptr);

/// The name in a service's log lines, `[service:<name>]`: its host names joined with '-'
/// (`postgres` with `alias: db` -> `postgres-db`), as GitLab Runner joins the service's links.
QString serviceLogName(const ServiceSpec &service);

/// Turns a service container's log into trace lines as GitLab Runner's inline service log writer
/// does: `<grey>[service:<name>] <line><reset>\n`, where the line starts with the engine's
/// timestamp (the log is asked for with timestamps). Whole lines only: a partial line waits for
/// its end, or for flush() when the stream ends. One writer per stream (stdout and stderr are
/// written apart: their partial lines must not mix).
class ServiceLogWriter
{
public:
    explicit ServiceLogWriter(const QString &name);
    /// One entry of the log as the engine sends it (one frame of Docker's or Podman's log
    /// stream: its timestamp, a space, the text); returns the trace lines of the lines it
    /// completes (may be empty). The end of a partial line comes with the next entry: that
    /// entry's timestamp is dropped, the line keeps its first (as the kubelet joins them).
    QByteArray feed(const QByteArray &entry);
    /// The trace line of a last line without its newline (empty when there is none).
    QByteArray flush();
    /// One line (without its newline) as the trace shows it.
    QByteArray line(const QByteArray &text) const;
    /// The length of the timestamp and space an entry starts with (RFC 3339, as Docker, Podman
    /// and the kubelet write it); 0 when it starts with none.
    static qsizetype timestampLength(QByteArrayView entry);

private:
    QByteArray m_prefix;
    QByteArray m_pending;
};

/// Merges service log lines into a job's output without breaking the job's lines: while the job
/// has begun a line (its output so far does not end with a newline), service lines are held and
/// come once the job ends that line, or on release() (a newline first: the job's line goes on
/// after them). Everything of the job passes through job(), in order.
class ServiceLineMerger
{
public:
    /// The job's bytes; returns what to write: them, then the lines held while the line they
    /// end was open.
    QByteArray job(const QByteArray &bytes);
    /// Whole service lines; returns them, or nothing while the job's line is open (held).
    QByteArray service(const QByteArray &lines);
    /// The held lines, after a newline when the job's line is open (empty when none are held).
    QByteArray release();
    bool holding() const { return !m_held.isEmpty(); }
    /// The job's output so far ends inside a line.
    bool lineOpen() const { return m_open; }

private:
    bool m_open = false;
    QByteArray m_held;
};

} // namespace stagecraft::exec
