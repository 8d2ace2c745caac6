#include "ci/effective.h"
#include "ci/resolver.h"
#include "yaml/emitter.h"
#include "yaml/loader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <ctime>

using namespace stagecraft;
using yaml::Node;

namespace {

enum class Mode { Disk, Overlay };

/// A project written from (path, content) pairs. Paths under "cache/" go to the include cache
/// (always on disk); the others go to the project folder, or to the overlay in Overlay mode.
struct Project
{
    QTemporaryDir dir;
    ci::ResolveOptions options;

    Project(const QStringList &files, Mode mode)
    {
        options.projectRoot = dir.filePath(QStringLiteral("project"));
        options.includeCacheDir = dir.filePath(QStringLiteral("cache"));
        options.variables = {
            {QStringLiteral("CI_PROJECT_PATH"), QStringLiteral("group/proj")},
            {QStringLiteral("FOO"), QStringLiteral("1")},
            {QStringLiteral("NAME"), QStringLiteral("world")},
            {QStringLiteral("CI_SERVER_HOST"), QStringLiteral("gitlab.example.com")},
            {QStringLiteral("CI_COMMIT_SHA"), QStringLiteral("0123abc")}};
        QDir().mkpath(options.projectRoot);
        QDir().mkpath(options.includeCacheDir);
        for (qsizetype i = 0; i + 1 < files.size(); i += 2) {
            const QString &path = files.at(i);
            const QByteArray content = files.at(i + 1).toUtf8();
            if (path.startsWith(QLatin1String("cache/")) || mode == Mode::Disk) {
                write(dir.filePath(path.startsWith(QLatin1String("cache/"))
                                       ? path
                                       : QStringLiteral("project/") + path),
                      content);
            } else {
                options.overlay.insert(path, content);
            }
        }
    }

    static void write(const QString &path, const QByteArray &content)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }

    QString cache() const { return QFileInfo(options.includeCacheDir).absoluteFilePath(); }
};

QString render(const diag::Diagnostic &d, const QString &cache)
{
    QString file = d.file;
    if (file.startsWith(cache))
        file = QStringLiteral("$CACHE") + file.mid(cache.size());
    return QStringLiteral("%1:%2:%3: %4 [%5] %6")
        .arg(file)
        .arg(d.range.start.line)
        .arg(d.range.start.column)
        .arg(diag::severityName(d.severity), d.code, d.message);
}

QStringList rendered(const ci::ResolvedConfig &config, const QString &cache)
{
    QStringList out;
    for (const diag::Diagnostic &d : config.diagnostics)
        out << render(d, cache);
    return out;
}

/// Follows "job/script/1" through maps and sequences.
Node at(const Node &root, const QString &path)
{
    Node n = root;
    for (const QString &part : path.split(u'/', Qt::SkipEmptyParts)) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        if (n.isSequence() && isIndex)
            n = index < n.size() ? n.items()[size_t(index)] : Node();
        else
            n = n.value(part);
    }
    return n;
}

/// Block YAML like yaml::toYaml, but with plain booleans and numbers left plain, so that the
/// expectations show the types the resolver produced.
QString scalarText(const Node &n)
{
    const QString prefix = n.tag().isEmpty() ? QString() : n.tag() + u' ';
    if (n.isNull())
        return prefix + QStringLiteral("null");
    const QString &s = n.scalar();
    const bool plainTyped = n.style() == Node::Style::Plain && n.kindName() != u"string";
    if (!plainTyped && (yaml::needsQuotes(s) || Node::makeScalar(s).kindName() != u"string"))
        return prefix + u'"' + s + u'"';
    return prefix + s;
}

void emitBlock(QString &out, const Node &n, int indent);

void emitValue(QString &out, const Node &v, int childIndent, int seqIndent)
{
    if ((v.isMap() || v.isSequence()) && v.size() > 0) {
        if (!v.tag().isEmpty())
            out += u' ' + v.tag();
        out += u'\n';
        emitBlock(out, v, v.isMap() ? childIndent : seqIndent);
    } else if (v.isMap()) {
        out += QStringLiteral(" {}\n");
    } else if (v.isSequence()) {
        out += QStringLiteral(" []\n");
    } else {
        out += u' ' + scalarText(v) + u'\n';
    }
}

void emitBlock(QString &out, const Node &n, int indent)
{
    const QString pad(indent, u' ');
    if (n.isMap()) {
        for (const yaml::MapEntry &e : n.entries()) {
            out += pad + e.key.scalar() + u':';
            emitValue(out, e.value, indent + 2, indent);
        }
        return;
    }
    for (const Node &item : n.items()) {
        out += pad + u'-';
        if ((item.isMap() || item.isSequence()) && item.size() > 0 && item.tag().isEmpty()) {
            QString sub;
            emitBlock(sub, item, indent + 2);
            out += u' ' + sub.mid(indent + 2);
        } else {
            emitValue(out, item, indent + 2, indent + 2);
        }
    }
}

QString yamlOf(const Node &node)
{
    if (!node.isMap() && !node.isSequence())
        return scalarText(node);
    QString out;
    emitBlock(out, node, 0);
    return out.trimmed();
}

QString locationOf(const yaml::Location &l, const QString &cache)
{
    QString file = l.file;
    if (file.startsWith(cache))
        file = QStringLiteral("$CACHE") + file.mid(cache.size());
    return QStringLiteral("%1:%2:%3").arg(file).arg(l.line).arg(l.column);
}

QStringList files(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

QString repeatIncludes(int count)
{
    QString text = QStringLiteral("include:\n");
    for (int i = 0; i < count; ++i)
        text += QStringLiteral("  - local: /t.yml\n");
    return text;
}

QString deepExtends(int levels)
{
    // .l1 <- .l2 <- ... <- job: `levels` levels including the job itself.
    QString text = QStringLiteral(".l1:\n  script: echo\n");
    for (int i = 2; i < levels; ++i)
        text += QStringLiteral(".l%1:\n  extends: .l%2\n").arg(i).arg(i - 1);
    text += QStringLiteral("job:\n  extends: .l%1\n").arg(levels - 1);
    return text;
}

QString deepReferences(int levels)
{
    QString text = QStringLiteral(".s1:\n  - echo test\n");
    for (int i = 2; i <= levels; ++i)
        text += QStringLiteral(".s%1:\n  - !reference [.s%2]\n").arg(i).arg(i - 1);
    text += QStringLiteral("test:\n  script:\n    - !reference [.s%1]\n").arg(levels);
    return text;
}

} // namespace

class TestResolver : public QObject
{
    Q_OBJECT

private slots:
    void diagnostics_data();
    void diagnostics();
    void merged_data();
    void merged();
    void filesRead();
    void mainInputsOption();
    void symlinkOutsideProject();
    void overlayWithoutProjectFolder();
    void effectiveJob_data();
    void effectiveJob();
    void provenance();
    void stages_data();
    void stages();
    void hiddenJobs();
    void sharedTemplatesAsCache();
    void performance();
};

