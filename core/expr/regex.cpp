#include "regex.h"

#include <QCoreApplication>
#include <QHash>
#include <QMutex>

#include <re2/re2.h>

namespace stagecraft::expr {

struct Regex::Impl
{
    std::unique_ptr<re2::RE2> re;
    QString error;
};

namespace {

/// Compiled patterns by (flags, pattern). A pipeline repeats the same few `rules:if` regexes in
/// hundreds of jobs, and compiling an RE2 program costs far more than matching with it; compiled
/// programs are immutable and RE2 matching is thread-safe, so they are shared.
class RegexCache
{
public:
    std::shared_ptr<const Regex::Impl> find(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        return m_entries.value(key);
    }
    void insert(const QString &key, std::shared_ptr<const Regex::Impl> impl)
    {
        QMutexLocker lock(&m_mutex);
        if (m_entries.size() >= 4096)
            m_entries.clear(); // bounded; a cold start now and then is cheap enough
        m_entries.insert(key, std::move(impl));
    }

private:
    QMutex m_mutex;
    QHash<QString, std::shared_ptr<const Regex::Impl>> m_entries;
};

RegexCache &cache()
{
    static RegexCache instance;
    return instance;
}

} // namespace

Regex Regex::compile(const QString &pattern, const QString &flags)
{
    const QString key = flags + u'/' + pattern;
    if (auto cached = cache().find(key)) {
        Regex r;
        r.d = std::move(cached);
        return r;
    }
    Regex compiled = compileUncached(pattern, flags);
    cache().insert(key, compiled.d);
    return compiled;
}

Regex Regex::compileUncached(const QString &pattern, const QString &flags)
{
    auto impl = std::make_shared<Impl>();
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(re2::RE2::Options::EncodingUTF8);
    QString prefix;
    for (QChar f : flags) {
        switch (f.unicode()) {
        case 'i':
            options.set_case_sensitive(false);
            break;
        case 'm':
            prefix += u'm';
            break;
        case 's':
            options.set_dot_nl(true);
            break;
        case 'U':
            prefix += u'U';
            break;
        default:
            impl->error = QCoreApplication::translate("stagecraft::expr",
                                                      "unknown regular expression flag '%1'")
                              .arg(f);
            Regex r;
            r.d = std::move(impl);
            return r;
        }
    }
    const QString full = prefix.isEmpty() ? pattern : u"(?" + prefix + u')' + pattern;
    const std::string utf8 = full.toStdString();
    impl->re = std::make_unique<re2::RE2>(utf8, options);
    if (!impl->re->ok())
        impl->error = QString::fromStdString(impl->re->error());
    Regex r;
    r.d = std::move(impl);
    return r;
}

bool Regex::isLiteral(const QString &text)
{
    if (text.size() < 2 || !text.startsWith(u'/'))
        return false;
    const qsizetype last = text.lastIndexOf(u'/');
    if (last <= 0)
        return false;
    for (qsizetype i = last + 1; i < text.size(); ++i) {
        if (!text.at(i).isLetter())
            return false;
    }
    return true;
}

Regex Regex::fromLiteral(const QString &literal)
{
    if (!isLiteral(literal)) {
        auto impl = std::make_shared<Impl>();
        impl->error = QCoreApplication::translate("stagecraft::expr",
                                                  "not a /pattern/ regular expression literal");
        Regex r;
        r.d = std::move(impl);
        return r;
    }
    const qsizetype last = literal.lastIndexOf(u'/');
    return compile(literal.mid(1, last - 1), literal.mid(last + 1));
}

bool Regex::isValid() const
{
    return d && d->re && d->re->ok();
}

QString Regex::error() const
{
    return d ? d->error : QString();
}

bool Regex::search(const QString &text) const
{
    if (!isValid())
        return false;
    const std::string utf8 = text.toStdString();
    return re2::RE2::PartialMatch(utf8, *d->re);
}

std::optional<QString> re2Error(const QString &pattern, const QString &flags)
{
    const Regex r = Regex::compile(pattern, flags);
    if (r.isValid())
        return std::nullopt;
    return r.error();
}

} // namespace stagecraft::expr
