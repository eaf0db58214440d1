#!/usr/bin/env node
// Set-up for contrastive-lab: does whatever is missing, one line per step, idempotent.
//
//   node scripts/setup.mjs        (npm run setup; also the first thing `npm start` and `npm test` do)
//
// Steps: node_modules (npm ci when missing or stale) -> Jupyter (a project-local .venv with
// JupyterLab and nbconvert 7 made with pip; else Debian's packages; else stop with the commands
// to run: see setup/jupyter.mjs) -> the kernelspec of the project's TypeScript kernel (and
// JupyterLab's defaults) in .jupyter-local/ pointing at THIS checkout (setup/kernelspec.mjs) ->
// dist/ (tsc -p tsconfig.build.json when a source changed; it holds the kernel too) -> which tfjs
// backend will run.
//
// Plain Node, no dependencies: it runs before node_modules exists. Other scripts import it.
// Environment: CLAB_PYTHON=/path/to/python forces the Python whose Jupyter is used;
// CLAB_SETUP_NO_INSTALL=1 never installs system packages or a virtualenv (prints the commands);
// CLAB_PIP_TIMEOUT bounds pip (seconds, default 300). `--retry-pip` tries pip again at once
// after a failure (set-up otherwise waits a day before trying again).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledGraderStaleness, graderInputs, writeGraderStamp } from '../grader/bin/compiled_grader.js';
import { ensureJupyter, findJupyter, SetupError } from './setup/jupyter.mjs';
import { KERNEL_NAME, registerKernel } from './setup/kernelspec.mjs';
import { which } from './setup/which.mjs';
import { writeAtomic } from './setup/write_atomic.mjs';

export { findJupyter } from './setup/jupyter.mjs';
export { KERNEL_ENV, KERNEL_NAME } from './setup/kernelspec.mjs';

