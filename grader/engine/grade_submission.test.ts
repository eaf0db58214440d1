import assert from 'node:assert/strict';
import type { GradeResult } from './result_types';
import { allExercises, gradeFixture, inParallel, points, textOf } from '../fixtures/grade_fixture';

const ALL = ['ex01-triplet.ts', 'ex02-n-pair.ts', 'ex03-infonce-bound.ts', 'ex04-nt-xent.ts', 'ex05-moco.ts'];

/** A mistake fixture: its exercise, expected points (as the sum of the tests it still passes), the name in feedback. */
interface MistakeCase {
  dir: string;
  ex: string;
  expect: number;
  named: string;
}

// Expected scores as the points of the tests each mistake still passes (see the spec files).
const MISTAKES: MistakeCase[] = [
  { dir: 'ex01-plain-distance', ex: 'ex01', expect: 2 + 2, named: 'plain instead of squared distance' }, // equal triplets, far negatives
  { dir: 'ex01-no-hinge', ex: 'ex01', expect: 2 + 1, named: 'missing hinge' }, // equal triplets, default margin (all rows active)
  { dir: 'ex01-sum', ex: 'ex01', expect: 2, named: 'sum instead of mean' }, // far negatives: 0 summed is 0
  { dir: 'ex02-no-temperature', ex: 'ex02', expect: 2 + 2 + 1 + 1, named: 'no temperature' }, // every test with tau = 1 (ties too)
  { dir: 'ex02-sum', ex: 'ex02', expect: 0, named: 'sum instead of mean' },
  { dir: 'ex02-positive-missing', ex: 'ex02', expect: 2, named: 'positive missing from the denominator' }, // tau 0.01: positive term negligible
  { dir: 'ex03-sum', ex: 'ex03', expect: 2 + 1, named: 'sum instead of mean' }, // the critic tests
  { dir: 'ex03-wrong-axis', ex: 'ex03', expect: 1 + 2 + 1 + 1 + 1, named: 'softmax over columns (wrong axis)' }, // zeros, critic x2, bound zeros, property
  { dir: 'ex03-variance-1', ex: 'ex03', expect: 13 - 2 - 1 - 2, named: 'variance 1 instead of 1 - rho^2' }, // all but critic x2 and exact verify
  { dir: 'ex03-log-n-minus-1', ex: 'ex03', expect: 13 - 1 - 1 - 2, named: 'log(N-1) instead of log N' }, // all but bound x2 and exact verify
  { dir: 'ex04-self-similarity', ex: 'ex04', expect: 0, named: 'self-similarity left in the denominator' },
  { dir: 'ex04-no-temperature', ex: 'ex04', expect: 2 + 1, named: 'no temperature' }, // equal embeddings, tau = 1
  { dir: 'ex04-unnormalised', ex: 'ex04', expect: 2, named: 'unnormalised embeddings' }, // equal embeddings: every logit ties, normalised or not
  { dir: 'ex04-sum', ex: 'ex04', expect: 0, named: 'sum instead of mean' },
  { dir: 'ex05-query-side', ex: 'ex05', expect: 10 - 1 - 2, named: 'momentum on the query side' },
  { dir: 'ex05-newest-first', ex: 'ex05', expect: 10 - 1 - 1, named: 'newest keys first' }, // B = K: both orders agree
  { dir: 'ex05-queue-grows', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'queue grows (nothing dropped)' },
  { dir: 'ex05-no-temperature', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'no temperature' },
];

