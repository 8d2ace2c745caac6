#pragma once

#include <QStringList>
#include <QTextStream>

#include <optional>

namespace stagecraft::cli {

struct PlanArguments;

/// Walks a command line in order: `--name value`, `--name=value`, flags and positional
/// arguments, printing the command line's usage errors to `err`.
class OptionReader
{
public:
    OptionReader(const QStringList &arguments, QTextStream &err);

    /// Moves to the next argument; false at the end.
    bool next();
    /// The option's name (without `=value`), or the positional argument itself.
    const QString &name() const { return m_name; }
    /// An option rather than a positional argument (`-` alone is a positional one: stdin).
    bool isOption() const;
    /// The option's value: after `=`, else the next argument unless that is another option
    /// (`--concurrency --needs` gives no value). Prints "needs a value" when there is none.
    std::optional<QString> value();
    /// For a flag: true, or false with "takes no value" printed when given as `--flag=value`.
    bool flag();
    /// Prints "unknown option" for the current argument.
    void unknownOption();
    /// Prints `message` (a whole line, translated) as a usage error.
    void usageError(const QString &message);

private:
    const QStringList &m_arguments;
    QTextStream &m_err;
    int m_index = -1;
    QString m_name;
    std::optional<QString> m_inline;
};

/// What an option reader made of an argument.
enum class OptionResult {
    NotMine, ///< not one of these options: the caller reads it
    Read,    ///< read into the arguments
    Error,   ///< a usage error, already printed
};

/// The options that choose the simulated pipeline, common to graph, diff and run: `--ref`,
/// `--source`, `--var K=V`, `--changed F`, `--target-branch B`, `--uncommitted`,
/// `--include-cache D`.
OptionResult readPipelineOption(OptionReader &reader, PlanArguments &a);

} // namespace stagecraft::cli
