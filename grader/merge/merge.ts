// clab-grade merge: the shards of a grade-all run joined into what one run writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';
import { flag, verb } from '../command_line/flags';
import { SECRET_ENV } from '../engine/instructor_secret';
import { EXIT, SubmissionError } from '../exit_codes';
import { gradebookCsv, GradebookRow } from '../report/gradebook_csv';
import { writeClassReport } from '../report/class_report';
import { SHARD_FORMAT, SHARD_FORMAT_WITHOUT_COURSE_FILES, shardCourseFilesLabel, ShardManifest } from '../report/shard_manifest';

/** `clab-grade merge <dir>...`: its arguments, flags and defaults; it runs {@link mergeShards}. */
export const MERGE_VERB = verb({
  name: 'merge',
  summary: 'combine grade-all --shard outputs into one gradebook.csv and report folders',
  description: [
    'Combines the outputs of grade-all --shard 1/N ... N/N (each folder holds shard-K-of-N.json',
    'and its submissions\' folders; a folder of such folders works too) into what one grade-all',
    'run writes: gradebook.csv, the class report (mistakes.csv, tests.csv, class-report.html) and',
    'every submission\'s folder. An incomplete set is exit 3, and so are shards graded with different',
    'instructor secrets or whose course files were marked against different release manifests.',
  ].join('\n'),
  positionals: [{ name: '<dir>...', help: "folders written by grade-all --shard (or their parent, e.g. download-artifact's)", required: true, variadic: true }],
  flags: {
    out: flag.string('DIR', 'where gradebook.csv and the submission folders go', 'grader-results'),
  },
  run: async ({ positionals, flags: { out } }) => {
    const r = mergeShards({ inputs: positionals, out });
    process.stdout.write(`gradebook: ${path.join(out, 'gradebook.csv')}, class report: ${path.join(out, 'class-report.html')} (${r.rows.length} submissions)\n`);
    return r.code;
  },
});

/** Options of {@link mergeShards} (the `merge` verb's arguments and flags, resolved). */
export interface MergeOptions {
  /** Folders holding shard outputs (or folders of such folders, as download-artifact makes). */
  inputs: string[];
  /** Where the merged gradebook.csv and per-submission folders go (may be an input folder). */
  out: string;
}

const MANIFEST = /^shard-(\d+)-of-(\d+)\.json$/;

