import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { freezeExercise } from '../engine/freeze_exercise';
import { freshSeeds } from '../engine/fresh_seeds';
import type { GradeResult } from '../engine/result_types';
import type { AnyFunction } from './spec_types';
import { gradeFiles, releasedExercises } from '../fixtures/grade_fixture';
import { Implementation, implementationProblems, implementations, loadInParent, scoreInParent, specProblems, sweepSeeds } from '../fixtures/seed_sweep';
import { SPECS } from './index';

// The short fresh-seed sweep; bench/fresh_seeds.ts runs the long one (500 seeds per test).
const ROUNDS = 3;
const SECRET = Buffer.from('seed_sweep.test: an instructor secret');

describe('SPECS on fresh seeds: valid inputs on every seed, correct implementations at full marks, known mistakes still named', function () {
  this.timeout(600000);
  let backend: string | undefined;
  let loaded: Array<{ impl: Implementation; mod: Record<string, AnyFunction> }> = [];

  before(async () => {
    // The sandboxed child computes on the cpu backend, and so does the grader's own process; a
    // mocha process that ran lib/ tests may be on wasm (undefined: none chosen yet).
    backend = tf.getBackend() as string | undefined;
    await tf.setBackend('cpu');
    loaded = implementations(SPECS).map((impl) => ({ impl, mod: loadInParent(impl, SPECS.find((s) => s.id === impl.ex)!) }));
  });
  after(async () => {
    if (backend !== undefined && backend !== 'cpu') await tf.setBackend(backend);
  });

  it('every exercise has the reference and at least two other correct implementations (fixtures/student-correct, fixtures/alternatives)', () => {
    for (const spec of SPECS) {
      const correct = loaded.filter((x) => x.impl.ex === spec.id && x.impl.mistake === null).map((x) => x.impl.label);
      assert.equal(correct[0], 'reference');
      assert.ok(correct.length >= 3, `${spec.id}: ${correct.join(', ')}`);
    }
  });

  it(`on the release's frozen public tests (check's inputs) and ${ROUNDS} rounds of fresh seeds every spec keeps its rules, every correct implementation scores full marks and every known-mistake fixture is named exactly where its mistake differs and earns its table score (scored in this process)`, () => {
    const problems: string[] = [];
    for (let i = -1; i < ROUNDS; i++) {
      const frozen = i < 0 ? releasedExercises() : SPECS.map((s) => freezeExercise(s, ['public', 'hidden'], sweepSeeds(i)));
      SPECS.forEach((s, k) => problems.push(...specProblems(frozen[k], s)));
      for (const { impl, mod } of loaded) {
        const k = SPECS.findIndex((s) => s.id === impl.ex);
        problems.push(...implementationProblems(impl, SPECS[k], frozen[k], scoreInParent(frozen[k], mod)));
      }
    }
    assert.deepEqual(problems, []);
  });

  it('through the sandbox, graded on fresh seeds from a secret and the files as grade will: the reference and two alternatives per exercise get full marks, and the feedback gives each test its fresh seed', async () => {
    const correct = loaded.filter((x) => x.impl.mistake === null).map((x) => x.impl);
    const submissions = [0, 1, 2].map((k) => new Map(SPECS.map((s) => {
      const impl = correct.filter((c) => c.ex === s.id)[k];
      return [s.file, impl.source] as [string, string];
    })));
    const graded: Array<[Map<string, string>, GradeResult, ReturnType<typeof freezeExercise>[]]> = [];
    for (const files of submissions) {
      const exercises = SPECS.map((s) => freezeExercise(s, ['public', 'hidden'], freshSeeds(SECRET, files)));
      graded.push([files, await gradeFiles(files, exercises, 'fresh seeds'), exercises]);
    }
    for (const [files, r, exercises] of graded) {
      const failed = r.exercises.flatMap((e) => e.tests.filter((t) => t.status === 'failed').map((t) => `${e.id} ${t.name}:\n${t.feedback}`));
      assert.deepEqual(failed, [], [...files.values()].map((src) => src.split('\n')[0]).join('\n'));
      assert.equal(r.score, r.maxScore);
      for (const e of r.exercises) {
        e.tests.forEach((t, i) => assert.match(t.feedback, new RegExp(`input seed ${exercises.find((x) => x.id === e.id)!.tests[i].seed}\\.`)));
      }
    }
  });
});
