#!/usr/bin/env node
// `npm test`: set-up, then type-check, mocha, the Jupyter kernel conformance suite against the
// project's kernel (scripts/kernel_conformance.mjs), every notebook run once through that kernel
// (the quick ones headless and in the browser suite, the training ones in the browser suite
// only: JupyterLab in headless Chromium), the student end-to-end test (scripts/student_e2e.ts),
// and last the static site exported from the executed notebooks and checked offline
// (npm run export -- --check).
//
//   npm test                       everything
//   npm test -- --skip=browser     leave steps out (comma-separated names: typecheck, mocha,
//                                  kernel, notebooks, browser, student-e2e, site)
//   npm test -- --serial           one step at a time (slower; for a quiet log or a busy machine)
//
// Every step runs even after one failed (CI then shows all problems at once); the exit code is
// non-zero if any step failed. Prints the time of each step.
//
// Two lanes side by side (the machines this runs on have 2 cores; every step mostly keeps one
// busy). Both take jobs from one queue, longest first: the notebooks that train models (04, then
// 03; scripts/slow_notebooks.json), each in the browser suite (which saves the executed notebook
// to out/notebooks/ for the site), the student end-to-end test, then the quick notebooks headless
// (scripts/run_notebooks.mjs FILE), then the kernel conformance suite. Lane 1 starts on the
// queue at once; lane 2 first runs the type-check beside mocha, then the browser suite's quick
// part (notebooks 01 and 02, the error cells, clab.check), then joins the queue. With
// --skip=browser the training notebooks run headless instead. The site step needs every executed
// notebook, so it runs after both lanes. Lines of steps that run together
// carry the step's name; the type-check's output is held back and printed when it ends.
//
// Stopped by SIGINT, SIGTERM or SIGHUP (Ctrl-C, a CI timeout, a closed terminal), it passes
// SIGTERM to every running step's process group (each step runs in its own), whose processes
// then stop their Jupyter servers and kernels; what is still there after STOP_GRACE_MS is killed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { listNotebooks } from './run_notebooks.mjs';
import { ROOT, setupOrExit } from './setup.mjs';

const STEPS = ['typecheck', 'mocha', 'kernel', 'notebooks', 'browser', 'student-e2e', 'site'];
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const STOP_GRACE_MS = 15_000;

/** The running steps' child processes, each the leader of its own process group. */
const running = new Set();
let stopping = false;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* the group is gone */
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[test] ${signal}: stopping ${running.size} running step(s) and what they started`);
    for (const child of running) signalGroup(child, 'SIGTERM');
    const closed = [...running].map((child) => new Promise((r) => child.once('close', r)));
    const grace = new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref());
    void Promise.race([Promise.all(closed), grace]).then(() => {
      for (const child of running) signalGroup(child, 'SIGKILL');
      process.exit(code);
    });
  });
}

function parseArgs(argv) {
  const opts = { skip: new Set(), serial: false };
  for (const arg of argv) {
    if (arg === '--serial') opts.serial = true;
    else if (arg.startsWith('--skip=')) {
      for (const name of arg.slice('--skip='.length).split(',').filter(Boolean)) {
        if (!STEPS.includes(name)) usage(`--skip: unknown step ${name}; the steps are ${STEPS.join(', ')}`);
        opts.skip.add(name);
      }
    } else usage(`unknown argument ${arg}`);
  }
  return opts;
}

function usage(message) {
  console.error(`test: ${message}\nusage: npm test -- [--skip=STEP,...] [--serial]`);
  process.exit(2);
}

/** Copies a stream to stdout line by line, each line prefixed (whole lines only: no mixing). */
function prefixLines(stream, prefix) {
  let rest = '';
  stream.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
  });
  stream.on('end', () => rest && process.stdout.write(`${prefix}${rest}\n`));
}

/**
 * Runs `node <script> ...args` in ROOT; resolves to its result row.
 * output: 'inherit' (alone), 'prefix' (beside another step) or 'quiet' (held back until it ends).
 */
function step(name, script, args, output, env = {}) {
  if (stopping) return Promise.resolve([name, 'FAILED (not run: stopped)', '-']);
  const t0 = Date.now();
  const note = output === 'quiet' ? ' (output shown when it ends)' : '';
  console.log(`[test] === ${name}: ${[script, ...args].join(' ')}${note}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      env: { ...stepEnv(name, output), ...env },
      stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a signal to this process reaches the step through the handler above
    });
    running.add(child);
    let held = '';
    if (output === 'quiet') {
      child.stdout.on('data', (d) => (held += d));
      child.stderr.on('data', (d) => (held += d));
    } else if (output === 'prefix') {
      prefixLines(child.stdout, `[${name}] `);
      prefixLines(child.stderr, `[${name}] `);
    }
    child.on('close', (code, signal) => {
      running.delete(child);
      const ok = code === 0;
      const header = `[test] --- ${name}: ${ok ? 'ok' : 'FAILED'} in ${secs(t0)}`;
      console.log(held.trim() ? `${header}, its output:\n${held.trimEnd()}` : header);
      resolve([name, ok ? 'ok' : `FAILED (exit ${code ?? signal})`, secs(t0)]);
    });
  });
}

