/**
 * Generates `exercises/exNN-*.ts` from `solutions/exNN-*.ts` (the single source).
 *
 *   npm run gen:exercises            # write exercises/ (atomically, only files that changed)
 *   npm run gen:exercises -- --check # write nothing; exit 1 and name the files that drifted
 *   (`--root DIR` runs on another checkout, e.g. a release copy)
 *
 * Each `// BEGIN SOLUTION` ... `// END SOLUTION` block becomes a throwing stub between TODO
 * markers (see `scripts/strip_solutions.ts`, which the grader's `release` verb reuses).
 * An `exercises/exNN-*.ts` without a solution is reported as drift, never deleted.
 * Exit codes: 0 ok, 1 drift (with --check), 2 bad markers or bad usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripSolutions, SolutionMarkerError } from '../grader/single_source/strip_solutions';

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
}

/** What {@link generateExercises} found or did; paths are relative to root, with `/`. */
export interface GenerateReport {
  /** Exercise files whose content equals the generated text. */
  upToDate: string[];
  /** Exercise files that differ from (or are missing for) their solution; written unless check. */
  drifted: string[];
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

/** Writes via a temp file in the same folder and a rename, so readers never see half a file. */
export function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function listExercises(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => EXERCISE_FILE.test(f))
    .sort();
}

/**
 * Regenerates (or with `check`, compares) every exercise from its solution.
 * @throws SolutionMarkerError naming file and line when a solution's markers are bad
 * @example const report = generateExercises({ check: true }); // report.drifted lists stale files
 */
export function generateExercises(options: GenerateOptions = {}): GenerateReport {
  const root = options.root ?? path.resolve(__dirname, '..');
  const solDir = options.solutionsDir ?? 'solutions';
  const exDir = options.exercisesDir ?? 'exercises';
  const report: GenerateReport = { upToDate: [], drifted: [], orphaned: [] };
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
    } else {
      report.drifted.push(exRel);
      if (!options.check) writeAtomic(exAbs, wanted);
    }
  }
  for (const name of listExercises(path.join(root, exDir))) {
    if (!solutions.includes(name)) report.orphaned.push(`${exDir}/${name}`);
  }
  return report;
}

function main(argv: string[]): number {
  let check = false;
  let root: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true;
    else if (argv[i] === '--root' && i + 1 < argv.length) root = path.resolve(argv[++i]);
    else {
      console.error(`gen:exercises: unknown argument '${argv[i]}'; usage: npm run gen:exercises [-- --check] [--root DIR]`);
      return 2;
    }
  }
  let report: GenerateReport;
  try {
    report = generateExercises({ check, root });
  } catch (err) {
    if (err instanceof SolutionMarkerError) {
      console.error(`gen:exercises: ${err.message}`);
      return 2;
    }
    throw err;
  }
  for (const f of report.orphaned) {
    console.error(`gen:exercises: ${f} has no solutions/ source; add the solution or delete the exercise`);
  }
  if (check) {
    for (const f of report.drifted) console.error(`gen:exercises: ${f} is out of date with its solution`);
    const bad = report.drifted.length + report.orphaned.length;
    if (bad > 0) {
      console.error(`gen:exercises: ${bad} file(s) drifted; run \`npm run gen:exercises\` and commit exercises/`);
      return 1;
    }
    console.log(`gen:exercises: ${report.upToDate.length} exercise(s) up to date`);
    return 0;
  }
  for (const f of report.drifted) console.log(`gen:exercises: wrote ${f}`);
  console.log(`gen:exercises: ${report.drifted.length} written, ${report.upToDate.length} already up to date`);
  return report.orphaned.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
