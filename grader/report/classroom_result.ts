import * as fs from 'node:fs';
import type { GradeResult } from '../engine/result_types';

/**
 * The GitHub Classroom autograding reporter's input: base64 of a JSON object
 * {version: 1, status, max_score, tests[]}, to be set as a step output named `result`.
 */
export function classroomResult(r: GradeResult): string {
  const tests = r.exercises.flatMap((e) =>
    e.tests.map((t) => ({
      name: `${e.id}: ${t.name}`,
      status: t.status === 'passed' ? 'pass' : 'fail',
      score: t.score,
      message: t.status === 'passed' ? '' : t.feedback,
      test_code: '',
      filename: e.file,
      line_no: 0,
      execution_time: `${(t.ms / 1000).toFixed(2)}s`,
    })),
  );
  const json = { version: 1, status: r.score === r.maxScore ? 'pass' : 'fail', max_score: r.maxScore, tests };
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
}

/** Prints `result=<base64>` (see {@link classroomResult}) and appends it to $GITHUB_OUTPUT when that is set, as the Classroom workflow reads it. */
export function printClassroomResult(r: GradeResult, out: NodeJS.WritableStream): void {
  const b64 = classroomResult(r);
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `result=${b64}\n`);
  out.write(`result=${b64}\n`);
}
