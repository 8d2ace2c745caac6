// Lints every real-world configuration of the shared corpus: GitLab CI projects (with their local
// includes), GitLab's own templates and gitlab-ci-local's test cases. Nothing may crash, and every
// error reported must be a real mistake of that file, listed with its reason in
// tests/fixtures/ci-corpus-errors.txt. Regenerate candidates with STAGECRAFT_PRINT_CORPUS_ERRORS=1.

#include "ci/linter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QTest>

using namespace stagecraft;

namespace {

QString sharedDir()
{
    return QStringLiteral(STAGECRAFT_SHARED_DIR);
}

struct Case
{
    QString set;  ///< corpus, templates, peers
    QString name; ///< project folder name (or template path)
    QString root;
    QString mainFile;
};

QList<Case> cases()
{
    QList<Case> out;
    const QDir corpus(sharedDir() + QStringLiteral("/corpus/gitlab-ci"));
    for (const QString &project : corpus.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QFile::exists(corpus.filePath(project + QStringLiteral("/.gitlab-ci.yml"))))
            out.append({QStringLiteral("corpus"), project, corpus.filePath(project),
                        QStringLiteral(".gitlab-ci.yml")});
    }
    const QDir templates(sharedDir() + QStringLiteral("/corpus/gitlab-templates"));
    QDirIterator it(templates.path(), {QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    QStringList templateFiles;
    while (it.hasNext())
        templateFiles << templates.relativeFilePath(it.next());
    templateFiles.sort();
    for (const QString &file : templateFiles)
        out.append({QStringLiteral("templates"), file, templates.path(), file});
    const QDir peers(sharedDir() + QStringLiteral("/peers/gitlab-ci-local-cases"));
    for (const QString &c : peers.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir caseDir(peers.filePath(c));
        for (const QString &main :
             caseDir.entryList({QStringLiteral(".gitlab-ci*.yml")}, QDir::Files | QDir::Hidden,
                               QDir::Name)) {
            out.append({QStringLiteral("peers"), c + u'/' + main, caseDir.path(), main});
        }
    }
    return out;
}

/// "set/project/file:line:col: code" -> reason
QHash<QString, QString> expectations()
{
    QHash<QString, QString> out;
    QFile f(QStringLiteral(STAGECRAFT_FIXTURES_DIR "/ci-corpus-errors.txt"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype bar = line.indexOf(QStringLiteral(" | "));
        out.insert(line.left(bar).trimmed(), bar < 0 ? QString() : line.mid(bar + 3).trimmed());
    }
    return out;
}

QString keyOf(const Case &c, const diag::Diagnostic &d)
{
    QString file = d.file;
    if (c.set == u"templates")
        file = d.file; // template paths are already relative to the templates folder
    else
        file = c.name.section(u'/', 0, 0) + u'/' + d.file;
    return c.set + u'/' + file + u':' + QString::number(d.range.start.line) + u':'
           + QString::number(d.range.start.column) + QStringLiteral(": ") + d.code;
}

} // namespace

class TestCiCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QDir(sharedDir() + QStringLiteral("/corpus/gitlab-ci")).exists())
            QSKIP("../shared is absent: the real-world corpus tests need ../shared/corpus");
    }

    void noFalseErrors()
    {
        const QHash<QString, QString> expected = expectations();
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            QVERIFY2(!it.value().isEmpty(),
                     qPrintable(QStringLiteral("no reason given for ") + it.key()));
        }
        QSet<QString> seen;
        QStringList unexpected;
        const QList<Case> all = cases();
        QVERIFY(all.size() > 300);
        const QString templatesDir = sharedDir() + QStringLiteral("/corpus/gitlab-templates");
        for (const Case &c : all) {
            ci::ResolveOptions options;
            options.projectRoot = c.root;
            options.mainFile = c.mainFile;
            options.includeCacheDir = qEnvironmentVariable("STAGECRAFT_TEST_INCLUDE_CACHE");
            const ci::LintResult result = ci::lint(options);
            for (const diag::Diagnostic &d : result.diagnostics) {
                if (d.severity != diag::Severity::Error)
                    continue;
                const QString key = keyOf(c, d);
                seen.insert(key);
                if (!expected.contains(key))
                    unexpected << key + QStringLiteral(" | ") + d.message;
            }
        }
        Q_UNUSED(templatesDir);
        if (qEnvironmentVariableIsSet("STAGECRAFT_PRINT_CORPUS_ERRORS")) {
            for (const QString &u : std::as_const(unexpected))
                qInfo().noquote() << u;
        }
        QStringList missing;
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            if (!seen.contains(it.key()))
                missing << it.key();
        }
        missing.sort();
        unexpected.sort();
        QVERIFY2(unexpected.isEmpty(),
                 qPrintable(QStringLiteral("errors not listed in ci-corpus-errors.txt (false "
                                           "errors, or real ones to list with a reason):\n")
                            + unexpected.join(u'\n')));
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("listed errors no longer reported:\n")
                            + missing.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestCiCorpus)
#include "tst_ci_corpus.moc"
