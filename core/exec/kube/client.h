#pragma once

#include "exec/kube/kubeconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrlQuery>

#include <functional>

class QNetworkReply;
class QNetworkProxy;
class QWebSocket;

namespace stagecraft::exec::kube {

/// The outcome of one REST call.
struct ApiResult
{
    int httpStatus = 0; ///< 0: no HTTP answer (connection, TLS)
    QByteArray body;
    QJsonObject object; ///< the body as JSON (a Pod, a Status, a list)
    QString error;      ///< empty on success; the API's own Status.message when it sent one
    QString reason;     ///< Status.reason (NotFound, AlreadyExists, Forbidden, Invalid, ...)
    bool ok() const { return error.isEmpty(); }
};

/// The outcome of an exec.
struct ExecResult
{
    int exitCode = -1; ///< from the channel-3 Status; -1 when the stream broke or exec failed
    QByteArray out;
    QByteArray err;
    QString error;
    QString protocol; ///< negotiated sub-protocol (v5.channel.k8s.io, v4.channel.k8s.io)
};

/// A small Kubernetes API client for one context: REST over QNetworkAccessManager, exec over
/// QWebSocket, both with the kubeconfig's TLS configuration and credentials. Asynchronous calls
/// report through callbacks in the client's thread; call() and exec() are synchronous
/// conveniences that run a local event loop (for initialize() and tests, not for the engine).
class Client : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const ApiResult &)>;

    explicit Client(const Connection &connection, QObject *parent = nullptr);
    ~Client() override;

    const Connection &connection() const { return m_connection; }
    QString nameSpace() const { return m_connection.nameSpace; }
    void setNameSpace(const QString &ns) { m_connection.nameSpace = ns; }
    /// Sub-protocols offered for exec, best first (tests narrow this to v4).
    void setExecProtocols(const QStringList &protocols) { m_execProtocols = protocols; }
    QStringList execProtocols() const { return m_execProtocols; }

    QString podsPath() const;
    QString podPath(const QString &name) const;
    QString resourcePath(const QString &plural, const QString &name = {}) const;

    QNetworkRequest makeRequest(const QString &path, const QUrlQuery &query = {}) const;
    /// The kubeconfig's proxy-url for QNetworkAccessManager and QWebSocket (none: direct).
    QNetworkProxy proxy() const;
    QUrl url(const QString &path, const QUrlQuery &query = {}, bool webSocket = false) const;

    /// One REST call; `callback` gets the result (also on errors). Returns the reply (owned by
    /// the client; deleted after the callback) so that callers can abort it.
    QNetworkReply *request(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                           const QByteArray &body, const QByteArray &contentType, Callback callback,
                           int timeoutMs = 30000);
    ApiResult call(const QByteArray &verb, const QString &path, const QUrlQuery &query = {},
                   const QByteArray &body = {}, const QByteArray &contentType = "application/json",
                   int timeoutMs = 30000);

    // The calls the executor uses (asynchronous).
    void version(Callback callback);
    void createPod(const QJsonObject &pod, Callback callback);
    void getPod(const QString &name, Callback callback);
    void deletePod(const QString &name, Callback callback, int gracePeriodSeconds = 0);
    void listPods(const QString &labelSelector, Callback callback);
    void createObject(const QString &plural, const QJsonObject &object, Callback callback);
    void deleteObject(const QString &plural, const QString &name, Callback callback);
    /// Merge-patches metadata.ownerReferences so the object goes with the pod.
    void setOwnerPod(const QString &plural, const QString &name, const QString &podName,
                     const QString &podUid, Callback callback);

    /// Human-readable message for a failed reply: the API's Status.message, else the network
    /// or TLS error with the server's address.
    QString describeFailure(int httpStatus, const QJsonObject &object,
                            const QString &networkError) const;

    /// Synchronous exec (local event loop).
    ExecResult exec(const QString &pod, const QString &container, const QStringList &command,
                    const QByteArray &stdinData = {}, int timeoutMs = 60000);

private:
    friend class ExecSession;
    Connection m_connection;
    QNetworkAccessManager *m_nam;
    QStringList m_execProtocols;
};

