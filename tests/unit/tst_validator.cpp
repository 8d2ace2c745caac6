#include "ci/duration.h"
#include "ci/hints.h"
#include "ci/resolver.h"
#include "ci/validator.h"
#include "expr/expression.h"
#include "yaml/loader.h"

#include <QElapsedTimer>
#include <QTest>

#include <limits>

using namespace stagecraft;

namespace {

ci::ResolvedConfig resolveText(const QByteArray &text)
{
    ci::ResolveOptions options;
    options.projectRoot = QStringLiteral("/nonexistent-stagecraft-test");
    options.overlay.insert(options.mainFile, text);
    return ci::Resolver::resolve(options);
}

diag::Diagnostics validateText(const QByteArray &text)
{
    return ci::Validator::validate(resolveText(text));
}

QString dump(const diag::Diagnostics &ds)
{
    QString out;
    for (const diag::Diagnostic &d : ds) {
        out += QStringLiteral("\n  %1:%2 %3 [%4] %5")
                   .arg(d.range.start.line)
                   .arg(d.range.start.column)
                   .arg(diag::severityName(d.severity), d.code, d.message);
    }
    return out;
}

// Row helpers: `fire` expects a diagnostic (code, message, start line:column); `ok` expects a
// configuration without any error or warning.
void fire(const char *name, const char *yaml, const char *code, const char *message, int line,
          int column)
{
    QTest::newRow(name) << QByteArray(yaml) << QString::fromUtf8(code) << QString::fromUtf8(message)
                        << line << column;
}

void ok(const char *name, const char *yaml)
{
    QTest::newRow(name) << QByteArray(yaml) << QString() << QString() << 0 << 0;
}

} // namespace

class TestValidator : public QObject
{
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void incompleteIsInfo_data();
    void incompleteIsInfo();
    void hints_data();
    void hints();
    void ruleIfColumn_data();
    void ruleIfColumn();
    void duration_data();
    void duration();
    void editDistance_data();
    void editDistance();
    void bridgeScriptIsWarning();
    void lookBehindInOnlyIsWarning();
    void fileOfIncludedNode();
    void unresolvedReferencesAreSkipped();
    void largeConfig();
};

