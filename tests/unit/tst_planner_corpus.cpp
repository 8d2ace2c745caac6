// The planner against gitlab-ci-local 4.75.1 on its own fixtures (../shared/peers/
// gitlab-ci-local-cases): the job lists recorded by tests/fixtures/gcl-plans/generate.sh must
// match, job by job (stage, when, allow_failure, needs) and in order within each stage, except
// for the documented differences in tests/fixtures/gcl-plans/differences.txt, where GitLab's
// behaviour is followed (docs/planner-vs-gitlab-ci-local.md explains each).

#include "pipeline/planner.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace stagecraft;

namespace {

const QString fixtures = QStringLiteral(STAGECRAFT_SOURCE_DIR "/tests/fixtures/gcl-plans");
const QString cases = QStringLiteral(STAGECRAFT_SHARED_DIR "/peers/gitlab-ci-local-cases");

QStringList lines(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList out;
    for (const QString &line : QString::fromUtf8(f.readAll()).split(u'\n')) {
        if (!line.trimmed().isEmpty() && !line.startsWith(u'#'))
            out << line;
    }
    return out;
}

/// gitlab-ci-local names parallel jobs `job: [1/3]` and matrix jobs `job: [a,b]`; GitLab names
/// them `job 1/3` and `job: [a, b]`.
QString gitlabName(QString name)
{
    static const QRegularExpression parallel(QStringLiteral(R"(: \[(\d+/\d+)\]$)"));
    name.replace(parallel, QStringLiteral(" \\1"));
    if (name.endsWith(u']') && name.contains(QStringLiteral(": ["))) {
        const qsizetype open = name.lastIndexOf(QStringLiteral(": ["));
        QStringList values = name.mid(open + 3, name.size() - open - 4).split(u',');
        name = name.left(open) + QStringLiteral(": [") + values.join(QStringLiteral(", ")) + u']';
    }
    return name;
}

} // namespace

class TestPlannerCorpus : public QObject
{
    Q_OBJECT

private slots:
    void gitlabCiLocal_data();
    void gitlabCiLocal();
};

void TestPlannerCorpus::gitlabCiLocal_data()
{
    QTest::addColumn<QString>("caseDir");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("branch");
    QTest::addColumn<QStringList>("changed");
    QTest::addColumn<QString>("expectedFile");
    const QStringList rows = lines(fixtures + QStringLiteral("/cases.txt"));
    QVERIFY(!rows.isEmpty());
    for (const QString &row : rows) {
        const QStringList f = row.split(u'|');
        QTest::newRow(qPrintable(f.value(0)))
            << f.value(1) << f.value(2) << f.value(3) << f.value(4).split(u',', Qt::SkipEmptyParts)
            << fixtures + u'/' + f.value(0) + QStringLiteral(".json");
    }
}

