#!/bin/sh
# Renders the main window offscreen on the example project and on a large corpus project into
# docs/screenshots/. Usage: scripts/screenshots.sh [build-dir]   (default: build/dev)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/dev}
app=$build/app/gui/stagecraft
shared=${STAGECRAFT_SHARED:-$here/../shared}
# Worktrees live one level deeper than the main checkout.
[ -d "$shared" ] || shared=$here/../../shared
out=$here/docs/screenshots
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen
# A private settings/recovery location: screenshots do not depend on the user's settings.
export XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"' EXIT

shoot() { # name project [extra args]
    name=$1; shift
    "$app" --screenshot "$out/$name.png" "$@"
    echo "wrote $out/$name.png"
}

shoot kube-delivery "$here/resources/examples/kube-delivery"
shoot kube-delivery-dark --theme dark "$here/resources/examples/kube-delivery"
shoot kube-delivery-dockerfile --open Dockerfile --graph-view needs \
    "$here/resources/examples/kube-delivery"
if [ -d "$shared/corpus/gitlab-ci/Kitware__CMake" ]; then
    shoot kitware-cmake --graph-ref mr "$shared/corpus/gitlab-ci/Kitware__CMake"
else
    echo "skipped kitware-cmake: $shared/corpus is absent" >&2
fi