void TestValidator::check_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");

    // ---- jobs: shape, keys, script ----------------------------------------------------------
    fire("unknown job key", "build:\n  scripts: echo\n  script: echo\n", "unknown-key",
         "jobs:build config contains unknown keys: scripts", 2, 3);
    ok("known job keys", "build:\n  stage: test\n  script: echo\n  tags: [docker]\n");
    fire("job not a hash", "build: echo\n", "invalid-type",
         "jobs build config should implement the script:, run:, or trigger: keyword", 1, 8);
    fire("missing script", "build:\n  stage: test\n", "missing-script",
         "jobs build config should implement the script:, run:, or trigger: keyword", 1, 1);
    ok("trigger instead of script", "up:\n  trigger: group/project\n");
    ok("run instead of script", "steps:\n  run:\n    - name: hello\n      script: echo hi\n");
    fire("blank script array", "build:\n  script: []\n", "blank-script",
         "jobs:build script can't be blank", 2, 11);
    fire("blank script string", "build:\n  script: \"\"\n", "blank-script",
         "jobs:build script can't be blank", 2, 11);
    fire("script boolean", "build:\n  script: true\n", "invalid-type",
         "jobs:build:script config should be a string or a nested array of strings up to 10 "
         "levels deep",
         2, 11);
    fire("script 11 levels", "build:\n  script: [[[[[[[[[[[x]]]]]]]]]]]\n", "invalid-type",
         "jobs:build:script config should be a string or a nested array of strings up to 10 "
         "levels deep",
         2, 11);
    ok("script nested arrays", "build:\n  script: [[a, b], c, [[d]]]\n  before_script: []\n"
                               "  after_script: \"\"\n");
    fire("after_script number", "build:\n  script: x\n  after_script: 1\n", "invalid-type",
         "jobs:build:after_script config should be a string or a nested array of strings up to "
         "10 levels deep",
         3, 17);
    fire("no visible job", ".tmpl:\n  script: x\n", "no-visible-jobs",
         "jobs config should contain at least one visible job", 1, 1);
    ok("null keyword is unspecified", "build:\n  script: x\n  image:\n  tags:\n  cache:\n"
                                      "    paths:\n  dependencies: null\n");

    ok("unsubstituted input is the resolver's", "b:\n  script: x\n  when: $[[ inputs.when ]]\n"
                                                "  rules:\n    - if: $[[ inputs.cond ]] ==\n"
                                                "  parallel:\n    matrix:\n"
                                                "      - V: $[[ inputs.list ]]\n");

    // ---- root keywords ----------------------------------------------------------------------
    fire("default unknown key", "default:\n  stage: build\nb:\n  script: x\n", "unknown-key",
         "default config contains unknown keys: stage", 2, 3);
    fire("default interruptible", "default:\n  interruptible: maybe\nb:\n  script: x\n",
         "invalid-type", "default interruptible should be a boolean value", 2, 18);
    fire("default before_script", "default:\n  before_script: 0.1\nb:\n  script: x\n",
         "invalid-type",
         "default:before_script config should be a string or a nested array of strings up to 10 "
         "levels deep",
         2, 18);
    ok("default all keys",
       "default:\n  image: ruby\n  services: [postgres]\n  before_script: [a]\n"
       "  after_script: b\n  cache: {paths: [x]}\n  artifacts: {paths: [y]}\n  retry: 1\n"
       "  tags: [t]\n  timeout: 1h\n  interruptible: true\n  hooks:\n"
       "    pre_get_sources_script: echo\n  id_tokens:\n    T:\n      aud: x\n"
       "  identity: google_cloud\nb:\n  script: x\n");
    fire("workflow unknown key", "workflow:\n  rule: []\nb:\n  script: x\n", "unknown-key",
         "workflow config contains unknown keys: rule", 2, 3);
    fire("workflow rule when manual",
         "workflow:\n  rules:\n    - if: $A\n      when: manual\nb:\n  script: x\n", "invalid-when",
         "workflow:rules:rule when should be one of: always, never", 4, 13);
    fire("workflow rule unknown key",
         "workflow:\n  rules:\n    - if: $A\n      start_in: 1h\nb:\n  script: x\n", "unknown-key",
         "workflow:rules:rule config contains unknown keys: start_in", 4, 7);
    fire("workflow auto_cancel",
         "workflow:\n  auto_cancel:\n    on_new_commit: sometimes\nb:\n  script: x\n",
         "invalid-value",
         "workflow:auto_cancel on new commit should be one of: conservative, interruptible, none",
         3, 20);
    ok("workflow complete",
       "workflow:\n  name: 'Pipeline $X'\n  auto_cancel:\n    on_new_commit: interruptible\n"
       "    on_job_failure: all\n  rules:\n    - if: $A\n      variables: {X: '1'}\n"
       "      auto_cancel: {on_new_commit: none}\n    - changes: [a]\n      when: never\n"
       "    - exists: {paths: [b]}\n      when: always\nb:\n  script: x\n");
    fire("variable name", "variables:\n  MY-VAR: x\nb:\n  script: x\n", "invalid-variable-name",
         "variables config variable name MY-VAR should only contain letters, digits and '_'", 2, 3);
    fire("variable data key", "variables:\n  FOO:\n    value: BAR\n    desc: d\nb:\n  script: x\n",
         "unknown-key", "variables config uses invalid data keys: desc", 4, 5);
    fire("variable options string",
         "variables:\n  V:\n    value: a\n    options: a\nb:\n  script: x\n", "invalid-type",
         "variables config options should be an array of strings", 4, 14);
    fire("variable value not in options",
         "variables:\n  V:\n    value: c\n    options: [a, b]\nb:\n  script: x\n", "invalid-value",
         "variables config value must be present in options", 3, 12);
    fire("variable list value", "variables:\n  V: [a]\nb:\n  script: x\n", "invalid-type",
         "variables config should be a hash of key value pairs, value can be a hash", 2, 6);
    ok("variables all forms",
       "variables:\n  A: x\n  B: 1\n  C: true\n  123: '4'\n  D:\n    value: v\n"
       "    description: d\n    expand: false\n  E:\n    description: only\n"
       "  F:\n    value: a\n    options: [a, b]\nb:\n  script: x\n  variables:\n"
       "    G: {value: x, expand: true}\n");
    fire("job variable options", "b:\n  script: x\n  variables:\n    V: {value: a, options: [a]}\n",
         "unknown-key", "jobs:b:variables config uses invalid data keys: options", 4, 19);
    fire("stages integers", "stages: [1, 2]\nb:\n  script: x\n", "invalid-type",
         "stages config should be an array of strings or a nested array of strings up to 10 "
         "levels deep",
         1, 9);
    ok("stages nested", "stages: [a, [b, c], d]\nb:\n  stage: c\n  script: x\n");
    fire("legacy image", "image: [a]\nb:\n  script: x\n", "invalid-type",
         "image config should be a hash or a string", 1, 8);
    fire("legacy cache", "cache:\n  key: a/b\nb:\n  script: x\n", "invalid-value",
         "cache:key config cannot contain the \"/\" character", 2, 8);
    // The resolver reads the spec: header and reports a misplaced one (header-not-separated).
    ok("spec is the resolver's", "spec:\n  inputs: {}\nb:\n  script: x\n");
    ok("hidden job not validated", ".t:\n  scripts: x\n  when: sometimes\nb:\n  script: x\n");

    // ---- image / services -------------------------------------------------------------------
    fire("image without name", "b:\n  script: x\n  image:\n    entrypoint: [sh]\n", "missing-key",
         "jobs:b:image name can't be blank", 4, 5);
    fire("image unknown key", "b:\n  script: x\n  image:\n    name: a\n    tag: b\n", "unknown-key",
         "jobs:b:image config contains unknown keys: tag", 5, 5);
    fire("image entrypoint string", "b:\n  script: x\n  image:\n    name: a\n    entrypoint: sh\n",
         "invalid-type", "jobs:b:image entrypoint should be an array of strings", 5, 17);
    fire("image docker platform",
         "b:\n  script: x\n  image:\n    name: a\n    docker:\n"
         "      platform: [arm64]\n",
         "invalid-type", "jobs:b:image:docker platform should be a string", 6, 17);
    fire("image docker unknown",
         "b:\n  script: x\n  image:\n    name: a\n    docker:\n"
         "      cpu: 2\n",
         "unknown-key", "jobs:b:image:docker config contains unknown keys: cpu", 6, 7);
    fire("image pull_policy empty", "b:\n  script: x\n  image:\n    name: a\n    pull_policy: []\n",
         "invalid-value", "jobs:b:image:pull_policy config can't be blank", 5, 18);
    fire("image pull_policy value",
         "b:\n  script: x\n  image:\n    name: a\n"
         "    pull_policy: sometimes\n",
         "invalid-value", "jobs:b:image:pull_policy config contains unknown values: sometimes", 5,
         18);
    ok("image full", "b:\n  script: x\n  image:\n    name: a\n    entrypoint: ['']\n"
                     "    docker: {platform: linux/amd64, user: me}\n"
                     "    kubernetes: {user: 1000}\n    pull_policy: [always, if-not-present]\n");
    fire("services not array", "b:\n  script: x\n  services: postgres\n", "invalid-type",
         "jobs:b:services config should be a array", 3, 13);
    fire("service without name", "b:\n  script: x\n  services:\n    - alias: db\n", "missing-key",
         "jobs:b:services:service name can't be blank", 4, 7);
    fire("service command string",
         "b:\n  script: x\n  services:\n    - name: pg\n"
         "      command: start\n",
         "invalid-type", "jobs:b:services:service command should be an array of strings", 5, 16);
    ok("services forms", "b:\n  script: x\n  services:\n    - pg\n    - name: db\n      alias: d\n"
                         "      command: [start]\n      entrypoint: [sh]\n"
                         "      variables: {A: b}\n      pull_policy: never\n");

    // ---- artifacts ----------------------------------------------------------------------------
    fire("artifacts not hash", "b:\n  script: x\n  artifacts: [a]\n", "invalid-type",
         "jobs:b:artifacts config should be a hash", 3, 14);
    fire("artifacts unknown key", "b:\n  script: x\n  artifacts:\n    path: [a]\n", "unknown-key",
         "jobs:b:artifacts config contains unknown keys: path", 4, 5);
    fire("artifacts when", "b:\n  script: x\n  artifacts:\n    when: sometimes\n", "invalid-value",
         "jobs:b:artifacts when should be on_success, on_failure or always", 4, 11);
    fire("artifacts expire_in", "b:\n  script: x\n  artifacts:\n    expire_in: 3 fortnights\n",
         "invalid-duration", "jobs:b:artifacts expire in should be a duration", 4, 16);
    fire("artifacts paths string", "b:\n  script: x\n  artifacts:\n    paths: out/\n",
         "invalid-type", "jobs:b:artifacts paths should be an array of strings", 4, 12);
    fire("artifacts access", "b:\n  script: x\n  artifacts:\n    access: random\n", "invalid-value",
         "jobs:b:artifacts access should be one of: none, developer, maintainer, all", 4, 13);
    fire("artifacts expose_as format",
         "b:\n  script: x\n  artifacts:\n    expose_as: 'a/b'\n    paths: [a]\n", "invalid-value",
         "jobs:b:artifacts expose as can contain only letters, digits, '-', '_' and spaces", 4, 16);
    fire("artifacts expose_as glob",
         "b:\n  script: x\n  artifacts:\n    expose_as: Report\n    paths: ['*.xml']\n",
         "invalid-value", "jobs:b:artifacts paths can't contain '*' when used with 'expose_as'", 5,
         13);
    fire("artifacts untracked", "b:\n  script: x\n  artifacts:\n    untracked: 'true'\n",
         "invalid-type", "jobs:b:artifacts untracked should be a boolean value", 4, 16);
    fire("reports unknown", "b:\n  script: x\n  artifacts:\n    reports:\n      performance: p\n",
         "unknown-key", "jobs:b:artifacts:reports config contains unknown keys: performance", 5, 7);
    fire("reports junit hash", "b:\n  script: x\n  artifacts:\n    reports:\n      junit: {a: b}\n",
         "invalid-type", "jobs:b:artifacts:reports junit should be an array of strings or a string",
         5, 14);
    fire("reports browser_performance list",
         "b:\n  script: x\n  artifacts:\n    reports:\n      browser_performance: [a]\n",
         "invalid-type", "jobs:b:artifacts:reports browser performance should be a string", 5, 28);
    fire("reports coverage format",
         "b:\n  script: x\n  artifacts:\n    reports:\n      coverage_report:\n"
         "        coverage_format: lcov\n        path: c.xml\n",
         "invalid-value",
         "jobs:b:artifacts:reports:coverage_report coverage format should be one of: cobertura, "
         "jacoco",
         6, 26);
    ok("artifacts full",
       "b:\n  script: x\n  artifacts:\n    name: n\n    paths: [a]\n    exclude: [b]\n"
       "    expose_as: Report\n    untracked: false\n    when: always\n    access: developer\n"
       "    expire_in: 1 week\n    reports:\n      junit: [j.xml]\n      dotenv: e.env\n"
       "      coverage_report: {coverage_format: cobertura, path: c.xml}\n"
       "      sast: s.json\n      codequality: [q.json]\n");
    ok("annotations list", "b:\n  script: x\n  artifacts:\n    reports:\n"
                           "      annotations: [a.json]\n");
    ok("artifacts never expire", "b:\n  script: x\n  artifacts:\n    expire_in: never\n");

    // ---- cache ----------------------------------------------------------------------------------
    fire("cache key slash", "b:\n  script: x\n  cache:\n    key: a/b\n", "invalid-value",
         "jobs:b:cache:key config cannot contain the \"/\" character", 4, 10);
    fire("cache key escaped slash", "b:\n  script: x\n  cache:\n    key: a%2Fb\n", "invalid-value",
         "jobs:b:cache:key config cannot contain the \"/\" character", 4, 10);
    fire("cache key dots", "b:\n  script: x\n  cache:\n    key: ..\n", "invalid-value",
         "jobs:b:cache:key config cannot be \".\" or \"..\"", 4, 10);
    fire("cache key files 3", "b:\n  script: x\n  cache:\n    key:\n      files: [a, b, c]\n",
         "invalid-value", "jobs:b:cache:key:files config has too many entries (maximum 2)", 5, 14);
    fire("cache key files string", "b:\n  script: x\n  cache:\n    key:\n      files: a\n",
         "invalid-type", "jobs:b:cache:key:files config should be an array of strings", 5, 14);
    fire("cache key prefix array",
         "b:\n  script: x\n  cache:\n    key:\n      files: [a]\n"
         "      prefix: [p]\n",
         "invalid-type", "jobs:b:cache:key:prefix config should be a string or symbol", 6, 15);
    fire("cache policy", "b:\n  script: x\n  cache:\n    policy: pul\n", "invalid-value",
         "jobs:b:cache policy should be pull-push, push, or pull", 4, 13);
    fire("cache when never", "b:\n  script: x\n  cache:\n    when: never\n", "invalid-value",
         "jobs:b:cache when should be on_success, on_failure or always", 4, 11);
    fire("cache paths string", "b:\n  script: x\n  cache:\n    paths: a\n", "invalid-type",
         "jobs:b:cache:paths config should be an array of strings", 4, 12);
    fire("cache untracked string", "b:\n  script: x\n  cache:\n    untracked: 'true'\n",
         "invalid-type", "jobs:b:cache:untracked config should be a boolean value", 4, 16);
    fire("five caches",
         "b:\n  script: x\n  cache: [{paths: [a]}, {paths: [b]}, {paths: [c]},"
         " {paths: [d]}, {paths: [e]}]\n",
         "invalid-value", "jobs:b:cache config no more than 4 caches can be created", 3, 10);
    fire("cache fallback_keys",
         "b:\n  script: x\n  cache:\n    fallback_keys: [a, b, c, d, e, f]\n", "invalid-value",
         "jobs:b:cache fallback keys has to be less than or equal to 5 in length", 4, 20);
    ok("cache forms",
       "b:\n  script: x\n  cache:\n    - key: .random-..key.\n      paths: [a]\n"
       "      policy: $POLICY\n      when: on_failure\n      unprotect: true\n"
       "      fallback_keys: [k]\n    - key:\n        files: [Gemfile.lock, package.json]\n"
       "        prefix: $CI_JOB_NAME\n      policy: pull\n");

    ok("cache list from an anchor of a list",
       ".c: &c\n  - key: k\n    paths: [a]\nb:\n  script: x\n  cache:\n    - *c\n");
    fire("five caches after flattening",
         ".c: &c\n  - {paths: [a]}\n  - {paths: [b]}\n  - {paths: [c]}\nb:\n  script: x\n"
         "  cache: [*c, *c]\n",
         "invalid-value", "jobs:b:cache config no more than 4 caches can be created", 7, 10);

    // ---- coverage / dependencies / needs ----------------------------------------------------
    fire("coverage not regex", "b:\n  script: x\n  coverage: 'total: \\d+'\n", "invalid-regex",
         "jobs:b coverage config must be a regular expression", 3, 13);
    fire("coverage not re2", "b:\n  script: x\n  coverage: '/(?<=x)\\d+/'\n", "invalid-regex",
         "jobs:b coverage config must be a regular expression", 3, 13);
    ok("coverage valid", "b:\n  script: x\n  coverage: '/Total: \\d+\\.\\d+%/'\n");
    fire("dependencies string", "b:\n  script: x\n  dependencies: a\n", "invalid-type",
         "jobs:b dependencies should be an array of strings", 3, 17);
    fire("undefined dependency", "b:\n  script: x\n  dependencies: [nope]\n",
         "undefined-dependency", "b job: undefined dependency: nope", 3, 18);
    fire("dependency later stage",
         "a:\n  stage: build\n  script: x\n  dependencies: [c]\nc:\n  stage: deploy\n"
         "  script: x\n",
         "dependency-in-later-stage",
         "a job: dependency c is not defined in current or prior stages", 4, 18);
    fire("dependency not in needs",
         "a:\n  stage: build\n  script: x\nb:\n  script: x\n  needs: [a]\n"
         "  dependencies: [a, c]\nc:\n  stage: build\n  script: x\n",
         "dependency-not-in-needs", "jobs:b dependencies the c should be part of needs", 7, 21);
    ok("dependencies earlier stage",
       "a:\n  stage: build\n  script: x\nb:\n  script: x\n  dependencies: [a]\n");
    fire("undefined need", "b:\n  script: x\n  needs: [nope]\n", "undefined-need",
         "b job: undefined need: nope", 3, 11);
    fire("hidden need", ".t:\n  script: x\nb:\n  script: x\n  needs: [.t]\n", "undefined-need",
         "b job: undefined need: .t", 5, 11);
    fire("need later stage",
         "a:\n  stage: deploy\n  script: x\nb:\n  stage: build\n  script: x\n"
         "  needs: [a]\n",
         "need-in-later-stage", "b job: need a is not defined in current or prior stages", 7, 11);
    fire("needs cycle",
         "a:\n  script: x\n  needs: [b]\nb:\n  script: x\n  needs: [c]\nc:\n  script: x\n"
         "  needs: [a]\n",
         "needs-cycle", "The pipeline has circular dependencies", 9, 11);
    fire("needs self", "a:\n  script: x\n  needs: [a]\n", "needs-cycle",
         "The pipeline has circular dependencies", 3, 11);
    fire("duplicate need", "a:\n  script: x\nb:\n  script: x\n  needs: [a, a]\n", "duplicate-need",
         "b has the following needs duplicated: a.", 5, 10);
    fire("need without job", "a:\n  script: x\nb:\n  script: x\n  needs:\n    - artifacts: true\n",
         "missing-key", "jobs:b:needs:need config missing required keys: job", 6, 7);
    fire("need job null", "a:\n  script: x\nb:\n  script: x\n  needs:\n    - job:\n", "missing-key",
         "jobs:b:needs:need config missing required keys: job", 6, 7);
    fire("need matrix not array",
         "a:\n  script: x\nb:\n  script: x\n  needs:\n    - job: a\n      parallel:\n"
         "        matrix: 10\n",
         "invalid-type", "jobs:b:needs:need:parallel:matrix config should be an array of hashes", 8,
         17);
    fire("too many needs",
         "b:\n  script: x\n  needs: [optional-1, optional-2, optional-3, optional-4, optional-5, "
         "optional-6, optional-7, optional-8, optional-9, optional-10, optional-11, optional-12, "
         "optional-13, optional-14, optional-15, optional-16, optional-17, optional-18, "
         "optional-19, optional-20, optional-21, optional-22, optional-23, optional-24, "
         "optional-25, optional-26, optional-27, optional-28, optional-29, optional-30, "
         "optional-31, optional-32, optional-33, optional-34, optional-35, optional-36, "
         "optional-37, optional-38, optional-39, optional-40, optional-41, optional-42, "
         "optional-43, optional-44, optional-45, optional-46, optional-47, optional-48, "
         "optional-49, optional-50, optional-51]\n",
         "too-many-needs",
         "b job: one job can only need 50 others, but you have listed 51. See needs keyword "
         "documentation for more details",
         3, 10);
    ok("needs forms",
       "a:\n  stage: build\n  script: x\n  parallel:\n    matrix:\n      - V: [x, y]\n"
       "b:\n  script: x\n  needs:\n    - a\n    - job: a\n      artifacts: false\n"
       "      parallel:\n        matrix:\n          - V: x\n    - job: gone\n      optional: true\n"
       "    - pipeline: $PARENT_PIPELINE_ID\n      job: build\n      optional: true\n"
       "    - project: g/p\n      job: j\n      ref: main\n      artifacts: true\n"
       "    - 'a: [x]'\n");

    ok("needs nested from a reference",
       "a:\n  stage: build\n  script: x\nc:\n  stage: build\n  script: x\nb:\n  script: x\n"
       "  needs: [a, [c]]\n");
    fire("undefined need inside a nested list",
         "a:\n  script: x\nb:\n  script: x\n"
         "  needs: [a, [nope]]\n",
         "undefined-need", "b job: undefined need: nope", 5, 15);

    // ---- rules ----------------------------------------------------------------------------------
    fire("rules hash", "b:\n  script: x\n  rules:\n    if: $A\n", "invalid-type",
         "jobs:b:rules config should be an array of hashes", 4, 5);
    fire("rule string", "b:\n  script: x\n  rules:\n    - $A\n", "invalid-type",
         "jobs:b:rules:rule config should be a hash", 4, 7);
    fire("rule unknown key", "b:\n  script: x\n  rules:\n    - iff: $A\n", "unknown-key",
         "jobs:b:rules:rule config contains unknown keys: iff", 4, 7);
    fire("rule when", "b:\n  script: x\n  rules:\n    - if: $A\n      when: later\n",
         "invalid-when",
         "jobs:b:rules:rule when should be one of: on_success, on_failure, always, never, manual, "
         "delayed",
         5, 13);
    fire("rule start_in without delayed",
         "b:\n  script: x\n  rules:\n    - if: $A\n      start_in: 1h\n", "invalid-start-in",
         "jobs:b:rules:rule start_in should be blank", 5, 7);
    fire("rule delayed without start_in",
         "b:\n  script: x\n  rules:\n    - if: $A\n      when: delayed\n", "missing-start-in",
         "jobs:b:rules:rule start_in should be a duration", 5, 13);
    fire("rule if not string", "b:\n  script: x\n  rules:\n    - if: [a]\n", "invalid-type",
         "jobs:b:rules:rule if should be a string", 4, 11);
    fire("rule changes string", "b:\n  script: x\n  rules:\n    - changes: a.md\n", "invalid-type",
         "jobs:b:rules:rule:changes config should be an array of strings or a hash", 4, 16);
    fire("rule changes compare_to hash",
         "b:\n  script: x\n  rules:\n    - changes:\n        paths: [a]\n"
         "        compare_to: {ref: main}\n",
         "invalid-type", "jobs:b:rules:rule:changes compare to should be a string", 6, 21);
    fire("rule exists ref without project",
         "b:\n  script: x\n  rules:\n    - exists:\n        paths: [a]\n        ref: main\n",
         "missing-key", "jobs:b:rules:rule:exists ref requires project", 6, 9);
    fire("rule exists without paths",
         "b:\n  script: x\n  rules:\n    - exists:\n        project: g/p\n", "missing-key",
         "jobs:b:rules:rule:exists config missing required keys: paths", 5, 9);
    fire("rule variables list", "b:\n  script: x\n  rules:\n    - variables: [a]\n", "invalid-type",
         "jobs:b:rules:rule:variables config should be a hash of key value pairs", 4, 18);
    fire("rule needs number", "a:\n  script: x\nb:\n  script: x\n  rules:\n    - needs: [20]\n",
         "invalid-type", "jobs:b:rules:rule:needs:need config should be a string or a hash", 6, 15);
    fire("rule interruptible", "b:\n  script: x\n  rules:\n    - interruptible: 1\n",
         "invalid-type", "jobs:b:rules:rule interruptible should be a boolean value", 4, 22);
    fire("rule allow_failure", "b:\n  script: x\n  rules:\n    - allow_failure: maybe\n",
         "invalid-type", "jobs:b:rules:rule allow_failure should be a boolean value", 4, 22);
    fire("rules with only", "b:\n  script: x\n  only: [main]\n  rules:\n    - when: always\n",
         "rules-with-only-except", "jobs:b config key may not be used with `rules`: only", 3, 3);
    fire("rules with only and except",
         "b:\n  script: x\n  except: [tags]\n  only: [main]\n  rules:\n    - when: always\n",
         "rules-with-only-except", "jobs:b config key may not be used with `rules`: only, except",
         4, 3);
    ok("rules full",
       "a:\n  script: x\nb:\n  script: x\n  rules:\n    - if: $A == \"1\"\n      when: delayed\n"
       "      start_in: 2 hours\n    - changes:\n        paths: [a]\n        compare_to: main\n"
       "      allow_failure: true\n      variables: {V: 1}\n      needs: [a]\n"
       "      interruptible: false\n    - exists: [x]\n      when: manual\n"
       "    - exists: {paths: [y], project: g/p, ref: main}\n    - when: never\n");
    ok("rules null", "b:\n  script: x\n  rules: null\n");

    // ---- only / except ----------------------------------------------------------------------
    fire("only invalid regexp", "b:\n  script: x\n  only: ['/(a/']\n", "invalid-value",
         "jobs:b:only config should be an array of strings or regexps", 3, 9);
    fire("only hash unknown", "b:\n  script: x\n  only:\n    branches: [a]\n", "unknown-key",
         "jobs:b:only config contains unknown keys: branches", 4, 5);
    fire("except kubernetes", "b:\n  script: x\n  except:\n    kubernetes: passive\n",
         "invalid-value", "jobs:b:except kubernetes unknown value: passive", 4, 17);
    fire("only string", "b:\n  script: x\n  only: main\n", "invalid-type",
         "jobs:b:only config should be an array of strings or regexps", 3, 9);
    ok("only forms", "b:\n  script: x\n  only:\n    refs: [main, /^release-.*$/, tags]\n"
                     "    variables: [$A == \"1\"]\n    changes: [a/*]\n    kubernetes: active\n"
                     "  except: [schedules]\n");

    // ---- when / start_in / allow_failure / retry / timeout ----------------------------------
    fire("when unknown", "b:\n  script: x\n  when: on_xyz\n", "invalid-when",
         "jobs:b when should be one of: on_success, on_failure, always, manual, delayed", 3, 9);
    fire("when boolean", "b:\n  script: x\n  when: true\n", "invalid-when",
         "jobs:b when should be one of: on_success, on_failure, always, manual, delayed", 3, 9);
    fire("when never", "b:\n  script: x\n  when: never\n", "invalid-when",
         "jobs:b when:never can only be used in a rules section or workflow:rules", 3, 9);
    fire("start_in without delayed", "b:\n  script: x\n  start_in: 1h\n", "invalid-start-in",
         "jobs:b start in must be blank", 3, 3);
    fire("start_in with rules",
         "b:\n  script: x\n  when: delayed\n  start_in: 1h\n  rules:\n"
         "    - when: delayed\n      start_in: 1h\n",
         "invalid-start-in", "jobs:b start in must be blank", 4, 3);
    fire("delayed without start_in", "b:\n  script: x\n  when: delayed\n", "missing-start-in",
         "jobs:b start in should be a duration", 3, 9);
    fire("delayed bad start_in", "b:\n  script: x\n  when: delayed\n  start_in: soon\n",
         "invalid-duration", "jobs:b start in should be a duration", 4, 13);
    fire("delayed start_in over a week", "b:\n  script: x\n  when: delayed\n  start_in: 8 days\n",
         "invalid-duration", "jobs:b start in should not exceed the limit", 4, 13);
    ok("when forms", "b:\n  script: x\n  when: delayed\n  start_in: 30 minutes\n"
                     "c:\n  script: x\n  when: manual\n  manual_confirmation: Sure?\n");
    fire("allow_failure string", "b:\n  script: x\n  allow_failure: maybe\n", "invalid-type",
         "jobs:b allow failure should be a hash or a boolean value", 3, 18);
    fire("allow_failure exit_codes", "b:\n  script: x\n  allow_failure:\n    exit_codes: [a]\n",
         "invalid-type",
         "jobs:b:allow_failure exit codes should be an array of integers or an integer", 4, 17);
    ok("allow_failure forms", "b:\n  script: x\n  allow_failure: {exit_codes: 137}\n"
                              "c:\n  script: x\n  allow_failure: true\n");
    fire("retry 3", "b:\n  script: x\n  retry: 3\n", "invalid-value",
         "jobs:b:retry config must be less than or equal to 2", 3, 10);
    fire("retry -1", "b:\n  script: x\n  retry: -1\n", "invalid-value",
         "jobs:b:retry config must be greater than or equal to 0", 3, 10);
    fire("retry string", "b:\n  script: x\n  retry: \"2\"\n", "invalid-type",
         "jobs:b:retry config has to be either an integer or a hash", 3, 10);
    fire("retry unknown key", "b:\n  script: x\n  retry:\n    max: 2\n    unknown: 2\n",
         "unknown-key", "jobs:b:retry config contains unknown keys: unknown", 5, 5);
    fire("retry when value", "b:\n  script: x\n  retry:\n    when: [api_failure, bogus]\n",
         "invalid-value", "jobs:b:retry when contains unknown values: bogus", 4, 25);
    fire("retry exit_codes duplicate", "b:\n  script: x\n  retry:\n    exit_codes: [137, 137]\n",
         "invalid-value", "jobs:b:retry exit codes contains duplicate values", 4, 17);
    ok("retry forms", "b:\n  script: x\n  retry:\n    max: 2\n"
                      "    when: [runner_system_failure, runner_system_failure]\n"
                      "    exit_codes: 137\nc:\n  script: x\n  retry: 0\n");
    fire("timeout", "b:\n  script: x\n  timeout: a while\n", "invalid-duration",
         "jobs:b timeout should be a duration", 3, 12);
    ok("timeout forms", "b:\n  script: x\n  timeout: 1h 30m\nc:\n  script: x\n"
                        "  timeout: 3 hours 30 min\n");

    // ---- parallel -------------------------------------------------------------------------------
    fire("parallel 0", "b:\n  script: x\n  parallel: 0\n", "invalid-value",
         "jobs:b:parallel config must be greater than or equal to 1", 3, 13);
    fire("parallel 201", "b:\n  script: x\n  parallel: 201\n", "invalid-value",
         "jobs:b:parallel config must be less than or equal to 200", 3, 13);
    fire("parallel string", "b:\n  script: x\n  parallel: \"5\"\n", "invalid-type",
         "jobs:b:parallel config should be an integer or a hash", 3, 13);
    fire("matrix too many jobs",
         "b:\n  script: x\n  parallel:\n    matrix:\n"
         "      - A: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]\n"
         "        B: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]\n",
         "too-many-jobs", "jobs:b:parallel:matrix config generates too many jobs (maximum is 200)",
         5, 7);
    fire("matrix value hash", "b:\n  script: x\n  parallel:\n    matrix:\n      - A: {x: 1}\n",
         "invalid-type",
         "jobs:b:parallel:matrix:variables config should be a hash of key value pairs, value can "
         "be an array",
         5, 12);
    ok("parallel forms",
       "b:\n  script: x\n  parallel: 200\nc:\n  script: x\n  parallel:\n"
       "    matrix:\n      - A: [1, 2]\n        B: x\n      - C: 3\n        MY-VAR: [a]\n");

    // ---- trigger ------------------------------------------------------------------------------
    fire("trigger no slash", "b:\n  trigger: slug\n", "invalid-value",
         "jobs:b:trigger config should be a full project path (group/project)", 2, 12);
    fire("trigger leading slash", "b:\n  trigger:\n    project: /slug\n", "invalid-value",
         "jobs:b:trigger project should be a full project path (group/project)", 3, 14);
    fire("trigger unknown key", "b:\n  trigger:\n    project: g/p\n    ref: main\n", "unknown-key",
         "jobs:b:trigger config contains unknown keys: ref", 4, 5);
    fire("trigger strategy", "b:\n  trigger:\n    project: g/p\n    strategy: wait\n",
         "invalid-value", "jobs:b:trigger strategy should be depend or mirror", 4, 15);
    fire("trigger include without file", "b:\n  trigger:\n    include:\n      - project: g/p\n",
         "missing-key", "jobs:b:trigger:include config missing required keys: file", 4, 9);
    fire("trigger include without project", "b:\n  trigger:\n    include:\n      - file: a.yml\n",
         "missing-key", "jobs:b:trigger:include config missing required keys: project", 4, 9);
    ok("trigger forms", "a:\n  trigger:\n    project: g/p\n    branch: main\n    strategy: depend\n"
                        "    forward: {yaml_variables: true, pipeline_variables: false}\n"
                        "    inputs: {x: 1}\nb:\n  trigger:\n    include:\n      - local: c.yml\n"
                        "      - project: g/p\n        file: f.yml\n        ref: main\n"
                        "      - artifact: gen.yml\n        job: gen\n    strategy: mirror\n"
                        "c:\n  trigger:\n    include: child.yml\nd:\n  trigger: $PROJECT\n");

    // ---- environment ----------------------------------------------------------------------------
    fire("environment list", "b:\n  script: x\n  environment: [a]\n", "invalid-type",
         "jobs:b:environment config should be a hash or a string", 3, 16);
    fire("environment unknown key", "b:\n  script: x\n  environment:\n    name: a\n    tier: x\n",
         "unknown-key", "jobs:b:environment config contains unknown keys: tier", 5, 5);
    fire("environment action", "b:\n  script: x\n  environment:\n    name: a\n    action: halt\n",
         "invalid-value",
         "jobs:b:environment action should be start, stop, prepare, verify, or access", 5, 13);
    fire("environment auto_stop_in",
         "b:\n  script: x\n  environment:\n    name: a\n    auto_stop_in: later\n",
         "invalid-duration", "jobs:b:environment auto stop in should be a duration", 5, 19);
    fire("environment tier",
         "b:\n  script: x\n  environment:\n    name: a\n    deployment_tier: prod\n",
         "invalid-value",
         "jobs:b:environment deployment tier must be one of production, staging, testing, "
         "development, or other",
         5, 22);
    fire("environment without name", "b:\n  script: x\n  environment:\n    url: https://x\n",
         "missing-key", "jobs:b:environment name can't be blank", 4, 5);
    fire("on_stop undefined", "b:\n  script: x\n  environment:\n    name: r\n    on_stop: stop\n",
         "undefined-on-stop", "b job: on_stop job stop is not defined", 5, 14);
    fire("on_stop without environment",
         "b:\n  script: x\n  environment:\n    name: r\n    on_stop: s\ns:\n  script: x\n",
         "invalid-on-stop", "b job: on_stop job s does not have environment defined", 5, 14);
    fire("on_stop other environment",
         "b:\n  script: x\n  environment:\n    name: r\n    on_stop: s\ns:\n  script: x\n"
         "  environment: {name: q, action: stop}\n",
         "invalid-on-stop", "b job: on_stop job s have different environment name", 5, 14);
    fire("on_stop without action stop",
         "b:\n  script: x\n  environment:\n    name: r\n    on_stop: s\ns:\n  script: x\n"
         "  environment: {name: r}\n",
         "invalid-on-stop", "b job: on_stop job s needs to have action stop defined", 5, 14);
    ok("environment forms",
       "b:\n  script: x\n  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n"
       "    url: https://$CI_ENVIRONMENT_SLUG.example.com\n    on_stop: s\n"
       "    auto_stop_in: 1 day\n    deployment_tier: development\n"
       "    kubernetes: {agent: a, namespace: n}\ns:\n  script: x\n  when: manual\n"
       "  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    action: stop\n"
       "c:\n  script: x\n  environment: production\n");

    // ---- the other job keywords ---------------------------------------------------------------
    fire("release without tag_name", "b:\n  script: x\n  release:\n    description: d\n",
         "missing-key", "jobs:b:release tag name can't be blank", 4, 5);
    ok("release", "b:\n  script: x\n  release:\n    tag_name: v1\n    description: d\n"
                  "    assets:\n      links:\n        - name: n\n          url: https://x\n"
                  "          link_type: package\n");
    fire("resource_group list", "b:\n  script: x\n  resource_group: [a]\n", "invalid-type",
         "jobs:b resource group should be a string", 3, 19);
    fire("interruptible string", "b:\n  script: x\n  interruptible: 'yes'\n", "invalid-type",
         "jobs:b interruptible should be a boolean value", 3, 18);
    fire("tags string", "b:\n  script: x\n  tags: docker\n", "invalid-type",
         "jobs:b:tags config should be an array of strings", 3, 9);
    fire("id_tokens without aud", "b:\n  script: x\n  id_tokens:\n    T:\n      sub: x\n",
         "missing-key", "jobs:b:id_tokens:T config missing required keys: aud", 5, 7);
    fire("secrets without provider", "b:\n  script: x\n  secrets:\n    P:\n      token: $T\n",
         "missing-key",
         "jobs:b:secrets:P config must use exactly one of these keys: vault, gcp_secret_manager, "
         "azure_key_vault, aws_secrets_manager, gitlab_secrets_manager",
         4, 5);
    fire("secrets gcp without token",
         "b:\n  script: x\n  secrets:\n    P:\n      gcp_secret_manager:\n        name: s\n",
         "missing-key", "jobs:b:secrets:P config missing required keys: token", 4, 5);
    ok("secrets forms",
       "b:\n  script: x\n  secrets:\n    A:\n      vault: db/pw@ops\n      file: false\n"
       "    B:\n      vault:\n        engine: {name: kv-v2, path: ops}\n        path: db\n"
       "        field: pw\n    C:\n      azure_key_vault: {name: n, version: v}\n"
       "    D:\n      gcp_secret_manager: {name: n, version: 2}\n      token: $T\n"
       "  id_tokens:\n    T:\n      aud: [a, b]\n");
    fire("pages string", "b:\n  script: x\n  pages: yes-please\n", "invalid-type",
         "jobs:b:pages config should be a hash or a boolean value", 3, 10);
    fire("hooks unknown", "b:\n  script: x\n  hooks:\n    post_script: x\n", "unknown-key",
         "jobs:b:hooks config contains unknown keys: post_script", 4, 5);
    fire("inherit default value", "b:\n  script: x\n  inherit:\n    default: [imag]\n",
         "invalid-value", "jobs:b:inherit:default config contains unknown values: imag", 4, 15);
    ok("inherit forms", "b:\n  script: x\n  inherit:\n    default: [image, retry]\n"
                        "    variables: false\n");
    fire("dast_configuration unknown", "b:\n  script: x\n  dast_configuration:\n    site: s\n",
         "unknown-key", "jobs:b:dast_configuration config contains unknown keys: site", 4, 5);
    fire("identity", "b:\n  script: x\n  identity: aws\n", "invalid-value",
         "jobs:b identity should be one of: google_cloud", 3, 13);
    fire("manual_confirmation list", "b:\n  script: x\n  manual_confirmation: [a]\n",
         "invalid-type", "jobs:b manual confirmation should be a string", 3, 24);
    fire("run not array", "b:\n  run: echo\n", "invalid-type",
         "jobs:b:run config should be an array of hashes", 2, 8);
    fire("publish list", "b:\n  script: x\n  publish: [a]\n", "invalid-type",
         "jobs:b publish should be a string", 3, 12);
    fire("job inputs without default", "b:\n  script: x\n  inputs:\n    i:\n      type: string\n",
         "missing-key", "jobs:b:inputs:i config missing required keys: default", 5, 7);
    fire("job inputs type mismatch",
         "b:\n  script: x\n  inputs:\n    i:\n      type: number\n      default: abc\n",
         "invalid-type", "jobs:b:inputs:i default should be a number", 6, 16);

    fire("job name too long",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:\n"
         "  script: x\n",
         "invalid-value",
         "jobs:"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
         "name "
         "is too long (maximum is 255 characters)",
         1, 1);
    ok("need one parallel instance",
       "a:\n  stage: build\n  script: x\n  parallel: 3\nb:\n  script: x\n  needs: ['a 2/3']\n");

    // ---- stages (cross-job) -------------------------------------------------------------------
    fire("undefined stage", "stages: [build, test]\nb:\n  stage: biuld\n  script: x\n",
         "undefined-stage",
         "b job: chosen stage biuld does not exist; available stages are .pre, build, test, .post",
         3, 10);
    fire("default stage missing", "stages: [build]\nb:\n  script: x\n", "undefined-stage",
         "b job: chosen stage test does not exist; available stages are .pre, build, .post", 2, 1);
    ok("pre and post stages", "stages: [build]\na:\n  stage: .pre\n  script: x\nb:\n"
                              "  stage: .post\n  script: x\nc:\n  stage: build\n  script: x\n");
}

