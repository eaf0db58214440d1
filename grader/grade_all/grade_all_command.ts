import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from '../report';
import { EXIT } from '../exit_codes';
import { writeReports } from '../grade/grade_command';
import { gradeOptions, gradeSubmission } from '../grade/grade_submission';
import { warmTypecheck } from '../grade/typecheck_async';
import { loadExercises } from '../grade/load_exercises';
import { readSubmission } from '../grade/read_submission';
import type { GradeOptions } from '../grade/grade_types';
import { gradebookCsv, GradebookRow } from './gradebook_csv';
import { ProgressBar } from './progress_bar';

/** Options of the `grade-all` verb. */
export interface GradeAllOptions {
  /** Folder whose entries (folders or .zip files) are submissions. */
  dir: string;
  /** Output folder: <out>/<submission>/results.json ..., <out>/gradebook.csv. */
  out: string;
  /** Submissions graded at once. Default: number of CPU cores. */
  jobs?: number;
  /** Regrade submissions that already have results. */
  force: boolean;
  /** Progress bar on stderr (default true). */
  progress?: boolean;
  grade: Partial<GradeOptions>;
}

const DONE_FILE = 'grade.json';

/**
 * The `grade-all` verb: every submission in a folder, `jobs` at a time, each in its own
 * sandboxed children. Each submission's reports are written atomically and `grade.json` last,
 * so a rerun after a crash skips finished ones (unless --force). Writes gradebook.csv.
 * @returns the exit code and the gradebook rows
 */
export async function gradeAllCommand(o: GradeAllOptions): Promise<{ code: number; rows: GradebookRow[] }> {
  const opts = gradeOptions(o.grade);
  if (opts.typecheck) warmTypecheck(opts.projectRoot);
  const exercises = loadExercises(opts.projectRoot, opts.visibilities);
  const outAbs = path.resolve(o.out);
  const entries = fs
    .readdirSync(o.dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && path.resolve(o.dir, e.name) !== outAbs && (e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith('.zip'))))
    .map((e) => e.name)
    .sort();
  const bar = o.progress === false ? null : new ProgressBar(entries.length);
  const rows: GradebookRow[] = new Array(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const name = entries[i];
      const dest = path.join(o.out, name.replace(/\.zip$/i, ''));
      const done = path.join(dest, DONE_FILE);
      if (!o.force && fs.existsSync(done)) {
        rows[i] = JSON.parse(fs.readFileSync(done, 'utf8')) as GradebookRow;
        bar?.tick(rows[i].score === rows[i].maxScore, `${name} (already graded)`);
        continue;
      }
      let row: GradebookRow;
      try {
        const sub = readSubmission(path.join(o.dir, name), exercises.map((e) => e.file));
        const r = await gradeSubmission(sub, exercises, name, opts);
        writeReports(r, dest);
        const per: Record<string, number> = {};
        for (const e of r.exercises) per[e.id] = e.tests.reduce((a, t) => a + t.score, 0);
        row = { submission: name, score: r.score, maxScore: r.maxScore, exercises: per, status: 'graded' };
      } catch (e) {
        row = { submission: name, score: 0, maxScore: 0, exercises: {}, status: `not graded: ${(e as Error).message}` };
      }
      writeAtomic(done, JSON.stringify(row) + '\n');
      rows[i] = row;
      bar?.tick(row.score === row.maxScore && row.maxScore > 0, name);
    }
  };
  const jobs = Math.max(1, o.jobs ?? os.cpus().length);
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, entries.length)) }, worker));
  writeAtomic(path.join(o.out, 'gradebook.csv'), gradebookCsv(rows, exercises.map((e) => e.id)));
  return { code: rows.every((r) => r.status === 'graded') ? EXIT.ok : EXIT.badSubmission, rows };
}
