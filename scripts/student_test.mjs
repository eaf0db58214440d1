#!/usr/bin/env node
// `npm test` in the STUDENT repository (the release installs it as package.json's "test").
//
//   npm test                    set-up, course files verified, type-check, your public-test score per exercise, quick notebooks
//   npm test -- --all           ... and every notebook (03 and 04 train networks: minutes each)
//
// It passes on a fresh release, where every exercise is still a stub: an exercise that is not
// implemented yet, or fails a public test, is REPORTED (score per exercise), not a failure. It
// fails only on what stops you from working: set-up, a changed course file (the Classroom run
// reports no score then; `clab-grade verify` names each file and how to restore it), a type error
// in your files or the library, a grader that cannot run, or a notebook that does not run.
// Steps run even after one failed; a timed summary comes last.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, setupOrExit } from './setup.mjs';

/** Notebooks that train networks for minutes (file name -> why): run with `npm test -- --all`. */
export const SLOW_NOTEBOOKS = new Map(Object.entries(JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'slow_notebooks.json'), 'utf8'))));

const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

/** Runs `node <script> ...args` in ROOT; resolves to [name, status, time]. quiet: print its output when it ends. */
function step(name, script, args = [], { quiet = false } = {}) {
  const t0 = Date.now();
  console.log(`[test] === ${name}: ${[script, ...args].join(' ')}${quiet ? ' (output shown when it ends)' : ''}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
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

/** One line per exercise: score, and why points are missing (not implemented, failing tests, known mistakes). */
export function scoreLines(result) {
  const lines = [];
  const width = Math.max(...result.exercises.map((e) => `${e.id} ${e.title}`.length));
  for (const e of result.exercises) {
    const failed = e.tests.filter((t) => t.status === 'failed');
    const stubbed = failed.filter((t) => t.feedback.includes('not implemented yet'));
    const mistakes = [...new Set(failed.map((t) => t.knownMistake).filter((m) => m !== null))];
    let why;
    if (failed.length === 0) why = 'all public tests pass';
    else if (stubbed.length === e.tests.length) why = 'not implemented yet';
    else {
      why = `${failed.length} of ${e.tests.length} tests fail`;
      if (stubbed.length > 0) why += ` (${stubbed.length} not implemented yet)`;
      if (mistakes.length > 0) why += `; known mistake: ${mistakes.join(', ')}`;
      if (e.notes.length > 0) why += `; ${e.notes.length} note(s)`;
    }
    lines.push(`${`${e.id} ${e.title}`.padEnd(width)}  ${`${e.score}/${e.maxScore}`.padStart(5)}  ${why}`);
  }
  lines.push(`total ${result.score}/${result.maxScore} on the public tests${result.hiddenNotRun > 0 ? `; ${result.hiddenNotRun} hidden tests run when your work is graded` : ''}`);
  return lines;
}

/** The public tests of exercises/, through the same grader CLI as `npm run check` (JSON mode). */
async function publicTests() {
  const t0 = Date.now();
  console.log('[test] === public tests: the same tests and sandbox as `npm run check` (not implemented or failing tests are reported, not a failure)');
  try {
    const lib = path.join(ROOT, 'dist', 'lib', 'notebook', 'run_grader_check.js');
    if (!fs.existsSync(lib)) throw new Error(`${path.relative(ROOT, lib)} is missing: run \`npm run build\``);
    const { runGraderCheck } = await import(pathToFileURL(lib).href);
    const result = await runGraderCheck(undefined, { root: ROOT });
    for (const line of scoreLines(result)) console.log(`[test]   ${line}`);
    const todo = result.exercises.find((e) => e.score < e.maxScore);
    if (todo) console.log(`[test]   details: npm run check -- --only ${todo.id}   (or await clab.check('${todo.id}') in the notebook)`);
    console.log(`[test] --- public tests: ok in ${secs(t0)}`);
    return ['public tests', `ok (${result.score}/${result.maxScore})`, secs(t0)];
  } catch (e) {
    console.log(`[test] --- public tests: FAILED in ${secs(t0)}: ${e.message}`);
    return ['public tests', 'FAILED (grader)', secs(t0)];
  }
}

async function main(argv) {
  const all = argv.includes('--all');
  const unknown = argv.filter((a) => a !== '--all');
  if (unknown.length > 0) {
    console.error(`[test] unknown argument ${JSON.stringify(unknown[0])}; usage: npm test [-- --all]   (--all also runs the notebooks that train networks)`);
    return 2;
  }
  const tAll = Date.now();
  const t0 = Date.now();
  await setupOrExit();
  const results = [['setup', 'ok', secs(t0)]];
  // The course files (grader/, lib/, scripts/, the workflow, package.json, the lock) against the
  // release manifest: prints "course files: verified", or each modified, added or missing file.
  const verified = step('course files', 'grader/bin/clab-grade.js', ['verify'], { quiet: true }).then(([name, status, time]) => [name, status === 'FAILED (exit 1)' ? 'MODIFIED (see above)' : status, time]);
  const typecheck = step('typecheck', 'node_modules/typescript/bin/tsc', ['-p', 'tsconfig.json'], { quiet: true });
  const tests = publicTests();
  results.push(await verified, await typecheck, await tests);
  const notebooks = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
  const chosen = all ? notebooks : notebooks.filter((f) => !SLOW_NOTEBOOKS.has(f));
  if (!all) {
    for (const f of notebooks.filter((n) => SLOW_NOTEBOOKS.has(n))) console.log(`[test] skipping notebooks/${f} (${SLOW_NOTEBOOKS.get(f)}): npm test -- --all runs it`);
  }
  // run_notebooks with no file runs every notebook: only call it with a non-empty list.
  if (chosen.length > 0) results.push(await step('notebooks', 'scripts/run_notebooks.mjs', chosen.map((f) => `notebooks/${f}`)));
  console.log(`\n[test] summary (${secs(tAll)} total):`);
  for (const [name, status, time] of results) console.log(`[test]   ${name.padEnd(12)} ${status.padEnd(18)} ${time}`);
  return results.some(([, status]) => !status.startsWith('ok')) ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}
