#include "problemsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace stagecraft;
using gui::ProblemsModel;

namespace {
diag::Diagnostics sample()
{
    diag::Diagnostics list;
    list << diag::make(diag::Severity::Error, QStringLiteral("yaml-syntax"),
                       QStringLiteral("end of sequence flow not found"),
                       QStringLiteral(".gitlab-ci.yml"), 3, 6, 3, 6);
    list << diag::make(diag::Severity::Warning, QStringLiteral("duplicate-key"),
                       QStringLiteral("duplicate key 'script'"), QStringLiteral("ci/build.yml"), 12,
                       3, 12, 9);
    list << diag::make(diag::Severity::Info, QStringLiteral("include-offline"),
                       QStringLiteral("remote include not checked offline"));
    list[1].hint = QStringLiteral("the last value wins");
    return list;
}
} // namespace

class TestProblemsModel : public QObject
{
    Q_OBJECT

private slots:
    void modelTester()
    {
        ProblemsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(ProblemsModel::ColumnCount));
        model.setDiagnostics(sample());
        QCOMPARE(model.rowCount(), 3);
        model.setDiagnostics(sample().mid(1, 1));
        QCOMPARE(model.rowCount(), 1);
        model.setDiagnostics({});
        QCOMPARE(model.rowCount(), 0);
    }

    void resetSignals()
    {
        ProblemsModel model;
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDiagnostics(sample());
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.diagnostics(), sample());
    }

    void display_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("text");
        QTest::newRow("error severity") << 0 << int(ProblemsModel::SeverityColumn) << "Error";
        QTest::newRow("error message")
            << 0 << int(ProblemsModel::MessageColumn) << "end of sequence flow not found";
        QTest::newRow("error file") << 0 << int(ProblemsModel::FileColumn) << ".gitlab-ci.yml";
        QTest::newRow("error position") << 0 << int(ProblemsModel::PositionColumn) << "3:6";
        QTest::newRow("warning severity") << 1 << int(ProblemsModel::SeverityColumn) << "Warning";
        QTest::newRow("warning file") << 1 << int(ProblemsModel::FileColumn) << "ci/build.yml";
        QTest::newRow("warning position") << 1 << int(ProblemsModel::PositionColumn) << "12:3";
        QTest::newRow("info severity") << 2 << int(ProblemsModel::SeverityColumn) << "Info";
        QTest::newRow("no position") << 2 << int(ProblemsModel::PositionColumn) << "";
        QTest::newRow("no file") << 2 << int(ProblemsModel::FileColumn) << "";
        QTest::newRow("error code") << 0 << int(ProblemsModel::CodeColumn) << "yaml-syntax";
        QTest::newRow("info code") << 2 << int(ProblemsModel::CodeColumn) << "include-offline";
    }
    void display()
    {
        QFETCH(int, row);
        QFETCH(int, column);
        QFETCH(QString, text);
        ProblemsModel model;
        model.setDiagnostics(sample());
        QCOMPARE(model.index(row, column).data(Qt::DisplayRole).toString(), text);
    }

    void roles()
    {
        ProblemsModel model;
        model.setDiagnostics(sample());
        const QModelIndex warning = model.index(1, ProblemsModel::MessageColumn);
        QCOMPARE(warning.data(ProblemsModel::SeverityRole).toInt(), int(diag::Severity::Warning));
        QCOMPARE(warning.data(ProblemsModel::CodeRole).toString(), u"duplicate-key");
        QCOMPARE(warning.data(ProblemsModel::FileRole).toString(), u"ci/build.yml");
        QCOMPARE(warning.data(ProblemsModel::LineRole).toInt(), 12);
        QCOMPARE(warning.data(ProblemsModel::ColumnRole).toInt(), 3);
        QCOMPARE(warning.data(ProblemsModel::EndLineRole).toInt(), 12);
        QCOMPARE(warning.data(ProblemsModel::EndColumnRole).toInt(), 9);
        QCOMPARE(warning.data(Qt::ToolTipRole).toString(),
                 u"duplicate key 'script'\nthe last value wins\n[duplicate-key]");
        QCOMPARE(int(ProblemsModel::SeverityRole), int(Qt::UserRole));
        QCOMPARE(model.roleNames().value(ProblemsModel::LineRole), QByteArray("line"));

        const QModelIndex icon = model.index(0, ProblemsModel::SeverityColumn);
        QVERIFY(!icon.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(!model.index(0, ProblemsModel::MessageColumn).data(Qt::DecorationRole).isValid());
    }

    void accessors()
    {
        ProblemsModel model;
        model.setDiagnostics(sample());
        QCOMPARE(model.count(diag::Severity::Error), 1);
        QCOMPARE(model.count(diag::Severity::Warning), 1);
        QCOMPARE(model.count(diag::Severity::Info), 1);
        const diag::Diagnostic *d = model.diagnostic(model.index(1, 2));
        QVERIFY(d);
        QCOMPARE(d->code, u"duplicate-key");
        QCOMPARE(model.diagnostic(QModelIndex()), nullptr);
        QCOMPARE(model.diagnostic(model.index(3, 0)), nullptr);
    }

    void headers()
    {
        ProblemsModel model;
        const QStringList expected{u"Severity"_qs, u"Message"_qs, u"File"_qs, u"Line:Col"_qs,
                                   u"Code"_qs};
        QCOMPARE(expected.size(), int(ProblemsModel::ColumnCount));
        for (int c = 0; c < ProblemsModel::ColumnCount; ++c)
            QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), expected.at(c));
    }
};

QTEST_MAIN(TestProblemsModel)
#include "tst_problemsmodel.moc"
