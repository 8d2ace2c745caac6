// The workspace functions on real folders: source snapshots of real git repositories, tar
// archives exchanged with the GNU tar and busybox programs, artifacts, dotenv and cache.

#include "exec/workspace.h"
#include "gitrepobuilder.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace stagecraft;
using namespace stagecraft::exec;

using gittest::RepoBuilder;

namespace {

void writeFile(const QString &path, const QByteArray &content, int mode = 0644)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), mode_t(mode));
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

int modeOf(const QString &path)
{
    struct stat st;
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 0777) : -1;
}

QString linkTarget(const QString &path)
{
    char buffer[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
    return n < 0 ? QString() : QString::fromUtf8(buffer, n);
}

void makeLink(const QString &target, const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QVERIFY(::symlink(QFile::encodeName(target).constData(), QFile::encodeName(path).constData()) ==
            0);
}

QStringList allFiles(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out.append(QDir(root).relativeFilePath(it.next()));
    out.sort();
    return out;
}

bool runTool(const QString &program, const QStringList &args, const QString &dir,
             QByteArray *err = nullptr);

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void snapshotRepository();
    void snapshotSubfolder();
    void snapshotPlainFolder();
    void snapshotNestedRepository();
    void snapshotRefusesInsideProject();
    void snapshotSpeed();

    void tarRoundTrip_data();
    void tarRoundTrip();
    void tarWithGnuTar_data();
    void tarWithGnuTar();
    void tarFromGnuTar_data();
    void tarFromGnuTar();
    void tarRefusesEscapes_data();
    void tarRefusesEscapes();

    void artifacts_data();
    void artifacts();
    void artifactsUntrackedAndRestore();
    void artifactsDotenv();
    void dotenv_data();
    void dotenv();
    void cacheKeys_data();
    void cacheKeys();
    void cacheRoundTrip();
    void cachePolicy();
};

void TestWorkspace::snapshotRepository()
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"project"_qs);
    QDir().mkpath(project);
    RepoBuilder repo(project);
    repo.write(u".gitignore"_qs, "*.log\nbuild/\n");
    repo.write(u"kept.txt"_qs, "committed\n");
    repo.write(u"modified.txt"_qs, "old\n");
    repo.write(u"deleted.txt"_qs, "gone soon\n");
    repo.write(u"src/run.sh"_qs, "#!/bin/sh\n");
    ::chmod(QFile::encodeName(project + u"/src/run.sh"_qs).constData(), 0755);
    makeLink(u"kept.txt"_qs, project + u"/link"_qs);
    repo.write(u"forced.log"_qs, "tracked although ignored\n");
    repo.remove(u".gitignore"_qs);
    repo.commit("initial");
    repo.write(u".gitignore"_qs, "*.log\nbuild/\n");
    repo.commit("ignore");
    repo.write(u"modified.txt"_qs, "new\n");
    repo.remove(u"deleted.txt"_qs);
    repo.write(u"untracked/deep/new.txt"_qs, "untracked\n");
    repo.write(u"ignored.log"_qs, "ignored\n");
    repo.write(u"build/out.o"_qs, "ignored folder\n");

    const QString dest = tmp.filePath(u"snap"_qs);
    const QByteArray indexBefore = readFile(project + u"/.git/index"_qs);
    const QFileInfo indexInfo(project + u"/.git/index"_qs);
    const QDateTime indexTime = indexInfo.lastModified();
    QString error;
    const auto files = snapshotSource(project, dest, &error);
    // Nothing written into the project, not even git's index.
    QCOMPARE(readFile(project + u"/.git/index"_qs), indexBefore);
    QCOMPARE(QFileInfo(project + u"/.git/index"_qs).lastModified(), indexTime);
    QVERIFY2(files, qPrintable(error));
    const QStringList expected{u".gitignore"_qs,
                               u"forced.log"_qs,
                               u"kept.txt"_qs,
                               u"link"_qs,
                               u"modified.txt"_qs,
                               u"src/run.sh"_qs,
                               u"untracked/deep/new.txt"_qs};
    QCOMPARE(*files, expected);
    QCOMPARE(allFiles(dest), expected);
    QCOMPARE(readFile(dest + u"/modified.txt"_qs), QByteArray("new\n"));
    QCOMPARE(linkTarget(dest + u"/link"_qs), u"kept.txt"_qs);
    QCOMPARE(modeOf(dest + u"/src/run.sh"_qs), 0755);
    QCOMPARE(modeOf(dest + u"/kept.txt"_qs), 0644);
    QVERIFY(!QFileInfo::exists(dest + u"/.git"_qs));
}

