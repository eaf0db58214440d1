// clab-grade release: the student repository, written and checked for leaks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../lib/io';
import { flag, verb } from '../command_line/flags';
import { buildReleaseManifest, RELEASE_MANIFEST_FILE, releaseManifestText } from '../engine/course_files';
import { DEFAULT_SECRET_FILE, isSecretFileText, knownSecrets, SECRET_ENV } from '../engine/instructor_secret';
import { PROJECT_ROOT } from '../engine/project_root';
import { EXIT, GraderError, UsageError } from '../exit_codes';
import { releaseNotebooks } from './release_notebooks';
import { stripSolutions } from './strip_solutions';
import { studentPackageJson } from './student_package_json';
import { studentReadme } from './student_readme';

/** `clab-grade release <out>`: its arguments and flag; it runs {@link writeRelease}. */
export const RELEASE_VERB = verb({
  name: 'release',
  summary: 'write the student repository to <out>',
  description: [
    'Writes the student repository into a new or empty folder: exercises/ as stubs generated from',
    'solutions/, the public tests frozen as data, no solutions/, no hidden tests; then greps it for',
    'solution text and hidden test names. Writes the manifest of the course files twice: in the',
    `release (${RELEASE_MANIFEST_FILE}) and, for you, outside it (grade-all --manifest reads it).`,
  ].join('\n'),
  positionals: [{ name: '<out>', help: 'a new or empty folder', required: true }],
  flags: {
    manifest: flag.string('FILE', "the instructor's copy of the release manifest, outside <out> (default: <out>.manifest.json beside it)"),
  },
  run: async ({ positionals: [out], flags }) => {
    if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || fs.readdirSync(out).length > 0)) {
      throw new UsageError(`release: ${out} is not an empty folder; give a new folder (nothing is written into one that has files)`);
    }
    const copy = flags.manifest ?? `${path.resolve(out)}.manifest.json`;
    const inside = path.relative(path.resolve(out), path.resolve(copy));
    if (!inside.startsWith('..') && !path.isAbsolute(inside)) throw new UsageError(`release: --manifest ${copy} is inside the release ${out}; the instructor's copy must stay outside what students get`);
    if (fs.existsSync(copy)) throw new UsageError(`release: ${copy} exists (the manifest of an earlier release?); move it away or give --manifest FILE`);
    const r = writeRelease(PROJECT_ROOT, out, copy);
    process.stdout.write(`release: ${r.files} files in ${out}; exercises ${r.exercises.join(', ')}; ${r.publicTests} public tests frozen, ${r.hiddenTestsWithheld} hidden tests withheld; no solution text or hidden test name found\n`);
    process.stdout.write(`release manifest: ${r.manifest.files} course files, digest ${r.manifest.digest}; the student's copy is ${RELEASE_MANIFEST_FILE}, yours is ${copy}: keep it (grade-all --manifest ${copy} marks submissions that changed a course file)\n`);
    return EXIT.ok;
  },
});

