#include "recoverystore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace stagecraft::gui {

RecoveryStore::RecoveryStore(QString folder)
    : m_folder(folder.isEmpty()
                   ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                         u"/recovery"_qs
                   : std::move(folder))
{
}

QString RecoveryStore::projectFolder(const QString &projectRoot) const
{
    const QByteArray id = QCryptographicHash::hash(QDir(projectRoot).absolutePath().toUtf8(),
                                                   QCryptographicHash::Sha1)
                              .toHex()
                              .left(16);
    return m_folder + u'/' + QString::fromLatin1(id);
}

bool RecoveryStore::store(const QString &projectRoot,
                          const QHash<QString, QByteArray> &buffers) const
{
    if (buffers.isEmpty()) {
        clear(projectRoot);
        return true;
    }
    const QString dir = projectFolder(projectRoot);
    if (!QDir().mkpath(dir))
        return false;
    QJsonArray files;
    int n = 0;
    for (auto it = buffers.cbegin(); it != buffers.cend(); ++it, ++n) {
        const QString blob = u"buffer-%1"_qs.arg(n);
        QSaveFile f(dir + u'/' + blob);
        if (!f.open(QIODevice::WriteOnly) || f.write(it.value()) != it.value().size() ||
            !f.commit())
            return false;
        files.append(QJsonObject{{u"path"_qs, it.key()}, {u"blob"_qs, blob}});
    }
    // The manifest is written last: a crash while storing leaves the previous manifest valid.
    QSaveFile manifest(dir + u"/manifest.json"_qs);
    const QByteArray json =
        QJsonDocument(QJsonObject{{u"project"_qs, projectRoot}, {u"files"_qs, files}}).toJson();
    return manifest.open(QIODevice::WriteOnly) && manifest.write(json) == json.size() &&
           manifest.commit();
}

QHash<QString, QByteArray> RecoveryStore::load(const QString &projectRoot) const
{
    QHash<QString, QByteArray> out;
    const QString dir = projectFolder(projectRoot);
    QFile manifest(dir + u"/manifest.json"_qs);
    if (!manifest.open(QIODevice::ReadOnly))
        return out;
    const QJsonArray files =
        QJsonDocument::fromJson(manifest.readAll()).object().value(u"files").toArray();
    for (const QJsonValue &v : files) {
        const QJsonObject o = v.toObject();
        QFile blob(dir + u'/' + o.value(u"blob").toString());
        if (blob.open(QIODevice::ReadOnly))
            out.insert(o.value(u"path").toString(), blob.readAll());
    }
    return out;
}

bool RecoveryStore::has(const QString &projectRoot) const
{
    return QFile::exists(projectFolder(projectRoot) + u"/manifest.json"_qs);
}

QStringList RecoveryStore::projects() const
{
    QStringList out;
    const QFileInfoList manifests =
        QDir(m_folder).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time);
    for (const QFileInfo &dir : manifests) {
        QFile manifest(dir.filePath() + u"/manifest.json"_qs);
        if (!manifest.open(QIODevice::ReadOnly))
            continue;
        const QString project =
            QJsonDocument::fromJson(manifest.readAll()).object().value(u"project").toString();
        if (!project.isEmpty() && QDir(project).exists())
            out.append(project);
    }
    return out;
}

void RecoveryStore::clear(const QString &projectRoot) const
{
    QDir(projectFolder(projectRoot)).removeRecursively();
}

} // namespace stagecraft::gui
