#include "ci/linter.h"

#include <QTest>

using namespace stagecraft;

class TestLinter : public QObject
{
    Q_OBJECT

private slots:
    void inheritedMistakeReportedOnce()
    {
        ci::ResolveOptions options;
        options.projectRoot = QStringLiteral("/nonexistent-project");
        options.overlay.insert(QStringLiteral(".gitlab-ci.yml"),
                               ".base:\n  script: make\n  when: sometimes\n"
                               "a:\n  extends: .base\nb:\n  extends: .base\nc:\n  extends: .base\n");
        const ci::LintResult result = ci::lint(options);
        diag::Diagnostics errors;
        for (const diag::Diagnostic &d : result.diagnostics) {
            if (d.isError())
                errors.append(d);
        }
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().range.start.line, 3);
        QCOMPARE(errors.first().range.start.column, 9);
        QVERIFY2(errors.first().hint.contains(QStringLiteral("2 more job")),
                 qPrintable(errors.first().hint));
    }

    void sortedByPosition()
    {
        ci::ResolveOptions options;
        options.projectRoot = QStringLiteral("/nonexistent-project");
        options.overlay.insert(QStringLiteral(".gitlab-ci.yml"),
                               "b:\n  script: x\n  stage: nope\na:\n  script: y\n  when: later\n");
        const ci::LintResult result = ci::lint(options);
        QVERIFY(result.diagnostics.size() >= 2);
        for (qsizetype i = 1; i < result.diagnostics.size(); ++i) {
            QVERIFY(result.diagnostics[i - 1].range.start.line
                    <= result.diagnostics[i].range.start.line);
        }
    }
};

QTEST_GUILESS_MAIN(TestLinter)
#include "tst_linter.moc"
