#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (the README's test command).
# The executor tests need real container engines: scripts/engines.sh starts Docker Engine and
# Podman's Docker-compatible service on private sockets (root needed) and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh dev
if [ "$(id -u)" -eq 0 ]; then
  trap './scripts/engines.sh down' EXIT
  ./scripts/engines.sh up
  # shellcheck disable=SC1091
  source "${SC_ENGINES_ENV:-/tmp/sc-engines.env}"
else
  echo "test: not root, so no container engines: the docker and kubernetes tests will skip" >&2
fi
ctest --preset dev "$@"
