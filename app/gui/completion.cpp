#include "completion.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace stagecraft::gui::completion {

namespace {

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'/' || c == u':';
}

bool isVariableChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

int indentOf(const QString &line)
{
    int i = 0;
    while (i < line.size() && line.at(i) == u' ')
        ++i;
    return i;
}

/// A YAML line split into its dashes, key and value.
struct LineParts
{
    int indent = 0;  ///< column of the first character (a dash or the content)
    int content = 0; ///< column after the sequence dashes
    bool dashed = false;
    QString key; ///< empty when the line is not `key:` / `key: value`
    int keyColumn = 0;
    int valueColumn = -1; ///< column after "key: " (or of the scalar of a dash line)
};

LineParts split(const QString &line)
{
    LineParts p;
    p.indent = indentOf(line);
    int i = p.indent;
    while (i < line.size() && line.at(i) == u'-' &&
           (i + 1 == line.size() || line.at(i + 1) == u' ')) {
        p.dashed = true;
        ++i;
        while (i < line.size() && line.at(i) == u' ')
            ++i;
    }
    p.content = i;
    // The key: up to ": " or a trailing ':'.
    int j = i;
    QChar quote;
    if (j < line.size() && (line.at(j) == u'"' || line.at(j) == u'\'')) {
        quote = line.at(j);
        const qsizetype close = line.indexOf(quote, j + 1);
        j = close < 0 ? int(line.size()) : int(close) + 1;
    }
    for (; j < line.size(); ++j) {
        const QChar c = line.at(j);
        if (c == u'#' && j > 0 && line.at(j - 1) == u' ')
            break;
        if (c == u'[' || c == u'{' || c == u'"' || c == u'\'')
            break;
        if (c == u':' && (j + 1 == line.size() || line.at(j + 1) == u' ')) {
            QString key = line.mid(i, j - i).trimmed();
            if (!quote.isNull() && key.size() >= 2)
                key = key.mid(1, key.size() - 2);
            p.key = key;
            p.keyColumn = i;
            int v = j + 1;
            while (v < line.size() && line.at(v) == u' ')
                ++v;
            p.valueColumn = v;
            return p;
        }
    }
    if (p.dashed)
        p.valueColumn = p.content;
    return p;
}

bool isBlankOrComment(const QString &line)
{
    const QString t = line.trimmed();
    return t.isEmpty() || t.startsWith(u'#');
}

/// Keys of the mappings enclosing a position whose content starts at `column` on `lineNo`.
QStringList pathAbove(const QStringList &lines, int lineNo, int column, bool dashed = false)
{
    QStringList path;
    // A sequence may sit at its key's own indentation (`needs:` / `- a`): then a key in the
    // dash's column owns it.
    int c = dashed ? column + 1 : column;
    for (int n = lineNo - 1; n >= 0 && c > 0; --n) {
        const QString &l = lines.at(n);
        if (isBlankOrComment(l))
            continue;
        const LineParts p = split(l);
        if (p.content < c && !p.key.isEmpty() &&
            (p.valueColumn >= l.size() || l.mid(p.valueColumn).startsWith(u'#') ||
             l.mid(p.valueColumn).startsWith(u'&') || l.mid(p.valueColumn).startsWith(u'|') ||
             l.mid(p.valueColumn).startsWith(u'>'))) {
            path.prepend(p.key);
            c = p.indent;
        } else if (dashed && p.dashed && p.indent + 1 == c) {
            continue; // an earlier item of the same sequence
        } else if (p.indent < c) {
            // A sibling inside a sequence item (`- if: ...` above `  when: ...`), or a line we do
            // not understand: step out to its column.
            c = p.dashed && p.content <= c ? p.indent : std::min(c, p.indent);
            if (p.indent == 0)
                c = 0;
        }
    }
    return path;
}