/**
 * A step's environment. Beside another step (two lanes on two cores) WASM runs on one thread,
 * also if the library's default (one thread) changes: both cores are busy already, and the WASM
 * pool's threads spin while they wait for work, which slows the other lane by about a fifth
 * (bench/README.md); the training notebooks' browser jobs too. The browser suite's quick part
 * keeps the library's default, as a student's JupyterLab has it; so does a step that runs alone
 * (--serial), and CLAB_THREADS, if set, wins everywhere.
 */
function stepEnv(name, output) {
  const env = { ...process.env };
  if (env.CLAB_THREADS === undefined && output !== 'inherit' && name !== 'browser') env.CLAB_THREADS = '1';
  return env;
}

const COMMANDS = {
  typecheck: ['node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json']],
  mocha: ['node_modules/mocha/bin/mocha.js', []],
  kernel: ['scripts/kernel_conformance.mjs', []],
  notebooks: ['scripts/run_notebooks.mjs', []],
  browser: ['node_modules/mocha/bin/mocha.js', ['--config', 'scripts/browser/mocharc.json']],
  'student-e2e': ['node_modules/tsx/dist/cli.mjs', ['scripts/student_e2e.ts']],
  site: ['node_modules/tsx/dist/cli.mjs', ['scripts/export/cli.ts', '--check']],
};

const opts = parseArgs(process.argv.slice(2));
const tAll = Date.now();
await setupOrExit();
const results = [['setup', 'ok', secs(tAll)]];
/** The notebooks that train models (minutes each): run once, in the browser suite, unless it is skipped. */
const TRAINING = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'slow_notebooks.json'), 'utf8'))));
const allNotebooks = listNotebooks();
const inBrowser = opts.skip.has('browser') ? [] : allNotebooks.filter((f) => TRAINING.has(path.basename(f)));
const headless = allNotebooks.filter((f) => !inBrowser.includes(f));
/** The browser suite saves the notebooks it runs where the site export reads executed copies. */
const EXECUTED = { CLAB_BROWSER_EXECUTED_DIR: path.join(ROOT, 'out', 'notebooks') };
/** The browser step's part when the training notebooks run as jobs of their own. */
const quickBrowser = { CLAB_BROWSER_ONLY: [...headless.map((f) => path.basename(f)), 'errors', 'check'].join(',') };
const run = (name, output, env = {}) => (opts.skip.has(name) ? Promise.resolve([name, 'skipped', '-']) : step(name, ...COMMANDS[name], output, env));

if (opts.serial) {
  for (const name of STEPS) {
    if (name === 'notebooks') results.push(opts.skip.has(name) ? [name, 'skipped', '-'] : await step(name, COMMANDS.notebooks[0], headless.map((f) => path.relative(ROOT, f)), 'inherit'));
    else results.push(await run(name, name === 'typecheck' ? 'quiet' : 'inherit', name === 'browser' ? EXECUTED : {}));
  }
} else {
  // The queue, longest first (later notebooks train models and take longest; the student test
  // takes about as long as notebook 03, on a quick machine a little less).
  const notebooks = opts.skip.has('notebooks') ? [] : headless.slice().reverse();
  const jobs = [
    ...inBrowser
      .slice()
      .reverse()
      .map((file) => () => step(`browser ${path.basename(file, '.ipynb')}`, ...COMMANDS.browser, 'prefix', { ...EXECUTED, CLAB_BROWSER_ONLY: path.basename(file) })),
    ...notebooks.map((file) => () => step(`notebook ${path.basename(file, '.ipynb')}`, COMMANDS.notebooks[0], [path.relative(ROOT, file)], 'prefix')),
  ];
  jobs.splice(Math.min(2, jobs.length), 0, () => run('student-e2e', 'quiet'));
  jobs.push(() => run('kernel', 'prefix'));
  /** Runs jobs from the queue until it is empty; resolves to their result rows. */
  const lane = async () => {
    const rows = [];
    for (let job; (job = jobs.shift()); ) rows.push(await job());
    return rows;
  };
  if (allNotebooks.length === 0 && !opts.skip.has('notebooks')) results.push(await run('notebooks', 'inherit')); // says there are none
  const lane1 = lane();
  const lane2 = (async () => {
    const typecheck = run('typecheck', 'quiet');
    const mocha = run('mocha', 'prefix');
    const rows = [await typecheck, await mocha, await run('browser', 'prefix', inBrowser.length > 0 ? quickBrowser : EXECUTED)];
    return [...rows, ...(await lane())];
  })();
  const [rows2, rows1] = await Promise.all([lane2, lane1]);
  results.push(...rows2, ...rows1);
  results.push(await run('site', 'inherit'));
}
console.log(`\n[test] summary (${secs(tAll)} total${opts.serial ? ', serial' : ''}):`);
for (const [name, status, time] of results) console.log(`[test]   ${name.padEnd(36)} ${status.padEnd(18)} ${time}`);
process.exit(results.some(([, status]) => status !== 'ok' && status !== 'skipped') ? 1 : 0);
