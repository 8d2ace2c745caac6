#!/usr/bin/env bash
# Installs what Stagecraft needs to build, test and run on Debian 12 (bookworm).
# Idempotent; run as root (or with sudo available).
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git ca-certificates
  # Qt 6 and friends
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools qt6-translations-l10n libqscintilla2-qt6-dev libgl1-mesa-dev
  # engine libraries
  libyaml-cpp-dev libgit2-dev libre2-dev
  # run-time helpers and test tools
  shellcheck xvfb xauth fonts-dejavu
  # executors: Docker Engine API client (libcurl: unix sockets, chunked streams, TLS)
  libcurl4-openssl-dev
  # executor tests: real Docker Engine and Podman, local images, the Kubernetes test API server
  docker.io podman runc busybox-static debootstrap python3-kubernetes openssl rsync
  # installer checks (CTest installer_metadata)
  appstream desktop-file-utils
  # fuzzing (libFuzzer ships with clang's runtime)
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root (or install sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
