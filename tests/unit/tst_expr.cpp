#include "expr/expression.h"

#include <QRandomGenerator>
#include <QTest>

#include <initializer_list>
#include <utility>

using namespace stagecraft;
using expr::Expression;
using expr::Variables;

Q_DECLARE_METATYPE(stagecraft::expr::ParseError)

namespace {
Variables vars(std::initializer_list<std::pair<const char *, const char *>> list)
{
    Variables v;
    for (const auto &[name, value] : list)
        v.insert(QString::fromUtf8(name), QString::fromUtf8(value));
    return v;
}
} // namespace

class TestExpr : public QObject
{
    Q_OBJECT

private slots:
    void evaluate_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<Variables>("variables");
        QTest::addColumn<bool>("expected");

        // Presence: defined and not blank.
        QTest::newRow("presence set")
            << u"$CI_COMMIT_TAG"_qs << vars({{"CI_COMMIT_TAG", "v1"}}) << true;
        QTest::newRow("presence empty")
            << u"$CI_COMMIT_TAG"_qs << vars({{"CI_COMMIT_TAG", ""}}) << false;
        QTest::newRow("presence undefined") << u"$CI_COMMIT_TAG"_qs << vars({}) << false;
        QTest::newRow("presence blank (ActiveSupport present?)")
            << u"$X"_qs << vars({{"X", " \t"}}) << false;
        QTest::newRow("presence zero is a string") << u"$X"_qs << vars({{"X", "0"}}) << true;
        QTest::newRow("presence false is a string") << u"$X"_qs << vars({{"X", "false"}}) << true;

        // Equality.
        QTest::newRow("== string") << u"$CI_PIPELINE_SOURCE == \"merge_request_event\""_qs
                                   << vars({{"CI_PIPELINE_SOURCE", "merge_request_event"}}) << true;
        QTest::newRow("== string other") << u"$CI_PIPELINE_SOURCE == \"merge_request_event\""_qs
                                         << vars({{"CI_PIPELINE_SOURCE", "push"}}) << false;
        QTest::newRow("== string undefined")
            << u"$CI_PIPELINE_SOURCE == \"push\""_qs << vars({}) << false;
        QTest::newRow("== single quotes") << u"$A == 'x'"_qs << vars({{"A", "x"}}) << true;
        QTest::newRow("== case sensitive") << u"$A == \"X\""_qs << vars({{"A", "x"}}) << false;
        QTest::newRow("string on the left") << u"\"x\" == $A"_qs << vars({{"A", "x"}}) << true;
        QTest::newRow("!= string") << u"$A != \"x\""_qs << vars({{"A", "y"}}) << true;
        QTest::newRow("!= undefined") << u"$UNDEFINED != \"x\""_qs << vars({}) << true;
        QTest::newRow("number is a string") << u"$N == \"10\""_qs << vars({{"N", "10"}}) << true;
        QTest::newRow("no numeric compare") << u"$N == \"10\""_qs << vars({{"N", "10.0"}}) << false;
        QTest::newRow("var == var")
            << u"$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"_qs
            << vars({{"CI_COMMIT_BRANCH", "main"}, {"CI_DEFAULT_BRANCH", "main"}}) << true;
        QTest::newRow("var == var differ")
            << u"$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"_qs
            << vars({{"CI_COMMIT_BRANCH", "dev"}, {"CI_DEFAULT_BRANCH", "main"}}) << false;
        QTest::newRow("var == undefined var") << u"$A == $B"_qs << vars({{"A", "x"}}) << false;
        // Ruby: nil == nil.
        QTest::newRow("undefined == undefined") << u"$A == $B"_qs << vars({}) << true;
        QTest::newRow("== null undefined") << u"$CUSTOM_VAR == null"_qs << vars({}) << true;
        QTest::newRow("== null empty")
            << u"$CUSTOM_VAR == null"_qs << vars({{"CUSTOM_VAR", ""}}) << false;
        QTest::newRow("== \"\" empty")
            << u"$CUSTOM_VAR == \"\""_qs << vars({{"CUSTOM_VAR", ""}}) << true;
        QTest::newRow("== \"\" undefined") << u"$CUSTOM_VAR == \"\""_qs << vars({}) << false;
        QTest::newRow("!= null defined") << u"$A != null"_qs << vars({{"A", ""}}) << true;
        QTest::newRow("null == null") << u"null == null"_qs << vars({}) << true;
        QTest::newRow("string not expanded")
            << u"$A == \"$B\""_qs << vars({{"A", "b"}, {"B", "b"}}) << false;
        QTest::newRow("string not expanded literal")
            << u"$A == \"$B\""_qs << vars({{"A", "$B"}, {"B", "b"}}) << true;
        QTest::newRow("no escapes in strings")
            << u"$A == \"a\\\""_qs << vars({{"A", "a\\"}}) << true;
        QTest::newRow("regex never equals a string")
            << u"$A == /x/"_qs << vars({{"A", "/x/"}}) << false;