/** Every shard manifest in the inputs and their direct subfolders, with the folder it sits in. */
function findManifests(inputs: string[]): Array<{ dir: string; manifest: ShardManifest; file: string }> {
  const found: Array<{ dir: string; manifest: ShardManifest; file: string }> = [];
  const look = (dir: string, depth: number): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isFile() && MANIFEST.test(e.name)) {
        let manifest: ShardManifest;
        try {
          manifest = JSON.parse(fs.readFileSync(p, 'utf8')) as ShardManifest;
        } catch (err) {
          throw new SubmissionError(`${p} is not a readable shard manifest (${(err as Error).message})`);
        }
        if (manifest.format !== SHARD_FORMAT && manifest.format !== SHARD_FORMAT_WITHOUT_COURSE_FILES) {
          const old = manifest.format === 'clab-grade/shard@1' ? ' (graded by an older grader, on the fixed seeds: grade that shard again)' : '';
          throw new SubmissionError(`${p} has format ${JSON.stringify(manifest.format)}, expected ${SHARD_FORMAT} (or ${SHARD_FORMAT_WITHOUT_COURSE_FILES})${old}`);
        }
        found.push({ dir, manifest, file: p });
      } else if (e.isDirectory() && depth === 0) look(p, 1);
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = fs.statSync(input);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new SubmissionError(`${input} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (err as Error).message})`}; give the folders grade-all --shard wrote`);
    }
    if (!st.isDirectory()) throw new SubmissionError(`${input} is not a folder; give the folders grade-all --shard wrote`);
    look(input, 0);
  }
  return found;
}

/** Checks that the manifests are the N shards of one run, each once; returns them by shard. */
function completeRun(found: ReturnType<typeof findManifests>): ReturnType<typeof findManifests> {
  if (found.length === 0) throw new SubmissionError('no shard-K-of-N.json found in the inputs (or their direct subfolders); run grade-all --shard K/N first');
  const [first] = found;
  const n = first.manifest.of;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  for (const f of found) {
    if (f.manifest.secret !== first.manifest.secret) {
      // Fingerprints only: a submission graded in two shards with different secrets would have met different inputs.
      throw new SubmissionError(`${f.file} was graded with the instructor secret ${f.manifest.secret}, ${first.file} with ${first.manifest.secret}; grade every shard with the same secret (--secret FILE or $${SECRET_ENV}) and merge again`);
    }
    // By digest: the same manifest may sit at another path on another machine.
    const digest = (m: ShardManifest) => (m.courseFiles === undefined ? 'not recorded' : m.courseFiles?.digest ?? 'none');
    if (digest(f.manifest) !== digest(first.manifest)) {
      throw new SubmissionError(
        `${f.file} marked course files against ${shardCourseFilesLabel(f.manifest)}, ${first.file} against ${shardCourseFilesLabel(first.manifest)}: ` +
          'one gradebook column would mix them. Run grade-all --shard K/N again for the shards that differ, with the same --manifest as the others (or none on all), ' +
          'then merge again (finished submissions are not graded again; only their marks are made again)',
      );
    }
    if (f.manifest.of !== n || !same(f.manifest.all, first.manifest.all) || !same(f.manifest.exercises, first.manifest.exercises)) {
      throw new SubmissionError(`${f.file} is not from the same run as ${first.file} (different shard count, submissions or exercises)`);
    }
  }
  const byShard: ReturnType<typeof findManifests> = [];
  for (let k = 1; k <= n; k++) {
    const these = found.filter((f) => f.manifest.shard === k);
    if (these.length === 0) {
      const have = [...new Set(found.map((f) => f.manifest.shard))].sort((a, b) => a - b).join(', ');
      throw new SubmissionError(`shard ${k} of ${n} is missing (found shards ${have}); give every shard's folder`);
    }
    if (these.length > 1 && !these.every((t) => same(t.manifest.rows, these[0].manifest.rows))) {
      throw new SubmissionError(`shard ${k} of ${n} appears twice with different results: ${these.map((t) => t.file).join(' and ')}`);
    }
    byShard.push(these[0]);
  }
  return byShard;
}

/** Copies one submission's report folder (every file, each written atomically). */
function copyFolder(from: string, to: string): void {
  if (path.resolve(from) === path.resolve(to)) return;
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isFile()) writeAtomic(path.join(to, e.name), fs.readFileSync(path.join(from, e.name), 'utf8'));
  }
}

/**
 * The `merge` verb: combines the outputs of `grade-all --shard 1/N ... N/N` into what one
 * `grade-all` run writes: every submission's report folder, gradebook.csv and the class report, rows in the same
 * (sorted) order, byte for byte the same apart from timings. Refuses an incomplete or mixed set
 * of shards (exit 3), naming what is missing, shards graded with different instructor secrets
 * (their fingerprints differ), and shards whose course-files marks were made against different
 * release manifests (or some against none).
 * @returns the exit code (0 every submission graded, 3 some not) and the merged rows
 */
export function mergeShards(o: MergeOptions): { code: number; rows: GradebookRow[] } {
  const shards = completeRun(findManifests(o.inputs));
  const { all, exercises } = shards[0].manifest;
  const rows = new Map<string, GradebookRow>();
  for (const s of shards) {
    for (const row of s.manifest.rows) {
      const folder = path.join(s.dir, row.submission.replace(/\.zip$/i, ''));
      if (!fs.existsSync(path.join(folder, 'grade.json'))) throw new SubmissionError(`${folder} is missing (listed in ${s.file}); the shard's output is incomplete`);
      copyFolder(folder, path.join(o.out, row.submission.replace(/\.zip$/i, '')));
      rows.set(row.submission, row);
    }
  }
  const missing = all.filter((name) => !rows.has(name));
  if (missing.length > 0) throw new SubmissionError(`no shard has ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`);
  const ordered = all.map((name) => rows.get(name)!);
  writeAtomic(path.join(o.out, 'gradebook.csv'), gradebookCsv(ordered, exercises));
  writeClassReport(o.out, ordered);
  return { code: ordered.every((r) => r.status === 'graded') ? EXIT.ok : EXIT.badSubmission, rows: ordered };
}