/** Top-level entries copied into the student repository (everything else stays private). */
const COPY = ['lib', 'notebooks', 'grader', 'kernel', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.gitignore'];
/**
 * Paths never released: solutions, specs with hidden tests and known-mistake code, fixtures, every
 * test and test helper, instructor tools (the workflow files: classroom.yml goes to .github/workflows/,
 * grade-all.yml stays home; gen:exercises, the instructor's test runner and its kernel conformance step, the browser
 * tests, the course-site export (it needs the browser launcher) and torch scripts, this verb's README template, the grader's
 * guide and design, which list every known mistake the hidden tests name), and what a working tree collects (hidden files
 * such as .ipynb_checkpoints, backups, temp files).
 */
const SKIP = [
  /^grader\/specs\/ex\d+[^/]*\.ts$/,
  /^grader\/frozen(\/|$)/,
  /^grader\/(README|DESIGN)\.md$/,
  /^grader\/workflows(\/|$)/,
  /^grader\/release\/student_readme\.md$/,
  /(^|\/)fixtures(\/|$)/,
  /(^|\/)test(\/|$)/,
  /\.test\.ts$/,
  /^scripts\/(gen_exercises|exercise_work|student_e2e)\.ts$/,
  /^scripts\/(test|kernel_conformance)\.mjs$/,
  /^scripts\/browser(\/|$)/,
  /^scripts\/export(\/|$)/,
  /^scripts\/torch_fixtures\.py$/,
  /(^|\/)node_modules(\/|$)/,
  /(^|\/)\.(?!gitignore$)[^/]*$/,
  /\.(bak|tmp|orig)$/,
];

/** What {@link writeRelease} wrote and checked. */
export interface ReleaseReport {
  files: number;
  exercises: string[];
  publicTests: number;
  hiddenTestsWithheld: number;
  /** package.json scripts the student repository keeps, and the instructor-only ones dropped. */
  scripts: { kept: string[]; dropped: string[] };
  /** Exercise id -> the notebook whose cell checks it. */
  checkedIn: Record<string, string>;
  /** The release manifest: how many course files it lists, and its digest. */
  manifest: { files: number; digest: string };
}

/** Where release writes the student README (from student_readme.md). */
export const STUDENT_README_TARGET = 'README.md';

/** Whether release copies a repository path (a file or folder) into the student repository as it is. */
export function copiedToRelease(rel: string): boolean {
  const parts = rel.split('/');
  if (!COPY.includes(parts[0])) return false;
  return !parts.some((_, i) => SKIP.some((re) => re.test(parts.slice(0, i + 1).join('/'))));
}

function copyTree(src: string, dst: string, rel: string, count: { n: number }): void {
  const st = fs.lstatSync(src);
  if (SKIP.some((re) => re.test(rel))) return;
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(src)) copyTree(path.join(src, e), path.join(dst, e), rel ? `${rel}/${e}` : e, count);
  } else if (st.isFile()) {
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    fs.copyFileSync(src, dst);
    count.n++;
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** The header of a released exercise file: how to work on it and check it, in this repository's words. */
function studentHeader(id: string, notebook: string | undefined): string {
  return (
    `// Exercise ${id}: write your code between the TODO markers (keep the names and signatures).\n` +
    `// Check it: \`await clab.check('${id}')\`${notebook ? ` in ${notebook}` : ' in a notebook'}, or \`npm run check -- --only ${id}\` in a terminal.\n`
  );
}

/**
 * Writes the student repository to `out`, a repository that stands on its
 * own: lib, the notebooks stripped of outputs and volatile metadata (whatever state the working
 * tree is in), the grader engine, exercises/ freshly generated from solutions/ (stubs), the public
 * tests frozen as data (inputs, expected outputs, known mistakes' outputs: no solution or mistake
 * code), its own README (from student_readme.md), a package.json with only the scripts that work
 * there (`test` = scripts/student_test.mjs), the Classroom workflow; no solutions/, no hidden
 * specs, no tests or fixtures, no bench/. Then greps the result for every solution line and every
 * hidden test name and fails if one is found. Last, the manifest of the course files (their
 * SHA-256) goes into the release and, when asked, to the instructor's copy outside it.
 * @param projectRoot the instructor repository
 * @param out an empty or missing folder
 * @param manifestCopy where the instructor's copy of the manifest goes (outside `out`)
 */
export function writeRelease(projectRoot: string, out: string, manifestCopy?: string): ReleaseReport {
  if (!fs.existsSync(path.join(projectRoot, 'solutions'))) {
    throw new Error(`release: ${projectRoot} has no solutions/: release runs in the instructor's repository, not in a student release`);
  }
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`release: ${out} is not empty; give a new folder`);
  fs.mkdirSync(out, { recursive: true });
  const count = { n: 0 };
  for (const top of COPY) {
    const src = path.join(projectRoot, top);
    if (fs.existsSync(src)) copyTree(src, path.join(out, top), top, count);
  }
  const notebooks = releaseNotebooks(out);
  // Loaded on use, so --help and usage errors answer at once (the specs load tfjs).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { FROZEN_FILE, loadExercises } = require('../engine/load_exercises') as typeof import('../engine/load_exercises');
  const exercises = loadExercises(projectRoot, ['public']);
  const specs = exercises.specs;
  const secrets: string[] = [];
  for (const s of specs) {
    const srcPath = path.join(projectRoot, 'solutions', s.file);
    const source = fs.readFileSync(srcPath, 'utf8');
    const { text } = stripSolutions(source, { sourcePath: `solutions/${s.file}`, exercisePath: `exercises/${s.file}` });
    writeAtomic(path.join(out, 'exercises', s.file), studentHeader(s.id, notebooks.checkedIn.get(s.id)) + text);
    count.n++;
    secrets.push(...solutionLines(source));
    secrets.push(...s.tests.filter((t) => t.visibility === 'hidden').map((t) => t.name));
  }
  const frozen = exercises.freeze(); // the public tests as `check` freezes them: the specs' fixed seeds
  writeAtomic(path.join(out, FROZEN_FILE), JSON.stringify(frozen) + '\n');
  writeAtomic(path.join(out, 'grader', 'specs', 'index.ts'), RELEASE_SPECS_INDEX);
  const scripts = studentPackageJson(out);
  const slowFile = path.join(out, 'scripts', 'slow_notebooks.json');
  const slow = fs.existsSync(slowFile) ? Object.keys(JSON.parse(fs.readFileSync(slowFile, 'utf8')) as Record<string, string>) : [];
  writeAtomic(
    path.join(out, STUDENT_README_TARGET),
    studentReadme({
      exercises: frozen,
      checkedIn: notebooks.checkedIn,
      quickNotebooks: notebooks.files.filter((f) => !slow.includes(path.basename(f))),
      slowNotebooks: notebooks.files.filter((f) => slow.includes(path.basename(f))),
    }),
  );
  const wf = path.join(projectRoot, 'grader', 'workflows', 'classroom.yml');
  if (fs.existsSync(wf)) fs.cpSync(wf, path.join(out, '.github', 'workflows', 'classroom.yml'));
  // lib/ ships the library's own losses by design (the exercises may not import them), so
  // identical lines there are expected; everywhere else a solution line is a leak.
  const leaks = findLeaks(out, secrets).filter((l) => !l.startsWith(`lib${path.sep}`));
  if (leaks.length > 0) throw new Error(`release: solution text or hidden test names leaked:\n${leaks.slice(0, 10).join('\n')}`);
  const secretLeaks = findSecretLeaks(out, projectRoot);
  if (secretLeaks.length > 0) {
    // Nothing of a release that holds the secret may stay where it could be pushed.
    fs.rmSync(out, { recursive: true, force: true });
    throw new GraderError(
      `release: the instructor secret would reach students, so nothing was released:\n${secretLeaks.slice(0, 10).join('\n')}\n` +
        `Keep the secret outside the course files (its default place, ${DEFAULT_SECRET_FILE} at the top of the repository, is never released) and release again.`,
    );
  }
  const manifest = buildReleaseManifest(out);
  const manifestText = releaseManifestText(manifest);
  writeAtomic(path.join(out, ...RELEASE_MANIFEST_FILE.split('/')), manifestText);
  if (manifestCopy !== undefined) writeAtomic(manifestCopy, manifestText);
  return {
    files: listFiles(out).length,
    exercises: specs.map((s) => s.id),
    publicTests: frozen.reduce((a, e) => a + e.tests.length, 0),
    hiddenTestsWithheld: frozen.reduce((a, e) => a + e.hiddenCount, 0),
    scripts,
    checkedIn: Object.fromEntries(notebooks.checkedIn),
    manifest: { files: Object.keys(manifest.files).length, digest: manifest.digest },
  };
}

