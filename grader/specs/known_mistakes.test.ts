import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GradeResult } from '../engine/result_types';
import { allExercises, FIXTURES, gradeFixture, inParallel, points, releasedExercises } from '../fixtures/grade_fixture';
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

describe('gradeSubmission on known-mistake fixtures, with the public tests as the release freezes them and the hidden tests', function () {
  this.timeout(300000);
  const got = new Map<string, GradeResult>();

  before(async () => {
    const exercises = releasedExercises();
    const results = await inParallel(MISTAKES, 3, (m) => gradeFixture(`mistakes/${m.dir}`, {}, { only: [m.ex] }, exercises));
    MISTAKES.forEach((m, i) => got.set(m.dir, results[i]));
  });

  for (const m of MISTAKES) {
    it(`gradeSubmission(mistakes/${m.dir}) scores ${m.expect} on ${m.ex} and names "${m.named}" on exactly the tests where it differs from the reference`, () => {
      const r = got.get(m.dir)!;
      const text = r.exercises.flatMap((e) => [...e.notes, ...e.tests.map((t) => `[${t.visibility}] ${t.name}: ${t.feedback}`)]).join('\n');
      assert.equal(points(r, m.ex), m.expect, text);
      const exercise = releasedExercises().find((e) => e.id === m.ex)!;
      const shouldName = exercise.tests.filter((t) => t.mistakes.some((x) => x.name === m.named)).map((t) => `${t.visibility}: ${t.name}`);
      const didName = r.exercises[0].tests.filter((t) => namedIn(t.feedback).includes(m.named)).map((t) => `${t.visibility}: ${t.name}`);
      assert.deepEqual(didName, shouldName, text);
      const others = r.exercises[0].tests.flatMap((t) => namedIn(t.feedback)).filter((n) => n !== m.named);
      assert.deepEqual(others, [], text);
    });
  }
});