/// An exec into a container over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io): stdin on
/// channel 0 (closed with v5's CLOSE frame), stdout 1, stderr 2, the Status on channel 3 with the
/// exit code.
class ExecSession : public QObject
{
    Q_OBJECT
public:
    ExecSession(Client *client, const QString &pod, const QString &container,
                const QStringList &command, QObject *parent = nullptr);
    ~ExecSession() override;
    /// Data sent once connected; with `close` stdin is closed afterwards (v5 only: on v4 the
    /// command must know where its input ends).
    void setStdin(const QByteArray &data, bool close = true);
    void setStdinEnabled(bool enabled) { m_stdin = enabled; }
    void start();
    /// Closes the stream; finished() follows with -1 unless the status already arrived.
    void abort();
    QString protocol() const { return m_protocol; }
    bool isRunning() const { return m_running; }
    /// The session failed before the WebSocket opened and the API refused nothing (a dropped
    /// connection or TLS handshake, not a Status such as 403): nothing ran, asking again is safe.
    bool failedToConnect() const { return m_failedToConnect; }

Q_SIGNALS:
    void stdoutData(const QByteArray &bytes);
    void stderrData(const QByteArray &bytes);
    /// exitCode from the Status; -1 with `error` when the stream ended without one.
    void finished(int exitCode, const QString &error);

private:
    void onConnected();
    void onMessage(const QByteArray &message);
    void onDisconnected();
    void finish(int code, const QString &error);
    void explainHandshakeFailure(const QString &socketError);

    Client *m_client;
    QString m_pod;
    QString m_container;
    QStringList m_command;
    QByteArray m_stdinData;
    bool m_stdin = false;
    bool m_closeStdin = true;
    QWebSocket *m_socket = nullptr;
    QString m_protocol;
    bool m_running = false;
    bool m_done = false;
    bool m_failedToConnect = false;
    bool m_connected = false;
    bool m_haveStatus = false;
    int m_exitCode = -1;
    QString m_statusError;
    QStringList m_sslErrors;
};

/// A Pod's status as watched: `?watch=1` events (newline-delimited JSON), falling back to polling
/// GET every `pollInterval` when the watch cannot be opened or keeps breaking.
class PodWatcher : public QObject
{
    Q_OBJECT
public:
    PodWatcher(Client *client, const QString &pod, QObject *parent = nullptr);
    ~PodWatcher() override;
    void start(const QString &resourceVersion = {});
    void stop();
    void setPollInterval(int ms) { m_pollInterval = ms; }
    bool polling() const { return m_polling; }

Q_SIGNALS:
    void changed(const QJsonObject &pod);
    void deleted();
    void failed(const QString &error);

private:
    void openWatch();
    void poll();
    void fallBackToPolling();

    Client *m_client;
    QString m_pod;
    QString m_resourceVersion;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_buffer;
    QTimer m_pollTimer;
    int m_pollInterval = 1000;
    int m_watchFailures = 0;
    bool m_polling = false;
    bool m_stopped = false;
};

/// Follows a container's log (`follow=true&timestamps=true`). After a dropped stream it
/// reconnects with `sinceTime` (second precision) and drops the lines it already delivered by
/// their timestamps (and, for equal timestamps, by how many it delivered), so no line is lost or
/// repeated. Waits while the container is still starting (the API's 400 "waiting to start").
class LogFollower : public QObject
{
    Q_OBJECT
public:
    LogFollower(Client *client, const QString &pod, const QString &container,
                QObject *parent = nullptr);
    ~LogFollower() override;
    void start();
    void stop();
    /// Stops following, after delivering what arrived, a last partial line included (the one
    /// following ends, e.g. with the job: the line will not be completed for it).
    void finish();
    int reconnects() const { return m_reconnects; }

Q_SIGNALS:
    /// One line with its newline (the last line may lack it), without the timestamp.
    void line(const QByteArray &text, const QString &timestamp);
    void finished(const QString &error);

private:
    struct Stamp
    {
        qint64 seconds = 0;
        int nanos = 0;
        auto operator<=>(const Stamp &) const = default;
    };
    static std::optional<Stamp> parseStamp(QByteArrayView text);
    void open(bool follow);
    void onData();
    void drain();
    void onFinished();
    void handleLine(const QByteArray &raw);
    void checkContainer();
    void end(const QString &error);

    Client *m_client;
    QString m_pod;
    QString m_container;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_buffer;
    bool m_follow = true;
    bool m_haveLast = false;
    Stamp m_last;
    QString m_lastText;
    int m_sameCount = 0; ///< lines delivered with timestamp m_last
    int m_skipSame = 0;  ///< lines with timestamp m_last still to drop after a reconnect
    int m_reconnects = 0;
    bool m_stopped = false;
};

} // namespace stagecraft::exec::kube
