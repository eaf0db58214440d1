#!/usr/bin/env node
// `npm test`: set-up, then type-check, mocha, every notebook through the tslab kernel, and the
// student end-to-end test (scripts/student_e2e.ts) beside the notebooks, then the site exported
// from them (npm run export -- --check).
// Every step runs even after one failed (CI then shows all problems at once); the exit code is
// non-zero if any step failed. Prints the time of each step.
// The type-check (one core, a minute on a busy machine) runs beside mocha; its output is held
// back and printed when it ends, so mocha's spec output stays whole. Notebooks run last, alone.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, setupOrExit } from './setup.mjs';

const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Runs `node <script> ...args` in ROOT; resolves to its result row. quiet: buffer its output. */
function step(name, script, args = [], { quiet = false } = {}) {
  const t0 = Date.now();
  console.log(`[test] === ${name}: ${[script, ...args].join(' ')}${quiet ? ' (output shown when it ends)' : ''}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let out = '';
    if (quiet) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const header = `[test] --- ${name}: ${ok ? 'ok' : 'FAILED'} in ${secs(t0)}`;
      console.log(quiet && out.trim() ? `${header}, its output:\n${out.trimEnd()}` : header);
      resolve([name, ok ? 'ok' : `FAILED (exit ${code ?? signal})`, secs(t0)]);
    });
  });
}

const tAll = Date.now();
const t0 = Date.now();
await setupOrExit();
const results = [['setup', 'ok', secs(t0)]];
const typecheck = step('typecheck', 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json'], { quiet: true });
const mocha = step('mocha', 'node_modules/mocha/bin/mocha.js');
results.push(await typecheck, await mocha);
// The student end-to-end test (release, clone, npm ci, the student's npm test and checks, the
// instructor's grade) runs beside the notebooks: each mostly keeps one core busy.
const e2e = step('student e2e', 'node_modules/tsx/dist/cli.mjs', ['scripts/student_e2e.ts'], { quiet: true });
results.push(await step('notebooks', 'scripts/run_notebooks.mjs'), await e2e);
// The site from the notebooks just executed (out/notebooks/), opened offline in chromium.
results.push(await step('site', 'node_modules/tsx/dist/cli.mjs', ['scripts/export/cli.ts', '--check']));
console.log(`\n[test] summary (${secs(tAll)} total):`);
for (const [name, status, time] of results) console.log(`[test]   ${name.padEnd(10)} ${status.padEnd(18)} ${time}`);
process.exit(results.some(([, status]) => status !== 'ok') ? 1 : 0);
