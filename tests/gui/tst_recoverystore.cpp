#include "recoverystore.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using stagecraft::gui::RecoveryStore;

class TestRecoveryStore : public QObject
{
    Q_OBJECT

private slots:
    void storeLoadClear()
    {
        QTemporaryDir folder;
        QTemporaryDir project;
        const RecoveryStore store(folder.path());
        QVERIFY(!store.has(project.path()));
        QVERIFY(store.load(project.path()).isEmpty());
        const QHash<QString, QByteArray> buffers{{u".gitlab-ci.yml"_qs, "a: 1\n"},
                                                 {u"ci/jobs.yml"_qs, "b: ü\n"},
                                                 {u"Dockerfile"_qs, QByteArray()}};
        QVERIFY(store.store(project.path(), buffers));
        QVERIFY(store.has(project.path()));
        QCOMPARE(store.load(project.path()), buffers);
        QCOMPARE(store.projects(), QStringList{project.path()});

        // A later autosave replaces the copy as a whole.
        QVERIFY(store.store(project.path(), {{u".gitlab-ci.yml"_qs, "a: 2\n"}}));
        QCOMPARE(store.load(project.path()).size(), 1);
        QCOMPARE(store.load(project.path()).value(u".gitlab-ci.yml"_qs), "a: 2\n");

        // Nothing unsaved any more: nothing to recover.
        QVERIFY(store.store(project.path(), {}));
        QVERIFY(!store.has(project.path()));
        QVERIFY(store.projects().isEmpty());
    }

    void projectsAreKeptApart()
    {
        QTemporaryDir folder;
        QTemporaryDir one;
        QTemporaryDir two;
        const RecoveryStore store(folder.path());
        QVERIFY(store.store(one.path(), {{u"x"_qs, "1"}}));
        QVERIFY(store.store(two.path(), {{u"x"_qs, "2"}}));
        QCOMPARE(store.load(one.path()).value(u"x"_qs), "1");
        QCOMPARE(store.load(two.path()).value(u"x"_qs), "2");
        store.clear(one.path());
        QVERIFY(!store.has(one.path()));
        QVERIFY(store.has(two.path()));
    }
};

QTEST_GUILESS_MAIN(TestRecoveryStore)
#include "tst_recoverystore.moc"