void TestValidator::check()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(int, line);
    QFETCH(int, column);

    const diag::Diagnostics ds = validateText(yaml);
    if (code.isEmpty()) {
        for (const diag::Diagnostic &d : ds) {
            if (d.severity != diag::Severity::Info)
                QFAIL(qPrintable(QStringLiteral("unexpected diagnostics:") + dump(ds)));
        }
        return;
    }
    for (const diag::Diagnostic &d : ds) {
        if (d.code != code || d.message != message)
            continue;
        QCOMPARE(d.severity, diag::Severity::Error);
        QCOMPARE(d.file, QStringLiteral(".gitlab-ci.yml"));
        QCOMPARE(d.range.start.line, line);
        QCOMPARE(d.range.start.column, column);
        QVERIFY(d.range.end.line >= d.range.start.line);
        return;
    }
    QFAIL(qPrintable(QStringLiteral("expected [%1] %2, got:").arg(code, message) + dump(ds)));
}

void TestValidator::incompleteIsInfo_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("code");
    QTest::newRow("stage") << QByteArray("b:\n  stage: from-include\n  script: x\n")
                           << QStringLiteral("undefined-stage");
    QTest::newRow("need") << QByteArray("b:\n  script: x\n  needs: [included-job]\n")
                          << QStringLiteral("undefined-need");
    QTest::newRow("dependency") << QByteArray("b:\n  script: x\n  dependencies: [included-job]\n")
                                << QStringLiteral("undefined-dependency");
    QTest::newRow("no visible job")
        << QByteArray(".t:\n  script: x\n") << QStringLiteral("no-visible-jobs");
    QTest::newRow("script from an unread template")
        << QByteArray("b:\n  extends: .from-include\n") << QStringLiteral("missing-script");
    QTest::newRow("script from a same-named job in an unread include")
        << QByteArray("sast:\n  stage: test\n") << QStringLiteral("missing-script");
    QTest::newRow("key from an unread template")
        << QByteArray("b:\n  extends: .from-include\n  trigger:\n    strategy: depend\n")
        << QStringLiteral("missing-key");
    QTest::newRow("on_stop") << QByteArray("b:\n  script: x\n  environment:\n    name: a\n"
                                           "    on_stop: included-job\n")
                             << QStringLiteral("undefined-on-stop");
}

