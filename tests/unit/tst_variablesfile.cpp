// User variables files in Stagecraft's and gitlab-ci-local's shapes (real files), and the Masker
// on streams cut at every possible place.

#include "exec/variablesfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace stagecraft;
using namespace stagecraft::exec;

namespace {

QStringList describe(const QList<JobVariable> &vars)
{
    QStringList out;
    for (const JobVariable &v : vars) {
        QString line = v.name + u"="_qs + v.value;
        if (v.file)
            line += u" [file]"_qs;
        if (v.masked)
            line += u" [masked]"_qs;
        out.append(line);
    }
    return out;
}

QString write(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text);
    return path;
}

} // namespace

class TestVariablesFile : public QObject
{
    Q_OBJECT

private slots:
    void read_data();
    void read();
    void homeFile_data();
    void homeFile();
    void peerFixtures();
    void missingFile();
    void masker_data();
    void masker();
    void maskerEverySplit();
};

void TestVariablesFile::read_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QStringList>("errors"); // "%1" is the file

    QTest::newRow("plain values") << QByteArray("A: one\nB: 12345678\nC:\nD: |\n  two\n  lines\n")
                                  << QString()
                                  << QStringList{u"A=one"_qs, u"B=12345678"_qs, u"C="_qs,
                                                 u"D=two\nlines\n"_qs}
                                  << QStringList();
    QTest::newRow("maps") << QByteArray("TOKEN: {value: secret-value, masked: true}\n"
                                        "CERT: {value: pem, type: file}\n"
                                        "RAW: {value: $HOME, expand: false}\n")
                          << QString()
                          << QStringList{u"TOKEN=secret-value [masked]"_qs, u"CERT=pem [file]"_qs,
                                         u"RAW=$$HOME"_qs}
                          << QStringList();
    const QByteArray scoped("KEY:\n  values:\n    \"*\": any\n    production: prod\n"
                            "    \"review/*\": review\n    \"review/special*\": special\n"
                            "ONLY_PROD:\n  values:\n    production: yes-prod\n");
    QTest::newRow("scoped, no environment")
        << scoped << QString() << QStringList{u"KEY=any"_qs} << QStringList();
    QTest::newRow("scoped, exact")
        << scoped << u"production"_qs << QStringList{u"KEY=prod"_qs, u"ONLY_PROD=yes-prod"_qs}
        << QStringList();
    QTest::newRow("scoped, wildcard")
        << scoped << u"review/feature"_qs << QStringList{u"KEY=review"_qs} << QStringList();
    QTest::newRow("scoped, most specific wildcard")
        << scoped << u"review/special-1"_qs << QStringList{u"KEY=special"_qs} << QStringList();
    QTest::newRow("scoped, other")
        << scoped << u"staging"_qs << QStringList{u"KEY=any"_qs} << QStringList();
    QTest::newRow("dotenv shape")
        << QByteArray("# comment\nSECRET_APP_NAME=\"Laravel\"\nSECRET_APP_KEY=\nURL=http://x?a=b\n")
        << QString()
        << QStringList{u"SECRET_APP_NAME=Laravel"_qs, u"SECRET_APP_KEY="_qs, u"URL=http://x?a=b"_qs}
        << QStringList();
    QTest::newRow("errors with positions")
        << QByteArray("GOOD: 1\nbad-name: x\nLIST: [a, b]\nM: {value: a, values: {x: y}}\n"
                      "T: {value: a, type: secret}\nU: {valu: a}\nK: {masked: maybe, value: x}\n")
        << QString() << QStringList{u"GOOD=1"_qs}
        << QStringList{u"%1:2:1: invalid variable name \"bad-name\": only letters, digits and '_' "
                       "are allowed"_qs,
                       u"%1:3:7: variable LIST: the value must be a string (found: array)"_qs,
                       u"%1:4:15: variable M: use either value or values"_qs,
                       u"%1:5:21: variable T: type must be file or variable, not \"secret\""_qs,
                       u"%1:6:5: variable U: unknown key \"valu\" (known: value, values, type, "
                       "masked, expand, description, raw)"_qs,
                       u"%1:7:13: variable K: masked must be true or false"_qs};
    QTest::newRow("not a map") << QByteArray("- a\n- b\n") << QString() << QStringList()
                               << QStringList{u"%1:1:1: a variables file is a map of NAME: value "
                                              "entries"_qs};
    QTest::newRow("yaml syntax error")
        << QByteArray("A: [unclosed\n") << QString() << QStringList()
        << QStringList{u"%1:1:4: this flow sequence '[' is never closed"_qs};
}