        // Regex matching (RE2, unanchored search).
        QTest::newRow("=~ anchored") << u"$CI_COMMIT_BRANCH =~ /^feature\\//"_qs
                                     << vars({{"CI_COMMIT_BRANCH", "feature/login"}}) << true;
        QTest::newRow("=~ anchored miss") << u"$CI_COMMIT_BRANCH =~ /^feature\\//"_qs
                                          << vars({{"CI_COMMIT_BRANCH", "my-feature/x"}}) << false;
        QTest::newRow("=~ unanchored")
            << u"$B =~ /release/"_qs << vars({{"B", "pre-release-1"}}) << true;
        QTest::newRow("=~ case sensitive")
            << u"$M =~ /\\[skip tests\\]/"_qs << vars({{"M", "fix [SKIP TESTS]"}}) << false;
        QTest::newRow("=~ i flag") << u"$CI_COMMIT_MESSAGE =~ /\\[skip tests\\]/i"_qs
                                   << vars({{"CI_COMMIT_MESSAGE", "fix [SKIP TESTS]"}}) << true;
        QTest::newRow("=~ m flag") << u"$M =~ /^b$/m"_qs << vars({{"M", "a\nb\nc"}}) << true;
        QTest::newRow("=~ no m flag") << u"$M =~ /^b$/"_qs << vars({{"M", "a\nb\nc"}}) << false;
        QTest::newRow("=~ s flag") << u"$M =~ /a.b/s"_qs << vars({{"M", "a\nb"}}) << true;
        QTest::newRow("=~ no s flag") << u"$M =~ /a.b/"_qs << vars({{"M", "a\nb"}}) << false;
        QTest::newRow("=~ \\d") << u"$T =~ /^v\\d+\\.\\d+/"_qs << vars({{"T", "v12.3"}}) << true;
        QTest::newRow("=~ unicode") << u"$T =~ /^é.$/"_qs << vars({{"T", "éx"}}) << true;
        QTest::newRow("=~ undefined left") << u"$U =~ /.*/"_qs << vars({}) << false;
        QTest::newRow("!~ undefined left") << u"$U !~ /.*/"_qs << vars({}) << true;
        QTest::newRow("!~ match") << u"$CI_COMMIT_BRANCH !~ /^(main|release-.*)$/"_qs
                                  << vars({{"CI_COMMIT_BRANCH", "main"}}) << false;
        QTest::newRow("!~ no match") << u"$CI_COMMIT_BRANCH !~ /^(main|release-.*)$/"_qs
                                     << vars({{"CI_COMMIT_BRANCH", "develop"}}) << true;
        QTest::newRow("=~ string left") << u"\"abc\" =~ /b/"_qs << vars({}) << true;
        QTest::newRow("=~ empty left") << u"$E =~ /^$/"_qs << vars({{"E", ""}}) << true;

