#include "exec/docker/dockerclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>
#include <QVersionNumber>

#include <cerrno>
#include <cstring>
#include <curl/curl.h>
#include <mutex>

namespace stagecraft::exec {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::exec", text);
}

void globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The highest API version this client was written against; engines answer older paths too.
constexpr auto kMaxApi = "1.41";

struct Transfer
{
    QByteArray body;
    const DockerClient::Sink *sink = nullptr;
    const CancelFlag *cancel = nullptr;
    CURL *handle = nullptr;
    bool stoppedBySink = false;
};

size_t onWrite(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    if (t->cancel && t->cancel->load())
        return 0;
    long status = 0;
    curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &status);
    // Error replies of streaming calls carry the engine's message: keep them as the body.
    if (!t->sink || status < 200 || status >= 300) {
        t->body.append(data, qsizetype(n));
        return n;
    }
    if (!(*t->sink)(QByteArray(data, qsizetype(n)))) {
        t->stoppedBySink = true;
        return 0;
    }
    return n;
}

int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *t = static_cast<Transfer *>(user);
    return (t->cancel && t->cancel->load()) ? 1 : 0;
}

} // namespace

QString DockerEndpoint::defaultHost()
{
    return QStringLiteral("unix:///var/run/docker.sock");
}

DockerEndpoint DockerEndpoint::fromEnvironment(const QString &hostOverride)
{
    DockerEndpoint e;
    e.host = hostOverride;
    if (e.host.isEmpty())
        e.host = qEnvironmentVariable("DOCKER_HOST");
    if (e.host.isEmpty())
        e.host = defaultHost();
    // As the docker CLI: any non-empty DOCKER_TLS_VERIFY turns verification on.
    e.tlsVerify = !qEnvironmentVariable("DOCKER_TLS_VERIFY").isEmpty();
    e.certPath = qEnvironmentVariable("DOCKER_CERT_PATH");
    if (e.certPath.isEmpty())
        e.certPath = QDir::homePath() + QStringLiteral("/.docker");
    return e;
}

DockerClient::DockerClient(DockerEndpoint endpoint)
    : m_endpoint(std::move(endpoint))
{
    globalInit();
}