void TestWorkspace::snapshotSubfolder()
{
    QTemporaryDir tmp;
    const QString root = tmp.filePath(u"mono"_qs);
    QDir().mkpath(root);
    RepoBuilder repo(root);
    repo.write(u"other/a.txt"_qs, "a\n");
    repo.write(u"app/b.txt"_qs, "b\n");
    repo.write(u"app/.gitignore"_qs, "tmp/\n");
    repo.commit("initial");
    repo.write(u"app/new.txt"_qs, "new\n");
    repo.write(u"app/tmp/x"_qs, "ignored\n");
    repo.write(u"other/untracked.txt"_qs, "elsewhere\n");

    QString error;
    const auto files = snapshotSource(root + u"/app"_qs, tmp.filePath(u"snap"_qs), &error);
    QVERIFY2(files, qPrintable(error));
    QCOMPARE(*files, (QStringList{u".gitignore"_qs, u"b.txt"_qs, u"new.txt"_qs}));
}

void TestWorkspace::snapshotPlainFolder()
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"plain"_qs);
    writeFile(project + u"/a.txt"_qs, "a");
    writeFile(project + u"/.git/config"_qs, "not a repository");
    writeFile(project + u"/sub/.hidden"_qs, "h", 0600);
    QString error;
    const auto files = snapshotSource(project, tmp.filePath(u"snap"_qs), &error);
    QVERIFY2(files, qPrintable(error));
    QCOMPARE(*files, (QStringList{u"a.txt"_qs, u"sub/.hidden"_qs}));
    QCOMPARE(modeOf(tmp.filePath(u"snap/sub/.hidden"_qs)), 0600);
}

void TestWorkspace::snapshotNestedRepository()
{
    // An untracked clone inside the project (a vendored repository): its files, plainly.
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"outer"_qs);
    QDir().mkpath(project + u"/vendor/lib"_qs);
    RepoBuilder outer(project);
    outer.write(u"main.c"_qs, "int main;");
    outer.commit("outer");
    RepoBuilder inner(project + u"/vendor/lib"_qs);
    inner.write(u"lib.c"_qs, "int lib;");
    inner.commit("inner");
    QString error;
    const auto files = snapshotSource(project, tmp.filePath(u"snap"_qs), &error);
    QVERIFY2(files, qPrintable(error));
    QCOMPARE(*files, (QStringList{u"main.c"_qs, u"vendor/lib/lib.c"_qs}));
    QVERIFY(!QFileInfo::exists(tmp.filePath(u"snap/vendor/lib/.git"_qs)));
}

void TestWorkspace::snapshotRefusesInsideProject()
{
    QTemporaryDir tmp;
    writeFile(tmp.filePath(u"p/a.txt"_qs), "a");
    QString error;
    QVERIFY(!snapshotSource(tmp.filePath(u"p"_qs), tmp.filePath(u"p/.snap"_qs), &error));
    QCOMPARE(error, u"%1: the snapshot folder must not be inside the project %2"_qs.arg(
                        tmp.filePath(u"p/.snap"_qs), tmp.filePath(u"p"_qs)));
    QVERIFY(!QFileInfo::exists(tmp.filePath(u"p/.snap"_qs)));
    QVERIFY(!snapshotSource(tmp.filePath(u"nothere"_qs), tmp.filePath(u"s"_qs), &error));
    QCOMPARE(error, u"%1: no such project folder"_qs.arg(tmp.filePath(u"nothere"_qs)));
}

void TestWorkspace::snapshotSpeed()
{
    QTemporaryDir tmp;
    const QString project = tmp.filePath(u"big"_qs);
    QDir().mkpath(project);
    RepoBuilder repo(project);
    for (int i = 0; i < 5000; ++i)
        repo.write(u"d%1/f%2.txt"_qs.arg(i % 50).arg(i), QByteArray::number(i));
    repo.commit("many files");
    for (int i = 0; i < 100; ++i)
        repo.write(u"new/u%1.txt"_qs.arg(i), "u");
    // The bar: well under a second, unless this machine's file system is slow at the moment
    // (shared CI disks): then no worse than three times `cp -a` of the same tree.
    QElapsedTimer timer;
    timer.start();
    QVERIFY(runTool(u"cp"_qs, {u"-a"_qs, project, tmp.filePath(u"baseline"_qs)}, tmp.path()));
    const qint64 baseline = timer.elapsed();
    timer.restart();
    const auto files = snapshotSource(project, tmp.filePath(u"snap"_qs));
    const qint64 ms = timer.elapsed();
    QVERIFY(files);
    QCOMPARE(files->size(), 5100);
    qInfo("5,100 files in %lld ms (cp -a: %lld ms)", ms, baseline);
    QVERIFY2(ms < std::max<qint64>(1000, 3 * baseline), qPrintable(u"%1 ms"_qs.arg(ms)));
}

// ---- tar ------------------------------------------------------------------------------------

