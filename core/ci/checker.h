#pragma once

// Internal to the validator: the state and helpers shared by validator.cpp (root and jobs),
// keywords.cpp (one check per keyword) and crossjob.cpp (references between jobs).

#include "config.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace stagecraft::ci::detail {

using yaml::Node;

inline QString tr(const char *text)
{
    return QCoreApplication::translate("stagecraft::ci", text);
}

/// What a node holds as GitLab's Ruby sees it after Psych: quoted scalars are strings.
enum class Kind { Undefined, Null, String, Integer, Float, Boolean, Array, Hash };
Kind kindOf(const Node &node);
inline bool isStr(const Node &n)
{
    return kindOf(n) == Kind::String;
}
inline bool isInt(const Node &n)
{
    return kindOf(n) == Kind::Integer;
}
inline bool isBool(const Node &n)
{
    return kindOf(n) == Kind::Boolean;
}
inline bool isNumber(const Node &n)
{
    const Kind k = kindOf(n);
    return k == Kind::Integer || k == Kind::Float;
}
/// Given and not null: GitLab's config factory treats a null value as "not specified".
inline bool present(const Node &n)
{
    return n.isDefined() && !n.isNull();
}
/// Items of a sequence with nested (untagged) sequences spliced in, as GitLab flattens the
/// arrays that !reference leaves in `needs`, `cache` and `rules`.
std::vector<Node> flattened(const Node &sequence);
/// "a string", "an array"... for hints.
QString kindName(const Node &n);
/// String, number or boolean: what a variable value may be.
bool isScalarValue(const Node &n);

/// An allowed-keys set that also keeps its order for "did you mean" hints.
struct KeySet
{
    KeySet(std::initializer_list<const char16_t *> keys);
    bool contains(const QString &key) const { return set.contains(key); }
    QSet<QString> set;
    QStringList list;
};

/// Attribute names are written with spaces in GitLab's messages (`start_in` -> `start in`).
QString humanize(const QString &key);

class Checker
{
public:
    explicit Checker(const ResolvedConfig &config);

    diag::Diagnostics run();

    // ---- reporting --------------------------------------------------------------------------
    void report(diag::Severity severity, const QString &code, const QString &message,
                const Node &at, const QString &hint = {});
    void error(const QString &code, const QString &message, const Node &at,
               const QString &hint = {})
    {
        report(diag::Severity::Error, code, message, at, hint);
    }
    /// Error normally, info when the configuration is incomplete (missing includes).
    void missing(const QString &code, const QString &message, const Node &at,
                 const QString &hint = {})
    {
        report(m_config.incomplete ? diag::Severity::Info : diag::Severity::Error, code, message,
               at, hint);
    }

    // ---- generic shapes (return true when the shape is right) -------------------------------
    /// `<path> config should be a hash`
    bool expectHash(const QString &path, const Node &n);
    /// `<path> config contains unknown keys: <k>` per unknown key, on the key node.
    void checkKeys(const QString &path, const Node &map, const KeySet &allowed);
    /// `<path> config missing required keys: <k>`
    bool requireKey(const QString &path, const Node &map, const QString &key);
    /// Array of strings. `attr` empty: `<path> config should be ...`; else `<path> <attr> ...`.
    bool arrayOfStrings(const QString &path, const QString &attr, const Node &n,
                        bool allowEmpty = true);
    /// String or array of strings (report file lists).
    bool stringOrArrayOfStrings(const QString &path, const QString &attr, const Node &n);
    bool expectString(const QString &path, const QString &attr, const Node &n,
                      bool allowEmpty = true);
    bool expectBool(const QString &path, const QString &attr, const Node &n);
    /// `text` replaces "should be one of: ..." where GitLab words it differently.
    bool expectEnum(const QString &path, const QString &attr, const Node &n,
                    const QStringList &values, const QString &text = {});
    bool expectDuration(const QString &path, const QString &attr, const Node &n, bool allowNever,
                        qint64 limitSeconds = 0);
    static QString subject(const QString &path, const QString &attr);

    // ---- keywords (keywords.cpp) ------------------------------------------------------------
    void script(const QString &path, const Node &n); // string or nested array, 10 levels
    void image(const QString &path, const Node &n);
    void services(const QString &path, const Node &n);
    void pullPolicy(const QString &path, const Node &n);
    void executorOptions(const QString &path, const Node &docker, const Node &kubernetes);
    void artifacts(const QString &path, const Node &n);
    void cache(const QString &path, const Node &n);
    void cacheItem(const QString &path, const Node &n);
    void coverage(const QString &path, const Node &n);
    void needs(const QString &path, const Node &n, bool inRules);
    void matrix(const QString &path, const Node &n, bool countJobs);
    void rules(const QString &path, const Node &n, bool workflow);
    void rule(const QString &path, const Node &n, bool workflow);
    void ruleIf(const QString &path, const Node &n);
    void changesOrExists(const QString &path, const Node &n, bool exists);
    void filter(const QString &path, const Node &n);
    /// `path` is the job's: GitLab validates allow_failure as an attribute of the job.
    void allowFailure(const QString &path, const Node &n);
    void retry(const QString &path, const Node &n);
    void parallel(const QString &path, const Node &n);
    void trigger(const QString &path, const Node &n);
    void triggerInclude(const QString &path, const Node &n);
    void environment(const QString &path, const Node &n);
    void release(const QString &path, const Node &n);
    void tags(const QString &path, const Node &n);
    void variables(const QString &path, const Node &n, bool global);
    void rulesVariables(const QString &path, const Node &n);
    void idTokens(const QString &path, const Node &n);
    void secrets(const QString &path, const Node &n);
    void pages(const QString &path, const Node &n);
    void hooks(const QString &path, const Node &n);
    void inherit(const QString &path, const Node &n);
    void dastConfiguration(const QString &path, const Node &n);
    void identity(const QString &path, const Node &n);
    void run(const QString &path, const Node &n);
    void jobInputs(const QString &path, const Node &n);
    void inputValues(const QString &path, const Node &n);
    void workflow(const Node &n);
    void stages(const Node &n);
    void defaults(const Node &n);

    // ---- jobs (validator.cpp) and references (crossjob.cpp) ---------------------------------
    void root();
    void job(const Job &job);
    void crossJob();

    const ResolvedConfig &config() const { return m_config; }

private:
    void checkJobKeyword(const QString &path, const QString &key, const Node &value);
    QString jobPath(const QString &name) const { return QStringLiteral("jobs:") + name; }

    const ResolvedConfig &m_config;
    diag::Diagnostics m_out;
    Node m_anchor; ///< where to report about nodes that carry no location (synthesised)
    /// Some include could not be read: a key the job being checked lacks may come from there
    /// (a same-named job or an `extends` parent), so "missing" findings are info.
    bool m_partialJob = false;
};

} // namespace stagecraft::ci::detail
