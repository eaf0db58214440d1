import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrozenExercise } from './freeze_exercise';
import { FROZEN_FILE } from './load_exercises';

/**
 * The exercise files a submission may hold, known without freezing anything (which takes the
 * seconds loadExercises takes): from the specs, or in a student release (no solutions/) from
 * the frozen public tests, as loadExercises chooses.
 * @param projectRoot the trusted project
 */
export function exerciseFileNames(projectRoot: string): string[] {
  const frozen = path.join(projectRoot, FROZEN_FILE);
  if (!fs.existsSync(path.join(projectRoot, 'solutions')) && fs.existsSync(frozen)) {
    return (JSON.parse(fs.readFileSync(frozen, 'utf8')) as FrozenExercise[]).map((e) => e.file);
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../specs') as typeof import('../specs')).SPECS.map((s) => s.file);
}
