#include "exec/kube/client.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslError>
#include <QTimeZone>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace stagecraft::exec::kube {

namespace {

QString ktr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

constexpr int kChunk = 64 * 1024;

QJsonObject parseObject(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Client

Client::Client(const Connection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_nam(new QNetworkAccessManager(this))
    , m_execProtocols{QStringLiteral("v5.channel.k8s.io"), QStringLiteral("v4.channel.k8s.io")}
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_nam->setProxy(proxy());
}

QNetworkProxy Client::proxy() const
{
    const QUrl &p = m_connection.proxy;
    if (p.isEmpty())
        return QNetworkProxy(QNetworkProxy::NoProxy);
    QNetworkProxy proxy(
        p.scheme() == u"socks5" ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, p.host(),
        quint16(p.port(p.scheme() == u"socks5" ? 1080 : 3128)), p.userName(), p.password());
    return proxy;
}

Client::~Client() = default;

QString Client::podsPath() const
{
    return resourcePath(QStringLiteral("pods"));
}

QString Client::podPath(const QString &name) const
{
    return resourcePath(QStringLiteral("pods"), name);
}

QString Client::resourcePath(const QString &plural, const QString &name) const
{
    QString path =
        QStringLiteral("/api/v1/namespaces/%1/%2")
            .arg(QString::fromLatin1(QUrl::toPercentEncoding(m_connection.nameSpace)), plural);
    if (!name.isEmpty())
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(name));
    return path;
}

QUrl Client::url(const QString &path, const QUrlQuery &query, bool webSocket) const
{
    QUrl url = m_connection.server;
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path, QUrl::TolerantMode);
    if (!query.isEmpty())
        url.setQuery(query);
    if (webSocket)
        url.setScheme(url.scheme() == u"http" ? QStringLiteral("ws") : QStringLiteral("wss"));
    return url;
}

QNetworkRequest Client::makeRequest(const QString &path, const QUrlQuery &query) const
{
    QNetworkRequest request(url(path, query));
    if (request.url().scheme() == u"https")
        request.setSslConfiguration(m_connection.ssl);
    if (!m_connection.token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_connection.token.toUtf8());
    else if (!m_connection.username.isEmpty())
        request.setRawHeader(
            "Authorization",
            "Basic " + (m_connection.username + u':' + m_connection.password).toUtf8().toBase64());
    if (!m_connection.tlsServerName.isEmpty())
        request.setPeerVerifyName(m_connection.tlsServerName);
    request.setRawHeader("Accept", "application/json");
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("stagecraft"));
    // A plain HTTP/1.1 connection: watches and log streams are long-lived responses.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    return request;
}

QString Client::describeFailure(int httpStatus, const QJsonObject &object,
                                const QString &networkError) const
{
    if (object.value(u"kind").toString() == u"Status") {
        const QString message = object.value(u"message").toString();
        if (!message.isEmpty())
            return message;
    }
    const QString server = m_connection.server.toString();
    if (httpStatus == 401)
        return ktr("the API server at %1 refused the credentials of context \"%2\" (401 "
                   "Unauthorized)")
            .arg(server, m_connection.contextName);
    if (httpStatus > 0)
        return ktr("the API server at %1 answered %2").arg(server).arg(httpStatus);
    return ktr("cannot reach the API server at %1 (context \"%2\"): %3")
        .arg(server, m_connection.contextName, networkError);
}

QNetworkReply *Client::request(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                               const QByteArray &body, const QByteArray &contentType,
                               Callback callback, int timeoutMs)
{
    QNetworkRequest req = makeRequest(path, query);
    if (timeoutMs > 0)
        req.setTransferTimeout(timeoutMs);
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = m_nam->sendCustomRequest(req, verb, body);
    auto sslErrors = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply, sslErrors](const auto &errors) {
        if (m_connection.insecure) {
            reply->ignoreSslErrors();
            return;
        }
        for (const QSslError &e : errors)
            sslErrors->append(e.errorString());
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, callback, sslErrors] {
        ApiResult r;
        r.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->isOpen())
            r.body = reply->readAll();
        r.object = parseObject(r.body);
        if (reply->error() != QNetworkReply::NoError || r.httpStatus >= 400 || r.httpStatus == 0) {
            QString network = reply->errorString();
            if (!sslErrors->isEmpty())
                network = ktr("TLS handshake failed: %1").arg(sslErrors->join(u"; "));
            r.error = describeFailure(r.httpStatus, r.object, network);
            r.reason = r.object.value(u"reason").toString();
        }
        reply->deleteLater();
        if (callback)
            callback(r);
    });
    return reply;
}

