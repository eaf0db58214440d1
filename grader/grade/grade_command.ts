import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classroomResult, gradescopeJson, junitXml, markdownSummary, resultJson, terminalTable, writeAtomic } from '../report';
import { EXIT } from '../exit_codes';
import { gradeOptions, gradeSubmission } from './grade_submission';
import { warmTypecheck } from './typecheck_async';
import { loadExercises } from './load_exercises';
import { readSubmission, SubmissionError } from './read_submission';
import type { GradeOptions, GradeResult } from './grade_types';

/** Options of the `grade` verb (CLI flags). */
export interface GradeCommandOptions {
  submission: string;
  /** Folder for results.json, junit.xml, summary.md. Default ./grader-results. */
  out: string;
  /** Print the GitHub Classroom `result` (and set it in $GITHUB_OUTPUT when that is set). */
  classroom: boolean;
  /** Exit 0 even when the score is not full (CI that should not go red). */
  exitZero: boolean;
  /** Print only the result document (clab-grade/result@1) on stdout; human text goes to stderr. */
  json?: boolean;
  grade: Partial<GradeOptions>;
}

/** Writes every report of one graded submission into `out` (atomically). */
export function writeReports(r: GradeResult, out: string): void {
  writeAtomic(path.join(out, 'results.json'), JSON.stringify(gradescopeJson(r), null, 2) + '\n');
  writeAtomic(path.join(out, 'junit.xml'), junitXml(r));
  writeAtomic(path.join(out, 'summary.md'), markdownSummary(r));
}

/** The `grade` verb: all tests of one submission (folder or zip); returns the exit code. */
export async function gradeCommand(o: GradeCommandOptions): Promise<number> {
  const opts = gradeOptions(o.grade);
  if (opts.typecheck) warmTypecheck(opts.projectRoot);
  let exercises;
  try {
    exercises = loadExercises(opts.projectRoot, opts.visibilities);
  } catch (e) {
    process.stderr.write(`grade: could not load the exercise specs: ${(e as Error).message}\n`);
    return EXIT.graderError;
  }
  let sub;
  try {
    sub = readSubmission(o.submission, exercises.map((e) => e.file));
  } catch (e) {
    if (e instanceof SubmissionError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`grade: ${(e as Error).message}\n`);
      return EXIT.badSubmission;
    }
    throw e;
  }
  // One submission: its exercises run side by side (grade-all parallelises across submissions).
  const r = await gradeSubmission(sub, exercises, o.submission, { concurrency: os.cpus().length, ...o.grade });
  const human = o.json ? process.stderr : process.stdout;
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
