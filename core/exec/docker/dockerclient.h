#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>

#include <atomic>
#include <functional>

namespace stagecraft::exec {

/// Where the Docker Engine API is: `unix:///path` or `tcp://host:port`, with TLS as the docker CLI
/// reads it from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
struct DockerEndpoint
{
    QString host; ///< `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2376`
    bool tlsVerify = false;
    QString certPath; ///< folder with ca.pem, cert.pem, key.pem

    bool isUnixSocket() const { return host.startsWith(u"unix://"); }
    /// The endpoint the docker CLI would use: `hostOverride`, else DOCKER_HOST, else the default
    /// socket; TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH (default ~/.docker).
    static DockerEndpoint fromEnvironment(const QString &hostOverride = {});
    static QString defaultHost();
};

/// A cancellation flag shared between the thread that asks and the one that waits.
using CancelFlag = std::atomic<bool>;

/// The Docker Engine API spoken directly over libcurl (unix socket or TCP, optionally TLS). Every
/// call is blocking and makes its own curl handle, so one client may be used from several threads
/// at once; run calls off the GUI/engine thread. Works with Docker Engine and Podman's
/// Docker-compatible service.
class DockerClient
{
public:
    struct Reply
    {
        long status = 0; ///< HTTP status; 0 when the engine could not be reached
        QByteArray body;
        QString curlError; ///< transport error (connection refused, TLS, ...)
        bool canceled = false;
        bool ok() const
        {
            return curlError.isEmpty() && !canceled && status >= 200 && status < 300;
        }
        QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    };
    /// Receives streamed bytes as they arrive; return false to stop the stream.
    using Sink = std::function<bool(const QByteArray &)>;

    explicit DockerClient(DockerEndpoint endpoint = DockerEndpoint::fromEnvironment());

    const DockerEndpoint &endpoint() const { return m_endpoint; }
    /// Pings the engine and picks the API version: the server's, capped at 1.41 (what this client
    /// speaks). False with the docker CLI's wording when the engine cannot be reached.
    bool negotiate(QString *error = nullptr);
    QString apiVersion() const { return m_apiVersion; }
    void setApiVersion(const QString &version) { m_apiVersion = version; }
    /// The server's own version string and whether it is Podman (`Components[0].Name`).
    QString serverVersion() const { return m_serverVersion; }
    bool isPodman() const { return m_podman; }

    /// One request; `path` without the `/v1.xx` prefix (added except for `/_ping` and `/version`).
    Reply call(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QByteArray &contentType = "application/json",
               const CancelFlag *cancel = nullptr, long timeoutSeconds = 0) const; ///< 0: 600 s
    /// A streaming request: body bytes go to `sink` as they arrive (logs, exec attach, pull
    /// progress). Returns when the engine closes the stream, `sink` returns false, or `cancel`
    /// is set (then Reply::canceled).
    Reply stream(const QByteArray &method, const QString &path, const QByteArray &body,
                 const Sink &sink, const CancelFlag *cancel = nullptr) const;

    /// The user-facing text for a failed reply: "Cannot connect to the Docker daemon at
    /// unix:///x.sock: <reason>. Is the docker daemon running?" for transport errors, the engine's
    /// own `message` as the docker CLI shows it ("Error response from daemon: ...") otherwise.
    QString errorText(const Reply &reply) const;

    /// `%`-encodes a query value.
    static QString encode(const QString &value);

    /// Podman's compatible service can fail a call about a container whose process is exiting at
    /// that very moment with "read /proc/N/cgroup: no such process" (podman#16383, a race in
    /// reading the process's cgroup). `call` asks again for GETs and `/wait`; a failed `/start`
    /// is the caller's to check (the container may have run and exited).
    static bool isExitRace(const Reply &reply);

private:
    QByteArray url(const QString &path) const;
    Reply perform(const QByteArray &method, const QString &path, const QByteArray &body,
                  const QByteArray &contentType, const Sink *sink, const CancelFlag *cancel,
                  long timeoutSeconds) const;

    DockerEndpoint m_endpoint;
    QString m_apiVersion = QStringLiteral("1.41");
    QString m_serverVersion;
    bool m_podman = false;
};

/// Splits Docker's multiplexed attach stream (8-byte headers: stream type, 3 zero bytes, big-endian
/// length) back into stdout/stderr payloads, across chunk boundaries.
class StreamDemuxer
{
public:
    /// `onFrame(stream, payload)`: stream 1 stdout, 2 stderr (0 stdin).
    using FrameSink = std::function<void(int, const QByteArray &)>;
    explicit StreamDemuxer(FrameSink sink)
        : m_sink(std::move(sink))
    {
    }
    void feed(const QByteArray &bytes);
    /// Bytes received that do not (yet) form a complete frame.
    qsizetype pending() const { return m_buffer.size(); }

private:
    FrameSink m_sink;
    QByteArray m_buffer;
};

/// One file of a small in-memory tar archive (scripts, file variables) for PUT /archive.
struct TarEntry
{
    QString path; ///< relative, '/'-separated; folders end with '/'
    QByteArray content;
    int mode = 0644;
};
QByteArray makeTar(const QList<TarEntry> &entries);

} // namespace stagecraft::exec
