// One check per CI keyword, in the order of GitLab's CI schema. Messages follow GitLab's
// entry validators: `<path> config ...` for the entry's whole value, `<path> <attribute> ...`
// for an attribute validated by its parent entry.

#include "checker.h"
#include "duration.h"
#include "expr/expression.h"
#include "expr/regex.h"
#include "hints.h"

#include <QRegularExpression>

#include <functional>

namespace stagecraft::ci::detail {

namespace {

const QString kInvalidType = QStringLiteral("invalid-type");
const QString kInvalidValue = QStringLiteral("invalid-value");

bool validVariableName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_')
            return false;
    }
    return true;
}

QStringList list(std::initializer_list<const char16_t *> values)
{
    QStringList out;
    for (const char16_t *v : values)
        out << QString::fromUtf16(v);
    return out;
}

// `group/project` or a variable, as the schema's `(?:\S/\S|\$\S+)`, without a leading or
// trailing slash and without characters a project path cannot hold.
bool validProjectPath(const QString &p)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\$\\{?\\w+\\}?.*|[\\w.$\\-{}]+(/[\\w.$\\-{}]+)+)$"));
    return re.match(p).hasMatch();
}

/// A string, or an array whose items are strings or arrays of them, up to 10 levels (GitLab's
/// limit for `script` and `stages`).
bool isNestedStringArray(const Node &item, int depth)
{
    if (isStr(item))
        return true;
    if (!item.isSequence() || depth >= 10)
        return false;
    for (const Node &i : item.items()) {
        if (!isNestedStringArray(i, depth + 1))
            return false;
    }
    return true;
}

} // namespace

// ---- script -------------------------------------------------------------------------------

void Checker::script(const QString &path, const Node &n)
{
    if (!isNestedStringArray(n, 0)) {
        error(kInvalidType,
              tr("%1 config should be a string or a nested array of strings up to 10 levels "
                 "deep")
                  .arg(path),
              n);
    }
}

// ---- image / services ---------------------------------------------------------------------

void Checker::pullPolicy(const QString &path, const Node &n)
{
    const QStringList allowed = list({u"always", u"never", u"if-not-present"});
    const QString p = path + QStringLiteral(":pull_policy");
    if (isStr(n)) {
        if (!allowed.contains(n.scalar())) {
            error(kInvalidValue, tr("%1 config contains unknown values: %2").arg(p, n.scalar()), n,
                  didYouMean(n.scalar(), allowed));
        }
        return;
    }
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be a string or an array of strings").arg(p), n);
        return;
    }
    if (n.size() == 0) {
        error(kInvalidValue, tr("%1 config can't be blank").arg(p), n);
        return;
    }
    for (const Node &item : n.items()) {
        if (!isStr(item)) {
            error(kInvalidType, tr("%1 config should be a string or an array of strings").arg(p),
                  item);
        } else if (!allowed.contains(item.scalar())) {
            error(kInvalidValue, tr("%1 config contains unknown values: %2").arg(p, item.scalar()),
                  item, didYouMean(item.scalar(), allowed));
        }
    }
}

void Checker::executorOptions(const QString &path, const Node &docker, const Node &kubernetes)
{
    if (present(docker)) {
        const QString p = path + QStringLiteral(":docker");
        if (expectHash(p, docker)) {
            static const KeySet keys{u"platform", u"user"};
            checkKeys(p, docker, keys);
            for (const char16_t *k : {u"platform", u"user"}) {
                const Node v = docker.value(QStringView(k));
                if (present(v) && expectString(p, QString::fromUtf16(k), v, false) &&
                    v.scalar().size() > 255) {
                    error(kInvalidValue,
                          tr("%1 %2 is too long (maximum is 255 characters)")
                              .arg(p, QString::fromUtf16(k)),
                          v);
                }
            }
        }
    }
    if (present(kubernetes)) {
        const QString p = path + QStringLiteral(":kubernetes");
        if (expectHash(p, kubernetes)) {
            static const KeySet keys{u"user"};
            checkKeys(p, kubernetes, keys);
            const Node user = kubernetes.value(u"user");
            if (present(user) && !isStr(user) && !isInt(user)) {
                error(kInvalidType, tr("%1 user should be a string or an integer").arg(p), user);
            }
        }
    }
}

