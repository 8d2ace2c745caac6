#!/usr/bin/env bash
# Running a pipeline, whole process: `stagecraft-cli run --executor shell` against
# gitlab-ci-local on the same 50-job pipeline of trivial jobs (docs/benchmarks.md, "Running
# pipelines").
#
#   bench/run-exec.sh [--quick]
#
# 1. builds stagecraft-cli with the release preset,
# 2. installs the peer (bench/setup-peers.sh into $STAGECRAFT_PEERS, default
#    $HOME/.cache/stagecraft-peers),
# 3. generates the pipeline into a temporary git repository set up like gitlab-ci-local's test
#    harness (remote origin, branch master, origin/HEAD -> origin/main, everything committed):
#    5 stages of 10 `echo` jobs; in the test and deploy stages every job `needs` its
#    counterpart of the stage before (a DAG), the other stages use stage order,
# 4. checks that each tool runs all 50 jobs successfully,
# 5. times both with hyperfine (or a timing loop when hyperfine is missing) and prints the
#    ratio gitlab-ci-local / Stagecraft. gitlab-ci-local runs twice: with its defaults (jobs run
#    in the project folder itself) and with --shell-isolation (a copy per job, which is what
#    Stagecraft always does).
# --quick: fewer runs. STAGECRAFT_BENCH_RESULTS=DIR keeps the hyperfine JSON there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
peers=${STAGECRAFT_PEERS:-$HOME/.cache/stagecraft-peers}
quick=0
[ "${1:-}" = "--quick" ] && quick=1

die() { echo "run-exec.sh: $*" >&2; exit 1; }
command -v python3 >/dev/null || die "python3 is needed"

echo "== build (release preset)"
cd "$repo"
[ -f build/release/CMakeCache.txt ] || cmake --preset release >/dev/null
cmake --build build/release --target stagecraft-cli >/dev/null
cli="$repo/build/release/app/cli/stagecraft-cli"

echo "== peer ($peers)"
"$here/setup-peers.sh" "$peers"
gcl="$peers/bin/gitlab-ci-local"

