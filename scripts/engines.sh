#!/usr/bin/env bash
# Starts (and stops) the real container engines the executor tests use, as
# ../shared/docs/container-engines.md describes: Debian's Docker Engine on its own socket, Podman's
# Docker-compatible service on another, and the local images (no registry is reachable):
#   busybox:local  busybox-static in an otherwise empty image (both engines)
#                  (also tagged busybox:latest)
#   dind:local     Debian with docker.io and openssl, the `docker:dind` stand-in with its
#                  entrypoint (TLS certificates in $DOCKER_TLS_CERTDIR, ports 2375/2376), also
#                  tagged docker:dind, docker:24-dind, docker:24-cli, docker:latest (Podman only:
#                  Docker Engine cannot run privileged containers on these machines)
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
  local out=$imgcache/busybox-v2.tar
  [ -s "$out" ] && { echo "$out"; return; }
  local root; root=$(mktemp -d)
  # mktemp's 0700 would become the image's `/`: a non-root user could not reach /bin/sh.
  chmod 755 "$root"
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

# The entrypoint of the real `docker:dind` image, reduced to what these machines allow: with
# DOCKER_TLS_CERTDIR set it generates a CA and server/client certificates into
# $DOCKER_TLS_CERTDIR/{ca,server,client} and listens on tcp 2376 with TLS, else on 2375 in plain
# text; vfs storage, no iptables, no bridge (none of them works in a nested engine here) unless the
# arguments say otherwise. Any other command (`sh`, `docker ...`) is run as it is, as the real
# entrypoint does, so that the same image stands in for `docker:cli` too.
dind_entrypoint() {
  cat <<'ENTRYPOINT'
#!/bin/sh
set -eu

_tls_san() {
	{
		ip -oneline address | awk '{ gsub(/\/.+$/, "", $4); print "IP:" $4 }'
		{
			echo "$(cat /etc/hostname)" # Podman writes it without a newline
			echo 'docker'
			echo 'localhost'
			hostname -f
			hostname -s
		} | sed 's/^/DNS:/'
		[ -z "${DOCKER_TLS_SAN:-}" ] || echo "$DOCKER_TLS_SAN"
	} | sort -u | xargs printf '%s,' | sed "s/,\$//"
}

# As the real image, with 2048-bit keys (4096 costs seconds per key on these machines).
_tls_generate_certs() {
	dir="$1"
	if [ ! -s "$dir/ca/key.pem" ]; then
		mkdir -p "$dir/ca"
		openssl genrsa -out "$dir/ca/key.pem" 2048 2>/dev/null
		openssl req -new -key "$dir/ca/key.pem" -out "$dir/ca/cert.pem" \
			-subj '/CN=docker:dind CA' -x509 -days 825
	fi
	if [ ! -s "$dir/server/key.pem" ]; then
		mkdir -p "$dir/server"
		openssl genrsa -out "$dir/server/key.pem" 2048 2>/dev/null
		openssl req -new -key "$dir/server/key.pem" -out "$dir/server/csr.pem" \
			-subj '/CN=docker:dind server'
		printf '[ x509_exts ]\nsubjectAltName = %s\n' "$(_tls_san)" >"$dir/server/openssl.cnf"
		openssl x509 -req -in "$dir/server/csr.pem" -CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" \
			-CAcreateserial -out "$dir/server/cert.pem" -days 825 \
			-extfile "$dir/server/openssl.cnf" -extensions x509_exts 2>/dev/null
		cp "$dir/ca/cert.pem" "$dir/server/ca.pem"
		openssl verify -CAfile "$dir/server/ca.pem" "$dir/server/cert.pem"
	fi
	if [ ! -s "$dir/client/key.pem" ]; then
		mkdir -p "$dir/client"
		openssl genrsa -out "$dir/client/key.pem" 2048 2>/dev/null
		chmod 0644 "$dir/client/key.pem"
		openssl req -new -key "$dir/client/key.pem" -out "$dir/client/csr.pem" \
			-subj '/CN=docker:dind client'
		printf '[ x509_exts ]\nextendedKeyUsage = clientAuth\n' >"$dir/client/openssl.cnf"
		openssl x509 -req -in "$dir/client/csr.pem" -CA "$dir/ca/cert.pem" -CAkey "$dir/ca/key.pem" \
			-CAcreateserial -out "$dir/client/cert.pem" -days 825 \
			-extfile "$dir/client/openssl.cnf" -extensions x509_exts 2>/dev/null
		cp "$dir/ca/cert.pem" "$dir/client/ca.pem"
		openssl verify -CAfile "$dir/client/ca.pem" "$dir/client/cert.pem"
	fi
}

_has_option() { # _has_option --name args...
	o=$1; shift
	for a in "$@"; do case "$a" in "$o"|"$o"=*) return 0 ;; esac; done
	return 1
}

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	# no command, or only options: run dockerd
	set -- dockerd "$@"