void Checker::image(const QString &path, const Node &n)
{
    if (isStr(n)) {
        if (n.scalar().isEmpty())
            error(kInvalidValue, tr("%1 config can't be blank").arg(path), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be a hash or a string").arg(path), n);
        return;
    }
    static const KeySet keys{u"name", u"entrypoint", u"docker", u"kubernetes", u"pull_policy"};
    checkKeys(path, n, keys);
    const Node name = n.value(u"name");
    if (!name.isDefined() || name.isNull()) {
        error(QStringLiteral("missing-key"), tr("%1 name can't be blank").arg(path),
              name.isDefined() ? name : n);
    } else {
        expectString(path, QStringLiteral("name"), name, false);
    }
    if (const Node e = n.value(u"entrypoint"); present(e))
        arrayOfStrings(path, QStringLiteral("entrypoint"), e, false);
    if (const Node p = n.value(u"pull_policy"); present(p))
        pullPolicy(path, p);
    executorOptions(path, n.value(u"docker"), n.value(u"kubernetes"));
}

void Checker::services(const QString &path, const Node &n)
{
    if (!n.isSequence()) {
        // Sic: GitLab's TypeValidator prints "should be a <class name, lowercased>".
        error(kInvalidType, tr("%1 config should be a array").arg(path), n);
        return;
    }
    const QString p = path + QStringLiteral(":service");
    for (const Node &s : n.items()) {
        if (isStr(s)) {
            if (s.scalar().isEmpty())
                error(kInvalidValue, tr("%1 config can't be blank").arg(p), s);
            continue;
        }
        if (!s.isMap()) {
            error(kInvalidType, tr("%1 config should be a hash or a string").arg(p), s);
            continue;
        }
        static const KeySet keys{u"name",      u"entrypoint",  u"command", u"alias",
                                 u"variables", u"pull_policy", u"docker",  u"kubernetes"};
        checkKeys(p, s, keys);
        const Node name = s.value(u"name");
        if (!name.isDefined() || name.isNull())
            error(QStringLiteral("missing-key"), tr("%1 name can't be blank").arg(p), s);
        else
            expectString(p, QStringLiteral("name"), name, false);
        if (const Node e = s.value(u"entrypoint"); present(e))
            arrayOfStrings(p, QStringLiteral("entrypoint"), e, false);
        // Rails wants an array here; the newest schema also takes a string (we follow Rails).
        if (const Node c = s.value(u"command"); present(c))
            arrayOfStrings(p, QStringLiteral("command"), c, false);
        if (const Node a = s.value(u"alias"); present(a))
            expectString(p, QStringLiteral("alias"), a, false);
        if (const Node v = s.value(u"variables"); present(v))
            variables(p + QStringLiteral(":variables"), v, false);
        if (const Node pp = s.value(u"pull_policy"); present(pp))
            pullPolicy(p, pp);
        executorOptions(p, s.value(u"docker"), s.value(u"kubernetes"));
    }
}

// ---- artifacts ----------------------------------------------------------------------------

void Checker::artifacts(const QString &path, const Node &n)
{
    if (n.isNull())
        return;
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"paths", u"exclude", u"expose_as", u"name",    u"untracked",
                             u"when",  u"access",  u"expire_in", u"reports", u"public"};
    checkKeys(path, n, keys);
    for (const yaml::MapEntry &e : n.entries()) {
        const QString &k = e.key.scalar();
        const Node &v = e.value;
        if (v.isNull())
            continue; // GitLab treats a null value as not specified
        if (k == u"paths" || k == u"exclude") {
            arrayOfStrings(path, k, v);
        } else if (k == u"name") {
            expectString(path, k, v);
        } else if (k == u"expose_as") {
            static const QRegularExpression exposeAs(QStringLiteral("^\\w[-\\w ]*$"));
            if (expectString(path, QStringLiteral("expose as"), v) && v.scalar().size() > 100) {
                error(kInvalidValue,
                      tr("%1 expose as is too long (maximum is 100 characters)").arg(path), v);
            } else if (isStr(v) && !exposeAs.match(v.scalar()).hasMatch()) {
                error(kInvalidValue,
                      tr("%1 expose as can contain only letters, digits, '-', '_' and spaces")
                          .arg(path),
                      v);
            }
            if (const Node paths = n.value(u"paths"); paths.isSequence()) {
                for (const Node &p : paths.items()) {
                    if (isStr(p) && p.scalar().contains(u'*')) {
                        error(kInvalidValue,
                              tr("%1 paths can't contain '*' when used with 'expose_as'").arg(path),
                              p);
                    }
                }
            }
            if (!n.contains(u"paths")) {
                error(QStringLiteral("missing-key"), tr("%1 paths can't be blank").arg(path), e.key,
                      tr("expose_as needs artifacts:paths"));
            }
        } else if (k == u"untracked" || k == u"public") {
            expectBool(path, k, v);
        } else if (k == u"when") {
            if (!isStr(v) || !list({u"on_success", u"on_failure", u"always"}).contains(v.scalar()))
                error(isStr(v) ? kInvalidValue : kInvalidType,
                      tr("%1 when should be on_success, on_failure or always").arg(path), v);
        } else if (k == u"access") {
            expectEnum(path, k, v, list({u"none", u"developer", u"maintainer", u"all"}));
            if (n.contains(u"public")) {
                error(kInvalidValue, tr("%1 config cannot use both public and access").arg(path),
                      e.key);
            }
        } else if (k == u"expire_in") {
            expectDuration(path, QStringLiteral("expire in"), v, true);
        } else if (k == u"reports") {
            const QString rp = path + QStringLiteral(":reports");
            if (!expectHash(rp, v))
                continue;
            static const KeySet reportKeys{u"accessibility",
                                           u"annotations",
                                           u"junit",
                                           u"browser_performance",
                                           u"coverage_report",
                                           u"codequality",
                                           u"dotenv",
                                           u"lsif",
                                           u"sast",
                                           u"dependency_scanning",
                                           u"container_scanning",
                                           u"dast",
                                           u"license_management",
                                           u"license_scanning",
                                           u"requirements",
                                           u"secret_detection",
                                           u"metrics",
                                           u"terraform",
                                           u"cyclonedx",
                                           u"sarif",
                                           u"load_performance",
                                           u"repository_xray",
                                           u"api_fuzzing",
                                           u"coverage_fuzzing",
                                           u"cluster_image_scanning",
                                           u"requirements_v2"};
            checkKeys(rp, v, reportKeys);
            for (const yaml::MapEntry &r : v.entries()) {
                const QString &rk = r.key.scalar();
                if (!reportKeys.contains(rk) || r.value.isNull())
                    continue;
                if (rk == u"coverage_report") {
                    const QString cp = rp + QStringLiteral(":coverage_report");
                    if (r.value.isNull() || !expectHash(cp, r.value))
                        continue;
                    static const KeySet ck{u"coverage_format", u"path"};
                    checkKeys(cp, r.value, ck);
                    if (const Node f = r.value.value(u"coverage_format"); present(f))
                        expectEnum(cp, QStringLiteral("coverage format"), f,
                                   list({u"cobertura", u"jacoco"}));
                    if (const Node p = r.value.value(u"path"); present(p))
                        expectString(cp, QStringLiteral("path"), p, false);
                } else if (rk == u"accessibility" || rk == u"browser_performance") {
                    // Single-file reports: GitLab takes one path, not a list or a glob list.
                    expectString(rp, humanize(rk), r.value);
                } else {
                    stringOrArrayOfStrings(rp, humanize(rk), r.value);
                }
            }
        }
    }
}

// ---- cache --------------------------------------------------------------------------------

void Checker::cache(const QString &path, const Node &n)
{
    if (n.isSequence()) {
        const std::vector<Node> caches = flattened(n); // `- *anchor_of_a_list` is common
        if (caches.size() > 4) {
            error(kInvalidValue, tr("%1 config no more than 4 caches can be created").arg(path), n);
        }
        for (const Node &item : caches)
            cacheItem(path, item);
        return;
    }
    cacheItem(path, n);
}

void Checker::cacheItem(const QString &path, const Node &n)
{
    if (n.isNull())
        return;
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"key",       u"paths", u"policy",       u"unprotect",
                             u"untracked", u"when",  u"fallback_keys"};
    checkKeys(path, n, keys);
    for (const yaml::MapEntry &e : n.entries()) {
        const QString &k = e.key.scalar();
        const Node &v = e.value;
        if (v.isNull())
            continue; // GitLab treats a null value as not specified
        if (k == u"key") {
            const QString kp = path + QStringLiteral(":key");
            if (isStr(v) || isNumber(v)) {
                QString key = v.scalar();
                key.replace(QStringLiteral("%2F"), QStringLiteral("/"), Qt::CaseInsensitive);
                key.replace(QStringLiteral("%2E"), QStringLiteral("."), Qt::CaseInsensitive);
                if (key.contains(u'/')) {
                    error(kInvalidValue, tr("%1 config cannot contain the \"/\" character").arg(kp),
                          v);
                } else if (key == u"." || key == u"..") {
                    error(kInvalidValue, tr("%1 config cannot be \".\" or \"..\"").arg(kp), v);
                }
            } else if (v.isMap()) {
                static const KeySet kk{u"files", u"files_commits", u"prefix"};
                checkKeys(kp, v, kk);
                if (!v.contains(u"files") && !v.contains(u"files_commits"))
                    requireKey(kp, v, QStringLiteral("files"));
                for (const char16_t *fk : {u"files", u"files_commits"}) {
                    const Node f = v.value(QStringView(fk));
                    const QString fp = kp + u':' + QString::fromUtf16(fk);
                    if (!present(f))
                        continue;
                    if (arrayOfStrings(fp, QString(), f, false) && f.size() > 2) {
                        error(kInvalidValue,
                              tr("%1 config has too many entries (maximum 2)").arg(fp), f);
                    }
                }
                if (const Node pre = v.value(u"prefix"); present(pre) && !isStr(pre)) {
                    error(kInvalidType,
                          tr("%1 config should be a string or symbol")
                              .arg(kp + QStringLiteral(":prefix")),
                          pre);
                }
            } else {
                error(kInvalidType, tr("%1 config should be a hash, a string or a symbol").arg(kp),
                      v);
            }
        } else if (k == u"paths") {
            arrayOfStrings(path + QStringLiteral(":paths"), QString(), v);
        } else if (k == u"policy") {
            const bool ok =
                isStr(v) && (list({u"pull-push", u"push", u"pull"}).contains(v.scalar()) ||
                             v.scalar().contains(u'$'));
            if (!ok) {
                error(isStr(v) ? kInvalidValue : kInvalidType,
                      tr("%1 policy should be pull-push, push, or pull").arg(path), v,
                      isStr(v) && !didYouMean(v.scalar(), list({u"pull-push", u"push", u"pull"}))
                                       .isEmpty()
                          ? didYouMean(v.scalar(), list({u"pull-push", u"push", u"pull"}))
                          : tr("a variable such as $CACHE_POLICY is accepted too"));
            }
        } else if (k == u"when") {
            if (!isStr(v) || !list({u"on_success", u"on_failure", u"always"}).contains(v.scalar()))
                error(isStr(v) ? kInvalidValue : kInvalidType,
                      tr("%1 when should be on_success, on_failure or always").arg(path), v);
        } else if (k == u"untracked") {
            expectBool(path + QStringLiteral(":untracked"), QString(), v); // an entry in Rails
        } else if (k == u"unprotect") {
            expectBool(path, k, v);
        } else if (k == u"fallback_keys") {
            if (arrayOfStrings(path, QStringLiteral("fallback keys"), v) && v.size() > 5) {
                error(kInvalidValue,
                      tr("%1 fallback keys has to be less than or equal to 5 in length").arg(path),
                      v);
            }
        }
    }
}

