#include "expr/expression.h"
#include "yaml/loader.h"

#include <QDir>
#include <QDirIterator>
#include <QTest>

using namespace stagecraft;
using expr::Expression;
using yaml::Node;

namespace {

struct Found
{
    QString file;
    int line = 0;
    int column = 0;
    QString text;
};

/// Collects the `if:` of every `rules:` entry (job, workflow, include and needs rules alike),
/// wherever it sits in the tree, plus `only:variables` / `except:variables` expressions.
void collect(const Node &node, const QString &file, QList<Found> &out)
{
    auto add = [&](const Node &value) {
        if (value.isScalar()) {
            const yaml::Location &l = value.location();
            out.append({file, l.line, l.column, value.scalar()});
        }
    };
    if (node.isSequence()) {
        for (const Node &item : node.items())
            collect(item, file, out);
        return;
    }
    if (!node.isMap())
        return;
    for (const yaml::MapEntry &entry : node.entries()) {
        const QString &key = entry.key.scalar();
        if (key == u"rules" && entry.value.isSequence()) {
            for (const Node &rule : entry.value.items()) {
                if (rule.isMap() && rule.contains(u"if"))
                    add(rule.value(u"if"));
            }
        } else if ((key == u"only" || key == u"except") && entry.value.isMap()) {
            const Node variables = entry.value.value(u"variables");
            for (const Node &item : variables.items())
                add(item);
        }
        collect(entry.value, file, out);
    }
}

/// Expressions that GitLab itself rejects too: real mistakes in the corpus, with the reason.
/// Key: "<corpus-relative file>:<line>".
const QHash<QString, QString> &knownMistakes()
{
    static const QHash<QString, QString> mistakes = {
        {QStringLiteral("corpus/gitlab-ci/ongres__stackgres/.gitlab-ci/e2e-test.yml:106"),
         QStringLiteral("five '(' but four ')': the first '(' is never closed (the copies of "
                        "this rule further down the file are balanced)")},
    };
    return mistakes;
}

} // namespace

class TestExprCorpus : public QObject
{
    Q_OBJECT

private slots:
    void corpusExpressionsParse()
    {
        const QDir shared(QStringLiteral(STAGECRAFT_SHARED_DIR));
        const QStringList roots{QStringLiteral("corpus/gitlab-ci"),
                                QStringLiteral("corpus/gitlab-templates")};
        for (const QString &root : roots) {
            if (!shared.exists(root))
                QSKIP("../shared is absent: no corpus/gitlab-ci or corpus/gitlab-templates");
        }

        int files = 0;
        int unreadable = 0;
        QList<Found> expressions;
        for (const QString &root : roots) {
            QDirIterator it(shared.filePath(root),
                            {QStringLiteral("*.yml"), QStringLiteral("*.yaml")},
                            QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const QString display = shared.relativeFilePath(path);
                const yaml::LoadResult loaded = yaml::Loader::loadFile(path, display);
                ++files;
                if (loaded.documents.isEmpty()) {
                    ++unreadable;
                    continue;
                }
                for (const yaml::Document &doc : loaded.documents)
                    collect(doc.root, display, expressions);
            }
        }
        qInfo("%d YAML files (%d without a document), %d expressions", files, unreadable,
              int(expressions.size()));
        QVERIFY2(files > 100, "the corpus should hold well over 100 YAML files");
        QVERIFY2(expressions.size() > 300, "the corpus should hold well over 300 expressions");

        QStringList unexpected;
        int mistakes = 0;
        for (const Found &f : expressions) {
            const Expression e = Expression::parse(f.text);
            if (e.isValid())
                continue;
            const QString key = f.file + u':' + QString::number(f.line);
            const QString report = QStringLiteral("%1:%2: %3 (column %4 of `%5`)")
                                       .arg(key)
                                       .arg(f.column)
                                       .arg(e.error()->message)
                                       .arg(e.error()->column)
                                       .arg(f.text);
            if (knownMistakes().contains(key)) {
                ++mistakes;
                qInfo("known mistake: %s -- %s", qPrintable(report),
                      qPrintable(knownMistakes().value(key)));
            } else {
                unexpected.append(report);
            }
        }
        QVERIFY2(unexpected.isEmpty(), qPrintable(unexpected.join(u'\n')));
        QCOMPARE(mistakes, int(knownMistakes().size()));
    }
};

QTEST_GUILESS_MAIN(TestExprCorpus)
#include "tst_expr_corpus.moc"