void TestResolver::diagnostics_data()
{
    QTest::addColumn<QStringList>("project");
    QTest::addColumn<QStringList>("expected");

    // --- main file ---------------------------------------------------------------------------
    QTest::newRow("empty main") << files({".gitlab-ci.yml", ""})
                                << files({".gitlab-ci.yml:1:1: error [empty-config] Please "
                                          "provide content of .gitlab-ci.yml"});
    QTest::newRow("comment-only main")
        << files({".gitlab-ci.yml", "# nothing\n"})
        << files({".gitlab-ci.yml:1:1: error [empty-config] Please provide content of "
                  ".gitlab-ci.yml"});
    QTest::newRow("scalar main") << files({".gitlab-ci.yml", "hello\n"})
                                 << files({".gitlab-ci.yml:1:1: error [invalid-format] Invalid "
                                           "configuration format"});
    QTest::newRow("sequence main") << files({".gitlab-ci.yml", "- a\n- b\n"})
                                   << files({".gitlab-ci.yml:1:1: error [invalid-format] Invalid "
                                             "configuration format"});
    QTest::newRow("two documents without spec")
        << files({".gitlab-ci.yml", "a:\n  script: x\n---\nb:\n  script: y\n"})
        << files({".gitlab-ci.yml:3:1: error [yaml-multiple-documents] Invalid configuration "
                  "format: the file holds 2 YAML documents; only a `spec:` header document may "
                  "come before the configuration"});
    QTest::newRow("three documents")
        << files({".gitlab-ci.yml", "spec:\n  inputs: {}\n---\na: 1\n---\nb: 2\n"})
        << files({".gitlab-ci.yml:3:1: error [yaml-multiple-documents] Invalid configuration "
                  "format: the file holds 3 YAML documents; only a `spec:` header document may "
                  "come before the configuration"});
    QTest::newRow("bad header key")
        << files({".gitlab-ci.yml", "spec:\n  inputs: {}\n  foo: 1\n---\njob:\n  script: x\n"})
        << files({".gitlab-ci.yml:3:3: error [header-invalid] header:spec config contains "
                  "unknown keys: foo"});
    QTest::newRow("spec without separator")
        << files({".gitlab-ci.yml", "job:\n  script: x\nspec:\n  inputs: {}\n"})
        << files({".gitlab-ci.yml:3:1: warning [header-not-separated] `spec:` must be a header "
                  "document of its own, followed by `---`"});
    QTest::newRow("main spec default used")
        << files({".gitlab-ci.yml",
                  "spec:\n  inputs:\n    who:\n      default: me\n---\njob:\n  script: echo "
                  "$[[ inputs.who ]]\n"})
        << QStringList();

    // --- include: local -------------------------------------------------------------------------
    QTest::newRow("local missing")
        << files({".gitlab-ci.yml", "include: missing.yml\n"})
        << files({".gitlab-ci.yml:1:10: error [include-not-found] Local file `missing.yml` does "
                  "not exist!"});
    QTest::newRow("local missing (map)")
        << files({".gitlab-ci.yml", "include:\n  - local: /ci/missing.yml\n"})
        << files({".gitlab-ci.yml:2:12: error [include-not-found] Local file `/ci/missing.yml` "
                  "does not exist!"});
    QTest::newRow("local not yaml")
        << files({".gitlab-ci.yml", "include: ci/a.txt\n", "ci/a.txt", "a: 1\n"})
        << files({".gitlab-ci.yml:1:10: error [include-not-yaml] Included file `ci/a.txt` does "
                  "not have YAML extension!"});
    QTest::newRow("local escape")
        << files({".gitlab-ci.yml", "include: ../other/x.yml\n"})
        << files({".gitlab-ci.yml:1:10: error [include-outside-project] Local file "
                  "`../other/x.yml` is outside the project: includes cannot leave the "
                  "repository"});
    QTest::newRow("local escape through a folder")
        << files({".gitlab-ci.yml", "include:\n  local: /ci/../../x.yml\n"})
        << files({".gitlab-ci.yml:2:10: error [include-outside-project] Local file "
                  "`/ci/../../x.yml` is outside the project: includes cannot leave the "
                  "repository"});
    QTest::newRow("local invalid yaml")
        << files({".gitlab-ci.yml", "include: a.yml\n", "a.yml", "job:\n  script: [a\n"})
        << files({"a.yml:2:11: error [yaml-syntax] this flow sequence '[' is never closed",
                  ".gitlab-ci.yml:1:10: error [include-invalid-yaml] Included file `a.yml` does "
                  "not have valid YAML syntax!"});
    QTest::newRow("local empty")
        << files({".gitlab-ci.yml", "include: a.yml\njob:\n  script: x\n", "a.yml", "\n"})
        << files({".gitlab-ci.yml:1:10: error [include-empty] Included file `a.yml` is empty or "
                  "does not exist!"});
    QTest::newRow("local not a hash")
        << files({".gitlab-ci.yml", "include: a.yml\n", "a.yml", "- a\n"})
        << files({".gitlab-ci.yml:1:10: error [include-invalid-yaml] Included file `a.yml` does "
                  "not have valid YAML syntax!"});
    QTest::newRow("wildcard matches nothing")
        << files({".gitlab-ci.yml", "include: 'ci/*.yml'\n"})
        << files({".gitlab-ci.yml:1:10: error [include-not-found] Local file `ci/*.yml` does not "
                  "exist!"});
    QTest::newRow("unknown variable in path")
        << files({".gitlab-ci.yml", "include: ci/$FOO-${NOPE}-$NOPE.yml\n"})
        << files({".gitlab-ci.yml:1:10: info [include-offline] include not resolved offline: "
                  "`ci/1-${NOPE}-$NOPE.yml` (unknown variable NOPE)"});
    QTest::newRow("unknown variable in project ref")
        << files({".gitlab-ci.yml", "include:\n  project: g/p\n  ref: $TAG\n  file: a.yml\n"})
        << files({".gitlab-ci.yml:3:8: info [include-offline] include not resolved offline: "
                  "`$TAG` (unknown variable TAG)"});

    // --- include structure ----------------------------------------------------------------------
    QTest::newRow("unknown include key")
        << files({".gitlab-ci.yml", "include:\n  - local: a.yml\n    foo: 1\n    bar: 2\n"})
        << files({".gitlab-ci.yml:3:5: error [include-invalid] include config contains unknown "
                  "keys: foo, bar"});
    QTest::newRow("local and remote together")
        << files({".gitlab-ci.yml", "include:\n  - local: a.yml\n    remote: https://x/a.yml\n"})
        << files({".gitlab-ci.yml:2:5: error [include-ambiguous] Include "
                  "`{\"local\":\"a.yml\",\"remote\":\"https://x/a.yml\"}` needs to match exactly "
                  "one accessor!"});
    QTest::newRow("no accessor")
        << files({".gitlab-ci.yml", "include:\n  - rules:\n      - when: always\n"})
        << files({".gitlab-ci.yml:2:5: error [include-ambiguous] Include "
                  "`{\"rules\":[{\"when\":\"always\"}]}` needs to match exactly one accessor!"});
    QTest::newRow("include is a number")
        << files({".gitlab-ci.yml", "include: 3\n"})
        << files({".gitlab-ci.yml:1:10: error [include-invalid] include config should be a hash, "
                  "a string or an array"});
    QTest::newRow("include item is a number")
        << files({".gitlab-ci.yml", "include:\n  - 3\n"})
        << files({".gitlab-ci.yml:2:5: error [include-invalid] include config should be a hash "
                  "or a string"});
    QTest::newRow("local is a list")
        << files({".gitlab-ci.yml", "include:\n  local: [a.yml]\n"})
        << files({".gitlab-ci.yml:2:10: error [include-invalid] include:local config should be a "
                  "string"});
    QTest::newRow("file without project")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  file: b.yml\n"})
        << files({".gitlab-ci.yml:3:3: error [include-invalid] include config contains unknown "
                  "keys: file"});
    QTest::newRow("project without file")
        << files({".gitlab-ci.yml", "include:\n  project: g/p\n"})
        << files({".gitlab-ci.yml:2:3: error [include-invalid] include config must specify the "
                  "file where to fetch the config from"});
    QTest::newRow("inputs not a hash")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  inputs: [a]\n"})
        << files({".gitlab-ci.yml:3:11: error [include-invalid] include:inputs config should be a "
                  "hash"});
    QTest::newRow("rules when manual")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  rules:\n    - when: manual\n"})
        << files({".gitlab-ci.yml:4:13: error [include-invalid] include:rules:rule when unknown "
                  "value: manual"});
    QTest::newRow("rules when null is unspecified")
        << files({".gitlab-ci.yml",
                  "include:\n  local: a.yml\n  rules:\n    - when: null\nj:\n  script: x\n",
                  "a.yml", "a:\n  script: x\n"})
        << QStringList();
    QTest::newRow("project path with a leading slash")
        << files({".gitlab-ci.yml", "include:\n  project: /slug\n  file: a.yml\n"})
        << files({".gitlab-ci.yml:2:12: error [include-invalid] include:project `/slug` should be "
                  "a full project path such as `group/project`"});
    QTest::newRow("rules not an array")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  rules: {when: never}\n"})
        << files({".gitlab-ci.yml:3:10: error [include-invalid] include:rules config should be an "
                  "array of hashes"});
    QTest::newRow("bad component address")
        << files({".gitlab-ci.yml", "include:\n  - component: gitlab.com/x\n"})
        << files({".gitlab-ci.yml:2:16: error [include-invalid] include:component "
                  "`gitlab.com/x` should be `<host>/<project path>/<name>@<version>`"});

    // --- offline ------------------------------------------------------------------------------
    QTest::newRow("template offline")
        << files({".gitlab-ci.yml",
                  "include:\n  - template: Nope.gitlab-ci.yml\njob:\n  script: x\n"})
        << files({".gitlab-ci.yml:2:15: info [include-offline] include not resolved offline: "
                  "template `Nope.gitlab-ci.yml`"});
    QTest::newRow("remote offline")
        << files({".gitlab-ci.yml", "include: https://example.com/ci.yml?x=1\n"})
        << files({".gitlab-ci.yml:1:10: info [include-offline] include not resolved offline: "
                  "remote `https://example.com/ci.yml?x=1`"});
    QTest::newRow("project offline")
        << files(
               {".gitlab-ci.yml", "include:\n  project: g/p\n  ref: v1\n  file: [a.yml, b.yml]\n"})
        << files({".gitlab-ci.yml:4:10: info [include-offline] include not resolved offline: "
                  "project `g/p@v1` file `a.yml`",
                  ".gitlab-ci.yml:4:17: info [include-offline] include not resolved offline: "
                  "project `g/p@v1` file `b.yml`"});
    QTest::newRow("component offline")
        << files({".gitlab-ci.yml", "include:\n  - component: gitlab.com/g/p/c@1.0\n"})
        << files({".gitlab-ci.yml:2:16: info [include-offline] include not resolved offline: "
                  "component `gitlab.com/g/p/c@1.0`"});
    QTest::newRow("extends target maybe offline")
        << files({".gitlab-ci.yml",
                  "include:\n  - template: Nope.gitlab-ci.yml\njob:\n  extends: .base\n"})
        << files({".gitlab-ci.yml:2:15: info [include-offline] include not resolved offline: "
                  "template `Nope.gitlab-ci.yml`",
                  ".gitlab-ci.yml:4:12: info [extends-unknown] job: unknown keys in `extends` "
                  "(.base)"});
    QTest::newRow("reference target maybe offline")
        << files({".gitlab-ci.yml",
                  "include: https://x.org/a.yml\njob:\n  script: [!reference [.a, script]]\n"})
        << files({".gitlab-ci.yml:1:10: info [include-offline] include not resolved offline: "
                  "remote `https://x.org/a.yml`",
                  ".gitlab-ci.yml:3:12: info [reference-not-found] !reference [\".a\", "
                  "\"script\"] could not be found"});

    // --- cycles and limits ----------------------------------------------------------------------
    QTest::newRow("self include")
        << files({".gitlab-ci.yml", "include: .gitlab-ci.yml\njob:\n  script: x\n"})
        << files({".gitlab-ci.yml:1:10: error [include-cycle] Circular include: .gitlab-ci.yml → "
                  ".gitlab-ci.yml"});
    QTest::newRow("indirect cycle")
        << files({".gitlab-ci.yml", "include: a.yml\n", "a.yml",
                  "include: /b.yml\na:\n  script: x\n", "b.yml",
                  "include:\n  - local: a.yml\nb:\n  script: x\n"})
        << files({"b.yml:2:12: error [include-cycle] Circular include: a.yml → b.yml → a.yml"});
    QTest::newRow("duplicate include is silent")
        << files({".gitlab-ci.yml", "include: [a.yml, /a.yml, ./a.yml]\n", "a.yml",
                  "a:\n  script: x\n"})
        << QStringList();
    QTest::newRow("150 includes") << QStringList{QStringLiteral(".gitlab-ci.yml"),
                                                 repeatIncludes(150), QStringLiteral("t.yml"),
                                                 QStringLiteral("job:\n  script: x\n")}
                                  << QStringList();
    QTest::newRow("151 includes")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), repeatIncludes(151),
                       QStringLiteral("t.yml"), QStringLiteral("job:\n  script: x\n")}
        << files({".gitlab-ci.yml:152:12: error [include-too-many] Maximum of 150 nested includes "
                  "are allowed!"});
    // 74 × (n.yml + t.yml) + m.yml + t.yml = 150; m.yml's second (duplicate) t.yml is the 151st.
    QTest::newRow("nested and duplicate includes count")
        << QStringList{QStringLiteral(".gitlab-ci.yml"),
                       repeatIncludes(74).replace(QStringLiteral("/t.yml"),
                                                  QStringLiteral("/n.yml")) +
                           QStringLiteral("  - local: /m.yml\n"),
                       QStringLiteral("n.yml"),
                       QStringLiteral("include: /t.yml\n"),
                       QStringLiteral("m.yml"),
                       QStringLiteral("include:\n  - /t.yml\n  - t.yml\n"),
                       QStringLiteral("t.yml"),
                       QStringLiteral("job:\n  script: x\n")}
        << files({"m.yml:3:5: error [include-too-many] Maximum of 150 nested includes are "
                  "allowed!"});

    // --- inputs ---------------------------------------------------------------------------------
    const char *spec =
        "spec:\n  inputs:\n    stage:\n    mode:\n      options: [fast, slow]\n"
        "      default: fast\n    version:\n      regex: ^v\\d+$\n      default: v1\n"
        "    count:\n      type: number\n      default: 1\n---\n"
        "job:\n  stage: $[[ inputs.stage ]]\n  script: echo $[[ inputs.mode ]]\n";
    QTest::newRow("input required")
        << files({".gitlab-ci.yml", "include:\n  - local: t.yml\n", "t.yml", spec})
        << files({".gitlab-ci.yml:2:12: error [input-required] `stage` input: required value has "
                  "not been provided"});
    QTest::newRow("input unknown arguments")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs:\n      stage: s\n      foo: 1\n      "
                  "bar: 2\n",
                  "t.yml", spec})
        << files({".gitlab-ci.yml:5:7: error [input-unknown] unknown input arguments: foo, bar"});
    QTest::newRow("input options")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs:\n      stage: s\n      mode: medium\n",
                  "t.yml", spec})
        << files({".gitlab-ci.yml:5:13: error [input-options] `mode` input: `medium` cannot be "
                  "used because it is not in the list of allowed options"});
    QTest::newRow("input regex")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs:\n      stage: s\n      version: '1.0'\n",
                  "t.yml", spec})
        << files({".gitlab-ci.yml:5:16: error [input-regex] `version` input: provided value does "
                  "not match required RegEx pattern"});
    QTest::newRow("input type number")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs:\n      stage: s\n      count: \"2\"\n",
                  "t.yml", spec})
        << files({".gitlab-ci.yml:5:14: error [input-type] `count` input: provided value is not "
                  "a number"});
    QTest::newRow("input type string")
        << files({".gitlab-ci.yml", "include:\n  - local: t.yml\n    inputs:\n      stage: 3\n",
                  "t.yml", spec})
        << files({".gitlab-ci.yml:4:14: error [input-type] `stage` input: provided value is not "
                  "a string"});
    QTest::newRow("input type array")
        << files({".gitlab-ci.yml", "include:\n  - local: t.yml\n    inputs:\n      list: x\n",
                  "t.yml",
                  "spec:\n  inputs:\n    list:\n      type: array\n---\nj:\n  script: x\n"})
        << files({".gitlab-ci.yml:4:13: error [input-type] `list` input: provided value is not "
                  "an array"});
    QTest::newRow("input default of wrong type")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    on:\n      type: boolean\n      default: maybe\n---\nj:\n"
                  "  script: x\n"})
        << files({"t.yml:5:16: error [input-type] `on` input: default value is not a boolean"});
    QTest::newRow("input unknown type")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    x:\n      type: foo\n      default: 1\n---\nj:\n  script: "
                  "x\n"})
        << files({"t.yml:4:13: error [input-type] header:spec:inputs:x input type unknown value: "
                  "foo"});
    QTest::newRow("unknown interpolation key")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    a:\n      default: x\n---\nj:\n  script: echo $[[ "
                  "inputs.b ]]\n"})
        << files({"t.yml:7:11: error [input-unknown-key] unknown interpolation key: `b`"});
    QTest::newRow("too many functions")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    a:\n      default: x\n---\nj:\n  script: $[[ inputs.a "
                  "| expand_vars | expand_vars | expand_vars | expand_vars ]]\n"})
        << files({"t.yml:7:11: error [input-interpolation] too many functions in interpolation "
                  "block"});
    QTest::newRow("unknown function")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    a:\n      default: x\n---\nj:\n  script: $[[ inputs.a "
                  "| upcase ]]\n"})
        << files({"t.yml:7:11: error [input-function] no function matching `upcase`: check that "
                  "the function name, arguments, and types are correct"});
    QTest::newRow("inputs without spec")
        << files({".gitlab-ci.yml", "include:\n  local: t.yml\n  inputs:\n    a: 1\n", "t.yml",
                  "j:\n  script: x\n"})
        << files({".gitlab-ci.yml:4:5: error [inputs-without-spec] Given inputs not defined in "
                  "the `spec` section of the included configuration file"});
    QTest::newRow("options on array input")
        << files({".gitlab-ci.yml", "include: t.yml\n", "t.yml",
                  "spec:\n  inputs:\n    a:\n      type: array\n      default: []\n      "
                  "options: [x]\n---\nj:\n  script: x\n"})
        << files({"t.yml:6:16: error [header-invalid] header:spec:inputs:a options can only be "
                  "used with string and number inputs"});

    // --- extends ------------------------------------------------------------------------------
    QTest::newRow("extends unknown")
        << files({".gitlab-ci.yml", "job:\n  extends: [.a, .b]\n  script: x\n.a:\n  image: x\n"})
        << files({".gitlab-ci.yml:2:12: error [extends-unknown] job: unknown keys in `extends` "
                  "(.b)"});
    QTest::newRow("extends cycle")
        << files({".gitlab-ci.yml", ".a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: "
                                    ".a\n  script: x\n"})
        << files({".gitlab-ci.yml:2:12: error [extends-cycle] .a: circular dependency detected in "
                  "`extends`",
                  ".gitlab-ci.yml:4:12: error [extends-cycle] .b: circular dependency detected in "
                  "`extends`"});
    QTest::newRow("extends itself")
        << files({".gitlab-ci.yml", "job:\n  extends: job\n  script: x\n"})
        << files({".gitlab-ci.yml:2:12: error [extends-cycle] job: circular dependency detected "
                  "in `extends`"});
    QTest::newRow("extends 11 levels")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), deepExtends(11)} << QStringList();
    QTest::newRow("extends 12 levels")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), deepExtends(12)}
        << files({".gitlab-ci.yml:24:12: error [extends-depth] job: nesting too deep in "
                  "`extends`"});
    QTest::newRow("extends invalid")
        << files({".gitlab-ci.yml", "job:\n  extends: {a: 1}\n  script: x\n"})
        << files({".gitlab-ci.yml:2:12: error [extends-invalid] job: invalid extends"});
    QTest::newRow("extends non-hash parent")
        << files({".gitlab-ci.yml", ".a: [x]\njob:\n  extends: .a\n  script: x\n"})
        << files({".gitlab-ci.yml:3:12: error [extends-invalid] job: invalid base hash in "
                  "`extends` (.a)"});

    // --- !reference ---------------------------------------------------------------------------
    QTest::newRow("reference not found")
        << files({".gitlab-ci.yml", ".a:\n  script: [x]\njob:\n  script:\n    - !reference [.a, "
                                    "before_script]\n"})
        << files({".gitlab-ci.yml:5:7: error [reference-not-found] !reference [\".a\", "
                  "\"before_script\"] could not be found"});
    QTest::newRow("reference circular")
        << files({".gitlab-ci.yml", "test-job:\n  script:\n    - !reference [test-job, script]\n"})
        << files({".gitlab-ci.yml:3:7: error [reference-cycle] !reference [\"test-job\", "
                  "\"script\"] is part of a circular chain"});
    QTest::newRow("reference 10 levels")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), deepReferences(9)} << QStringList();
    QTest::newRow("reference 11 levels")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), deepReferences(11)}
        << files({".gitlab-ci.yml:25:7: error [reference-depth] !reference [\".s11\"] is nested "
                  "too deeply: references may be nested 10 levels"});
    QTest::newRow("reference invalid")
        << files({".gitlab-ci.yml", "job:\n  script: !reference [[a], b]\n"})
        << files({".gitlab-ci.yml:2:11: error [reference-invalid] !reference [\"\", \"b\"] should "
                  "be an array of strings"});
}

