import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allExercises, gradeFiles, points, textOf } from '../fixtures/grade_fixture';
import { PROJECT_ROOT } from './project_root';
import type { FrozenExercise } from './freeze_exercise';
import { SandboxProcess } from '../sandbox/sandbox_process';

const solution = (file: string): string => fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', file), 'utf8');
const only = (...ids: string[]): FrozenExercise[] => allExercises().filter((e) => ids.includes(e.id));
const full = (ex: FrozenExercise): number => ex.tests.reduce((a, t) => a + t.points, 0);

// grade-all grades a submission's exercises one after another (concurrency 1): one lane, so
// every exercise after the first runs in a child another exercise ran in before.
describe('exercises sharing a sandboxed child (ChildLane)', function () {
  this.timeout(300000);

  it('a reference submission graded one exercise after another starts one child, not one per exercise', async () => {
    const exercises = allExercises();
    const files = new Map(exercises.map((e) => [e.file, solution(e.file)]));
    await gradeFiles(files, exercises, 'warm-up', { concurrency: 1 }); // the sandbox's proof starts children of its own, once
    const before = SandboxProcess.starts;
    const r = await gradeFiles(files, exercises, 'reference-one-lane', { concurrency: 1 });
    assert.equal(r.score, r.maxScore, JSON.stringify(r.exercises.map((e) => e.notes)));
    assert.equal(SandboxProcess.starts - before, 1);
  });

  it("what an earlier exercise's module left in the shared child costs a later exercise nothing", async () => {
    // ex01 scores in full and, at import, breaks Number.isFinite for everything after it; ex02's
    // reference checks its temperature with it, so in the shared child every ex02 test throws.
    const ex01 = solution('ex01-triplet.ts').replace(/Number\.isFinite\(/g, 'realIsFinite(');
    const sabotage = `${ex01}\nconst realIsFinite = Number.isFinite;\n(Number as { isFinite: (x: unknown) => boolean }).isFinite = () => false;\n`;
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', sabotage], ['ex02-n-pair.ts', solution('ex02-n-pair.ts')]]), exercises, 'ex01-breaks-a-global', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it('a throw that state another exercise left (not watched: a value in its module) causes in the shared child costs nothing: the exercise runs again in a child of its own', async () => {
    // ex01 exports a setting that its function sets to NaN when called (its tests call it);
    // ex02 imports it and throws on NaN. In a child of ex02's own, ex01's function never ran.
    const ex01 = solution('ex01-triplet.ts')
      .replace('export function tripletLoss(', 'export const shared = { scale: 1 };\nexport function tripletLoss(')
      .replace('return tf.tidy(() => {', 'shared.scale = NaN;\n  return tf.tidy(() => {');
    const ex02 = solution('ex02-n-pair.ts')
      .replace("import * as tf from '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';\nimport { shared } from './ex01-triplet';")
      .replace('return tf.tidy(() => {', "if (Number.isNaN(shared.scale)) throw new Error('scale is NaN');\n  return tf.tidy(() => {");
    assert.match(ex01, /shared\.scale = NaN/);
    assert.match(ex02, /scale is NaN/);
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', ex02]]), exercises, 'ex01-leaves-a-value', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it('an earlier exercise that changes a built-in silently (no throw, wrong values) costs a later one nothing: the later one gets a fresh child', async () => {
    // ex01 scores in full and, at import, makes Math.exp (which tfjs's cpu backend uses for
    // tf.exp: ex02's log-sum-exp, nothing of ex01's) 1.5 times too large.
    const sabotage = `${solution('ex01-triplet.ts')}\nconst realExp = Math.exp;\nMath.exp = (x: number) => 1.5 * realExp(x);\n`;
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', sabotage], ['ex02-n-pair.ts', solution('ex02-n-pair.ts')]]), exercises, 'ex01-patches-tfjs', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it("the exports a verdict uses come from the child that decides it, not from a shared child where another exercise hid them", async () => {
    // ex02 exports nPairLoss only while Number.isFinite works; ex01 breaks it at import.
    const ex01 = solution('ex01-triplet.ts').replace(/Number\.isFinite\(/g, 'realIsFinite(');
    const sabotage = `${ex01}\nconst realIsFinite = Number.isFinite;\n(Number as { isFinite: (x: unknown) => boolean }).isFinite = () => false;\n`;
    const ex02 = `${solution('ex02-n-pair.ts').replace('export function nPairLoss(', 'function nPairLossImpl(')}\nif (Number.isFinite(1)) Object.defineProperty(exports, 'nPairLoss', { value: nPairLossImpl, enumerable: true });\n`;
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', sabotage], ['ex02-n-pair.ts', ex02]]), exercises, 'ex01-hides-an-export', { concurrency: 1 });
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
    assert.deepEqual(r.exercises[1].notes, []);
  });

  it('an export only another exercise forbids, blocked in the shared child, costs nothing: the test runs again with its own exercise\'s poison', async () => {
    // The lane's child is started with every exercise's poison; ex01 forbids only tripletLoss,
    // so its call of infoNCE (forbidden in ex02-ex05) is allowed in a child of its own.
    const ex01 = solution('ex01-triplet.ts')
      .replace("import * as tf from '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';\nimport { infoNCE } from '../lib/losses';")
      .replace('return tf.tidy(() => {', 'infoNCE(tf.eye(2) as tf.Tensor2D).dispose();\n  return tf.tidy(() => {');
    assert.match(ex01, /infoNCE\(tf\.eye/);
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', solution('ex02-n-pair.ts')]]), exercises, 'ex01-uses-infoNCE', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it("an export its exercise forbids stays blocked when reached through another exercise's file", async () => {
    // ex01 may import ntXent and re-exports it; ex04 forbids it. In a child of ex04's own the
    // poison blocks it; the shared child must block it as well.
    const ex01 = `${solution('ex01-triplet.ts')}\nexport { ntXent as helper } from '../lib/losses';\n`;
    const ex04 = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { helper } from './ex01-triplet';",
      'export function ntXentLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature = 0.5): tf.Scalar {',
      '  return helper(z1, z2, { temperature });',
      '}',
    ].join('\n');
    const exercises = only('ex01', 'ex04');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex04-nt-xent.ts', ex04]]), exercises, 'ex04-through-ex01', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex04'), 0);
    assert.match(textOf(r, 'ex04'), /ntXent from the course library is not allowed in this exercise/);
  });
});

