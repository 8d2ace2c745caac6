// `stagecraft-cli run` against gitlab-ci-local 4.75.1 on the peer's own shell-only test cases
// (../shared/peers/gitlab-ci-local-cases). What gitlab-ci-local did was recorded once by
// bench/compare-gitlab-ci-local-run.py --record into tests/fixtures/gcl-run/<label>.json (per
// job: outcome and the ordered `> output` lines; job names in GitLab's form). Each case runs
// here in a fresh git repository set up like upstream's mocks (branch master, remote origin
// git@gitlab.com:gcl/test-project.git, origin/HEAD -> origin/main) and must give the same
// outcomes and output, except for the differences listed in `allowed` below, each with who is
// right according to GitLab's documentation (docs/run-vs-gitlab-ci-local.md has the table).

#include "gitrepobuilder.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString fixtures = QStringLiteral(STAGECRAFT_SOURCE_DIR "/tests/fixtures/gcl-run");
const QString casesDir = QStringLiteral(STAGECRAFT_SHARED_DIR "/peers/gitlab-ci-local-cases");

enum class Kind {
    Outcome,    ///< the job ends differently: `value` is Stagecraft's outcome
    Output,     ///< the job prints other lines: `value` is Stagecraft's, joined by `\n`
    ExtraJob,   ///< Stagecraft also has this job, with outcome `value`
    MissingJob, ///< Stagecraft does not have this job of gitlab-ci-local's run
    Runs,       ///< gitlab-ci-local refuses the configuration; Stagecraft runs (`value`:
                ///< `job=outcome` entries joined by `;`)
    Refuses,    ///< gitlab-ci-local runs; Stagecraft refuses (`value`: its error message)
};

struct Difference
{
    const char *label;
    const char *job;
    Kind kind;
    const char *value;
};

// The known differences. Each comment says who is right and why (GitLab's documentation or
// GitLab Runner's behaviour); docs/run-vs-gitlab-ci-local.md has the same list.
const Difference allowed[] = {
    // Collapsible sections a script prints itself (`echo -e "\e[0Ksection_start:..."`): GitLab's
    // log viewer shows the section's header ("My Section Title") and hides the markers;
    // gitlab-ci-local hides the header too. Stagecraft follows GitLab.
    {"ansi-sections", "test-job", Kind::Output, "My Section Title\ninside section"},
    // GitLab Runner writes stdout and stderr of the script into one trace, in the order they
    // happen; gitlab-ci-local reads them from two pipes, so a stderr line may come late (it
    // did in this recording of plain-twice, not in the one of plain). Stagecraft is right.
    {"plain-twice", "test-job", Kind::Output, "test\nHello, error!\n\""},
    // after_script runs in the job's working directory, with the files the script left
    // (GitLab docs, after_script). gitlab-ci-local's --shell-isolation runs after_script where
    // `logs/*badlog` does not exist. Stagecraft is right.
    {"artifacts-after-afterscript", "artifact-job", Kind::Output, ""},
    // `deploy-job --needs`: deploy-job has no `needs`, so in GitLab it waits for every earlier
    // stage (docs: stages), here .pre and build, whose jobs are manual with allow_failure
    // false: the pipeline is blocked at .pre; build-job and deploy-job stay `created`.
    // gitlab-ci-local's --needs only follows `needs:`. Stagecraft follows GitLab.
    {"manual-deploy-needs", "deploy-job", Kind::Outcome, "created"},
    {"manual-deploy-needs", "deploy-job", Kind::Output, ""},
    {"manual-deploy-needs", "pre-job", Kind::ExtraJob, "manual"},
    {"manual-deploy-needs", "build-job", Kind::ExtraJob, "created"},
    // A manual job that a later job needs, not played: GitLab creates the pipeline and blocks
    // at that stage (docs: when: manual, "blocking manual jobs"); later jobs stay `created`.
    // gitlab-ci-local refuses to run. Stagecraft follows GitLab.
    {"manual-unplayed", "", Kind::Runs,
     "pre-job=manual;build-job=created;test-job=created;deploy-job=created"},
    // test-job-optional --needs: another job of the pipeline (test-job) needs never-job, which
    // rules leave out; GitLab refuses to create the pipeline whatever job one looks at (docs:
    // needs:optional). gitlab-ci-local only checks the selected job. Stagecraft follows GitLab.
    {"never-needs-optional", "", Kind::Refuses,
     "'test-job' job needs 'never-job' job, but 'never-job' does not exist in the pipeline."},
    // workflow:rules with no matching rule: GitLab creates no pipeline (docs: workflow:rules).
    // gitlab-ci-local only uses workflow rules for their variables. Stagecraft follows GitLab.
    {"workflow-rules-variables-no-match", "", Kind::Refuses,
     "the pipeline is not created (workflow: no rule matched)"},
};

struct Job
{
    QString name;
    QString outcome;
    QStringList output;
    bool hasOutput = true;
};