void TestResolver::diagnostics()
{
    QFETCH(QStringList, project);
    QFETCH(QStringList, expected);
    for (Mode mode : {Mode::Disk, Mode::Overlay}) {
        Project p(project, mode);
        const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
        const QStringList actual = rendered(config, p.cache());
        if (actual != expected)
            qWarning().noquote() << (mode == Mode::Disk ? "disk:" : "overlay:") << actual;
        QCOMPARE(actual, expected);
    }
}

void TestResolver::merged_data()
{
    QTest::addColumn<QStringList>("project");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected"); ///< YAML of the node at path

    // --- include merge semantics ----------------------------------------------------------------
    const QStringList mergeProject = files(
        {".gitlab-ci.yml",
         "include: ci/a.yml\nvariables:\n  A: main\njob:\n  image: main\n  variables:\n    X: 1\n",
         "ci/a.yml",
         "variables:\n  A: inc\n  B: inc\njob:\n  image: inc\n  script: [inc]\n  variables:\n    "
         "Y: 2\nother:\n  script: x\n"});
    QTest::newRow("main wins, maps deep-merged") << mergeProject << "variables"
                                                 << "A: main\nB: inc";
    QTest::newRow("job deep-merged, main's keys first")
        << mergeProject << "job"
        << "image: main\nvariables:\n  X: 1\n  Y: 2\nscript:\n- inc";
    QTest::newRow("include keys after main's")
        << mergeProject << ""
        << "variables:\n  A: main\n  B: inc\njob:\n  image: main\n  "
           "variables:\n    X: 1\n    Y: 2\n  script:\n  - inc\nother:\n  "
           "script: x";
    QTest::newRow("later include wins over earlier")
        << files({".gitlab-ci.yml", "include: [a.yml, b.yml]\n", "a.yml",
                  "job:\n  image: a\n  tags: [a]\n", "b.yml", "job:\n  image: b\n"})
        << "job"
        << "image: b\ntags:\n- a";
    QTest::newRow("arrays replaced, not merged")
        << files({".gitlab-ci.yml", "include: a.yml\njob:\n  script: [main]\n", "a.yml",
                  "job:\n  script: [a, b]\n"})
        << "job/script"
        << "- main";
    QTest::newRow("nested include relative to root")
        << files({".gitlab-ci.yml", "include: ci/a.yml\n", "ci/a.yml", "include: ci/b.yml\n",
                  "ci/b.yml", "b:\n  script: x\n"})
        << "b/script"
        << "x";
    QTest::newRow("wildcard *") << files({".gitlab-ci.yml", "include: 'ci/*.yml'\n", "ci/a.yml",
                                          "a:\n  script: x\n", "ci/sub/b.yml", "b:\n  script: x\n",
                                          "ci/.c.yml", "c:\n  script: x\n"})
                                << ""
                                << "c:\n  script: x\na:\n  script: x";
    QTest::newRow("wildcard ** spans folders")
        << files({".gitlab-ci.yml", "include: 'ci/**.yml'\n", "ci/a.yml", "a:\n  script: x\n",
                  "ci/sub/deep/b.yml", "b:\n  script: x\n"})
        << ""
        << "a:\n  script: x\nb:\n  script: x";
    QTest::newRow("wildcard **/ needs a folder")
        << files({".gitlab-ci.yml", "include: '/ci/**/*.yml'\n", "ci/a.yml", "a:\n  script: x\n",
                  "ci/sub/b.yml", "b:\n  script: x\n"})
        << ""
        << "b:\n  script: x";
    QTest::newRow("variable in local path")
        << files({".gitlab-ci.yml", "include: ci/$FOO.yml\n", "ci/1.yml", "one:\n  script: x\n"})
        << "one/script"
        << "x";
    QTest::newRow("include key removed")
        << files({".gitlab-ci.yml", "include: a.yml\n", "a.yml", "include: b.yml\n", "b.yml",
                  "j:\n  script: x\n"})
        << "include"
        << "";

    QTest::newRow("empty include list")
        << files({".gitlab-ci.yml", "include: []\nj:\n  script: x\n"}) << "j/script"
        << "x";
    QTest::newRow("null include") << files({".gitlab-ci.yml", "include:\nj:\n  script: x\n"}) << ""
                                  << "j:\n  script: x";
    QTest::newRow("remote with integrity and cache keys")
        << files({".gitlab-ci.yml",
                  "include:\n  - remote: https://h.org/r.yml\n    integrity: sha256-x\n    cache: "
                  "1h\n",
                  "cache/remote/h.org/r.yml", "r:\n  script: x\n"})
        << "r/script"
        << "x";
    // --- include:rules --------------------------------------------------------------------------
    QTest::newRow("rules if true")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  rules:\n    - if: $FOO == \"1\"\n",
                  "a.yml", "a:\n  script: x\n"})
        << "a/script"
        << "x";
    QTest::newRow("rules if false")
        << files({".gitlab-ci.yml",
                  "include:\n  local: a.yml\n  rules:\n    - if: $FOO == \"2\"\nj:\n  script: x\n",
                  "a.yml", "a:\n  script: x\n"})
        << "a"
        << "";
    QTest::newRow("rules when never")
        << files({".gitlab-ci.yml",
                  "include:\n  local: a.yml\n  rules:\n    - if: $FOO\n      when: never\n    - "
                  "when: always\nj:\n  script: x\n",
                  "a.yml", "a:\n  script: x\n"})
        << "a"
        << "";
    QTest::newRow("rules exists")
        << files(
               {".gitlab-ci.yml",
                "include:\n  - local: a.yml\n    rules:\n      - exists: [Dockerfile]\n  - local: "
                "b.yml\n    rules:\n      - exists: ['**/*.go']\n",
                "a.yml", "a:\n  script: x\n", "b.yml", "b:\n  script: x\n", "src/main.go", ""})
        << ""
        << "b:\n  script: x";
    QTest::newRow("rules exists with paths map")
        << files({".gitlab-ci.yml",
                  "include:\n  local: a.yml\n  rules:\n    - exists:\n        paths: [src/*.go]\n",
                  "a.yml", "a:\n  script: x\n", "src/main.go", ""})
        << "a/script"
        << "x";
    QTest::newRow("rules changes counts as true")
        << files({".gitlab-ci.yml", "include:\n  local: a.yml\n  rules:\n    - changes: [x]\n",
                  "a.yml", "a:\n  script: x\n"})
        << "a/script"
        << "x";

    // --- cached includes ------------------------------------------------------------------------
    QTest::newRow("template under template/")
        << files({".gitlab-ci.yml", "include:\n  - template: Jobs/Build.gitlab-ci.yml\n",
                  "cache/template/Jobs/Build.gitlab-ci.yml", "build:\n  script: x\n"})
        << "build/script"
        << "x";
    QTest::newRow("template at the cache root")
        << files({".gitlab-ci.yml", "include:\n  - template: Go.gitlab-ci.yml\n",
                  "cache/Go.gitlab-ci.yml", "go:\n  script: x\n"})
        << "go/script"
        << "x";
    QTest::newRow("project with ref and inner local")
        << files({".gitlab-ci.yml",
                  "include:\n  - project: g/p\n    ref: v1\n    file: /ci/a.yml\n",
                  "cache/project/g/p/v1/ci/a.yml", "include: /ci/b.yml\na:\n  script: x\n",
                  "cache/project/g/p/v1/ci/b.yml", "b:\n  script: yy\n"})
        << ""
        << "a:\n  script: x\nb:\n  script: yy";
    QTest::newRow("project default branch, file list")
        << files({".gitlab-ci.yml",
                  "include:\n  - project: $CI_PROJECT_PATH\n    file: [a.yml, "
                  "b.yml]\n",
                  "cache/project/group/proj/HEAD/a.yml", "a:\n  script: x\n",
                  "cache/project/group/proj/HEAD/b.yml", "b:\n  script: yy\n"})
        << ""
        << "a:\n  script: x\nb:\n  script: yy";
    QTest::newRow("remote") << files({".gitlab-ci.yml",
                                      "include: https://example.com/ci/r.yml?ref=1\n",
                                      "cache/remote/example.com/ci/r.yml", "r:\n  script: x\n"})
                            << "r/script"
                            << "x";
    QTest::newRow("component with inputs")
        << files({".gitlab-ci.yml",
                  "include:\n  - component: gitlab.com/g/p/lint@1.2\n    inputs:\n      stage: "
                  "check\n",
                  "cache/component/gitlab.com/g/p/1.2/templates/lint.yml",
                  "spec:\n  inputs:\n    stage:\n      default: test\n---\n$[[ component.name "
                  "]]-job:\n  stage: $[[ inputs.stage ]]\n  script: echo $[[ component.version "
                  "]]\n"})
        << "lint-job"
        << "stage: check\nscript: echo 1.2";
    QTest::newRow("component of the project itself")
        << files(
               {".gitlab-ci.yml",
                "include:\n  - component: $CI_SERVER_HOST/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA\n"
                "    inputs: {env: prod}\n",
                "templates/deploy/template.yml",
                "spec:\n  inputs:\n    env:\n---\ndeploy-$[[ inputs.env ]]:\n  script: echo "
                "$[[ component.name ]]@$[[ component.version ]]\n"})
        << "deploy-prod/script"
        << "echo deploy@0123abc";
    QTest::newRow("component template.yml form")
        << files({".gitlab-ci.yml", "include:\n  - component: gitlab.com/g/p/lint@1.2\n",
                  "cache/component/gitlab.com/g/p/1.2/templates/lint/template.yml",
                  "lint:\n  script: x\n"})
        << "lint/script"
        << "x";

    // --- inputs ---------------------------------------------------------------------------------
    const char *typed = "spec:\n  inputs:\n    flag:\n      type: boolean\n    n:\n      type: "
                        "number\n    list:\n      type: array\n    s:\n      default: 'true'\n---\n"
                        "job:\n  interruptible: $[[ inputs.flag ]]\n  parallel: $[[ inputs.n ]]\n"
                        "  rules: $[[ inputs.list ]]\n  variables:\n    S: $[[ inputs.s ]]\n    "
                        "T: x-$[[ inputs.n ]]-$[[ inputs.flag ]]\n  script: x\n";
    const QStringList typedProject = QStringList{
        QStringLiteral(".gitlab-ci.yml"),
        QStringLiteral("include:\n  - local: t.yml\n    inputs:\n      flag: true\n      n: 3\n"
                       "      list:\n        - if: $A\n        - when: never\n"),
        QStringLiteral("t.yml"), QString::fromUtf8(typed)};
    QTest::newRow("whole interpolation keeps type")
        << typedProject << "job"
        << "interruptible: true\nparallel: 3\nrules:\n- if: $A\n- when: never\nvariables:\n  S: "
           "\"true\"\n  T: x-3-true\nscript: x";
    QTest::newRow("key interpolation and functions")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs:\n      name: build\n      text: it's "
                  "$NAME\n",
                  "t.yml",
                  "spec:\n  inputs:\n    name:\n    text:\n---\njob-$[[ inputs.name ]]:\n  "
                  "script:\n    - echo $[[ inputs.text | expand_vars ]]\n    - echo $[[ "
                  "inputs.text | posix_escape ]]\n    - echo $[[ inputs.name | truncate(1,3) "
                  "]]\n"})
        << "job-build/script"
        << "- echo it's world\n- echo it\\'s\\ \\$NAME\n- echo uil";
    QTest::newRow("interpolation of include inside included file")
        << files({".gitlab-ci.yml", "include:\n  - local: t.yml\n    inputs:\n      file: b\n",
                  "t.yml", "spec:\n  inputs:\n    file:\n---\ninclude: $[[ inputs.file ]].yml\n",
                  "b.yml", "b:\n  script: x\n"})
        << "b/script"
        << "x";
    QTest::newRow("same file with two input sets")
        << files({".gitlab-ci.yml",
                  "include:\n  - local: t.yml\n    inputs: {n: a}\n  - local: t.yml\n    inputs: "
                  "{n: b}\n",
                  "t.yml", "spec:\n  inputs:\n    n:\n---\njob-$[[ inputs.n ]]:\n  script: x\n"})
        << ""
        << "job-a:\n  script: x\njob-b:\n  script: x";
    QTest::newRow("no header: no interpolation")
        << files({".gitlab-ci.yml", "job:\n  script: echo $[[ inputs.x ]]\n"}) << "job/script"
        << "echo $[[ inputs.x ]]";

    // --- extends --------------------------------------------------------------------------------
    const QStringList extendsProject = files(
        {".gitlab-ci.yml",
         ".a:\n  image: a\n  variables: {A: a, B: a}\n  script: [a]\n.b:\n  image: b\n  "
         "variables: {B: b, C: b}\n.c:\n  extends: .a\n  tags: [c]\njob:\n  extends: [.c, .b]\n  "
         "variables: {C: job}\n  script: [job]\n"});
    QTest::newRow("extends: parents in order, child wins")
        << extendsProject << "job"
        << "image: b\nvariables:\n  A: a\n  B: b\n  C: job\nscript:\n- job\nextends:\n- .c\n- "
           ".b\ntags:\n- c";
    QTest::newRow("extends multi-level keeps extends key")
        << extendsProject << ".c"
        << "image: a\nvariables:\n  A: a\n  B: a\nscript:\n- a\nextends: "
           ".a\ntags:\n- c";
    QTest::newRow("extends a job from an include")
        << files({".gitlab-ci.yml", "include: a.yml\njob:\n  extends: .base\n  script: x\n",
                  "a.yml", ".base:\n  image: inc\n"})
        << "job"
        << "image: inc\nextends: .base\nscript: x";
    QTest::newRow("extends a visible job")
        << files({".gitlab-ci.yml", "a:\n  script: a\n  stage: build\nb:\n  extends: a\n"}) << "b"
        << "script: a\nstage: build\nextends: a";

    // --- !reference -----------------------------------------------------------------------------
    const QStringList refProject = files(
        {".gitlab-ci.yml",
         ".setup:\n  script: [s1, s2]\n  variables: {V: v}\n.rules:\n  rules:\n    - if: $A\n"
         ".nested:\n  script:\n    - !reference [.setup, script]\n    - nn\njob:\n  variables:\n"
         "    V: !reference [.setup, variables, V]\n  script:\n    - !reference [.nested, "
         "script]\n    - echo\n  rules:\n    - !reference [.rules, rules]\n    - when: manual\n"
         "ext:\n  extends: .setup\n  after_script: !reference [ext, script]\n"});
    QTest::newRow("reference splices and flattens script") << refProject << "job/script"
                                                           << "- s1\n- s2\n- nn\n- echo";
    QTest::newRow("reference scalar") << refProject << "job/variables"
                                      << "V: v";
    QTest::newRow("reference in rules spliced") << refProject << "job/rules"
                                                << "- if: $A\n- when: manual";
    QTest::newRow("reference after extends") << refProject << "ext/after_script"
                                             << "- s1\n- s2";
    QTest::newRow("reference array index")
        << files({".gitlab-ci.yml", ".svc:\n  - name: a\n  - name: b\nj:\n  services: [!reference "
                                    "[.svc, 1]]\n  script: x\n"})
        << "j/services"
        << "- name: b";
    QTest::newRow("reference through an included file")
        << files({".gitlab-ci.yml", "include: a.yml\nj:\n  script: [!reference [.a, script]]\n",
                  "a.yml", ".a:\n  script: [from-a]\n"})
        << "j/script"
        << "- from-a";
    QTest::newRow("nested script arrays flattened")
        << files({".gitlab-ci.yml", "j:\n  script:\n    - a\n    - [b, [c]]\nbefore_script: [[x], "
                                    "yy]\n"})
        << ""
        << "j:\n  script:\n  - a\n  - b\n  - c\nbefore_script:\n- x\n- yy";
    QTest::newRow("hook scripts flattened")
        << files({".gitlab-ci.yml",
                  ".hook:\n  - a\nj:\n  script: x\n  hooks:\n    "
                  "pre_get_sources_script:\n      - !reference [.hook]\n      - b\n"})
        << "j/hooks/pre_get_sources_script"
        << "- a\n- b";
    QTest::newRow("11-level script arrays left for the validator")
        << QStringList{QStringLiteral(".gitlab-ci.yml"), deepReferences(10)} << "test/script"
        << "- - - - - - - - - - - echo test";
}

