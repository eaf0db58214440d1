import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freezeExercise } from '../engine/freeze_exercise';
import type { GradeResult } from '../engine/result_types';
import { gradeClass, type GradedClass } from '../fixtures/grade_class';
import { allExercises, FIXTURES, points, TEST_SECRET } from '../fixtures/grade_fixture';
import { MISTAKES } from '../fixtures/known_mistake_fixtures';
import { specProblems } from '../fixtures/seed_sweep';
import { SPECS } from './index';

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

  it('freezeExercise(spec) lists every mistake on at least one test, never gives two differently named mistakes confusable outputs on a test, and gives finite references (specProblems)', () => {
    const problems = allExercises().flatMap((e) => specProblems(e, SPECS.find((s) => s.id === e.id)!));
    assert.deepEqual(problems, []);
  });
});

// The fixtures are graded once, as one class by grade-all (one submission each, every test on
// fresh inputs from the secret and the submission): each fixture's result is checked here, and
// the class report's mistake counts against this table. (specs/seed_sweep.test.ts scores them on
// the release's frozen public tests, check's inputs, in this process.)
describe('grade-all on the known-mistake fixtures as a class, each on its own fresh inputs', function () {
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
      // The inputs it was graded on, drawn again from the seeds its result records.
      assert.equal(r.inputs.secret, TEST_SECRET.fingerprint);
      const seeds = new Map(r.exercises.find((e) => e.id === m.ex)!.tests.map((t) => [t.name, t.seed]));
      const spec = SPECS.find((s) => s.id === m.ex)!;
      assert.ok(spec.tests.some((t) => seeds.get(t.name) !== t.seed), `${m.dir}: graded on the fixed seeds`);
      const exercise = freezeExercise(spec, ['public', 'hidden'], (_id, t) => seeds.get(t.name)!);
      const shouldName = exercise.tests.filter((t) => t.mistakes.some((x) => x.name === m.named)).map((t) => `${t.visibility}: ${t.name}`);
      const didName = r.exercises.find((e) => e.id === m.ex)!.tests.filter((t) => namedIn(t.feedback).includes(m.named)).map((t) => `${t.visibility}: ${t.name}`);
      assert.deepEqual(didName, shouldName, text);
      const others = r.exercises.flatMap((e) => e.tests).flatMap((t) => namedIn(t.feedback)).filter((n) => n !== m.named);
      assert.deepEqual(others, [], text);
    });
  }
});
