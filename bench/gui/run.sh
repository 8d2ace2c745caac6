#!/usr/bin/env bash
# GUI benchmarks of the desktop IDE (docs/benchmarks.md, section "GUI").
#
#   bench/gui/run.sh [BUILD_DIR] [RUNS]        (default build/release, 10 runs)
#
# 1. start to first paint, whole-process: runs `stagecraft --bench-first-paint` RUNS times, with
#    no project and with the largest corpus project, offscreen, and prints min/median of the time
#    from launch (wall clock taken by this script just before exec) to the end of the main
#    window's first paint pass;
# 2. runs bench_gui (open a 10,000-line file; keystroke to squiggles and graph).
# Build first: cmake --build BUILD_DIR --target stagecraft bench_gui
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build/release}
runs=${2:-10}
# The shared data folder: $STAGECRAFT_SHARED, else the one the build was configured with.
shared=${STAGECRAFT_SHARED:-$(sed -n 's/^STAGECRAFT_SHARED:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)}
shared=${shared:-$(cd "$repo/.." && pwd)/shared}
project=$shared/corpus/gitlab-ci/gromacs__gromacs
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# Own settings and recovery store: a crashed session of the user's must not be reopened.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_RUNTIME_DIR=$home/runtime
mkdir -m 700 "$XDG_RUNTIME_DIR"

stats() { # reads numbers, prints "min X median Y (n)"
    sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
        printf "min %7.1f ms  median %7.1f ms  (%d runs)\n", v[1], m, NR}'
}

first_paint() { # label, extra arguments
    local label=$1; shift
    local launch=() main=()
    for _ in $(seq "$runs"); do
        out=$(STAGECRAFT_BENCH_T0_NS=$(date +%s%N) "$build/app/gui/stagecraft" --bench-first-paint "$@" 2>/dev/null)
        launch+=("$(sed -n 's/^first paint: \([0-9.]*\) ms since launch$/\1/p' <<<"$out")")
        main+=("$(sed -n 's/^first paint: \([0-9.]*\) ms since main()$/\1/p' <<<"$out")")
    done
    printf '%-40s %s\n' "start to first paint, $label:" "$(printf '%s\n' "${launch[@]}" | stats)"
    printf '%-40s %s\n' "  of which main() to first paint:" "$(printf '%s\n' "${main[@]}" | stats)"
}

echo "== start to first paint (aim: under 500 ms)"
first_paint "no project"
if [ -f "$project/.gitlab-ci.yml" ]; then
    first_paint "gromacs" "$project"
else
    echo "SKIP: $project is absent"
fi
echo
echo "== bench_gui"
STAGECRAFT_SHARED=$shared "$build/bench/gui/bench_gui" --reps "$runs"
