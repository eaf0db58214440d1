/**
 * Generates `exercises/exNN-*.ts` from `solutions/exNN-*.ts` (the single source).
 *
 *   npm run gen:exercises            # write exercises/ (atomically, only files that changed)
 *   npm run gen:exercises -- --check # write nothing; exit 1 and name the files that drifted
 *   npm run gen:exercises -- --force # also overwrite files holding work, after a backup of each
 *   (`--root DIR` runs on another checkout, e.g. a release copy)
 *
 * A learner's work is never overwritten without --force: an exercise file whose TODO blocks hold
 * anything but the stub, whose TODO markers do not pair up, or which has lines outside the blocks
 * that the generator would not write and that git does not hold as committed, is left alone
 * (exit 1, naming the file and what in it is work). With --force each such file is first copied
 * to `exercises/<file>.<time>.bak`. A file that differs from the generated one only inside its
 * TODO blocks is work in progress, not drift: `--check` passes on it.
 *
 * Each `// BEGIN SOLUTION` ... `// END SOLUTION` block becomes a throwing stub between TODO
 * markers (see `grader/release/strip_solutions.ts`, which the grader's `release` verb uses too).
 * An `exercises/exNN-*.ts` without a solution is reported as drift, never deleted.
 * Exit codes: 0 ok, 1 drift (with --check) or a file left alone because it holds work, 2 bad
 * markers or bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { stripSolutions, SolutionMarkerError } from '../grader/release/strip_solutions';
import { writeAtomic } from '../lib/io';
import { exerciseWork } from './exercise_work';

/** A solution file name: `ex01-triplet.ts` (tests `*.test.ts` are not exercises). */
export const EXERCISE_FILE = /^ex\d{2}-[A-Za-z0-9_-]+\.ts$/;

/** Options for {@link generateExercises}. */
export interface GenerateOptions {
  /** Repository root; default: the parent of this script's folder. */
  root?: string;
  /** Folder of the sources, relative to root; default `solutions`. */
  solutionsDir?: string;
  /** Folder to write, relative to root; default `exercises`. */
  exercisesDir?: string;
  /** Compare only, write nothing. */
  check?: boolean;
  /**
   * Overwrite exercise files that hold someone's work too, after copying each to a backup next
   * to it (`exercises/exNN-name.ts.<time>.bak`). Default false: such files are left alone.
   */
  force?: boolean;
  /** The time stamp in backup names; default now. */
  now?: Date;
}

/** An exercise file that holds someone's work and differs from what would be generated. */
export interface WorkFile {
  /** Path relative to root, with `/`. */
  file: string;
  /** What in it is work, one short phrase per kind (filled TODO blocks, lines outside them). */
  work: string[];
}

/** What {@link generateExercises} found or did; paths are relative to root, with `/`. */
export interface GenerateReport {
  /** Exercise files whose content equals the generated text. */
  upToDate: string[];
  /**
   * Exercise files that differ from the generated text ONLY inside their TODO blocks, which hold
   * someone's work: not drift, never overwritten (unless force).
   */
  inProgress: string[];
  /** Exercise files that differ from (or are missing for) their solution and hold no work: written unless check. */
  drifted: string[];
  /** Exercise files that differ outside their TODO blocks AND hold work: refused (unless force). */
  withWork: WorkFile[];
  /** With force: each overwritten file that held work, and where its old text was copied. */
  backups: Array<{ file: string; backup: string }>;
  /** Exercise files with no solution behind them (never deleted). */
  orphaned: string[];
}

const HEADER_MARK = '// Generated from ';

function header(solutionRel: string, eol: string): string {
  return (
    `${HEADER_MARK}${solutionRel} by \`npm run gen:exercises\`.${eol}` +
    `// Students: write your code between the TODO markers. Instructors: edit the solution and regenerate.${eol}`
  );
}

/** The exercise text for one solution file's text (header + stripped source). */
export function exerciseText(solutionText: string, solutionRel: string, exerciseRel: string): string {
  const eol = solutionText.includes('\r\n') ? '\r\n' : '\n';
  const { text, blocks } = stripSolutions(solutionText, { sourcePath: solutionRel, exercisePath: exerciseRel });
  if (blocks === 0) {
    throw new SolutionMarkerError(
      solutionRel,
      1,
      `no '// BEGIN SOLUTION' block, so the exercise would give the answer away; mark the solution code`,
    );
  }
  return header(solutionRel, eol) + text;
}

