import assert from 'node:assert/strict';
import type { GradeResult } from './result_types';
import { allExercises, gradeFixture, inParallel, points, textOf } from '../fixtures/grade_fixture';

const ALL = ['ex01-triplet.ts', 'ex02-n-pair.ts', 'ex03-infonce-bound.ts', 'ex04-nt-xent.ts', 'ex05-moco.ts'];

// Known-mistake fixtures and their expected scores: grader/fixtures/known_mistake_fixtures.ts.

describe('gradeSubmission on fixture submissions (reference, stubs, known mistakes, malformed files)', function () {
  this.timeout(300000);
  const got = new Map<string, GradeResult>();

  before(async () => {
    allExercises();
    const jobs: Array<[string, () => Promise<GradeResult>]> = [
      ['reference', () => gradeFixture(null, { reference: ALL }, { typecheck: true })],
      ['stubs', () => gradeFixture(null, { stubs: ALL })],
      ['student-correct', () => gradeFixture('student-correct', { reference: ['ex04-nt-xent.ts'] })],
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
