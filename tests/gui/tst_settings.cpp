#include "codeeditor.h"
#include "editortabs.h"
#include "settings.h"
#include "settingsdialog.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stagecraft::gui;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"StagecraftTest"_qs);
        QCoreApplication::setApplicationName(u"tst_settings"_qs);
        QSettings().clear();
    }

    void roundTrip()
    {
        Settings s = Settings::load();
        QCOMPARE(s.validationDelayMs, 300);
        QVERIFY(s.shellcheck);
        QCOMPARE(s.theme, Theme::Kind::System);
        s.validationDelayMs = 750;
        s.shellcheck = false;
        s.theme = Theme::Kind::Dark;
        s.includeCacheDir = u"/tmp/cache"_qs;
        s.font.setPointSize(15);
        s.save();
        const Settings back = Settings::load();
        QCOMPARE(back.validationDelayMs, 750);
        QCOMPARE(back.shellcheck, false);
        QCOMPARE(back.theme, Theme::Kind::Dark);
        QCOMPARE(back.includeCacheDir, u"/tmp/cache");
        QCOMPARE(back.font.pointSize(), 15);
    }

    void recentProjectsMostRecentFirst()
    {
        for (int i = 0; i < 12; ++i)
            Settings::addRecentProject(u"/p/%1"_qs.arg(i));
        Settings::addRecentProject(u"/p/5/"_qs); // the same folder again moves to the front
        const QStringList recent = Settings::recentProjects();
        QCOMPARE(recent.size(), 10);
        QCOMPARE(recent.at(0), u"/p/5");
        QCOMPARE(recent.at(1), u"/p/11");
        QCOMPARE(recent.count(u"/p/5"_qs), 1);
    }

    void dialogEditsTheValues()
    {
        Settings s = Settings::load();
        s.validationDelayMs = 100;
        SettingsDialog dialog(s);
        auto *delay = dialog.findChild<QSpinBox *>();
        QVERIFY(delay);
        QList<QSpinBox *> spins = dialog.findChildren<QSpinBox *>();
        for (QSpinBox *spin : spins) {
            if (spin->suffix() == u" ms")
                spin->setValue(1200);
        }
        auto *theme = dialog.findChild<QComboBox *>(u"theme"_qs);
        theme->setCurrentIndex(theme->findData(int(Theme::Kind::Light)));
        const Settings edited = dialog.settings();
        QCOMPARE(edited.validationDelayMs, 1200);
        QCOMPARE(edited.theme, Theme::Kind::Light);
    }

    void runSettings()
    {
        Settings s = Settings::load();
        QCOMPARE(s.executor, u"shell");
        QCOMPARE(s.concurrency, 0);
        QVERIFY(!s.privileged);
        QVERIFY(!s.keepFailedEnvironment);
        SettingsDialog dialog(s);
        auto *executor = dialog.findChild<QComboBox *>(u"executor"_qs);
        auto *context = dialog.findChild<QComboBox *>(u"kubeContext"_qs);
        auto *privileged = dialog.findChild<QCheckBox *>(u"privileged"_qs);
        QVERIFY(executor && context && privileged);
        QVERIFY(!context->isEnabled());  // only for kubernetes
        QVERIFY(!privileged->isEnabled()); // no containers with the shell executor
        executor->setCurrentIndex(executor->findData(u"kubernetes"_qs));
        QVERIFY(context->isEnabled());
        QVERIFY(privileged->isEnabled());
        context->setCurrentText(u"kind-ci"_qs);
        privileged->setChecked(true);
        dialog.findChild<QCheckBox *>(u"keepFailed"_qs)->setChecked(true);
        dialog.findChild<QSpinBox *>(u"concurrency"_qs)->setValue(3);
        dialog.settings().save();
        const Settings back = Settings::load();
        QCOMPARE(back.executor, u"kubernetes");
        QCOMPARE(back.kubeContext, u"kind-ci");
        QVERIFY(back.privileged);
        QVERIFY(back.keepFailedEnvironment);
        QCOMPARE(back.concurrency, 3);
        // The contexts come from the Kubernetes backend when it provides them.
        SettingsDialog::setKubeContextProvider([] { return QStringList{u"a"_qs, u"b"_qs}; });
        SettingsDialog again(back);
        auto *contexts = again.findChild<QComboBox *>(u"kubeContext"_qs);
        QCOMPARE(contexts->count(), 2);
        QCOMPARE(contexts->currentText(), u"kind-ci");
        SettingsDialog::setKubeContextProvider({});
    }

    void editorsFollowTheDesktop()
    {
        QPalette light;
        light.setColor(QPalette::Window, Qt::white);
        EditorTabs tabs;
        tabs.setThemeKind(Theme::Kind::System);
        tabs.applyTheme(Theme::make(Theme::Kind::System, light), QFont());
        QTemporaryDir dir;
        tabs.setProjectRoot(dir.path());
        CodeEditor *editor = tabs.open(u"a.yml"_qs, true);
        QVERIFY(editor);
        QCOMPARE(editor->paper().lightness() > 128, true);
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        tabs.setPalette(dark); // what a desktop theme switch does
        QCOMPARE(editor->lexer()->defaultPaper().lightness() < 128, true);
    }

    void themes_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("darkDesktop");
        QTest::addColumn<bool>("dark");
        QTest::newRow("system on light") << int(Theme::Kind::System) << false << false;
        QTest::newRow("system on dark") << int(Theme::Kind::System) << true << true;
        QTest::newRow("dark on light") << int(Theme::Kind::Dark) << false << true;
        QTest::newRow("light on dark") << int(Theme::Kind::Light) << true << false;
    }
    void themes()
    {
        QFETCH(int, kind);
        QFETCH(bool, darkDesktop);
        QFETCH(bool, dark);
        QPalette desktop;
        desktop.setColor(QPalette::Window, darkDesktop ? QColor(0x20, 0x20, 0x20) : Qt::white);
        const Theme t = Theme::make(Theme::Kind(kind), desktop);
        QCOMPARE(t.dark, dark);
        QCOMPARE(t.paper.lightness() < 128, dark);
        const QPalette app = Theme::applicationPalette(Theme::Kind(kind), desktop);
        QCOMPARE(app.color(QPalette::Window).lightness() < 128, dark);
        QCOMPARE(Theme::kindFromName(Theme::nameOf(Theme::Kind(kind))), Theme::Kind(kind));
    }
};

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
