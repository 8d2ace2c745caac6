#include "hints.h"

#include <QCoreApplication>

#include <algorithm>
#include <vector>

namespace stagecraft::ci {

int editDistance(QStringView a, QStringView b)
{
    const qsizetype n = a.size(), m = b.size();
    if (n == 0)
        return int(m);
    if (m == 0)
        return int(n);
    // Three rolling rows: the transposition step looks two rows back.
    std::vector<int> prev2(size_t(m + 1)), prev(size_t(m + 1)), cur(size_t(m + 1));
    for (qsizetype j = 0; j <= m; ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d =
                std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, prev[size_t(j - 1)] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d = std::min(d, prev2[size_t(j - 2)] + 1);
            cur[size_t(j)] = d;
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[size_t(m)];
}

QString closestMatch(QStringView word, const QStringList &candidates)
{
    // A typo changes a small part of a word: allow one edit in short words, up to a third of
    // the letters in longer ones, and never suggest the word itself.
    const int limit = std::max<int>(1, int(std::min<qsizetype>(word.size(), 12) / 3));
    QString best;
    int bestDistance = limit + 1;
    for (const QString &c : candidates) {
        if (c == word || std::abs(int(c.size() - word.size())) > limit)
            continue;
        const int d = editDistance(word.toString().toLower(), c.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

QString didYouMean(QStringView word, const QStringList &candidates)
{
    const QString best = closestMatch(word, candidates);
    if (best.isEmpty())
        return {};
    return QCoreApplication::translate("stagecraft::ci", "did you mean '%1'?").arg(best);
}

} // namespace stagecraft::ci
