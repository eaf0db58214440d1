// Is dist/ the grader as its sources are now? Set-up compiles the grader into dist/ (tsc -p
// tsconfig.build.json) and records here what it compiled: a SHA-256 of every source file the
// compiled grader is made of. The bin runs dist/grader/cli.js only when every one of those files
// still has that content, so a stale dist/ never grades. Plain CommonJS with no dependencies: the
// bin needs it before anything is compiled or installed, and scripts/setup.mjs imports it.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Where set-up records what it compiled, relative to the project. */
const STAMP = path.join('dist', '.clab-grader-stamp.json');
/** The compiled grader's entry, relative to the project. */
const COMPILED_CLI = path.join('dist', 'grader', 'cli.js');
/** Folders whose sources the compiled grader is made of (its own, the library, the references). */
const SOURCE_DIRS = ['grader', 'lib', 'solutions'];
/** Files that change what tsc emits. */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', path.join('node_modules', 'typescript', 'package.json')];

/** Source files tsconfig.build.json compiles from `dir` (its excludes: tests, fixtures, declarations). */
function sourcesIn(root, dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return out; // a student release has no solutions/
  }
  for (const e of entries) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'test' && rel !== path.join('grader', 'fixtures')) sourcesIn(root, rel, out);
    } else if (/\.tsx?$/.test(e.name) && !/\.(test|d)\.tsx?$/.test(e.name)) {
      out.push(rel);
    }
  }
  return out;
}

/**
 * SHA-256 of each input of the compiled grader (the sources tsconfig.build.json compiles from
 * grader/, lib/ and solutions/, the tsconfig files and TypeScript's version), by relative path.
 * @param {string} root the project
 * @returns {Record<string, string>}
 */
function graderInputs(root) {
  const files = {};
  for (const rel of [...SOURCE_DIRS.flatMap((d) => sourcesIn(root, d, [])), ...CONFIG_FILES].sort()) {
    try {
      files[rel.split(path.sep).join('/')] = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, rel))).digest('hex');
    } catch {
      /* a config file that is not there: its absence is what was compiled */
    }
  }
  return files;
}

const once = new Map();

/** {@link graderInputs}, computed once per process (the bin's check and the grader's cache keys share it). */
function graderInputsOnce(root) {
  if (!once.has(root)) once.set(root, graderInputs(root));
  return once.get(root);
}

/**
 * Why dist/ must not run as the grader, or null when it was compiled from the sources as they
 * are now. Names up to three changed files.
 * @param {string} root the project
 * @param {Record<string, string>} [inputs] {@link graderInputs}, if already computed
 * @returns {string | null}
 */
function compiledGraderStaleness(root, inputs = graderInputs(root)) {
  if (!fs.existsSync(path.join(root, COMPILED_CLI))) return `${COMPILED_CLI} does not exist`;
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8'));
  } catch {
    return `${STAMP} is missing (dist/ was not compiled by set-up)`;
  }
  const was = stamp && typeof stamp.files === 'object' && stamp.files !== null ? stamp.files : {};
  const changed = [...new Set([...Object.keys(inputs), ...Object.keys(was)])].filter((f) => inputs[f] !== was[f]).sort();
  if (changed.length === 0) return null;
  const shown = changed.slice(0, 3).join(', ') + (changed.length > 3 ? ` and ${changed.length - 3} more` : '');
  return `${shown} changed since dist/ was compiled`;
}

/**
 * Records that dist/ holds the grader compiled from `inputs`. Take `inputs` BEFORE compiling: a
 * file edited while tsc runs then no longer matches, and dist/ counts as stale.
 * @param {string} root the project
 * @param {Record<string, string>} inputs {@link graderInputs}, taken before tsc ran
 */
function writeGraderStamp(root, inputs) {
  const file = path.join(root, STAMP);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ files: inputs }) + '\n');
  fs.renameSync(tmp, file);
}

module.exports = { STAMP, COMPILED_CLI, graderInputs, graderInputsOnce, compiledGraderStaleness, writeGraderStamp };
