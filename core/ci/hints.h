#pragma once

#include <QString>
#include <QStringList>

namespace stagecraft::ci {

/// Optimal-string-alignment Damerau-Levenshtein distance (a transposition counts as one edit).
int editDistance(QStringView a, QStringView b);

/// The candidate closest to `word` when it is close enough to be a likely typo, else empty.
QString closestMatch(QStringView word, const QStringList &candidates);

/// "did you mean 'x'?" for the closest candidate, or an empty string.
QString didYouMean(QStringView word, const QStringList &candidates);

} // namespace stagecraft::ci
