import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { comparePlain } from '../engine/compare_plain';
import type { GradeResult } from '../engine/result_types';
import { gradeClass, type GradedClass } from '../fixtures/grade_class';
import { allExercises, FIXTURES, points, releasedExercises } from '../fixtures/grade_fixture';
import { SPECS } from './index';

/** A known-mistake fixture: its exercise, the points it keeps, the mistake its feedback names. */
interface MistakeCase {
  /** Folder under grader/fixtures/mistakes/. */
  dir: string;
  ex: string;
  /** Points earned, written as the tests it still passes (test points: see the spec files). */
  expect: number;
  /** The KnownMistake name its feedback must give. */
  named: string;
}

// Points per test, from the specs:
//   ex01 6 tests 2+2+2+2+1+1; ex02 2+2+2+2+1+1; ex04 2+2+2+1+2+1 (tau 0.5, 0.5, 0.1, default, 0.05/0.01, 1);
//   ex03 infoNCELoss 1+2+1+1, gaussianCritic 2+1, infoNCEBound 1+1, verifyInfoNCEBound 1+2 (13);
//   ex05 momentumUpdate 1+2, enqueue 1+1+1, mocoLoss 2+1+1 (10).
// Every test has a random input, so a slip in a one-function exercise usually costs all of it;
// it keeps the points of tests whose parameters hide it. In ex03 a slip in infoNCELoss also
// fails the bound and the experiment, which call it (a student's code does the same).
const MISTAKES: MistakeCase[] = [
  { dir: 'ex01-plain-distance', ex: 'ex01', expect: 0, named: 'plain instead of squared distance' },
  { dir: 'ex01-no-hinge', ex: 'ex01', expect: 0, named: 'missing hinge' },
  { dir: 'ex01-sum', ex: 'ex01', expect: 0, named: 'sum instead of mean' },
  { dir: 'ex01-margin-subtracted', ex: 'ex01', expect: 0, named: 'margin subtracted instead of added' },
  { dir: 'ex01-margin-ignored', ex: 'ex01', expect: 0, named: 'margin ignored' }, // found unnamed by issue 10
  { dir: 'ex01-swapped', ex: 'ex01', expect: 0, named: 'positive and negative distances swapped' },
  { dir: 'ex01-hinge-after-mean', ex: 'ex01', expect: 0, named: 'hinge applied to the batch mean' },
  { dir: 'ex01-mean-features', ex: 'ex01', expect: 0, named: 'mean over the features instead of the sum' },
  { dir: 'ex01-no-axis', ex: 'ex01', expect: 0, named: 'distances summed over the whole batch (no axis)' },

  { dir: 'ex02-no-temperature', ex: 'ex02', expect: 2 + 1 + 1, named: 'no temperature' }, // the three tests at tau = 1
  { dir: 'ex02-temperature-multiplied', ex: 'ex02', expect: 2 + 1 + 1, named: 'multiplied by the temperature instead of dividing' }, // tau = 1 again
  { dir: 'ex02-sum', ex: 'ex02', expect: 0, named: 'sum instead of mean' },
  { dir: 'ex02-positive-missing', ex: 'ex02', expect: 2, named: 'positive missing from the denominator' }, // tau 0.01: the positive's term is negligible
  { dir: 'ex02-cosine', ex: 'ex02', expect: 0, named: 'cosine instead of dot product' },
  { dir: 'ex02-wrong-axis', ex: 'ex02', expect: 0, named: 'negative scores summed over the wrong axis' },
  { dir: 'ex02-missing-minus', ex: 'ex02', expect: 0, named: 'missing minus sign' },
  { dir: 'ex02-no-max-shift', ex: 'ex02', expect: 10 - 2, named: 'exp without subtracting the row maximum (overflow)' }, // only tau 0.01 overflows
  { dir: 'ex02-no-max-shift-ratio', ex: 'ex02', expect: 10 - 2, named: 'exp without subtracting the row maximum (overflow)' },

  { dir: 'ex03-sum', ex: 'ex03', expect: 2 + 1, named: 'sum instead of mean' }, // the critic tests
  { dir: 'ex03-wrong-axis', ex: 'ex03', expect: 2 + 1, named: 'softmax over columns (wrong axis)' },
  { dir: 'ex03-missing-minus', ex: 'ex03', expect: 2 + 1, named: 'missing minus sign' },
  { dir: 'ex03-log2', ex: 'ex03', expect: 2 + 1, named: 'log base 2' },
  { dir: 'ex03-positive-missing', ex: 'ex03', expect: 2 + 1, named: 'positive missing from the denominator' },
  { dir: 'ex03-no-max-shift', ex: 'ex03', expect: 13 - 1, named: 'exp without subtracting the row maximum (overflow)' }, // only the scores in the hundreds
  { dir: 'ex03-log-n-minus-1', ex: 'ex03', expect: 13 - 2 - 3, named: 'log(N-1) instead of log N' }, // bound and experiment tests
  { dir: 'ex03-no-log-n', ex: 'ex03', expect: 13 - 2 - 3, named: 'bound without log N' },
  { dir: 'ex03-bound-sign', ex: 'ex03', expect: 13 - 2 - 3, named: 'bound with the wrong sign (L - log N)' },
  { dir: 'ex03-variance-1', ex: 'ex03', expect: 13 - 3 - 3, named: 'variance 1 instead of 1 - rho^2' }, // critic and experiment tests
  { dir: 'ex03-no-normaliser', ex: 'ex03', expect: 13 - 3, named: 'normaliser -(dim/2) log(1 - rho^2) dropped' }, // a constant shift: the bound is unchanged
  { dir: 'ex03-transposed', ex: 'ex03', expect: 13 - 3 - 3, named: 'scores transposed' },
  { dir: 'ex03-cond-only', ex: 'ex03', expect: 13 - 3 - 3, named: 'log p(y|x) not divided by p(y)' },
  { dir: 'ex03-no-y2', ex: 'ex03', expect: 13 - 3 - 3, named: 'the + |y_j|^2 / 2 term dropped' }, // found unnamed by issue 10 (one term of the closed form)
  { dir: 'ex03-no-dist', ex: 'ex03', expect: 13 - 3 - 3, named: 'the |y_j - rho x_i|^2 term dropped' },
  { dir: 'ex03-no-half-cond', ex: 'ex03', expect: 13 - 3 - 3, named: 'missing 1/2 in the exponent of p(y|x)' },
  { dir: 'ex03-no-half-y', ex: 'ex03', expect: 13 - 3 - 3, named: 'missing 1/2 in the exponent of p(y)' },
  { dir: 'ex03-stderr-n', ex: 'ex03', expect: 13 - 3, named: 'stderr with the n denominator' }, // the experiment tests
  { dir: 'ex03-sd-not-se', ex: 'ex03', expect: 13 - 3, named: 'standard deviation instead of standard error' },
  { dir: 'ex03-batch-major', ex: 'ex03', expect: 13 - 3, named: 'rows ordered by batch size first' },
  { dir: 'ex03-seed-mi-index', ex: 'ex03', expect: 13 - 3, named: 'trialSeed with the MI index instead of the batch-size index' },

  { dir: 'ex04-self-similarity', ex: 'ex04', expect: 0, named: 'self-similarity left in the denominator' },
  { dir: 'ex04-mask-zero', ex: 'ex04', expect: 0, named: 'self-similarity zeroed instead of masked' }, // ex04's WARNING; found unnamed by issue 10
  { dir: 'ex04-mask-minus-infinity', ex: 'ex04', expect: 0, named: 'masked with mask * -Infinity (NaN)' },
  { dir: 'ex04-no-temperature', ex: 'ex04', expect: 1, named: 'no temperature' }, // the test at tau = 1
  { dir: 'ex04-unnormalised', ex: 'ex04', expect: 0, named: 'unnormalised embeddings (dot product instead of cosine)' },
  { dir: 'ex04-sum', ex: 'ex04', expect: 0, named: 'sum instead of mean' },
  { dir: 'ex04-first-view', ex: 'ex04', expect: 0, named: 'only the first view as anchors' },
  { dir: 'ex04-google-double', ex: 'ex04', expect: 0, named: "Google's convention (2x the mean)" },
  { dir: 'ex04-other-view-only', ex: 'ex04', expect: 0, named: 'negatives only from the other view' },
  { dir: 'ex04-no-max-shift', ex: 'ex04', expect: 10 - 2, named: 'exp without subtracting the row maximum (overflow)' }, // only tau 0.01 overflows
  { dir: 'ex04-no-max-shift-ratio', ex: 'ex04', expect: 10 - 2, named: 'exp without subtracting the row maximum (overflow)' },

  { dir: 'ex05-query-side', ex: 'ex05', expect: 10 - 1 - 2, named: 'momentum on the query side' }, // the momentumUpdate tests
  { dir: 'ex05-no-complement', ex: 'ex05', expect: 10 - 1 - 2, named: 'missing (1 - m) factor' },
  { dir: 'ex05-only-first', ex: 'ex05', expect: 10 - 1 - 2, named: 'only the first tensor updated' },
  { dir: 'ex05-newest-first', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'newest keys first' }, // the enqueue tests
  { dir: 'ex05-drops-newest', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'drops the newest rows instead of the oldest' },
  { dir: 'ex05-queue-grows', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'queue grows (nothing dropped)' },
  { dir: 'ex05-drops-one', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'drops one row instead of B' },
  { dir: 'ex05-keys-reversed', ex: 'ex05', expect: 10 - 1 - 1 - 1, named: 'new keys appended in reverse order' },
  { dir: 'ex05-no-temperature', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'no temperature' }, // the mocoLoss tests
  { dir: 'ex05-sum', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'sum instead of mean' },
  { dir: 'ex05-full-qk', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'positive from the full q k^T matrix' },
  { dir: 'ex05-positive-missing', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'positive missing from the denominator' },
  { dir: 'ex05-positive-last', ex: 'ex05', expect: 10 - 2 - 1 - 1, named: 'positive not at index 0' },
];