void TestResolver::merged()
{
    QFETCH(QStringList, project);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    for (Mode mode : {Mode::Disk, Mode::Overlay}) {
        Project p(project, mode);
        const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
        QStringList errors;
        for (const diag::Diagnostic &d : config.diagnostics)
            errors << render(d, p.cache());
        if (!errors.isEmpty())
            qWarning().noquote() << errors;
        QVERIFY(!diag::hasErrors(config.diagnostics));
        const Node node = at(config.root, path);
        const QString actual = node.isDefined() ? yamlOf(node) : QString();
        QCOMPARE(actual, expected);
        // The full configuration reads back as YAML.
        QVERIFY(yaml::Loader::load(yaml::toYaml(config.root), QStringLiteral("out.yml")).ok);
    }
}

void TestResolver::filesRead()
{
    for (Mode mode : {Mode::Disk, Mode::Overlay}) {
        Project p(
            files({".gitlab-ci.yml", "include: [ci/a.yml, ci/b.yml, ci/a.yml]\n", "ci/a.yml",
                   "include: /ci/c.yml\na:\n  script: x\n", "ci/b.yml", "b:\n  script: x\n",
                   "ci/c.yml", "c:\n  script: x\n", "cache/template/T.yml", "t:\n  script: x\n"}),
            mode);
        p.options.overlay.insert(QStringLiteral("ci/b.yml"), "b2:\n  script: x\n");
        QFile::remove(p.options.projectRoot + QStringLiteral("/ci/b.yml"));
        Project::write(p.options.projectRoot + QStringLiteral("/ci/d.yml"),
                       "include:\n  template: T.yml\n");
        p.options.overlay.insert(QStringLiteral(".gitlab-ci.yml"),
                                 "include: [ci/a.yml, ci/b.yml, ci/a.yml, ci/d.yml]\n");
        const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
        QCOMPARE(rendered(config, p.cache()), QStringList());
        QStringList shown = config.files;
        for (QString &f : shown)
            f.replace(p.cache(), QStringLiteral("$CACHE"));
        QCOMPARE(shown, files({".gitlab-ci.yml", "ci/a.yml", "ci/c.yml", "ci/b.yml", "ci/d.yml",
                               "$CACHE/template/T.yml"}));
        QVERIFY(config.job(u"b2")); // the overlay wins over the disk
        QVERIFY(!config.job(u"b"));
        QVERIFY(config.job(u"t"));
        QCOMPARE(config.mainFile, QStringLiteral(".gitlab-ci.yml"));
    }
}