namespace {

/// A tree with what archives must carry: nested folders, modes, symlinks, long names.
void makeTree(const QString &root)
{
    writeFile(root + u"/a.txt"_qs, "alpha\n");
    writeFile(root + u"/bin/run.sh"_qs, "#!/bin/sh\necho hi\n", 0755);
    writeFile(root + u"/empty.bin"_qs, "");
    writeFile(root + u"/big.bin"_qs, QByteArray(70000, 'x') + "end");
    const QString longDir = u"very-long-folder-name-"_qs.repeated(5);
    writeFile(root + u"/"_qs + longDir + u"/"_qs + u"long-file-name-"_qs.repeated(8) + u".txt"_qs,
              "long\n");
    makeLink(u"a.txt"_qs, root + u"/link-to-a"_qs);
    makeLink(u"../"_qs + u"target-"_qs.repeated(20), root + u"/bin/long-link"_qs);
    QDir().mkpath(root + u"/empty-dir"_qs);
}

QStringList treeListing(const QString &root)
{
    QStringList out;
    QDirIterator it(root, QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo fi(path);
        QString line =
            QDir(root).relativeFilePath(path) + u" "_qs + QString::number(modeOf(path), 8);
        if (fi.isSymLink())
            line += u" -> "_qs + linkTarget(path);
        else if (fi.isFile())
            line += u" "_qs + QString::number(fi.size()) + u" "_qs +
                    QString::fromLatin1(readFile(path).left(5).toHex());
        out.append(line);
    }
    out.sort();
    return out;
}

bool runTool(const QString &program, const QStringList &args, const QString &dir, QByteArray *err)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.start(program, args);
    if (!p.waitForFinished(30000))
        return false;
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QStringList toolCommand(const QString &tool)
{
    if (tool == u"gnu"_qs)
        return {u"tar"_qs};
    return {u"busybox"_qs, u"tar"_qs};
}

} // namespace

void TestWorkspace::tarRoundTrip_data()
{
    QTest::addColumn<bool>("throughFolder");
    QTest::newRow("file list") << false;
    QTest::newRow("folder '.'") << true;
}

void TestWorkspace::tarRoundTrip()
{
    QFETCH(bool, throughFolder);
    QTemporaryDir tmp;
    const QString src = tmp.filePath(u"src"_qs);
    makeTree(src);
    QStringList files = throughFolder ? QStringList{u"."_qs} : allFiles(src);
    if (!throughFolder)
        files.append(u"empty-dir"_qs);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY2(writeTar(src, files, &buffer, &error), qPrintable(error));
    QCOMPARE(buffer.data().size() % 512, 0);
    buffer.close();
    buffer.open(QIODevice::ReadOnly);
    const QString out = tmp.filePath(u"out"_qs);
    QVERIFY2(extractTar(&buffer, out, &error), qPrintable(error));
    QCOMPARE(treeListing(out), treeListing(src));
}

void TestWorkspace::tarWithGnuTar_data()
{
    QTest::addColumn<QString>("tool");
    QTest::newRow("GNU tar") << u"gnu"_qs;
    QTest::newRow("busybox tar") << u"busybox"_qs;
}

void TestWorkspace::tarWithGnuTar()
{
    QFETCH(QString, tool);
    const QStringList cmd = toolCommand(tool);
    if (QStandardPaths::findExecutable(cmd.first()).isEmpty())
        QSKIP("the tar program is not installed");
    QTemporaryDir tmp;
    const QString src = tmp.filePath(u"src"_qs);
    makeTree(src);
    const QString archive = tmp.filePath(u"ours.tar"_qs);
    QFile f(archive);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QString error;
    QVERIFY2(writeTar(src, {u"."_qs}, &f, &error), qPrintable(error));
    f.close();
    const QString out = tmp.filePath(u"out"_qs);
    QDir().mkpath(out);
    QByteArray err;
    QVERIFY2(runTool(cmd.first(), cmd.mid(1) + QStringList{u"-xpf"_qs, archive}, out, &err),
             err.constData());
    QCOMPARE(treeListing(out), treeListing(src));
}

void TestWorkspace::tarFromGnuTar_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QStringList>("format");
    QTest::newRow("GNU tar, gnu format") << u"gnu"_qs << QStringList{u"--format=gnu"_qs};
    QTest::newRow("GNU tar, pax format") << u"gnu"_qs << QStringList{u"--format=pax"_qs};
    QTest::newRow("GNU tar, ustar format") << u"gnu"_qs << QStringList{u"--format=ustar"_qs};
    QTest::newRow("busybox tar") << u"busybox"_qs << QStringList();
    QTest::newRow("GNU tar, through a pipe") << u"gnu"_qs << QStringList{u"pipe"_qs};
}

