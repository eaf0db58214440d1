import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExerciseSpec, Visibility } from '../specs/spec_types';
import { FIXED_SEEDS, freezeExercise, FrozenExercise, SeedOf } from './freeze_exercise';

/** Where a student release keeps the public tests, frozen (inputs, expected outputs). */
export const FROZEN_FILE = path.join('grader', 'frozen', 'public-tests.json');

/** The exercises a command grades, loaded once; their tests are frozen on demand. */
export interface LoadedExercises {
  /** Each exercise's id and file, in spec order (a submission's files, the gradebook's columns). */
  list: Array<{ id: string; file: string }>;
  /** The specs, their references loaded (the instructor's repository); none in a student release. */
  specs: ExerciseSpec[];
  /**
   * The exercises with the kept tests' inputs generated from `seedOf` and the reference and
   * mistake outputs computed here. The fixed seeds are frozen once and the same array returned
   * after; any other `seedOf` is frozen anew (do not change what is returned).
   */
  freeze(seedOf?: SeedOf): FrozenExercise[];
}

/**
 * The exercises to grade. In the instructor's repository (solutions/ present) these are the
 * specs with a reference in solutions/, frozen on demand; in a student release, where there are
 * no solutions and no hidden specs, the public tests come frozen from {@link FROZEN_FILE}.
 * @param projectRoot the trusted project
 * @param visibilities which tests to keep
 * @throws when a spec or a reference does not load, or hidden tests are asked of a student release
 */
export function loadExercises(projectRoot: string, visibilities: Visibility[]): LoadedExercises {
  const frozenPath = path.join(projectRoot, FROZEN_FILE);
  if (!fs.existsSync(path.join(projectRoot, 'solutions')) && fs.existsSync(frozenPath)) {
    const all = JSON.parse(fs.readFileSync(frozenPath, 'utf8')) as FrozenExercise[];
    if (visibilities.includes('hidden')) {
      throw new Error('this is a student release: hidden tests are not here (grade with the instructor repository)');
    }
    return frozenExercises(all, 'this is a student release: its public tests');
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { SPECS } = require('../specs') as typeof import('../specs');
  const specs = SPECS.filter((s) => fs.existsSync(path.join(projectRoot, 'solutions', s.file)));
  for (const s of specs) s.reference(); // a reference that does not load fails here, before anything is graded
  let fixed: FrozenExercise[] | undefined;
  const freeze = (seedOf: SeedOf = FIXED_SEEDS): FrozenExercise[] => {
    if (seedOf !== FIXED_SEEDS) return specs.map((s) => freezeExercise(s, visibilities, seedOf));
    fixed ??= specs.map((s) => freezeExercise(s, visibilities));
    return fixed;
  };
  return { list: specs.map((s) => ({ id: s.id, file: s.file })), specs, freeze };
}

/**
 * Exercises whose tests were frozen already, with their fixed seeds (a release's frozen file, or
 * check's cached public tests): no specs, and no other inputs can be made from them.
 * @param what names them in the error for any other seeds
 */
export function frozenExercises(all: FrozenExercise[], what: string): LoadedExercises {
  const freeze = (seedOf: SeedOf = FIXED_SEEDS): FrozenExercise[] => {
    if (seedOf !== FIXED_SEEDS) throw new Error(`${what} are frozen with their fixed seeds, and no other inputs can be made here`);
    return all;
  };
  return { list: all.map((e) => ({ id: e.id, file: e.file })), specs: [], freeze };
}
