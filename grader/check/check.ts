import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradeOptions, GradeOptions, GraderError, gradeSubmission, loadExercises, readSubmission, sandboxReady, warmTypecheck, type FrozenExercise } from '../engine';
import { EXIT } from '../exit_codes';
import { classroomResult, resultJson, terminalTable } from '../report';
import { checkOnly } from '../command_line/check_only';

/** Options of {@link checkCommand} (the `check` verb's flags, resolved). */
export interface CheckOptions {
  /** The folder with the exercise files; undefined: the project's exercises/. */
  dir: string | undefined;
  /** Also print (and set in $GITHUB_OUTPUT) the GitHub Classroom `result`. */
  classroom: boolean;
  /** Print only the result document (clab-grade/result@1) on stdout; human text goes to stderr. */
  json: boolean;
  /** Engine options (visibilities are forced to public). */
  grade: Partial<GradeOptions>;
}

/**
 * The `check` verb, for students: the public tests of their exercises/ folder, sandboxed like
 * the real grade, as a table with feedback, and how many hidden tests were not run.
 * @returns the exit code (0 all public tests passed, 1 some failed)
 */
export async function checkCommand(o: CheckOptions): Promise<number> {
  const opts = gradeOptions({ ...o.grade, visibilities: ['public'] });
  const folder = o.dir ?? path.join(opts.projectRoot, 'exercises');
  const human = o.json ? process.stderr : process.stdout;
  if (opts.typecheck) warmTypecheck(opts.projectRoot);
  let exercises: FrozenExercise[];
  try {
    exercises = loadExercises(opts.projectRoot, ['public']);
  } catch (e) {
    throw new GraderError(`could not load the public tests: ${(e as Error).message}`);
  }
  checkOnly('check', opts.only, exercises.map((e) => e.id));
  // Set up and prove the sandbox before grading: a failure here is exit 4, never a zero.
  for (const n of (await sandboxReady(opts, exercises)).takeNotes()) process.stderr.write(`${n}\n`);
  const sub = readSubmission(folder, exercises.map((e) => e.file));
  const r = await gradeSubmission(sub, exercises, folder, opts);
  human.write(terminalTable(r, human.isTTY === true) + '\n');
  if (r.hiddenNotRun > 0) human.write(`${r.hiddenNotRun} hidden tests not run (they run when your work is graded).\n`);
  if (o.classroom) {
    const b64 = classroomResult(r);
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${b64}\n`);
    human.write(`result=${b64}\n`);
  }
  if (o.json) process.stdout.write(JSON.stringify(resultJson(r, 'check'), null, 2) + '\n');
  return r.score === r.maxScore ? EXIT.ok : EXIT.notFullScore;
}