const QStringList &jobKeywords()
{
    static const QStringList k = {QStringLiteral("after_script"),
                                  QStringLiteral("allow_failure"),
                                  QStringLiteral("artifacts"),
                                  QStringLiteral("before_script"),
                                  QStringLiteral("cache"),
                                  QStringLiteral("coverage"),
                                  QStringLiteral("dast_configuration"),
                                  QStringLiteral("dependencies"),
                                  QStringLiteral("environment"),
                                  QStringLiteral("except"),
                                  QStringLiteral("extends"),
                                  QStringLiteral("hooks"),
                                  QStringLiteral("id_tokens"),
                                  QStringLiteral("identity"),
                                  QStringLiteral("image"),
                                  QStringLiteral("inherit"),
                                  QStringLiteral("interruptible"),
                                  QStringLiteral("manual_confirmation"),
                                  QStringLiteral("needs"),
                                  QStringLiteral("only"),
                                  QStringLiteral("pages"),
                                  QStringLiteral("parallel"),
                                  QStringLiteral("release"),
                                  QStringLiteral("resource_group"),
                                  QStringLiteral("retry"),
                                  QStringLiteral("rules"),
                                  QStringLiteral("script"),
                                  QStringLiteral("secrets"),
                                  QStringLiteral("services"),
                                  QStringLiteral("stage"),
                                  QStringLiteral("start_in"),
                                  QStringLiteral("tags"),
                                  QStringLiteral("timeout"),
                                  QStringLiteral("trigger"),
                                  QStringLiteral("variables"),
                                  QStringLiteral("when")};
    return k;
}

const QHash<QString, QStringList> &nestedKeywords()
{
    static const QHash<QString, QStringList> k = [] {
        QHash<QString, QStringList> h;
        auto add = [&h](const char *key, std::initializer_list<const char *> words) {
            QStringList list;
            for (const char *w : words)
                list.append(QString::fromLatin1(w));
            h.insert(QString::fromLatin1(key), list);
        };
        add("rules", {"if", "changes", "exists", "when", "allow_failure", "variables", "needs",
                      "start_in", "interruptible"});
        add("artifacts", {"paths", "exclude", "expire_in", "expose_as", "name", "public", "access",
                          "reports", "untracked", "when"});
        add("cache", {"key", "paths", "policy", "untracked", "when", "fallback_keys", "unprotect"});
        add("include", {"local", "project", "file", "ref", "remote", "template", "component",
                        "rules", "inputs"});
        add("workflow", {"rules", "name", "auto_cancel"});
        add("default", {"after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens",
                        "image", "interruptible", "retry", "services", "tags", "timeout"});
        add("image", {"name", "entrypoint", "docker", "pull_policy"});
        add("services", {"name", "alias", "entrypoint", "command", "variables", "pull_policy"});
        add("environment",
            {"name", "url", "on_stop", "action", "auto_stop_in", "kubernetes", "deployment_tier"});
        add("trigger", {"include", "project", "branch", "strategy", "forward"});
        add("retry", {"max", "when", "exit_codes"});
        add("parallel", {"matrix"});
        add("release", {"tag_name", "tag_message", "name", "description", "ref", "milestones",
                        "released_at", "assets"});
        add("needs", {"job", "artifacts", "optional", "pipeline", "project", "ref"});
        add("spec", {"inputs"});
        add("inherit", {"default", "variables"});
        add("only", {"refs", "variables", "changes", "kubernetes"});
        add("except", {"refs", "variables", "changes", "kubernetes"});
        add("reports", {"junit", "coverage_report", "codequality", "dotenv", "sast", "terraform",
                        "container_scanning", "dependency_scanning", "metrics"});
        add("changes", {"paths", "compare_to"});
        add("coverage_report", {"coverage_format", "path"});
        return h;
    }();
    return k;
}

const QStringList &globalKeywordList()
{
    static const QStringList k = {
        QStringLiteral("default"),       QStringLiteral("include"),     QStringLiteral("stages"),
        QStringLiteral("variables"),     QStringLiteral("workflow"),    QStringLiteral("spec"),
        QStringLiteral("image"),         QStringLiteral("services"),    QStringLiteral("cache"),
        QStringLiteral("before_script"), QStringLiteral("after_script")};
    return k;
}

bool isJobListKey(const QString &key)
{
    return key == u"needs" || key == u"extends" || key == u"dependencies";
}

} // namespace

bool isGlobalKeyword(const QString &key)
{
    return globalKeywordList().contains(key);
}

