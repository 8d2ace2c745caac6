#include "exec/backends.h"

#include "exec/docker/dockerbackend.h"
#include "exec/kube/kubebackend.h"
#include "exec/shell/shellbackend.h"

#include <QCoreApplication>

namespace stagecraft::exec {

std::unique_ptr<Backend> createBackend(const QString &id, const BackendSettings &settings,
                                       QString *error)
{
    // One line per executor.
    if (id == u"shell")
        return std::make_unique<ShellBackend>();
    if (id == u"docker")
        return std::make_unique<DockerBackend>(DockerBackend::settingsFrom(settings));
    if (id == u"kubernetes")
        return std::make_unique<kube::KubernetesBackend>(kube::settingsFrom(settings));
    if (error)
        *error = QCoreApplication::translate("stagecraft::exec",
                                             "Unknown executor \"%1\"; use shell, docker or "
                                             "kubernetes")
                     .arg(id);
    return nullptr;
}

} // namespace stagecraft::exec