fi

if [ "$1" = 'dockerd' ]; then
	shift
	extra=''
	_has_option --storage-driver "$@" || extra="$extra --storage-driver=vfs"
	_has_option --iptables "$@" || extra="$extra --iptables=false"
	_has_option --ip6tables "$@" || extra="$extra --ip6tables=false"
	_has_option --bridge "$@" || extra="$extra --bridge=none"
	if [ -n "${DOCKER_TLS_CERTDIR:-}" ]; then
		_tls_generate_certs "$DOCKER_TLS_CERTDIR"
		# shellcheck disable=SC2086
		set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 \
			--tlsverify --tlscacert "$DOCKER_TLS_CERTDIR/server/ca.pem" \
			--tlscert "$DOCKER_TLS_CERTDIR/server/cert.pem" \
			--tlskey "$DOCKER_TLS_CERTDIR/server/key.pem" $extra "$@"
	else
		# --tls=false: without it dockerd 20.10 waits 15 s before listening on plain TCP
		# shellcheck disable=SC2086
		set -- dockerd --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false \
			$extra "$@"
	fi
	# cgroup v2 and hybrid hosts: as the real image's `dind` wrapper, make /sys/fs/cgroup usable
	if [ -d /sys/kernel/security ] && ! mountpoint -q /sys/kernel/security 2>/dev/null; then
		mount -t securityfs none /sys/kernel/security 2>/dev/null || true
	fi
	echo "dockerd-entrypoint: $*" >&2
fi

exec "$@"
ENTRYPOINT
}

# The docker CLI image's entrypoint: DOCKER_HOST from the service alias when unset.
docker_entrypoint() {
  cat <<'ENTRYPOINT'
#!/bin/sh
set -eu
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	set -- docker "$@"
fi
if [ -z "${DOCKER_HOST:-}" ] && [ ! -S /var/run/docker.sock ]; then
	if [ -n "${DOCKER_TLS_CERTDIR:-}" ] && [ -s "$DOCKER_TLS_CERTDIR/client/ca.pem" ]; then
		export DOCKER_HOST=tcp://docker:2376 DOCKER_TLS_VERIFY=1
		export DOCKER_CERT_PATH="$DOCKER_TLS_CERTDIR/client"
	else
		export DOCKER_HOST=tcp://docker:2375
	fi
fi
exec "$@"
ENTRYPOINT
}

