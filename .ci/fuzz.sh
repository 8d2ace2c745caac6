#!/usr/bin/env bash
# CI step: build the libFuzzer targets (fuzz preset: clang, ASan + UBSan) and run every test
# labelled `fuzz` (each fuzzer runs 60 s on a seed corpus collected from the repository and, when
# present, ../shared). Crash reproducers are left in build/fuzz/tests/fuzz/artifacts/.
#
#   .ci/fuzz.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed" >&2; exit 2; }

cmake --preset fuzz
cmake --build --preset fuzz
status=0
ctest --test-dir build/fuzz -L fuzz --output-on-failure "$@" || status=$?
if [ $status -ne 0 ]; then
    echo "fuzz.sh: fuzzing failed; reproducers:" >&2
    ls -l build/fuzz/tests/fuzz/artifacts/ >&2 || true
    echo "replay one with: build/fuzz/tests/fuzz/<fuzzer> <file>" >&2
fi
exit $status