void TestVariablesFile::read()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, environment);
    QFETCH(QStringList, variables);
    QFETCH(QStringList, errors);
    QTemporaryDir tmp;
    const QString path = write(tmp.filePath(u"vars.yml"_qs), text);
    const VariablesFileResult r = readVariablesFile(path, environment);
    QStringList expectedErrors;
    for (const QString &e : errors)
        expectedErrors.append(e.arg(path));
    QCOMPARE(r.errors, expectedErrors);
    QCOMPARE(describe(r.variables), variables);
}

void TestVariablesFile::homeFile_data()
{
    QTest::addColumn<QString>("project");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QStringList>("variables");
    QTest::newRow("staging")
        << u"gcl/custom-home"_qs << u"staging"_qs
        << QStringList{
               u"GLOBAL_VAR=group-global-var-override-value"_qs,
               u"GLOBAL_FILE_VAR=Im content of a file variable\n [file]"_qs,
               u"INVALID_DIR_VAR=~/dir/"_qs,
               u"GROUP_VAR=staging-project-group-var-override-value"_qs,
               u"CI_PIPELINE_SOURCE=schedule"_qs,
               u"PROJECT_VAR=project-var-value"_qs,
               u"CI_PROJECT_ID=12345678"_qs,
               u"DOUBLE_QUOTE_VAR=\"This is crazy\"\n"_qs,
               u"COMPLEX_VAR={\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n\"\n}\n"_qs};
    QTest::newRow("production, host in the project path")
        << u"gitlab.com/gcl/custom-home"_qs << u"production"_qs
        << QStringList{
               u"GLOBAL_VAR=group-global-var-override-value"_qs,
               u"GLOBAL_FILE_VAR=Im content of a file variable\n [file]"_qs,
               u"INVALID_DIR_VAR=~/dir/"_qs,
               u"GROUP_VAR=production-project-group-var-override-value"_qs,
               u"CI_PIPELINE_SOURCE=schedule"_qs,
               u"PROJECT_VAR=project-var-value"_qs,
               u"CI_PROJECT_ID=12345678"_qs,
               u"DOUBLE_QUOTE_VAR=\"This is crazy\"\n"_qs,
               u"COMPLEX_VAR={\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n\"\n}\n"_qs,
               u"FILE=I'm the content of a file variable\nI'm the 2nd line of file "
               "variable\n [file]"_qs};
    QTest::newRow("other project")
        << u"other/thing"_qs << QString()
        << QStringList{u"GLOBAL_VAR=global-var-value"_qs,
                       u"GLOBAL_FILE_VAR=Im content of a file variable\n [file]"_qs,
                       u"INVALID_DIR_VAR=~/dir/"_qs};
}

void TestVariablesFile::homeFile()
{
    // gitlab-ci-local's custom-home case: `~/` is the folder that holds .gitlab-ci-local.
    QFETCH(QString, project);
    QFETCH(QString, environment);
    QFETCH(QStringList, variables);
    const QString file = QStringLiteral(STAGECRAFT_SHARED_DIR) +
                         u"/peers/gitlab-ci-local-cases/custom-home/.home/.gitlab-ci-local/"
                         "variables.yml"_qs;
    if (!QFileInfo::exists(file))
        QSKIP("../shared is absent: no gitlab-ci-local fixtures");
    const VariablesFileResult r = readVariablesFile(file, environment, project);
    QCOMPARE(r.errors, QStringList());
    QCOMPARE(describe(r.variables), variables);
}

void TestVariablesFile::peerFixtures()
{
    const QString cases =
        QStringLiteral(STAGECRAFT_SHARED_DIR) + u"/peers/gitlab-ci-local-cases"_qs;
    if (!QFileInfo::exists(cases))
        QSKIP("../shared is absent: no gitlab-ci-local fixtures");
    // The key normalisation case: `gitlab.com:gcl/custom-home`.
    VariablesFileResult r = readVariablesFile(
        cases + u"/custom-home/.home-normalize-key/.gitlab-ci-local/variables.yml"_qs, {},
        u"gcl/custom-home"_qs);
    QCOMPARE(r.errors, QStringList());
    QCOMPARE(describe(r.variables), (QStringList{u"GROUP_VAR=project-group-var-override-value"_qs,
                                                 u"GLOBAL_VAR=group-global-var-override-value"_qs,
                                                 u"PROJECT_VAR=project-var-value"_qs}));
    // The project file, job environment "production".
    r = readVariablesFile(cases + u"/project-variables-file/.gitlab-ci-local-variables.yml"_qs,
                          u"production"_qs);
    QCOMPARE(r.errors, QStringList());
    QCOMPARE(describe(r.variables),
             (QStringList{u"KEY=Y"_qs, u"FUNNY1=$FUNNY2"_qs, u"FUNNY2=$FUNNY3"_qs,
                          u"FUNNY3=Recursive CI/CD"_qs, u"CUSTOM_VAR=prod"_qs}));
    // Its dotenv-shaped sibling and the YAML one-liner.
    r = readVariablesFile(cases + u"/project-variables-file/.envs"_qs);
    QCOMPARE(r.errors, QStringList());
    QCOMPARE(r.variables.size(), 22);
    QCOMPARE(describe(r.variables).at(3), u"SECRET_APP_NAME=Laravel"_qs);
    r = readVariablesFile(cases + u"/project-variables-file/.custom-local-var-file"_qs);
    QCOMPARE(describe(r.variables), QStringList{u"SECRET=firecow"_qs});
    // variable-order: PROD_ONLY_VARIABLE is scoped to `prod`, the job's environment is notprod.
    r = readVariablesFile(cases + u"/variable-order/.home/.gitlab-ci-local/variables.yml"_qs,
                          u"notprod"_qs);
    QCOMPARE(describe(r.variables),
             (QStringList{u"HOME_VARIABLE=home-value"_qs, u"PROJECT_VARIABLE=home-value"_qs}));
}