function listExercises(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => EXERCISE_FILE.test(f))
    .sort();
}

/**
 * True when `rel` is tracked by git and its working copy equals HEAD's: overwriting it loses
 * nothing that `git show HEAD:<rel>` cannot give back. False without git or outside a repository.
 */
function committedAsIs(root: string, rel: string): boolean {
  const git = (args: string[]) => spawnSync('git', ['-C', root, ...args], { stdio: 'ignore' }).status === 0;
  return git(['ls-files', '--error-unmatch', '--', rel]) && git(['diff', '--quiet', 'HEAD', '--', rel]);
}

/** The work in a file, as short phrases; [] when there is none that could be lost. */
function describeWork(root: string, rel: string, current: string, wanted: string): { work: string[]; skeletonMatches: boolean } {
  const w = exerciseWork(current, wanted);
  const work: string[] = [];
  if (w.filledBlocks.length > 0) {
    work.push(`code in ${w.filledBlocks.length} TODO block(s) (line ${w.filledBlocks.map((b) => b.line).join(', ')})`);
  }
  if (w.brokenMarkers !== null) work.push(`TODO markers that do not pair up (${w.brokenMarkers})`);
  // Lines outside the blocks that the generator would not write are an instructor's old
  // generated text when the file is committed as is (git keeps it), else someone's edit.
  if (w.foreignLines.length > 0 && !committedAsIs(root, rel)) {
    const f = w.foreignLines[0];
    work.push(`${w.foreignLines.length} line(s) outside the TODO blocks that solutions/ does not have (first: line ${f.line} '${f.text}')`);
  }
  return { work, skeletonMatches: w.skeletonMatches };
}

function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
}

/**
 * Regenerates (or with `check`, compares) every exercise from its solution. Never overwrites an
 * exercise that holds someone's work (code in a TODO block, broken TODO markers, or uncommitted
 * lines outside the blocks) unless `force`, and then copies it to a backup first.
 * @throws SolutionMarkerError naming file and line when a solution's markers are bad
 * @example const report = generateExercises({ check: true }); // report.drifted lists stale files
 */
export function generateExercises(options: GenerateOptions = {}): GenerateReport {
  const root = options.root ?? path.resolve(__dirname, '..');
  const solDir = options.solutionsDir ?? 'solutions';
  const exDir = options.exercisesDir ?? 'exercises';
  const report: GenerateReport = { upToDate: [], inProgress: [], drifted: [], withWork: [], backups: [], orphaned: [] };
  const solutions = listExercises(path.join(root, solDir));
  if (!options.check && solutions.length > 0) fs.mkdirSync(path.join(root, exDir), { recursive: true });
  for (const name of solutions) {
    const solRel = `${solDir}/${name}`;
    const exRel = `${exDir}/${name}`;
    const wanted = exerciseText(fs.readFileSync(path.join(root, solRel), 'utf8'), solRel, exRel);
    const exAbs = path.join(root, exRel);
    const current = fs.existsSync(exAbs) ? fs.readFileSync(exAbs, 'utf8') : undefined;
    if (current === wanted) {
      report.upToDate.push(exRel);
      continue;
    }
    const { work, skeletonMatches } = current === undefined ? { work: [], skeletonMatches: false } : describeWork(root, exRel, current, wanted);
    if (work.length === 0) {
      report.drifted.push(exRel);
      if (!options.check) writeAtomic(exAbs, wanted);
      continue;
    }
    if (skeletonMatches) report.inProgress.push(exRel);
    else report.withWork.push({ file: exRel, work });
    if (!options.check && options.force) {
      const backup = `${exRel}.${stamp(options.now ?? new Date())}.bak`;
      if (fs.existsSync(path.join(root, backup))) throw new Error(`gen:exercises: backup ${backup} already exists; wait a second and run again`);
      writeAtomic(path.join(root, backup), current as string);
      writeAtomic(exAbs, wanted);
      report.backups.push({ file: exRel, backup });
    }
  }
  for (const name of listExercises(path.join(root, exDir))) {
    if (!solutions.includes(name)) report.orphaned.push(`${exDir}/${name}`);
  }
  return report;
}

