#pragma once

#include <QString>
#include <QStringList>

namespace stagecraft::exec {

/// The host names a service answers to, derived as GitLab Runner does (`SplitNameAndVersion` in
/// common/services.go): the image name without tag, digest and registry port, with `/` replaced
/// by `__`, then the RFC 1123 variant with `/` replaced by `-` (when different), then the
/// explicit `alias:` entries (comma- or space-separated), without duplicates.
///   `docker:24-dind` -> docker
///   `registry.x/grp/pg:15` -> registry.x__grp__pg, registry.x-grp-pg
///   `registry-1.docker.io:443/library/nginx:1.29` -> registry-1.docker.io__library__nginx,
///   registry-1.docker.io-library-nginx
QStringList serviceAliases(const QString &imageName, const QString &explicitAlias = {});

/// The image reference split as Docker does: `registry:5000/grp/img:tag@sha256:...` ->
/// repository `registry:5000/grp/img`, tag `tag`, digest `sha256:...`.
struct ImageReference
{
    QString repository;
    QString tag;    ///< empty when none was given
    QString digest; ///< empty when none was given
};
ImageReference parseImageReference(const QString &image);

} // namespace stagecraft::exec
