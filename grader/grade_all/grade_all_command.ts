import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradeOptions, GradeOptions, GradeResult, GraderError, gradeSubmission, loadExercises, mapLimit, readSubmission, sandboxReady, warmTypecheck, type FrozenExercise } from '../engine';
import { EXIT } from '../exit_codes';
import { writeAtomic } from '../../lib/io';
import { testOutcomes, writeClassReport, writeReports } from '../report';
import { checkOnly } from '../command_line/check_only';
import { gradebookCsv, GradebookRow } from '../report/gradebook_csv';
import { listSubmissions } from './list_submissions';
import { Shard, SHARD_FORMAT, ShardManifest, shardManifestName } from '../report/shard_manifest';
import { ProgressBar } from './progress_bar';

/** Options of the `grade-all` verb. */
export interface GradeAllOptions {
  /** Folder whose entries (folders or .zip files) are submissions. */
  dir: string;
  /** Output folder: <out>/<submission>/results.json ..., <out>/gradebook.csv. */
  out: string;
  /** Submissions graded at once. */
  jobs: number;
  /** Regrade submissions that already have results. */
  force: boolean;
  /** Progress bar on stderr (default true). */
  progress?: boolean;
  /** Grade only this part of the submissions (see {@link gradeAllCommand}); write a manifest for `merge`. */
  shard?: Shard;
  grade: Partial<GradeOptions>;
  /** Grade against these frozen exercises instead of loading them (tests: the release's frozen public tests). */
  exercises?: FrozenExercise[];
  /** Called with each submission's result as it is graded (not for skipped ones). */
  onGraded?: (submission: string, result: GradeResult) => void;
}

const DONE_FILE = 'grade.json';

/**
 * The `grade-all` verb: every submission in a folder, `jobs` at a time, each in its own
 * sandboxed children. Each submission's reports are written atomically and `grade.json` last,
 * so a rerun after a crash skips finished ones (unless --force). Writes gradebook.csv.
 * A submission that cannot be read is a row "not graded: ..."; a grader error stops everything.
 *
 * With `shard` K/N it grades only submission i (0-based, in the sorted list) where i mod N is
 * K - 1: the same folder gives the same partition on every machine, and shards differ in size
 * by at most one. It then writes `shard-K-of-N.json` (the full list, the exercises, its rows)
 * instead of gradebook.csv; `merge` combines the N shards into what one run would have written.
 * Without a shard it also writes the class report (mistakes.csv, tests.csv, class-report.html)
 * from the rows, which keep every test's outcome.
 * @returns the exit code and the gradebook rows (this shard's, with `shard`)
 */
export async function gradeAllCommand(o: GradeAllOptions): Promise<{ code: number; rows: GradebookRow[] }> {
  const opts = gradeOptions(o.grade);
  if (opts.typecheck) warmTypecheck(opts.projectRoot);
  const all = listSubmissions(o.dir, o.out);
  const shard = o.shard;
  const entries = shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all;
  let exercises: FrozenExercise[];
  try {
    exercises = o.exercises ?? loadExercises(opts.projectRoot, opts.visibilities);
  } catch (e) {
    throw new GraderError(`could not load the exercise specs: ${(e as Error).message}`);
  }
  checkOnly('grade-all', opts.only, exercises.map((e) => e.id));
  // Set up and prove the sandbox before grading: a failure here is exit 4, never a column of zeros.
  for (const n of (await sandboxReady(opts, exercises)).takeNotes()) process.stderr.write(`${n}\n`);
  const bar = o.progress === false ? null : new ProgressBar(entries.length);
  const rows = await mapLimit(entries, o.jobs, async (name): Promise<GradebookRow> => {
    const dest = path.join(o.out, name.replace(/\.zip$/i, ''));
    const done = path.join(dest, DONE_FILE);
    if (!o.force && fs.existsSync(done)) {
      const row = JSON.parse(fs.readFileSync(done, 'utf8')) as GradebookRow;
      bar?.tick(row.score === row.maxScore, `${name} (already graded)`);
      return row;
    }
    let row: GradebookRow;
    try {
      const sub = readSubmission(path.join(o.dir, name), exercises.map((e) => e.file));
      const r = await gradeSubmission(sub, exercises, name, opts);
      writeReports(r, dest);
      o.onGraded?.(name, r);
      const per: Record<string, number> = {};
      for (const e of r.exercises) per[e.id] = e.tests.reduce((a, t) => a + t.score, 0);
      row = { submission: name, score: r.score, maxScore: r.maxScore, exercises: per, status: 'graded', tests: testOutcomes(r, exercises) };
    } catch (e) {
      if (e instanceof GraderError) throw e; // the grader's problem: never a row of zeros
      row = { submission: name, score: 0, maxScore: 0, exercises: {}, status: `not graded: ${(e as Error).message}` };
    }
    writeAtomic(done, JSON.stringify(row) + '\n');
    bar?.tick(row.score === row.maxScore && row.maxScore > 0, name);
    return row;
  });
  const ids = exercises.map((e) => e.id);
  if (shard) {
    const manifest: ShardManifest = { format: SHARD_FORMAT, shard: shard.index, of: shard.count, all, exercises: ids, rows };
    writeAtomic(path.join(o.out, shardManifestName(shard)), JSON.stringify(manifest, null, 2) + '\n');
  } else {
    writeAtomic(path.join(o.out, 'gradebook.csv'), gradebookCsv(rows, ids));
    writeClassReport(o.out, rows);
  }
  return { code: rows.every((r) => r.status === 'graded') ? EXIT.ok : EXIT.badSubmission, rows };
}