        // Regex held in a variable (GitLab >= 15.0).
        QTest::newRow("=~ $VAR regex")
            << u"$CI_COMMIT_REF_NAME =~ $RELEASE_PATTERN"_qs
            << vars({{"CI_COMMIT_REF_NAME", "v1.2"}, {"RELEASE_PATTERN", "/^v\\d+\\.\\d+/"}})
            << true;
        QTest::newRow("=~ $VAR regex miss")
            << u"$CI_COMMIT_REF_NAME =~ $RELEASE_PATTERN"_qs
            << vars({{"CI_COMMIT_REF_NAME", "main"}, {"RELEASE_PATTERN", "/^v\\d+\\.\\d+/"}})
            << false;
        QTest::newRow("=~ $VAR regex flags")
            << u"$R =~ $P"_qs << vars({{"R", "V1"}, {"P", "/^v/i"}}) << true;
        QTest::newRow("=~ $VAR undefined") << u"$R =~ $P"_qs << vars({{"R", "v1"}}) << false;
        QTest::newRow("!~ $VAR undefined") << u"$R !~ $P"_qs << vars({{"R", "v1"}}) << true;
        // Not a /pattern/: GitLab's `regexp.scan(text)` turns into Ruby's String#scan(String),
        // true when the right side contains the left side's value.
        QTest::newRow("=~ $VAR plain text contains left")
            << u"$R =~ $P"_qs << vars({{"R", "lease"}, {"P", "release"}}) << true;
        QTest::newRow("=~ $VAR plain text, left longer")
            << u"$R =~ $P"_qs << vars({{"R", "pre-release"}, {"P", "release"}}) << false;
        QTest::newRow("=~ $VAR plain text is not a regex")
            << u"$R =~ $P"_qs << vars({{"R", "release"}, {"P", "^rel"}}) << false;
        QTest::newRow("=~ $VAR invalid regex is text")
            << u"$R =~ $P"_qs << vars({{"R", "(a"}, {"P", "/(a/"}}) << true;
        // libvirt-python's `$CI_PIPELINE_SOURCE =~ "merge_request_event"` (accepted by GitLab).
        QTest::newRow("=~ string equal")
            << u"$S =~ \"merge_request_event\""_qs << vars({{"S", "merge_request_event"}}) << true;
        QTest::newRow("=~ string other")
            << u"$S =~ \"merge_request_event\""_qs << vars({{"S", "push"}}) << false;
        QTest::newRow("=~ string contains left")
            << u"$S =~ \"merge_request_event\""_qs << vars({{"S", "request"}}) << true;
        QTest::newRow("!~ string")
            << u"$S !~ \"merge_request_event\""_qs << vars({{"S", "push"}}) << true;
        QTest::newRow("=~ string holding a regex")
            << u"$S =~ \"/^v/\""_qs << vars({{"S", "v1"}}) << true;
        QTest::newRow("!~ $VAR regex")
            << u"$R !~ $P"_qs << vars({{"R", "main"}, {"P", "/^v/"}}) << true;

