#include "duration.h"

#include <QList>
#include <QString>

#include <cmath>

namespace stagecraft::ci {

namespace {

// ChronicDuration's units; months and years use its 30-day and 365.25-day conventions.
std::optional<double> unitSeconds(QStringView unit)
{
    struct Unit
    {
        const char16_t *name;
        double seconds;
    };
    static constexpr double minute = 60, hour = 3600, day = 86400;
    static const Unit units[] = {
        {u"s", 1},
        {u"sec", 1},
        {u"secs", 1},
        {u"second", 1},
        {u"seconds", 1},
        {u"m", minute},
        {u"min", minute},
        {u"mins", minute},
        {u"minute", minute},
        {u"minutes", minute},
        {u"h", hour},
        {u"hr", hour},
        {u"hrs", hour},
        {u"hour", hour},
        {u"hours", hour},
        {u"d", day},
        {u"day", day},
        {u"days", day},
        {u"w", 7 * day},
        {u"wk", 7 * day},
        {u"wks", 7 * day},
        {u"week", 7 * day},
        {u"weeks", 7 * day},
        {u"mo", 30 * day},
        {u"mos", 30 * day},
        {u"mon", 30 * day},
        {u"mons", 30 * day},
        {u"month", 30 * day},
        {u"months", 30 * day},
        {u"y", 365.25 * day},
        {u"yr", 365.25 * day},
        {u"yrs", 365.25 * day},
        {u"year", 365.25 * day},
        {u"years", 365.25 * day},
    };
    for (const Unit &u : units) {
        if (unit == QStringView(u.name))
            return u.seconds;
    }
    return std::nullopt;
}

// ChronicDuration runs Numerizer first, so "one week" and "two hours" are durations.
std::optional<int> numberWord(QStringView word)
{
    static const char16_t *const words[] = {
        u"zero",     u"one",     u"two",     u"three",     u"four",     u"five",     u"six",
        u"seven",    u"eight",   u"nine",    u"ten",       u"eleven",   u"twelve",   u"thirteen",
        u"fourteen", u"fifteen", u"sixteen", u"seventeen", u"eighteen", u"nineteen", u"twenty"};
    for (int i = 0; i <= 20; ++i) {
        if (word == QStringView(words[i]))
            return i;
    }
    static const char16_t *const tens[] = {u"thirty",  u"forty",  u"fifty", u"sixty",
                                           u"seventy", u"eighty", u"ninety"};
    for (int i = 0; i < 7; ++i) {
        if (word == QStringView(tens[i]))
            return 30 + 10 * i;
    }
    return std::nullopt;
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

// "1:30" (minutes:seconds) and "1:30:00" (hours:minutes:seconds), as ChronicDuration reads them.
std::optional<qint64> parseColonForm(QStringView text)
{
    const QList<QStringView> parts = text.split(u':');
    if (parts.size() < 2 || parts.size() > 4)
        return std::nullopt;
    qint64 total = 0;
    for (QStringView p : parts) {
        if (p.isEmpty())
            return std::nullopt;
        for (QChar c : p) {
            if (!isDigit(c))
                return std::nullopt;
        }
        total = total * 60 + p.toLongLong();
    }
    if (parts.size() == 4) // days:hours:minutes:seconds
        total = (total / 216000) * 86400 + (total % 216000);
    return total;
}

} // namespace

std::optional<qint64> parseDuration(QStringView input)
{
    const QString text = input.trimmed().toString().toLower();
    if (text.isEmpty())
        return std::nullopt;
    if (text.contains(u':'))
        return parseColonForm(text);

    double total = 0;
    bool sawNumber = false;
    // A number still waiting for its unit (two plain variables: GCC 12 -O3 warns about a
    // maybe-uninitialized std::optional<double> here).
    double pending = 0;
    bool hasPending = false;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const QChar c = text.at(i);
        if (c.isSpace() || c == u',' || c == u'&') {
            ++i;
            continue;
        }
        if (isDigit(c) || (c == u'.' && i + 1 < n && isDigit(text.at(i + 1)))) {
            if (hasPending) // "1 2": two numbers in a row
                total += pending;
            const qsizetype start = i;
            while (i < n && (isDigit(text.at(i)) || text.at(i) == u'.'))
                ++i;
            bool ok = false;
            const double value = QStringView(text).mid(start, i - start).toDouble(&ok);
            if (!ok)
                return std::nullopt;
            pending = value;
            hasPending = true;
            sawNumber = true;
            continue;
        }
        if (c.isLetter()) {
            const qsizetype start = i;
            while (i < n && text.at(i).isLetter())
                ++i;
            const QStringView word = QStringView(text).mid(start, i - start);
            if (word == u"and")
                continue;
            if (const std::optional<int> number = numberWord(word)) {
                if (hasPending)
                    total += pending;
                pending = *number;
                hasPending = true;
                sawNumber = true;
                continue;
            }
            const std::optional<double> seconds = unitSeconds(word);
            if (!seconds || !hasPending)
                return std::nullopt;
            total += pending * *seconds;
            hasPending = false;
            continue;
        }
        return std::nullopt;
    }
    if (!sawNumber)
        return std::nullopt;
    if (hasPending) // a bare number counts as seconds
        total += pending;
    return qint64(std::llround(total));
}

} // namespace stagecraft::ci