// ---- coverage -----------------------------------------------------------------------------

void Checker::coverage(const QString &path, const Node &n)
{
    bool ok = isStr(n) && expr::Regex::isLiteral(n.scalar());
    QString why;
    if (ok) {
        const expr::Regex re = expr::Regex::fromLiteral(n.scalar());
        ok = re.isValid();
        why = re.error();
    }
    if (!ok) {
        error(QStringLiteral("invalid-regex"),
              tr("%1 coverage config must be a regular expression").arg(path), n, why);
    }
}

// ---- needs --------------------------------------------------------------------------------

void Checker::matrix(const QString &path, const Node &n, bool countJobs)
{
    const QString mp = path + QStringLiteral(":matrix");
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be an array of hashes").arg(mp), n);
        return;
    }
    qint64 total = 0;
    for (const Node &entry : n.items()) {
        if (!entry.isMap()) {
            error(kInvalidType, tr("%1 config should be an array of hashes").arg(mp), entry);
            continue;
        }
        qint64 combos = 1;
        for (const yaml::MapEntry &v : entry.entries()) {
            // No name check here: GitLab accepts `[a-zA-Z0-9_-]` names in a matrix (they are
            // also referenced as $[[ matrix.MY-VAR ]]).
            const QString vp = mp + QStringLiteral(":variables");
            if (isStr(v.value) || isNumber(v.value)) {
                continue;
            }
            bool ok = v.value.isSequence() && v.value.size() > 0;
            for (const Node &x : v.value.items())
                ok = ok && (isStr(x) || isNumber(x));
            if (!ok) {
                error(kInvalidType,
                      tr("%1 config should be a hash of key value pairs, value can be an array")
                          .arg(vp),
                      v.value);
                continue;
            }
            combos *= v.value.size();
        }
        total += combos;
    }
    if (n.size() > 200) {
        error(kInvalidValue, tr("%1 config is too long (maximum is 200 items)").arg(mp), n);
    } else if (countJobs && total > 200) {
        error(QStringLiteral("too-many-jobs"),
              tr("%1 config generates too many jobs (maximum is 200)").arg(mp), n);
    }
}

void Checker::needs(const QString &path, const Node &n, bool inRules)
{
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be an array").arg(path), n,
              inRules ? QString() : tr("needs takes a list of job names or hashes"));
        return;
    }
    const QString np = path + QStringLiteral(":need");
    for (const Node &item : flattened(n)) {
        if (isStr(item)) {
            if (item.scalar().isEmpty())
                error(kInvalidValue, tr("%1 config can't be blank").arg(np), item);
            continue;
        }
        if (!item.isMap()) {
            error(kInvalidType, tr("%1 config should be a string or a hash").arg(np), item);
            continue;
        }
        if (item.contains(u"pipeline") && !inRules) {
            // `optional` is accepted by GitLab's Rails lint (newer than the saved schema).
            static const KeySet keys{u"pipeline", u"job", u"artifacts", u"optional", u"parallel"};
            checkKeys(np, item, keys);
            expectString(np, QStringLiteral("pipeline"), item.value(u"pipeline"), false);
        } else if (item.contains(u"project") && !inRules) {
            static const KeySet keys{u"project", u"job", u"ref", u"artifacts", u"parallel"};
            checkKeys(np, item, keys);
            expectString(np, QStringLiteral("project"), item.value(u"project"), false);
            if (requireKey(np, item, QStringLiteral("ref")))
                expectString(np, QStringLiteral("ref"), item.value(u"ref"), false);
        } else if (inRules) {
            static const KeySet keys{u"job", u"artifacts", u"optional"};
            checkKeys(np, item, keys);
        } else {
            static const KeySet keys{u"job", u"artifacts", u"optional", u"parallel"};
            checkKeys(np, item, keys);
        }
        if (requireKey(np, item, QStringLiteral("job")))
            expectString(np, QStringLiteral("job"), item.value(u"job"), false);
        for (const char16_t *b : {u"artifacts", u"optional"}) {
            if (const Node v = item.value(QStringView(b)); present(v))
                expectBool(np, QString::fromUtf16(b), v);
        }
        if (const Node p = item.value(u"parallel"); present(p) && !inRules) {
            const QString pp = np + QStringLiteral(":parallel");
            if (expectHash(pp, p)) {
                static const KeySet pk{u"matrix"};
                checkKeys(pp, p, pk);
                if (requireKey(pp, p, QStringLiteral("matrix")))
                    matrix(pp, p.value(u"matrix"), false);
            }
        }
    }
}

// ---- rules --------------------------------------------------------------------------------

void Checker::rules(const QString &path, const Node &n, bool workflowRules)
{
    if (n.isNull() || n.tag() == u"!reference")
        return;
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be an array of hashes").arg(path), n);
        return;
    }
    // !reference can leave nested arrays of rules: GitLab flattens them.
    std::function<void(const Node &)> each = [&](const Node &list) {
        for (const Node &r : list.items()) {
            if (r.tag() == u"!reference")
                continue; // the resolver's
            if (r.isSequence())
                each(r);
            else
                rule(path + QStringLiteral(":rule"), r, workflowRules);
        }
    };
    each(n);
}

void Checker::ruleIf(const QString &path, const Node &n)
{
    if (!isStr(n)) {
        error(kInvalidType, tr("%1 if should be a string").arg(path), n);
        return;
    }
    if (n.scalar().contains(u"$[[")) // an input the resolver did not substitute: its call
        return;
    const expr::Expression e = expr::Expression::parse(n.scalar());
    if (e.isValid())
        return;
    const expr::ParseError &err = *e.error();
    diag::Diagnostic d = diag::make(
        diag::Severity::Error, QStringLiteral("invalid-expression"),
        tr("%1 if invalid expression syntax").arg(path),
        n.location().file.isEmpty() ? m_config.mainFile : n.location().file, n.location().line,
        n.location().column, n.location().endLine, n.location().endColumn);
    d.hint = err.message;
    // When the text sits on one line as written, point at the parser's column inside it.
    const yaml::Location &l = n.location();
    const QString &text = n.scalar();
    int offset = -1;
    if (l.line > 0 && l.line == l.endLine && !text.contains(u'\n')) {
        if (n.style() == Node::Style::Plain)
            offset = 0;
        else if (n.style() == Node::Style::SingleQuoted && !text.contains(u'\''))
            offset = 1;
        else if (n.style() == Node::Style::DoubleQuoted && !text.contains(u'\\') &&
                 !text.contains(u'"'))
            offset = 1;
    }
    if (offset >= 0 && err.column >= 1) {
        const int col = l.column + offset + err.column - 1;
        d.range.start = {l.line, col};
        d.range.end = {l.line, std::min(col + 1, l.endColumn > col ? l.endColumn : col + 1)};
    }
    m_out.append(d);
}