QStringList keywordsFor(const QStringList &path)
{
    if (path.isEmpty())
        return globalKeywordList();
    if (path.size() == 1 && !isGlobalKeyword(path.constFirst()))
        return jobKeywords();
    return nestedKeywords().value(path.constLast());
}

Context contextAt(const QString &text, int line, int column)
{
    const QStringList lines = text.split(u'\n');
    Context ctx;
    if (line < 0 || line >= lines.size())
        return ctx;
    QString current = lines.at(line);
    if (current.endsWith(u'\r'))
        current.chop(1);
    column = std::clamp(column, 0, int(current.size()));
    const QString before = current.left(column);

    // Variables: `$NAME` or `${NAME` right before the cursor.
    int v = column;
    while (v > 0 && isVariableChar(before.at(v - 1)))
        --v;
    if (v > 0 && (before.at(v - 1) == u'$' ||
                  (v > 1 && before.at(v - 1) == u'{' && before.at(v - 2) == u'$'))) {
        ctx.kind = Context::Kind::Variable;
        ctx.prefix = before.mid(v);
        ctx.prefixStart = v;
        return ctx;
    }

    int w = column;
    while (w > 0 && isNameChar(before.at(w - 1)) && before.at(w - 1) != u':')
        --w;
    ctx.prefix = before.mid(w);
    ctx.prefixStart = w;

    const LineParts parts = split(before);
    if (parts.content > column && !before.trimmed().isEmpty())
        return ctx;
    if (before.mid(parts.content).trimmed().startsWith(u'#'))
        return ctx;
    if (!parts.key.isEmpty() && parts.valueColumn <= column) {
        // A value: `key: pre|` or inside a flow sequence `key: [a, pre|`.
        ctx.path = pathAbove(lines, line, parts.keyColumn);
        ctx.key = parts.key;
        const QString value = before.mid(parts.valueColumn);
        if (ctx.key == u"stage") {
            ctx.kind = Context::Kind::StageName;
        } else if (isJobListKey(ctx.key) ||
                   (ctx.key == u"job" && !ctx.path.isEmpty() && ctx.path.constLast() == u"needs")) {
            ctx.kind = Context::Kind::JobName;
        } else if (ctx.key == u"when" && !value.contains(u' ')) {
            ctx.kind = Context::Kind::Value;
            ctx.values = {QStringLiteral("on_success"), QStringLiteral("on_failure"),
                          QStringLiteral("always"),     QStringLiteral("manual"),
                          QStringLiteral("delayed"),    QStringLiteral("never")};
        } else if (ctx.key == u"policy") {
            ctx.kind = Context::Kind::Value;
            ctx.values = {QStringLiteral("pull"), QStringLiteral("push"),
                          QStringLiteral("pull-push")};
        }
        if (value.contains(u'#'))
            ctx.kind = Context::Kind::None;
        return ctx;
    }
    // A key, or a scalar item of a sequence.
    const QString typed = before.mid(parts.content);
    if (typed != ctx.prefix)
        return ctx;
    ctx.path = parts.dashed ? pathAbove(lines, line, parts.indent, true)
                            : pathAbove(lines, line, parts.content);
    const QString owner = ctx.path.isEmpty() ? QString() : ctx.path.constLast();
    if (parts.dashed && isJobListKey(owner)) {
        ctx.kind = Context::Kind::JobName;
        ctx.key = owner;
        return ctx;
    }
    if (parts.dashed && owner == u"stages" && ctx.path.size() == 1)
        return ctx;
    if (parts.dashed && owner == u"stage") {
        ctx.kind = Context::Kind::StageName;
        return ctx;
    }
    ctx.kind = Context::Kind::Keyword;
    return ctx;
}