void TestValidator::incompleteIsInfo()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, code);
    ci::ResolvedConfig config = resolveText(yaml);
    auto severityOf = [&](const ci::ResolvedConfig &c) -> std::optional<diag::Severity> {
        for (const diag::Diagnostic &d : ci::Validator::validate(c)) {
            if (d.code == code)
                return d.severity;
        }
        return std::nullopt;
    };
    QCOMPARE(severityOf(config), std::optional(diag::Severity::Error));
    config.incomplete = true;
    QCOMPARE(severityOf(config), std::optional(diag::Severity::Info));
}

void TestValidator::hints_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("hint");
    QTest::newRow("key typo") << QByteArray("b:\n  scirpt: x\n  script: x\n")
                              << QStringLiteral("unknown-key")
                              << QStringLiteral("did you mean 'script'?");
    QTest::newRow("key transposition")
        << QByteArray("b:\n  script: x\n  artifacst: {}\n") << QStringLiteral("unknown-key")
        << QStringLiteral("did you mean 'artifacts'?");
    QTest::newRow("stage typo") << QByteArray("stages: [build, test]\nb:\n  stage: tset\n"
                                              "  script: x\n")
                                << QStringLiteral("undefined-stage")
                                << QStringLiteral("did you mean 'test'?");
    QTest::newRow("need typo") << QByteArray("compile:\n  stage: build\n  script: x\n"
                                             "b:\n  script: x\n  needs: [compil]\n")
                               << QStringLiteral("undefined-need")
                               << QStringLiteral("did you mean 'compile'?");
    QTest::newRow("need hidden") << QByteArray(".t:\n  script: x\nb:\n  script: x\n"
                                               "  needs: [.t]\n")
                                 << QStringLiteral("undefined-need")
                                 << QStringLiteral("'.t' is a hidden job (its name starts with "
                                                   "'.'): it is a template and never runs");
    QTest::newRow("cycle path") << QByteArray("a:\n  script: x\n  needs: [b]\nb:\n  script: x\n"
                                              "  needs: [a]\n")
                                << QStringLiteral("needs-cycle")
                                << QStringLiteral("needs cycle: a -> b -> a");
    QTest::newRow("global keyword as job")
        << QByteArray("stage: [a]\nb:\n  script: x\n") << QStringLiteral("invalid-type")
        << QStringLiteral("did you mean 'stages'?");
    QTest::newRow("when value") << QByteArray("b:\n  script: x\n  when: manaul\n")
                                << QStringLiteral("invalid-when")
                                << QStringLiteral("did you mean 'manual'?");
    QTest::newRow("job value kind")
        << QByteArray("build: [a]\nb:\n  script: x\n") << QStringLiteral("invalid-type")
        << QStringLiteral("a job is a hash of keywords, this value "
                          "is an array");
    QTest::newRow("no hint for far words") << QByteArray("b:\n  script: x\n  zzzzzz: 1\n")
                                           << QStringLiteral("unknown-key") << QString();
}