/** The meaningful lines inside `// BEGIN SOLUTION` blocks (short or generic lines are skipped). */
export function solutionLines(source: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split('\n')) {
    if (/^\s*\/\/ BEGIN SOLUTION\s*$/.test(line)) inside = true;
    else if (/^\s*\/\/ END SOLUTION\s*$/.test(line)) inside = false;
    else if (inside) {
      const t = line.trim();
      if (t.length >= 25 && !t.startsWith('//') && !t.startsWith('throw new Error(')) out.push(t);
    }
  }
  return out;
}

/**
 * Files under `dir` that are an instructor secret file (wherever they sit, whatever their name),
 * or that hold a secret this repository grades with ($CLAB_GRADE_SECRET, the default file) as hex
 * or as bytes: `file: why`. The secret itself is never printed, only its fingerprint.
 */
export function findSecretLeaks(dir: string, projectRoot: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const known = knownSecrets(projectRoot, env);
  const leaks: string[] = [];
  for (const f of listFiles(dir)) {
    const bytes = fs.readFileSync(f);
    const text = bytes.toString('utf8');
    const rel = path.relative(dir, f);
    if (isSecretFileText(text)) leaks.push(`${rel}: an instructor secret file`);
    else {
      const lower = text.toLowerCase();
      for (const s of known) {
        if (lower.includes(s.bytes.toString('hex')) || bytes.includes(s.bytes)) leaks.push(`${rel}: holds the instructor secret ${s.fingerprint} ($${SECRET_ENV} or ${DEFAULT_SECRET_FILE})`);
      }
    }
  }
  return leaks;
}

/** Files under `dir` containing any of `needles`, as `file: needle`. */
export function findLeaks(dir: string, needles: string[]): string[] {
  const leaks: string[] = [];
  for (const f of listFiles(dir)) {
    const text = fs.readFileSync(f, 'utf8');
    for (const n of needles) if (text.includes(n)) leaks.push(`${path.relative(dir, f)}: ${n.slice(0, 80)}`);
  }
  return leaks;
}

const RELEASE_SPECS_INDEX = `// Student release: the exercise specs (hidden tests, reference code) are not here.
// The public tests are frozen as data in grader/frozen/public-tests.json.
import type { ExerciseSpec } from './spec_types';

/** No live specs in a student release. */
export const SPECS: ExerciseSpec[] = [];

export type { ExerciseSpec, GradedTest, KnownMistake, Tolerance, Visibility } from './spec_types';
`;