/**
 * What the drift check says about a report: '' when nothing is wrong (files whose only
 * difference is a learner's code inside the TODO blocks are not drift), else one message that
 * tells the instructor and the learner apart and gives each the command that loses nothing.
 * @example const msg = driftMessage(generateExercises({check: true})); if (msg) throw new Error(msg);
 */
export function driftMessage(report: GenerateReport): string {
  const out: string[] = [];
  if (report.drifted.length > 0) {
    out.push(
      `exercises/ is out of date with solutions/: ${report.drifted.join(', ')}.`,
      `  These files hold no one's work (their TODO blocks hold only the stubs), so regenerating them loses nothing.`,
      `  Instructor: run \`npm run gen:exercises\` and commit exercises/.`,
    );
  }
  if (report.withWork.length > 0) {
    out.push(`exercises/ differs from solutions/ outside the TODO blocks, in files that hold someone's work:`);
    for (const w of report.withWork) out.push(`  ${w.file}: ${w.work.join('; ')}`);
    out.push(
      `  Learner: your work is safe; nothing has touched it. Do NOT run gen:exercises. Test your code with \`npm run check\`.`,
      `    This check guards the course's generated files; it passes again once your changes are only inside the TODO blocks.`,
      `  Instructor: \`npm run gen:exercises\` will refuse to overwrite these files; \`npm run gen:exercises -- --force\``,
      `    regenerates them and keeps a backup of each next to it (exercises/<file>.<time>.bak).`,
    );
  }
  for (const f of report.orphaned) out.push(`${f} has no solutions/ source: add the solution or delete the exercise.`);
  return out.join('\n');
}

const USAGE = 'usage: npm run gen:exercises [-- --check] [--force] [--root DIR]';

function main(argv: string[]): number {
  let check = false;
  let force = false;
  let root: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--force') force = true;
    else if (argv[i] === '--root' && i + 1 < argv.length) root = path.resolve(argv[++i]);
    else {
      console.error(`gen:exercises: unknown argument '${argv[i]}'; ${USAGE}`);
      return 2;
    }
  }
  if (check && force) {
    console.error(`gen:exercises: --check writes nothing, so --force has no meaning with it; ${USAGE}`);
    return 2;
  }
  let report: GenerateReport;
  try {
    report = generateExercises({ check, root, force });
  } catch (err) {
    if (err instanceof SolutionMarkerError) {
      console.error(`gen:exercises: ${err.message}`);
      return 2;
    }
    throw err;
  }
  for (const f of report.inProgress) {
    console.log(`gen:exercises: ${f} holds work in its TODO blocks and is otherwise up to date${force && !check ? '' : ': left as it is'}`);
  }
  if (check) {
    const msg = driftMessage(report);
    if (msg !== '') {
      console.error(`gen:exercises: ${msg}`);
      return 1;
    }
    console.log(`gen:exercises: ${report.upToDate.length} exercise(s) up to date${report.inProgress.length > 0 ? `, ${report.inProgress.length} with work in their TODO blocks (not drift)` : ''}`);
    return 0;
  }
  for (const f of report.drifted) console.log(`gen:exercises: wrote ${f}`);
  for (const b of report.backups) console.log(`gen:exercises: wrote ${b.file}; its previous text (someone's work) is in ${b.backup}`);
  if (!force && report.withWork.length > 0) {
    console.error(`gen:exercises: refused to overwrite ${report.withWork.length} file(s) that hold someone's work:`);
    for (const w of report.withWork) console.error(`  ${w.file}: ${w.work.join('; ')}`);
    console.error(
      `  Learner: you do not need gen:exercises; your files are untouched. Test your code with \`npm run check\`.\n` +
        `  Instructor: \`npm run gen:exercises -- --force\` regenerates them and keeps a backup of each next to it.`,
    );
  }
  for (const f of report.orphaned) console.error(`gen:exercises: ${f} has no solutions/ source; add the solution or delete the exercise`);
  console.log(
    `gen:exercises: ${report.drifted.length + report.backups.length} written, ${report.upToDate.length} already up to date` +
      (!force && report.withWork.length + report.inProgress.length > 0 ? `, ${report.withWork.length + report.inProgress.length} left alone (they hold work)` : ''),
  );
  return report.orphaned.length > 0 || (!force && report.withWork.length > 0) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
