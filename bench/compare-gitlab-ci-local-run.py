#!/usr/bin/env python3
"""Runs gitlab-ci-local and `stagecraft-cli run` on gitlab-ci-local's own shell-only test cases
and compares what each job did (docs/run-vs-gitlab-ci-local.md).

    bench/compare-gitlab-ci-local-run.py [--record] [--cli PATH] [--gcl PATH] [LABEL...]

Cases come from tests/fixtures/gcl-run/cases.txt, one per line:

    label|case folder|CI file|jobs (comma-separated, empty: whole pipeline)|options

Options (space-separated): `needs`; `manual=a,b` (gitlab-ci-local `--manual a --manual b`,
Stagecraft `--manual`, which plays every manual job); `concurrency=N`; `var=K=V` (both tools);
`home=DIR` (HOME is that folder of the case, for `~/.gitlab-ci-local/variables.yml`);
`gcl:ARG` (gitlab-ci-local only, e.g. `gcl:--shell-isolation`, `gcl:--force-shell-executor`);
`sc:ARG` (Stagecraft only); `no-output` (only outcomes are recorded: the jobs print
listings with timestamps or paths that differ by design); `gcl-file:F` (gitlab-ci-local reads this file instead, or none
with `gcl-file:` when its `.gitlab-ci-local-env` names the file).

Each case runs in a fresh git repository set up as upstream's test mocks describe
(../shared/peers/gitlab-ci-local-cases/README.md): branch `master`, remote origin
`git@gitlab.com:gcl/test-project.git`, everything committed, `origin/HEAD` -> `origin/main`.

--record writes tests/fixtures/gcl-run/<label>.json: what gitlab-ci-local did, normalised (job
names in GitLab's form, per job the outcome and the ordered `> output` lines). Without it the
recorded files are read instead of running gitlab-ci-local again. Then `stagecraft-cli run`
runs on the same repository state and the differences are printed per case; tst_gcl_run checks
the same thing, with the documented differences allowed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(REPO, "tests", "fixtures", "gcl-run")
SHARED = os.environ.get("STAGECRAFT_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"
CASES = os.path.join(SHARED, "peers", "gitlab-ci-local-cases")


def read_cases():
    rows = []
    with open(os.path.join(FIXTURES, "cases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            label, case, file, jobs, options = (line.split("|") + [""] * 5)[:5]
            rows.append({
                "label": label, "case": case, "file": file or ".gitlab-ci.yml",
                "jobs": [j for j in jobs.split(",") if j], "options": options.split(),
            })
    return rows


def make_repo(case, dest):
    shutil.copytree(os.path.join(CASES, case), dest, symlinks=True)
    for root, dirs, files in os.walk(dest):
        for n in dirs + files:
            p = os.path.join(root, n)
            if not os.path.islink(p):
                os.chmod(p, os.stat(p).st_mode | 0o200)
    git = lambda *a: subprocess.run(["git", *a], cwd=dest, check=True, capture_output=True)
    git("init", "-q", "-b", "master")
    git("config", "user.email", "test@test.com")
    git("config", "user.name", "Testersen")
    git("remote", "add", "origin", "git@gitlab.com:gcl/test-project.git")
    git("add", "-A")
    git("-c", "commit.gpgsign=false", "commit", "-qm", "init")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")


def gitlab_name(name):
    """gitlab-ci-local's job names in GitLab's form: `job: [1/2]` -> `job 1/2`,
    `job: [a,b]` -> `job: [a, b]`, child jobs `[parent -> child] -> job` -> `parent/child/job`."""
    m = re.match(r"^\[(.*?)\] -> (.*)$", name)
    if m:
        return "/".join(p.strip() for p in m.group(1).split(" -> ")) + "/" + gitlab_name(m.group(2))
    m = re.match(r"^(.*): \[(\d+)/(\d+)\]$", name)
    if m:
        return f"{m.group(1)} {m.group(2)}/{m.group(3)}"
    m = re.match(r"^(.*): \[(.*)\]$", name)
    if m:
        return f"{m.group(1)}: [{', '.join(v.strip() for v in m.group(2).split(','))}]"
    return name


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def normalise_line(text, root):
    text = ANSI.sub("", text).rstrip()
    return text.replace(root, "<project>")


def minimal_env(home):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8",
           "TERM": "dumb", "NO_COLOR": "1"}
    return env


def home_for(row, root, scratch):
    for o in row["options"]:
        if o.startswith("home="):
            return os.path.join(root, o[5:])
    home = os.path.join(scratch, "home")
    os.makedirs(home, exist_ok=True)
    return home


def gcl_args(row):
    args = ["--no-color"]
    gcl_file = row["file"]
    for o in row["options"]:
        if o.startswith("gcl-file:"):
            gcl_file = o[len("gcl-file:"):]
    if gcl_file and gcl_file != ".gitlab-ci.yml":
        args += ["--file", gcl_file]
    for o in row["options"]:
        if o == "needs":
            args.append("--needs")
        elif o.startswith("manual="):
            for j in o[7:].split(","):
                args += ["--manual", j]
        elif o.startswith("concurrency="):
            args += ["--concurrency", o[12:]]
        elif o.startswith("var="):
            args += ["--variable", o[4:]]
        elif o.startswith("gcl:"):
            args.append(o[4:])
    return args + row["jobs"]


def sc_args(row, root, data):
    path = os.path.join(root, row["file"]) if row["file"] != ".gitlab-ci.yml" else root
    args = ["run", path, "--data-dir", data]
    for o in row["options"]:
        if o == "needs":
            args.append("--needs")
        elif o.startswith("manual="):
            args.append("--manual")
        elif o.startswith("concurrency="):
            args += ["--concurrency", o[12:]]
        elif o.startswith("var="):
            args += ["--var", o[4:]]
        elif o.startswith("sc:"):
            args.append(o[3:])
    return args + row["jobs"]


def closure(names, needs):
    out, todo = set(), list(names)
    while todo:
        n = todo.pop()
        if n in out:
            continue
        out.add(n)
        todo += needs.get(n, [])
    return out


def run_gcl(gcl, row, root, home):
    env = minimal_env(home)
    list_args = [a for a in gcl_args({**row, "jobs": [], "options": [
        o for o in row["options"] if o.startswith(("gcl-file:", "var=", "gcl:"))]})]
    listed = subprocess.run([gcl, "--list-json", *list_args],
                            cwd=root, env=env, capture_output=True, text=True, timeout=120)
    jobs_listed = []
    text = listed.stdout[listed.stdout.find("["):] if "[" in listed.stdout else ""
    try:
        jobs_listed = json.loads(text) if text else []
    except json.JSONDecodeError:
        jobs_listed = []
    start = time.monotonic()
    p = subprocess.run(f"{gcl} {' '.join(shell_quote(a) for a in gcl_args(row))} 2>&1",
                       shell=True, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - start
    lines = [ANSI.sub("", line) for line in p.stdout.split("\n")]
    # Job names: from the list, and the children that were started.
    started_re = re.compile(r"^\t*(.*?\S)\s+starting (shell|\S+) \((.*)\)$")
    names = {j["name"] for j in jobs_listed}
    report_re = re.compile(r"^ (PASS|WARN|FAIL)  (.*?)\s*(?:[\d.]+% coverage)?\s*"
                           r"(?:pre_script|after_script)?$")
    for line in lines:
        m = started_re.match(line)
        if m:
            names.add(m.group(1))
        m = report_re.match(line)
        if m and m.group(2).startswith("["):  # child pipeline jobs: `[parent] -> job`
            names.add(m.group(2))
    by_length = sorted(names, key=len, reverse=True)
    started, finished, output, report = [], {}, {}, {}
    for line in lines:
        m = report_re.match(line)
        if m and m.group(2) in names:
            report.setdefault(m.group(2), set()).add(m.group(1))
            continue
        stripped = line.lstrip("\t")
        for name in by_length:
            if not stripped.startswith(name):
                continue
            rest = stripped[len(name):]
            if rest and not rest.startswith(" "):
                continue
            rest = rest.lstrip(" ")
            if rest.startswith("starting "):
                if name not in started:
                    started.append(name)
            elif rest.startswith("> "):
                output.setdefault(name, []).append(normalise_line(rest[2:], root))
            elif rest == ">":
                output.setdefault(name, []).append("")
            elif rest.startswith("finished in "):
                finished.setdefault(name, rest)
            break
    needs = {j["name"]: [n if isinstance(n, str) else n.get("job", "") for n in j.get("needs", [])]
             for j in jobs_listed}
    whens = {j["name"]: j.get("when", "on_success") for j in jobs_listed}
    if row["jobs"]:
        scope = closure(row["jobs"], needs) if "needs" in row["options"] else set(row["jobs"])
    else:
        scope = {n for n, w in whens.items() if w != "never"}
    result = {"case": row["case"], "file": row["file"], "gitlab-ci-local": gcl_args(row),
              "exit_code": p.returncode}
    if not started and p.returncode != 0:
        # Refused before any job ran: the last line says why.
        msgs = [normalise_line(l, root) for l in lines if l.strip() and not l.startswith(
            ("parsing and downloads", "json schema validated"))]
        result["error"] = msgs[-1] if msgs else ""
        return result, elapsed
    jobs = []
    order = [j["name"] for j in jobs_listed] + [n for n in started if n not in whens]
    order += [n for n in report if n not in order]
    for name in order:
        if name not in started and name not in scope and name not in report:
            continue
        if name not in started and name in report:
            # Trigger jobs do not start: the report gives their outcome.
            r = report[name]
            outcome = "failed" if "FAIL" in r else "allowed failure" if "WARN" in r else "success"
        elif name in started:
            f = finished.get(name, "")
            if " FAIL " in f + " ":
                outcome = "failed"
            elif " WARN " in f + " " and "after_script" not in f:
                outcome = "allowed failure"
            elif f:
                outcome = "success"
            else:
                outcome = "failed"
        else:
            outcome = "manual" if whens.get(name) == "manual" else "skipped"
        job = {"name": gitlab_name(name), "outcome": outcome}
        if "no-output" not in row["options"]:
            job["output"] = output.get(name, [])
        jobs.append(job)
    result["jobs"] = jobs
    return result, elapsed


def shell_quote(a):
    return "'" + a.replace("'", "'\\''") + "'"


STATUS = {"success": "success", "failed": "failed", "failed (allowed)": "allowed failure",
          "skipped": "skipped", "manual": "manual", "canceled": "canceled"}


def run_stagecraft(cli, row, root, home, scratch):
    data = os.path.join(scratch, "data")
    start = time.monotonic()
    p = subprocess.run([cli, *sc_args(row, root, data)], cwd=root, env=minimal_env(home),
                       capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - start
    lines = p.stdout.split("\n")
    result = {"exit_code": p.returncode}
    try:
        header_at = max(i for i, l in enumerate(lines) if re.match(r"^job +stage +status", l))
    except ValueError:
        result["error"] = (p.stderr.strip().split("\n") or [""])[-1]
        return result, elapsed
    header = lines[header_at]
    cols = [header.index(h) for h in ("stage", "status", "duration")]
    jobs = []
    for line in lines[header_at + 1:]:
        if not line.strip() or line.startswith("pipeline "):
            break
        name = line[:cols[0]].rstrip()
        status = line[cols[1]:cols[2]].strip()
        jobs.append({"name": name, "outcome": STATUS.get(status, status), "output": []})
    by_length = sorted((j["name"] for j in jobs), key=len, reverse=True)
    index = {j["name"]: j for j in jobs}
    for line in lines[:header_at]:
        for name in by_length:
            if line.startswith(name) and line[len(name):].lstrip(" ").startswith(">") and (
                    len(line) == len(name) or line[len(name)] == " "):
                rest = line[len(name):].lstrip(" ")
                index[name]["output"].append(normalise_line(rest[2:], root))
                break
    result["jobs"] = jobs
    return result, elapsed


def compare(expected, actual):
    """Differences as text lines (empty when both agree)."""
    diffs = []
    if "error" in expected or "error" in actual:
        if "error" in expected and "error" in actual:
            return []
        if "error" in expected:
            ran = ", ".join(j["name"] for j in actual.get("jobs", []))
            return [f"gitlab-ci-local refused ({expected['error']}); Stagecraft ran: {ran}"]
        return [f"Stagecraft refused ({actual['error']}); gitlab-ci-local ran"]
    e = {j["name"]: j for j in expected["jobs"]}
    a = {j["name"]: j for j in actual["jobs"]}
    for name in e:
        if name not in a:
            diffs.append(f"{name}: {e[name]['outcome']} in gitlab-ci-local, absent in Stagecraft")
            continue
        if e[name]["outcome"] != a[name]["outcome"]:
            diffs.append(f"{name}: outcome {e[name]['outcome']} (gitlab-ci-local) vs "
                         f"{a[name]['outcome']} (Stagecraft)")
        if "output" in e[name] and e[name]["output"] != a[name]["output"]:
            diffs.append(f"{name}: output {e[name]['output']} (gitlab-ci-local) vs "
                         f"{a[name]['output']} (Stagecraft)")
    for name in a:
        if name not in e:
            diffs.append(f"{name}: absent in gitlab-ci-local, {a[name]['outcome']} in Stagecraft")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--record", action="store_true", help="run gitlab-ci-local, write fixtures")
    ap.add_argument("--cli", default=os.path.join(REPO, "build", "dev", "app", "cli",
                                                  "stagecraft-cli"))
    ap.add_argument("--gcl", default=os.environ.get("GCL", "/work/peers/bin/gitlab-ci-local"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary repositories")
    ap.add_argument("--markdown", help="write the results table (Markdown) to this file")
    ap.add_argument("labels", nargs="*")
    args = ap.parse_args()
    if not os.path.isdir(CASES):
        sys.exit(f"compare: {CASES} is absent")
    rows = [r for r in read_cases() if not args.labels or r["label"] in args.labels]
    scratch_root = tempfile.mkdtemp(prefix="gcl-run-")
    summary = []
    try:
        for row in rows:
            scratch = os.path.join(scratch_root, row["label"])
            root = os.path.join(scratch, "project")
            os.makedirs(scratch)
            fixture = os.path.join(FIXTURES, row["label"] + ".json")
            if args.record:
                make_repo(row["case"], root)
                home = home_for(row, root, scratch)
                expected, t_gcl = run_gcl(args.gcl, row, root, home)
                with open(fixture, "w", encoding="utf-8") as f:
                    json.dump(expected, f, indent=1, ensure_ascii=False)
                    f.write("\n")
                shutil.rmtree(root)
            else:
                with open(fixture, encoding="utf-8") as f:
                    expected = json.load(f)
                t_gcl = None
            make_repo(row["case"], root)
            home = home_for(row, root, scratch)
            actual, t_sc = run_stagecraft(args.cli, row, root, home, scratch)
            diffs = compare(expected, actual)
            summary.append((row, expected, actual, diffs))
            outcomes = ", ".join(f"{j['name']}={j['outcome']}" for j in expected.get("jobs", []))
            print(f"== {row['label']}: gitlab-ci-local {expected.get('error') or outcomes}"
                  + (f" ({t_gcl:.2f} s)" if t_gcl else ""))
            if diffs:
                for d in diffs:
                    print(f"   DIFF {d}")
            else:
                print(f"   same in Stagecraft ({t_sc:.2f} s)")
    finally:
        if args.keep:
            print(f"repositories kept in {scratch_root}")
        else:
            shutil.rmtree(scratch_root, ignore_errors=True)
    if args.markdown:
        short = {"success": "ok", "failed": "FAIL", "allowed failure": "WARN", "skipped": "skip",
                 "manual": "manual", "created": "created"}
        def outcomes(result):
            if "error" in result:
                return "refused"
            return ", ".join(f"`{j['name']}` {short.get(j['outcome'], j['outcome'])}"
                             for j in result["jobs"])
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write("| case | gitlab-ci-local arguments | gitlab-ci-local | Stagecraft |\n")
            f.write("|---|---|---|---|\n")
            for row, expected, actual, diffs in summary:
                args_text = " ".join(a for a in expected.get("gitlab-ci-local", [])
                                     if a != "--no-color")
                theirs = outcomes(expected)
                if not diffs:
                    ours = "same"
                elif "error" in expected or "error" in actual:
                    ours = outcomes(actual)
                else:
                    e = {j["name"]: j["outcome"] for j in expected["jobs"]}
                    a = {j["name"]: j["outcome"] for j in actual["jobs"]}
                    changed = [n for n in a if e.get(n) != a[n]] + [n for n in e if n not in a]
                    ours = ", ".join(f"`{n}` {short.get(a[n], a[n]) if n in a else 'absent'}"
                                     for n in changed)
                    ours = (ours + "; other jobs same") if ours and len(changed) < len(a) else ours
                    if not changed:
                        ours = "same outcomes, output differs"
                f.write(f"| `{row['label']}` | `{args_text or '(whole pipeline)'}` | {theirs} "
                        f"| {ours} |\n")
    same = sum(1 for s in summary if not s[3])
    print(f"\n{same} of {len(summary)} cases agree without allowances")


if __name__ == "__main__":
    main()
