#pragma once

#include <QList>
#include <QStringView>

#include <algorithm>

namespace stagecraft::dockerfile {

/// Plain Levenshtein distance, as BuildKit uses for its "did you mean" suggestions (unlike
/// ci::editDistance, a transposition counts as two edits here).
inline int levenshtein(QStringView a, QStringView b)
{
    QList<int> prev(b.size() + 1);
    QList<int> cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace stagecraft::dockerfile