QStringList fixtureLines(const QString &file)
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

/// The run's summary table and the `> ` lines of each job.
QList<Job> parseRun(const QString &out, const QString &root)
{
    const QStringList lines = out.split(u'\n');
    qsizetype header = -1;
    static const QRegularExpression headerRe(QStringLiteral("^job +stage +status"));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (headerRe.match(lines.at(i)).hasMatch())
            header = i;
    }
    QList<Job> jobs;
    if (header < 0)
        return jobs;
    const QString &h = lines.at(header);
    const qsizetype stageAt = h.indexOf(QStringLiteral("stage"));
    const qsizetype statusAt = h.indexOf(QStringLiteral("status"));
    const qsizetype durationAt = h.indexOf(QStringLiteral("duration"));
    for (qsizetype i = header + 1; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (line.trimmed().isEmpty() || line.startsWith(QStringLiteral("pipeline ")))
            break;
        QString status = line.mid(statusAt, durationAt - statusAt).trimmed();
        if (status == u"failed (allowed)")
            status = QStringLiteral("allowed failure");
        jobs << Job{line.left(stageAt).trimmed(), status, {}};
    }
    QList<Job *> byLength;
    for (Job &j : jobs)
        byLength << &j;
    std::sort(byLength.begin(), byLength.end(),
              [](const Job *a, const Job *b) { return a->name.size() > b->name.size(); });
    for (qsizetype i = 0; i < header; ++i) {
        const QString &line = lines.at(i);
        for (Job *j : std::as_const(byLength)) {
            if (!line.startsWith(j->name) ||
                (line.size() > j->name.size() && line.at(j->name.size()) != u' '))
                continue;
            const QString rest = line.mid(j->name.size()).trimmed();
            if (rest == u">" || rest.startsWith(QStringLiteral("> "))) {
                QString text = line.mid(line.indexOf(u'>', j->name.size()) + 2);
                while (text.endsWith(u' '))
                    text.chop(1);
                j->output << text.replace(root, QStringLiteral("<project>"));
            }
            break;
        }
    }
    return jobs;
}

QString describe(const QList<Job> &jobs)
{
    QStringList parts;
    for (const Job &j : jobs)
        parts << j.name + u'=' + j.outcome;
    return parts.join(u';');
}

} // namespace

class TestGclRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cases_data();
    void cases();
    void allowListIsCurrent();

private:
    QSet<QString> m_labels;
};

void TestGclRun::initTestCase()
{
    for (const QString &row : fixtureLines(fixtures + QStringLiteral("/cases.txt")))
        m_labels.insert(row.section(u'|', 0, 0));
}

void TestGclRun::cases_data()
{
    QTest::addColumn<QString>("caseDir");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("jobs");
    QTest::addColumn<QStringList>("options");
    const QStringList rows = fixtureLines(fixtures + QStringLiteral("/cases.txt"));
    QVERIFY(rows.size() > 50);
    for (const QString &row : rows) {
        const QStringList f = row.split(u'|');
        QTest::newRow(qPrintable(f.value(0)))
            << f.value(1) << (f.value(2).isEmpty() ? QStringLiteral(".gitlab-ci.yml") : f.value(2))
            << f.value(3).split(u',', Qt::SkipEmptyParts)
            << f.value(4).split(u' ', Qt::SkipEmptyParts);
    }
}

