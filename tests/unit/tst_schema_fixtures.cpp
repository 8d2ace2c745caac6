// GitLab's own CI-schema fixtures (spec/frontend/editor/schema/ci/yaml_tests) run through the
// validator, following the harness rule of ../shared/reference/README.md:
// - files under */workflow/ are per-case: each top-level key names a test whose value is a
//   whole configuration;
// - every other file is per-key: each top-level key k is validated alone as {k: value}
//   (plus a trivial visible job when k is a global keyword or hidden, so that "at least one
//   visible job" stays quiet).
// Positive fixtures must give no error, negative ones at least one error per key.
//
// The fixtures test the JSON schema, which sees one key at a time. So only the structural
// diagnostics are judged: the checks that need the rest of a pipeline (a script somewhere,
// stages, jobs that needs/dependencies/on_stop point at) are GitLab's Rails checks that the
// schema cannot make, and the fixtures routinely leave them unsatisfied.
//
// Where GitLab's Rails validation and the saved schema disagree we follow Rails, and the fixture
// still gives the expected result (README.md notes both files):
// - negative/services.yml `invalid_command` (`command: "start"`): the newest schema accepts a
//   string since services[].command became #/definitions/script, but Rails' service entry wants
//   an array of strings, so we report it and the negative key fails as expected;
// - positive/needs_pipeline_optional.yml: the schema's `needs: {pipeline:}` has no `optional`,
//   Rails accepts it (the fixture is newer than the schema), so we accept it too.
// knownDifference() below lists the keys where we knowingly differ from the fixtures.
// Include-related keys are the resolver's: they are expected failures until the resolver
// (another branch) reports them, and pass once it does.

#include "ci/resolver.h"
#include "ci/validator.h"
#include "yaml/emitter.h"
#include "yaml/loader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace stagecraft;

