import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Visibility } from '../specs/spec_types';
import { freezeExercise, FrozenExercise } from './freeze_exercise';

/** Where a student release keeps the public tests, frozen (inputs, expected outputs). */
export const FROZEN_FILE = path.join('grader', 'frozen', 'public-tests.json');

/**
 * The exercises to grade. In the instructor's repository (solutions/ present) the specs are
 * frozen now, computing the references from solutions/; in a student release, where there are
 * no solutions and no hidden specs, the public tests come frozen from {@link FROZEN_FILE}.
 * @param projectRoot the trusted project
 * @param visibilities which tests to keep
 */
export function loadExercises(projectRoot: string, visibilities: Visibility[]): FrozenExercise[] {
  const frozenPath = path.join(projectRoot, FROZEN_FILE);
  if (!fs.existsSync(path.join(projectRoot, 'solutions')) && fs.existsSync(frozenPath)) {
    const all = JSON.parse(fs.readFileSync(frozenPath, 'utf8')) as FrozenExercise[];
    if (visibilities.includes('hidden')) {
      throw new Error('this is a student release: hidden tests are not here (grade with the instructor repository)');
    }
    return all;
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { SPECS } = require('../specs') as typeof import('../specs');
  return SPECS.filter((s) => fs.existsSync(path.join(projectRoot, 'solutions', s.file))).map((s) => freezeExercise(s, visibilities));
}
