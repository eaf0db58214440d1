import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { referenceOutput } from '../engine/reference_output';
import { comparePlain } from '../engine/compare_plain';
import { DEFAULT_TOLERANCE } from '../engine/freeze_exercise';
import type { GradeResult } from '../engine/result_types';
import { FIXTURES, gradeFixture, inParallel, releasedExercises } from '../fixtures/grade_fixture';
import { SPECS } from './index';
import { seededRng } from '../../lib/tensor';

/** A red-team submission that answers without computing from the input values. */
interface Guesser {
  dir: string;
  ex: string;
  /** What it returns, for the table in grader/DESIGN.md. */
  tries: string;
}

// Each games a test whose special input stands alone (a closed form that depends only on shapes
// and options); every such check shares its test with a random input (grader/DESIGN.md,
// "Guess-proof tests"), so each must score 0, in `check` and in `grade`.
const GUESSERS: Guesser[] = [
  { dir: 'ex01-closed-forms', ex: 'ex01', tries: 'the margin (a = p = n), 0 for the far-negatives batch size' },
  { dir: 'ex01-constants', ex: 'ex01', tries: '0 (the doc example), half the margin, 1 without options' },
  { dir: 'ex02-closed-forms', ex: 'ex02', tries: 'log(M + 1) from the shape of negatives (every score tied)' },
  { dir: 'ex02-constants', ex: 'ex02', tries: 'log 3 (the doc example), 0 at tiny temperatures, 1 / tau' },
  { dir: 'ex03-closed-forms', ex: 'ex03', tries: 'log N, the fixed 2 x 2 softplus value, bound 0, the true MI on the critic diagonal, experiment rows from the options' },
  { dir: 'ex03-constants', ex: 'ex03', tries: 'log 4 (the doc example), zero scores, bound log N, rows with mean 0' },
  { dir: 'ex04-closed-forms', ex: 'ex04', tries: 'log(2N - 1) from the shape (all embeddings equal)' },
  { dir: 'ex04-constants', ex: 'ex04', tries: '0 at tau 0.5, log 2N at tau 1, log N otherwise' },
  { dir: 'ex05-closed-forms', ex: 'ex05', tries: 'the key or query echoed (m = 1 / m = 0), the keys echoed when B = K, log(1 + K e^(-1/tau))' },
  { dir: 'ex05-constants', ex: 'ex05', tries: 'the query echoed, zeros then the keys, log(1 + e^-1) (the doc example)' },
];

function points(r: GradeResult, visibility: 'public' | 'hidden'): string {
  const tests = r.exercises.flatMap((e) => e.tests).filter((t) => t.visibility === visibility);
  return `${tests.reduce((a, t) => a + t.score, 0)}/${tests.reduce((a, t) => a + t.maxScore, 0)}`;
}

describe('SPECS are guess-proof: no test can be passed without computing from its inputs', function () {
  this.timeout(300000);

  it('SPECS[i].tests[j]: the reference output changes with the input seed (each special-input check has a random input beside it)', () => {
    for (const spec of SPECS) {
      const reference = spec.reference();
      for (const t of spec.tests) {
        const outputs = (seed: number) => t.calls(seededRng(seed)).map((args) => referenceOutput(reference[t.fn], args));
        const [a, b] = [outputs(t.seed), outputs(t.seed + 7919)];
        const tol = t.tolerance ?? DEFAULT_TOLERANCE;
        const same = a.length === b.length && a.every((x, i) => comparePlain(x, b[i], tol) === null);
        assert.ok(!same, `${spec.id} "${t.name}": the reference answers the same for seeds ${t.seed} and ${t.seed + 7919}, so it can be guessed`);
      }
    }
  });

  it('SPECS has red-team guessers for every exercise, and every guesser folder is in the table', () => {
    for (const spec of SPECS) assert.ok(GUESSERS.some((g) => g.ex === spec.id), `${spec.id} has no guesser`);
    const dirs = fs.readdirSync(path.join(FIXTURES, 'guessers')).sort();
    assert.deepEqual(dirs, GUESSERS.map((g) => g.dir).sort());
  });

  describe('gradeSubmission on red-team guessers, with the public tests as the release freezes them and the hidden tests', () => {
    const got = new Map<string, GradeResult>();
    before(async () => {
      const exercises = releasedExercises();
      const results = await inParallel(GUESSERS, 3, (g) => gradeFixture(`guessers/${g.dir}`, {}, { only: [g.ex] }, exercises));
      GUESSERS.forEach((g, i) => got.set(g.dir, results[i]));
    });

    for (const g of GUESSERS) {
      it(`gradeSubmission(guessers/${g.dir}) scores 0 on the public and 0 on the hidden tests of ${g.ex} (it returns ${g.tries})`, () => {
        const r = got.get(g.dir)!;
        assert.equal(r.exercises.length, 1);
        assert.deepEqual(r.exercises[0].notes, [], 'the guesser must load and run, so that its 0 comes from its answers');
        assert.match(points(r, 'public'), /^0\/[1-9]/);
        assert.match(points(r, 'hidden'), /^0\/[1-9]/);
      });
    }
  });
});
