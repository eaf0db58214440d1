import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FROZEN_FILE, loadExercises, PROJECT_ROOT } from '../engine';
import { stripSolutions } from '../single_source/strip_solutions';
import { SPECS } from '../specs';
import { findLeaks, releaseCommand, solutionLines } from './release_command';

describe('releaseCommand(projectRoot, out) writes the student repository', function () {
  this.timeout(120000);
  let out: string;
  let report: ReturnType<typeof releaseCommand>;

  before(() => {
    out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clab-release-test-')), 'student');
    report = releaseCommand(PROJECT_ROOT, out);
  });
  after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it('has no solutions/, no exercise specs, no fixtures, no grader tests', () => {
    assert.equal(fs.existsSync(path.join(out, 'solutions')), false);
    assert.equal(fs.existsSync(path.join(out, 'grader', 'fixtures')), false);
    const specFiles = fs.readdirSync(path.join(out, 'grader', 'specs'));
    assert.deepEqual(specFiles.filter((f) => /^ex\d+/.test(f)), []);
    const all = fs.readdirSync(out, { recursive: true }) as string[];
    assert.deepEqual(all.filter((f) => f.startsWith('grader') && f.endsWith('.test.ts')), []);
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

  it('ships exercises/ as the stubs generated from solutions/', () => {
    for (const s of SPECS) {
      const src = fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', s.file), 'utf8');
      const want = stripSolutions(src, { sourcePath: `solutions/${s.file}`, exercisePath: `exercises/${s.file}` }).text;
      assert.equal(fs.readFileSync(path.join(out, 'exercises', s.file), 'utf8'), want);
    }
  });

  it('freezes only the public tests, counting the hidden ones without naming them', () => {
    assert.ok(fs.existsSync(path.join(out, FROZEN_FILE)));
    const frozen = loadExercises(out, ['public']);
    const publicCount = SPECS.flatMap((s) => s.tests).filter((t) => t.visibility === 'public').length;
    const hiddenCount = SPECS.flatMap((s) => s.tests).filter((t) => t.visibility === 'hidden').length;
    assert.equal(frozen.flatMap((e) => e.tests).length, publicCount);
    assert.ok(frozen.flatMap((e) => e.tests).every((t) => t.visibility === 'public'));
    assert.equal(report.hiddenTestsWithheld, hiddenCount);
    assert.throws(() => loadExercises(out, ['public', 'hidden']), /student release: hidden tests are not here/);
  });

  it('keeps `npm run check` in package.json and drops scripts that need solutions/ (gen:exercises, release, grade)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.check, 'tsx grader/cli.ts check');
    for (const k of ['gen:exercises', 'release', 'grade', 'grade-all']) assert.equal(pkg.scripts[k], undefined, k);
  });

  it('refuses to write into a folder that is not empty', () => {
    assert.throws(() => releaseCommand(PROJECT_ROOT, out), /is not empty/);
  });
});
