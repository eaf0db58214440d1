// clab-grade grade-all: a folder of submissions (or one shard of it) in one grading session; the gradebook.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';
import { flag, verb } from '../command_line/flags';
import { checkCourseFiles, readReleaseManifest, type ReleaseManifest } from '../engine/course_files';
import { ENGINE_FLAGS, engineOptions, type GradeOptions } from '../engine/grade_options';
import { DEFAULT_SECRET_FILE, findSecret, MAKE_SECRET, SECRET_ENV, type InstructorSecret } from '../engine/instructor_secret';
import { PROJECT_ROOT } from '../engine/project_root';
import type { LoadedExercises } from '../engine/load_exercises';
import { mapLimit } from '../engine/map_limit';
import type { GradeResult } from '../engine/result_types';
import { EXIT, GraderError, SubmissionError, UsageError } from '../exit_codes';
import type { CourseFilesCheck } from '../engine/result_types';
import { courseFilesCell, testOutcomes, writeClassReport, writeReports } from '../report';
import { gradebookCsv, GradebookRow } from '../report/gradebook_csv';
import { Shard, SHARD_FORMAT, ShardManifest, shardManifestName } from '../report/shard_manifest';

/** `clab-grade grade-all <dir>`: its arguments, flags and defaults; it runs {@link gradeAll}. */
export const GRADE_ALL_VERB = verb({
  name: 'grade-all',
  summary: 'every folder/.zip in dir; gradebook.csv in --out',
  description: [
    'Grades every submission in a folder (each entry a folder or a .zip), --jobs at a time, and',
    'writes <out>/<submission>/{results.json,junit.xml,summary.md,grade.json}, <out>/gradebook.csv and',
    'the class report: <out>/mistakes.csv, tests.csv and class-report.html.',
    'A rerun skips submissions that already have grade.json (unless --force). With --shard K/N',
    'it grades one of N deterministic parts, for N machines; clab-grade merge joins them.',
    'Every submission is graded on fresh inputs derived from the instructor secret (--secret FILE,',
    `$${SECRET_ENV}, or ${DEFAULT_SECRET_FILE} in the course repository; make one with clab-grade secret)`,
    'and its own files: a regrade with the same secret gets the same inputs and the same grade.',
  ].join('\n'),
  positionals: [{ name: '<dir>', help: 'folder whose entries (folders or .zip files) are submissions', required: true }],
  flags: {
    out: flag.string('DIR', 'output folder', 'grader-results'),
    jobs: flag.int('N', 'submissions graded at once (default: the number of cores)', os.cpus().length),
    force: flag.boolean('regrade submissions that already have results'),
    shard: flag.custom('K/N', 'grade only the K-th of N parts (submission i, in sorted order, when i mod N = K-1); writes shard-K-of-N.json for merge instead of gradebook.csv', parseShard),
    manifest: flag.string('FILE', "the release manifest release wrote beside the release: mark each submission whose course files changed (gradebook column course_files)"),
    secret: flag.string('FILE', `the instructor secret every input is derived from (default: $${SECRET_ENV}, else ${DEFAULT_SECRET_FILE} in the course repository)`),
    ...ENGINE_FLAGS,
  },
  run: async ({ positionals: [dir], flags }, { observe }) => {
    const { out, shard } = flags;
    listSubmissions(dir, out); // a mistyped folder is exit 3, whatever else is missing
    const { secret, looked } = findSecret(flags.secret, PROJECT_ROOT);
    if (secret === null) {
      throw new UsageError(
        `grade-all: no instructor secret (looked at ${looked.join(', ')}); every submission is graded on inputs derived from it. ` +
          `Make one with clab-grade secret (it writes ${path.join(PROJECT_ROOT, DEFAULT_SECRET_FILE)}, which .gitignore keeps out of git), or ${MAKE_SECRET} and give --secret FILE; ` +
          `on GitHub Actions, store its text as the repository secret ${SECRET_ENV}`,
      );
    }
    process.stderr.write(`inputs: fresh for every submission, derived from the instructor secret ${secret.fingerprint} (${secret.source})\n`);
    // Submissions run side by side (one exercise at a time each): the engine's default concurrency 1.
    const r = await gradeAll({ dir, out, jobs: flags.jobs, force: flags.force, shard, manifest: flags.manifest, secret, grade: engineOptions(flags) }, observe);
    if (flags.manifest !== undefined) process.stdout.write(courseFilesTally(r.rows, flags.manifest));
    const where = shard
      ? `shard ${shard.index} of ${shard.count}: ${path.join(out, shardManifestName(shard))} (merge the shards with clab-grade merge)`
      : `gradebook: ${path.join(out, 'gradebook.csv')}, class report: ${path.join(out, 'class-report.html')}`;
    process.stdout.write(`${where} (${r.rows.length} submissions; sandboxed children used ${r.childCpuSeconds.toFixed(1)} CPU-s)\n`);
    return r.code;
  },
});