ApiResult Client::call(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                       const QByteArray &body, const QByteArray &contentType, int timeoutMs)
{
    QEventLoop loop;
    ApiResult result;
    bool done = false;
    request(
        verb, path, query, body, contentType,
        [&](const ApiResult &r) {
            result = r;
            done = true;
            loop.quit();
        },
        timeoutMs);
    if (!done)
        loop.exec();
    return result;
}

void Client::version(Callback callback)
{
    request("GET", QStringLiteral("/version"), {}, {}, {}, std::move(callback));
}

void Client::createPod(const QJsonObject &pod, Callback callback)
{
    createObject(QStringLiteral("pods"), pod, std::move(callback));
}

void Client::getPod(const QString &name, Callback callback)
{
    request("GET", podPath(name), {}, {}, {}, std::move(callback));
}

void Client::deletePod(const QString &name, Callback callback, int gracePeriodSeconds)
{
    const QJsonObject options{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                              {QStringLiteral("kind"), QStringLiteral("DeleteOptions")},
                              {QStringLiteral("gracePeriodSeconds"), gracePeriodSeconds},
                              {QStringLiteral("propagationPolicy"), QStringLiteral("Background")}};
    request("DELETE", podPath(name), {}, QJsonDocument(options).toJson(QJsonDocument::Compact),
            "application/json", std::move(callback));
}

void Client::listPods(const QString &labelSelector, Callback callback)
{
    QUrlQuery query;
    if (!labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"),
                           QString::fromLatin1(QUrl::toPercentEncoding(labelSelector)));
    request("GET", podsPath(), query, {}, {}, std::move(callback));
}

void Client::createObject(const QString &plural, const QJsonObject &object, Callback callback)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fieldValidation"), QStringLiteral("Strict"));
    request("POST", resourcePath(plural), query,
            QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json",
            std::move(callback));
}

void Client::deleteObject(const QString &plural, const QString &name, Callback callback)
{
    request("DELETE", resourcePath(plural, name), {}, {}, {}, std::move(callback));
}

void Client::setOwnerPod(const QString &plural, const QString &name, const QString &podName,
                         const QString &podUid, Callback callback)
{
    const QJsonObject owner{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                            {QStringLiteral("kind"), QStringLiteral("Pod")},
                            {QStringLiteral("name"), podName},
                            {QStringLiteral("uid"), podUid}};
    const QJsonObject patch{{QStringLiteral("metadata"),
                             QJsonObject{{QStringLiteral("ownerReferences"), QJsonArray{owner}}}}};
    request("PATCH", resourcePath(plural, name), {},
            QJsonDocument(patch).toJson(QJsonDocument::Compact), "application/merge-patch+json",
            std::move(callback));
}

ExecResult Client::exec(const QString &pod, const QString &container, const QStringList &command,
                        const QByteArray &stdinData, int timeoutMs)
{
    ExecResult result;
    ExecSession session(this, pod, container, command);
    if (!stdinData.isNull())
        session.setStdin(stdinData);
    QEventLoop loop;
    bool done = false;
    connect(&session, &ExecSession::stdoutData, &loop,
            [&](const QByteArray &b) { result.out += b; });
    connect(&session, &ExecSession::stderrData, &loop,
            [&](const QByteArray &b) { result.err += b; });
    connect(&session, &ExecSession::finished, &loop, [&](int code, const QString &error) {
        result.exitCode = code;
        result.error = error;
        done = true;
        loop.quit();
    });
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, [&] {
        session.abort();
        if (!done) {
            result.error = ktr("exec timed out after %1 s").arg(timeoutMs / 1000);
            done = true;
        }
        loop.quit();
    });
    timer.start(timeoutMs);
    session.start();
    if (!done)
        loop.exec();
    result.protocol = session.protocol();
    return result;
}

// ---------------------------------------------------------------------------------------------
// ExecSession

