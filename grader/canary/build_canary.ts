import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FrozenExercise, freezeExercise } from '../engine/freeze_exercise';
import { cachedFrozen } from '../engine/frozen_cache';
import { GraderError } from '../exit_codes';
import { transpile } from '../sandbox/transpile';
import { randomTensor } from '../specs/random_tensor';
import type { ExerciseSpec } from '../specs/spec_types';

/** The canary as an exercise spec: one test of {@link graderCanary} on seeded inputs. */
export const CANARY_SPEC: ExerciseSpec = {
  id: 'canary',
  file: 'canary/grader_canary.ts',
  title: "the grader's canary module",
  functions: ['graderCanary'],
  forbiddenLib: [],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('./grader_canary'),
  tests: [
    {
      name: 'graderCanary(x [5,3], 0.6): row norms and the Gaussian MI',
      points: 1,
      visibility: 'public',
      fn: 'graderCanary',
      seed: 9001,
      calls: (rng) => [[randomTensor(rng, [5, 3]), 0.6]],
    },
  ],
  mistakes: [],
};

/** The canary as one sandboxed module: its files, its tests, and a fingerprint of both. */
export interface Canary {
  /** Its files compiled, relative to the sandbox's exercises/ folder (compiled now: only a canary that runs needs them). */
  compile(): Map<string, string>;
  /** Its entry, relative to exercises/. */
  entry: string;
  /** One pseudo-exercise whose functions are the canary's and each reference's, renamed `exNN__fn`. */
  exercise: FrozenExercise;
  /** Reference exercise ids included (those with a file in solutions/). */
  references: string[];
  /** sha256 of the sources, the compiler (its version and options) and the frozen tests: part of the canary's cache key. */
  fingerprint: string;
}

/**
 * Builds the canary: the grader's known-good module (grader/canary/, shipped in the student
 * release) and, where solutions/ exists, every reference solution with its exercise's public
 * tests, re-exported from one entry module so that a single sandboxed child runs them all.
 * @param exercises the frozen exercises about to be graded (their public tests are used)
 */
export function buildCanary(projectRoot: string, exercises: FrozenExercise[]): Canary {
  const sources = new Map<string, { name: string; src: string }>(); // compiled path -> TypeScript file
  const own = cachedFrozen(projectRoot, 'canary-test', () => freezeExercise(CANARY_SPEC, ['public']));
  sources.set('canary/grader_canary.js', { name: 'grader_canary.ts', src: fs.readFileSync(path.join(projectRoot, 'grader', 'canary', 'grader_canary.ts'), 'utf8') });
  const entry = ["'use strict';", "exports.graderCanary = require('./grader_canary').graderCanary;"];
  const ex: FrozenExercise = { ...own, functions: [...own.functions], arity: { ...own.arity }, id: 'canary', file: 'canary/entry.ts', title: 'sandbox canary', mistakeNames: [], hiddenCount: 0, tests: own.tests.map((t) => ({ ...t, name: `canary: ${t.name}` })) };
  const references: string[] = [];
  for (const e of exercises) {
    const ref = path.join(projectRoot, 'solutions', e.file);
    if (!fs.existsSync(ref)) continue; // a student release: no references, the canary module only
    references.push(e.id);
    const js = e.file.replace(/\.ts$/, '.js');
    sources.set(js, { name: e.file, src: fs.readFileSync(ref, 'utf8') });
    const mod = `m_${e.id.replace(/\W/g, '_')}`;
    entry.push(`const ${mod} = require('../${js.replace(/\.js$/, '')}');`);
    for (const fn of e.functions) {
      entry.push(`exports[${JSON.stringify(`${e.id}__${fn}`)}] = ${mod}[${JSON.stringify(fn)}];`);
      ex.functions.push(`${e.id}__${fn}`);
      ex.arity[`${e.id}__${fn}`] = e.arity[fn];
    }
    for (const t of e.tests.filter((x) => x.visibility === 'public')) ex.tests.push({ ...t, name: `${e.id}: ${t.name}`, fn: `${e.id}__${t.fn}`, mistakes: [] });
  }
  const entryJs = entry.join('\n') + '\n';
  const compile = (): Map<string, string> => {
    const files = new Map<string, string>();
    for (const [js, { name, src }] of sources) {
      const t = transpile(src, name);
      if (t.errors.length > 0) throw new GraderError(`the canary could not compile ${name}: ${t.errors[0]}`);
      files.set(js, t.js);
    }
    files.set('canary/entry.js', entryJs);
    return files;
  };
  const h = createHash('sha256');
  h.update(`${typescriptVersion(projectRoot)}\0${fs.readFileSync(path.join(projectRoot, 'grader', 'sandbox', 'transpile.ts'), 'utf8')}\0`);
  for (const [k, { src }] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${k}\0${src}\0`);
  h.update(`canary/entry.js\0${entryJs}\0`);
  h.update(JSON.stringify(ex.tests.map((t) => [t.name, t.fn, t.calls, t.expected, t.property ?? null, t.tolerance])));
  return { compile, entry: 'canary/entry.js', exercise: ex, references, fingerprint: h.digest('hex') };
}

/** The installed TypeScript's version, without loading the compiler. */
function typescriptVersion(projectRoot: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve('typescript/package.json', { paths: [projectRoot] }), 'utf8')) as { version: string }).version;
}
