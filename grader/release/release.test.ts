import assert from 'node:assert/strict';
import ts from 'typescript';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FROZEN_FILE, loadExercises, PROJECT_ROOT } from '../engine';
import { stripSolutions } from './strip_solutions';
import { SPECS } from '../specs';
import { DEFAULT_SECRET_FILE, SECRET_ENV, writeNewSecretFile } from '../engine/instructor_secret';
import { GraderError } from '../exit_codes';
import { findLeaks, findSecretLeaks, writeRelease, solutionLines } from './release';
import { STUDENT_SCRIPTS } from './student_package_json';

/** Every file under dir, relative, with `/`. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/'));
}


describe('writeRelease(projectRoot, out) writes the student repository', function () {
  this.timeout(120000);
  let out: string;
  let report: ReturnType<typeof writeRelease>;

  before(() => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clab-release-test-')), 'student');
    report = writeRelease(PROJECT_ROOT, out);
  });
  after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it('has no solutions/, no exercise specs, no tests, test helpers or fixtures, no bench/, no instructor CI', () => {
    const all = files(out);
    assert.deepEqual(all.filter((f) => /^(solutions|bench|\.ci)\//.test(f)), []);
    assert.deepEqual(all.filter((f) => /^grader\/specs\/ex\d/.test(f)), []);
    assert.deepEqual(all.filter((f) => /\.test\.ts$|(^|\/)(fixtures|test)\//.test(f)), []);
    assert.deepEqual(all.filter((f) => /^scripts\/(gen_exercises|exercise_work|student_e2e)\.ts$|^scripts\/test\.mjs$|^scripts\/(browser|export)\//.test(f)), []);
    assert.ok(all.includes('.github/workflows/classroom.yml'), 'the Classroom workflow goes with it');
    assert.deepEqual(all.filter((f) => /^grader\/workflows\//.test(f)), [], 'the instructor\'s grade-all workflow stays home');
  });

  it('every relative import of a released .ts/.mjs file resolves inside the release (a skipped file imported by a shipped one breaks the student\'s type-check)', () => {
    const all = new Set(files(out));
    const broken: string[] = [];
    for (const f of all) {
      if (!/\.(ts|mts|mjs)$/.test(f)) continue;
      // TypeScript's own scanner: import/export/require of modules, not strings that look like them.
      for (const { fileName } of ts.preProcessFile(fs.readFileSync(path.join(out, f), 'utf8'), true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(f), fileName));
        const found = ['', '.ts', '.d.ts', '.js', '/index.ts'].some((ext) => all.has(base + ext)) || all.has(base.replace(/\.mjs$/, '.d.mts'));
        if (!found) broken.push(`${f}: ${fileName}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('greps clean: no solution line and no hidden test name appears outside lib/', () => {
    const needles: string[] = [];
    for (const s of SPECS) {
      needles.push(...solutionLines(fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', s.file), 'utf8')));
      needles.push(...s.tests.filter((t) => t.visibility === 'hidden').map((t) => t.name));
    }
    assert.ok(needles.length > 30, `only ${needles.length} needles`);
    const leaks = findLeaks(out, needles).filter((l) => !l.startsWith(`lib${path.sep}`));
    assert.deepEqual(leaks, []);
  });

  it("leaves out the grader's guide and design, which list every known mistake the tests name", () => {
    for (const f of ['grader/README.md', 'grader/DESIGN.md']) {
      assert.ok(fs.existsSync(path.join(PROJECT_ROOT, f)), `${f} exists in the course repository`);
      assert.ok(!fs.existsSync(path.join(out, f)), `${f} is not released`);
    }
  });

  it('ships exercises/ as the stubs generated from solutions/, under a header that says how to check them', () => {
    for (const s of SPECS) {
      const src = fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', s.file), 'utf8');
      const want = stripSolutions(src, { sourcePath: `solutions/${s.file}`, exercisePath: `exercises/${s.file}` }).text;
      const got = fs.readFileSync(path.join(out, 'exercises', s.file), 'utf8');
      const [l1, l2, ...rest] = got.split('\n');
      assert.equal(rest.join('\n'), want, s.file);
      assert.equal(l1, `// Exercise ${s.id}: write your code between the TODO markers (keep the names and signatures).`);
      assert.equal(l2, `// Check it: \`await clab.check('${s.id}')\` in ${report.checkedIn[s.id]}, or \`npm run check -- --only ${s.id}\` in a terminal.`);
    }
  });

  it('freezes only the public tests, counting the hidden ones without naming them', () => {
    assert.ok(fs.existsSync(path.join(out, FROZEN_FILE)));
    const frozen = loadExercises(out, ['public']).freeze();
    const publicCount = SPECS.flatMap((s) => s.tests).filter((t) => t.visibility === 'public').length;
    const hiddenCount = SPECS.flatMap((s) => s.tests).filter((t) => t.visibility === 'hidden').length;
    assert.equal(frozen.flatMap((e) => e.tests).length, publicCount);
    assert.ok(frozen.flatMap((e) => e.tests).every((t) => t.visibility === 'public'));
    assert.equal(report.hiddenTestsWithheld, hiddenCount);
    assert.throws(() => loadExercises(out, ['public', 'hidden']), /student release: hidden tests are not here/);
  });

  it("keeps only the student's package.json scripts, each running a file the release has; npm test is the student test", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.deepEqual(Object.keys(pkg.scripts).sort(), [...STUDENT_SCRIPTS].sort());
    assert.equal(pkg.scripts.test, 'node scripts/student_test.mjs');
    assert.equal(pkg.scripts.check, 'node grader/bin/clab-grade.js check');
    for (const k of ['gen:exercises', 'release', 'grade', 'grade-all', 'test:unit', 'bench:accuracy']) assert.ok(report.scripts.dropped.includes(k), k);
    const instructor = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const k of ['dependencies', 'devDependencies', 'optionalDependencies', 'name', 'version']) assert.deepEqual((pkg as unknown as Record<string, unknown>)[k], instructor[k], `${k} must match package-lock.json for npm ci`);
  });

  it('writes its own README: start, exercises (with the notebook that teaches each), check, npm test, submit, what the grader sees', () => {
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    for (const heading of ['## Start', '## The exercises', '## Check your work', '## `npm test`', '## Submit', '## What the grader sees, and what it does not']) assert.ok(readme.includes(`\n${heading}\n`), heading);
    assert.doesNotMatch(readme, /solutions\/|gen:exercises|npm run grade|grade-all|bench/);
    for (const s of SPECS) assert.match(readme, new RegExp(`\\| ${s.id} \\| [^|]+ \\| \`exercises/${s.file}\` \\| [^|]+ \\| \`${report.checkedIn[s.id]}\` \\|`));
    assert.doesNotMatch(readme, /\{\{/, 'every placeholder filled');
  });

  it('every `npm run X` in a README, the exercises and the notebooks is a script of the release (bench:* named as the course repository\'s)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const texts = files(out).filter((f) => /(^|\/)[^/]*\.md$|^exercises\/.*\.ts$|^notebooks\/.*\.ipynb$/.test(f));
    assert.ok(texts.includes('README.md') && texts.includes('lib/losses/README.md'), 'the READMEs are among the texts checked');
    const bad: string[] = [];
    for (const f of texts) {
      for (const line of fs.readFileSync(path.join(out, f), 'utf8').split('\n')) {
        for (const m of line.matchAll(/npm run ([\w:-]+)/g)) {
          if (!(m[1] in pkg.scripts) && !(m[1].startsWith('bench:') && /course repository/.test(line))) bad.push(`${f}: npm run ${m[1]}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('every exercise is checked by a cell of some notebook, and the slow-notebook list names notebooks that exist', () => {
    assert.deepEqual(Object.keys(report.checkedIn).sort(), SPECS.map((s) => s.id).sort());
    const slow = Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'scripts', 'slow_notebooks.json'), 'utf8')) as object);
    for (const f of slow) assert.ok(fs.existsSync(path.join(out, 'notebooks', f)), f);
  });

  it('refuses to write into a folder that is not empty, and to run in a student release (no solutions/)', () => {
    assert.throws(() => writeRelease(PROJECT_ROOT, out), /is not empty/);
    assert.throws(() => writeRelease(out, path.join(path.dirname(out), 'again')), /has no solutions\/: release runs in the instructor's repository/);
  });
});

describe('writeRelease on a working tree a teacher used: notebooks opened, run and autosaved', function () {
  this.timeout(120000);
  let root: string;
  let out: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-release-dirty-'));
    for (const top of ['lib', 'notebooks', 'grader', 'scripts', 'solutions', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.gitignore']) {
      fs.cpSync(path.join(PROJECT_ROOT, top), path.join(root, top), { recursive: true });
    }
    // What JupyterLab leaves after a run and an autosave: outputs, counts, language_info,
    // widget state, timing and view state, and a checkpoint copy.
    const rel = 'notebooks/03-simclr.ipynb';
    const nb = JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8'));
    nb.metadata.language_info = { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '3.7.2' };
    nb.metadata.widgets = { 'application/vnd.jupyter.widget-state+json': { state: {}, version_major: 2, version_minor: 0 } };
    nb.cells.forEach((c: { cell_type: string; outputs?: unknown[]; execution_count?: number | null; metadata: Record<string, unknown> }, i: number) => {
      if (c.cell_type !== 'code') return;
      c.outputs = [{ output_type: 'stream', name: 'stdout', text: [`output of cell ${i}\n`] }, { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': 'x' }, metadata: {} }];
      c.execution_count = i;
      c.metadata = { ...c.metadata, ExecuteTime: { end_time: '2026-11-28T10:00:00Z' }, execution: { 'iopub.status.busy': '2026-11-28T10:00:00Z' }, scrolled: true, jupyter: { outputs_hidden: false } };
    });
    fs.writeFileSync(path.join(root, rel), JSON.stringify(nb, null, 1));
    fs.mkdirSync(path.join(root, 'notebooks', '.ipynb_checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(root, 'notebooks', '.ipynb_checkpoints', '03-simclr-checkpoint.ipynb'), JSON.stringify(nb));
    fs.writeFileSync(path.join(root, 'lib', 'index.ts.orig'), 'a merge leftover\n');
    out = path.join(root, 'release');
    writeRelease(root, out);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('releases every notebook byte for byte as the clean one it came from: no outputs, counts, language_info, widget or view state', () => {
    // This project's notebooks are clean (npm run notebooks fails on committed outputs); the
    // temp project's 03 was dirtied from it.
    for (const f of fs.readdirSync(path.join(PROJECT_ROOT, 'notebooks')).filter((n) => n.endsWith('.ipynb'))) {
      assert.equal(fs.readFileSync(path.join(out, 'notebooks', f), 'utf8'), fs.readFileSync(path.join(PROJECT_ROOT, 'notebooks', f), 'utf8'), f);
    }
  });

  it('leaves checkpoints and leftovers behind', () => {
    assert.deepEqual(files(out).filter((f) => /ipynb_checkpoints|\.orig$/.test(f)), []);
  });
});

describe('writeRelease never releases the instructor secret', function () {
  this.timeout(120000);
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-release-secret-'));
    for (const top of ['lib', 'notebooks', 'grader', 'scripts', 'solutions', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', '.gitignore']) {
      fs.cpSync(path.join(PROJECT_ROOT, top), path.join(root, top), { recursive: true });
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the default secret file stays home; a secret file anywhere in the course files, or a file holding the secret, stops the release and leaves nothing behind', () => {
    const mine = writeNewSecretFile(path.join(root, DEFAULT_SECRET_FILE));
    const copied = writeNewSecretFile(path.join(root, 'grader', 'engine', 'my-copy.txt')); // any name, any folder
    fs.writeFileSync(path.join(root, 'scripts', 'ci-env.json'), JSON.stringify({ secret: mine.bytes.toString('hex') }));
    const out = path.join(root, 'release');
    assert.throws(() => writeRelease(root, out), (e: Error) => {
      assert.ok(e instanceof GraderError, String(e));
      const listed = e.message.split('\n').filter((l) => /^\S+: /.test(l) && !l.startsWith('release:'));
      assert.deepEqual(listed.sort(), [
        `grader${path.sep}engine${path.sep}my-copy.txt: an instructor secret file`,
        `scripts${path.sep}ci-env.json: holds the instructor secret ${mine.fingerprint} ($${SECRET_ENV} or ${DEFAULT_SECRET_FILE})`,
      ]);
      assert.ok(!e.message.includes(mine.bytes.toString('hex')) && !e.message.includes(copied.bytes.toString('hex')), 'the message shows no secret');
      return true;
    });
    assert.equal(fs.existsSync(out), false, 'a release that held the secret is removed');
  });

  it("findSecretLeaks also knows the secret of $CLAB_GRADE_SECRET, and a clean release has none", () => {
    const bytes = Buffer.alloc(24, 7);
    const dir = fs.mkdtempSync(path.join(root, 'scan-'));
    fs.writeFileSync(path.join(dir, 'clean.md'), 'nothing to see');
    const env = { [SECRET_ENV]: bytes.toString('hex') };
    assert.deepEqual(findSecretLeaks(dir, dir, env), []);
    fs.writeFileSync(path.join(dir, 'raw.bin'), Buffer.concat([Buffer.from('x'), bytes]));
    fs.writeFileSync(path.join(dir, 'upper.txt'), bytes.toString('hex').toUpperCase());
    assert.deepEqual(findSecretLeaks(dir, dir, env).map((l) => l.split(':')[0]).sort(), ['raw.bin', 'upper.txt']);
  });
});