ExecSession::ExecSession(Client *client, const QString &pod, const QString &container,
                         const QStringList &command, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_pod(pod)
    , m_container(container)
    , m_command(command)
{
}

ExecSession::~ExecSession()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ExecSession::setStdin(const QByteArray &data, bool close)
{
    m_stdin = true;
    m_stdinData = data;
    m_closeStdin = close;
}

void ExecSession::start()
{
    QUrlQuery query;
    if (!m_container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), m_container);
    for (const QString &arg : m_command)
        query.addQueryItem(QStringLiteral("command"),
                           QString::fromLatin1(QUrl::toPercentEncoding(arg)));
    query.addQueryItem(QStringLiteral("stdin"),
                       m_stdin ? QStringLiteral("true") : QStringLiteral("false"));
    query.addQueryItem(QStringLiteral("stdout"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("stderr"), QStringLiteral("true"));
    QNetworkRequest request =
        m_client->makeRequest(m_client->podPath(m_pod) + QStringLiteral("/exec"), query);
    request.setUrl(m_client->url(m_client->podPath(m_pod) + QStringLiteral("/exec"), query, true));
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    if (request.url().scheme() == u"wss")
        m_socket->setSslConfiguration(m_client->connection().ssl);
    m_socket->setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
    m_socket->setProxy(m_client->proxy());
    connect(m_socket, &QWebSocket::connected, this, &ExecSession::onConnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &ExecSession::onMessage);
    connect(m_socket, &QWebSocket::disconnected, this, &ExecSession::onDisconnected);
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        if (m_client->connection().insecure) {
            m_socket->ignoreSslErrors();
            return;
        }
        for (const QSslError &e : errors)
            m_sslErrors << e.errorString();
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (!m_connected && !m_done) {
                    const QString error = m_socket->errorString();
                    m_socket->disconnect(this);
                    m_socket->abort();
                    explainHandshakeFailure(error);
                }
            });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(m_client->execProtocols());
    m_running = true;
    m_socket->open(request, options);
}

void ExecSession::explainHandshakeFailure(const QString &socketError)
{
    if (!m_sslErrors.isEmpty()) {
        finish(-1, m_client->describeFailure(
                       0, {}, ktr("TLS handshake failed: %1").arg(m_sslErrors.join(u"; "))));
        return;
    }
    // QWebSocket does not show the refused handshake's body: ask again without the upgrade to
    // get the API's Status (a 403 names what RBAC refused).
    QUrlQuery query;
    for (const QString &arg : m_command)
        query.addQueryItem(QStringLiteral("command"),
                           QString::fromLatin1(QUrl::toPercentEncoding(arg)));
    query.addQueryItem(QStringLiteral("container"), m_container);
    m_client->request(
        "GET", m_client->podPath(m_pod) + QStringLiteral("/exec"), query, {}, {},
        [this, socketError](const ApiResult &r) {
            QString error = r.error;
            // "Upgrade request required": the plain request got through, so the socket's own
            // error says more.
            if (r.httpStatus == 0 || error.isEmpty() || error == u"Upgrade request required") {
                error = socketError;
                m_failedToConnect = true;
            }
            finish(-1, ktr("exec in %1/%2 failed: %3").arg(m_pod, m_container, error));
        });
}

void ExecSession::onConnected()
{
    m_connected = true;
    m_protocol = m_socket->subprotocol();
    if (!m_stdin)
        return;
    for (qsizetype i = 0; i < m_stdinData.size(); i += kChunk)
        m_socket->sendBinaryMessage(QByteArray(1, '\0') + m_stdinData.mid(i, kChunk));
    m_stdinData.clear();
    if (m_closeStdin && m_protocol == u"v5.channel.k8s.io")
        m_socket->sendBinaryMessage(QByteArray("\xff\x00", 2));
}

void ExecSession::onMessage(const QByteArray &message)
{
    if (message.isEmpty())
        return;
    const char channel = message.at(0);
    const QByteArray payload = message.mid(1);
    switch (channel) {
    case 1:
        Q_EMIT stdoutData(payload);
        break;
    case 2:
        Q_EMIT stderrData(payload);
        break;
    case 3: {
        const QJsonObject status = parseObject(payload);
        m_haveStatus = true;
        if (status.value(u"status").toString() == u"Success") {
            m_exitCode = 0;
            break;
        }
        const auto causes = status.value(u"details").toObject().value(u"causes").toArray();
        for (const auto &cause : causes) {
            const QJsonObject c = cause.toObject();
            if (c.value(u"reason").toString() == u"ExitCode")
                m_exitCode = c.value(u"message").toString().toInt();
        }
        if (status.value(u"reason").toString() != u"NonZeroExitCode")
            m_statusError = status.value(u"message").toString();
        break;
    }
    default:
        break;
    }
}

