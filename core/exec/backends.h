#pragma once

#include "exec/backend.h"

#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <memory>

namespace stagecraft::exec {

/// What the user configured for the executors (settings, command line). Each backend reads the
/// fields it knows; `extra` carries backend-specific settings without changing this struct.
struct BackendSettings
{
    QString dockerHost; ///< empty: DOCKER_HOST, else the default socket
    bool privileged = false;
    QString kubeContext; ///< empty: the kubeconfig's current context
    QString kubeNamespace;
    QVariantMap extra;
    // Added last: aggregate initialisations of the fields above keep their meaning.
    /// Docker: the image of jobs without `image:`; empty: `busybox:latest`.
    QString dockerDefaultImage;
    /// Docker: the image of the service health checks (sh, nc, timeout); empty: `busybox:latest`.
    QString dockerHelperImage;
    /// Docker: pull policies when a job's image has none; empty: `if-not-present`.
    QStringList dockerPullPolicy;
};

/// The backend for an executor id (`shell`, `docker`, `kubernetes`). Nothing, with `error` set,
/// for an unknown id: "Unknown executor "x"; use shell, docker or kubernetes".
std::unique_ptr<Backend> createBackend(const QString &id, const BackendSettings &settings,
                                       QString *error = nullptr);

} // namespace stagecraft::exec
