// Tests frozen from the course's own sources, kept once per environment in the grader's cache:
// check's public tests (their fixed seeds: the same inputs for every submission) and the
// canary's own test. Making them loads tfjs, the specs and the references, and runs them; none
// of that changes between checks. Never for grade's tests: their inputs may differ per submission.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockfileHash, readCache, writeCache } from '../sandbox/grader_cache';
import type { FrozenExercise } from './freeze_exercise';
import { frozenExercises, loadExercises, type LoadedExercises } from './load_exercises';

/** What grader/bin/compiled_grader.js exports, as used here. */
interface CompiledGrader {
  graderInputs(root: string): Record<string, string>;
  graderInputsOnce(root: string): Record<string, string>;
}

const keys = new Map<string, string>();

/**
 * A key of everything a frozen test is made from: every source of the grader, the library and the
 * references (the specs, their input generators, the references and the library functions they
 * call, the freezing code: the files the compiled grader is made of, see compiled_grader.js), the
 * installed packages (package-lock.json: tfjs's numbers) and Node's version. Computed once per
 * process unless `fresh`.
 */
export function courseSourcesKey(projectRoot: string, fresh = false): string {
  const hit = keys.get(projectRoot);
  if (hit !== undefined && !fresh) return hit;
  // Plain JS beside the bin, loaded from the project (it is not compiled into dist/).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const grader = require(path.join(projectRoot, 'grader', 'bin', 'compiled_grader.js')) as CompiledGrader;
  const lock = lockfileHash(projectRoot);
  const inputs = fresh ? grader.graderInputs(projectRoot) : grader.graderInputsOnce(projectRoot);
  const key = createHash('sha256').update(JSON.stringify([process.version, lock, inputs])).digest('hex').slice(0, 32);
  keys.set(projectRoot, key);
  return key;
}

/**
 * `make()`'s result, from the grader's cache when these sources made it before.
 * @param kind what it is, part of the cache file's name
 */
export function cachedFrozen<T>(projectRoot: string, kind: string, make: () => T): T {
  const key = courseSourcesKey(projectRoot);
  const hit = readCache<T>(kind, key);
  if (hit !== null) return hit;
  // As a later run reads it back: the first run grades with exactly what the others will.
  const value = JSON.parse(JSON.stringify(make())) as T;
  writeCache(kind, key, value);
  return value;
}

/**
 * The exercises `check` grades: the public tests frozen with their fixed seeds. In a student
 * release they come from its frozen file as always; in the course repository from the cache of
 * them (made from the specs the first time).
 * @throws when a spec or a reference does not load (see loadExercises)
 */
export function loadPublicTests(projectRoot: string): LoadedExercises {
  if (!fs.existsSync(path.join(projectRoot, 'solutions'))) return loadExercises(projectRoot, ['public']);
  const frozen = cachedFrozen<FrozenExercise[]>(projectRoot, 'public-tests', () => loadExercises(projectRoot, ['public']).freeze());
  return frozenExercises(frozen, 'the public tests frozen for check');
}