QStringList candidates(const Context &context, const QStringList &jobs, const QStringList &stages,
                       const QStringList &variables)
{
    QStringList pool;
    switch (context.kind) {
    case Context::Kind::None:
        return {};
    case Context::Kind::Keyword:
        pool = keywordsFor(context.path);
        break;
    case Context::Kind::JobName:
        for (const QString &j : jobs) {
            // `needs` and `dependencies` name real jobs; `extends` mostly hidden ones.
            if (context.key == u"extends" || !j.startsWith(u'.'))
                pool.append(j);
        }
        break;
    case Context::Kind::StageName:
        pool = stages;
        break;
    case Context::Kind::Variable:
        pool = variables;
        break;
    case Context::Kind::Value:
        pool = context.values;
        break;
    }
    QStringList out;
    for (const QString &c : std::as_const(pool)) {
        if (c.startsWith(context.prefix, Qt::CaseInsensitive) && !out.contains(c))
            out.append(c);
    }
    if (context.kind != Context::Kind::StageName)
        out.sort(Qt::CaseInsensitive);
    return out;
}

Symbol symbolAt(const QString &text, int line, int column)
{
    const QStringList lines = text.split(u'\n');
    Symbol s;
    if (line < 0 || line >= lines.size())
        return s;
    QString l = lines.at(line);
    if (l.endsWith(u'\r'))
        l.chop(1);
    if (column < 0 || column > l.size())
        return s;
    int from = column;
    while (from > 0 && isNameChar(l.at(from - 1)))
        --from;
    int to = column;
    while (to < l.size() && isNameChar(l.at(to)))
        ++to;
    // A trailing ':' belongs to the key syntax, not the name.
    while (to > from && l.at(to - 1) == u':')
        --to;
    if (to <= from)
        return s;
    s.name = l.mid(from, to - from);
    s.start = from;
    s.end = to;
    const QChar before = from > 0 ? l.at(from - 1) : QChar();
    if (before == u'*') {
        s.kind = Symbol::Kind::Anchor;
        return s;
    }
    if (before == u'$' || (before == u'{' && from > 1 && l.at(from - 2) == u'$')) {
        s.kind = Symbol::Kind::Variable;
        return s;
    }
    const LineParts parts = split(l);
    if (!parts.key.isEmpty() && from == parts.keyColumn) {
        s.kind = Symbol::Kind::Keyword;
        if (parts.indent == 0 && !isGlobalKeyword(s.name))
            s.kind = Symbol::Kind::None; // a job's own name
        return s;
    }
    // `!reference [job, key]`: the first item is a job.
    const qsizetype ref = l.lastIndexOf(QStringLiteral("!reference"), from);
    if (ref >= 0) {
        const qsizetype open = l.indexOf(u'[', ref);
        if (open >= 0 && open < from && l.mid(open + 1, from - open - 1).trimmed().isEmpty()) {
            s.kind = Symbol::Kind::Job;
            return s;
        }
        return {};
    }
    QString key = parts.key;
    QStringList path;
    if (key.isEmpty() || from < parts.valueColumn) {
        path = parts.dashed ? pathAbove(lines, line, parts.indent, true)
                            : pathAbove(lines, line, parts.content);
        key = path.isEmpty() ? QString() : path.constLast();
    } else {
        path = pathAbove(lines, line, parts.keyColumn);
    }
    if (isJobListKey(key) || (key == u"job" && !path.isEmpty() && path.constLast() == u"needs")) {
        s.kind = Symbol::Kind::Job;
    } else if (key == u"local" ||
               (key == u"include" && (s.name.endsWith(u".yml") || s.name.endsWith(u".yaml")))) {
        s.kind = Symbol::Kind::LocalFile;
    }
    return s;
}

std::optional<Position> findAnchor(const QString &text, const QString &name)
{
    const QRegularExpression re(u"&"_qs + QRegularExpression::escape(name) + u"(?![\\w.-])"_qs);
    const QStringList lines = text.split(u'\n');
    for (int n = 0; n < lines.size(); ++n) {
        const QRegularExpressionMatch m = re.match(lines.at(n));
        if (m.hasMatch())
            return Position{n + 1, int(m.capturedStart()) + 1};
    }
    return std::nullopt;
}

std::optional<Position> findTopLevelKey(const QString &text, const QString &name)
{
    const QStringList lines = text.split(u'\n');
    for (int n = 0; n < lines.size(); ++n) {
        const LineParts p = split(lines.at(n));
        if (p.indent == 0 && !p.dashed && p.key == name)
            return Position{n + 1, 1};
    }
    return std::nullopt;
}

} // namespace stagecraft::gui::completion
