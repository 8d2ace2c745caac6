#!/usr/bin/env bash
# Whole-process comparison with gitlab-ci-local, plus the in-process numbers (docs/benchmarks.md).
#
#   bench/run.sh [--quick]
#
# 1. builds the release preset (stagecraft-cli and bench_ci),
# 2. installs the peers (bench/setup-peers.sh into $STAGECRAFT_PEERS,
#    default $HOME/.cache/stagecraft-peers),
# 3. writes the inputs into a temporary folder, each one a git repository set up like
#    gitlab-ci-local's own test harness (remote origin, branch master, origin/HEAD -> origin/main),
#    because gitlab-ci-local only reads git-tracked files: the typical file and the 2,000-job
#    project from bench/gen-project.py, and a copy of the largest corpus project that
#    gitlab-ci-local lists offline ($STAGECRAFT_SHARED/corpus/gitlab-ci/gromacs__gromacs; the copy
#    lives in the temporary folder only),
# 4. checks that both tools accept every input (exit 0), the peer inside a network namespace
#    without network when `unshare -n` is allowed, to prove that it needs nothing online,
# 5. times `stagecraft-cli lint --no-shellcheck DIR` (the peer runs no ShellCheck either) against `gitlab-ci-local --list --no-color` (cwd = DIR) with
#    hyperfine in the same run, and prints the ratio peer time / our time per input,
# 6. runs bench_ci (in-process ci::lint) on the same inputs.
# Exits non-zero when a tool fails on an input. --quick: fewer runs (for trying the script).
# STAGECRAFT_BENCH_RESULTS=DIR keeps the hyperfine JSON files there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${STAGECRAFT_SHARED:-$(cd "$repo/.." && pwd)/shared}
peers=${STAGECRAFT_PEERS:-$HOME/.cache/stagecraft-peers}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

die() { echo "run.sh: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "hyperfine is needed (apt-get install hyperfine)"
command -v python3 >/dev/null || die "python3 is needed"

echo "== build (release preset)"
cd "$repo"
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
cmake --build build/release --target benchmarks >/dev/null
cli="$repo/build/release/app/cli/stagecraft-cli"
bench_ci="$repo/build/release/bench/bench_ci"

echo "== peers ($peers)"
"$here/setup-peers.sh" "$peers"
gcl="$peers/bin/gitlab-ci-local"

work=$(mktemp -d "${TMPDIR:-/tmp}/stagecraft-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# gitlab-ci-local reads $HOME/.gitlab-ci-local/{variables.yml,.env}: keep the user's out of it.
mkdir -p "$work/home"

make_repo() {
    (
        cd "$1"
        git init -q -b master
        git config user.email bench@example.com
        git config user.name Bench
        git remote add origin git@gitlab.com:gcl/test-project.git
        git add -A
        git -c commit.gpgsign=false commit -qm "benchmark input"
        git update-ref refs/remotes/origin/main HEAD
        git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
    )
}

echo "== inputs ($work)"
names=()
python3 "$here/gen-project.py" --typical "$work/typical"
names+=(typical)
python3 "$here/gen-project.py" --jobs 2000 "$work/jobs-2000"
names+=(jobs-2000)
corpus="$shared/corpus/gitlab-ci/gromacs__gromacs"
if [ -f "$corpus/.gitlab-ci.yml" ]; then
    cp -R "$corpus" "$work/gromacs"
    chmod -R u+w "$work/gromacs"
    rm -f "$work/gromacs/SOURCE.txt"
    names+=(gromacs)
else
    echo "run.sh: $corpus is absent: corpus input skipped" >&2
fi
for n in "${names[@]}"; do make_repo "$work/$n"; done

peer_args=(--list --no-color)
offline=()
if unshare -n true 2>/dev/null; then
    offline=(unshare -n)
elif unshare -rn true 2>/dev/null; then
    offline=(unshare -rn)
fi

echo "== acceptance (both tools must exit 0)"
failed=0
for n in "${names[@]}"; do
    if ! out=$("$cli" lint --no-shellcheck "$work/$n" 2>&1); then
        echo "FAIL stagecraft-cli lint on $n:"; echo "$out" | head -n 40; failed=1
    fi
    if ! out=$(cd "$work/$n" && HOME="$work/home" "${offline[@]}" "$gcl" "${peer_args[@]}" 2>&1); then
        echo "FAIL gitlab-ci-local ${peer_args[*]} on $n${offline:+ (no network)}:"
        echo "$out" | tail -n 40; failed=1
    fi
done
[ $failed = 0 ] || die "a tool failed on an input"
[ ${#offline[@]} -gt 0 ] && echo "gitlab-ci-local listed every input without network (${offline[*]})"

min_runs() { # slow inputs get fewer runs of the peer (each run of gitlab-ci-local takes seconds)
    if [ $quick = 1 ]; then echo 2; return; fi
    case $1 in jobs-2000) echo 3 ;; gromacs) echo 5 ;; *) echo 10 ;; esac
}

echo "== whole process (hyperfine $(hyperfine --version | cut -d' ' -f2))"
for n in "${names[@]}"; do
    echo "-- $n"
    (
        cd "$work/$n"
        HOME="$work/home" hyperfine -N --warmup 1 --min-runs "$(min_runs "$n")" \
            --export-json "$work/$n.json" \
            -n stagecraft "$cli lint --no-shellcheck $work/$n" \
            -n gitlab-ci-local "$gcl ${peer_args[*]}"
    ) || die "hyperfine failed on $n"
done

echo
echo "== summary: whole process, means over the runs (ratio = gitlab-ci-local / stagecraft)"
echo "   wall = elapsed time; cpu = user + system time of the process tree (less sensitive to"
echo "   other load on the machine; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$work" "${names[@]}" <<'EOF'
import json, sys
work, names = sys.argv[1], sys.argv[2:]
print(f"{'input':<10} {'stagecraft wall':>18} {'peer wall':>16} {'ratio':>6}"
      f" {'stagecraft cpu':>15} {'peer cpu':>10} {'ratio':>6}")
worst = None
for n in names:
    r = {x["command"]: x for x in json.load(open(f"{work}/{n}.json"))["results"]}
    ours, peer = r["stagecraft"], r["gitlab-ci-local"]
    ratio = peer["mean"] / ours["mean"]
    ours_cpu, peer_cpu = ours["user"] + ours["system"], peer["user"] + peer["system"]
    worst = ratio if worst is None else min(worst, ratio)
    print(f"{n:<10} {ours['mean']*1e3:9.1f} ± {ours['stddev']*1e3:5.1f} ms"
          f" {peer['mean']:8.2f} ± {peer['stddev']:4.2f} s {ratio:5.0f}x"
          f" {ours_cpu*1e3:12.1f} ms {peer_cpu:8.2f} s {peer_cpu / ours_cpu:5.0f}x")
print(f"lowest wall-time ratio {worst:.0f}x (aim: at least 20x) -> {'met' if worst >= 20 else 'MISSED'}")
EOF

echo
echo "== in process (bench_ci: ci::lint, parse + resolve + validate)"
args=()
for n in "${names[@]}"; do args+=("$n=$work/$n"); done
"$bench_ci" -n "$([ $quick = 1 ] && echo 5 || echo 30)" "${args[@]}"

if [ -n "${STAGECRAFT_BENCH_RESULTS:-}" ]; then
    mkdir -p "$STAGECRAFT_BENCH_RESULTS"
    cp "$work"/*.json "$STAGECRAFT_BENCH_RESULTS"/
    echo "hyperfine results kept in $STAGECRAFT_BENCH_RESULTS"
fi