/**
 * Parses `K/N` (1 <= K <= N, whole numbers), the value of `grade-all --shard`.
 * @throws Error whose message says what is expected (the CLI adds the flag and the value)
 * @example parseShard('2/4') // { index: 2, count: 4 }
 */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error('must be K/N with whole numbers 1 <= K <= N (e.g. 2/4 is the second of four shards)');
  return { index, count };
}

/** Options of {@link gradeAll} (the `grade-all` verb's arguments and flags, resolved). */
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
  /** Grade only this part of the submissions (see {@link gradeAll}); write a manifest for `merge`. */
  shard?: Shard;
  /** The instructor's release manifest: each submission's course files are checked against it (also those already graded). */
  manifest?: string;
  /** The instructor secret: every submission's inputs are derived from it and the submission's files. */
  secret: InstructorSecret;
  grade: Partial<GradeOptions>;
  /** Grade against these exercises instead of loading them (tests: the release's frozen public tests). */
  exercises?: LoadedExercises;
  /** Called with each submission's result as it is graded (not for skipped ones). */
  onGraded?: (submission: string, result: GradeResult) => void;
}

const DONE_FILE = 'grade.json';
/** From this many submissions on, each one's exercises are frozen in a worker thread (its start, about half a CPU-second, pays back). */
const FREEZE_WORKER_FROM = 4;

/**
 * The `grade-all` verb: every submission in a folder, `jobs` at a time, each in its own
 * sandboxed children, in one grading session. Each submission's reports are written atomically
 * and `grade.json` last, so a rerun after a crash skips finished ones (unless --force). Writes
 * gradebook.csv. A submission that cannot be read is a row "not graded: ..."; a grader error
 * stops everything. Every submission is graded on fresh inputs derived from `secret` and its files;
 * a finished submission graded with another secret (or before fresh inputs) is graded again.
 * The rows and grade.json keep each submission's digest, the secret's fingerprint and every test's seed.
 *
 * With `shard` K/N it grades only submission i (0-based, in the sorted list) where i mod N is
 * K - 1: the same folder gives the same partition on every machine, and shards differ in size
 * by at most one. It then writes `shard-K-of-N.json` (the full list, the exercises, its rows)
 * instead of gradebook.csv; `merge` combines the N shards into what one run would have written.
 * Without a shard it also writes the class report (mistakes.csv, tests.csv, class-report.html)
 * from the rows, which keep every test's outcome.
 * @param observe told of the session's events
 * @returns the exit code, the gradebook rows (this shard's, with `shard`), and the CPU seconds of the sandboxed children
 */
export async function gradeAll(o: GradeAllOptions, observe?: (event: string) => void): Promise<{ code: number; rows: GradebookRow[]; childCpuSeconds: number }> {
  const all = listSubmissions(o.dir, o.out); // a mistyped folder or manifest fails before the slow start
  const manifest = o.manifest === undefined ? undefined : { path: o.manifest, m: readReleaseManifest(o.manifest) };
  const shard = o.shard;
  const entries = shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all;
  // Loaded on use, so --help and usage errors answer at once (the engine loads tfjs).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { openGradingSession } = require('../grading_session') as typeof import('../grading_session');
  const session = await openGradingSession({ verb: 'grade-all', options: o.grade, observe, exercises: o.exercises, secret: o.secret, freezeInWorker: entries.length >= FREEZE_WORKER_FROM });
  const bar = o.progress === false ? null : new ProgressBar(entries.length);
  const rows = await mapLimit(entries, o.jobs, async (name): Promise<GradebookRow> => {
    const dest = path.join(o.out, name.replace(/\.zip$/i, ''));
    const done = path.join(dest, DONE_FILE);
    const source = path.join(o.dir, name);
    const graded = o.force || !fs.existsSync(done) ? null : (JSON.parse(fs.readFileSync(done, 'utf8')) as GradebookRow);
    // A row graded on other inputs (another secret, or the fixed seeds) would mix secrets in one gradebook.
    const otherSecret = graded !== null && graded.status === 'graded' && graded.inputs?.secret !== o.secret.fingerprint;
    if (graded !== null && !otherSecret) {
      // The mark follows this run's --manifest (cheap), whatever the run that graded it had.
      const row: GradebookRow = { ...graded, courseFiles: manifest ? markCourseFiles(source, manifest.m, manifest.path).cell : undefined };
      bar?.tick(row.score === row.maxScore, `${name} (already graded)`);
      return row;
    }
    let row: GradebookRow;
    try {
      const r = await session.grade(session.read(source), name);
      const mark = manifest ? markCourseFiles(source, manifest.m, manifest.path) : undefined;
      if (mark?.check) r.courseFiles = mark.check;
      writeReports(r, dest);
      o.onGraded?.(name, r);
      const per: Record<string, number> = {};
      for (const e of r.exercises) per[e.id] = e.tests.reduce((a, t) => a + t.score, 0);
      row = { submission: name, score: r.score, maxScore: r.maxScore, exercises: per, status: 'graded', tests: testOutcomes(r, session.exercises.specs), inputs: r.inputs, ...(mark ? { courseFiles: mark.cell } : {}) };
    } catch (e) {
      if (e instanceof GraderError) throw e; // the grader's problem: never a row of zeros
      row = { submission: name, score: 0, maxScore: 0, exercises: {}, status: `not graded: ${(e as Error).message}`, ...(manifest ? { courseFiles: 'not checked: not graded' } : {}) };
    }
    writeAtomic(done, JSON.stringify(row) + '\n');
    bar?.tick(row.score === row.maxScore && row.maxScore > 0, otherSecret ? `${name} (regraded: graded with another secret before)` : name);
    return row;
  }).finally(() => session.close());
  const ids = session.exercises.list.map((e) => e.id);
  if (shard) {
    // Every row's mark follows this run's --manifest (also the rows kept from an earlier run), so one record holds for all.
    const courseFiles = manifest ? { path: manifest.path, digest: manifest.m.digest } : null;
    const shardManifest: ShardManifest = { format: SHARD_FORMAT, shard: shard.index, of: shard.count, all, exercises: ids, secret: o.secret.fingerprint, courseFiles, rows };
    writeAtomic(path.join(o.out, shardManifestName(shard)), JSON.stringify(shardManifest, null, 2) + '\n');
  } else {
    writeAtomic(path.join(o.out, 'gradebook.csv'), gradebookCsv(rows, ids));
    writeClassReport(o.out, rows);
  }
  return { code: rows.every((r) => r.status === 'graded') ? EXIT.ok : EXIT.badSubmission, rows, childCpuSeconds: session.childCpuSeconds() };
}

