#!/usr/bin/env bash
# Starts (and stops) the real container engines the executor tests use, as
# ../shared/docs/container-engines.md describes: Debian's Docker Engine on its own socket, Podman's
# Docker-compatible service on another, and the local images (no registry is reachable):
#   busybox:local  busybox-static in an otherwise empty image (both engines)
#   dind:local     Debian with docker.io, the `docker:dind` stand-in (Podman only: Docker Engine
#                  cannot run privileged containers on these machines)
# Usage: scripts/engines.sh up|down|env
# `up` writes the environment the tests read to $SC_ENGINES_ENV (default /tmp/sc-engines.env).
set -euo pipefail

state=${SC_ENGINES_DIR:-/tmp/sc-engines}
envfile=${SC_ENGINES_ENV:-/tmp/sc-engines.env}
imgcache=${SC_IMAGE_CACHE:-$HOME/.cache/stagecraft/test-images}
docker_sock=$state/docker.sock
podman_sock=$state/podman.sock

log() { echo "engines: $*" >&2; }

containers_conf() {
  mkdir -p "$state"
  cat >"$state/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=10000:10000", "nproc=1000:1000"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
  export CONTAINERS_CONF=$state/containers.conf
}

wait_for() { # wait_for SECONDS command...
  local t=$1; shift
  for _ in $(seq $((t * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

start_docker() {
  if [ -S "$docker_sock" ] && docker -H "unix://$docker_sock" version >/dev/null 2>&1; then
    log "dockerd already running"; return 0
  fi
  mkdir -p "$state"
  setsid dockerd --host="unix://$docker_sock" --storage-driver=vfs --iptables=false \
    --ip6tables=false --bridge=none --data-root="$state/docker" --exec-root="$state/docker-exec" \
    --pidfile="$state/docker.pid" >"$state/docker.log" 2>&1 </dev/null &
  wait_for 60 docker -H "unix://$docker_sock" version || { tail -20 "$state/docker.log" >&2; return 1; }
  log "dockerd ready on unix://$docker_sock"
}

start_podman() {
  containers_conf
  if [ -S "$podman_sock" ] && curl -sf --unix-socket "$podman_sock" http://d/_ping >/dev/null 2>&1; then
    log "podman service already running"; return 0
  fi
  rm -f "$podman_sock"
  setsid podman system service --time=0 "unix://$podman_sock" >"$state/podman.log" 2>&1 </dev/null &
  echo $! >"$state/podman.pid"
  wait_for 60 curl -sf --unix-socket "$podman_sock" http://d/_ping || { tail -20 "$state/podman.log" >&2; return 1; }
  log "podman service ready on unix://$podman_sock"
}

busybox_tar() {
  mkdir -p "$imgcache"
  local out=$imgcache/busybox.tar
  [ -s "$out" ] && { echo "$out"; return; }
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/usr/bin"
  cp /bin/busybox "$root/bin/busybox"
  for c in $("$root/bin/busybox" --list); do [ "$c" = busybox ] || ln -sf busybox "$root/bin/$c"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -cf "$out.part" . && mv "$out.part" "$out"
  rm -rf "$root"
  echo "$out"
}

dind_tar() {
  mkdir -p "$imgcache"
  local out=$imgcache/dind.tar
  [ -s "$out" ] && { echo "$out"; return; }
  local mirror
  # The Debian mirror apt uses (deb822 `URIs:` or one-line `deb URL bookworm ...`).
  mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+' | grep '/debian/*$' | grep -v security | head -1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  local root; root=$(mktemp -d)
  log "building dind image root with debootstrap from $mirror (about a minute)"
  debootstrap --variant=minbase --include=docker.io,ca-certificates,iproute2,procps bookworm "$root" "$mirror" \
    >"$state/debootstrap.log" 2>&1 || { tail -20 "$state/debootstrap.log" >&2; return 1; }
  rm -rf "$root/var/cache/apt/archives/"*.deb
  tar -C "$root" -cf "$out.part" . && mv "$out.part" "$out"
  rm -rf "$root"
  echo "$out"
}

load_images() {
  local bb; bb=$(busybox_tar)
  docker -H "unix://$docker_sock" image inspect busybox:local >/dev/null 2>&1 \
    || docker -H "unix://$docker_sock" import -c 'CMD ["sh"]' "$bb" busybox:local >/dev/null
  podman image exists localhost/busybox:local \
    || podman import -c 'CMD ["sh"]' "$bb" localhost/busybox:local >/dev/null
  if ! podman image exists localhost/dind:local; then
    local dt; dt=$(dind_tar)
    podman import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$dt" localhost/dind:local >/dev/null
  fi
  log "images: busybox:local (docker, podman), localhost/dind:local (podman)"
}

case "${1:-}" in
  up)
    for tool in dockerd podman debootstrap busybox curl; do
      command -v "$tool" >/dev/null || { log "$tool is missing: run scripts/setup.sh"; exit 1; }
    done
    start_docker
    start_podman
    load_images
    cat >"$envfile" <<ENV
export STAGECRAFT_TEST_DOCKER_HOST=unix://$docker_sock
export STAGECRAFT_TEST_PODMAN_HOST=unix://$podman_sock
export CONTAINERS_CONF=$state/containers.conf
ENV
    log "environment in $envfile"
    ;;
  down)
    if [ -f "$state/docker.pid" ]; then kill "$(cat "$state/docker.pid")" 2>/dev/null || true; fi
    if [ -f "$state/podman.pid" ]; then kill "$(cat "$state/podman.pid")" 2>/dev/null || true; fi
    for _ in $(seq 50); do
      { [ -f "$state/docker.pid" ] && kill -0 "$(cat "$state/docker.pid")" 2>/dev/null; } || break
      sleep 0.2
    done
    rm -f "$envfile"
    log "stopped"
    ;;
  env) cat "$envfile" ;;
  *) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
