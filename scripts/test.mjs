#!/usr/bin/env node
// `npm test`: set-up, then type-check, mocha, every notebook through the tslab kernel, and the
// browser suite (JupyterLab in headless Chromium).
//
//   npm test                       everything
//   npm test -- --skip=browser     leave steps out (comma-separated names: typecheck, mocha,
//                                  notebooks, browser)
//   npm test -- --serial           one step at a time (slower; for a quiet log or a busy machine)
//
// Every step runs even after one failed (CI then shows all problems at once); the exit code is
// non-zero if any step failed. Prints the time of each step.
//
// Two lanes side by side (the machines this runs on have 2 cores; every step mostly keeps one
// busy). Lane 1 runs notebooks, taking them from the end of the list: the later notebooks train
// models and take longest, so the longest starts at once. Lane 2 runs the type-check beside
// mocha, then the browser suite, then takes notebooks from the front of the same list until it
// is empty. Each notebook runs once, in its own runner (scripts/run_notebooks.mjs FILE). Lines
// of steps that run together carry the step's name; the type-check's output is held back and
// printed when it ends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { listNotebooks } from './run_notebooks.mjs';
import { ROOT, setupOrExit } from './setup.mjs';

const STEPS = ['typecheck', 'mocha', 'notebooks', 'browser'];
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

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
function step(name, script, args, output) {
  const t0 = Date.now();
  const note = output === 'quiet' ? ' (output shown when it ends)' : '';
  console.log(`[test] === ${name}: ${[script, ...args].join(' ')}${note}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], {
      cwd: ROOT,
      stdio: output === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let held = '';
    if (output === 'quiet') {
      child.stdout.on('data', (d) => (held += d));
      child.stderr.on('data', (d) => (held += d));
    } else if (output === 'prefix') {
      prefixLines(child.stdout, `[${name}] `);
      prefixLines(child.stderr, `[${name}] `);
    }
    child.on('close', (code, signal) => {
      const ok = code === 0;
      const header = `[test] --- ${name}: ${ok ? 'ok' : 'FAILED'} in ${secs(t0)}`;
      console.log(held.trim() ? `${header}, its output:\n${held.trimEnd()}` : header);
      resolve([name, ok ? 'ok' : `FAILED (exit ${code ?? signal})`, secs(t0)]);
    });
  });
}

const COMMANDS = {
  typecheck: ['node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json']],
  mocha: ['node_modules/mocha/bin/mocha.js', []],
  notebooks: ['scripts/run_notebooks.mjs', []],
  browser: ['node_modules/mocha/bin/mocha.js', ['--config', 'scripts/browser/mocharc.json']],
};

const opts = parseArgs(process.argv.slice(2));
const tAll = Date.now();
await setupOrExit();
const results = [['setup', 'ok', secs(tAll)]];
const run = (name, output) => (opts.skip.has(name) ? Promise.resolve([name, 'skipped', '-']) : step(name, ...COMMANDS[name], output));

if (opts.serial) {
  for (const name of STEPS) results.push(await run(name, name === 'typecheck' ? 'quiet' : 'inherit'));
} else {
  const queue = opts.skip.has('notebooks') ? [] : listNotebooks();
  /** Runs notebooks from one end of the queue until it is empty; resolves to their result rows. */
  const notebookLane = async (fromEnd) => {
    const rows = [];
    for (let file; (file = fromEnd ? queue.pop() : queue.shift()); ) {
      const name = `notebook ${path.basename(file, '.ipynb')}`;
      rows.push(await step(name, COMMANDS.notebooks[0], [path.relative(ROOT, file)], 'prefix'));
    }
    return rows;
  };
  if (queue.length === 0 && !opts.skip.has('notebooks')) results.push(await run('notebooks', 'inherit')); // says there are none
  const lane1 = notebookLane(true);
  const lane2 = (async () => {
    const typecheck = run('typecheck', 'quiet');
    const mocha = run('mocha', 'prefix');
    const rows = [await typecheck, await mocha, await run('browser', 'prefix')];
    return [...rows, ...(await notebookLane(false))];
  })();
  const [rows2, rows1] = await Promise.all([lane2, lane1]);
  results.push(...rows2, ...rows1);
}
console.log(`\n[test] summary (${secs(tAll)} total${opts.serial ? ', serial' : ''}):`);
for (const [name, status, time] of results) console.log(`[test]   ${name.padEnd(36)} ${status.padEnd(18)} ${time}`);
process.exit(results.some(([, status]) => status !== 'ok' && status !== 'skipped') ? 1 : 0);
