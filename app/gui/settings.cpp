#include "settings.h"

#include <QDir>
#include <QFontDatabase>
#include <QSettings>

namespace stagecraft::gui {

namespace {
constexpr int maxRecent = 10;
}

Settings Settings::load()
{
    QSettings s;
    Settings out;
    out.font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QString font = s.value(u"editor/font"_qs).toString();
    if (!font.isEmpty())
        out.font.fromString(font);
    out.theme = Theme::kindFromName(s.value(u"editor/theme"_qs).toString());
    out.validationDelayMs = qBound(0, s.value(u"lint/delayMs"_qs, 300).toInt(), 10000);
    out.shellcheck = s.value(u"lint/shellcheck"_qs, true).toBool();
    out.includeCacheDir = s.value(u"lint/includeCacheDir"_qs).toString();
    out.autosaveSeconds = qBound(5, s.value(u"recovery/autosaveSeconds"_qs, 30).toInt(), 3600);
    const QString executor = s.value(u"run/executor"_qs, out.executor).toString();
    if (executor == u"shell" || executor == u"docker" || executor == u"kubernetes")
        out.executor = executor;
    out.privileged = s.value(u"run/privileged"_qs, false).toBool();
    out.keepFailedEnvironment = s.value(u"run/keepFailedEnvironment"_qs, false).toBool();
    out.concurrency = qBound(0, s.value(u"run/concurrency"_qs, 0).toInt(), 64);
    out.registry = s.value(u"run/registry"_qs).toString();
    out.kubeContext = s.value(u"run/kubeContext"_qs).toString();
    out.dockerHost = s.value(u"docker/host"_qs).toString();
    out.dockerDefaultImage = s.value(u"docker/defaultImage"_qs).toString();
    const QString policy = s.value(u"docker/pullPolicy"_qs).toString();
    if (policy == u"always" || policy == u"if-not-present" || policy == u"never")
        out.dockerPullPolicy = policy;
    out.kubeNamespace = s.value(u"kubernetes/namespace"_qs).toString();
    out.kubeHelperImage = s.value(u"kubernetes/helperImage"_qs).toString();
    out.kubeMountProject = s.value(u"kubernetes/mountProject"_qs, false).toBool();
    out.kubeServiceAccount = s.value(u"kubernetes/serviceAccount"_qs).toString();
    // Kubernetes' own spelling: the backend refuses anything else.
    const QString kubePolicy = s.value(u"kubernetes/pullPolicy"_qs).toString();
    if (kubePolicy == u"Always" || kubePolicy == u"IfNotPresent" || kubePolicy == u"Never")
        out.kubePullPolicy = kubePolicy;
    out.kubeCpuRequest = s.value(u"kubernetes/cpuRequest"_qs).toString();
    out.kubeCpuLimit = s.value(u"kubernetes/cpuLimit"_qs).toString();
    out.kubeMemoryRequest = s.value(u"kubernetes/memoryRequest"_qs).toString();
    out.kubeMemoryLimit = s.value(u"kubernetes/memoryLimit"_qs).toString();
    out.kubeNodeSelector = s.value(u"kubernetes/nodeSelector"_qs).toString();
    out.kubeCacheClaim = s.value(u"kubernetes/cacheClaim"_qs).toString();
    return out;
}

void Settings::save() const
{
    QSettings s;
    s.setValue(u"editor/font"_qs, font.toString());
    s.setValue(u"editor/theme"_qs, Theme::nameOf(theme));
    s.setValue(u"lint/delayMs"_qs, validationDelayMs);
    s.setValue(u"lint/shellcheck"_qs, shellcheck);
    s.setValue(u"lint/includeCacheDir"_qs, includeCacheDir);
    s.setValue(u"recovery/autosaveSeconds"_qs, autosaveSeconds);
    s.setValue(u"run/executor"_qs, executor);
    s.setValue(u"run/privileged"_qs, privileged);
    s.setValue(u"run/keepFailedEnvironment"_qs, keepFailedEnvironment);
    s.setValue(u"run/concurrency"_qs, concurrency);
    s.setValue(u"run/registry"_qs, registry);
    s.setValue(u"run/kubeContext"_qs, kubeContext);
    s.setValue(u"docker/host"_qs, dockerHost);
    s.setValue(u"docker/defaultImage"_qs, dockerDefaultImage);
    s.setValue(u"docker/pullPolicy"_qs, dockerPullPolicy);
    s.setValue(u"kubernetes/namespace"_qs, kubeNamespace);
    s.setValue(u"kubernetes/helperImage"_qs, kubeHelperImage);
    s.setValue(u"kubernetes/mountProject"_qs, kubeMountProject);
    s.setValue(u"kubernetes/serviceAccount"_qs, kubeServiceAccount);
    s.setValue(u"kubernetes/pullPolicy"_qs, kubePullPolicy);
    s.setValue(u"kubernetes/cpuRequest"_qs, kubeCpuRequest);
    s.setValue(u"kubernetes/cpuLimit"_qs, kubeCpuLimit);
    s.setValue(u"kubernetes/memoryRequest"_qs, kubeMemoryRequest);
    s.setValue(u"kubernetes/memoryLimit"_qs, kubeMemoryLimit);
    s.setValue(u"kubernetes/nodeSelector"_qs, kubeNodeSelector);
    s.setValue(u"kubernetes/cacheClaim"_qs, kubeCacheClaim);
}

QStringList Settings::recentProjects()
{
    return QSettings().value(u"projects/recent"_qs).toStringList();
}

void Settings::addRecentProject(const QString &folder)
{
    QSettings s;
    QStringList list = s.value(u"projects/recent"_qs).toStringList();
    const QString clean = QDir::cleanPath(QDir(folder).absolutePath());
    list.removeAll(clean);
    list.prepend(clean);
    while (list.size() > maxRecent)
        list.removeLast();
    s.setValue(u"projects/recent"_qs, list);
}

} // namespace stagecraft::gui