void TestWorkspace::tarFromGnuTar()
{
    QFETCH(QString, tool);
    QFETCH(QStringList, format);
    const QStringList cmd = toolCommand(tool);
    if (QStandardPaths::findExecutable(cmd.first()).isEmpty())
        QSKIP("the tar program is not installed");
    QTemporaryDir tmp;
    const QString src = tmp.filePath(u"src"_qs);
    makeTree(src);
    if (format == QStringList{u"--format=ustar"_qs}) {
        // ustar has neither long link targets nor names over 155 + 100: the prefix/name split.
        QFile::remove(src + u"/bin/long-link"_qs);
        const QString longDir = src + u"/"_qs + u"very-long-folder-name-"_qs.repeated(5);
        QVERIFY(QDir(longDir).removeRecursively());
        writeFile(src + u"/"_qs + u"d"_qs.repeated(90) + u"/"_qs + u"f"_qs.repeated(90), "split\n");
    }
    if (format == QStringList{u"pipe"_qs}) {
        // A sequential device: GNU tar writing to its standard output as we read.
        QProcess p;
        p.setWorkingDirectory(src);
        p.start(u"tar"_qs, {u"-cf"_qs, u"-"_qs, u"."_qs});
        QVERIFY(p.waitForStarted());
        QString error;
        const QString out = tmp.filePath(u"out"_qs);
        QVERIFY2(extractTar(&p, out, &error), qPrintable(error));
        QVERIFY(p.waitForFinished());
        QCOMPARE(treeListing(out), treeListing(src));
        return;
    }
    const QString archive = tmp.filePath(u"theirs.tar"_qs);
    QByteArray err;
    QVERIFY2(runTool(cmd.first(), cmd.mid(1) + format + QStringList{u"-cf"_qs, archive, u"."_qs},
                     src, &err),
             err.constData());
    QFile f(archive);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QString error;
    const QString out = tmp.filePath(u"out"_qs);
    QVERIFY2(extractTar(&f, out, &error), qPrintable(error));
    QCOMPARE(treeListing(out), treeListing(src));
}

