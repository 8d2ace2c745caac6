#include "predefined.h"

namespace stagecraft::vars {

QString slugify(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const QChar l = c.toLower();
        const bool keep = (l >= u'a' && l <= u'z') || (l >= u'0' && l <= u'9');
        out.append(keep ? l : QChar(u'-'));
    }
    out.truncate(63);
    qsizetype start = 0;
    while (start < out.size() && out.at(start) == u'-')
        ++start;
    qsizetype end = out.size();
    while (end > start && out.at(end - 1) == u'-')
        --end;
    return out.mid(start, end - start);
}

QHash<QString, QString> predefinedVariables(const PipelineFacts &f)
{
    QHash<QString, QString> v;
    const bool mr = f.source == u"merge_request_event";
    v.insert(QStringLiteral("CI"), QStringLiteral("true"));
    v.insert(QStringLiteral("GITLAB_CI"), QStringLiteral("true"));
    v.insert(QStringLiteral("CI_PIPELINE_SOURCE"), f.source);
    v.insert(QStringLiteral("CI_DEFAULT_BRANCH"), f.defaultBranch);
    v.insert(QStringLiteral("CI_CONFIG_PATH"), f.configPath);
    v.insert(QStringLiteral("CI_COMMIT_REF_NAME"), f.ref);
    v.insert(QStringLiteral("CI_COMMIT_REF_SLUG"), slugify(f.ref));
    v.insert(QStringLiteral("CI_COMMIT_REF_PROTECTED"),
             f.protectedRef ? QStringLiteral("true") : QStringLiteral("false"));
    if (f.tag) {
        v.insert(QStringLiteral("CI_COMMIT_TAG"), f.ref);
        v.insert(QStringLiteral("CI_COMMIT_TAG_MESSAGE"), QString());
    } else if (!mr) {
        v.insert(QStringLiteral("CI_COMMIT_BRANCH"), f.ref);
    }
    const QString sha = f.sha.isEmpty() ? QString(40, u'0') : f.sha;
    v.insert(QStringLiteral("CI_COMMIT_SHA"), sha);
    v.insert(QStringLiteral("CI_COMMIT_SHORT_SHA"), sha.left(8));
    const bool noBefore =
        mr || f.source == u"schedule" || f.source == u"web" || f.beforeSha.isEmpty();
    v.insert(QStringLiteral("CI_COMMIT_BEFORE_SHA"), noBefore ? QString(40, u'0') : f.beforeSha);
    v.insert(QStringLiteral("CI_COMMIT_MESSAGE"), f.message);
    const QString title = f.message.section(u'\n', 0, 0);
    v.insert(QStringLiteral("CI_COMMIT_TITLE"), title);
    QString description = f.message.section(u'\n', 1);
    if (title.size() >= 100)
        description = f.message;
    v.insert(QStringLiteral("CI_COMMIT_DESCRIPTION"), description);
    v.insert(QStringLiteral("CI_COMMIT_AUTHOR"), f.author);
    v.insert(QStringLiteral("CI_COMMIT_TIMESTAMP"), f.timestamp);
    // Project and server.
    const QString path = f.projectPath;
    const QString name = path.section(u'/', -1);
    const QString ns = path.section(u'/', 0, -2);
    v.insert(QStringLiteral("CI_PROJECT_PATH"), path);
    v.insert(QStringLiteral("CI_PROJECT_PATH_SLUG"), slugify(path));
    v.insert(QStringLiteral("CI_PROJECT_NAME"), name);
    v.insert(QStringLiteral("CI_PROJECT_TITLE"), name);
    v.insert(QStringLiteral("CI_PROJECT_NAMESPACE"), ns);
    v.insert(QStringLiteral("CI_PROJECT_ROOT_NAMESPACE"), path.section(u'/', 0, 0));
    v.insert(QStringLiteral("CI_PROJECT_URL"), f.serverUrl + u'/' + path);
    v.insert(QStringLiteral("CI_PROJECT_VISIBILITY"), QStringLiteral("private"));
    v.insert(QStringLiteral("CI_SERVER_URL"), f.serverUrl);
    QString host = f.serverUrl.section(QStringLiteral("://"), 1);
    v.insert(QStringLiteral("CI_SERVER_FQDN"), host);
    v.insert(QStringLiteral("CI_SERVER_HOST"), host.section(u':', 0, 0));
    v.insert(QStringLiteral("CI_SERVER_PROTOCOL"),
             f.serverUrl.section(QStringLiteral("://"), 0, 0));
    v.insert(QStringLiteral("CI_API_V4_URL"), f.serverUrl + QStringLiteral("/api/v4"));
    v.insert(QStringLiteral("CI_TEMPLATE_REGISTRY_HOST"), QStringLiteral("registry.gitlab.com"));
    v.insert(QStringLiteral("CI_REGISTRY"), QStringLiteral("registry.") + host.section(u':', 0, 0));
    v.insert(QStringLiteral("CI_REGISTRY_IMAGE"),
             QStringLiteral("registry.") + host.section(u':', 0, 0) + u'/' + path.toLower());
    if (!f.userLogin.isEmpty())
        v.insert(QStringLiteral("GITLAB_USER_LOGIN"), f.userLogin);
    if (!f.userEmail.isEmpty())
        v.insert(QStringLiteral("GITLAB_USER_EMAIL"), f.userEmail);
    if (!f.userName.isEmpty())
        v.insert(QStringLiteral("GITLAB_USER_NAME"), f.userName);
    if (mr) {
        v.insert(QStringLiteral("CI_MERGE_REQUEST_IID"), QStringLiteral("1"));
        v.insert(QStringLiteral("CI_MERGE_REQUEST_ID"), QStringLiteral("1"));
        v.insert(QStringLiteral("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"), f.ref);
        v.insert(QStringLiteral("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
                 f.mergeRequestTargetBranch.isEmpty() ? f.defaultBranch
                                                      : f.mergeRequestTargetBranch);
        v.insert(QStringLiteral("CI_MERGE_REQUEST_DIFF_BASE_SHA"), f.mergeRequestDiffBaseSha);
        v.insert(QStringLiteral("CI_MERGE_REQUEST_EVENT_TYPE"), QStringLiteral("detached"));
        v.insert(QStringLiteral("CI_MERGE_REQUEST_PROJECT_PATH"), path);
        v.insert(QStringLiteral("CI_MERGE_REQUEST_SOURCE_PROJECT_PATH"), path);
    }
    return v;
}

namespace {

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

QString expand(const QString &text, const QHash<QString, QString> &values)
{
    if (!text.contains(u'$'))
        return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c != u'$' || i + 1 >= text.size()) {
            out.append(c);
            continue;
        }
        const QChar n = text.at(i + 1);
        if (n == u'$') {
            out.append(u'$');
            ++i;
            continue;
        }
        if (n == u'{') {
            const qsizetype close = text.indexOf(u'}', i + 2);
            if (close < 0) {
                out.append(c);
                continue;
            }
            out.append(values.value(text.mid(i + 2, close - i - 2)));
            i = close;
            continue;
        }
        qsizetype j = i + 1;
        while (j < text.size() && isNameChar(text.at(j)))
            ++j;
        if (j == i + 1) {
            out.append(c);
            continue;
        }
        out.append(values.value(text.mid(i + 1, j - i - 1)));
        i = j - 1;
    }
    return out;
}

QHash<QString, QString> expandAll(const QList<Variable> &variables,
                                  const QHash<QString, QString> &base)
{
    QHash<QString, QString> result = base;
    for (const Variable &v : variables)
        result.insert(v.name, v.raw ? v.value : expand(v.value, result));
    return result;
}

} // namespace stagecraft::vars
