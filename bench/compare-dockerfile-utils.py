#!/usr/bin/env python3
"""Side by side: error-severity findings of stagecraft-cli and dockerfile-utils, by file and line.

    bench/compare-dockerfile-utils.py [--cli PATH] [--syntax] FILE...

--syntax: leave out hadolint's best-practice rules (DLxxxx) and ShellCheck (SCxxxx), keeping what
Docker/BuildKit itself rejects, which is what dockerfile-utils checks.

Prints one block per file where the two disagree (an error line only one of them reports) and a
summary. Needs node and dockerfile-utils installed in $PEERS (default /work/peers).
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
cli = os.path.join(here, '..', 'build', 'dev', 'app', 'cli', 'stagecraft-cli')
if args[:1] == ['--cli']:
    cli, args = args[1], args[2:]
syntax_only = '--syntax' in args
files = [a for a in args if a != '--syntax']

ours = defaultdict(list)
for f in files:
    out = subprocess.run([cli, 'lint', '--format=json', '--no-shellcheck', f],
                         capture_output=True, text=True).stdout
    for d in json.loads(out or '{"diagnostics":[]}')['diagnostics']:
        if syntax_only and (d['code'].startswith('DL') or d['code'].startswith('SC')):
            continue
        if d['severity'] == 'error':
            ours[f].append((d['line'], d['code'], d['message']))

theirs = defaultdict(list)
out = subprocess.run(['node', os.path.join(here, 'dockerfile-utils-lint.js'), '--errors'] + files,
                     capture_output=True, text=True).stdout
for line in out.splitlines():
    path, lno, _col, rest = line.split(':', 3)
    severity, rest = rest.strip().split(':', 1)
    message, code = rest.strip().rsplit(' [', 1)
    theirs[path].append((int(lno), code.rstrip(']'), message))

agree = disagree = 0
for f in files:
    a = {l for l, _, _ in ours[f]}
    b = {l for l, _, _ in theirs[f]}
    if a == b:
        agree += 1
        continue
    disagree += 1
    print(f'== {os.path.basename(f)}')
    for l in sorted(a | b):
        mine = '; '.join(f'{c}: {m}' for ln, c, m in ours[f] if ln == l) or '-'
        other = '; '.join(f'{c}: {m}' for ln, c, m in theirs[f] if ln == l) or '-'
        marker = '  ' if (l in a) == (l in b) else '!='
        print(f'{marker} line {l}\n     stagecraft:      {mine}\n     dockerfile-utils: {other}')
print(f'\nfiles: {len(files)}  same error lines: {agree}  different: {disagree}')
