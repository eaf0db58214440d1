import * as fs from 'node:fs';
import * as path from 'node:path';
import { GradeOptions, gradeOptions, GraderError, gradeSubmission, loadExercises, readSubmission, sandboxReady, warmTypecheck, type FrozenExercise } from '../engine';
import { EXIT } from '../exit_codes';
import { classroomResult, markdownSummary, resultJson, terminalTable, writeReports } from '../report';
import { checkOnly } from '../command_line/check_only';

/** Options of {@link gradeCommand} (the `grade` verb's flags, resolved). */
export interface GradeCommandOptions {
  /** A submission folder or .zip. */
  submission: string;
  /** Folder for results.json, junit.xml, summary.md. */
  out: string;
  /** Print the GitHub Classroom `result` (and set it in $GITHUB_OUTPUT when that is set). */
  classroom: boolean;
  /** Exit 0 even when the score is not full (CI that should not go red). */
  exitZero: boolean;
  /** Print only the result document (clab-grade/result@1) on stdout; human text goes to stderr. */
  json: boolean;
  grade: Partial<GradeOptions>;
}

/** The `grade` verb: all tests of one submission (folder or zip); returns the exit code. */
export async function gradeCommand(o: GradeCommandOptions): Promise<number> {
  const opts = gradeOptions(o.grade);
  const human = o.json ? process.stderr : process.stdout;
  if (opts.typecheck) warmTypecheck(opts.projectRoot);
  let exercises: FrozenExercise[];
  try {
    exercises = loadExercises(opts.projectRoot, opts.visibilities);
  } catch (e) {
    throw new GraderError(`could not load the exercise specs: ${(e as Error).message}`);
  }
  checkOnly('grade', opts.only, exercises.map((e) => e.id));
  // Set up and prove the sandbox before grading: a failure here is exit 4, never a zero.
  for (const n of (await sandboxReady(opts, exercises)).takeNotes()) process.stderr.write(`${n}\n`);
  const sub = readSubmission(o.submission, exercises.map((e) => e.file));
  const r = await gradeSubmission(sub, exercises, o.submission, opts);
  human.write(terminalTable(r, human.isTTY === true) + '\n');
  writeReports(r, o.out);
  human.write(`reports: ${path.join(o.out, 'results.json')}, junit.xml, summary.md\n`);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdownSummary(r) + '\n');
  if (o.classroom) {
    const b64 = classroomResult(r);
    if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${b64}\n`);
    human.write(`result=${b64}\n`);
  }
  if (o.json) process.stdout.write(JSON.stringify(resultJson(r, 'grade'), null, 2) + '\n');
  return r.score === r.maxScore || o.exitZero ? EXIT.ok : EXIT.notFullScore;
}
