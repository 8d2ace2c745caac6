#!/usr/bin/env bash
# Sets up, builds and opens Stagecraft on the bundled example project (the README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh dev
exec ./build/dev/app/gui/stagecraft resources/examples/kube-delivery
