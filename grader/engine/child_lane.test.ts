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