namespace {

QByteArray tarOf(const QList<std::tuple<QByteArray, char, QByteArray>> &entries)
{
    // name, type, link target or content: written with GNU tar's layout by hand so that the
    // archive can hold what our writer never produces.
    QByteArray out;
    for (const auto &[name, type, data] : entries) {
        QByteArray h(512, '\0');
        std::memcpy(h.data(), name.constData(), size_t(name.size()));
        std::memcpy(h.data() + 100, "0000644", 7);
        std::memcpy(h.data() + 108, "0000000", 7);
        std::memcpy(h.data() + 116, "0000000", 7);
        const QByteArray size =
            QByteArray::number(type == '0' ? data.size() : 0, 8).rightJustified(11, '0');
        std::memcpy(h.data() + 124, size.constData(), 11);
        std::memcpy(h.data() + 136, "00000000000", 11);
        h[156] = type;
        if (type == '2' || type == '1')
            std::memcpy(h.data() + 157, data.constData(), size_t(data.size()));
        std::memcpy(h.data() + 257,
                    "ustar\0"
                    "00",
                    8);
        std::memset(h.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (char c : h)
            sum += static_cast<unsigned char>(c);
        const QByteArray s = QByteArray::number(sum, 8).rightJustified(6, '0');
        std::memcpy(h.data() + 148, s.constData(), 6);
        h[154] = '\0';
        out += h;
        if (type == '0') {
            out += data;
            out += QByteArray((512 - data.size() % 512) % 512, '\0');
        }
    }
    out += QByteArray(1024, '\0');
    return out;
}

} // namespace

void TestWorkspace::tarRefusesEscapes_data()
{
    QTest::addColumn<QByteArray>("archive");
    QTest::addColumn<QString>("message");
    QTest::newRow("dot-dot") << tarOf({{"a/../../evil", '0', "x"}})
                             << u"refusing to extract \"a/../../evil\": the path leaves %1"_qs;
    QTest::newRow("absolute") << tarOf({{"/tmp/evil", '0', "x"}})
                              << u"refusing to extract \"/tmp/evil\": the path leaves %1"_qs;
    QTest::newRow("through a symlink")
        << tarOf({{"escape", '2', "/tmp"}, {"escape/evil", '0', "x"}})
        << u"refusing to extract \"escape/evil\": a parent folder is a symbolic link"_qs;
    QTest::newRow("hard link out")
        << tarOf({{"h", '1', "../../etc/passwd"}})
        << u"refusing to extract \"h\": the hard link target \"../../etc/passwd\" leaves %1"_qs;
    QTest::newRow("garbage") << QByteArray(1024, 'g')
                             << u"cannot read the archive: not a tar archive or corrupt (bad "
                                "header checksum)"_qs;
}

void TestWorkspace::tarRefusesEscapes()
{
    QFETCH(QByteArray, archive);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const QString dest = tmp.filePath(u"dest"_qs);
    QBuffer buffer(&archive);
    buffer.open(QIODevice::ReadOnly);
    QString error;
    QVERIFY(!extractTar(&buffer, dest, &error));
    QCOMPARE(error, message.contains(u"%1"_qs) ? message.arg(dest) : message);
    QVERIFY(!QFileInfo::exists(tmp.filePath(u"evil"_qs)));
    QVERIFY(!QFileInfo::exists(u"/tmp/evil"_qs));
}

// ---- artifacts ------------------------------------------------------------------------------

namespace {

/// The tree of gitlab-ci-local's artifacts-exclude case (files made by its script).
void makeArtifactTree(const QString &ws)
{
    for (const char *f : {"ux/q",
                          "ux/r",
                          "ux/s",
                          "ux/t",
                          "foo/a",
                          "foo/b",
                          "foo/c",
                          "foo/d",
                          "foo/bar/w",
                          "foo/bar/x",
                          "foo/bar/y",
                          "foo/bar/z",
                          "foo/bar/baz/m",
                          "foo/bar/baz/n",
                          "foo/bar/baz/o",
                          "foo/bar/baz/p",
                          "foo/qux/qu",
                          "foo/qux/u",
                          "foo/qux/v",
                          "foo/qux/w",
                          "foo/qux/x",
                          "foo/qux/qu ux/g",
                          "foo/qux/qu ux/h",
                          "foo/qux/qu ux/i",
                          "foo/qux/qu ux/j",
                          "foo/bar/baz/.xyzzy/.e",
                          "foo/bar/baz/.xyzzy/.f",
                          "path/crazylong/folder/log.txt",
                          "path/crazylong/folder/different.ext",
                          "log.txt"})
        writeFile(ws + u"/"_qs + QString::fromLatin1(f), "x");
}

} // namespace

void TestWorkspace::artifacts_data()
{
    QTest::addColumn<QStringList>("paths");
    QTest::addColumn<QStringList>("exclude");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("messages");
    QTest::addColumn<QStringList>("warnings");
    QTest::addColumn<QStringList>("errors");
    const QString noMatch = u"WARNING: %1: no matching files. Ensure that the artifact path is "
                            "relative to the working directory (/builds/grp/proj)"_qs;
    QTest::newRow("gitlab-ci-local artifacts-exclude")
        << QStringList{u"foo"_qs, u"ux"_qs}
        << QStringList{u"foo/qux/qu ux/**"_qs, u"foo/bar/**"_qs, u"foo/bar"_qs, u"foo/d"_qs,
                       u"xyzzy/**/*"_qs}
        << QStringList{u"foo/a"_qs,         u"foo/b"_qs,     u"foo/c"_qs,     u"foo/qux/qu"_qs,
                       u"foo/qux/qu ux"_qs, u"foo/qux/u"_qs, u"foo/qux/v"_qs, u"foo/qux/w"_qs,
                       u"foo/qux/x"_qs,     u"ux/q"_qs,      u"ux/r"_qs,      u"ux/s"_qs,
                       u"ux/t"_qs}
        << QStringList{u"foo: found 11 matching artifact files and directories"_qs,
                       u"ux: found 5 matching artifact files and directories"_qs}
        << QStringList() << QStringList();
    QTest::newRow("gitlab-ci-local artifacts-globstar")
        << QStringList{u"path/**/*.txt"_qs} << QStringList()
        << QStringList{u"path/crazylong/folder/log.txt"_qs}
        << QStringList{u"path/**/*.txt: found 1 matching artifact files and directories"_qs}
        << QStringList() << QStringList();
    QTest::newRow("** matches zero folders")
        << QStringList{u"**/log.txt"_qs} << QStringList()
        << QStringList{u"log.txt"_qs, u"path/crazylong/folder/log.txt"_qs}
        << QStringList{u"**/log.txt: found 2 matching artifact files and directories"_qs}
        << QStringList() << QStringList();
    QTest::newRow("no match, with a match")
        << QStringList{u"*/target"_qs, u"ux/q"_qs} << QStringList() << QStringList{u"ux/q"_qs}
        << QStringList{u"ux/q: found 1 matching artifact files and directories"_qs}
        << QStringList{noMatch.arg(u"*/target"_qs)} << QStringList();
    QTest::newRow("nothing at all")
        << QStringList{u"*/target"_qs} << QStringList() << QStringList() << QStringList()
        << QStringList{noMatch.arg(u"*/target"_qs)} << QStringList{u"ERROR: No files to upload"_qs};
    QTest::newRow("outside the project")
        << QStringList{u"../secret"_qs, u"/etc/passwd"_qs, u"/builds/grp/proj/ux/t"_qs}
        << QStringList() << QStringList{u"ux/t"_qs}
        << QStringList{u"/builds/grp/proj/ux/t: found 1 matching artifact files and directories"_qs}
        << QStringList{u"WARNING: ../secret: artifact path is not a subpath of project "
                       "directory: /builds/grp/proj"_qs,
                       u"WARNING: /etc/passwd: artifact path is not a subpath of project "
                       "directory: /builds/grp/proj"_qs}
        << QStringList();
    QTest::newRow("braces and classes")
        << QStringList{u"ux/{q,r}"_qs, u"foo/[ab]"_qs} << QStringList()
        << QStringList{u"foo/a"_qs, u"foo/b"_qs, u"ux/q"_qs, u"ux/r"_qs}
        << QStringList{u"ux/{q,r}: found 2 matching artifact files and directories"_qs,
                       u"foo/[ab]: found 2 matching artifact files and directories"_qs}
        << QStringList() << QStringList();
}

void TestWorkspace::artifacts()
{
    QFETCH(QStringList, paths);
    QFETCH(QStringList, exclude);
    QFETCH(QStringList, files);
    QFETCH(QStringList, messages);
    QFETCH(QStringList, warnings);
    QFETCH(QStringList, errors);
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(u"ws"_qs);
    makeArtifactTree(ws);
    ArtifactsSpec spec;
    spec.paths = paths;
    spec.exclude = exclude;
    spec.workingDirectory = u"/builds/grp/proj"_qs;
    const QString store = tmp.filePath(u"store"_qs);
    const CollectResult r = collectArtifacts(ws, spec, {}, store);
    QCOMPARE(r.files, files);
    QCOMPARE(r.messages, messages);
    QCOMPARE(r.warnings, warnings);
    QCOMPARE(r.errors, errors);
    // Stored as they are (the folder of the excluded "qu ux" files stays, empty).
    for (const QString &f : std::as_const(files))
        QVERIFY2(QFileInfo::exists(store + u"/"_qs + f), qPrintable(f));
    QCOMPARE(allFiles(store).size(), files.size() - (files.contains(u"foo/qux/qu ux"_qs) ? 1 : 0));
}

void TestWorkspace::artifactsUntrackedAndRestore()
{
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(u"ws"_qs);
    writeFile(ws + u"/src.c"_qs, "source");
    writeFile(ws + u"/out/app"_qs, "binary", 0755);
    writeFile(ws + u"/.git/HEAD"_qs, "ref");
    ArtifactsSpec spec;
    spec.untracked = true;
    const QString store = tmp.filePath(u"store"_qs);
    const CollectResult r = collectArtifacts(ws, spec, {u"src.c"_qs}, store);
    QCOMPARE(r.files, QStringList{u"out/app"_qs});
    QCOMPARE(r.messages, QStringList{u"untracked: found 1 files"_qs});
    QVERIFY(r.errors.isEmpty());

    const QString other = tmp.filePath(u"other"_qs);
    writeFile(other + u"/out/app"_qs, "old");
    QString error;
    QVERIFY2(restoreArtifacts(store, other, &error), qPrintable(error));
    QCOMPARE(readFile(other + u"/out/app"_qs), QByteArray("binary"));
    QCOMPARE(modeOf(other + u"/out/app"_qs), 0755);
    QVERIFY(!restoreArtifacts(tmp.filePath(u"none"_qs), other, &error));
    QCOMPARE(error, u"%1: no such artifacts folder"_qs.arg(tmp.filePath(u"none"_qs)));
}

void TestWorkspace::artifactsDotenv()
{
    // gitlab-ci-local's artifacts-reports-dotenv: the report reaches later jobs as variables,
    // not as a file.
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(u"ws"_qs);
    writeFile(ws + u"/build.env"_qs, "BUILD_VERSION=Hello\nQUOTED=\"a b\"\n");
    ArtifactsSpec spec;
    spec.dotenv = {u"build.env"_qs};
    const QString store = tmp.filePath(u"store"_qs);
    const CollectResult r = collectArtifacts(ws, spec, {}, store);
    QVERIFY(r.errors.isEmpty());
    QVERIFY(r.files.isEmpty());
    const QList<QPair<QString, QString>> expected{{u"BUILD_VERSION"_qs, u"Hello"_qs},
                                                  {u"QUOTED"_qs, u"a b"_qs}};
    QCOMPARE(r.dotenvVariables, expected);
    QCOMPARE(readFile(dotenvReportPath(store, u"build.env"_qs)),
             QByteArray("BUILD_VERSION=Hello\nQUOTED=\"a b\"\n"));
    const QString consumer = tmp.filePath(u"consumer"_qs);
    QVERIFY(restoreArtifacts(store, consumer));
    QCOMPARE(allFiles(consumer), QStringList());

    spec.dotenv = {u"missing.env"_qs};
    const CollectResult missing = collectArtifacts(ws, spec, {}, tmp.filePath(u"s2"_qs));
    QCOMPARE(missing.warnings,
             QStringList{u"WARNING: missing.env: no matching files. Ensure that the artifact path "
                         "is relative to the working directory (%1)"_qs.arg(ws)});
    QCOMPARE(missing.errors, QStringList{u"ERROR: No files to upload"_qs});
}

void TestWorkspace::dotenv_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("plain") << QByteArray("A=1\nB = two words \n\nC=\n")
                           << QStringList{u"A=1"_qs, u"B=two words"_qs, u"C="_qs} << QStringList();
    QTest::newRow("quotes stripped once")
        << QByteArray("A=\"x\"\nB='y'\nC=\"z'\nD=\"\"q\"\"\r\n")
        << QStringList{u"A=x"_qs, u"B=y"_qs, u"C=\"z'"_qs, u"D=\"q\""_qs} << QStringList();
    QTest::newRow("first = splits")
        << QByteArray("URL=a=b\n") << QStringList{u"URL=a=b"_qs} << QStringList();
    QTest::newRow("last wins") << QByteArray("A=1\nA=2\n") << QStringList{u"A=2"_qs}
                               << QStringList();
    QTest::newRow("invalid lines")
        << QByteArray("A=1\n# comment\n=x\nBAD-KEY=1\n") << QStringList()
        << QStringList{u"line 2: Invalid Format"_qs, u"line 3: Key can't be empty"_qs,
                       u"line 4: Validation failed: Key can contain only letters, digits and "
                       "'_'."_qs};
    QByteArray many;
    for (int i = 0; i < 51; ++i)
        many += "V" + QByteArray::number(i) + "=x\n";
    QTest::newRow("51 variables") << many << QStringList()
                                  << QStringList{u"Dotenv files cannot have more than 50 "
                                                 "variables"_qs};
    QTest::newRow("too big") << QByteArray("A=" + QByteArray(5200, 'x')) << QStringList()
                             << QStringList{u"Dotenv Artifact Too Big. Maximum Allowable Size: "
                                            "5120"_qs};
}