void ExecSession::onDisconnected()
{
    if (!m_connected)
        return; // handshake failures are handled by errorOccurred
    if (m_haveStatus)
        finish(m_statusError.isEmpty() ? m_exitCode : -1, m_statusError);
    else
        finish(-1, ktr("the exec stream of %1/%2 ended before the command's exit status arrived")
                       .arg(m_pod, m_container));
}

void ExecSession::abort()
{
    if (m_done)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    finish(m_haveStatus ? m_exitCode : -1, m_haveStatus ? QString() : ktr("aborted"));
}

void ExecSession::finish(int code, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_running = false;
    Q_EMIT finished(code, error);
}

// ---------------------------------------------------------------------------------------------
// PodWatcher

PodWatcher::PodWatcher(Client *client, const QString &pod, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_pod(pod)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &PodWatcher::poll);
}

PodWatcher::~PodWatcher()
{
    stop();
}

void PodWatcher::start(const QString &resourceVersion)
{
    m_stopped = false;
    m_resourceVersion = resourceVersion;
    openWatch();
}

void PodWatcher::stop()
{
    m_stopped = true;
    m_pollTimer.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void PodWatcher::openWatch()
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("1"));
    query.addQueryItem(
        QStringLiteral("fieldSelector"),
        QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("metadata.name=") + m_pod)));
    if (!m_resourceVersion.isEmpty())
        query.addQueryItem(QStringLiteral("resourceVersion"), m_resourceVersion);
    m_buffer.clear();
    QNetworkReply *reply = m_client->request(
        "GET", m_client->podsPath(), query, {}, {},
        [this](const ApiResult &r) {
            if (m_stopped)
                return;
            if (!r.ok() || ++m_watchFailures > 3) {
                fallBackToPolling();
                return;
            }
            openWatch(); // the server ended the watch: open it again from the last version
        },
        0);
    m_reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            return;
        m_buffer += reply->readAll();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(nl);
            m_buffer.remove(0, nl + 1);
            const QJsonObject event = parseObject(line);
            const QString type = event.value(u"type").toString();
            const QJsonObject object = event.value(u"object").toObject();
            if (type == u"ERROR") {
                // 410 Gone: our version is too old; start again from the current state.
                m_resourceVersion.clear();
                continue;
            }
            m_resourceVersion =
                object.value(u"metadata").toObject().value(u"resourceVersion").toString();
            if (type == u"DELETED")
                Q_EMIT deleted();
            else if (type == u"ADDED" || type == u"MODIFIED")
                Q_EMIT changed(object);
        }
    });
}

void PodWatcher::fallBackToPolling()
{
    m_polling = true;
    poll();
}

void PodWatcher::poll()
{
    if (m_stopped)
        return;
    m_client->getPod(m_pod, [this](const ApiResult &r) {
        if (m_stopped)
            return;
        if (r.httpStatus == 404) {
            Q_EMIT deleted();
            return;
        }
        if (!r.ok()) {
            Q_EMIT failed(r.error);
            return;
        }
        Q_EMIT changed(r.object);
        if (!m_stopped)
            m_pollTimer.start(m_pollInterval);
    });
}

// ---------------------------------------------------------------------------------------------
// LogFollower

