#include "codeeditor.h"
#include "editortabs.h"
#include "exec/kube/kubebackend.h"
#include "runcontroller.h"
#include "settings.h"
#include "settingsdialog.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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
        QVERIFY(!context->isEnabled());    // only for kubernetes
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
        SettingsDialog::setKubeContextProvider([] {
            return QList<SettingsDialog::KubeContext>{{u"a"_qs, QString()}, {u"b"_qs, QString()}};
        });
        SettingsDialog again(back);
        auto *contexts = again.findChild<QComboBox *>(u"kubeContext"_qs);
        QCOMPARE(contexts->count(), 2);
        QCOMPARE(contexts->currentText(), u"kind-ci");
        QCOMPARE(again.settings().kubeContext, u"kind-ci");
        SettingsDialog::setKubeContextProvider({});
    }

    void executorSettings_data()
    {
        QTest::addColumn<QString>("executor");
        QTest::addColumn<bool>("docker");
        QTest::addColumn<bool>("kubernetes");
        QTest::newRow("shell") << u"shell"_qs << false << false;
        QTest::newRow("docker") << u"docker"_qs << true << false;
        QTest::newRow("kubernetes") << u"kubernetes"_qs << false << true;
    }

    void executorSettings()
    {
        QFETCH(QString, executor);
        QFETCH(bool, docker);
        QFETCH(bool, kubernetes);
        QSettings().clear();
        Settings s = Settings::load();
        QCOMPARE(s.dockerHost, QString());
        QCOMPARE(s.dockerDefaultImage, QString());
        QCOMPARE(s.dockerPullPolicy, QString());
        QCOMPARE(s.kubeNamespace, QString());
        QCOMPARE(s.kubeHelperImage, QString());
        QVERIFY(!s.kubeMountProject);
        SettingsDialog::setKubeContextProvider([] {
            return QList<SettingsDialog::KubeContext>{{u"minikube"_qs, u"Minikube"_qs},
                                                      {u"microk8s"_qs, u"MicroK8s"_qs},
                                                      {u"prod"_qs, QString()}};
        });
        SettingsDialog dialog(s);
        auto *executorBox = dialog.findChild<QComboBox *>(u"executor"_qs);
        auto *dockerGroup = dialog.findChild<QGroupBox *>(u"dockerGroup"_qs);
        auto *kubeGroup = dialog.findChild<QGroupBox *>(u"kubeGroup"_qs);
        auto *host = dialog.findChild<QLineEdit *>(u"dockerHost"_qs);
        auto *image = dialog.findChild<QLineEdit *>(u"dockerImage"_qs);
        auto *policy = dialog.findChild<QComboBox *>(u"pullPolicy"_qs);
        auto *context = dialog.findChild<QComboBox *>(u"kubeContext"_qs);
        auto *ns = dialog.findChild<QLineEdit *>(u"kubeNamespace"_qs);
        auto *helper = dialog.findChild<QLineEdit *>(u"kubeHelperImage"_qs);
        auto *mount = dialog.findChild<QCheckBox *>(u"kubeMount"_qs);
        QVERIFY(executorBox && dockerGroup && kubeGroup && host && image && policy && context &&
                ns && helper && mount);
        // The empty host says what is used instead.
        const QByteArray env = qgetenv("DOCKER_HOST");
        QCOMPARE(host->placeholderText(),
                 env.isEmpty() ? u"unix:///var/run/docker.sock (the default socket)"_qs
                               : QString::fromLocal8Bit(env) + u" (DOCKER_HOST)"_qs);
        QCOMPARE(image->placeholderText(), u"busybox:latest");
        QCOMPARE(policy->currentText(), u"If not present (default)");
        // Contexts with their kind; the current one of the kubeconfig when none is chosen.
        QCOMPARE(context->count(), 3);
        QCOMPARE(context->itemText(0), u"minikube (Minikube)");
        QCOMPARE(context->itemText(1), u"microk8s (MicroK8s)");
        QCOMPARE(context->itemText(2), u"prod");
        QCOMPARE(dialog.settings().kubeContext, QString());

        executorBox->setCurrentIndex(executorBox->findData(executor));
        QCOMPARE(dockerGroup->isEnabled(), docker);
        QCOMPARE(kubeGroup->isEnabled(), kubernetes);
        host->setText(u" tcp://127.0.0.1:2375 "_qs);
        image->setText(u"alpine:3.20"_qs);
        policy->setCurrentIndex(policy->findText(u"Never"_qs));
        context->setCurrentIndex(0);
        QCOMPARE(context->currentText(), u"minikube (Minikube)");
        ns->setText(u"ci"_qs);
        helper->setText(u"registry.local/helper:1"_qs);
        mount->setChecked(true);
        auto *registry = dialog.findChild<QLineEdit *>(u"registry"_qs);
        QVERIFY(registry);
        QCOMPARE(registry->placeholderText(), u"registry.gitlab.com");
        registry->setText(u" localhost:5000 "_qs);
        dialog.settings().save();
        const Settings back = Settings::load();
        QCOMPARE(back.executor, executor);
        QCOMPARE(back.dockerHost, u"tcp://127.0.0.1:2375");
        QCOMPARE(back.dockerDefaultImage, u"alpine:3.20");
        QCOMPARE(back.dockerPullPolicy, u"never");
        QCOMPARE(back.kubeContext, u"minikube"); // the name, not what the list shows
        QCOMPARE(back.kubeNamespace, u"ci");
        QCOMPARE(back.kubeHelperImage, u"registry.local/helper:1");
        QVERIFY(back.kubeMountProject);
        QCOMPARE(back.registry, u"localhost:5000");

        // Shown again as saved; a context typed by hand stays as typed.
        SettingsDialog again(back);
        auto *context2 = again.findChild<QComboBox *>(u"kubeContext"_qs);
        QCOMPARE(context2->currentText(), u"minikube (Minikube)");
        QCOMPARE(again.findChild<QComboBox *>(u"pullPolicy"_qs)->currentText(), u"Never");
        QCOMPARE(again.findChild<QLineEdit *>(u"dockerHost"_qs)->text(), u"tcp://127.0.0.1:2375");
        context2->setEditText(u"kind-other"_qs);
        QCOMPARE(again.settings().kubeContext, u"kind-other");
        SettingsDialog::setKubeContextProvider({});

        // A pull policy the backend does not know is not read back.
        QSettings().setValue(u"docker/pullPolicy"_qs, u"sometimes"_qs);
        QCOMPARE(Settings::load().dockerPullPolicy, QString());
    }

    void kubernetesSettings()
    {
        QSettings().clear();
        const Settings s = Settings::load();
        // Empty by default: the backend's (or the cluster's) defaults.
        QCOMPARE(s.kubeServiceAccount, QString());
        QCOMPARE(s.kubePullPolicy, QString());
        QCOMPARE(s.kubeCpuRequest, QString());
        QCOMPARE(s.kubeCpuLimit, QString());
        QCOMPARE(s.kubeMemoryRequest, QString());
        QCOMPARE(s.kubeMemoryLimit, QString());
        QCOMPARE(s.kubeNodeSelector, QString());
        QCOMPARE(s.kubeCacheClaim, QString());
        SettingsDialog dialog(s);
        auto *executor = dialog.findChild<QComboBox *>(u"executor"_qs);
        auto *account = dialog.findChild<QLineEdit *>(u"kubeServiceAccount"_qs);
        auto *policy = dialog.findChild<QComboBox *>(u"kubePullPolicy"_qs);
        auto *cpuRequest = dialog.findChild<QLineEdit *>(u"kubeCpuRequest"_qs);
        auto *cpuLimit = dialog.findChild<QLineEdit *>(u"kubeCpuLimit"_qs);
        auto *memoryRequest = dialog.findChild<QLineEdit *>(u"kubeMemoryRequest"_qs);
        auto *memoryLimit = dialog.findChild<QLineEdit *>(u"kubeMemoryLimit"_qs);
        auto *selector = dialog.findChild<QLineEdit *>(u"kubeNodeSelector"_qs);
        auto *claim = dialog.findChild<QLineEdit *>(u"kubeCacheClaim"_qs);
        auto *error = dialog.findChild<QLabel *>(u"kubeError"_qs);
        QVERIFY(executor && account && policy && cpuRequest && cpuLimit && memoryRequest &&
                memoryLimit && selector && claim && error);
        QVERIFY(!account->isEnabled()); // the Kubernetes group is for the kubernetes executor
        executor->setCurrentIndex(executor->findData(u"kubernetes"_qs));
        QVERIFY(account->isEnabled());
        // What an empty field means is shown.
        QCOMPARE(policy->currentText(), u"Cluster default");
        QStringList policies;
        for (int i = 0; i < policy->count(); ++i)
            policies << policy->itemText(i);
        QCOMPARE(policies, (QStringList{u"Cluster default"_qs, u"Always"_qs, u"IfNotPresent"_qs,
                                        u"Never"_qs}));
        QCOMPARE(cpuRequest->placeholderText(), u"Request, e.g. 500m");
        QCOMPARE(memoryLimit->placeholderText(), u"Limit, e.g. 1Gi");
        QCOMPARE(selector->placeholderText(), u"disktype=ssd, zone=a");
        QCOMPARE(account->placeholderText(), u"The namespace's default");
        QVERIFY(error->isHidden());

        account->setText(u" ci-runner "_qs);
        policy->setCurrentIndex(policy->findText(u"IfNotPresent"_qs));
        cpuRequest->setText(u"500m"_qs);
        cpuLimit->setText(u"2"_qs);
        memoryRequest->setText(u"512Mi"_qs);
        memoryLimit->setText(u"1Gi"_qs);
        selector->setText(u"disktype=ssd, kubernetes.io/arch=amd64"_qs);
        claim->setText(u"stagecraft-cache"_qs);
        QVERIFY(error->isHidden());
        dialog.settings().save();

        const Settings back = Settings::load();
        QCOMPARE(back.kubeServiceAccount, u"ci-runner");
        QCOMPARE(back.kubePullPolicy, u"IfNotPresent");
        QCOMPARE(back.kubeCpuRequest, u"500m");
        QCOMPARE(back.kubeCpuLimit, u"2");
        QCOMPARE(back.kubeMemoryRequest, u"512Mi");
        QCOMPARE(back.kubeMemoryLimit, u"1Gi");
        QCOMPARE(back.kubeNodeSelector, u"disktype=ssd, kubernetes.io/arch=amd64");
        QCOMPARE(back.kubeCacheClaim, u"stagecraft-cache");
        QCOMPARE(QSettings().value(u"kubernetes/cpuRequest"_qs).toString(), u"500m");

        // Shown again as saved.
        SettingsDialog again(back);
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeServiceAccount"_qs)->text(), u"ci-runner");
        QCOMPARE(again.findChild<QComboBox *>(u"kubePullPolicy"_qs)->currentText(),
                 u"IfNotPresent");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeCpuRequest"_qs)->text(), u"500m");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeCpuLimit"_qs)->text(), u"2");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeMemoryRequest"_qs)->text(), u"512Mi");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeMemoryLimit"_qs)->text(), u"1Gi");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeNodeSelector"_qs)->text(),
                 u"disktype=ssd, kubernetes.io/arch=amd64");
        QCOMPARE(again.findChild<QLineEdit *>(u"kubeCacheClaim"_qs)->text(), u"stagecraft-cache");
        QCOMPARE(again.settings().kubeCacheClaim, u"stagecraft-cache");

        // A pull policy Kubernetes does not know is not read back.
        QSettings().setValue(u"kubernetes/pullPolicy"_qs, u"sometimes"_qs);
        QCOMPARE(Settings::load().kubePullPolicy, QString());
    }

    void kubernetesSettingsReachTheBackend()
    {
        Settings s;
        s.executor = u"kubernetes"_qs;
        s.kubeContext = u"minikube"_qs;
        s.kubeNamespace = u"ci"_qs;
        s.kubeHelperImage = u"registry.local/helper:1"_qs;
        s.kubeMountProject = true;
        s.kubeServiceAccount = u"ci-runner"_qs;
        s.kubePullPolicy = u"Never"_qs;
        s.kubeCpuRequest = u"250m"_qs;
        s.kubeCpuLimit = u"1.5"_qs;
        s.kubeMemoryRequest = u"256Mi"_qs;
        s.kubeMemoryLimit = u"2Gi"_qs;
        s.kubeNodeSelector = u"disktype=ssd, zone=a"_qs;
        s.kubeCacheClaim = u"stagecraft-cache"_qs;
        const RunRequest request = runRequestFrom(s);
        QCOMPARE(request.executor, u"kubernetes");
        QCOMPARE(request.kubeServiceAccount, u"ci-runner");
        QCOMPARE(request.kubePullPolicy, u"Never");
        QCOMPARE(request.kubeCpuRequest, u"250m");
        QCOMPARE(request.kubeCpuLimit, u"1.5");
        QCOMPARE(request.kubeMemoryRequest, u"256Mi");
        QCOMPARE(request.kubeMemoryLimit, u"2Gi");
        QCOMPARE(request.kubeNodeSelector, u"disktype=ssd, zone=a");
        QCOMPARE(request.kubeCacheClaim, u"stagecraft-cache");

        const stagecraft::exec::BackendSettings backend = backendSettings(request);
        QCOMPARE(backend.kubeContext, u"minikube");
        QCOMPARE(backend.kubeNamespace, u"ci");
        const QVariantMap &x = backend.extra;
        QCOMPARE(x.value(u"kubeHelperImage"_qs).toString(), u"registry.local/helper:1");
        QCOMPARE(x.value(u"kubeMountProjectFolder"_qs).toBool(), true);
        QCOMPARE(x.value(u"kubeServiceAccount"_qs).toString(), u"ci-runner");
        QCOMPARE(x.value(u"kubePullPolicy"_qs).toString(), u"Never");
        QCOMPARE(x.value(u"kubeCpuRequest"_qs).toString(), u"250m");
        QCOMPARE(x.value(u"kubeCpuLimit"_qs).toString(), u"1.5");
        QCOMPARE(x.value(u"kubeMemoryRequest"_qs).toString(), u"256Mi");
        QCOMPARE(x.value(u"kubeMemoryLimit"_qs).toString(), u"2Gi");
        QCOMPARE(x.value(u"kubeNodeSelector"_qs).toString(), u"disktype=ssd, zone=a");
        QCOMPARE(x.value(u"kubeCacheClaim"_qs).toString(), u"stagecraft-cache");

        // And the backend reads them as meant.
        const stagecraft::exec::kube::Settings kube = stagecraft::exec::kube::settingsFrom(backend);
        QCOMPARE(kube.serviceAccount, u"ci-runner");
        QCOMPARE(kube.pullPolicy, u"Never");
        QCOMPARE(kube.cpuRequest, u"250m");
        QCOMPARE(kube.cpuLimit, u"1.5");
        QCOMPARE(kube.memoryRequest, u"256Mi");
        QCOMPARE(kube.memoryLimit, u"2Gi");
        QCOMPARE(kube.nodeSelector,
                 (QMap<QString, QString>{{u"disktype"_qs, u"ssd"_qs}, {u"zone"_qs, u"a"_qs}}));
        QCOMPARE(kube.cacheClaim, u"stagecraft-cache");
        QVERIFY(kube.mountProjectFolder);
        QCOMPARE(stagecraft::exec::kube::settingsError(kube), QString());

        // Empty fields leave the backend's defaults.
        const stagecraft::exec::kube::Settings defaults =
            stagecraft::exec::kube::settingsFrom(backendSettings(runRequestFrom(Settings())));
        QCOMPARE(defaults.serviceAccount, QString());
        QCOMPARE(defaults.pullPolicy, QString());
        QCOMPARE(defaults.cpuLimit, QString());
        QVERIFY(defaults.nodeSelector.isEmpty());
        QCOMPARE(defaults.cacheClaim, QString());
    }

    void badKubernetesSettings_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        const QString notQuantity =
            u"\"%1\" is not a Kubernetes quantity (such as 500m, 2, 512Mi or 1Gi)"_qs;
        QTest::newRow("cpu request") << u"kubeCpuRequest"_qs << u"500x"_qs
                                     << u"Kubernetes CPU request: "_qs + notQuantity.arg(u"500x");
        QTest::newRow("cpu limit") << u"kubeCpuLimit"_qs << u"two"_qs
                                   << u"Kubernetes CPU limit: "_qs + notQuantity.arg(u"two");
        QTest::newRow("memory request")
            << u"kubeMemoryRequest"_qs << u"-1Gi"_qs
            << u"Kubernetes memory request: "_qs + notQuantity.arg(u"-1Gi");
        QTest::newRow("memory limit") << u"kubeMemoryLimit"_qs << u"1GB"_qs
                                      << u"Kubernetes memory limit: "_qs + notQuantity.arg(u"1GB");
        QTest::newRow("selector key")
            << u"kubeNodeSelector"_qs << u"disk type=ssd"_qs
            << u"Kubernetes node selector: \"disk type\" is not a label key"_qs;
        QTest::newRow("selector value")
            << u"kubeNodeSelector"_qs << u"zone=a b"_qs
            << u"Kubernetes node selector: \"a b\" is not a label value (for zone)"_qs;
    }

    void badKubernetesSettings()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QSettings().clear();
        SettingsDialog dialog(Settings::load());
        auto *executor = dialog.findChild<QComboBox *>(u"executor"_qs);
        executor->setCurrentIndex(executor->findData(u"kubernetes"_qs));
        auto *edit = dialog.findChild<QLineEdit *>(field);
        auto *error = dialog.findChild<QLabel *>(u"kubeError"_qs);
        QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(edit && error && ok);
        QVERIFY(ok->isEnabled());
        // Checked as the user types, in the words the backend uses at run start.
        QTest::keyClicks(edit, value);
        QCOMPARE(error->text(), message);
        QVERIFY(!error->isHidden());
        QVERIFY(!ok->isEnabled());
        QCOMPARE(dialog.error(), message);
        // Neither OK nor Enter in the field gets it saved.
        QTest::keyClick(edit, Qt::Key_Return);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        // Corrected, it can be saved.
        edit->clear();
        QVERIFY(error->isHidden());
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.error(), QString());
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void kubernetesGroupFits()
    {
        // Nothing cramped: every field of the Kubernetes group shows its whole placeholder at
        // the dialog's own size. STAGECRAFT_SCREENSHOT_DIR: where to save the picture.
        QSettings().clear();
        Settings s = Settings::load();
        s.executor = u"kubernetes"_qs;
        s.kubeCpuLimit = u"2x"_qs; // the error shows too
        SettingsDialog::setKubeContextProvider([] {
            return QList<SettingsDialog::KubeContext>{{u"minikube"_qs, u"Minikube"_qs}};
        });
        SettingsDialog dialog(s);
        SettingsDialog::setKubeContextProvider({});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *group = dialog.findChild<QGroupBox *>(u"kubeGroup"_qs);
        QVERIFY(group && group->isEnabled());
        const QList<QLineEdit *> edits = group->findChildren<QLineEdit *>();
        QVERIFY(edits.size() >= 9);
        for (QLineEdit *edit : edits) {
            if (edit->placeholderText().isEmpty())
                continue;
            const int needed = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
            QVERIFY2(needed + 8 <= edit->width(),
                     qPrintable(edit->objectName() + u": "_qs + edit->placeholderText()));
        }
        auto *error = dialog.findChild<QLabel *>(u"kubeError"_qs);
        QVERIFY(error->isVisible());
        QVERIFY(error->height() >= error->heightForWidth(error->width()));
        const QString dir = qEnvironmentVariable("STAGECRAFT_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            QVERIFY(dialog.grab().save(dir + u"/settings-kubernetes.png"_qs));
    }

    void contextsFromTheKubeconfig()
    {
        // The default provider reads the kubeconfig as kubectl does ($KUBECONFIG first) and
        // names the kind of the local clusters.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"config"_qs);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Config\n"
                   "clusters:\n"
                   "- name: minikube\n  cluster: {server: 'https://192.168.49.2:8443'}\n"
                   "- name: microk8s-cluster\n  cluster: {server: 'https://127.0.0.1:16443'}\n"
                   "- name: prod\n  cluster: {server: 'https://k8s.example.com:6443'}\n"
                   "contexts:\n"
                   "- name: minikube\n  context: {cluster: minikube, user: minikube}\n"
                   "- name: microk8s\n  context: {cluster: microk8s-cluster, user: admin}\n"
                   "- name: prod\n  context: {cluster: prod, user: me, namespace: ci}\n"
                   "current-context: prod\n"
                   "users:\n"
                   "- name: minikube\n  user: {token: a}\n"
                   "- name: admin\n  user: {token: b}\n"
                   "- name: me\n  user: {token: c}\n");
        file.close();
        const QByteArray saved = qgetenv("KUBECONFIG");
        qputenv("KUBECONFIG", QFile::encodeName(path));
        SettingsDialog::setKubeContextProvider(&SettingsDialog::kubeconfigContexts);
        Settings s = Settings::load();
        s.kubeContext = u"microk8s"_qs;
        SettingsDialog dialog(s);
        auto *context = dialog.findChild<QComboBox *>(u"kubeContext"_qs);
        QVERIFY(context);
        QStringList shown;
        for (int i = 0; i < context->count(); ++i)
            shown << context->itemText(i);
        QCOMPARE(shown,
                 (QStringList{u"minikube (Minikube)"_qs, u"microk8s (MicroK8s)"_qs, u"prod"_qs}));
        QCOMPARE(context->currentText(), u"microk8s (MicroK8s)");
        QCOMPARE(dialog.settings().kubeContext, u"microk8s");
        // No kubeconfig: nothing to choose from, the field stays free text.
        qputenv("KUBECONFIG", QFile::encodeName(dir.filePath(u"absent"_qs)));
        QVERIFY(SettingsDialog::kubeconfigContexts().isEmpty());
        if (saved.isNull())
            qunsetenv("KUBECONFIG");
        else
            qputenv("KUBECONFIG", saved);
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