void TestValidator::hints()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, code);
    QFETCH(QString, hint);
    const diag::Diagnostics ds = validateText(yaml);
    for (const diag::Diagnostic &d : ds) {
        if (d.code == code) {
            QCOMPARE(d.hint, hint);
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no [%1] in").arg(code) + dump(ds)));
}

void TestValidator::ruleIfColumn_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expression"); ///< the text the parser sees
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("textColumn");   ///< column of the expression's first character
    QTest::addColumn<bool>("pointInside"); ///< false: the range is the whole scalar
    QTest::newRow("plain") << QByteArray("b:\n  script: x\n  rules:\n    - if: $A == \n")
                           << QStringLiteral("$A ==") << 4 << 11 << true;
    QTest::newRow("single quoted")
        << QByteArray("b:\n  script: x\n  rules:\n    - if: '$A == \"x\" &&'\n")
        << QStringLiteral("$A == \"x\" &&") << 4 << 12 << true;
    QTest::newRow("double quoted") << QByteArray("b:\n  script: x\n  rules:\n"
                                                 "    - if: \"($A == 'x'\"\n")
                                   << QStringLiteral("($A == 'x'") << 4 << 12 << true;
    QTest::newRow("multi-line") << QByteArray("b:\n  script: x\n  rules:\n    - if: >-\n"
                                              "        $A ==\n")
                                << QStringLiteral("$A ==") << 4 << 11 << false;
    QTest::newRow("workflow") << QByteArray("workflow:\n  rules:\n    - if: $A && $B ==\n"
                                            "b:\n  script: x\n")
                              << QStringLiteral("$A && $B ==") << 3 << 11 << true;
}

