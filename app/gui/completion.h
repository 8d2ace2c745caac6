#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace stagecraft::gui {

/// What is at a line and column of a `.gitlab-ci.yml` buffer, for completion, hover help and go
/// to definition. Pure text analysis (no widgets, no resolver): the window feeds it the buffer and
/// the job and stage names of the last lint.
namespace completion {

/// The place of the cursor, as completion sees it.
struct Context
{
    enum class Kind {
        None,
        Keyword,   ///< a key of the mapping at `path`
        JobName,   ///< a value of `needs`, `extends`, `dependencies`, `needs:job`
        StageName, ///< the value of `stage:`
        Variable,  ///< after `$` or `${`
        Value,     ///< a value with a fixed set (`when:`): see `values`
    };
    Kind kind = Kind::None;
    QString prefix;      ///< the partial word before the cursor
    int prefixStart = 0; ///< 0-based column of the prefix
    QStringList path;    ///< keys of the enclosing mappings, outermost first (`build`, `rules`)
    QString key;         ///< the key whose value the cursor is in (value contexts)
    QStringList values;  ///< Kind::Value: the allowed values
};

/// `line` and `column` are 0-based, the column in UTF-16 units of `text`'s line.
Context contextAt(const QString &text, int line, int column);

/// Keywords valid in a mapping at `path` (empty path: the top level).
QStringList keywordsFor(const QStringList &path);
/// True for top-level keys that are not jobs (`stages`, `default`, ...).
bool isGlobalKeyword(const QString &key);

/// Candidates for a context, filtered by its prefix (case-insensitive start), sorted.
QStringList candidates(const Context &context, const QStringList &jobs, const QStringList &stages,
                       const QStringList &variables);

/// A name under the cursor that can be explained or followed.
struct Symbol
{
    enum class Kind {
        None,
        Keyword,   ///< a key (hover help)
        Variable,  ///< `$NAME` (hover help)
        Job,       ///< a job name in extends/needs/dependencies or the first item of !reference
        Anchor,    ///< `*alias` or `<<: *alias`: the definition is `&alias`
        LocalFile, ///< `include:local` or a plain include string
    };
    Kind kind = Kind::None;
    QString name;
    int start = 0; ///< 0-based columns of the name on its line
    int end = 0;
};

Symbol symbolAt(const QString &text, int line, int column);

struct Position
{
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based
};
/// Where `&name` is defined in `text`.
std::optional<Position> findAnchor(const QString &text, const QString &name);
/// Where a top-level key `name:` is defined in `text` (a job in the same file).
std::optional<Position> findTopLevelKey(const QString &text, const QString &name);

} // namespace completion
} // namespace stagecraft::gui