/** Every "This looks like a known mistake: NAME." in a feedback text. */
function namedIn(feedback: string): string[] {
  return [...feedback.matchAll(/This looks like a known mistake: (.+?)\. /g)].map((m) => m[1]);
}

describe('SPECS known mistakes: every spec names its likely slips, and its inputs tell them apart', () => {
  it('SPECS[i].mistakes has at least 5 names per exercise, each with a fixture in the table, and every fixture folder is in the table', () => {
    for (const spec of SPECS) {
      const names = [...new Set(spec.mistakes.map((m) => m.name))].sort();
      assert.ok(names.length >= 5, `${spec.id} names ${names.length} mistakes`);
      const covered = [...new Set(MISTAKES.filter((m) => m.ex === spec.id).map((m) => m.named))].sort();
      assert.deepEqual(covered, names, `${spec.id}: mistakes in the spec vs fixtures in the table`);
    }
    const dirs = fs.readdirSync(path.join(FIXTURES, 'mistakes')).sort();
    assert.deepEqual(dirs, MISTAKES.map((m) => m.dir).sort());
  });

  it('freezeExercise(spec) lists every mistake on at least one test (its output differs from the reference there, so it can be named)', () => {
    for (const e of allExercises()) {
      for (const name of new Set(SPECS.find((s) => s.id === e.id)!.mistakes.map((m) => m.name))) {
        assert.ok(e.tests.some((t) => t.mistakes.some((m) => m.name === name)), `${e.id}: "${name}" equals the reference on every test`);
      }
    }
  });

  it('freezeExercise(spec) never gives two differently named mistakes the same outputs on a test (the feedback would name the wrong one)', () => {
    for (const e of allExercises()) {
      for (const t of e.tests) {
        for (const [i, a] of t.mistakes.entries()) {
          for (const b of t.mistakes.slice(i + 1)) {
            if (a.name === b.name) continue;
            const same = a.outputs.every((o, k) => comparePlain(o, b.outputs[k], t.tolerance) === null);
            assert.ok(!same, `${e.id} "${t.name}": "${a.name}" and "${b.name}" give the same outputs`);
          }
        }
      }
    }
  });
});