void TestPlannerCorpus::gitlabCiLocal()
{
    if (!QDir(cases).exists())
        QSKIP("../shared is absent: no gitlab-ci-local fixtures");
    QFETCH(QString, caseDir);
    QFETCH(QString, file);
    QFETCH(QString, branch);
    QFETCH(QStringList, changed);
    QFETCH(QString, expectedFile);

    // The repository state of generate.sh: everything committed on `branch`, origin/HEAD ->
    // main at the first commit, the `changed` files added in a second commit.
    pipeline::PipelineContext context;
    context.source = QStringLiteral("push");
    context.ref = branch;
    context.defaultBranch = QStringLiteral("main");
    context.changedFiles = changed;
    context.facts.projectPath = QStringLiteral("gcl/test-project");
    const QString root = cases + u'/' + caseDir;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        context.existingFiles << QDir(root).relativeFilePath(it.next());
    context.existingFiles += changed;
    pipeline::PlanOptions options;
    options.resolve.projectRoot = root;
    options.resolve.mainFile = file;
    const pipeline::Plan plan = pipeline::Planner::planProject(context, options);

    QFile f(expectedFile);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(expectedFile));
    const QJsonDocument document = QJsonDocument::fromJson(f.readAll());
    const QString label = QString::fromUtf8(QTest::currentDataTag());
    QStringList differences;
    for (const QString &row : lines(fixtures + QStringLiteral("/differences.txt"))) {
        if (row.section(u'|', 0, 0) == label)
            differences << row.section(u'|', 1);
    }
    if (document.isObject()) {
        // gitlab-ci-local refuses the configuration; GitLab refuses to create the pipeline
        // too, with the message recorded as `label|error|message`.
        QVERIFY2(!document[u"error"].toString().isEmpty(), qPrintable(expectedFile));
        QString message;
        for (const QString &d : std::as_const(differences)) {
            if (d.startsWith(QStringLiteral("error|")))
                message = d.mid(6);
        }
        QVERIFY2(!message.isEmpty(), "an error case needs its GitLab message in differences.txt");
        QVERIFY(!plan.created);
        QCOMPARE(plan.errors.value(0), message);
        QCOMPARE(plan.reason, message);
        return;
    }
    const QJsonArray expected = document.array();
    QVERIFY(!expected.isEmpty());

    // gitlab-ci-local's view, normalised: running jobs grouped by stage in its order,
    // optional needs on jobs that do not run dropped (GitLab ignores them too).
    QSet<QString> never;
    for (const QJsonValue &v : expected) {
        if (v[u"when"].toString() == u"never")
            never.insert(v[u"name"].toString());
    }
    QStringList theirs;
    QStringList theirExcluded;
    for (const QString &stage : plan.allStages) {
        for (const QJsonValue &v : expected) {
            const QJsonObject o = v.toObject();
            if (o[u"stage"].toString() != stage)
                continue;
            const QString name = gitlabName(o[u"name"].toString());
            if (o[u"when"].toString() == u"never") {
                theirExcluded << name;
                continue;
            }
            QString line = name + u'@' + stage + u':' + o[u"when"].toString();
            if (o[u"allow_failure"].toBool())
                line += u'!';
            if (o.contains(u"needs")) {
                QStringList needs;
                for (const QJsonValue &n : o[u"needs"].toArray()) {
                    if (n[u"optional"].toBool() && never.contains(n[u"job"].toString()))
                        continue;
                    needs << n[u"job"].toString();
                }
                needs.sort();
                line += u'<' + needs.join(u',') + u'>';
            }
            theirs << line;
        }
    }
    QStringList ours;
    for (const pipeline::PlannedJob &job : plan.jobs) {
        QString line = job.name + u'@' + job.stage + u':' + pipeline::whenName(job.when);
        if (job.allowFailure)
            line += u'!';
        if (job.hasNeeds) {
            QStringList needs; // by job key, as gitlab-ci-local lists them
            for (const pipeline::Need &n : job.needs) {
                // gitlab-ci-local ignores needs:project and needs:pipeline (with a warning).
                if (!n.isLocal())
                    continue;
                const pipeline::PlannedJob *target = plan.job(n.job);
                const QString base = target ? target->baseName : n.job;
                if (!needs.contains(base))
                    needs << base;
            }
            needs.sort();
            line += u'<' + needs.join(u',') + u'>';
        }
        ours << line;
    }
    QStringList ourExcluded;
    for (const pipeline::ExcludedJob &job : plan.excluded)
        ourExcluded << job.name;
    theirExcluded.sort();
    ourExcluded.sort();

    QString theirText = theirs.join(u'\n') + QStringLiteral("\n--\n") + theirExcluded.join(u'\n');
    const QString ourText = ours.join(u'\n') + QStringLiteral("\n--\n") + ourExcluded.join(u'\n');
    // Documented differences: `label|gitlab-ci-local text|GitLab text` replacements.
    bool created = true;
    for (const QString &row : std::as_const(differences)) {
        const QStringList d = row.split(u'|');
        if (d.value(0) == u"created") {
            created = d.value(1) == u"yes";
            continue;
        }
        const QString from = d.value(0).replace(QStringLiteral("\\n"), QStringLiteral("\n"));
        const QString to = d.value(1).replace(QStringLiteral("\\n"), QStringLiteral("\n"));
        QVERIFY2(theirText.contains(from), qPrintable(u"stale difference: "_qs + row));
        theirText.replace(from, to);
    }
    if (ourText != theirText && qEnvironmentVariableIsSet("STAGECRAFT_PRINT_PLANS"))
        qInfo().noquote() << "ours:\n" << ourText << "\ntheirs:\n" << theirText;
    QCOMPARE(ourText, theirText);
    QVERIFY2(plan.created == created, qPrintable(plan.reason));
}

QTEST_GUILESS_MAIN(TestPlannerCorpus)
#include "tst_planner_corpus.moc"