void TestResolver::mainInputsOption()
{
    Project p(
        files({".gitlab-ci.yml", "spec:\n  inputs:\n    env:\n    level:\n      type: number\n"
                                 "      default: 1\n---\ndeploy-$[[ inputs.env ]]:\n  "
                                 "script: echo $[[ inputs.level ]]\n"}),
        Mode::Disk);
    ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    QCOMPARE(rendered(config, p.cache()),
             files({".gitlab-ci.yml:1:1: error [input-required] `env` input: required value has "
                    "not been provided"}));
    QVERIFY(config.header.isMap());
    p.options.inputs.insert(QStringLiteral("env"), Node::makeScalar(QStringLiteral("prod")));
    config = ci::Resolver::resolve(p.options);
    QCOMPARE(rendered(config, p.cache()), QStringList());
    QVERIFY(config.job(u"deploy-prod"));
    QCOMPARE(yamlOf(config.job(u"deploy-prod")->node), QStringLiteral("script: echo 1"));
    QCOMPARE(config.job(u"deploy-prod")->key.location().line, 8);
}

void TestResolver::symlinkOutsideProject()
{
    Project p(files({".gitlab-ci.yml", "include: link.yml\n"}), Mode::Disk);
    const QString outside = p.dir.filePath(QStringLiteral("outside.yml"));
    Project::write(outside, "x:\n  script: x\n");
    QVERIFY(QFile::link(outside, p.options.projectRoot + QStringLiteral("/link.yml")));
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    const QString canonical = QFileInfo(outside).canonicalFilePath();
    QCOMPARE(rendered(config, p.cache()),
             QStringList{QStringLiteral(".gitlab-ci.yml:1:10: error [include-outside-project] "
                                        "Local file `link.yml` is outside the project: it is a "
                                        "symbolic link to ") +
                         canonical});
    QVERIFY(!config.job(u"x"));
}