QString DockerClient::encode(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QByteArray DockerClient::url(const QString &path) const
{
    const bool unversioned = path.startsWith(u"/_ping") || path == u"/version";
    const QString versioned = unversioned ? path : u"/v" + m_apiVersion + path;
    if (m_endpoint.isUnixSocket())
        return "http://localhost" + versioned.toUtf8();
    QString hostPort = m_endpoint.host;
    hostPort.remove(QRegularExpression(QStringLiteral("^(tcp|https?)://")));
    while (hostPort.endsWith(u'/'))
        hostPort.chop(1);
    const bool tls = m_endpoint.tlsVerify || m_endpoint.host.startsWith(u"https://");
    return (tls ? "https://" : "http://") + hostPort.toUtf8() + versioned.toUtf8();
}

DockerClient::Reply DockerClient::call(const QByteArray &method, const QString &path,
                                       const QByteArray &body, const QByteArray &contentType,
                                       const CancelFlag *cancel, long timeoutSeconds) const
{
    const bool repeatable = method == "GET" || path.endsWith(u"/wait") || path.contains(u"/wait?");
    for (int attempt = 0;; ++attempt) {
        Reply reply = perform(method, path, body, contentType, nullptr, cancel, timeoutSeconds);
        if (!repeatable || attempt >= 5 || !isExitRace(reply) || (cancel && *cancel))
            return reply;
        QThread::msleep(20 * (attempt + 1));
    }
}

bool DockerClient::isExitRace(const Reply &reply)
{
    if (reply.ok() || !reply.curlError.isEmpty())
        return false;
    static const QRegularExpression race(
        QStringLiteral("read /proc/[0-9]+/cgroup: no such process"));
    return race.match(QString::fromUtf8(reply.body)).hasMatch();
}

DockerClient::Reply DockerClient::stream(const QByteArray &method, const QString &path,
                                         const QByteArray &body, const Sink &sink,
                                         const CancelFlag *cancel) const
{
    return perform(method, path, body, "application/json", &sink, cancel, 0);
}

DockerClient::Reply DockerClient::perform(const QByteArray &method, const QString &path,
                                          const QByteArray &body, const QByteArray &contentType,
                                          const Sink *sink, const CancelFlag *cancel,
                                          long timeoutSeconds) const
{
    Reply reply;
    static const QRegularExpression supported(QStringLiteral("^(unix|tcp|https?)://"));
    if (!supported.match(m_endpoint.host).hasMatch()) {
        // ssh:// and npipe:// need more than HTTP over a socket.
        reply.curlError = tr("unsupported protocol scheme \"%1\" (use unix:// or tcp://)")
                              .arg(m_endpoint.host.section(u':', 0, 0));
        return reply;
    }
    CURL *curl = curl_easy_init();
    if (!curl) {
        reply.curlError = tr("cannot initialise libcurl");
        return reply;
    }
    Transfer t;
    t.sink = sink;
    t.cancel = cancel;
    t.handle = curl;
    char errbuf[CURL_ERROR_SIZE] = {};
    const QByteArray u = url(path);
    curl_easy_setopt(curl, CURLOPT_URL, u.constData());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    // A hung engine must not hang the job (and the environment's destructor) for ever; streams
    // (scripts, pulls) run as long as they need and end with their cancel flag.
    if (timeoutSeconds <= 0 && !sink)
        timeoutSeconds = 600;
    if (timeoutSeconds > 0)
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeoutSeconds);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onWrite);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    QByteArray socketPath;
    if (m_endpoint.isUnixSocket()) {
        socketPath = m_endpoint.host.mid(7).toLocal8Bit();
        curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socketPath.constData());
    }
    QByteArray ca, cert, key;
    if (m_endpoint.tlsVerify) {
        ca = QDir(m_endpoint.certPath).filePath(QStringLiteral("ca.pem")).toLocal8Bit();
        cert = QDir(m_endpoint.certPath).filePath(QStringLiteral("cert.pem")).toLocal8Bit();
        key = QDir(m_endpoint.certPath).filePath(QStringLiteral("key.pem")).toLocal8Bit();
        curl_easy_setopt(curl, CURLOPT_CAINFO, ca.constData());
        curl_easy_setopt(curl, CURLOPT_SSLCERT, cert.constData());
        curl_easy_setopt(curl, CURLOPT_SSLKEY, key.constData());
    }
    struct curl_slist *headers = nullptr;
    const QByteArray typeHeader = "Content-Type: " + contentType;
    if (method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        if (method == "POST")
            curl_easy_setopt(curl, CURLOPT_POST, 1L);
        else
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.constData());
        if (method != "DELETE" || !body.isEmpty()) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.constData());
            headers = curl_slist_append(headers, typeHeader.constData());
        }
    }
    // No "Expect: 100-continue" round trip for uploads.
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    reply.body = std::move(t.body);
    if (rc == CURLE_ABORTED_BY_CALLBACK || (rc == CURLE_WRITE_ERROR && cancel && cancel->load())) {
        reply.canceled = true;
    } else if (rc == CURLE_WRITE_ERROR && t.stoppedBySink) {
        // The sink had what it wanted: not an error.
    } else if (rc != CURLE_OK) {
        long osErrno = 0;
        curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
        if (rc == CURLE_COULDNT_CONNECT && osErrno != 0) {
            // The reason as the docker CLI (Go's net package) words it.
            const QString reason = QString::fromLocal8Bit(std::strerror(int(osErrno))).toLower();
            if (m_endpoint.isUnixSocket())
                reply.curlError = QStringLiteral("dial unix %1: connect: %2")
                                      .arg(QString::fromLocal8Bit(socketPath), reason);
            else
                reply.curlError =
                    QStringLiteral("dial tcp %1: connect: %2")
                        .arg(QString(m_endpoint.host).remove(QStringLiteral("tcp://")), reason);
        } else {
            reply.curlError = errbuf[0] ? QString::fromLocal8Bit(errbuf)
                                        : QString::fromLatin1(curl_easy_strerror(rc));
        }
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return reply;
}