namespace {

QString fixturesDir()
{
    return QStringLiteral(STAGECRAFT_SHARED_DIR "/reference/schema-tests");
}

const QString kExtraJob = QStringLiteral("stagecraft-fixture-job");

// Codes of checks that depend on the rest of the pipeline or on other files (see the comment at
// the top); the resolver's codes for missing files and templates are among them.
bool isJudged(const diag::Diagnostic &d)
{
    static const QStringList pipelineCodes = {QStringLiteral("missing-script"),
                                              QStringLiteral("no-visible-jobs"),
                                              QStringLiteral("undefined-stage"),
                                              QStringLiteral("undefined-need"),
                                              QStringLiteral("undefined-dependency"),
                                              QStringLiteral("need-in-later-stage"),
                                              QStringLiteral("dependency-in-later-stage"),
                                              QStringLiteral("dependency-not-in-needs"),
                                              QStringLiteral("needs-cycle"),
                                              QStringLiteral("duplicate-need"),
                                              QStringLiteral("undefined-on-stop"),
                                              QStringLiteral("invalid-on-stop"),
                                              QStringLiteral("include-not-found"),
                                              QStringLiteral("include-offline"),
                                              QStringLiteral("extends-unknown"),
                                              QStringLiteral("reference-not-found")};
    return d.isError() && !pipelineCodes.contains(d.code);
}

struct Difference
{
    QString reason;
    /// The outcome depends on another branch's work (the resolver for include:, core/expr for
    /// rules:if): expected to fail only while that work gives the wrong result, so the test is
    /// right both before and after the branches merge.
    bool dependsOnOtherBranch = false;
};

// Fixture keys whose expected result we knowingly do not reproduce, with the reason.
Difference knownDifference(const QString &file, const QString &key)
{
    static const QHash<QString, Difference> known = {
        // include: is validated by the resolver (ci::Resolver), not by the validator.
        {QStringLiteral("negative/include.yml|include"),
         {QStringLiteral("include:rules:when is checked by the resolver, which owns include:"),
          true}},
        {QStringLiteral("negative/project_path/include/leading_slash.yml|include"),
         {QStringLiteral("include:project paths are checked by the resolver, which owns include:"),
          true}},
        {QStringLiteral("positive/include.yml|include"),
         {QStringLiteral("the resolver rejects include:rules `when: null`, which the schema "
                         "accepts"),
          true}},
        // GitLab's expression lexer has no `true` literal: `$var == true` fails Rails' lint
        // (the schema only checks that `if` is a string). Decided by core/expr's parser.
        {QStringLiteral("positive/rules_needs.yml|job"),
         {QStringLiteral("`$var == true` is not a valid rules:if expression in GitLab"), true}},
        // GitLab's config factory turns a null value into "not specified" (Entry::Unspecified):
        // Rails accepts these keys, the schema does not. Real projects rely on it (`tags:`,
        // `cache: paths:`, `dependencies: null` in the corpus), so we follow Rails.
        {QStringLiteral("negative/image.yml|empty_image"),
         {QStringLiteral("image: null is 'not specified' in GitLab (Rails), rejected by the "
                         "schema")}},
        {QStringLiteral("negative/image.yml|image_with_empty_executor_opts"),
         {QStringLiteral("docker: null is 'not specified' in GitLab (Rails)")}},
        {QStringLiteral("negative/artifacts.yml|browser_performance no paths"),
         {QStringLiteral("reports: browser_performance: null is 'not specified' in GitLab")}},
        {QStringLiteral("negative/artifacts.yml|cyclonedx no paths"),
         {QStringLiteral("reports: cyclonedx: null is 'not specified' in GitLab")}},
        {QStringLiteral("negative/services.yml|empty_services"),
         {QStringLiteral("services: null is 'not specified' in GitLab (Rails)")}},
        {QStringLiteral("negative/rules.yml|rules-if-empty"),
         {QStringLiteral("rules: - if: null is a rule without if: in GitLab (Rails)")}},
        {QStringLiteral("negative/rules_needs.yml|lint_job"),
         {QStringLiteral("rules: needs: null is 'not specified' in GitLab (Rails)")}},
    };
    return known.value(file + u'|' + key);
}

struct Case
{
    QByteArray text;   ///< configuration to validate
    QByteArray header; ///< spec: header document, if any
};

// {k: value} cut out of the fixture with the other lines blanked, so that positions stay those
// of the fixture file.
Case perKeyCase(const QByteArray &file, const yaml::Node &root, qsizetype index)
{
    const std::vector<yaml::MapEntry> &entries = root.entries();
    const yaml::MapEntry &e = entries[size_t(index)];
    const QList<QByteArray> lines = file.split('\n');
    const int first = e.key.location().line;
    const int last = index + 1 < qsizetype(entries.size())
                         ? entries[size_t(index + 1)].key.location().line - 1
                         : int(lines.size());
    Case c;
    QByteArray slice;
    for (int i = 1; i <= lines.size(); ++i)
        slice += (i >= first && i <= last ? lines.at(i - 1) : QByteArray()) + '\n';
    const QString key = e.key.scalar();
    if (key == u"spec") {
        // spec: belongs in the header document (the resolver reads and checks it).
        c.header = slice;
        c.text = kExtraJob.toUtf8() + ":\n  script: exit 0\n";
        return c;
    }
    c.text = slice;
    if (ci::isGlobalKeyword(key) || key.startsWith(u'.'))
        c.text += "\n" + kExtraJob.toUtf8() + ":\n  script: exit 0\n";
    return c;
}

diag::Diagnostics validate(const Case &c)
{
    ci::ResolveOptions options;
    options.projectRoot = QStringLiteral("/nonexistent-stagecraft-fixtures");
    options.overlay.insert(options.mainFile, c.text);
    ci::ResolvedConfig config = ci::Resolver::resolve(options);
    if (!c.header.isEmpty()) {
        const yaml::LoadResult h = yaml::Loader::load(c.header, options.mainFile);
        if (!h.documents.isEmpty())
            config.header = h.documents.first().root;
    }
    diag::Diagnostics out = config.diagnostics;
    out += ci::Validator::validate(config);
    return out;
}

QString dump(const diag::Diagnostics &ds)
{
    QString out;
    for (const diag::Diagnostic &d : ds) {
        out += QStringLiteral("\n  %1:%2 [%3] %4")
                   .arg(d.range.start.line)
                   .arg(d.range.start.column)
                   .arg(d.code, d.message);
    }
    return out;
}

} // namespace