// The fixtures are graded once, as one class by grade-all (one submission each, against the
// public tests as the release freezes them and the hidden tests): each fixture's result is
// checked here, and the class report's mistake counts against this table.
describe('grade-all on the known-mistake fixtures as a class, with the public tests as the release freezes them and the hidden tests', function () {
  this.timeout(300000);
  let klass: GradedClass | undefined;
  const got = new Map<string, GradeResult>();

  before(async () => {
    klass = await gradeClass(MISTAKES.map((m) => `mistakes/${m.dir}`));
    for (const m of MISTAKES) got.set(m.dir, klass.results.get(m.dir)!);
  });
  after(() => klass?.cleanup());

  it("grade-all's mistakes.csv counts each named mistake in exactly the submissions this table gives it", () => {
    const want = new Map<string, string[]>();
    for (const m of MISTAKES) want.set(`${m.ex}: ${m.named}`, [...(want.get(`${m.ex}: ${m.named}`) ?? []), m.dir]);
    const lines = fs.readFileSync(path.join(klass!.out, 'mistakes.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'exercise,mistake,submissions,which');
    const have = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const [, ex, named, count, which] = /^"(ex\d\d)","((?:[^"]|"")*)",(\d+),"([^"]*)"$/.exec(line) ?? assert.fail(`not a mistakes.csv row: ${line}`);
      const subs = which.split('; ');
      assert.equal(Number(count), subs.length, line);
      have.set(`${ex}: ${named.replace(/""/g, '"')}`, subs);
    }
    const sorted = (m: Map<string, string[]>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(sorted(have), sorted(want));
  });

  for (const m of MISTAKES) {
    it(`grade-all's mistakes/${m.dir} scores ${m.expect} on ${m.ex} and names "${m.named}" on exactly the tests where it differs from the reference`, () => {
      const r = got.get(m.dir)!;
      const text = r.exercises.flatMap((e) => [...e.notes, ...e.tests.map((t) => `[${t.visibility}] ${t.name}: ${t.feedback}`)]).join('\n');
      assert.equal(points(r, m.ex), m.expect, text);
      const exercise = releasedExercises().find((e) => e.id === m.ex)!;
      const shouldName = exercise.tests.filter((t) => t.mistakes.some((x) => x.name === m.named)).map((t) => `${t.visibility}: ${t.name}`);
      const didName = r.exercises.find((e) => e.id === m.ex)!.tests.filter((t) => namedIn(t.feedback).includes(m.named)).map((t) => `${t.visibility}: ${t.name}`);
      assert.deepEqual(didName, shouldName, text);
      const others = r.exercises.flatMap((e) => e.tests).flatMap((t) => namedIn(t.feedback)).filter((n) => n !== m.named);
      assert.deepEqual(others, [], text);
    });
  }
});