bool DockerClient::negotiate(QString *error)
{
    const Reply ping = call("GET", QStringLiteral("/_ping"), {}, "application/json", nullptr, 15);
    if (!ping.ok()) {
        if (error)
            *error = errorText(ping);
        return false;
    }
    // Unversioned, so that an engine older than this client answers too.
    const Reply v = call("GET", QStringLiteral("/version"), {}, "application/json", nullptr, 15);
    const QJsonObject o = v.json().object();
    const QString server = o.value(u"ApiVersion").toString();
    if (!server.isEmpty()) {
        const QVersionNumber mine = QVersionNumber::fromString(QLatin1String(kMaxApi));
        const QVersionNumber theirs = QVersionNumber::fromString(server);
        m_apiVersion = theirs < mine ? server : QLatin1String(kMaxApi);
    }
    m_serverVersion = o.value(u"Version").toString();
    const QJsonArray components = o.value(u"Components").toArray();
    m_podman = !components.isEmpty() &&
               components.first().toObject().value(u"Name").toString().contains(u"Podman");
    return true;
}

QString DockerClient::errorText(const Reply &reply) const
{
    if (reply.canceled)
        return tr("canceled");
    if (!reply.curlError.isEmpty())
        return tr("Cannot connect to the Docker daemon at %1: %2. Is the docker daemon running?")
            .arg(m_endpoint.host, reply.curlError);
    QString message = reply.json().object().value(u"message").toString();
    if (message.isEmpty())
        message = QString::fromUtf8(reply.body).trimmed();
    if (message.isEmpty())
        message = tr("HTTP status %1").arg(reply.status);
    return tr("Error response from daemon: %1").arg(message);
}

void StreamDemuxer::feed(const QByteArray &bytes)
{
    m_buffer.append(bytes);
    qsizetype pos = 0;
    while (m_buffer.size() - pos >= 8) {
        const auto *h = reinterpret_cast<const unsigned char *>(m_buffer.constData() + pos);
        const quint32 length =
            (quint32(h[4]) << 24) | (quint32(h[5]) << 16) | (quint32(h[6]) << 8) | quint32(h[7]);
        if (m_buffer.size() - pos - 8 < qsizetype(length))
            break;
        m_sink(int(h[0]), m_buffer.mid(pos + 8, qsizetype(length)));
        pos += 8 + qsizetype(length);
    }
    m_buffer.remove(0, pos);
}

QByteArray makeTar(const QList<TarEntry> &entries)
{
    QByteArray out;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (const TarEntry &e : entries) {
        QByteArray header(512, '\0');
        const QByteArray name = e.path.toUtf8();
        const bool folder = name.endsWith('/');
        // Short names only (scripts, variables): 100 bytes name + 155 bytes prefix.
        QByteArray prefix, base = name;
        if (base.size() > 99) {
            const qsizetype slash = base.lastIndexOf('/', base.size() - 2);
            prefix = base.left(slash);
            base = base.mid(slash + 1);
        }
        const auto put = [&header](int offset, const QByteArray &value) {
            std::memcpy(header.data() + offset, value.constData(), size_t(value.size()));
        };
        const auto octal = [](qint64 value, int width) {
            return QByteArray::number(value, 8).rightJustified(width - 1, '0');
        };
        put(0, base.left(100));
        put(100, octal(folder ? (e.mode | 0111) : e.mode, 8));
        put(108, octal(0, 8));
        put(116, octal(0, 8));
        put(124, octal(folder ? 0 : e.content.size(), 12));
        put(136, octal(now, 12));
        header[156] = folder ? '5' : '0';
        put(257, QByteArray("ustar\0"
                            "00",
                            8));
        put(265, "root");
        put(297, "root");
        put(345, prefix.left(155));
        std::memset(header.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (char c : std::as_const(header))
            sum += static_cast<unsigned char>(c);
        put(148, QByteArray::number(sum, 8).rightJustified(6, '0') + '\0' + ' ');
        out.append(header);
        if (!folder) {
            out.append(e.content);
            out.append(QByteArray((512 - e.content.size() % 512) % 512, '\0'));
        }
    }
    out.append(QByteArray(1024, '\0'));
    return out;
}

} // namespace stagecraft::exec
