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

# Diff mode: a small repository whose working tree adds, removes and changes jobs.
review=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$review"' EXIT
git -C "$review" init -q -b main
ci() { # name script: a test job that needs build
    printf '%s:\n  extends: .node\n  stage: test\n  needs: [build]\n  script: %s\n\n' "$1" "$2"
}
preamble() {
    printf 'stages: [build, test, deploy]\n\n.node:\n  image: node:20\n\n'
    printf 'build:\n  extends: .node\n  stage: build\n  script: npm ci && npm run build\n\n'
    printf 'lint:\n  extends: .node\n  stage: test\n  script: npm run lint\n\n'
}
{ preamble; ci unit 'npm test'; ci e2e 'npm run e2e'
  printf 'deploy:\n  stage: deploy\n  script: ./deploy.sh staging\n'; } >"$review/.gitlab-ci.yml"
git -C "$review" add -A
git -C "$review" -c user.name=Docs -c user.email=docs@example.com commit -q -m init
{ preamble; ci unit 'npm test -- --coverage'; ci typecheck 'npx tsc --noEmit'
  printf 'deploy:\n  stage: deploy\n  needs: [unit, typecheck]\n  script: ./deploy.sh staging\n'
} >"$review/.gitlab-ci.yml"
shoot review-diff --compare HEAD "$review"

# ShellCheck on job scripts: an unquoted variable in a deploy script (SC2086), found after the
# GitLab result. Needs `shellcheck` on the PATH.
scripts=$(mktemp -d)
trap 'rm -rf "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$review" "$scripts"' EXIT
cat >"$scripts/.gitlab-ci.yml" <<'YAML'
stages: [build, deploy]

default:
  image: debian:12

build:
  stage: build
  script:
    - make all
  artifacts:
    paths: [dist/]

deploy:
  stage: deploy
  needs: [build]
  variables:
    TARGET: staging
  script:
    - rsync -a dist/ web:/srv/$TARGET_DIR
    - echo "deployed to $TARGET"
YAML
if command -v shellcheck >/dev/null; then
    shoot shellcheck-ci --open .gitlab-ci.yml "$scripts"
else
    echo "skipped shellcheck-ci: shellcheck is not installed" >&2
fi

# Running pipelines: the Qt tests take these pictures while a real pipeline runs on the shell
# executor (run.png) and of the log view with sections and a search (logview.png).
for test in tst_runui:screenshot tst_logview:screenshot; do
    binary=$build/tests/gui/${test%%:*}
    if [ -x "$binary" ]; then
        STAGECRAFT_SCREENSHOTS=$out "$binary" "${test#*:}" >/dev/null
        echo "wrote $out/$([ "${test%%:*}" = tst_runui ] && echo run || echo logview).png"
    else
        echo "skipped ${test%%:*}: build it first (cmake --build $build --target ${test%%:*})" >&2
    fi
done