describe('gradeSubmission on fixture submissions (reference, stubs, known mistakes, malformed files)', function () {
  this.timeout(300000);
  const got = new Map<string, GradeResult>();

  before(async () => {
    allExercises();
    const jobs: Array<[string, () => Promise<GradeResult>]> = [
      ['reference', () => gradeFixture(null, { reference: ALL }, { typecheck: true })],
      ['stubs', () => gradeFixture(null, { stubs: ALL })],
      ['student-correct', () => gradeFixture('student-correct', { reference: ['ex04-nt-xent.ts'] })],
      ...MISTAKES.map((m): [string, () => Promise<GradeResult>] => [m.dir, () => gradeFixture(`mistakes/${m.dir}`, {}, { only: [m.ex] })]),
      ...['syntax-error', 'missing-export', 'wrong-arity', 'nan-output', 'wrong-shape', 'forbidden-import', 'forbidden-computed'].map(
        (d): [string, () => Promise<GradeResult>] => [d, () => gradeFixture(`malformed/${d}`, { reference: ['ex05-moco.ts'] }, { only: ['ex04', 'ex05'] })],
      ),
      ['type-error-only', () => gradeFixture('malformed/type-error-only', {}, { only: ['ex04'], typecheck: true })],
    ];
    const results = await inParallel(jobs, 4, ([, f]) => f());
    jobs.forEach(([k], i) => got.set(k, results[i]));
  });

  it('the reference solutions score 100% on every exercise, with no type errors', () => {
    const r = got.get('reference')!;
    assert.equal(r.score, r.maxScore, JSON.stringify(r.exercises.map((e) => e.notes)));
    assert.equal(r.exercises.length, allExercises().length);
    for (const e of r.exercises) assert.deepEqual(e.notes, []);
  });

  it('the generated stubs score 0 and each test says "not implemented"', () => {
    const r = got.get('stubs')!;
    assert.equal(r.score, 0);
    for (const t of r.exercises.flatMap((e) => e.tests)) assert.match(t.feedback, /not implemented/);
  });

  it('correct solutions written differently from the reference (ex03, ex05) get full marks', () => {
    const r = got.get('student-correct')!;
    assert.equal(points(r, 'ex03'), 13, textOf(r, 'ex03'));
    assert.equal(points(r, 'ex05'), 10, textOf(r, 'ex05'));
  });

  it('every exercise lists at least three known mistakes, and each has a fixture below', () => {
    for (const e of allExercises()) {
      assert.ok(e.mistakeNames.length >= 3, `${e.id} has ${e.mistakeNames.length} mistakes`);
      assert.ok(MISTAKES.filter((m) => m.ex === e.id).length >= 3, `${e.id} needs three mistake fixtures`);
    }
  });

  for (const m of MISTAKES) {
    it(`mistake fixture ${m.dir} scores ${m.expect} on ${m.ex} and its feedback names "${m.named}"`, () => {
      const r = got.get(m.dir)!;
      assert.equal(points(r, m.ex), m.expect, textOf(r, m.ex));
      assert.ok(textOf(r, m.ex).includes(`This looks like a known mistake: ${m.named}`), textOf(r, m.ex));
    });
  }

  const malformed: Array<[string, RegExp]> = [
    ['syntax-error', /does not compile, so none of its tests ran:\n.*TS1005/],
    ['missing-export', /does not export a function named ntXentLoss/],
    ['wrong-arity', /ntXentLoss takes 1 required parameter\(s\); the exercise's signature has 2/],
    ['nan-output', /the result is NaN, expected a finite number near/],
    ['wrong-shape', /has shape \[8\], expected \[\]/],
    ['forbidden-import', /uses library functions this exercise asks you to write yourself:\nline 2: imports ntXent/],
    ['forbidden-computed', /ntXent from the course library is not allowed in this exercise/],
  ];
  for (const [dir, message] of malformed) {
    it(`malformed ${dir}: ex04 scores 0 with a clear message, ex05 still scores 10/10`, () => {
      const r = got.get(dir)!;
      assert.equal(points(r, 'ex04'), 0);
      assert.match(textOf(r, 'ex04'), message);
      assert.equal(points(r, 'ex05'), 10, textOf(r, 'ex05'));
    });
  }

  it('a type error alone costs nothing: full marks, and the error is reported as feedback', () => {
    const r = got.get('type-error-only')!;
    assert.equal(points(r, 'ex04'), 10);
    assert.match(textOf(r, 'ex04'), /Type error \(feedback only, no points lost by itself\): ex04-nt-xent.ts:4:9 TS2322/);
  });
});