describe('what a shared child may decide: holes a submission could use', function () {
  this.timeout(300000);

  it('an export only another exercise forbids, blocked at import and caught there, still sends a later failure to a child of its own', async () => {
    // ex01 may call infoNCE (ex02-ex05 forbid it). It probes it once at import and falls back
    // to throwing when it is missing: the call is reported with the module's `ready`, the
    // failures come later with nothing blocked in their own answers.
    const ex01 = solution('ex01-triplet.ts')
      .replace("import * as tf from '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';\nimport { infoNCE } from '../lib/losses';\nlet libraryWorks = true;\ntry {\n  infoNCE(tf.eye(2) as tf.Tensor2D).dispose();\n} catch {\n  libraryWorks = false;\n}")
      .replace('const margin = options.margin ?? 1;', "if (!libraryWorks) throw new Error('the course library did not load');\n  const margin = options.margin ?? 1;");
    assert.match(ex01, /libraryWorks = false/);
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', solution('ex02-n-pair.ts')]]), exercises, 'ex01-probes-infoNCE-at-import', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it('a module that throws at import scores nothing in a shared child either, though an earlier exercise imported it and caught the error', async () => {
    // In a child of its own ex02 never loads. In the shared child ex01 ran it first (and
    // swallowed the throw): its half-run exports must not be handed to ex02's load, as Node
    // itself forgets a module whose code threw.
    const ex01 = `${solution('ex01-triplet.ts')}\ndeclare const require: (name: string) => unknown;\ntry {\n  require('./ex02-n-pair');\n} catch {\n  /* not finished yet */\n}\n`;
    const ex02 = `${solution('ex02-n-pair.ts')}\nthrow new Error('ex02 is not finished');\n`;
    const exercises = only('ex01', 'ex02');
    const files = new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', ex02]]);
    const oneLane = await gradeFiles(files, exercises, 'ex02-throws-at-import-one-lane', { concurrency: 1 });
    assert.equal(points(oneLane, 'ex01'), full(exercises[0]), textOf(oneLane, 'ex01'));
    assert.equal(points(oneLane, 'ex02'), 0, textOf(oneLane, 'ex02'));
    assert.match(textOf(oneLane, 'ex02'), /threw while being imported: Error: ex02 is not finished/);
  });
  it("time an earlier exercise's code burns in the shared child does not use up a later exercise's budget", async () => {
    // ex02 is honest but slow to import (0.3 s of CPU); in a child of its own it fits its budget
    // with room to spare. In the shared child, ex01's code burns CPU before the child reads each
    // request from ex02's load on: ex02's tests pass there until the charges leave too little of
    // its budget, and the child of its own its test then runs again in could not even import it
    // in what was left.
    const burn = (ms: number): string => `{ const c0 = process.cpuUsage(); for (;;) { const c = process.cpuUsage(c0); if (c.user + c.system >= ${ms * 1000}) break; } }`;
    const ex01 = [
      solution('ex01-triplet.ts'),
      "import { EventEmitter } from 'events';",
      'const realEmit = EventEmitter.prototype.emit;',
      'let slow = false;',
      'EventEmitter.prototype.emit = function (this: EventEmitter, name: string | symbol, ...args: unknown[]): boolean {',
      "  if (name === 'data' && slow) " + burn(150),
      "  if (name === 'data' && !slow && String(args[0]).includes('ex02-n-pair')) {",
      '    slow = true;',
      '    ' + burn(1500),
      '  }',
      '  return realEmit.call(this, name, ...args);',
      '};',
    ].join('\n');
    const ex02 = `${solution('ex02-n-pair.ts')}\n${burn(300)}\n`;
    const exercises = only('ex01', 'ex02');
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', ex02]]), exercises, 'ex01-burns-in-later-requests', { concurrency: 1, exerciseBudgetMs: 2500 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    assert.equal(points(r, 'ex02'), full(exercises[1]), textOf(r, 'ex02'));
  });

  it('an exercise that answers one way in a shared child and another in its own is graded on one answer: a wrong value in the shared child stands', async () => {
    // ex02 tells the shared child (ex01's function was called there) from a child of its own: there it
    // answers with variant A, wrong on the third test only; in a child of its own with B, right
    // everywhere. Were a wrong value a reason to grade again in a child of its own, A's failure
    // would buy B's full marks: two guesses at the hidden tests.
    const ex01 = solution('ex01-triplet.ts').replace('export function tripletLoss(', 'let called = false;\nexport const ex01Called = (): boolean => called;\nexport function tripletLoss(').replace('return tf.tidy(() => {', 'called = true;\n  return tf.tidy(() => {');
    assert.match(ex01, /called = true;/);
    const ex02 = solution('ex02-n-pair.ts').replace("import * as tf from '@tensorflow/tfjs';", "import * as tf from '@tensorflow/tfjs';\nimport { ex01Called } from './ex01-triplet';").replace('export function nPairLoss(', 'function rightNPairLoss(') + [
      '',
      'export function nPairLoss(anchor: tf.Tensor2D, positive: tf.Tensor2D, negatives: tf.Tensor3D, options: NPairLossOptions = {}): tf.Scalar {',
      '  const shared = ex01Called(); // ex01\'s tests ran in this process',
      '  const loss = rightNPairLoss(anchor, positive, negatives, options);',
      '  return shared && options.temperature === 0.1 ? (tf.mul(loss, 2) as tf.Scalar) : loss;',
      '}',
    ].join('\n');
    const exercises = only('ex01', 'ex02');
    const [, , third] = exercises[1].tests;
    assert.deepEqual([third.seed, third.calls.length], [203, 1]);
    const before = SandboxProcess.starts;
    const r = await gradeFiles(new Map([['ex01-triplet.ts', ex01], ['ex02-n-pair.ts', ex02]]), exercises, 'ex02-two-variants', { concurrency: 1 });
    assert.equal(points(r, 'ex01'), full(exercises[0]), textOf(r, 'ex01'));
    const tests = r.exercises.find((e) => e.id === 'ex02')!.tests;
    assert.deepEqual(tests.map((t) => t.status), exercises[1].tests.map((t) => (t === third ? 'failed' : 'passed')));
    assert.equal(SandboxProcess.starts - before, 1, 'graded in the shared child alone');
  });
});
