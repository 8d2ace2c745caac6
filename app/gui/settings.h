#pragma once

#include "theme.h"

#include <QFont>
#include <QString>
#include <QStringList>

namespace stagecraft::gui {

/// The user's preferences, read from and written to QSettings in one place; the window passes
/// the values to the parts that need them.
struct Settings
{
    QFont font;
    Theme::Kind theme = Theme::Kind::System;
    int validationDelayMs = 300;
    bool shellcheck = true;
    QString includeCacheDir;
    int autosaveSeconds = 30;
    // Running pipelines (the engine's RunOptions and the executor).
    QString executor = QStringLiteral("shell"); ///< shell, docker, kubernetes
    bool privileged = false;
    bool keepFailedEnvironment = false;
    int concurrency = 0; ///< 0: number of cores
    QString registry;    ///< CI_REGISTRY; empty: the server's (registry.gitlab.com)
    QString kubeContext; ///< empty: the kubeconfig's current context
    // The executors' own settings (exec::BackendSettings).
    QString dockerHost;            ///< empty: DOCKER_HOST, else the default socket
    QString dockerDefaultImage;    ///< jobs without `image:`; empty: the backend's default
    QString dockerPullPolicy;      ///< always, if-not-present, never; empty: the backend's default
    QString kubeNamespace;         ///< empty: the backend's default
    QString kubeHelperImage;       ///< empty: the backend's default
    bool kubeMountProject = false; ///< mount the project folder into the pods (hostPath)
    QString kubeServiceAccount;    ///< empty: the namespace's default
    QString kubePullPolicy;        ///< Always, IfNotPresent, Never; empty: the cluster's default
    QString kubeCpuRequest, kubeCpuLimit, kubeMemoryRequest, kubeMemoryLimit; ///< quantities
    QString kubeNodeSelector; ///< "key=value, key=value"
    QString kubeCacheClaim;   ///< PersistentVolumeClaim mounted at /cache; empty: none

    static Settings load();
    void save() const;

    static QStringList recentProjects();
    /// Puts `folder` first in the recent list (at most 10 entries).
    static void addRecentProject(const QString &folder);
};

} // namespace stagecraft::gui