void TestValidator::ruleIfColumn()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expression);
    QFETCH(int, line);
    QFETCH(int, textColumn);
    QFETCH(bool, pointInside);
    const expr::Expression parsed = expr::Expression::parse(expression);
    if (parsed.isValid())
        QSKIP("core/expr still has its placeholder parser, which accepts everything");
    const diag::Diagnostics ds = validateText(yaml);
    for (const diag::Diagnostic &d : ds) {
        if (d.code != u"invalid-expression")
            continue;
        QVERIFY(d.message.endsWith(QStringLiteral("rules:rule if invalid expression syntax")));
        QCOMPARE(d.range.start.line, line);
        // The scalar's own column plus the parser's (1-based) column inside the text.
        const int expected = pointInside ? textColumn + parsed.error()->column - 1 : textColumn;
        if (pointInside)
            QVERIFY(parsed.error()->column >= 1);
        QCOMPARE(d.range.start.column, expected);
        QCOMPARE(d.hint, parsed.error()->message);
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no invalid-expression in") + dump(ds)));
}

void TestValidator::duration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: not a duration
    QTest::newRow("bare number") << QStringLiteral("90") << qint64(90);
    QTest::newRow("hours minutes words") << QStringLiteral("3 hours 30 min") << qint64(12600);
    QTest::newRow("compact") << QStringLiteral("1h 30m") << qint64(5400);
    QTest::newRow("glued") << QStringLiteral("1h30m") << qint64(5400);
    QTest::newRow("weeks") << QStringLiteral("2 weeks") << qint64(1209600);
    QTest::newRow("day") << QStringLiteral("1 day") << qint64(86400);
    QTest::newRow("and") << QStringLiteral("1 day and 2 hours") << qint64(93600);
    QTest::newRow("number word") << QStringLiteral("one week") << qint64(604800);
    QTest::newRow("month") << QStringLiteral("1 month") << qint64(2592000);
    QTest::newRow("year") << QStringLiteral("1 yr") << qint64(31557600);
    QTest::newRow("decimal") << QStringLiteral("1.5 hours") << qint64(5400);
    QTest::newRow("colon") << QStringLiteral("1:30:00") << qint64(5400);
    QTest::newRow("case") << QStringLiteral("30 Days") << qint64(2592000);
    QTest::newRow("seconds unit") << QStringLiteral("45 sec") << qint64(45);
    QTest::newRow("never is not a duration") << QStringLiteral("never") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("unknown unit") << QStringLiteral("3 fortnights") << qint64(-1);
    QTest::newRow("unit only") << QStringLiteral("hours") << qint64(-1);
    QTest::newRow("junk") << QStringLiteral("1h; rm") << qint64(-1);
}

