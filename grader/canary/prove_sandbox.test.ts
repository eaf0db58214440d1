import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allExercises, TEST_LIMITS } from '../fixtures/grade_fixture';
import { prepareSandbox, SandboxSetup } from '../sandbox/prepare_sandbox';
import { buildCanary } from './build_canary';
import { gradeOptions } from '../engine/grade_options';
import { GraderError } from '../exit_codes';
import { PROJECT_ROOT } from '../engine/project_root';
import { proveSandbox } from './prove_sandbox';

describe('proveSandbox(setup, exercises, options): the canary before any grading', function () {
  this.timeout(300000);
  const opts = gradeOptions({ ...TEST_LIMITS, visibilities: ['public'] });
  let tmp: string;
  let setup: SandboxSetup;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-canary-'));
    fs.chmodSync(tmp, 0o755);
    // A private cache folder per test, so no verdict of another run is reused.
    setup = { ...prepareSandbox(PROJECT_ROOT, opts.memoryMb), cacheDir: path.join(tmp, 'cache') };
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('buildCanary(root, exercises) runs the canary module plus every reference public test; with no exercises (a student release) the module alone', () => {
    const ex = allExercises();
    const publicTests = ex.flatMap((e) => e.tests).filter((t) => t.visibility === 'public').length;
    const full = buildCanary(PROJECT_ROOT, ex);
    assert.deepEqual(full.references, ex.map((e) => e.id));
    assert.equal(full.exercise.tests.length, 1 + publicTests);
    assert.ok(full.exercise.functions.includes('ex04__ntXentLoss'));
    const alone = buildCanary(PROJECT_ROOT, []);
    assert.deepEqual(alone.references, []);
    assert.deepEqual(alone.exercise.tests.map((t) => t.fn), ['graderCanary']);
    assert.notEqual(alone.fingerprint, full.fingerprint);
  });

  it('proveSandbox passes here, records its verdict, and the next call answers from the record without running', async () => {
    const first = await proveSandbox(setup, allExercises(), opts);
    assert.equal(first.cached, false);
    assert.equal(first.tests, buildCanary(PROJECT_ROOT, allExercises()).exercise.tests.length);
    assert.ok(fs.existsSync(first.record));
    const again = await proveSandbox(setup, allExercises(), opts);
    assert.equal(again.cached, true);
    assert.equal(again.record, first.record);
  });

  it('a cache folder others can write to is not trusted: the canary runs every time and keeps no verdict there', async () => {
    fs.mkdirSync(setup.cacheDir, { mode: 0o777 });
    fs.chmodSync(setup.cacheDir, 0o777);
    for (let i = 0; i < 2; i++) {
      const v = await proveSandbox(setup, [], opts);
      assert.equal(v.cached, false);
      assert.equal(v.record, '');
    }
    assert.deepEqual(fs.readdirSync(setup.cacheDir), []);
  });

  it('a sandbox whose child cannot load tfjs fails the canary with a GraderError naming the test, the error, the sandbox and the fix, and records nothing', async () => {
    const empty = path.join(tmp, 'empty_node_modules');
    fs.mkdirSync(empty, { mode: 0o755 });
    const broken: SandboxSetup = { ...setup, nodeModules: empty, readablePackages: [] };
    await assert.rejects(proveSandbox(broken, [], opts), (e: unknown) => {
      assert.ok(e instanceof GraderError, String(e));
      assert.match(e.message, /^the sandbox failed its canary, so nothing was graded/);
      assert.match(e.message, /1 of 1 known-good tests failed; the first, "canary: graderCanary/);
      assert.match(e.message, /Cannot find module '@tensorflow\/tfjs'/);
      assert.match(e.message, new RegExp(`the child reads: ${empty} \\(NODE_PATH\\)`));
      assert.match(e.message, /fix: /);
      return true;
    });
    assert.equal(fs.existsSync(setup.cacheDir) ? fs.readdirSync(setup.cacheDir).filter((f) => f.startsWith('canary-')).length : 0, 0);
  });
});