void Checker::changesOrExists(const QString &path, const Node &n, bool exists)
{
    const QString kw = exists ? QStringLiteral("exists") : QStringLiteral("changes");
    const QString p = path + u':' + kw;
    if (n.isSequence()) {
        arrayOfStrings(p, QString(), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be an array of strings or a hash").arg(p), n);
        return;
    }
    static const KeySet changesKeys{u"paths", u"compare_to"};
    static const KeySet existsKeys{u"paths", u"project", u"ref"};
    checkKeys(p, n, exists ? existsKeys : changesKeys);
    if (requireKey(p, n, QStringLiteral("paths")))
        arrayOfStrings(p, QStringLiteral("paths"), n.value(u"paths"));
    for (const char16_t *k : {u"compare_to", u"project", u"ref"}) {
        if (const Node v = n.value(QStringView(k)); present(v))
            expectString(p, humanize(QString::fromUtf16(k)), v, false);
    }
    if (exists && n.contains(u"ref") && !n.contains(u"project")) {
        error(QStringLiteral("missing-key"), tr("%1 ref requires project").arg(p),
              n.find(u"ref")->key);
    }
}

void Checker::rule(const QString &path, const Node &n, bool workflowRules)
{
    if (!expectHash(path, n))
        return;
    static const KeySet jobRuleKeys{u"if",        u"changes",  u"exists",
                                    u"when",      u"start_in", u"allow_failure",
                                    u"variables", u"needs",    u"interruptible"};
    static const KeySet workflowRuleKeys{u"if",        u"changes", u"exists",
                                         u"variables", u"when",    u"auto_cancel"};
    checkKeys(path, n, workflowRules ? workflowRuleKeys : jobRuleKeys);
    const Node when = n.value(u"when");
    for (const yaml::MapEntry &e : n.entries()) {
        const QString &k = e.key.scalar();
        const Node &v = e.value;
        if (v.isNull())
            continue; // GitLab treats a null value as not specified
        if (k == u"if") {
            ruleIf(path, v);
        } else if (k == u"changes" || k == u"exists") {
            changesOrExists(path, v, k == u"exists");
        } else if (k == u"when") {
            if (v.isNull())
                continue;
            const QStringList values = workflowRules
                                           ? list({u"always", u"never"})
                                           : list({u"on_success", u"on_failure", u"always",
                                                   u"never", u"manual", u"delayed"});
            if (!isStr(v) || !values.contains(v.scalar())) {
                error(QStringLiteral("invalid-when"),
                      tr("%1 when should be one of: %2").arg(path, values.join(u", ")), v,
                      isStr(v) ? didYouMean(v.scalar(), values) : QString());
            }
        } else if (k == u"variables") {
            rulesVariables(path + QStringLiteral(":variables"), v);
        } else if (k == u"auto_cancel" && workflowRules) {
            const QString ap = path + QStringLiteral(":auto_cancel");
            if (expectHash(ap, v)) {
                static const KeySet ak{u"on_new_commit", u"on_job_failure"};
                checkKeys(ap, v, ak);
                if (const Node c = v.value(u"on_new_commit"); present(c))
                    expectEnum(ap, QStringLiteral("on new commit"), c,
                               list({u"conservative", u"interruptible", u"none"}));
                if (const Node c = v.value(u"on_job_failure"); present(c))
                    expectEnum(ap, QStringLiteral("on job failure"), c, list({u"none", u"all"}));
            }
        } else if (workflowRules) {
            continue;
        } else if (k == u"start_in") {
            if (isStr(when) && when.scalar() == u"delayed")
                expectDuration(path, QStringLiteral("start_in"), v, false, 7 * 86400);
            else
                error(QStringLiteral("invalid-start-in"),
                      tr("%1 start_in should be blank").arg(path), e.key,
                      tr("start_in is only used with when: delayed"));
        } else if (k == u"allow_failure") {
            // Rails' rule entry takes a boolean only (exit_codes are a job-level feature).
            expectBool(path, QStringLiteral("allow_failure"), v);
        } else if (k == u"needs") {
            needs(path + QStringLiteral(":needs"), v, true);
        } else if (k == u"interruptible") {
            expectBool(path, k, v);
        }
    }
    if (!workflowRules && isStr(when) && when.scalar() == u"delayed" && !n.contains(u"start_in"))
        error(QStringLiteral("missing-start-in"), tr("%1 start_in should be a duration").arg(path),
              when);
}

// ---- only / except ------------------------------------------------------------------------

void Checker::filter(const QString &path, const Node &n)
{
    if (n.isNull())
        return;
    auto refs = [&](const QString &p, const QString &attr, const Node &v) {
        bool ok = v.isSequence();
        for (const Node &item : v.items()) {
            if (!isStr(item)) {
                ok = false;
                continue;
            }
            if (!expr::Regex::isLiteral(item.scalar()))
                continue;
            const expr::Regex re = expr::Regex::fromLiteral(item.scalar());
            if (re.isValid())
                continue;
            // GitLab falls back to Ruby's engine for only/except refs, so look-around and
            // back-references still work there (with a warning in GitLab's own docs).
            const QString why = re.error();
            if (why.contains(QStringLiteral("invalid perl operator")) ||
                why.contains(QStringLiteral("invalid escape sequence"))) {
                report(diag::Severity::Warning, QStringLiteral("non-re2-regex"),
                       tr("%1 uses a regular expression that RE2 cannot run: GitLab falls back "
                          "to Ruby's engine for it")
                           .arg(subject(p, attr)),
                       item, why);
                continue;
            }
            ok = false;
        }
        if (!ok) {
            error(isStr(v) || v.isSequence() ? kInvalidValue : kInvalidType,
                  tr("%1 should be an array of strings or regexps").arg(subject(p, attr)), v);
        }
    };
    if (n.isSequence()) {
        refs(path, QString(), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be an array of strings or regexps").arg(path), n);
        return;
    }
    static const KeySet keys{u"refs", u"variables", u"changes", u"kubernetes"};
    checkKeys(path, n, keys);
    if (const Node r = n.value(u"refs"); present(r))
        refs(path, QStringLiteral("refs"), r);
    if (const Node c = n.value(u"changes"); present(c))
        arrayOfStrings(path, QStringLiteral("changes"), c);
    if (const Node k = n.value(u"kubernetes"); present(k))
        expectEnum(path, QStringLiteral("kubernetes"), k, list({u"active"}),
                   tr("unknown value: %1").arg(isStr(k) ? k.scalar() : kindName(k)));
    if (const Node v = n.value(u"variables"); present(v)) {
        if (arrayOfStrings(path, QStringLiteral("variables"), v)) {
            for (const Node &item : v.items()) {
                if (!expr::Expression::parse(item.scalar()).isValid()) {
                    error(QStringLiteral("invalid-expression"),
                          tr("%1 variables invalid expression syntax").arg(path), item);
                }
            }
        }
    }
}

// ---- allow_failure / retry / parallel -----------------------------------------------------

void Checker::allowFailure(const QString &path, const Node &n)
{
    if (isBool(n))
        return;
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 allow failure should be a hash or a boolean value").arg(path),
              n);
        return;
    }
    const QString ap = path + QStringLiteral(":allow_failure");
    static const KeySet keys{u"exit_codes"};
    checkKeys(ap, n, keys);
    if (!requireKey(ap, n, QStringLiteral("exit_codes")))
        return;
    const Node c = n.value(u"exit_codes");
    bool ok = isInt(c) || (c.isSequence() && c.size() > 0);
    for (const Node &x : c.items())
        ok = ok && isInt(x);
    if (!ok) {
        error(kInvalidType,
              tr("%1 exit codes should be an array of integers or an integer").arg(ap), c);
    }
}

