#include "diag/report.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace stagecraft::diag;

class TestReport : public QObject
{
    Q_OBJECT

private slots:
    void text()
    {
        Diagnostic d = make(Severity::Error, QStringLiteral("unknown-key"),
                            QStringLiteral("jobs:build config contains unknown keys: scripts"),
                            QStringLiteral(".gitlab-ci.yml"), 3, 5, 3, 12);
        d.hint = QStringLiteral("did you mean \"script\"?");
        QCOMPARE(formatText({d}),
                 QByteArray(".gitlab-ci.yml:3:5: error: jobs:build config contains unknown keys: "
                            "scripts [unknown-key]\n  hint: did you mean \"script\"?\n"));
    }

    void json()
    {
        const Diagnostic d = make(Severity::Warning, QStringLiteral("yaml-duplicate-key"),
                                  QStringLiteral("dup"), QStringLiteral("a.yml"), 2, 3, 2, 9);
        const QJsonObject root = QJsonDocument::fromJson(formatJson({d})).object();
        const QJsonObject o = root.value(QStringLiteral("diagnostics")).toArray().at(0).toObject();
        QCOMPARE(o.value(QStringLiteral("file")).toString(), QStringLiteral("a.yml"));
        QCOMPARE(o.value(QStringLiteral("line")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("column")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("endLine")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("endColumn")).toInt(), 9);
        QCOMPARE(o.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QCOMPARE(o.value(QStringLiteral("code")).toString(), QStringLiteral("yaml-duplicate-key"));
        QCOMPARE(o.value(QStringLiteral("message")).toString(), QStringLiteral("dup"));
    }

    void codeQuality()
    {
        const Diagnostic a = make(Severity::Error, QStringLiteral("c"), QStringLiteral("m"),
                                  QStringLiteral("a.yml"), 4, 1);
        const Diagnostic b = make(Severity::Info, QStringLiteral("c"), QStringLiteral("m"),
                                  QStringLiteral("a.yml"), 5, 1);
        const QJsonArray array = QJsonDocument::fromJson(formatCodeQuality({a, b})).array();
        QCOMPARE(array.size(), 2);
        const QJsonObject o = array.at(0).toObject();
        QCOMPARE(o.value(QStringLiteral("severity")).toString(), QStringLiteral("major"));
        QCOMPARE(o.value(QStringLiteral("check_name")).toString(), QStringLiteral("c"));
        QCOMPARE(o.value(QStringLiteral("location")).toObject().value(QStringLiteral("path")).toString(),
                 QStringLiteral("a.yml"));
        QCOMPARE(o.value(QStringLiteral("location"))
                     .toObject()
                     .value(QStringLiteral("lines"))
                     .toObject()
                     .value(QStringLiteral("begin"))
                     .toInt(),
                 4);
        // Fingerprints are stable and distinct.
        QVERIFY(o.value(QStringLiteral("fingerprint")).toString()
                != array.at(1).toObject().value(QStringLiteral("fingerprint")).toString());
        QCOMPARE(formatCodeQuality({a}), formatCodeQuality({a}));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
