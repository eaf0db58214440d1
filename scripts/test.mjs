#!/usr/bin/env node
// `npm test`: set-up, then type-check, mocha, and every notebook through the tslab kernel.
// Every step runs even after one failed (CI then shows all problems at once); the exit code is
// non-zero if any step failed. Prints the time of each step.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, setupOrExit } from './setup.mjs';

const STEPS = [
  ['typecheck', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']],
  ['mocha', ['node_modules/mocha/bin/mocha.js']],
  ['notebooks', ['scripts/run_notebooks.mjs']],
];

const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const tAll = Date.now();
let t0 = Date.now();
await setupOrExit();
const results = [['setup', 'ok', secs(t0)]];
for (const [name, args] of STEPS) {
  console.log(`\n[test] === ${name}: ${args.join(' ')}`);
  t0 = Date.now();
  const res = spawnSync(process.execPath, args.map((a, i) => (i === 0 ? path.join(ROOT, a) : a)), { cwd: ROOT, stdio: 'inherit' });
  const ok = res.status === 0;
  results.push([name, ok ? 'ok' : `FAILED (exit ${res.status ?? res.signal})`, secs(t0)]);
  console.log(`[test] --- ${name}: ${ok ? 'ok' : 'FAILED'} in ${secs(t0)}`);
}
console.log(`\n[test] summary (${secs(tAll)} total):`);
for (const [name, status, time] of results) console.log(`[test]   ${name.padEnd(10)} ${status.padEnd(18)} ${time}`);
process.exit(results.some(([, status]) => status !== 'ok') ? 1 : 0);