void Checker::retry(const QString &path, const Node &n)
{
    auto max = [&](const QString &attr, const Node &v) {
        if (!isInt(v)) {
            error(kInvalidType,
                  attr.isEmpty() ? tr("%1 config has to be either an integer or a hash").arg(path)
                                 : tr("%1 max should be an integer").arg(path),
                  v);
            return;
        }
        const qint64 value = *v.toInt();
        if (value < 0 || value > 2) {
            error(kInvalidValue,
                  tr("%1 %2 must be %3")
                      .arg(path, attr.isEmpty() ? QStringLiteral("config") : attr,
                           value < 0 ? tr("greater than or equal to 0")
                                     : tr("less than or equal to 2")),
                  v);
        }
    };
    if (!n.isMap()) {
        max(QString(), n);
        return;
    }
    static const KeySet keys{u"max", u"when", u"exit_codes"};
    checkKeys(path, n, keys);
    if (const Node m = n.value(u"max"); present(m))
        max(QStringLiteral("max"), m);
    if (const Node w = n.value(u"when"); present(w)) {
        static const QStringList reasons = list({u"always",
                                                 u"unknown_failure",
                                                 u"script_failure",
                                                 u"api_failure",
                                                 u"stuck_or_timeout_failure",
                                                 u"stuck_pending_with_matching_runners",
                                                 u"stuck_pending_no_matching_runners",
                                                 u"no_updates_running",
                                                 u"no_updates_canceling",
                                                 u"runner_system_failure",
                                                 u"runner_configuration_error",
                                                 u"runner_external_dependency_failure",
                                                 u"runner_interrupted",
                                                 u"runner_unsupported",
                                                 u"stale_schedule",
                                                 u"job_execution_timeout",
                                                 u"server_timeout_running",
                                                 u"server_timeout_canceling",
                                                 u"archived_failure",
                                                 u"unmet_prerequisites",
                                                 u"scheduler_failure",
                                                 u"data_integrity_failure"});
        std::vector<Node> values;
        if (isStr(w))
            values.push_back(w);
        else if (w.isSequence())
            values = w.items();
        bool typeOk = isStr(w) || w.isSequence();
        for (const Node &x : values)
            typeOk = typeOk && isStr(x);
        if (!typeOk) {
            error(kInvalidType, tr("%1 when should be an array of strings or a string").arg(path),
                  w);
        } else {
            for (const Node &x : values) {
                if (!reasons.contains(x.scalar()))
                    error(kInvalidValue,
                          tr("%1 when contains unknown values: %2").arg(path, x.scalar()), x,
                          didYouMean(x.scalar(), reasons));
            }
        }
    }
    if (const Node c = n.value(u"exit_codes"); present(c)) {
        bool ok = isInt(c) || (c.isSequence() && c.size() > 0);
        QSet<qint64> seen;
        bool duplicate = false;
        for (const Node &x : c.items()) {
            ok = ok && isInt(x);
            if (isInt(x) && !std::exchange(duplicate, duplicate || seen.contains(*x.toInt())))
                seen.insert(*x.toInt());
        }
        if (!ok) {
            error(kInvalidType,
                  tr("%1 exit codes should be an array of integers or an integer").arg(path), c);
        } else if (duplicate) {
            error(kInvalidValue, tr("%1 exit codes contains duplicate values").arg(path), c);
        }
    }
}

void Checker::parallel(const QString &path, const Node &n)
{
    if (isInt(n)) {
        const qint64 v = *n.toInt();
        if (v < 1)
            error(kInvalidValue, tr("%1 config must be greater than or equal to 1").arg(path), n);
        else if (v > 200)
            error(kInvalidValue, tr("%1 config must be less than or equal to 200").arg(path), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be an integer or a hash").arg(path), n);
        return;
    }
    static const KeySet keys{u"matrix"};
    checkKeys(path, n, keys);
    if (requireKey(path, n, QStringLiteral("matrix")))
        matrix(path, n.value(u"matrix"), true);
}

// ---- trigger ------------------------------------------------------------------------------

void Checker::triggerInclude(const QString &path, const Node &n)
{
    const QString ip = path + QStringLiteral(":include");
    auto yamlPath = [&](const QString &owner, const QString &attr, const Node &v) {
        if (expectString(owner, attr, v, false) &&
            !QRegularExpression(QStringLiteral("\\.ya?ml$")).match(v.scalar()).hasMatch()) {
            error(kInvalidValue,
                  tr("%1 %2 should be a path to a YAML file (.yml or .yaml)").arg(owner, attr), v);
        }
    };
    if (isStr(n)) {
        yamlPath(path, QStringLiteral("include"), n);
        return;
    }
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be a string or an array").arg(ip), n);
        return;
    }
    if (n.size() > 3) {
        error(kInvalidValue, tr("%1 config is too long (maximum is 3 files)").arg(ip), n);
    }
    for (const Node &item : n.items()) {
        if (isStr(item)) {
            yamlPath(ip, QStringLiteral("file"), item);
            continue;
        }
        if (!expectHash(ip, item))
            continue;
        if (const Node in = item.value(u"inputs"); present(in))
            inputValues(ip + QStringLiteral(":inputs"), in);
        if (item.contains(u"local")) {
            static const KeySet k{u"local", u"inputs"};
            checkKeys(ip, item, k);
            yamlPath(ip, QStringLiteral("local"), item.value(u"local"));
        } else if (item.contains(u"template")) {
            static const KeySet k{u"template", u"inputs"};
            checkKeys(ip, item, k);
            yamlPath(ip, QStringLiteral("template"), item.value(u"template"));
        } else if (item.contains(u"artifact")) {
            static const KeySet k{u"artifact", u"job", u"inputs"};
            checkKeys(ip, item, k);
            yamlPath(ip, QStringLiteral("artifact"), item.value(u"artifact"));
            if (requireKey(ip, item, QStringLiteral("job")))
                expectString(ip, QStringLiteral("job"), item.value(u"job"), false);
        } else if (item.contains(u"project") || item.contains(u"file")) {
            static const KeySet k{u"project", u"ref", u"file", u"inputs"};
            checkKeys(ip, item, k);
            if (requireKey(ip, item, QStringLiteral("project"))) {
                const Node p = item.value(u"project");
                if (expectString(ip, QStringLiteral("project"), p, false) &&
                    !validProjectPath(p.scalar())) {
                    error(kInvalidValue,
                          tr("%1 project should be a full project path (group/project)").arg(ip),
                          p);
                }
            }
            if (requireKey(ip, item, QStringLiteral("file")))
                yamlPath(ip, QStringLiteral("file"), item.value(u"file"));
            if (const Node r = item.value(u"ref"); present(r))
                expectString(ip, QStringLiteral("ref"), r, false);
        } else if (item.contains(u"component")) {
            static const KeySet k{u"component", u"inputs"};
            checkKeys(ip, item, k);
            expectString(ip, QStringLiteral("component"), item.value(u"component"), false);
        } else if (item.contains(u"remote")) {
            static const KeySet k{u"remote", u"inputs"};
            checkKeys(ip, item, k);
            const Node r = item.value(u"remote");
            if (expectString(ip, QStringLiteral("remote"), r, false) &&
                !r.scalar().startsWith(u"http")) {
                error(kInvalidValue, tr("%1 remote should be a valid URL").arg(ip), r);
            }
        } else {
            error(QStringLiteral("missing-key"),
                  tr("%1 config should contain one of: local, template, artifact, project, "
                     "component, remote")
                      .arg(ip),
                  item);
        }
    }
}

