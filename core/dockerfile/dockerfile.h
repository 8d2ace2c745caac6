#pragma once

#include "diag/diagnostic.h"

#include <QList>
#include <QString>

#include <memory>

namespace stagecraft::dockerfile {

using diag::Position;
using diag::Range;

/// Text of an instruction once line continuations are joined, with the source position of every
/// character, so that any slice of it maps back to an exact range of the Dockerfile.
struct SourceText
{
    QString text;
    QList<Position> positions; ///< positions[i] is where text[i] sits in the file
    Position endPosition;      ///< just after the last character

    qsizetype size() const { return text.size(); }
    bool isEmpty() const { return text.isEmpty(); }
    Position at(qsizetype index) const;
    /// The half-open range covering text[from, to).
    Range range(qsizetype from, qsizetype to) const;
    Range range() const { return range(0, text.size()); }
    SourceText mid(qsizetype from, qsizetype length = -1) const;
    SourceText trimmed() const;
    void append(QChar c, Position p);
};

/// A whitespace- (or, for ENV/LABEL/ARG, quote-aware) separated word, as written.
struct Word
{
    QString text; ///< raw text (quotes kept); for JSON form the decoded string
    Range range;
    qsizetype offset = 0; ///< offset into Instruction::args.text
    qsizetype length = 0;
};

/// `--name=value` before the arguments of an instruction.
struct Flag
{
    QString name;  ///< without the leading dashes
    QString value; ///< quotes removed
    bool hasValue = false;
    Range range;
    Range valueRange;
};

struct Heredoc
{
    QString delimiter;
    bool chomp = false; ///< `<<-`: leading tabs are stripped
    bool expand = true; ///< false when the delimiter is quoted
    int fd = -1;        ///< `3<<EOF`; -1 when absent
    Range markerRange;  ///< the `<<EOF` word on the instruction line
    SourceText body;    ///< content lines, each ending with '\n'
    bool terminated = false;
};

enum class Form { None, Shell, Json };

/// `NAME=value` of ENV, LABEL and ARG (value absent for `ARG NAME`).
struct KeyValue
{
    QString key;
    QString value;             ///< raw (quotes kept)
    qsizetype valueOffset = 0; ///< offset of the value in Instruction::args.text
    bool hasValue = false;
    bool legacy = false; ///< `ENV key value` form
    Range keyRange;
    Range valueRange;
    Range range;
};

struct Instruction
{
    QString keyword; ///< as written
    QString name;    ///< upper case: "RUN", "FROM", ...
    Range range;     ///< whole instruction, heredoc bodies included
    Range keywordRange;
    QList<Flag> flags;
    SourceText args; ///< after the flags, continuations joined, trimmed
    Form form = Form::None;
    QList<Word> words; ///< shell form: the words; JSON form: the strings
    QList<KeyValue> pairs;
    QList<Heredoc> heredocs;
    QString healthcheckType; ///< HEALTHCHECK: "CMD" or "NONE" (args/words/form are the command)
    std::shared_ptr<const Instruction> trigger; ///< ONBUILD: the triggered instruction
    int stage = -1; ///< index into Dockerfile::stages; -1 before the first FROM
    int startLine = 0;
    int endLine = 0; ///< last line of the instruction text (before heredoc bodies)

    const Flag *flag(QStringView flagName) const;
};

struct Comment
{
    QString text; ///< after '#', as written
    Range range;
    bool insideInstruction = false; ///< between continuation lines
};

struct Directive
{
    QString name; ///< lower case
    QString value;
    Range range;
    Range valueRange;
};

struct Stage
{
    int index = 0;
    QString name; ///< lower case, empty if unnamed
    QString nameAsWritten;
    Range nameRange;
    QString base; ///< image or stage as written
    Range baseRange;
    int parent = -1; ///< index of the stage this one builds on, -1 for an image
    int fromInstruction = -1;
    QList<int> instructions; ///< indexes into Dockerfile::instructions (FROM included)
};

/// The parsed Dockerfile: BuildKit's view of it, plus what a linter needs (comments, ranges).
struct Dockerfile
{
    QString file;
    QChar escape = u'\\';
    QList<Directive> directives;
    QList<Comment> comments;
    QList<Instruction> instructions;
    QList<Stage> stages;
    QList<int> emptyContinuationLines;
    diag::Diagnostics diagnostics; ///< parse errors and parser warnings
    int lineCount = 0;

    bool hasErrors() const { return diag::hasErrors(diagnostics); }
    const Directive *directive(QStringView name) const;
};

/// Removes shell quotes and escapes from a word (no variable expansion).
QString unquote(QStringView word, QChar escape = u'\\');

} // namespace stagecraft::dockerfile