void TestValidator::duration()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const std::optional<qint64> parsed = ci::parseDuration(text);
    QCOMPARE(parsed.value_or(-1), seconds);
}

void TestValidator::editDistance_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("distance");
    QTest::newRow("same") << QStringLiteral("script") << QStringLiteral("script") << 0;
    QTest::newRow("insert") << QStringLiteral("scripts") << QStringLiteral("script") << 1;
    QTest::newRow("transpose") << QStringLiteral("srcipt") << QStringLiteral("script") << 1;
    QTest::newRow("substitute") << QStringLiteral("stagr") << QStringLiteral("stage") << 1;
    QTest::newRow("empty") << QString() << QStringLiteral("abc") << 3;
    QTest::newRow("far") << QStringLiteral("cache") << QStringLiteral("needs") << 5;
}

void TestValidator::editDistance()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, distance);
    QCOMPARE(ci::editDistance(a, b), distance);
}

void TestValidator::lookBehindInOnlyIsWarning()
{
    // GitLab evaluates only/except refs with a Ruby fallback: RE2-only limits are a warning.
    const diag::Diagnostics ds = validateText("b:\n  script: x\n  only: ['/(?<=a)b/']\n");
    QCOMPARE(ds.size(), 1);
    QCOMPARE(ds.first().severity, diag::Severity::Warning);
    QCOMPARE(ds.first().code, QStringLiteral("non-re2-regex"));
    QCOMPARE(ds.first().range.start.line, 3);
    QCOMPARE(ds.first().range.start.column, 10);
}

