import * as path from 'node:path';
import { terminalTable } from '../report';
import { EXIT } from '../exit_codes';
import { gradeSubmission, PROJECT_ROOT } from '../grade/grade_submission';
import { loadExercises } from '../grade/load_exercises';
import { readSubmission } from '../grade/read_submission';
import type { GradeOptions } from '../grade/grade_types';

/**
 * The `check` verb, for students: the public tests of their exercises/ folder, sandboxed like
 * the real grade, as a table with feedback, and how many hidden tests were not run.
 * @param dir the folder with the exercise files (default: this project's exercises/)
 */
export async function checkCommand(dir: string | undefined, grade: Partial<GradeOptions>): Promise<number> {
  const root = grade.projectRoot ?? PROJECT_ROOT;
  const folder = dir ?? path.join(root, 'exercises');
  let exercises;
  try {
    exercises = loadExercises(root, ['public']);
  } catch (e) {
    process.stderr.write(`check: could not load the public tests: ${(e as Error).message}\n`);
    return EXIT.graderError;
  }
  const sub = readSubmission(folder, exercises.map((e) => e.file));
  const r = await gradeSubmission(sub, exercises, folder, { ...grade, visibilities: ['public'] });
  process.stdout.write(terminalTable(r) + '\n');
  if (r.hiddenNotRun > 0) process.stdout.write(`${r.hiddenNotRun} hidden tests not run (they run when your work is graded).\n`);
  return r.score === r.maxScore ? EXIT.ok : EXIT.notFullScore;
}