/**
 * A submission's course files against the release manifest: the check for its reports, and
 * the gradebook cell (`not checked: ...` when they could not be read).
 */
function markCourseFiles(source: string, manifest: ReleaseManifest, manifestPath: string): { check?: CourseFilesCheck; cell: string } {
  try {
    const check = checkCourseFiles(source, manifest, manifestPath);
    return { check, cell: courseFilesCell(check) };
  } catch (e) {
    return { cell: `not checked: ${(e as Error).message}` };
  }
}

/** After a `grade-all --manifest` run: how many submissions were verified, modified or not checked, and each modified one. */
export function courseFilesTally(rows: GradebookRow[], manifestPath: string): string {
  const marks = rows.map((r) => r.courseFiles ?? '');
  const verified = marks.filter((m) => m === 'verified').length;
  const unchecked = marks.filter((m) => m.startsWith('not checked')).length;
  const modified = rows.filter((r) => r.courseFiles !== undefined && r.courseFiles !== 'verified' && !r.courseFiles.startsWith('not checked'));
  const lines = [`course files (against ${manifestPath}): ${verified} verified, ${modified.length} MODIFIED, ${unchecked} not checked (no course files in the submission, or not graded)`];
  for (const r of modified) lines.push(`  MODIFIED ${r.submission}: ${r.courseFiles}`);
  return lines.join('\n') + '\n';
}

/** The submissions in `dir`: its folders and .zip files (not hidden ones, not `out`), sorted by code point. */
export function listSubmissions(dir: string, out: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SubmissionError(`${dir} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (e as Error).message})`}; give the folder that holds the submissions`);
  }
  if (!st.isDirectory()) throw new SubmissionError(`${dir} is not a folder; grade-all takes a folder whose entries (folders or .zip files) are submissions`);
  const outAbs = path.resolve(out);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && path.resolve(dir, e.name) !== outAbs && (e.isDirectory() || (e.isFile() && e.name.toLowerCase().endsWith('.zip'))))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A one-line progress bar on stderr (redrawn in place on a TTY, a line per 10% otherwise). */
class ProgressBar {
  private done = 0;
  private failed = 0;
  private lastDecile = -1;
  private readonly t0 = Date.now();

  constructor(private readonly total: number, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** Counts one finished submission (full score or not) and redraws. */
  tick(fullScore: boolean, label: string): void {
    this.done++;
    if (!fullScore) this.failed++;
    const frac = this.total === 0 ? 1 : this.done / this.total;
    const width = 30;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - this.t0) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}  not full: ${this.failed}  ${elapsed.toFixed(0)}s elapsed, ETA ${eta.toFixed(0)}s  ${label.slice(0, 30)}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.padEnd(120)}${this.done === this.total ? '\n' : ''}`);
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastDecile || this.done === this.total) {
        this.lastDecile = decile;
        this.stream.write(line + '\n');
      }
    }
  }
}