void TestResolver::overlayWithoutProjectFolder()
{
    ci::ResolveOptions options;
    options.overlay = {{QStringLiteral(".gitlab-ci.yml"), "include: 'ci/*.yml'\n"},
                       {QStringLiteral("ci/a.yml"), "a:\n  script: x\n"}};
    const ci::ResolvedConfig config = ci::Resolver::resolve(options);
    QCOMPARE(rendered(config, QString()), QStringList());
    QVERIFY(config.job(u"a"));
    QCOMPARE(config.files, files({".gitlab-ci.yml", "ci/a.yml"}));
}

void TestResolver::effectiveJob_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("expected");

    const QString base = QStringLiteral(
        "image: legacy\nbefore_script: [legacy]\nvariables:\n  G1: g1\n  G2: g2\ndefault:\n  "
        "image: def\n  retry: 2\n  tags: [t]\n");
    QTest::newRow("defaults fill missing keys")
        << base + QStringLiteral("j:\n  script: x\n  tags: [own]\n") << "j"
        << "script: x\ntags:\n- own\nbefore_script:\n- legacy\nimage: def\nretry: 2\nvariables:\n  "
           "G1: g1\n  G2: g2";
    QTest::newRow("inherit default false")
        << base + QStringLiteral("j:\n  script: x\n  inherit:\n    default: false\n") << "j"
        << "script: x\ninherit:\n  default: false\nvariables:\n  G1: g1\n  G2: g2";
    QTest::newRow("inherit default list")
        << base + QStringLiteral("j:\n  script: x\n  inherit:\n    default: [retry]\n") << "j"
        << "script: x\ninherit:\n  default:\n  - retry\nretry: 2\nvariables:\n  G1: g1\n  G2: g2";
    QTest::newRow("inherit variables false")
        << base + QStringLiteral("j:\n  script: x\n  variables: {J: j}\n  inherit:\n    variables: "
                                 "false\n")
        << "j"
        << "script: x\nvariables:\n  J: j\ninherit:\n  variables: false\nbefore_script:\n- "
           "legacy\nimage: def\nretry: 2\ntags:\n- t";
    QTest::newRow("inherit variables list, job wins")
        << base + QStringLiteral("j:\n  script: x\n  variables: {G2: mine, J: j}\n  inherit:\n    "
                                 "variables: [G2]\n    default: false\n")
        << "j"
        << "script: x\nvariables:\n  G2: mine\n  J: j\ninherit:\n  variables:\n  - G2\n  default: "
           "false";
}