/** The checkout this script belongs to (not the cwd: npm scripts may run from anywhere). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Project-local Jupyter data dir; its kernels/ holds the kernelspec. Put first on JUPYTER_PATH. */
export const JUPYTER_DATA = path.join(ROOT, '.jupyter-local', 'share', 'jupyter');
/** Project-local Jupyter config dir; its labconfig/ holds JupyterLab's defaults. Put first on JUPYTER_CONFIG_PATH. */
export const JUPYTER_CONFIG = path.join(ROOT, '.jupyter-local', 'etc', 'jupyter');
const BACKEND_CACHE = path.join(ROOT, '.jupyter-local', 'backend.json');
const BUILD_STAMP = path.join(ROOT, 'dist', '.clab-build-stamp');
const BUILD_INPUTS = ['lib', 'exercises', 'solutions', 'grader', 'kernel', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/**
 * The environment for every Jupyter process the project starts: the project-local kernels
 * directory first on JUPYTER_PATH, so its kernelspec wins over any system-wide one, and the
 * project-local config first on JUPYTER_CONFIG_PATH (JupyterLab's defaults: no news prompt).
 */
export function jupyterEnv(base = process.env) {
  const jupyterPath = [JUPYTER_DATA, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  const configPath = [JUPYTER_CONFIG, base.JUPYTER_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  // PYDEVD_...: silences debugpy's "frozen modules" warning that Python 3.11 prints on every start.
  return { ...base, JUPYTER_PATH: jupyterPath, JUPYTER_CONFIG_PATH: configPath, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', ...opts });
}

// ---------------------------------------------------------------- node_modules

/** Why node_modules does not match package-lock.json, or null when it does. */
export function nodeModulesStaleness() {
  const hidden = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(path.join(ROOT, 'node_modules'))) return 'node_modules is missing';
  if (!fs.existsSync(hidden)) return 'node_modules/.package-lock.json is missing';
  const want = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(fs.readFileSync(hidden, 'utf8')).packages ?? {};
  for (const [key, meta] of Object.entries(want)) {
    if (key === '' || !key.startsWith('node_modules/')) continue;
    const got = have[key];
    // Optional packages (tfjs-node offline, esbuild for other platforms) may be absent.
    if (got === undefined) {
      if (meta.optional) continue;
      return `${key.slice('node_modules/'.length)} is not installed`;
    }
    if (got.version !== meta.version) {
      return `${key.slice('node_modules/'.length)} is ${got.version}, package-lock.json wants ${meta.version}`;
    }
  }
  return null;
}

function stepNodeModules() {
  let why = nodeModulesStaleness();
  if (why === null) return 'ok (matches package-lock.json)';
  // Others may be running `flock /tmp/npm.lock npm install ...` in this tree: take the same
  // lock, and look again once we hold it.
  const flock = which('flock');
  const lockArgs = flock ? [flock, '/tmp/npm.lock'] : [];
  console.log(`[setup] node_modules: ${why}; running npm ci`);
  const child = lockArgs.length
    ? run(lockArgs[0], [lockArgs[1], process.execPath, fileURLToPath(import.meta.url), '--npm-ci-if-stale'], { stdio: 'inherit' })
    : npmCiIfStale();
  if (child.status !== 0) throw new SetupError('npm ci failed (see above); fix it and rerun `npm run setup`');
  why = nodeModulesStaleness();
  if (why !== null) throw new SetupError(`npm ci finished but node_modules is still stale: ${why}`);
  return 'ok (installed with npm ci)';
}

function npmCiIfStale() {
  if (nodeModulesStaleness() === null) return { status: 0 };
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
}

// ---------------------------------------------------------------- Jupyter
// The choice of Python lives in setup/jupyter.mjs; findJupyter() is what other scripts call.

async function stepJupyter(probe, retryPip) {
  return ensureJupyter({ root: ROOT, env: jupyterEnv(), found: await probe, retryPip, say: (line) => console.log(`[setup] jupyter: ${line}`) });
}

// ---------------------------------------------------------------- kernelspec

/** The kernel.json set-up writes (setup/kernelspec.mjs says what is in it). */
export function kernelSpecPath() {
  return path.join(JUPYTER_DATA, 'kernels', KERNEL_NAME, 'kernel.json');
}

function stepKernel() {
  return registerKernel({ root: ROOT, dataDir: JUPYTER_DATA, configDir: JUPYTER_CONFIG });
}

// ---------------------------------------------------------------- build

function buildFingerprint() {
  const hash = createHash('sha1');
  const walk = (rel) => {
    const abs = path.join(ROOT, rel);
    let st;
    try {
      st = fs.statSync(abs);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) if (name !== 'node_modules') walk(path.join(rel, name));
    } else {
      hash.update(`${rel}\t${st.size}\t${st.mtimeMs}\n`);
    }
  };
  BUILD_INPUTS.forEach(walk);
  return hash.digest('hex');
}

/**
 * Rebuilds dist/ when a source changed. Type errors do not stop set-up: tsc emits anyway, and
 * Jupyter must stay usable (a student's half-done exercise must not lock them out of the
 * notebooks); `npm test` fails on them in its type-check step.
 */
export function ensureBuild() {
  const fingerprint = buildFingerprint();
  const index = path.join(ROOT, 'dist', 'lib', 'index.js');
  let stamp = null;
  try {
    stamp = JSON.parse(fs.readFileSync(BUILD_STAMP, 'utf8'));
  } catch {
    /* never built by set-up */
  }
  // What the compiled grader is made of, taken before tsc reads it (see compiled_grader.js).
  const grader = graderInputs(ROOT);
  if (fs.existsSync(index) && stamp?.fingerprint === fingerprint && compiledGraderStaleness(ROOT, grader) === null) {
    return stamp.errors
      ? `WARNING dist/ is up to date but its sources have type errors (${stamp.errors} lines; npm run typecheck)`
      : 'ok (dist/ is up to date)';
  }
  // tsconfig.build.json is incremental: without its outputs, tsc must not trust its build info.
  if (!fs.existsSync(index)) fs.rmSync(path.join(ROOT, 'dist', '.tsbuildinfo'), { force: true });
  const t0 = Date.now();
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = run(process.execPath, [tsc, '-p', 'tsconfig.build.json']);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const errors = res.status === 0 ? [] : `${res.stdout}${res.stderr}`.trim().split('\n');
  if (!fs.existsSync(index)) {
    throw new SetupError(`tsc -p tsconfig.build.json emitted nothing:\n${errors.slice(0, 20).join('\n')}`);
  }
  writeAtomic(BUILD_STAMP, JSON.stringify({ fingerprint, errors: errors.length }));
  writeGraderStamp(ROOT, grader);
  if (errors.length === 0) return `built (tsc -p tsconfig.build.json, ${secs}s)`;
  const shown = errors.slice(0, 6).map((l) => `    ${l}`).join('\n');
  const more = errors.length > 6 ? `\n    ... ${errors.length - 6} more lines: npm run typecheck` : '';
  return `WARNING built with type errors (${secs}s); dist/ was emitted anyway:\n${shown}${more}`;
}

// ---------------------------------------------------------------- backend

/**
 * Reports the backend a notebook would get. Loading tfjs takes ~0.5 s idle (far more on a busy
 * machine), so the answer is cached under a key of everything it depends on: the installed
 * packages, the built dist/, CLAB_BACKEND, CLAB_THREADS and the Node version.
 */
function stepBackend() {
  const lock = fs.statSync(path.join(ROOT, 'node_modules', '.package-lock.json'));
  const dist = fs.existsSync(BUILD_STAMP) ? fs.readFileSync(BUILD_STAMP, 'utf8') : '';
  const key = createHash('sha1')
    .update(JSON.stringify([lock.mtimeMs, lock.size, dist, process.env.CLAB_BACKEND ?? '', process.env.CLAB_THREADS ?? '', process.version]))
    .digest('hex');
  try {
    const cached = JSON.parse(fs.readFileSync(BACKEND_CACHE, 'utf8'));
    if (cached.key === key) return cached.summary;
  } catch {
    /* not probed yet */
  }
  const code = "require('./dist/lib').initBackend().then((i) => console.log(i.summary), (e) => { console.error(e.message); process.exit(1); })";
  const res = run(process.execPath, ['-e', code]);
  if (res.status !== 0) throw new SetupError(`the tfjs backend did not start: ${(res.stderr || res.stdout).trim()}`);
  const summary = res.stdout.trim().replace(/^tfjs backend: /, '');
  writeAtomic(BACKEND_CACHE, JSON.stringify({ key, summary }));
  return summary;
}

// ---------------------------------------------------------------- driver

/**
 * Runs every set-up step that is needed, printing one line each.
 * @param {{quiet?: boolean, backend?: boolean, retryPip?: boolean}} options quiet: print only
 *   steps that did something or warn; backend: false skips the tfjs backend report; retryPip:
 *   try pip again even if it failed less than a day ago.
 * @returns {Promise<{python: string, versions: Record<string, string|null>, lab: boolean,
 *   classic: boolean, nbconvert7: boolean, costs: string[], env: NodeJS.ProcessEnv}>} the
 *   findJupyter() answer for the Python set-up chose, and the environment to run Jupyter in
 */
export async function setup({ quiet = false, backend = true, retryPip = false } = {}) {
  const say = (step, line, t0) => {
    if (quiet && line.startsWith('ok')) return;
    const [first, ...more] = line.split('\n'); // the time goes after the first line of a long report
    console.log([`[setup] ${step}: ${first} [${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...more].join('\n'));
  };
  let t0 = Date.now();
  // Probing Python takes ~0.4 s and needs nothing from node_modules: start it first.
  const probe = findJupyter({ root: ROOT });
  say('node_modules', stepNodeModules(), t0);
  t0 = Date.now();
  const { line: jupyterLine, jupyter } = await stepJupyter(probe, retryPip);
  say('jupyter', jupyterLine, t0);
  t0 = Date.now();
  say('kernel', stepKernel(), t0);
  t0 = Date.now();
  say('build', ensureBuild(), t0);
  if (backend) {
    t0 = Date.now();
    say('tfjs backend', `ok, ${stepBackend()}`, t0);
  }
  return { ...jupyter, env: jupyterEnv() };
}

/** {@link setup} for command-line scripts: on a SetupError, print it and exit 1. */
export async function setupOrExit(options) {
  try {
    return await setup(options);
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`[setup] FAILED: ${e.message}`);
    process.exit(1);
  }
}

async function main() {
  if (process.argv.includes('--npm-ci-if-stale')) {
    process.exit(npmCiIfStale().status ?? 1);
  }
  const t0 = Date.now();
  const unknown = process.argv.slice(2).filter((a) => a !== '--retry-pip');
  if (unknown.length) {
    console.error(`setup: unknown argument ${unknown[0]}\nusage: npm run setup [-- --retry-pip]`);
    process.exit(2);
  }
  await setupOrExit({ retryPip: process.argv.includes('--retry-pip') });
  console.log(`[setup] done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  await main();
}