void Checker::trigger(const QString &path, const Node &n)
{
    auto project = [&](const QString &attr, const Node &v) {
        if (!expectString(path, attr, v, false))
            return;
        if (!validProjectPath(v.scalar())) {
            error(kInvalidValue,
                  tr("%1 should be a full project path (group/project)").arg(subject(path, attr)),
                  v);
        }
    };
    if (isStr(n)) {
        project(QString(), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be a hash or a string").arg(path), n);
        return;
    }
    const bool child = n.contains(u"include");
    static const KeySet projectKeys{u"project", u"branch", u"strategy", u"forward", u"inputs"};
    static const KeySet childKeys{u"include", u"strategy", u"forward", u"inputs"};
    checkKeys(path, n, child ? childKeys : projectKeys);
    if (child) {
        triggerInclude(path, n.value(u"include"));
    } else if (requireKey(path, n, QStringLiteral("project"))) {
        project(QStringLiteral("project"), n.value(u"project"));
    }
    if (const Node b = n.value(u"branch"); present(b))
        expectString(path, QStringLiteral("branch"), b, false);
    if (const Node s = n.value(u"strategy"); present(s))
        expectEnum(path, QStringLiteral("strategy"), s, list({u"depend", u"mirror"}),
                   tr("should be depend or mirror"));
    if (const Node i = n.value(u"inputs"); present(i))
        inputValues(path + QStringLiteral(":inputs"), i);
    if (const Node f = n.value(u"forward"); present(f)) {
        const QString fp = path + QStringLiteral(":forward");
        if (expectHash(fp, f)) {
            static const KeySet fk{u"yaml_variables", u"pipeline_variables"};
            checkKeys(fp, f, fk);
            for (const yaml::MapEntry &e : f.entries()) {
                if (fk.contains(e.key.scalar()))
                    expectBool(fp, humanize(e.key.scalar()), e.value);
            }
        }
    }
}

// ---- environment / release ----------------------------------------------------------------

void Checker::environment(const QString &path, const Node &n)
{
    if (isStr(n)) {
        if (n.scalar().isEmpty())
            error(kInvalidValue, tr("%1 name can't be blank").arg(path), n);
        return;
    }
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be a hash or a string").arg(path), n);
        return;
    }
    static const KeySet keys{u"name",         u"url",        u"on_stop",        u"action",
                             u"auto_stop_in", u"kubernetes", u"deployment_tier"};
    checkKeys(path, n, keys);
    const Node name = n.value(u"name");
    if (!name.isDefined() || name.isNull())
        error(QStringLiteral("missing-key"), tr("%1 name can't be blank").arg(path),
              name.isDefined() ? name : n);
    else
        expectString(path, QStringLiteral("name"), name, false);
    if (const Node u = n.value(u"url"); present(u))
        expectString(path, QStringLiteral("url"), u, false);
    if (const Node o = n.value(u"on_stop"); present(o))
        expectString(path, QStringLiteral("on stop"), o, false);
    if (const Node a = n.value(u"action"); present(a))
        expectEnum(path, QStringLiteral("action"), a,
                   list({u"start", u"prepare", u"stop", u"verify", u"access"}),
                   tr("should be start, stop, prepare, verify, or access"));
    if (const Node a = n.value(u"auto_stop_in"); present(a))
        expectDuration(path, QStringLiteral("auto stop in"), a, true);
    if (const Node t = n.value(u"deployment_tier"); present(t))
        expectEnum(path, QStringLiteral("deployment tier"), t,
                   list({u"production", u"staging", u"testing", u"development", u"other"}),
                   tr("must be one of production, staging, testing, development, or other"));
    if (const Node k = n.value(u"kubernetes"); present(k)) {
        const QString kp = path + QStringLiteral(":kubernetes");
        if (expectHash(kp, k)) {
            static const KeySet kk{u"agent", u"namespace", u"flux_resource_path",
                                   u"managed_resources", u"dashboard"};
            checkKeys(kp, k, kk);
            for (const char16_t *s : {u"agent", u"namespace", u"flux_resource_path"}) {
                if (const Node v = k.value(QStringView(s)); present(v))
                    expectString(kp, humanize(QString::fromUtf16(s)), v, false);
            }
            if (const Node m = k.value(u"managed_resources"); present(m)) {
                const QString mp = kp + QStringLiteral(":managed_resources");
                if (expectHash(mp, m)) {
                    static const KeySet mk{u"enabled"};
                    checkKeys(mp, m, mk);
                    if (const Node e = m.value(u"enabled"); present(e))
                        expectBool(mp, QStringLiteral("enabled"), e);
                }
            }
            if (const Node d = k.value(u"dashboard"); present(d)) {
                const QString dp = kp + QStringLiteral(":dashboard");
                if (expectHash(dp, d)) {
                    static const KeySet dk{u"namespace", u"flux_resource_path"};
                    checkKeys(dp, d, dk);
                }
            }
        }
    }
}

void Checker::release(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"tag_name", u"tag_message", u"description", u"name",
                             u"ref",      u"milestones",  u"released_at", u"assets"};
    checkKeys(path, n, keys);
    // Rails: validates :tag_name, :description, presence: true.
    for (const char16_t *k : {u"tag_name", u"description"}) {
        const QString key = QString::fromUtf16(k);
        const Node v = n.value(key);
        if (!present(v))
            error(QStringLiteral("missing-key"),
                  tr("%1 %2 can't be blank").arg(path, humanize(key)), v.isDefined() ? v : n);
        else
            expectString(path, humanize(key), v, false);
    }
    for (const char16_t *k : {u"tag_message", u"name", u"ref", u"released_at"}) {
        if (const Node v = n.value(QStringView(k)); present(v))
            expectString(path, humanize(QString::fromUtf16(k)), v);
    }
    if (const Node r = n.value(u"released_at"); isStr(r)) {
        static const QRegularExpression iso(QStringLiteral(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$"));
        if (!iso.match(r.scalar()).hasMatch() && !r.scalar().contains(u'$'))
            error(kInvalidValue, tr("%1 released at must be a valid datetime").arg(path), r);
    }
    if (const Node m = n.value(u"milestones"); present(m))
        arrayOfStrings(path, QStringLiteral("milestones"), m);
    if (const Node a = n.value(u"assets"); present(a)) {
        const QString ap = path + QStringLiteral(":assets");
        if (!expectHash(ap, a))
            return;
        static const KeySet ak{u"links"};
        checkKeys(ap, a, ak);
        if (!requireKey(ap, a, QStringLiteral("links")))
            return;
        const Node links = a.value(u"links");
        const QString lp = ap + QStringLiteral(":links");
        if (!links.isSequence() || links.size() == 0) {
            error(kInvalidType, tr("%1 config should be an array of hashes").arg(lp), links);
            return;
        }
        const QString one = lp + QStringLiteral(":link");
        for (const Node &l : links.items()) {
            if (!expectHash(one, l))
                continue;
            static const KeySet lk{u"name", u"url", u"filepath", u"link_type"};
            checkKeys(one, l, lk);
            if (requireKey(one, l, QStringLiteral("name")))
                expectString(one, QStringLiteral("name"), l.value(u"name"), false);
            if (requireKey(one, l, QStringLiteral("url")))
                expectString(one, QStringLiteral("url"), l.value(u"url"), false);
            if (const Node f = l.value(u"filepath"); present(f))
                expectString(one, QStringLiteral("filepath"), f);
            if (const Node t = l.value(u"link_type"); present(t))
                expectEnum(one, QStringLiteral("link type"), t,
                           list({u"runbook", u"package", u"image", u"other"}));
        }
    }
}

// ---- tags / variables / id_tokens / secrets -----------------------------------------------

void Checker::tags(const QString &path, const Node &n)
{
    bool ok = n.isSequence();
    for (const Node &t : n.items()) {
        if (isStr(t) && !t.scalar().isEmpty())
            continue;
        // A nested list (from !reference) of strings is flattened by GitLab.
        bool nested = t.isSequence() && t.size() > 0;
        for (const Node &x : t.items())
            nested = nested && isStr(x);
        ok = ok && nested;
    }
    if (!ok) {
        error(kInvalidType, tr("%1 config should be an array of strings").arg(path), n);
        return;
    }
    if (n.size() > 50) {
        error(kInvalidValue, tr("%1 config must be less than the limit of 50 tags").arg(path), n);
    }
}

void Checker::variables(const QString &path, const Node &n, bool global)
{
    if (n.isNull())
        return;
    const QString shape = global
                              ? tr("%1 config should be a hash of key value pairs, value can be a "
                                   "hash")
                                    .arg(path)
                              : tr("%1 config should be a hash of key value pairs").arg(path);
    if (!n.isMap()) {
        error(kInvalidType, shape, n);
        return;
    }
    for (const yaml::MapEntry &e : n.entries()) {
        const QString &name = e.key.scalar();
        if (!validVariableName(name)) {
            error(QStringLiteral("invalid-variable-name"),
                  tr("%1 config variable name %2 should only contain letters, digits and '_'")
                      .arg(path, name),
                  e.key);
        }
        const Node &v = e.value;
        if (isScalarValue(v) || v.isNull())
            continue;
        if (!v.isMap()) {
            error(kInvalidType, shape, v);
            continue;
        }
        static const KeySet globalKeys{u"value", u"description", u"expand", u"options"};
        static const KeySet jobKeys{u"value", u"expand"};
        const KeySet &allowed = global ? globalKeys : jobKeys;
        for (const yaml::MapEntry &d : v.entries()) {
            if (!allowed.contains(d.key.scalar())) {
                error(QStringLiteral("unknown-key"),
                      tr("%1 config uses invalid data keys: %2").arg(path, d.key.scalar()), d.key,
                      didYouMean(d.key.scalar(), allowed.list));
            }
        }
        const Node value = v.value(u"value");
        if (present(value) && !isScalarValue(value))
            error(kInvalidType, tr("%1 config value should be a string").arg(path), value);
        if (const Node d = v.value(u"description"); present(d) && !isStr(d))
            error(kInvalidType, tr("%1 config description should be a string").arg(path), d);
        if (const Node x = v.value(u"expand"); present(x) && !isBool(x))
            error(kInvalidType, tr("%1 config expand should be a boolean value").arg(path), x);
        if (const Node o = v.value(u"options"); present(o) && global) {
            bool ok = o.isSequence() && o.size() > 0;
            QSet<QString> seen;
            for (const Node &x : o.items()) {
                ok = ok && isScalarValue(x);
                seen.insert(x.scalar());
            }
            if (!ok) {
                error(kInvalidType, tr("%1 config options should be an array of strings").arg(path),
                      o);
            } else if (present(value) && !seen.contains(value.scalar())) {
                error(kInvalidValue, tr("%1 config value must be present in options").arg(path),
                      value);
            }
        }
    }
}

void Checker::rulesVariables(const QString &path, const Node &n)
{
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be a hash of key value pairs").arg(path), n);
        return;
    }
    for (const yaml::MapEntry &e : n.entries()) {
        if (!validVariableName(e.key.scalar())) {
            error(QStringLiteral("invalid-variable-name"),
                  tr("%1 config variable name %2 should only contain letters, digits and '_'")
                      .arg(path, e.key.scalar()),
                  e.key);
        }
        if (!isScalarValue(e.value) && !e.value.isNull())
            error(kInvalidType, tr("%1 config should be a hash of key value pairs").arg(path),
                  e.value);
    }
}

