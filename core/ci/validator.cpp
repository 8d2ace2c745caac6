#include "validator.h"

#include "checker.h"
#include "duration.h"
#include "hints.h"

namespace stagecraft::ci {

namespace detail {

Kind kindOf(const Node &n)
{
    switch (n.type()) {
    case Node::Type::Undefined:
        return Kind::Undefined;
    case Node::Type::Null:
        return Kind::Null;
    case Node::Type::Sequence:
        return Kind::Array;
    case Node::Type::Map:
        return Kind::Hash;
    case Node::Type::Scalar:
        break;
    }
    if (n.isQuoted() || !n.tag().isEmpty() || n.style() == Node::Style::Literal ||
        n.style() == Node::Style::Folded)
        return Kind::String;
    const QString &s = n.scalar();
    if (s.isEmpty())
        return Kind::String;
    // Cheap first-character test before the YAML 1.1 resolution: most scalars are words.
    const QChar c = s.front();
    if ((c >= u'0' && c <= u'9') || c == u'-' || c == u'+' || c == u'.') {
        if (n.toInt())
            return Kind::Integer;
        if (n.toFloat())
            return Kind::Float;
        return Kind::String;
    }
    if (s.size() <= 5 && QStringView(u"tTfFyYnNoO").contains(c) && n.toBool())
        return Kind::Boolean;
    return Kind::String;
}

namespace {
void flattenInto(const Node &sequence, std::vector<Node> &out, int depth)
{
    for (const Node &item : sequence.items()) {
        if (item.isSequence() && item.tag().isEmpty() && depth < 10)
            flattenInto(item, out, depth + 1);
        else
            out.push_back(item);
    }
}
} // namespace

std::vector<Node> flattened(const Node &sequence)
{
    std::vector<Node> out;
    out.reserve(size_t(sequence.size()));
    flattenInto(sequence, out, 0);
    return out;
}

QString kindName(const Node &n)
{
    switch (kindOf(n)) {
    case Kind::Undefined:
    case Kind::Null:
        return tr("null");
    case Kind::String:
        return tr("a string");
    case Kind::Integer:
    case Kind::Float:
        return tr("a number");
    case Kind::Boolean:
        return tr("a boolean");
    case Kind::Array:
        return tr("an array");
    case Kind::Hash:
        return tr("a hash");
    }
    return {};
}

bool isScalarValue(const Node &n)
{
    const Kind k = kindOf(n);
    return k == Kind::String || k == Kind::Integer || k == Kind::Float || k == Kind::Boolean;
}

KeySet::KeySet(std::initializer_list<const char16_t *> keys)
{
    for (const char16_t *k : keys) {
        const QString key = QString::fromUtf16(k);
        set.insert(key);
        list.append(key);
    }
}

QString humanize(const QString &key)
{
    QString s = key;
    s.replace(u'_', u' ');
    return s;
}

Checker::Checker(const ResolvedConfig &config)
    : m_config(config)
    , m_anchor(config.root)
{
}

void Checker::report(diag::Severity severity, const QString &code, const QString &message,
                     const Node &at, const QString &hint)
{
    // Left to the resolver: an unresolved !reference, or a $[[ inputs ]] interpolation it did
    // not substitute (it reports why).
    if (at.tag() == u"!reference" || (at.isScalar() && at.scalar().contains(u"$[[")))
        return;
    if (m_partialJob && severity == diag::Severity::Error &&
        (code == u"missing-key" || code == u"missing-script"))
        severity = diag::Severity::Info;
    const Node &where = at.isDefined() && at.location().isValid() ? at : m_anchor;
    const yaml::Location &l = where.location();
    diag::Diagnostic d =
        diag::make(severity, code, message, l.file.isEmpty() ? m_config.mainFile : l.file, l.line,
                   l.column, l.endLine, l.endColumn);
    d.hint = hint;
    m_out.append(d);
}

QString Checker::subject(const QString &path, const QString &attr)
{
    if (attr.isEmpty())
        return path + QStringLiteral(" config");
    return path + u' ' + attr;
}

bool Checker::expectHash(const QString &path, const Node &n)
{
    if (n.isMap())
        return true;
    error(QStringLiteral("invalid-type"), tr("%1 config should be a hash").arg(path), n);
    return false;
}

void Checker::checkKeys(const QString &path, const Node &map, const KeySet &allowed)
{
    for (const yaml::MapEntry &e : map.entries()) {
        const QString &key = e.key.scalar();
        if (allowed.contains(key))
            continue;
        error(QStringLiteral("unknown-key"),
              tr("%1 config contains unknown keys: %2").arg(path, key), e.key,
              didYouMean(key, allowed.list));
    }
}

bool Checker::requireKey(const QString &path, const Node &map, const QString &key)
{
    if (present(map.value(key)))
        return true;
    error(QStringLiteral("missing-key"), tr("%1 config missing required keys: %2").arg(path, key),
          map);
    return false;
}

bool Checker::arrayOfStrings(const QString &path, const QString &attr, const Node &n,
                             bool allowEmpty)
{
    bool ok = n.isSequence() && (allowEmpty || n.size() > 0);
    if (ok) {
        for (const Node &item : n.items()) {
            if (!isStr(item)) {
                ok = false;
                break;
            }
        }
    }
    if (!ok) {
        error(QStringLiteral("invalid-type"),
              tr("%1 should be an array of strings").arg(subject(path, attr)), n);
    }
    return ok;
}

bool Checker::stringOrArrayOfStrings(const QString &path, const QString &attr, const Node &n)
{
    if (isStr(n))
        return true;
    bool ok = n.isSequence();
    for (const Node &item : n.items())
        ok = ok && isStr(item);
    if (!ok) {
        error(QStringLiteral("invalid-type"),
              tr("%1 should be an array of strings or a string").arg(subject(path, attr)), n);
    }
    return ok;
}

bool Checker::expectString(const QString &path, const QString &attr, const Node &n, bool allowEmpty)
{
    if (!isStr(n)) {
        error(QStringLiteral("invalid-type"), tr("%1 should be a string").arg(subject(path, attr)),
              n);
        return false;
    }
    if (!allowEmpty && n.scalar().isEmpty()) {
        error(QStringLiteral("invalid-value"), tr("%1 can't be blank").arg(subject(path, attr)), n);
        return false;
    }
    return true;
}

bool Checker::expectBool(const QString &path, const QString &attr, const Node &n)
{
    if (isBool(n))
        return true;
    error(QStringLiteral("invalid-type"),
          tr("%1 should be a boolean value").arg(subject(path, attr)), n);
    return false;
}

bool Checker::expectEnum(const QString &path, const QString &attr, const Node &n,
                         const QStringList &values, const QString &text)
{
    if (isStr(n) && values.contains(n.scalar()))
        return true;
    const QString what = text.isEmpty() ? tr("should be one of: %1").arg(values.join(u", ")) : text;
    error(isStr(n) ? QStringLiteral("invalid-value") : QStringLiteral("invalid-type"),
          subject(path, attr) + u' ' + what, n,
          isStr(n) ? didYouMean(n.scalar(), values) : QString());
    return false;
}

bool Checker::expectDuration(const QString &path, const QString &attr, const Node &n,
                             bool allowNever, qint64 limitSeconds)
{
    const Kind k = kindOf(n);
    std::optional<qint64> seconds;
    if (k == Kind::String || k == Kind::Integer) {
        if (allowNever && n.scalar() == u"never")
            return true;
        seconds = parseDuration(n.scalar());
    }
    if (!seconds) {
        error(k == Kind::String ? QStringLiteral("invalid-duration")
                                : QStringLiteral("invalid-type"),
              tr("%1 should be a duration").arg(subject(path, attr)), n);
        return false;
    }
    if (limitSeconds > 0 && *seconds > limitSeconds) {
        error(QStringLiteral("invalid-duration"),
              tr("%1 should not exceed the limit").arg(subject(path, attr)), n);
        return false;
    }
    return true;
}

// ---- root --------------------------------------------------------------------------------

void Checker::root()
{
    const Node &r = m_config.root;
    if (!r.isMap())
        return; // the loader already said why (empty file, not a hash)
    for (const yaml::MapEntry &e : r.entries()) {
        const QString &key = e.key.scalar();
        const Node &v = e.value;
        if (v.isNull() || v.tag() == u"!reference")
            continue; // null: not specified; !reference: the resolver's
        if (key == u"default") {
            defaults(v);
        } else if (key == u"workflow") {
            workflow(v);
        } else if (key == u"variables") {
            variables(QStringLiteral("variables"), v, true);
        } else if (key == u"stages") {
            stages(v);
        } else if (key == u"types") {
            report(diag::Severity::Warning, QStringLiteral("deprecated-keyword"),
                   tr("types is deprecated and was removed in GitLab 16.0: use stages"), e.key);
            stages(v);
        } else if (key == u"image") {
            image(key, v);
        } else if (key == u"services") {
            services(key, v);
        } else if (key == u"cache") {
            cache(key, v);
        } else if (key == u"before_script" || key == u"after_script") {
            script(key, v);
        } else if (key == u"$schema") {
            expectString(key, QString(), v);
        }
        // include and spec (header or misplaced): the resolver's; jobs: below.
    }
    bool visible = false;
    for (const Job &j : m_config.jobs) {
        if (j.hidden)
            continue;
        visible = true;
        job(j);
    }
    if (!visible) {
        missing(QStringLiteral("no-visible-jobs"),
                tr("jobs config should contain at least one visible job"),
                m_config.jobs.isEmpty() ? r : m_config.jobs.constFirst().key);
    }
}

// ---- one job ------------------------------------------------------------------------------

namespace {

const KeySet &jobKeys()
{
    static const KeySet keys{u"script",
                             u"run",
                             u"trigger",
                             u"stage",
                             u"image",
                             u"services",
                             u"before_script",
                             u"after_script",
                             u"hooks",
                             u"rules",
                             u"variables",
                             u"cache",
                             u"id_tokens",
                             u"identity",
                             u"inputs",
                             u"secrets",
                             u"only",
                             u"except",
                             u"extends",
                             u"needs",
                             u"tags",
                             u"allow_failure",
                             u"timeout",
                             u"when",
                             u"start_in",
                             u"manual_confirmation",
                             u"dependencies",
                             u"artifacts",
                             u"environment",
                             u"release",
                             u"coverage",
                             u"retry",
                             u"parallel",
                             u"interruptible",
                             u"resource_group",
                             u"inherit",
                             u"publish",
                             u"pages",
                             u"dast_configuration",
                             u"type"};
    return keys;
}

// Keys of ordinary jobs that GitLab's Rails lint rejects on a trigger (bridge) job. The CI
// schema accepts them, so they are warnings here.
const KeySet &jobOnlyKeys()
{
    static const KeySet keys{u"script",   u"before_script", u"after_script", u"image",
                             u"services", u"cache",         u"artifacts",    u"coverage",
                             u"release",  u"secrets",       u"id_tokens",    u"hooks",
                             u"run",      u"timeout",       u"pages",        u"identity"};
    return keys;
}

QStringList globalKeywordList()
{
    return {QStringLiteral("stages"),        QStringLiteral("variables"),
            QStringLiteral("default"),       QStringLiteral("workflow"),
            QStringLiteral("include"),       QStringLiteral("image"),
            QStringLiteral("services"),      QStringLiteral("cache"),
            QStringLiteral("before_script"), QStringLiteral("after_script")};
}

} // namespace

void Checker::job(const Job &j)
{
    const QString path = jobPath(j.name);
    m_anchor = j.key;
    const Node &n = j.node;
    // Any job may be completed by a same-named job or an `extends` parent in an include that
    // could not be read.
    m_partialJob = m_config.incomplete;
    if (!n.isMap()) {
        // GitLab's jobs entry only recognises a hash with script/run/trigger as a job, so a
        // top-level key with any other value gets this message (often a misspelt keyword).
        QString hint = didYouMean(j.name, globalKeywordList());
        if (hint.isEmpty())
            hint = tr("a job is a hash of keywords, this value is %1").arg(kindName(n));
        error(QStringLiteral("invalid-type"),
              tr("jobs %1 config should implement the script:, run:, or trigger: keyword")
                  .arg(j.name),
              n.isDefined() && n.location().isValid() && !n.isNull() ? n : j.key, hint);
        return;
    }
    if (j.name.size() > 255) {
        error(QStringLiteral("invalid-value"),
              tr("%1 name is too long (maximum is 255 characters)").arg(path), j.key);
    }
    checkKeys(path, n, jobKeys());
    const bool isBridge = n.contains(u"trigger");
    for (const yaml::MapEntry &e : n.entries()) {
        if (!jobKeys().contains(e.key.scalar()))
            continue;
        checkJobKeyword(path, e.key.scalar(), e.value);
        if (isBridge && jobOnlyKeys().contains(e.key.scalar())) {
            report(diag::Severity::Warning, QStringLiteral("bridge-key"),
                   tr("%1 config contains unknown keys: %2").arg(path, e.key.scalar()), e.key,
                   tr("a trigger job starts a downstream pipeline: GitLab ignores or rejects "
                      "this keyword there"));
        }
    }

    // script / run / trigger
    const Node scriptNode = n.value(u"script");
    if (!scriptNode.isDefined() && !n.contains(u"run") && !isBridge) {
        error(QStringLiteral("missing-script"),
              tr("jobs %1 config should implement the script:, run:, or trigger: keyword")
                  .arg(j.name),
              j.key, didYouMean(j.name, globalKeywordList()));
    } else if (scriptNode.isDefined() && !isBridge) {
        const bool blank = (isStr(scriptNode) && scriptNode.scalar().trimmed().isEmpty()) ||
                           (scriptNode.isSequence() && scriptNode.size() == 0) ||
                           scriptNode.isNull();
        if (blank) {
            error(QStringLiteral("blank-script"), tr("%1 script can't be blank").arg(path),
                  scriptNode.isNull() ? n.find(u"script")->key : scriptNode);
        }
    }

    // only/except with rules
    const bool hasRules = n.contains(u"rules") && !n.value(u"rules").isNull();
    if (hasRules) {
        QStringList present;
        const Node *first = nullptr;
        for (const char16_t *k : {u"only", u"except"}) {
            if (const yaml::MapEntry *e = n.find(QStringView(k)); e && !e->value.isNull()) {
                present << e->key.scalar();
                if (!first)
                    first = &e->key;
            }
        }
        if (first) {
            error(
                QStringLiteral("rules-with-only-except"),
                tr("%1 config key may not be used with `rules`: %2").arg(path, present.join(u", ")),
                *first);
        }
    }

    // when / start_in pairing
    const Node when = n.value(u"when");
    const bool delayed = isStr(when) && when.scalar() == u"delayed";
    const yaml::MapEntry *startIn = n.find(u"start_in");
    if (delayed && !startIn) {
        error(QStringLiteral("missing-start-in"), tr("%1 start in should be a duration").arg(path),
              when);
    } else if (startIn && !startIn->value.isNull() && (!delayed || hasRules)) {
        error(QStringLiteral("invalid-start-in"), tr("%1 start in must be blank").arg(path),
              startIn->key,
              hasRules ? tr("with rules, set start_in in the rule that has when: delayed")
                       : tr("start_in is only used with when: delayed"));
    } else if (startIn && delayed) {
        expectDuration(path, QStringLiteral("start in"), startIn->value, false, 7 * 86400);
    }
}

void Checker::checkJobKeyword(const QString &path, const QString &key, const Node &v)
{
    if ((v.isNull() && key != u"script") || v.tag() == u"!reference")
        return; // null: not specified (GitLab's config factory); !reference: the resolver's
    const QString sub = path + u':' + key;
    if (key == u"script") {
        if (!v.isNull())
            script(sub, v);
    } else if (key == u"before_script" || key == u"after_script") {
        script(sub, v);
    } else if (key == u"stage") {
        expectString(path, key, v, false);
    } else if (key == u"type") {
        // Old alias of stage: GitLab still accepts it (its own Ruby template uses it).
        report(diag::Severity::Warning, QStringLiteral("deprecated-keyword"),
               tr("%1 type is deprecated: use stage").arg(path), v);
        expectString(path, key, v, false);
    } else if (key == u"image") {
        image(sub, v);
    } else if (key == u"services") {
        services(sub, v);
    } else if (key == u"artifacts") {
        artifacts(sub, v);
    } else if (key == u"cache") {
        cache(sub, v);
    } else if (key == u"coverage") {
        coverage(path, v);
    } else if (key == u"dependencies") {
        arrayOfStrings(path, key, v);
    } else if (key == u"needs") {
        needs(sub, v, false);
    } else if (key == u"rules") {
        rules(sub, v, false);
    } else if (key == u"only" || key == u"except") {
        filter(sub, v);
    } else if (key == u"when") {
        if (isStr(v) && v.scalar() == u"never") {
            error(
                QStringLiteral("invalid-when"),
                tr("%1 when:never can only be used in a rules section or workflow:rules").arg(path),
                v);
        } else if (!isStr(v) || !QStringList{QStringLiteral("on_success"),
                                             QStringLiteral("on_failure"), QStringLiteral("always"),
                                             QStringLiteral("manual"), QStringLiteral("delayed")}
                                     .contains(v.scalar())) {
            const QStringList values{QStringLiteral("on_success"), QStringLiteral("on_failure"),
                                     QStringLiteral("always"), QStringLiteral("manual"),
                                     QStringLiteral("delayed")};
            error(QStringLiteral("invalid-when"),
                  tr("%1 when should be one of: %2").arg(path, values.join(u", ")), v,
                  isStr(v) ? didYouMean(v.scalar(), values) : QString());
        }
    } else if (key == u"allow_failure") {
        allowFailure(path, v);
    } else if (key == u"retry") {
        retry(sub, v);
    } else if (key == u"timeout") {
        expectDuration(path, key, v, false, 30LL * 86400);
    } else if (key == u"parallel") {
        parallel(sub, v);
    } else if (key == u"trigger") {
        trigger(sub, v);
    } else if (key == u"environment") {
        environment(sub, v);
    } else if (key == u"release") {
        release(sub, v);
    } else if (key == u"resource_group" || key == u"manual_confirmation" || key == u"publish") {
        expectString(path, humanize(key), v);
    } else if (key == u"interruptible") {
        expectBool(path, key, v);
    } else if (key == u"tags") {
        tags(sub, v);
    } else if (key == u"variables") {
        variables(sub, v, false);
    } else if (key == u"id_tokens") {
        idTokens(sub, v);
    } else if (key == u"secrets") {
        secrets(sub, v);
    } else if (key == u"pages") {
        pages(sub, v);
    } else if (key == u"hooks") {
        hooks(sub, v);
    } else if (key == u"inherit") {
        inherit(sub, v);
    } else if (key == u"dast_configuration") {
        dastConfiguration(sub, v);
    } else if (key == u"identity") {
        identity(path, v);
    } else if (key == u"run") {
        run(sub, v);
    } else if (key == u"extends") {
        // The resolver checks extends (extends-invalid, -unknown, -cycle, -depth).
    } else if (key == u"inputs") {
        jobInputs(sub, v);
    }
    // start_in: checked with `when` in job().
}

diag::Diagnostics Checker::run()
{
    root();
    m_partialJob = false;
    crossJob();
    return std::move(m_out);
}

} // namespace detail

diag::Diagnostics Validator::validate(const ResolvedConfig &config)
{
    detail::Checker checker(config);
    return checker.run();
}

} // namespace stagecraft::ci