void TestResolver::effectiveJob()
{
    QFETCH(QString, text);
    QFETCH(QString, job);
    QFETCH(QString, expected);
    Project p(QStringList{QStringLiteral(".gitlab-ci.yml"), text}, Mode::Overlay);
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    QCOMPARE(rendered(config, p.cache()), QStringList());
    const ci::Job *j = config.job(job);
    QVERIFY(j);
    QCOMPARE(yamlOf(ci::effectiveJob(config, *j)), expected);
}

void TestResolver::provenance()
{
    for (Mode mode : {Mode::Disk, Mode::Overlay}) {
        Project p(files({".gitlab-ci.yml",
                         "include: ci/base.yml\nvariables:\n  G: g\ndefault:\n  retry: 1\njob:\n  "
                         "extends: .parent\n  script: own\n",
                         "ci/base.yml",
                         ".parent:\n  image: alpine\n  script: p\n  variables:\n    P: p\njob:\n  "
                         "stage: test\n"}),
                  mode);
        const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
        QCOMPARE(rendered(config, p.cache()), QStringList());
        const ci::Job *job = config.job(u"job");
        QVERIFY(job);
        QCOMPARE(locationOf(job->key.location(), p.cache()), QStringLiteral(".gitlab-ci.yml:6:1"));
        QStringList actual;
        for (const auto &[key, location] : ci::provenance(*job))
            actual << key + u' ' + locationOf(location, p.cache());
        // `script` is overridden by the job: its key is the job's, not the parent's.
        QCOMPARE(actual, files({"image ci/base.yml:2:3", "script .gitlab-ci.yml:8:3",
                                "variables ci/base.yml:4:3", "variables.P ci/base.yml:5:5",
                                "extends .gitlab-ci.yml:7:3", "stage ci/base.yml:7:3"}));
        actual.clear();
        for (const auto &[key, location] : ci::provenance(config, *job))
            actual << key + u' ' + locationOf(location, p.cache());
        QCOMPARE(actual, files({"image ci/base.yml:2:3", "script .gitlab-ci.yml:8:3",
                                "variables ci/base.yml:4:3", "variables.G .gitlab-ci.yml:3:3",
                                "variables.P ci/base.yml:5:5", "extends .gitlab-ci.yml:7:3",
                                "stage ci/base.yml:7:3", "retry .gitlab-ci.yml:5:3"}));
        // Value nodes keep their own file too.
        QCOMPARE(locationOf(job->node.value(u"image").location(), p.cache()),
                 QStringLiteral("ci/base.yml:2:10"));
    }
}