void Checker::idTokens(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    for (const yaml::MapEntry &e : n.entries()) {
        const QString tp = path + u':' + e.key.scalar();
        if (!expectHash(tp, e.value))
            continue;
        static const KeySet keys{u"aud"};
        checkKeys(tp, e.value, keys);
        if (requireKey(tp, e.value, QStringLiteral("aud"))) {
            const Node aud = e.value.value(u"aud");
            if (!isStr(aud) && (!aud.isSequence() || aud.size() == 0 ||
                                !std::all_of(aud.items().begin(), aud.items().end(),
                                             [](const Node &x) { return isStr(x); }))) {
                error(kInvalidType, tr("%1 aud should be a string or an array of strings").arg(tp),
                      aud);
            }
        }
    }
}

void Checker::secrets(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    for (const yaml::MapEntry &e : n.entries()) {
        const QString sp = path + u':' + e.key.scalar();
        const Node &s = e.value;
        if (!expectHash(sp, s))
            continue;
        static const KeySet keys{u"vault",
                                 u"gcp_secret_manager",
                                 u"azure_key_vault",
                                 u"aws_secrets_manager",
                                 u"gitlab_secrets_manager",
                                 u"file",
                                 u"token"};
        checkKeys(sp, s, keys);
        int providers = 0;
        for (const char16_t *p : {u"vault", u"gcp_secret_manager", u"azure_key_vault",
                                  u"aws_secrets_manager", u"gitlab_secrets_manager"})
            providers += s.contains(QStringView(p)) ? 1 : 0;
        if (providers == 0) {
            error(QStringLiteral("missing-key"),
                  tr("%1 config must use exactly one of these keys: vault, gcp_secret_manager, "
                     "azure_key_vault, aws_secrets_manager, gitlab_secrets_manager")
                      .arg(sp),
                  e.key);
        }
        if (const Node f = s.value(u"file"); present(f))
            expectBool(sp, QStringLiteral("file"), f);
        if (const Node t = s.value(u"token"); present(t))
            expectString(sp, QStringLiteral("token"), t);
        auto fields = [&](const QString &p, const Node &h, const KeySet &allowed,
                          const QStringList &required) {
            if (!expectHash(p, h))
                return;
            checkKeys(p, h, allowed);
            for (const QString &r : required) {
                if (requireKey(p, h, r))
                    expectString(p, r, h.value(r), false);
            }
        };
        if (const Node v = s.value(u"vault"); present(v) && !isStr(v)) {
            const QString vp = sp + QStringLiteral(":vault");
            static const KeySet vk{u"engine", u"path", u"field"};
            if (expectHash(vp, v)) {
                checkKeys(vp, v, vk);
                for (const QString &r : list({u"path", u"field"})) {
                    if (requireKey(vp, v, r))
                        expectString(vp, r, v.value(r), false);
                }
                if (requireKey(vp, v, QStringLiteral("engine"))) {
                    static const KeySet ek{u"name", u"path"};
                    fields(vp + QStringLiteral(":engine"), v.value(u"engine"), ek,
                           list({u"name", u"path"}));
                }
            }
        }
        if (const Node g = s.value(u"gcp_secret_manager"); present(g)) {
            const QString gp = sp + QStringLiteral(":gcp_secret_manager");
            static const KeySet gk{u"name", u"version"};
            fields(gp, g, gk, list({u"name"}));
            if (const Node ver = g.value(u"version"); present(ver) && !isStr(ver) && !isInt(ver))
                error(kInvalidType, tr("%1 version should be a string or an integer").arg(gp), ver);
            if (!s.contains(u"token")) {
                error(QStringLiteral("missing-key"),
                      tr("%1 config missing required keys: token").arg(sp), e.key,
                      tr("gcp_secret_manager needs an ID token: add token: $ID_TOKEN"));
            }
        }
        if (const Node a = s.value(u"azure_key_vault"); present(a)) {
            static const KeySet ak{u"name", u"version"};
            fields(sp + QStringLiteral(":azure_key_vault"), a, ak, list({u"name"}));
        }
        if (const Node a = s.value(u"aws_secrets_manager"); present(a) && !isStr(a)) {
            static const KeySet ak{u"secret_id", u"version_id",        u"version_stage", u"region",
                                   u"role_arn",  u"role_session_name", u"field"};
            fields(sp + QStringLiteral(":aws_secrets_manager"), a, ak, list({u"secret_id"}));
        }
        if (const Node a = s.value(u"gitlab_secrets_manager"); present(a)) {
            static const KeySet ak{u"name", u"source"};
            fields(sp + QStringLiteral(":gitlab_secrets_manager"), a, ak, list({u"name"}));
        }
    }
}

// ---- pages / hooks / inherit / misc -------------------------------------------------------

void Checker::pages(const QString &path, const Node &n)
{
    if (isBool(n))
        return;
    if (!n.isMap()) {
        error(kInvalidType, tr("%1 config should be a hash or a boolean value").arg(path), n);
        return;
    }
    static const KeySet keys{u"path_prefix", u"expire_in", u"publish"};
    checkKeys(path, n, keys);
    if (const Node p = n.value(u"path_prefix"); present(p))
        expectString(path, QStringLiteral("path prefix"), p);
    if (const Node p = n.value(u"publish"); present(p))
        expectString(path, QStringLiteral("publish"), p);
    if (const Node p = n.value(u"expire_in"); present(p))
        expectDuration(path, QStringLiteral("expire in"), p, true);
}

void Checker::hooks(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"pre_get_sources_script"};
    checkKeys(path, n, keys);
    if (const Node s = n.value(u"pre_get_sources_script"); present(s))
        script(path + QStringLiteral(":pre_get_sources_script"), s);
}

void Checker::inherit(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"default", u"variables"};
    checkKeys(path, n, keys);
    if (const Node d = n.value(u"default"); present(d) && !isBool(d)) {
        const QString dp = path + QStringLiteral(":default");
        const QStringList allowed =
            list({u"after_script", u"artifacts", u"before_script", u"cache", u"hooks", u"image",
                  u"interruptible", u"retry", u"services", u"tags", u"timeout", u"id_tokens",
                  u"identity"});
        if (arrayOfStrings(dp, QString(), d)) {
            for (const Node &x : d.items()) {
                if (!allowed.contains(x.scalar()))
                    error(kInvalidValue,
                          tr("%1 config contains unknown values: %2").arg(dp, x.scalar()), x,
                          didYouMean(x.scalar(), allowed));
            }
        }
    }
    if (const Node v = n.value(u"variables"); present(v) && !isBool(v))
        arrayOfStrings(path + QStringLiteral(":variables"), QString(), v);
}