        // && and ||, precedence, parentheses.
        QTest::newRow("and both") << u"$A && $B"_qs << vars({{"A", "1"}, {"B", "1"}}) << true;
        QTest::newRow("and one") << u"$A && $B"_qs << vars({{"A", "1"}}) << false;
        QTest::newRow("or one") << u"$A || $B"_qs << vars({{"B", "1"}}) << true;
        QTest::newRow("or none") << u"$A || $B"_qs << vars({}) << false;
        QTest::newRow("&& before || (a)") << u"$A || $B && $C"_qs << vars({{"A", "1"}}) << true;
        QTest::newRow("&& before || (b)") << u"$A && $B || $C"_qs << vars({{"C", "1"}}) << true;
        QTest::newRow("&& before || (c)") << u"$A && $B || $C"_qs << vars({{"A", "1"}}) << false;
        QTest::newRow("parentheses")
            << u"($CI_PIPELINE_SOURCE == \"push\" || $CI_PIPELINE_SOURCE == \"web\") && $DEPLOY == \"true\""_qs
            << vars({{"CI_PIPELINE_SOURCE", "web"}, {"DEPLOY", "true"}}) << true;
        QTest::newRow("parentheses deploy false")
            << u"($CI_PIPELINE_SOURCE == \"push\" || $CI_PIPELINE_SOURCE == \"web\") && $DEPLOY == \"true\""_qs
            << vars({{"CI_PIPELINE_SOURCE", "push"}, {"DEPLOY", "false"}}) << false;
        QTest::newRow("parentheses change grouping")
            << u"($A || $B) && $C"_qs << vars({{"A", "1"}}) << false;
        QTest::newRow("nested parentheses") << u"((($A)))"_qs << vars({{"A", "1"}}) << true;
        QTest::newRow("workflow duplicate pipelines")
            << u"$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS"_qs
            << vars({{"CI_COMMIT_BRANCH", "f"}, {"CI_OPEN_MERGE_REQUESTS", "g/p!1"}}) << true;
        // GitLab evaluates && / || on Ruby values: an empty string is truthy in Ruby, so it is
        // returned by || and the statement is not `present?` (lib/.../lexeme/or.rb, statement.rb).
        QTest::newRow("ruby quirk: empty || set")
            << u"$E || $A"_qs << vars({{"E", ""}, {"A", "x"}}) << false;
        QTest::newRow("ruby quirk: empty && set")
            << u"$E && $A"_qs << vars({{"E", ""}, {"A", "x"}}) << true;
        QTest::newRow("lone string") << u"\"x\""_qs << vars({}) << true;
        QTest::newRow("lone null") << u"null"_qs << vars({}) << false;
        QTest::newRow("no spaces")
            << u"$A==\"x\"&&$B=~/y/||$C"_qs << vars({{"A", "x"}, {"B", "y"}}) << true;
    }
    void evaluate()
    {
        QFETCH(QString, expression);
        QFETCH(Variables, variables);
        QFETCH(bool, expected);
        const Expression e = Expression::parse(expression);
        QVERIFY2(e.isValid(), qPrintable(e.error() ? e.error()->message : QString()));
        QCOMPARE(e.evaluate(variables), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        QTest::newRow("unterminated string")
            << u"$A == \"x"_qs << 7 << u"unterminated string: missing closing \""_qs;
        QTest::newRow("unterminated single")
            << u"$A == 'x"_qs << 7 << u"unterminated string: missing closing '"_qs;
        QTest::newRow("unterminated regex")
            << u"$A =~ /abc"_qs << 7 << u"unterminated regular expression: missing closing /"_qs;
        QTest::newRow("escaped slash does not close")
            << u"$A =~ /abc\\/"_qs << 7 << u"unterminated regular expression: missing closing /"_qs;
        QTest::newRow("invalid re2")
            << u"$A =~ /(abc/"_qs << 7 << u"invalid regular expression: missing ): (abc"_qs;
        QTest::newRow("look-ahead") << u"$A == \"x\" && $B =~ /a(?=b)/"_qs << 20
                                    << u"invalid regular expression: invalid perl operator: (?="_qs;
        QTest::newRow("back-reference")
            << u"$A =~ /(a)\\1/"_qs << 7
            << u"invalid regular expression: invalid escape sequence: \\1"_qs;
        QTest::newRow("unknown flag")
            << u"$A =~ /x/ig"_qs << 11
            << u"unknown regular expression flag 'g' (allowed: i, m, s, U)"_qs;
        QTest::newRow("empty regex") << u"$A =~ //"_qs << 7 << u"empty regular expression"_qs;
        QTest::newRow("unknown character")
            << u"$A == \"x\" # note"_qs << 11 << u"unexpected character '#'"_qs;
        QTest::newRow("unknown character after unicode")
            << u"\"\U0001F600\" == $A ;"_qs << 11 << u"unexpected character ';'"_qs;
        QTest::newRow("single =") << u"$A = \"x\""_qs << 4
                                  << u"unexpected '='; compare with '==' or match with '=~'"_qs;
        QTest::newRow("negation")
            << u"!$A"_qs << 1
            << u"unexpected '!': there is no negation operator; use '!=' or '!~'"_qs;
        QTest::newRow("single &") << u"$A & $B"_qs << 4 << u"unexpected '&'; did you mean '&&'?"_qs;
        QTest::newRow("single |") << u"$A | $B"_qs << 4 << u"unexpected '|'; did you mean '||'?"_qs;
        QTest::newRow("bare word")
            << u"$A == true"_qs << 7
            << u"unexpected word 'true': quote strings, start variables with '$'"_qs;
        QTest::newRow("NULL is not null")
            << u"$A == NULL"_qs << 7
            << u"unexpected word 'NULL': quote strings, start variables with '$'"_qs;
        QTest::newRow("${VAR}")
            << u"${CI_COMMIT_TAG}"_qs << 1
            << u"the ${NAME} form is not allowed in expressions; write $NAME"_qs;
        QTest::newRow("${VAR} later")
            << u"$A == \"x\" && ${B} == \"y\""_qs << 14
            << u"the ${NAME} form is not allowed in expressions; write $NAME"_qs;
        QTest::newRow("lone $") << u"$A == $"_qs << 7 << u"expected a variable name after '$'"_qs;
        QTest::newRow("empty") << QString() << 1 << u"empty expression"_qs;
        QTest::newRow("blank") << u"   "_qs << 1 << u"empty expression"_qs;
        QTest::newRow("missing right operand at end")
            << u"$A =="_qs << 4 << u"missing operand after '=='"_qs;
        QTest::newRow("missing right operand")
            << u"$A == && $B"_qs << 7 << u"missing operand between '==' and '&&'"_qs;
        QTest::newRow("missing left operand")
            << u"== \"x\""_qs << 1 << u"missing operand before '=='"_qs;
        QTest::newRow("leading &&") << u"&& $A"_qs << 1 << u"missing operand before '&&'"_qs;
        QTest::newRow("trailing &&") << u"$A &&"_qs << 4 << u"missing operand after '&&'"_qs;
        QTest::newRow("trailing || with space")
            << u"$A ||  "_qs << 4 << u"missing operand after '||'"_qs;
        QTest::newRow("double &&")
            << u"$A && && $B"_qs << 7 << u"missing operand between '&&' and '&&'"_qs;
        QTest::newRow("operand missing before )")
            << u"($A || )"_qs << 8 << u"missing operand between '||' and ')'"_qs;
        QTest::newRow("empty parentheses") << u"$A && ()"_qs << 7 << u"empty parentheses"_qs;
        QTest::newRow("unclosed (")
            << u"($A == \"x\""_qs << 1 << u"unbalanced parenthesis: '(' is never closed"_qs;
        QTest::newRow("unclosed inner (")
            << u"($A || ($B)"_qs << 1 << u"unbalanced parenthesis: '(' is never closed"_qs;
        QTest::newRow("stray )") << u"$A == \"x\")"_qs << 10
                                 << u"unbalanced parenthesis: ')' has no matching '('"_qs;
        QTest::newRow("missing operator")
            << u"$A == \"x\" $B"_qs << 11 << u"missing operator before '$B'"_qs;
        QTest::newRow("missing comparison")
            << u"$A \"x\""_qs << 4 << u"missing operator before '\"x\"'"_qs;
        QTest::newRow("missing operator in parentheses")
            << u"($A $B)"_qs << 5 << u"missing operator or ')' before '$B'"_qs;
        QTest::newRow("trailing regex") << u"$A /x/"_qs << 4 << u"missing operator before '/x/'"_qs;
        QTest::newRow("!~ null")
            << u"$A !~ null"_qs << 7
            << u"the right side of '!~' must be a /regex/ or a variable holding one"_qs;
        QTest::newRow("=~ parentheses")
            << u"$A =~ ($B)"_qs << 7
            << u"the right side of '=~' must be a /regex/ or a variable holding one"_qs;
        QTest::newRow("== parentheses")
            << u"$A == (\"x\")"_qs << 7
            << u"the right side of '==' must be a variable, a string, null or a /regex/"_qs;
        const QString chained = u"comparisons cannot be chained or applied to a parenthesised "
                                "expression; join comparisons with '&&' or '||'"_qs;
        QTest::newRow("chained ==") << u"$A == $B == $C"_qs << 10 << chained;
        QTest::newRow("parenthesised left side") << u"($A) == \"x\""_qs << 6 << chained;
        QTest::newRow("too deep") << (QString(65, u'(') + u"$A"_qs + QString(65, u')')) << 65
                                  << u"expression nested too deeply (more than 64 parentheses)"_qs;
        QTest::newRow("long token shortened")
            << u"$A \"0123456789012345678901234567890123456789xyz\""_qs << 4
            << u"missing operator before '\"012345678901234567890123456789012345678…'"_qs;
    }
    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(int, column);
        QFETCH(QString, message);
        const Expression e = Expression::parse(expression);
        QVERIFY(!e.isValid());
        QVERIFY(e.error().has_value());
        QCOMPARE(e.error()->message, message);
        QCOMPARE(e.error()->column, column);
        QCOMPARE(e.evaluate({}), false);
        QVERIFY(e.toString().isEmpty());
    }

    void structure_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("tree");
        QTest::newRow("|| then &&") << u"$A || $B && $C"_qs << u"(|| $A (&& $B $C))"_qs;
        QTest::newRow("&& then ||") << u"$A && $B || $C"_qs << u"(|| (&& $A $B) $C)"_qs;
        QTest::newRow("left assoc ||") << u"$A || $B || $C"_qs << u"(|| (|| $A $B) $C)"_qs;
        QTest::newRow("left assoc &&") << u"$A && $B && $C"_qs << u"(&& (&& $A $B) $C)"_qs;
        QTest::newRow("grouping") << u"($A || $B) && $C"_qs << u"(&& (|| $A $B) $C)"_qs;
        QTest::newRow("comparisons bind tightest")
            << u"$A == \"x\" && $B =~ /y/i || $C != null"_qs
            << u"(|| (&& (== $A \"x\") (=~ $B /y/i)) (!= $C null))"_qs;
        QTest::newRow("single quotes") << u"'a' == $A"_qs << u"(== \"a\" $A)"_qs;
        QTest::newRow("escaped slash") << u"$A=~/a\\/b/"_qs << u"(=~ $A /a\\/b/)"_qs;
        QTest::newRow("slash in a string")
            << u"$A == \"a/b\" && $B"_qs << u"(&& (== $A \"a/b\") $B)"_qs;
        QTest::newRow("quote in a regex") << u"$A !~ /^Merge branch 'x\\/main'.*/"_qs
                                          << u"(!~ $A /^Merge branch 'x\\/main'.*/)"_qs;
        QTest::newRow("inputs interpolation in a string")
            << u"\"$[[ inputs.skip ]]\" == \"true\""_qs
            << u"(== \"$[[ inputs.skip ]]\" \"true\")"_qs;
        QTest::newRow("var == var") << u"$A != $B"_qs << u"(!= $A $B)"_qs;
        QTest::newRow("tabs and newlines") << u"$A\t&&\n$B"_qs << u"(&& $A $B)"_qs;
        QTest::newRow("all flags") << u"$A =~ /x/imsU"_qs << u"(=~ $A /x/imsU)"_qs;
    }
    void structure()
    {
        QFETCH(QString, expression);
        QFETCH(QString, tree);
        const Expression e = Expression::parse(expression);
        QVERIFY2(e.isValid(), qPrintable(e.error() ? e.error()->message : QString()));
        QCOMPARE(e.toString(), tree);
    }

    void warnings_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QList<expr::ParseError>>("expected");
        QTest::newRow("none") << u"$A =~ /x/ && $B == \"y\""_qs << QList<expr::ParseError>();
        QTest::newRow("=~ quoted string")
            << u"$CI_PIPELINE_SOURCE =~ \"merge_request_event\""_qs
            << QList<expr::ParseError>{{u"'=~' with a quoted string is not a regex match: GitLab "
                                        "checks whether \"merge_request_event\" contains the left "
                                        "side's value; use '==' or a /regex/"_qs,
                                        24}};
        QTest::newRow("!~ quoted string, twice")
            << u"$A !~ 'x' || $B =~ \"y\""_qs
            << QList<expr::ParseError>{
                   {u"'!~' with a quoted string is not a regex match: GitLab checks whether 'x' "
                    "contains the left side's value; use '==' or a /regex/"_qs,
                    7},
                   {u"'=~' with a quoted string is not a regex match: GitLab checks whether \"y\" "
                    "contains the left side's value; use '==' or a /regex/"_qs,
                    20}};
    }
    void warnings()
    {
        QFETCH(QString, expression);
        QFETCH(QList<expr::ParseError>, expected);
        const Expression e = Expression::parse(expression);
        QVERIFY(e.isValid());
        QCOMPARE(e.warnings(), expected);
    }

    void variableNames()
    {
        const Expression e = Expression::parse(u"$B == $A || ($B =~ $P && $C_1 != \"$D\")");
        QCOMPARE(e.variableNames(), (QStringList{u"B"_qs, u"A"_qs, u"P"_qs, u"C_1"_qs}));
        QVERIFY(Expression::parse(u"$A ==").variableNames().isEmpty());
    }

    // Random token soup (fixed seed): never crashes, and every error points inside the text or
    // just after it.
    void randomInputKeepsColumnsInRange()
    {
        const QStringList pieces{u"$A"_qs,    u"$B_1"_qs, u"\"x\""_qs, u"'y'"_qs, u"null"_qs,
                                 u"/a+/i"_qs, u"/(/"_qs,  u"=="_qs,    u"!="_qs,  u"=~"_qs,
                                 u"!~"_qs,    u"&&"_qs,   u"||"_qs,    u"("_qs,   u")"_qs,
                                 u" "_qs,     u"\""_qs,   u"/"_qs,     u"$"_qs,   u"${C}"_qs,
                                 u"é"_qs,     u"="_qs};
        QRandomGenerator random(20261128);
        int valid = 0;
        for (int round = 0; round < 20000; ++round) {
            QString text;
            const int count = int(random.bounded(1, 9));
            for (int i = 0; i < count; ++i)
                text += pieces.at(int(random.bounded(int(pieces.size()))));
            const Expression e = Expression::parse(text);
            if (e.isValid()) {
                ++valid;
                QVERIFY(!e.toString().isEmpty());
                e.evaluate(vars({{"A", "x"}}));
                continue;
            }
            QVERIFY2(e.error()->column >= 1 && e.error()->column <= text.size() + 1,
                     qPrintable(text));
            QVERIFY(!e.error()->message.isEmpty());
        }
        QVERIFY(valid > 100); // the soup does produce valid expressions too
    }

    void defaultConstructedIsInvalid()
    {
        const Expression e;
        QVERIFY(!e.isValid());
        QVERIFY(!e.evaluate({}));
    }

    // Every `if:` of /work/shared/reference/rules-expressions.md, with the variables of a
    // pipeline where it should hold and one where it should not.
    void referenceExamples_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<Variables>("matching");
        QTest::addColumn<Variables>("notMatching");
        QTest::newRow("equality") << u"$CI_PIPELINE_SOURCE == \"merge_request_event\""_qs
                                  << vars({{"CI_PIPELINE_SOURCE", "merge_request_event"}})
                                  << vars({{"CI_PIPELINE_SOURCE", "push"}});
        QTest::newRow("variable vs variable")
            << u"$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"_qs
            << vars({{"CI_COMMIT_BRANCH", "main"}, {"CI_DEFAULT_BRANCH", "main"}})
            << vars({{"CI_COMMIT_TAG", "v1"}, {"CI_DEFAULT_BRANCH", "main"}});
        QTest::newRow("presence") << u"$CI_COMMIT_TAG"_qs << vars({{"CI_COMMIT_TAG", "v1"}})
                                  << vars({{"CI_COMMIT_TAG", ""}});
        QTest::newRow("not defined")
            << u"$CUSTOM_VAR == null"_qs << vars({}) << vars({{"CUSTOM_VAR", ""}});
        QTest::newRow("regex") << u"$CI_COMMIT_BRANCH =~ /^feature\\//"_qs
                               << vars({{"CI_COMMIT_BRANCH", "feature/a"}})
                               << vars({{"CI_COMMIT_BRANCH", "feature-a"}});
        QTest::newRow("case-insensitive") << u"$CI_COMMIT_MESSAGE =~ /\\[skip tests\\]/i"_qs
                                          << vars({{"CI_COMMIT_MESSAGE", "x [Skip Tests]"}})
                                          << vars({{"CI_COMMIT_MESSAGE", "x [skip-tests]"}});
        QTest::newRow("negated regex") << u"$CI_COMMIT_BRANCH !~ /^(main|release-.*)$/"_qs
                                       << vars({{"CI_COMMIT_BRANCH", "feature"}})
                                       << vars({{"CI_COMMIT_BRANCH", "release-1.0"}});
        QTest::newRow("grouping")
            << u"($CI_PIPELINE_SOURCE == \"push\" || $CI_PIPELINE_SOURCE == \"web\") && $DEPLOY == \"true\""_qs
            << vars({{"CI_PIPELINE_SOURCE", "push"}, {"DEPLOY", "true"}})
            << vars({{"CI_PIPELINE_SOURCE", "schedule"}, {"DEPLOY", "true"}});
        QTest::newRow("regex in a variable")
            << u"$CI_COMMIT_REF_NAME =~ $RELEASE_PATTERN"_qs
            << vars(
                   {{"CI_COMMIT_REF_NAME", "v16.4-stable"}, {"RELEASE_PATTERN", "/^v\\d+\\.\\d+/"}})
            << vars({{"CI_COMMIT_REF_NAME", "v16"}, {"RELEASE_PATTERN", "/^v\\d+\\.\\d+/"}});
        QTest::newRow("quoted with grouping")
            << u"($A == \"1\") || $B"_qs << vars({{"A", "1"}}) << vars({{"A", "2"}});
        QTest::newRow("tag or branch") << u"$CI_COMMIT_TAG || $CI_COMMIT_BRANCH"_qs
                                       << vars({{"CI_COMMIT_BRANCH", "main"}}) << vars({});
        QTest::newRow("workflow: branch with open MR")
            << u"$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS"_qs
            << vars({{"CI_COMMIT_BRANCH", "f"}, {"CI_OPEN_MERGE_REQUESTS", "g/p!1"}})
            << vars({{"CI_COMMIT_BRANCH", "f"}});
        QTest::newRow("workflow: branch")
            << u"$CI_COMMIT_BRANCH"_qs << vars({{"CI_COMMIT_BRANCH", "f"}})
            << vars({{"CI_COMMIT_TAG", "v1"}});
        QTest::newRow("true is a string")
            << u"$FLAG == \"true\""_qs << vars({{"FLAG", "true"}}) << vars({{"FLAG", "1"}});
        QTest::newRow("no numbers")
            << u"\"10\" == $X"_qs << vars({{"X", "10"}}) << vars({{"X", "010"}});
    }
    void referenceExamples()
    {
        QFETCH(QString, expression);
        QFETCH(Variables, matching);
        QFETCH(Variables, notMatching);
        const Expression e = Expression::parse(expression);
        QVERIFY2(e.isValid(), qPrintable(e.error() ? e.error()->message : QString()));
        QVERIFY(e.evaluate(matching));
        QVERIFY(!e.evaluate(notMatching));
    }
};

QTEST_GUILESS_MAIN(TestExpr)
#include "tst_expr.moc"