work=$(mktemp -d "${TMPDIR:-/tmp}/stagecraft-run-exec.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home"
export HOME="$work/home" # neither tool should read the user's variables files
project="$work/pipeline-50"
mkdir -p "$project"

python3 - "$project/.gitlab-ci.yml" <<'EOF'
import sys
stages = ["build", "test", "deploy", "release", "cleanup"]
out = ["stages: [" + ", ".join(stages) + "]", "", "variables:", "  GREETING: hello", ""]
for s, stage in enumerate(stages):
    for i in range(1, 11):
        out.append(f"{stage}-{i}:")
        out.append(f"  stage: {stage}")
        if stage in ("test", "deploy"):
            out.append(f"  needs: [{stages[s - 1]}-{i}]")
        out.append("  script:")
        out.append(f'    - echo "$GREETING from {stage} {i}"')
        out.append("")
open(sys.argv[1], "w").write("\n".join(out))
EOF
(
    cd "$project"
    git init -q -b master
    git config user.email bench@example.com
    git config user.name Bench
    git remote add origin git@gitlab.com:gcl/test-project.git
    git add -A
    git -c commit.gpgsign=false commit -qm "benchmark input"
    git update-ref refs/remotes/origin/main HEAD
    git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
    # gitlab-ci-local keeps its state in .gitlab-ci-local/ with a .gitignore that does not
    # ignore itself; Stagecraft copies untracked files that are not ignored into every job, so
    # without this it would copy the peer's folder 50 times per run.
    echo ".gitlab-ci-local/" >> .git/info/exclude
)
echo "== input: $project/.gitlab-ci.yml ($(grep -c '^[a-z]*-[0-9]*:$' "$project/.gitlab-ci.yml") jobs)"

sc_cmd="$cli run $project --executor shell --data-dir $work/data"
gcl_cmd="$gcl --no-color"
gcl_iso_cmd="$gcl --no-color --shell-isolation"

echo "== acceptance (every job must succeed)"
out=$(cd "$project" && $sc_cmd 2>&1) || { echo "$out" | tail -n 30; die "stagecraft-cli run failed"; }
n=$(echo "$out" | grep -cE '^[a-z]+-[0-9]+ +[a-z]+ +success ')
[ "$n" = 50 ] || { echo "$out" | tail -n 60; die "stagecraft-cli: $n of 50 jobs succeeded"; }
echo "stagecraft-cli run: 50 of 50 jobs succeeded"
for variant in "$gcl_cmd" "$gcl_iso_cmd"; do
    out=$(cd "$project" && $variant 2>&1) || { echo "$out" | tail -n 30; die "$variant failed"; }
    n=$(echo "$out" | grep -cE '^ PASS  ')
    [ "$n" = 50 ] || { echo "$out" | tail -n 60; die "gitlab-ci-local: $n of 50 jobs passed"; }
    echo "${variant#"$peers/bin/"}: 50 of 50 jobs passed"
done

runs_sc=20 runs_gcl=5
[ $quick = 1 ] && runs_sc=3 runs_gcl=2
echo "== whole process (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if command -v hyperfine >/dev/null; then
    echo "hyperfine $(hyperfine --version | cut -d' ' -f2)"
    cd "$project"
    hyperfine -N --warmup 1 --min-runs "$runs_sc" --export-json "$work/sc.json" \
        -n stagecraft "$sc_cmd"
    hyperfine -N --warmup 1 --min-runs "$runs_gcl" --export-json "$work/gcl.json" \
        -n gitlab-ci-local "$gcl_cmd" -n "gitlab-ci-local --shell-isolation" "$gcl_iso_cmd"
    python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
r = {x["command"]: x for f in ("sc", "gcl") for x in json.load(open(f"{work}/{f}.json"))["results"]}
ours = r["stagecraft"]
cpu = lambda x: x["user"] + x["system"]
print(f"\n{'tool':<34} {'wall (mean ± σ)':>20} {'cpu':>9} {'ratio wall':>11} {'ratio cpu':>10}")
print(f"{'stagecraft-cli run --executor shell':<34} {ours['mean']*1e3:9.1f} ± {ours['stddev']*1e3:5.1f} ms"
      f" {cpu(ours)*1e3:6.0f} ms {'':>11} {'':>10}")
worst = None
for name in ("gitlab-ci-local", "gitlab-ci-local --shell-isolation"):
    x = r[name]
    ratio = x["mean"] / ours["mean"]
    worst = ratio if worst is None else min(worst, ratio)
    print(f"{name:<34} {x['mean']:9.2f} ± {x['stddev']:5.2f} s  {cpu(x):6.2f} s {ratio:10.1f}x"
          f" {cpu(x) / cpu(ours):9.1f}x")
print(f"lowest wall-time ratio {worst:.1f}x (aim: at least 5x) -> {'met' if worst >= 5 else 'MISSED'}")
EOF
    if [ -n "${STAGECRAFT_BENCH_RESULTS:-}" ]; then
        mkdir -p "$STAGECRAFT_BENCH_RESULTS"
        cp "$work/sc.json" "$work/gcl.json" "$STAGECRAFT_BENCH_RESULTS"/
    fi
else
    echo "hyperfine is missing: timing loop (apt-get install hyperfine for statistics)"
    cd "$project"
    time_runs() { # runs command n times, prints the mean wall time in seconds
        local n=$1; shift
        local start end
        start=$(date +%s.%N)
        for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
        end=$(date +%s.%N)
        python3 -c "print(($end - $start) / $n)"
    }
    # shellcheck disable=SC2086 # the commands are word lists
    sc=$(time_runs "$runs_sc" $sc_cmd)
    # shellcheck disable=SC2086
    g=$(time_runs "$runs_gcl" $gcl_cmd)
    # shellcheck disable=SC2086
    gi=$(time_runs "$runs_gcl" $gcl_iso_cmd)
    python3 -c "
sc, g, gi = $sc, $g, $gi
print(f'stagecraft {sc*1e3:.1f} ms, gitlab-ci-local {g:.2f} s ({g/sc:.1f}x),'
      f' --shell-isolation {gi:.2f} s ({gi/sc:.1f}x)')"
fi