void Checker::dastConfiguration(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"site_profile", u"scanner_profile"};
    checkKeys(path, n, keys);
    for (const yaml::MapEntry &e : n.entries()) {
        if (keys.contains(e.key.scalar()))
            expectString(path, humanize(e.key.scalar()), e.value, false);
    }
}

void Checker::identity(const QString &path, const Node &n)
{
    expectEnum(path, QStringLiteral("identity"), n, list({u"google_cloud"}));
}

void Checker::run(const QString &path, const Node &n)
{
    if (!n.isSequence()) {
        error(kInvalidType, tr("%1 config should be an array of hashes").arg(path), n);
        return;
    }
    static const QRegularExpression stepName(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    for (const Node &s : n.items()) {
        const QString sp = path + QStringLiteral(":step");
        if (!expectHash(sp, s))
            continue;
        static const KeySet keys{u"name", u"env", u"inputs", u"step", u"func", u"script"};
        checkKeys(sp, s, keys);
        if (requireKey(sp, s, QStringLiteral("name"))) {
            const Node name = s.value(u"name");
            if (expectString(sp, QStringLiteral("name"), name, false) &&
                !stepName.match(name.scalar()).hasMatch()) {
                error(kInvalidValue, tr("%1 name should match ^[a-zA-Z_][a-zA-Z0-9_]*$").arg(sp),
                      name);
            }
        }
        const int kinds = (s.contains(u"step") ? 1 : 0) + (s.contains(u"func") ? 1 : 0) +
                          (s.contains(u"script") ? 1 : 0);
        if (kinds != 1) {
            error(QStringLiteral("missing-key"),
                  tr("%1 config must use exactly one of these keys: step, func, script").arg(sp),
                  s);
        }
        if (const Node sc = s.value(u"script"); present(sc))
            expectString(sp, QStringLiteral("script"), sc, false);
        if (const Node env = s.value(u"env");
            present(env) && expectHash(sp + QStringLiteral(":env"), env)) {
            for (const yaml::MapEntry &e : env.entries())
                expectString(sp + QStringLiteral(":env"), e.key.scalar(), e.value);
        }
        if (const Node in = s.value(u"inputs"); present(in))
            expectHash(sp + QStringLiteral(":inputs"), in);
    }
}

void Checker::inputValues(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    static const QRegularExpression name(QStringLiteral("^[a-zA-Z0-9_-]+$"));
    for (const yaml::MapEntry &e : n.entries()) {
        if (!name.match(e.key.scalar()).hasMatch()) {
            error(kInvalidValue,
                  tr("%1 config input name %2 should only contain letters, digits, '_' and '-'")
                      .arg(path, e.key.scalar()),
                  e.key);
        }
        if (isStr(e.value) && e.value.scalar().size() > 1024)
            error(kInvalidValue,
                  tr("%1 %2 is too long (maximum is 1024 characters)").arg(path, e.key.scalar()),
                  e.value);
    }
}

namespace {

// The input `type` a default value must have (GitLab checks default against type).
bool defaultMatchesType(const QString &type, const Node &value)
{
    if (value.isNull())
        return true;
    if (type == u"string")
        return isStr(value);
    if (type == u"number")
        return isNumber(value);
    if (type == u"boolean")
        return isBool(value);
    if (type == u"array")
        return value.isSequence();
    return true;
}

} // namespace

void Checker::jobInputs(const QString &path, const Node &n)
{
    if (!expectHash(path, n))
        return;
    if (n.size() > 50)
        error(kInvalidValue, tr("%1 config is too long (maximum is 50 inputs)").arg(path), n);
    static const QRegularExpression name(QStringLiteral("^[a-zA-Z0-9_-]+$"));
    for (const yaml::MapEntry &e : n.entries()) {
        const QString ip = path + u':' + e.key.scalar();
        if (!name.match(e.key.scalar()).hasMatch()) {
            error(kInvalidValue,
                  tr("%1 config input name %2 should only contain letters, digits, '_' and '-'")
                      .arg(path, e.key.scalar()),
                  e.key);
        }
        if (!expectHash(ip, e.value))
            continue;
        static const KeySet keys{u"type", u"options", u"regex", u"default", u"description"};
        checkKeys(ip, e.value, keys);
        QString type = QStringLiteral("string");
        if (const Node t = e.value.value(u"type"); present(t)) {
            if (expectEnum(ip, QStringLiteral("type"), t,
                           list({u"array", u"boolean", u"number", u"string"})))
                type = t.scalar();
        }
        if (!requireKey(ip, e.value, QStringLiteral("default")))
            continue;
        const Node d = e.value.value(u"default");
        if (d.isNull() || !defaultMatchesType(type, d))
            error(kInvalidType, tr("%1 default should be a %2").arg(ip, type), d);
    }
}

// ---- root keywords ------------------------------------------------------------------------

void Checker::workflow(const Node &n)
{
    const QString path = QStringLiteral("workflow");
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"name", u"rules", u"auto_cancel"};
    checkKeys(path, n, keys);
    if (const Node name = n.value(u"name"); present(name)) {
        if (expectString(path, QStringLiteral("name"), name, false) && name.scalar().size() > 255)
            error(kInvalidValue, tr("workflow name is too long (maximum is 255 characters)"), name);
    }
    if (const Node r = n.value(u"rules"); present(r))
        rules(QStringLiteral("workflow:rules"), r, true);
    if (const Node a = n.value(u"auto_cancel"); present(a)) {
        const QString ap = QStringLiteral("workflow:auto_cancel");
        if (expectHash(ap, a)) {
            static const KeySet ak{u"on_new_commit", u"on_job_failure"};
            checkKeys(ap, a, ak);
            if (const Node c = a.value(u"on_new_commit"); present(c))
                expectEnum(ap, QStringLiteral("on new commit"), c,
                           list({u"conservative", u"interruptible", u"none"}));
            if (const Node c = a.value(u"on_job_failure"); present(c))
                expectEnum(ap, QStringLiteral("on job failure"), c, list({u"none", u"all"}));
        }
    }
}

void Checker::stages(const Node &n)
{
    if (!n.isSequence() || !isNestedStringArray(n, 0)) {
        error(kInvalidType,
              tr("stages config should be an array of strings or a nested array of strings up "
                 "to 10 levels deep"),
              n);
    }
}

void Checker::defaults(const Node &n)
{
    const QString path = QStringLiteral("default");
    if (!expectHash(path, n))
        return;
    static const KeySet keys{u"after_script", u"artifacts", u"before_script", u"hooks",
                             u"cache",        u"image",     u"interruptible", u"id_tokens",
                             u"identity",     u"retry",     u"services",      u"tags",
                             u"timeout"};
    checkKeys(path, n, keys);
    for (const yaml::MapEntry &e : n.entries()) {
        const QString &k = e.key.scalar();
        const Node &v = e.value;
        if (v.isNull())
            continue; // GitLab treats a null value as not specified
        const QString sub = path + u':' + k;
        if (k == u"before_script" || k == u"after_script")
            script(sub, v);
        else if (k == u"artifacts")
            artifacts(sub, v);
        else if (k == u"hooks")
            hooks(sub, v);
        else if (k == u"cache")
            cache(sub, v);
        else if (k == u"image")
            image(sub, v);
        else if (k == u"interruptible")
            expectBool(path, k, v);
        else if (k == u"id_tokens")
            idTokens(sub, v);
        else if (k == u"identity")
            identity(path, v);
        else if (k == u"retry")
            retry(sub, v);
        else if (k == u"services")
            services(sub, v);
        else if (k == u"tags")
            tags(sub, v);
        else if (k == u"timeout")
            expectDuration(path, k, v, false, 30LL * 86400);
    }
}

} // namespace stagecraft::ci::detail