void TestResolver::stages_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("stagesLine");
    QTest::newRow("default") << "j:\n  script: x\n"
                             << files({".pre", "build", "test", "deploy", ".post"}) << 0;
    QTest::newRow("declared") << "stages: [a, b]\nj:\n  script: x\n"
                              << files({".pre", "a", "b", ".post"}) << 1;
    QTest::newRow("pre and post moved") << "stages: [.post, a, .pre, b]\n"
                                        << files({".pre", "a", "b", ".post"}) << 1;
    QTest::newRow("nested arrays") << "j:\n  script: x\nstages:\n  - a\n  - [b, [c]]\n"
                                   << files({".pre", "a", "b", "c", ".post"}) << 4;
    QTest::newRow("types alias") << "types: [x]\n" << files({".pre", "x", ".post"}) << 1;
}

void TestResolver::stages()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QFETCH(int, stagesLine);
    Project p(QStringList{QStringLiteral(".gitlab-ci.yml"), text}, Mode::Overlay);
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    QCOMPARE(config.stages, expected);
    QCOMPARE(config.stagesNode.location().line, stagesLine);
}

void TestResolver::hiddenJobs()
{
    Project p(
        files({".gitlab-ci.yml", ".hidden:\n  script: x\nvisible:\n  extends: .hidden\n"
                                 "variables: {A: 1}\nworkflow:\n  rules: [{when: always}]\n"}),
        Mode::Overlay);
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    QCOMPARE(config.jobs.size(), 2);
    QCOMPARE(config.jobs.at(0).name, QStringLiteral(".hidden"));
    QVERIFY(config.jobs.at(0).hidden);
    QCOMPARE(config.jobs.at(1).name, QStringLiteral("visible"));
    QVERIFY(!config.jobs.at(1).hidden);
    QVERIFY(config.root.contains(u".hidden"));
    QCOMPARE(config.job(u"visible"), &config.jobs.at(1));
    QVERIFY(!config.job(u"variables"));

    // A configuration built by hand (no index) is searched too.
    ci::ResolvedConfig manual;
    manual.jobs.append(ci::Job{QStringLiteral("a"), {}, {}, false});
    QCOMPARE(manual.job(u"a"), &manual.jobs.at(0));
    QVERIFY(!manual.job(u"b"));
}

void TestResolver::sharedTemplatesAsCache()
{
    const QString templates = QStringLiteral(STAGECRAFT_SHARED_DIR "/corpus/gitlab-templates");
    if (!QFileInfo(templates + QStringLiteral("/Auto-DevOps.gitlab-ci.yml")).isFile())
        QSKIP("../shared is absent: this test reads ../shared/corpus/gitlab-templates");
    Project p(files({".gitlab-ci.yml", "include:\n  - template: Auto-DevOps.gitlab-ci.yml\n"}),
              Mode::Overlay);
    p.options.includeCacheDir = templates;
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    QVERIFY(!diag::hasErrors(config.diagnostics));
    for (const diag::Diagnostic &d : config.diagnostics)
        QCOMPARE(d.code, QStringLiteral("include-offline")); // templates absent from the corpus
    QVERIFY(config.incomplete);
    // Auto-DevOps includes Jobs/Build.gitlab-ci.yml, found at the cache root.
    QVERIFY(config.job(u"build"));
    QCOMPARE(config.job(u"build")->key.location().file,
             QFileInfo(templates + QStringLiteral("/Jobs/Build.gitlab-ci.yml")).absoluteFilePath());
    QVERIFY(config.files.contains(
        QFileInfo(templates + QStringLiteral("/Auto-DevOps.gitlab-ci.yml")).absoluteFilePath()));
    QVERIFY(config.stages.contains(QStringLiteral("review")));
}

void TestResolver::performance()
{
    QString text = QStringLiteral(
        "include: extra.yml\nstages: [build, test]\n.base:\n  image: alpine\n  before_script: "
        "[setup]\n  "
        "variables: {A: a}\n");
    for (int i = 0; i < 2000; ++i) {
        text += QStringLiteral("job-%1:\n  extends: .base\n  stage: %2\n  script:\n    - "
                               "!reference [.base, before_script]\n    - make %1\n  needs: "
                               "[job-%3]\n")
                    .arg(i)
                    .arg(i % 2 ? QStringLiteral("test") : QStringLiteral("build"))
                    .arg(i > 0 ? i - 1 : 0);
    }
    Project p(QStringList{QStringLiteral(".gitlab-ci.yml"), text, QStringLiteral("extra.yml"),
                          QStringLiteral("job-5:\n  tags: [extra]\n")},
              Mode::Overlay);
    // CPU time, less sensitive than wall time to other processes on a shared machine.
    const auto cpuMs = [] { return double(std::clock()) * 1000.0 / CLOCKS_PER_SEC; };
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuMs();
    QVERIFY(yaml::Loader::load(text.toUtf8(), QStringLiteral("x.yml")).ok);
    const double parsing = cpuMs() - cpu;
    timer.restart();
    cpu = cpuMs();
    const ci::ResolvedConfig config = ci::Resolver::resolve(p.options);
    const double resolving = cpuMs() - cpu;
    const qint64 elapsed = timer.elapsed();
    qInfo().nospace() << "2000 jobs: parsing alone " << parsing << " ms CPU; resolve (parsing "
                      << "included) " << resolving << " ms CPU, " << elapsed << " ms wall";
    QCOMPARE(config.jobs.size(), 2001);
    QVERIFY(!diag::hasErrors(config.diagnostics));
    QCOMPARE(yamlOf(config.job(u"job-5")->node.value(u"tags")), QStringLiteral("- extra"));
    QCOMPARE(yamlOf(config.job(u"job-1999")->node.value(u"script")),
             QStringLiteral("- setup\n- make 1999"));
    // Generous bound for debug and sanitizer builds; a release build takes a few milliseconds.
    QVERIFY2(elapsed < 3000, qPrintable(QString::number(elapsed)));
}

QTEST_GUILESS_MAIN(TestResolver)
#include "tst_resolver.moc"