class TestSchemaFixtures : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fixture_data();
    void fixture();
    void negativeDocument_data();
    void negativeDocument();
};

void TestSchemaFixtures::initTestCase()
{
    if (!QDir(fixturesDir()).exists())
        QSKIP("../shared is absent: no GitLab schema fixtures to run");
}

void TestSchemaFixtures::fixture_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("positive");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("header");

    const QDir dir(fixturesDir());
    QStringList files;
    QDirIterator it(fixturesDir(), {QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << dir.relativeFilePath(it.next());
    files.sort();
    int rows = 0;
    for (const QString &rel : std::as_const(files)) {
        QFile f(dir.filePath(rel));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        const yaml::LoadResult loaded = yaml::Loader::load(bytes, rel);
        if (loaded.documents.isEmpty() || !loaded.documents.first().root.isMap())
            continue;
        const yaml::Node root = loaded.documents.first().root;
        const bool positive = rel.startsWith(u"positive/");
        const bool perCase = rel.contains(u"/workflow/");
        for (qsizetype i = 0; i < qsizetype(root.entries().size()); ++i) {
            const yaml::MapEntry &e = root.entries()[size_t(i)];
            Case c;
            if (perCase)
                c.text = yaml::toYaml(e.value);
            else
                c = perKeyCase(bytes, root, i);
            const QString tag = rel + QStringLiteral(": ") + e.key.scalar();
            QTest::newRow(qPrintable(tag))
                << rel << e.key.scalar() << positive << c.text << c.header;
            ++rows;
        }
    }
    QVERIFY2(rows > 200, qPrintable(QString::number(rows)));
}

void TestSchemaFixtures::fixture()
{
    QFETCH(QString, file);
    QFETCH(QString, key);
    QFETCH(bool, positive);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, header);

    const diag::Diagnostics all = validate(Case{text, header});
    diag::Diagnostics judged;
    for (const diag::Diagnostic &d : all) {
        if (isJudged(d))
            judged << d;
    }
    if (qEnvironmentVariableIsSet("STAGECRAFT_FIXTURE_DUMP"))
        qInfo("%s", qPrintable(dump(judged)));
    const Difference diff = knownDifference(file, key);
    const bool asExpected = positive ? judged.isEmpty() : !judged.isEmpty();
    if (!diff.reason.isEmpty() && !(diff.dependsOnOtherBranch && asExpected))
        QEXPECT_FAIL("", qPrintable(diff.reason), Abort);
    if (positive)
        QVERIFY2(judged.isEmpty(),
                 qPrintable(QStringLiteral("expected valid, got:") + dump(judged)));
    else
        QVERIFY2(!judged.isEmpty(),
                 qPrintable(QStringLiteral("expected an error, got:") + dump(all)));
}

void TestSchemaFixtures::negativeDocument_data()
{
    QTest::addColumn<QString>("file");
    const QDir dir(fixturesDir());
    QDirIterator it(fixturesDir() + QStringLiteral("/negative"), {QStringLiteral("*.yml")},
                    QDir::Files, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext())
        files << dir.relativeFilePath(it.next());
    files.sort();
    for (const QString &rel : std::as_const(files)) {
        if (!rel.contains(u"/workflow/"))
            QTest::newRow(qPrintable(rel)) << rel;
    }
}

void TestSchemaFixtures::negativeDocument()
{
    // "Negative files also fail as a whole document."
    QFETCH(QString, file);
    QFile f(QDir(fixturesDir()).filePath(file));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const diag::Diagnostics all = validate(Case{f.readAll(), {}});
    bool anyError = false;
    for (const diag::Diagnostic &d : all)
        anyError = anyError || (isJudged(d));
    if (file == u"negative/project_path/include/leading_slash.yml" && !anyError)
        QEXPECT_FAIL("", "include: is the resolver's (and the file has no job either)", Abort);
    QVERIFY2(anyError, qPrintable(dump(all)));
}

QTEST_GUILESS_MAIN(TestSchemaFixtures)
#include "tst_schema_fixtures.moc"
