#!/usr/bin/env node
// Executes notebooks headless through the project's TypeScript kernel and reports the first failing cell.
//
//   npm run notebooks                                   every notebooks/*.ipynb
//   npm run notebooks -- notebooks/02-infonce-bound.ipynb [more.ipynb ...]
//   options: --timeout=SECONDS  per cell (default 600, or CLAB_CELL_TIMEOUT)
//            --out-dir=DIR      where executed copies go (default CLAB_NOTEBOOK_OUT_DIR, else
//                               out/notebooks, gitignored)
//            --allow-outputs    do not fail on notebooks committed with outputs
//
// Each notebook runs in a fresh kernel, in its own folder (so `../dist/lib` resolves), after the
// set-up steps it needs (kernelspec, dist/ rebuilt if stale). Executed copies are written
// atomically, also for a failing notebook (up to the failing cell). Notebooks are committed
// clean: one whose committed version (the git index) holds outputs is an error; outputs only in
// the working tree (saved from Jupyter) are a warning. `npm run notebooks:strip` clears them.
// Exit code: 0 all passed (or no notebooks yet), 1 a notebook failed or is not clean, 2 bad usage.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, setupOrExit } from './setup.mjs';

const EXECUTOR = path.join(ROOT, 'scripts', 'execute_notebook.py');
const SOURCE_LINES = 6;
const ERROR_LINES = 30;

function parseArgs(argv) {
  const opts = { files: [], timeout: Number(process.env.CLAB_CELL_TIMEOUT || 600), outDir: path.resolve(process.env.CLAB_NOTEBOOK_OUT_DIR || path.join(ROOT, 'out', 'notebooks')), allowOutputs: false };
  for (const arg of argv) {
    if (arg.startsWith('--timeout=')) opts.timeout = Number(arg.slice('--timeout='.length));
    else if (arg.startsWith('--out-dir=')) opts.outDir = path.resolve(arg.slice('--out-dir='.length));
    else if (arg === '--allow-outputs') opts.allowOutputs = true;
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else opts.files.push(path.resolve(arg));
  }
  if (!Number.isInteger(opts.timeout) || opts.timeout <= 0) {
    usage(`--timeout (or CLAB_CELL_TIMEOUT) must be a whole number of seconds > 0, got ${opts.timeout}`);
  }
  return opts;
}

function usage(message) {
  console.error(`run_notebooks: ${message}\nusage: npm run notebooks -- [--timeout=SECONDS] [--out-dir=DIR] [--allow-outputs] [file.ipynb ...]`);
  process.exit(2);
}

/** Indices of cells that hold outputs or execution counts. */
function dirtyCells(notebookJson) {
  const nb = JSON.parse(notebookJson);
  return (nb.cells ?? []).flatMap((c, i) => ((c.outputs?.length ?? 0) > 0 || (c.execution_count ?? null) !== null ? [i] : []));
}

/** The notebook as committed (git index), or null when it is not tracked or git is absent. */
function indexVersion(file) {
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('..')) return null;
  const res = spawnSync('git', ['show', `:${rel.split(path.sep).join('/')}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return res.status === 0 ? res.stdout : null;
}

function cleanCheck(file, allowOutputs) {
  const rel = path.relative(process.cwd(), file);
  const strip = `npm run notebooks:strip -- ${rel}`;
  const committed = indexVersion(file);
  if (committed !== null) {
    const cells = dirtyCells(committed);
    if (cells.length && !allowOutputs) {
      return { error: `${rel} is committed with outputs in cells ${cells.join(', ')}; notebooks are committed clean: ${strip}, then commit it` };
    }
  }
  const cells = dirtyCells(fs.readFileSync(file, 'utf8'));
  if (cells.length && !allowOutputs) {
    return { warning: `${rel} has outputs in cells ${cells.join(', ')} (working tree; they are ignored, and replaced in the executed copy); before committing: ${strip}` };
  }
  return {};
}

function execute(python, env, file, outFile, timeout) {
  return new Promise((resolve) => {
    const child = spawn(python, [EXECUTOR, file, outFile, `--timeout=${timeout}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => resolve({ ok: false, failed: { index: null, source: '', error: `could not start ${python}: ${e.message}` } }));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        const res = JSON.parse(last);
        // A dead kernel says why only on its own stderr (which is the executor's): show the end.
        if (res.failed && /kernel died/.test(res.failed.error) && err.trim()) {
          res.failed.error += `\nthe kernel's last words (stderr):\n${err.trim().split('\n').slice(-15).join('\n')}`;
        }
        resolve(res);
      } catch {
        resolve({ ok: false, failed: { index: null, source: '', error: `executor exited ${code}:\n${err.trim() || out.trim()}` } });
      }
    });
  });
}

function indent(text, maxLines) {
  const lines = text.replace(/\s+$/, '').split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `    | ${l}`);
  if (lines.length > maxLines) shown.push(`    | ... (${lines.length - maxLines} more lines)`);
  return shown.join('\n');
}

/** notebooks/*.ipynb, sorted. */
export function listNotebooks() {
  const dir = path.join(ROOT, 'notebooks');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
}

export async function main(argv = process.argv.slice(2)) {
  const opts = parseArgs(argv);
  const files = opts.files.length ? opts.files : listNotebooks();
  if (files.length === 0) {
    console.log('run_notebooks: notebooks/ holds no .ipynb yet - nothing to execute (this is not a failure)');
    return 0;
  }
  for (const f of files) if (!fs.existsSync(f)) usage(`no such notebook: ${f}`);

  const jupyter = await setupOrExit({ quiet: true, backend: false });

  console.log(`run_notebooks: ${files.length} notebook(s), per-cell timeout ${opts.timeout}s, executed copies in ${path.relative(process.cwd(), opts.outDir) || '.'}/`);
  const failures = [];
  const tAll = Date.now();
  for (const file of files) {
    const rel = path.relative(process.cwd(), file);
    const check = cleanCheck(file, opts.allowOutputs);
    if (check.warning) console.log(`WARN  ${check.warning}`);
    const outFile = path.join(opts.outDir, path.basename(file));
    const t0 = Date.now();
    const res = await execute(jupyter.python, jupyter.env, file, outFile, opts.timeout);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const outRel = path.relative(process.cwd(), outFile);
    if (res.ok) {
      console.log(`PASS  ${rel}  ${res.cells} cells  ${secs}s  -> ${outRel}`);
    } else {
      const f = res.failed;
      const where = f.index === null ? 'before any cell ran' : `cell ${f.index + 1} of ${res.cells ?? '?'} (index ${f.index})`;
      const report = [`FAIL  ${rel}  ${where}  ${secs}s`];
      if (f.source) report.push('  source:', indent(f.source, SOURCE_LINES));
      report.push('  error:', indent(f.error, ERROR_LINES));
      if (fs.existsSync(outFile)) report.push(`  executed copy (up to the failure): ${outRel}`);
      console.log(report.join('\n'));
      failures.push({ rel, why: where });
    }
    if (check.error) {
      console.log(`FAIL  ${check.error}`);
      failures.push({ rel, why: 'committed with outputs' });
    }
  }
  const total = ((Date.now() - tAll) / 1000).toFixed(1);
  const passed = files.length - new Set(failures.map((f) => f.rel)).size;
  console.log(`run_notebooks: ${passed} of ${files.length} notebook(s) passed in ${total}s`);
  if (failures.length) {
    console.log(`run_notebooks: FAILED\n${failures.map((f) => `  - ${f.rel}: ${f.why}`).join('\n')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  process.exitCode = await main();
}