void TestVariablesFile::missingFile()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(u"nope.yml"_qs);
    const VariablesFileResult r = readVariablesFile(path);
    QCOMPARE(r.errors, QStringList{path + u": No such file or directory"_qs});
    QVERIFY(r.variables.isEmpty());
}

// ---- Masker ---------------------------------------------------------------------------------

void TestVariablesFile::masker_data()
{
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<bool>("active");
    QTest::newRow("one value") << QStringList{u"supersecret"_qs}
                               << QList<QByteArray>{"token=supersecret done\n"}
                               << QByteArray("token=[MASKED] done\n") << true;
    QTest::newRow("split across chunks")
        << QStringList{u"supersecret"_qs}
        << QList<QByteArray>{"token=sup", "erse", "cret done sup", "ersecret"}
        << QByteArray("token=[MASKED] done [MASKED]") << true;
    QTest::newRow("false start then value")
        << QStringList{u"supersecret"_qs} << QList<QByteArray>{"supersuper", "secret!"}
        << QByteArray("super[MASKED]!") << true;
    QTest::newRow("prefix of another: longest first")
        << QStringList{u"password"_qs, u"password-extended"_qs}
        << QList<QByteArray>{"a password-extended b password c passwor"}
        << QByteArray("a [MASKED] b [MASKED] c passwor") << true;
    QTest::newRow("overlapping values")
        << QStringList{u"abcdefgh"_qs, u"efghijkl"_qs} << QList<QByteArray>{"abcdefghijkl|efghijkl"}
        << QByteArray("[MASKED]ijkl|[MASKED]") << true;
    QTest::newRow("short values are not masked")
        << QStringList{u"short"_qs, u"1234567"_qs} << QList<QByteArray>{"short 1234567"}
        << QByteArray("short 1234567") << false;
    QTest::newRow("utf-8 value") << QStringList{u"pässwörd-geheim"_qs}
                                 << QList<QByteArray>{"x p\xc3", "\xa4sswörd-geheim y"}
                                 << QByteArray("x [MASKED] y") << true;
    QTest::newRow("held back until flush")
        << QStringList{u"supersecret"_qs} << QList<QByteArray>{"end: supersecr"}
        << QByteArray("end: supersecr") << true;
}

void TestVariablesFile::masker()
{
    QFETCH(QStringList, values);
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QByteArray, expected);
    QFETCH(bool, active);
    Masker m(values);
    QCOMPARE(m.isActive(), active);
    QByteArray out;
    for (const QByteArray &c : chunks)
        out += m.feed(c);
    out += m.flush();
    QCOMPARE(out, expected);
}

void TestVariablesFile::maskerEverySplit()
{
    // Every cut of the stream into two and three pieces gives the same trace, and no more than
    // the longest value minus one byte is ever held back.
    const QStringList values{u"secret-one-two"_qs, u"secret-one"_qs, u"twotwotwo"_qs};
    const QByteArray text("a secret-one-two b secret-one c twotwotwotwo d secret-on");
    Masker whole(values);
    QByteArray expected = whole.feed(text);
    expected += whole.flush();
    QCOMPARE(expected, QByteArray("a [MASKED] b [MASKED] c [MASKED]two d secret-on"));
    for (qsizetype i = 0; i <= text.size(); ++i) {
        for (qsizetype j = i; j <= text.size(); ++j) {
            Masker m(values);
            QByteArray out = m.feed(text.left(i));
            QVERIFY(i - out.size() <= 13 || out.contains("[MASKED]"));
            out += m.feed(text.mid(i, j - i));
            out += m.feed(text.mid(j));
            out += m.flush();
            QCOMPARE(out, expected);
        }
    }
}

QTEST_GUILESS_MAIN(TestVariablesFile)
#include "tst_variablesfile.moc"