# The root file system (debootstrap, cached), with the current entrypoints put in (the cached
# archive is updated in place when they change, without a new debootstrap).
dind_tar() {
  mkdir -p "$imgcache"
  local out=$imgcache/dind-v2.tar
  if [ ! -s "$out" ]; then
    local mirror
    # The Debian mirror apt uses (deb822 `URIs:` or one-line `deb URL bookworm ...`).
    mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
      | grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]+' | grep '/debian/*$' | grep -v security | head -1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    local root; root=$(mktemp -d)
    log "building dind image root with debootstrap from $mirror (about a minute)"
    debootstrap --variant=minbase --include=docker.io,ca-certificates,iproute2,procps,openssl bookworm "$root" "$mirror" \
      >"$state/debootstrap.log" 2>&1 || { tail -20 "$state/debootstrap.log" >&2; return 1; }
    rm -rf "$root/var/cache/apt/archives/"*.deb
    mkdir -p "$root/certs"
    tar -C "$root" -cf "$out.part" . && mv "$out.part" "$out"
    rm -rf "$root"
  fi
  local ep; ep=$(mktemp -d)
  mkdir -p "$ep/usr/local/bin"
  dind_entrypoint >"$ep/usr/local/bin/dockerd-entrypoint.sh"
  docker_entrypoint >"$ep/usr/local/bin/docker-entrypoint.sh"
  chmod 0755 "$ep/usr/local/bin/"*.sh
  if ! tar -xOf "$out" ./usr/local/bin/dockerd-entrypoint.sh 2>/dev/null | cmp -s - "$ep/usr/local/bin/dockerd-entrypoint.sh" \
      || ! tar -xOf "$out" ./usr/local/bin/docker-entrypoint.sh 2>/dev/null | cmp -s - "$ep/usr/local/bin/docker-entrypoint.sh"; then
    tar --delete -f "$out" ./usr/local/bin/dockerd-entrypoint.sh ./usr/local/bin/docker-entrypoint.sh 2>/dev/null || true
    tar -rf "$out" -C "$ep" ./usr/local/bin/dockerd-entrypoint.sh ./usr/local/bin/docker-entrypoint.sh
  fi
  rm -rf "$ep"
  echo "$out"
}

# Identifies the entrypoints an imported dind image has (an image label).
dind_version() { { dind_entrypoint; docker_entrypoint; } | sha256sum | cut -c1-16; }

# Names real `.gitlab-ci.yml` files use, so that they run offline: busybox:local is also
# busybox:latest (both engines); the dind image is also docker:dind, docker:24-dind, docker:24-cli
# and docker:latest (Podman only).
busybox_names="docker.io/library/busybox:latest"
dind_names="docker.io/library/docker:dind docker.io/library/docker:24-dind docker.io/library/docker:24-cli docker.io/library/docker:latest"

load_images() {
  local bb; bb=$(busybox_tar)
  # An older busybox:local (without the label: its `/` was 0700) is replaced: the import takes
  # over the tags; containers of the old image run on.
  local bbv=2
  if [ "$(docker -H "unix://$docker_sock" image inspect --format '{{index .Config.Labels "com.stagecraft.busybox"}}' busybox:local 2>/dev/null)" != "$bbv" ]; then
    docker -H "unix://$docker_sock" import -c 'CMD ["sh"]' -c "LABEL com.stagecraft.busybox=$bbv" \
      "$bb" busybox:local >/dev/null
  fi
  if [ "$(podman image inspect --format '{{index .Labels "com.stagecraft.busybox"}}' localhost/busybox:local 2>/dev/null)" != "$bbv" ]; then
    podman import -c 'CMD ["sh"]' -c "LABEL com.stagecraft.busybox=$bbv" "$bb" localhost/busybox:local >/dev/null
  fi
  for n in $busybox_names; do
    docker -H "unix://$docker_sock" tag busybox:local "$n"
    podman tag localhost/busybox:local "$n"
  done
  # An older dind:local (other entrypoints, or none) is replaced.
  local want; want=$(dind_version)
  if [ "$(podman image inspect --format '{{index .Labels "com.stagecraft.dind"}}' localhost/dind:local 2>/dev/null)" != "$want" ]; then
    local dt; dt=$(dind_tar)
    podman rmi -f localhost/dind:local $dind_names >/dev/null 2>&1 || true
    podman import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'ENTRYPOINT ["dockerd-entrypoint.sh"]' -c 'CMD []' \
      -c 'EXPOSE 2375' -c 'EXPOSE 2376' -c "LABEL com.stagecraft.dind=$want" \
      "$dt" localhost/dind:local >/dev/null
  fi
  for n in $dind_names; do podman tag localhost/dind:local "$n"; done
  log "images: busybox:local = busybox:latest (docker, podman), localhost/dind:local = docker:dind, docker:24-dind, docker:24-cli, docker:latest (podman)"
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