LogFollower::LogFollower(Client *client, const QString &pod, const QString &container,
                         QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_pod(pod)
    , m_container(container)
{
}

LogFollower::~LogFollower()
{
    stop();
}

std::optional<LogFollower::Stamp> LogFollower::parseStamp(QByteArrayView text)
{
    // RFC 3339 with up to nine fractional digits (Go trims trailing zeros).
    const QString s = QString::fromLatin1(text);
    const qsizetype dot = s.indexOf(u'.');
    qsizetype zone = s.indexOf(u'Z');
    if (zone < 0)
        zone = s.lastIndexOf(u'+');
    if (zone < 0 || zone < 19)
        return std::nullopt;
    const QString whole = s.left(dot >= 0 ? dot : zone) + s.mid(zone);
    const QDateTime dt = QDateTime::fromString(whole, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    Stamp stamp;
    stamp.seconds = dt.toSecsSinceEpoch();
    if (dot >= 0) {
        QString frac = s.mid(dot + 1, zone - dot - 1);
        frac = frac.leftJustified(9, u'0', true);
        stamp.nanos = frac.toInt();
    }
    return stamp;
}

void LogFollower::start()
{
    m_stopped = false;
    open(true);
}

void LogFollower::stop()
{
    m_stopped = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void LogFollower::finish()
{
    if (m_stopped)
        return;
    onData();
    if (!m_buffer.isEmpty())
        handleLine(m_buffer);
    m_buffer.clear();
    stop();
}

void LogFollower::open(bool follow)
{
    m_follow = follow;
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("container"), m_container);
    if (follow)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    if (m_haveLast) {
        // sinceTime has second precision: lines of that second come again and are dropped.
        const QString since = QDateTime::fromSecsSinceEpoch(m_last.seconds, QTimeZone::utc())
                                  .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        query.addQueryItem(QStringLiteral("sinceTime"),
                           QString::fromLatin1(QUrl::toPercentEncoding(since)));
        m_skipSame = m_sameCount;
    }
    m_buffer.clear();
    QNetworkReply *reply = m_client->request(
        "GET", m_client->podPath(m_pod) + QStringLiteral("/log"), query, {}, {},
        [this](const ApiResult &r) {
            if (m_stopped)
                return;
            if (r.httpStatus == 400 && r.error.contains(u"waiting to start")) {
                QTimer::singleShot(500, this, [this] {
                    if (!m_stopped)
                        open(true);
                });
                return;
            }
            if (r.httpStatus >= 400) {
                end(r.error);
                return;
            }
            // The rest of the body (normally consumed by onData).
            m_buffer += r.body;
            drain();
            onFinished();
        },
        0);
    m_reply = reply;
    connect(reply, &QNetworkReply::readyRead, this, &LogFollower::onData);
}

void LogFollower::onData()
{
    if (!m_reply)
        return;
    if (m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return;
    m_buffer += m_reply->readAll();
    drain();
}

void LogFollower::drain()
{
    qsizetype nl;
    while ((nl = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray raw = m_buffer.left(nl + 1);
        m_buffer.remove(0, nl + 1);
        handleLine(raw);
    }
}

void LogFollower::handleLine(const QByteArray &raw)
{
    const qsizetype space = raw.indexOf(' ');
    const auto stamp = parseStamp(QByteArrayView(raw).first(space < 0 ? 0 : space));
    if (!stamp) {
        Q_EMIT line(raw, QString());
        return;
    }
    if (m_haveLast) {
        if (*stamp < m_last)
            return;
        if (*stamp == m_last && m_skipSame > 0) {
            --m_skipSame;
            return;
        }
    }
    if (m_haveLast && *stamp == m_last) {
        ++m_sameCount;
    } else {
        m_last = *stamp;
        m_sameCount = 1;
        m_haveLast = true;
    }
    m_skipSame = 0;
    Q_EMIT line(raw.mid(space + 1), QString::fromLatin1(raw.left(space)));
}

void LogFollower::onFinished()
{
    // Complete lines were handled; a partial one is kept only when the stream really ended.
    if (!m_follow) {
        if (!m_buffer.isEmpty())
            handleLine(m_buffer);
        m_buffer.clear();
        end(QString());
        return;
    }
    // The stream ended: the container terminated, or the connection dropped. Ask the pod.
    checkContainer();
}

void LogFollower::checkContainer()
{
    // The follower may go before the answer comes (the job ends): the client outlives it.
    QPointer<LogFollower> self(this);
    m_client->getPod(m_pod, [this, self](const ApiResult &r) {
        if (!self || m_stopped)
            return;
        if (!r.ok()) {
            end(r.error);
            return;
        }
        bool terminated = false;
        const auto statuses =
            r.object.value(u"status").toObject().value(u"containerStatuses").toArray();
        for (const auto &s : statuses) {
            const QJsonObject o = s.toObject();
            if (o.value(u"name").toString() == m_container)
                terminated = o.value(u"state").toObject().contains(u"terminated");
        }
        ++m_reconnects;
        // Terminated: one last read without follow picks up what the drop may have cut off.
        open(!terminated);
    });
}

void LogFollower::end(const QString &error)
{
    if (m_stopped)
        return;
    m_stopped = true;
    Q_EMIT finished(error);
}

} // namespace stagecraft::exec::kube

#include "moc_client.cpp"
