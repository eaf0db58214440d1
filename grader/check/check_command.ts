import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classroomResult, resultJson, terminalTable } from '../report';
import { EXIT } from '../exit_codes';
import { gradeSubmission, PROJECT_ROOT } from '../grade/grade_submission';
import { loadExercises } from '../grade/load_exercises';
import { warmTypecheck } from '../grade/typecheck_async';
import { readSubmission } from '../grade/read_submission';
import type { GradeOptions } from '../grade/grade_types';

/**
 * The `check` verb, for students: the public tests of their exercises/ folder, sandboxed like
 * the real grade, as a table with feedback, and how many hidden tests were not run.
 * @param dir the folder with the exercise files (default: this project's exercises/)
 * @param classroom also print (and set in $GITHUB_OUTPUT) the GitHub Classroom `result`
 * @param json print only the result document (clab-grade/result@1) on stdout; human text goes to stderr
 */
export async function checkCommand(dir: string | undefined, grade: Partial<GradeOptions>, classroom = false, json = false): Promise<number> {
  const human = json ? process.stderr : process.stdout;
  const root = grade.projectRoot ?? PROJECT_ROOT;
  const folder = dir ?? path.join(root, 'exercises');
  if (grade.typecheck !== false) warmTypecheck(root);
  let exercises;
  try {
    exercises = loadExercises(root, ['public']);
  } catch (e) {
    process.stderr.write(`check: could not load the public tests: ${(e as Error).message}\n`);
    return EXIT.graderError;
  }
  const sub = readSubmission(folder, exercises.map((e) => e.file));
  const r = await gradeSubmission(sub, exercises, folder, { concurrency: os.cpus().length, ...grade, visibilities: ['public'] });
  human.write(terminalTable(r, human.isTTY === true) + '\n');
  if (r.hiddenNotRun > 0) human.write(`${r.hiddenNotRun} hidden tests not run (they run when your work is graded).\n`);
  if (classroom) {
    const b64 = classroomResult(r);
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${b64}\n`);
    human.write(`result=${b64}\n`);
  }
  if (json) process.stdout.write(JSON.stringify(resultJson(r, 'check'), null, 2) + '\n');
  return r.score === r.maxScore ? EXIT.ok : EXIT.notFullScore;
}
