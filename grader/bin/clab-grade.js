#!/usr/bin/env node
// Entry of the `clab-grade` bin. Runs the compiled grader, dist/grader/cli.js, when set-up
// compiled it from the grader's sources as they are now (compiled_grader.js; a stale dist/ never
// grades). Otherwise it runs grader/cli.ts through tsx (a devDependency: a slower start), and
// where tsx is not installed (npm ci --omit=dev) it compiles dist/ first, once.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { COMPILED_CLI, compiledGraderStaleness, graderInputsOnce, writeGraderStamp } = require('./compiled_grader');

const root = path.resolve(__dirname, '..', '..');

function fail(message) {
  process.stderr.write(`clab-grade: ${message}\n`);
  process.exit(4);
}

/** The module to run: the compiled grader when it is current, else the sources (tsx), else a fresh build. */
function entry() {
  const inputs = graderInputsOnce(root);
  const stale = compiledGraderStaleness(root, inputs);
  if (stale === null) return path.join(root, COMPILED_CLI);
  let tsx = null;
  try {
    tsx = require.resolve('tsx/cjs');
  } catch {
    /* --omit=dev */
  }
  if (tsx !== null) {
    // Only a person at a terminal is told; piped stderr (tests, notebooks, CI logs) stays as it was.
    if (process.stderr.isTTY) process.stderr.write(`clab-grade: running the grader from its sources (slower start): ${stale}; npm run setup compiles it again\n`);
    require(tsx);
    return path.join(root, 'grader', 'cli.ts');
  }
  process.stderr.write(`clab-grade: compiling the grader into dist/ first (${stale}; tsx, which runs the sources, is not installed)...\n`);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // tsc emits despite type errors (as set-up's build does); what counts is that the grader was emitted.
  if (r.status !== 0 && !fs.existsSync(path.join(root, COMPILED_CLI))) {
    fail(`compiling the grader failed (npm ci, then npm run setup):\n${`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(0, 10).join('\n')}`);
  }
  writeGraderStamp(root, inputs);
  return path.join(root, COMPILED_CLI);
}

/**
 * The compiled grader loads TypeScript and tfjs from V8's code cache in its private cache folder
 * (sandbox/code_cache_dir.ts); null when it runs from the sources, or there is no such folder.
 */
function graderCodeCache(cli) {
  if (cli !== path.join(root, COMPILED_CLI)) return null;
  try {
    const js = path.join(root, 'dist', 'grader', 'sandbox', 'code_cache.js');
    return require(path.join(root, 'dist', 'grader', 'sandbox', 'code_cache_dir.js')).useGraderCodeCache(fs.readFileSync(js, 'utf8'));
  } catch {
    return null; // a dist/ without it: the packages compile as usual
  }
}

const cli = entry();
const codeCache = graderCodeCache(cli);
const { main } = require(cli);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (codeCache !== null) codeCache.finish();
    setTimeout(() => process.exit(code), 100).unref();
  },
  (e) => { process.stderr.write(`clab-grade: internal error: ${e && e.stack}\n`); process.exit(4); },
);
