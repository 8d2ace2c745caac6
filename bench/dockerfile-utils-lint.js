#!/usr/bin/env node
// Prints the diagnostics of dockerfile-utils (the validator behind the VS Code Docker extension)
// for a list of files, in stagecraft-cli's text format, for side-by-side comparisons.
//
//   node bench/dockerfile-utils-lint.js [--errors] [--quiet] FILE...
//
// dockerfile-utils is not a dependency of Stagecraft: install it outside the repository,
//   mkdir -p /work/peers && cd /work/peers && npm install dockerfile-utils@0.16
// and point PEERS at that folder if it is not /work/peers.
// --errors: error severity only. --quiet: print only the totals (for timing).
// --rounds=N: validate every file N times and print the mean in-process time per file
// (startup and file reading excluded), to compare with bench/bench_dockerfile.cpp.
// Exit status: 1 when an error-severity diagnostic was found, like stagecraft-cli.
'use strict';

const fs = require('fs');
const path = require('path');

const peers = process.env.PEERS || '/work/peers';
const utils = require(path.join(peers, 'node_modules', 'dockerfile-utils'));

const args = process.argv.slice(2);
const errorsOnly = args.includes('--errors');
const quiet = args.includes('--quiet');
const files = args.filter((a) => !a.startsWith('--'));
const roundsArg = args.find((a) => a.startsWith('--rounds='));
const rounds = roundsArg ? Math.max(1, parseInt(roundsArg.slice(9), 10)) : 0;
if (files.length === 0) {
  process.stderr.write('usage: dockerfile-utils-lint.js [--errors] [--quiet] FILE...\n');
  process.exit(2);
}

const codeName = {};
for (const [name, value] of Object.entries(utils.ValidationCode)) {
  if (typeof value === 'number') codeName[value] = name;
}
const severityName = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

let errors = 0;
let total = 0;
const out = [];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const found = utils.validate(text);
  for (const d of found) {
    if (d.severity === 1) errors++;
    if (errorsOnly && d.severity !== 1) continue;
    total++;
    if (quiet) continue;
    // LSP ranges are 0-based; Stagecraft's are 1-based.
    out.push(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ` +
             `${severityName[d.severity] || d.severity}: ${d.message} [${codeName[d.code] || d.code}]`);
  }
}
if (quiet) out.push(`files: ${files.length} diagnostics: ${total} errors: ${errors}`);
if (rounds > 0) {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of texts) utils.validate(t);
  const ns = Number(process.hrtime.bigint() - start);
  out.push(`mean per file: ${(ns / rounds / texts.length / 1000).toFixed(1)} us  ` +
           `whole corpus per round: ${(ns / rounds / 1e6).toFixed(2)} ms  rounds: ${rounds}`);
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
process.exit(errors > 0 ? 1 : 0);