void TestGclRun::cases()
{
    if (!QDir(casesDir).exists())
        QSKIP("../shared is absent: no gitlab-ci-local fixtures");
    QFETCH(QString, caseDir);
    QFETCH(QString, file);
    QFETCH(QStringList, jobs);
    QFETCH(QStringList, options);
    const QString label = QString::fromUtf8(QTest::currentDataTag());

    // The repository: the case's files committed on master, origin/HEAD -> origin/main.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.filePath(QStringLiteral("project"));
    QDir().mkpath(root);
    {
        gittest::RepoBuilder repo(root, "master");
        const QString source = casesDir + u'/' + caseDir;
        QDirIterator it(source, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            repo.write(QDir(source).relativeFilePath(path), f.readAll());
        }
        const QString sha = repo.commit("init");
        repo.remote("git@gitlab.com:gcl/test-project.git", "main", sha);
    }
    {
        // The user of upstream's mocks (GITLAB_USER_LOGIN `test`, GITLAB_USER_EMAIL).
        git_libgit2_init();
        git_repository *r = nullptr;
        git_config *config = nullptr;
        QCOMPARE(git_repository_open(&r, QFile::encodeName(root).constData()), 0);
        QCOMPARE(git_repository_config(&config, r), 0);
        git_config_set_string(config, "user.email", "test@test.com");
        git_config_set_string(config, "user.name", "Testersen");
        git_config_free(config);
        git_repository_free(r);
        git_libgit2_shutdown();
    }

    QStringList args{QStringLiteral("run"),
                     file == u".gitlab-ci.yml" ? root : QDir(root).filePath(file),
                     QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))};
    QString home = dir.filePath(QStringLiteral("home"));
    for (const QString &o : std::as_const(options)) {
        if (o == u"needs")
            args << QStringLiteral("--needs");
        else if (o.startsWith(QStringLiteral("manual=")))
            args << QStringLiteral("--manual");
        else if (o.startsWith(QStringLiteral("concurrency=")))
            args << QStringLiteral("--concurrency") << o.mid(12);
        else if (o.startsWith(QStringLiteral("var=")))
            args << QStringLiteral("--var") << o.mid(4);
        else if (o.startsWith(QStringLiteral("sc:")))
            args << o.mid(3);
        else if (o.startsWith(QStringLiteral("home=")))
            home = QDir(root).filePath(o.mid(5));
    }
    args += jobs;
    QDir().mkpath(home);
    QProcess p;
    p.setWorkingDirectory(root);
    QProcessEnvironment env;
    env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(STAGECRAFT_CLI_PATH), args);
    QVERIFY(p.waitForFinished(120000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    const QList<Job> actual = parseRun(out, root);

    QFile f(fixtures + u'/' + label + QStringLiteral(".json"));
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    const QJsonObject recorded = QJsonDocument::fromJson(f.readAll()).object();
    QList<const Difference *> differences;
    for (const Difference &d : allowed) {
        if (label == QLatin1String(d.label))
            differences << &d;
    }
    auto difference = [&](Kind kind, const QString &job = {}) -> const Difference * {
        for (const Difference *d : std::as_const(differences)) {
            if (d->kind == kind && job == QString::fromUtf8(d->job))
                return d;
        }
        return nullptr;
    };

    if (recorded.contains(u"error")) {
        // gitlab-ci-local refused the configuration.
        if (const Difference *d = difference(Kind::Runs)) {
            QCOMPARE(describe(actual), QString::fromUtf8(d->value));
            return;
        }
        QVERIFY2(actual.isEmpty() && p.exitCode() != 0,
                 qPrintable(QStringLiteral("gitlab-ci-local refused (%1), Stagecraft ran: %2")
                                .arg(recorded[u"error"].toString(), out)));
        return;
    }
    if (const Difference *d = difference(Kind::Refuses)) {
        QVERIFY2(actual.isEmpty() && p.exitCode() != 0, qPrintable(out));
        QVERIFY2(err.contains(QString::fromUtf8(d->value)), qPrintable(err));
        return;
    }
    QVERIFY2(!actual.isEmpty(), qPrintable(out + err));

    // gitlab-ci-local's jobs with the allowed differences applied.
    QList<Job> expected;
    for (const QJsonValue &v : recorded[u"jobs"].toArray()) {
        Job j{
            v[u"name"].toString(), v[u"outcome"].toString(), {}, v.toObject().contains(u"output")};
        for (const QJsonValue &line : v[u"output"].toArray())
            j.output << line.toString();
        if (difference(Kind::MissingJob, j.name))
            continue;
        if (const Difference *d = difference(Kind::Outcome, j.name)) {
            QVERIFY2(j.outcome != QString::fromUtf8(d->value), "stale allowed outcome");
            j.outcome = QString::fromUtf8(d->value);
        }
        if (const Difference *d = difference(Kind::Output, j.name)) {
            const QString value = QString::fromUtf8(d->value);
            const QStringList lines = value.isEmpty() ? QStringList() : value.split(u'\n');
            QVERIFY2(j.output != lines, "stale allowed output");
            j.output = lines;
        }
        expected << j;
    }
    for (const Difference *d : std::as_const(differences)) {
        if (d->kind == Kind::ExtraJob)
            expected << Job{QString::fromUtf8(d->job), QString::fromUtf8(d->value), {}, false};
    }

    // Compared by name: both run independent jobs concurrently, in no fixed order.
    QMap<QString, Job> got;
    for (const Job &j : actual)
        got.insert(j.name, j);
    QStringList expectedNames, actualNames;
    for (const Job &j : std::as_const(expected))
        expectedNames << j.name;
    actualNames = got.keys();
    expectedNames.sort();
    QCOMPARE(actualNames, expectedNames);
    for (const Job &j : std::as_const(expected)) {
        const Job &a = got[j.name];
        QVERIFY2(
            a.outcome == j.outcome,
            qPrintable(
                QStringLiteral("%1: %2, gitlab-ci-local %3").arg(j.name, a.outcome, j.outcome)));
        if (j.hasOutput)
            QCOMPARE(a.output, j.output);
    }
}

void TestGclRun::allowListIsCurrent()
{
    // Every allowed difference names a case of cases.txt (a renamed case must not leave a
    // stale entry that hides nothing).
    for (const Difference &d : allowed)
        QVERIFY2(m_labels.contains(QString::fromUtf8(d.label)), d.label);
}

QTEST_GUILESS_MAIN(TestGclRun)
#include "tst_gcl_run.moc"