void TestWorkspace::dotenv()
{
    QFETCH(QByteArray, text);
    QFETCH(QStringList, variables);
    QFETCH(QStringList, errors);
    const DotenvResult r = parseDotenv(text);
    QStringList got;
    for (const auto &[k, v] : r.variables)
        got.append(k + u"="_qs + v);
    QCOMPARE(got, variables);
    QCOMPARE(r.errors, errors);
}

// ---- cache ----------------------------------------------------------------------------------

void TestWorkspace::cacheKeys_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("expected");
    QByteArray hashed("fakepackage.json");
    hashed += '\0';
    hashed += "Somefaketext\nfakepackage1.json";
    hashed += '\0';
    hashed += "SomefaketextAlso\n";
    const QString sha =
        QString::fromLatin1(QCryptographicHash::hash(hashed, QCryptographicHash::Sha1).toHex());
    QTest::newRow("plain") << u"global"_qs << QStringList() << QString() << u"global"_qs;
    QTest::newRow("slash") << u"feature/x"_qs << QStringList() << QString() << u"feature-x"_qs;
    QTest::newRow("encoded slash") << u"a%2Fb"_qs << QStringList() << QString() << u"a-b"_qs;
    QTest::newRow("dot") << u"."_qs << QStringList() << QString() << u"default"_qs;
    QTest::newRow("dot dot") << u".."_qs << QStringList() << QString() << u"default"_qs;
    QTest::newRow("files") << QString()
                           << QStringList{u"fakepackage.json"_qs, u"fakepackage1.json"_qs}
                           << QString() << sha;
    QTest::newRow("files with prefix")
        << QString() << QStringList{u"fakepackage.json"_qs, u"fakepackage1.json"_qs} << u"rspec"_qs
        << u"rspec-"_qs + sha;
    QTest::newRow("files under CI_PROJECT_DIR")
        << QString()
        << QStringList{u"/builds/grp/proj/fakepackage.json"_qs, u"fakepackage1.json"_qs}
        << QString() << sha;
    QTest::newRow("no such file") << QString() << QStringList{u"no-such-file"_qs} << QString()
                                  << u"default"_qs;
    QTest::newRow("no such file, prefix")
        << QString() << QStringList{u"no-such-file"_qs} << u"p"_qs << u"p-default"_qs;
}