void TestValidator::bridgeScriptIsWarning()
{
    // The CI schema accepts script next to trigger; GitLab's Rails lint does not.
    const diag::Diagnostics ds = validateText("up:\n  trigger: g/p\n  script: x\n");
    QCOMPARE(ds.size(), 1);
    QCOMPARE(ds.first().severity, diag::Severity::Warning);
    QCOMPARE(ds.first().code, QStringLiteral("bridge-key"));
    QCOMPARE(ds.first().range.start.line, 3);
    QCOMPARE(ds.first().range.start.column, 3);
}

void TestValidator::fileOfIncludedNode()
{
    // A job merged in from an include keeps its file: the diagnostic must point there.
    const yaml::LoadResult included =
        yaml::Loader::load("b:\n  stage: test\n  scripts: x\n", QStringLiteral("ci/included.yml"));
    QVERIFY(!included.documents.isEmpty());
    ci::ResolvedConfig config = resolveText("a:\n  script: x\n");
    const yaml::Node root = included.documents.first().root;
    const yaml::MapEntry &e = root.entries().front();
    config.jobs.append(ci::Job{e.key.scalar(), e.key, e.value, false});
    const diag::Diagnostics ds = ci::Validator::validate(config);
    bool found = false;
    for (const diag::Diagnostic &d : ds) {
        if (d.code == u"unknown-key") {
            QCOMPARE(d.file, QStringLiteral("ci/included.yml"));
            QCOMPARE(d.range.start.line, 3);
            QCOMPARE(d.range.start.column, 3);
            QCOMPARE(d.range.end.line, 3);
            QCOMPARE(d.range.end.column, 10);
            found = true;
        } else if (d.code == u"missing-script") {
            QCOMPARE(d.file, QStringLiteral("ci/included.yml"));
            QCOMPARE(d.range.start.line, 1);
        }
    }
    QVERIFY2(found, qPrintable(dump(ds)));
}

void TestValidator::unresolvedReferencesAreSkipped()
{
    // A !reference the resolver could not resolve keeps its tag; the resolver reports it, so the
    // validator must not add type errors about it. Built with the loader (no resolver involved).
    const yaml::LoadResult loaded =
        yaml::Loader::load("b:\n  script: x\n  rules:\n    - !reference [.r, rules]\n"
                           "  variables:\n    A: !reference [.v, variables, A]\n"
                           "  needs:\n    - !reference [.n, needs]\n"
                           "  cache: !reference [.c, cache]\n",
                           QStringLiteral(".gitlab-ci.yml"));
    QVERIFY(!loaded.documents.isEmpty());
    ci::ResolvedConfig config;
    config.mainFile = QStringLiteral(".gitlab-ci.yml");
    config.root = loaded.documents.first().root;
    config.stages = QStringList{QStringLiteral(".pre")} + ci::defaultStages() +
                    QStringList{QStringLiteral(".post")};
    const yaml::MapEntry &e = config.root.entries().front();
    config.jobs.append(ci::Job{e.key.scalar(), e.key, e.value, false});
    const diag::Diagnostics ds = ci::Validator::validate(config);
    QVERIFY2(ds.isEmpty(), qPrintable(dump(ds)));
}

void TestValidator::largeConfig()
{
    // 2,000 jobs in 4 stages, each needing the previous one: every check is a hash look-up.
    QByteArray text = "stages: [a, b, c, d]\n";
    for (int i = 0; i < 2000; ++i) {
        text += "job" + QByteArray::number(i) + ":\n  stage: " + "abcd"[i % 4] + "\n" +
                "  script: [make]\n  artifacts: {paths: [out], expire_in: 1 day}\n" +
                "  rules:\n    - if: $CI_COMMIT_BRANCH\n";
        if (i > 0)
            text += "  needs: [job" + QByteArray::number(i - 1) + "]\n";
    }
    const ci::ResolvedConfig config = resolveText(text);
    QCOMPARE(config.jobs.size(), 2000);
    // Best of three: the first run also pays for one-time static set-up.
    diag::Diagnostics ds;
    qint64 ms = std::numeric_limits<qint64>::max();
    for (int run = 0; run < 3; ++run) {
        QElapsedTimer timer;
        timer.start();
        ds = ci::Validator::validate(config);
        ms = std::min(ms, timer.elapsed());
    }
    qInfo("validated 2000 jobs in %lld ms", ms);
    // job0..3 are in stages a..d; a job in stage a needing one in stage d is a real error,
    // so only count those.
    for (const diag::Diagnostic &d : ds)
        QCOMPARE(d.code, QStringLiteral("need-in-later-stage"));
    QCOMPARE(ds.size(), 499);
    // Generous bound for debug and sanitizer builds; the release build is measured separately.
    QVERIFY2(ms < 2000, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
