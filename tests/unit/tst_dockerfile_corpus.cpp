#include "dockerfile/linter.h"
#include "dockerfile/parser.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace stagecraft;
using namespace stagecraft::dockerfile;

namespace {

QString corpusDir()
{
    return QStringLiteral(STAGECRAFT_SHARED_DIR "/corpus/dockerfiles");
}

QStringList corpusFiles()
{
    return QDir(corpusDir()).entryList({QStringLiteral("*.Dockerfile")}, QDir::Files, QDir::Name);
}

bool isNegativeFixture(const QString &name)
{
    return name.contains(QStringLiteral("__testfiles-negative__"));
}

} // namespace

class TestDockerfileCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QDir(corpusDir()).exists())
            QSKIP("../shared is absent: no Dockerfile corpus to check");
        QVERIFY(corpusFiles().size() >= 100);
    }

    /// Every real-world file parses as BuildKit parses it; BuildKit's negative fixtures fail.
    void parses_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : corpusFiles())
            QTest::newRow(qPrintable(name)) << name;
    }

    void parses()
    {
        QFETCH(QString, name);
        const Dockerfile df = Parser::parseFile(corpusDir() + u'/' + name, name);
        QStringList syntax;
        for (const auto &d : df.diagnostics) {
            if (Parser::isSyntaxError(d.code))
                syntax << QStringLiteral("%1 %2 %3").arg(d.range.start.line).arg(d.code, d.message);
        }
        if (!isNegativeFixture(name)) {
            QCOMPARE(syntax, QStringList());
            QVERIFY(!df.instructions.isEmpty());
            return;
        }
        // BuildKit's own reasons for rejecting its negative fixtures.
        if (name.contains(QStringLiteral("shykes-nested-json")))
            QCOMPARE(syntax, QStringList{QStringLiteral(
                                 "1 invalid-json-array when using JSON array syntax, arrays must "
                                 "be comprised of strings only")});
        else
            QCOMPARE(syntax,
                     QStringList{QStringLiteral("1 no-instructions file with no instructions")});
    }

    /// No error-severity finding on the corpus that is not a known, explained real mistake.
    void noFalseErrors()
    {
        QFile expectations(
            QStringLiteral(STAGECRAFT_SOURCE_DIR "/tests/fixtures/dockerfile-corpus-errors.txt"));
        QVERIFY2(expectations.open(QIODevice::ReadOnly), qPrintable(expectations.fileName()));
        QStringList expected;
        const QStringList lines = QString::fromUtf8(expectations.readAll()).split(u'\n');
        for (const QString &line : lines) {
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            const QStringList cols = line.split(u'\t');
            QVERIFY2(cols.size() == 4 && !cols.at(3).trimmed().isEmpty(),
                     qPrintable(QStringLiteral("need file, line, code and reason: ") + line));
            expected << cols.mid(0, 3).join(u'\t');
        }
        QStringList actual;
        for (const QString &name : corpusFiles()) {
            const Dockerfile df = Parser::parseFile(corpusDir() + u'/' + name, name);
            for (const auto &d : Linter::lint(df)) {
                if (d.severity == diag::Severity::Error)
                    actual << QStringLiteral("%1\t%2\t%3")
                                  .arg(name)
                                  .arg(d.range.start.line)
                                  .arg(d.code);
            }
        }
        expected.sort();
        actual.sort();
        for (const QString &a : std::as_const(actual)) {
            if (!expected.contains(a))
                qWarning("unexpected error: %s", qPrintable(a));
        }
        for (const QString &e : std::as_const(expected)) {
            if (!actual.contains(e))
                qWarning("expected error missing: %s", qPrintable(e));
        }
        QCOMPARE(actual, expected);
    }

    /// Positions are exact: the text at every keyword, shell-form word and flag range is that
    /// token, on every corpus file.
    void positionsPointAtTheTokens()
    {
        int checked = 0;
        for (const QString &name : corpusFiles()) {
            QFile f(corpusDir() + u'/' + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QString text = QString::fromUtf8(f.readAll());
            if (text.startsWith(QChar(0xfeff)))
                text = text.mid(1);
            QStringList lines = text.split(u'\n');
            for (QString &l : lines) {
                if (l.endsWith(u'\r'))
                    l.chop(1);
            }
            auto at = [&](Range r) -> QString {
                if (r.start.line != r.end.line || r.start.line < 1 || r.start.line > lines.size())
                    return QString();
                return lines.at(r.start.line - 1)
                    .mid(r.start.column - 1, r.end.column - r.start.column);
            };
            const Dockerfile df = Parser::parse(text, name);
            for (const Instruction &ins : df.instructions) {
                const QString where = QStringLiteral("%1:%2").arg(name).arg(ins.startLine);
                QVERIFY2(at(ins.keywordRange) == ins.keyword, qPrintable(where));
                ++checked;
                for (const Flag &fl : ins.flags) {
                    if (fl.range.start.line == fl.range.end.line)
                        QVERIFY2(at(fl.range).startsWith(u"--" + fl.name), qPrintable(where));
                }
                if (ins.form != Form::Shell)
                    continue;
                for (const Word &w : ins.words) {
                    if (w.range.start.line != w.range.end.line)
                        continue; // a word split by a line continuation
                    QVERIFY2(at(w.range) == w.text, qPrintable(where + u' ' + w.text));
                    ++checked;
                }
            }
        }
        QVERIFY(checked > 5000);
    }

    /// Every finding has a sane range inside the file, and nothing crashes.
    void rangesInsideFile()
    {
        for (const QString &name : corpusFiles()) {
            const Dockerfile df = Parser::parseFile(corpusDir() + u'/' + name, name);
            for (const auto &d : Linter::lint(df)) {
                const QString where = name + u' ' + d.code;
                QVERIFY2(d.range.start.line >= 1 && d.range.start.column >= 1, qPrintable(where));
                QVERIFY2(d.range.start.line <= std::max(1, df.lineCount), qPrintable(where));
                QVERIFY2(d.range.end.line > d.range.start.line ||
                             (d.range.end.line == d.range.start.line &&
                              d.range.end.column >= d.range.start.column),
                         qPrintable(where));
                QVERIFY2(!d.message.isEmpty(), qPrintable(where));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestDockerfileCorpus)
#include "tst_dockerfile_corpus.moc"