void TestWorkspace::cacheKeys()
{
    QFETCH(QString, key);
    QFETCH(QStringList, files);
    QFETCH(QString, prefix);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    writeFile(tmp.filePath(u"fakepackage.json"_qs), "Somefaketext\n");
    writeFile(tmp.filePath(u"fakepackage1.json"_qs), "SomefaketextAlso\n");
    CacheSpec spec;
    if (!key.isNull())
        spec.key = key;
    spec.keyFiles = files;
    spec.keyPrefix = prefix;
    spec.workingDirectory = u"/builds/grp/proj"_qs;
    QCOMPARE(cacheKey(spec, tmp.path()), expected);
}

void TestWorkspace::cacheRoundTrip()
{
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(u"ws"_qs);
    const QString root = tmp.filePath(u"cache"_qs);
    writeFile(ws + u"/node_modules/a/index.js"_qs, "v1");
    writeFile(ws + u"/src.js"_qs, "source");
    writeFile(ws + u"/made.log"_qs, "log");
    CacheSpec spec;
    spec.key = u"deps"_qs;
    spec.paths = {u"node_modules"_qs, u"vendor"_qs};
    spec.untracked = true;
    spec.workingDirectory = u"/builds/grp/proj"_qs;
    QStringList log;
    QVERIFY(saveCache(spec, u"deps"_qs, root, ws, {u"src.js"_qs}, &log));
    const QStringList saved{
        u"Creating cache deps..."_qs,
        u"node_modules: found 3 matching artifact files and directories"_qs,
        u"WARNING: vendor: no matching files. Ensure that the artifact path is relative to the "
        "working directory (/builds/grp/proj)"_qs,
        u"untracked: found 2 files"_qs,
        u"No URL provided, cache will not be uploaded to shared cache server. Cache will be "
        "stored only locally."_qs,
        u"Created cache"_qs};
    QCOMPARE(log, saved);
    QCOMPARE(allFiles(root + u"/deps"_qs),
             (QStringList{u"made.log"_qs, u"node_modules/a/index.js"_qs}));

    // Saved again: replaced whole (the old file is gone), no temporary folder left behind.
    QFile::remove(ws + u"/made.log"_qs);
    writeFile(ws + u"/node_modules/a/index.js"_qs, "v2");
    log.clear();
    QVERIFY(saveCache(spec, u"deps"_qs, root, ws, {u"src.js"_qs}, &log));
    QCOMPARE(QDir(root).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{u"deps"_qs});
    QCOMPARE(allFiles(root + u"/deps"_qs), QStringList{u"node_modules/a/index.js"_qs});

    // Restore: the key is missing, the fallback key is there.
    const QString job = tmp.filePath(u"job"_qs);
    spec.fallbackKeys = {u"deps"_qs};
    log.clear();
    QCOMPARE(restoreCache(spec, u"deps-main"_qs, root, job, &log), u"deps"_qs);
    const QString noUrl = u"No URL provided, cache will not be downloaded from shared cache "
                          "server. Instead a local version of cache will be extracted."_qs;
    QCOMPARE(log, (QStringList{u"Checking cache for deps-main..."_qs, noUrl,
                               u"WARNING: file does not exist"_qs, u"Failed to extract cache"_qs,
                               u"Checking cache for deps..."_qs, noUrl,
                               u"Successfully extracted cache"_qs}));
    QCOMPARE(readFile(job + u"/node_modules/a/index.js"_qs), QByteArray("v2"));

    spec.fallbackKeys.clear();
    log.clear();
    QCOMPARE(restoreCache(spec, u"nothing"_qs, root, job, &log), QString());
    QCOMPARE(log.last(), u"Failed to extract cache"_qs);
}

void TestWorkspace::cachePolicy()
{
    QTemporaryDir tmp;
    const QString ws = tmp.filePath(u"ws"_qs);
    writeFile(ws + u"/c/x"_qs, "x");
    CacheSpec spec;
    spec.paths = {u"c"_qs};
    QStringList log;
    spec.policy = u"pull"_qs;
    QVERIFY(saveCache(spec, u"k"_qs, tmp.filePath(u"cache"_qs), ws, {}, &log));
    QCOMPARE(log, QStringList{u"Not uploading cache k due to policy"_qs});
    QVERIFY(!QFileInfo::exists(tmp.filePath(u"cache/k"_qs)));
    spec.policy = u"push"_qs;
    log.clear();
    QVERIFY(saveCache(spec, u"k"_qs, tmp.filePath(u"cache"_qs), ws, {}, &log));
    QCOMPARE(log.last(), u"Created cache"_qs);
    log.clear();
    QCOMPARE(restoreCache(spec, u"k"_qs, tmp.filePath(u"cache"_qs), tmp.filePath(u"job"_qs), &log),
             QString());
    QCOMPARE(log, QStringList{u"Not downloading cache k due to policy"_qs});
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
