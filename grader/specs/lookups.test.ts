import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { freezeExercise, FrozenExercise } from '../engine/freeze_exercise';
import { freshSeeds } from '../engine/fresh_seeds';
import type { GradeResult } from '../engine/result_types';
import { gradeFiles, releasedExercises } from '../fixtures/grade_fixture';
import { harvest, LookupTable, lookupSource, publicTable } from '../fixtures/lookup_attacks';
import { SPECS } from './index';

// A submission per round holding one lookup file per exercise (fixtures/lookups/lookup.ts.txt):
// round 1 answers from the release's frozen public tests; each later round adds what the
// previous round's feedback showed for its failed tests (public and hidden) and is a changed
// submission (its comment says the round). Graded as `grade` did with fixed seeds, and as `grade`
// will with fresh seeds derived from a secret and each round's files.
const ROUNDS = 3;
const SECRET = Buffer.from('lookups.test: an instructor secret of 32 bytes');

type Points = Map<string, { public: string; hidden: string; total: number }>;

function pointsOf(r: GradeResult): Points {
  const out: Points = new Map();
  for (const e of r.exercises) {
    const sum = (v: string, k: 'score' | 'maxScore') => e.tests.filter((t) => t.visibility === v).reduce((a, t) => a + t[k], 0);
    out.set(e.id, { public: `${sum('public', 'score')}/${sum('public', 'maxScore')}`, hidden: `${sum('hidden', 'score')}/${sum('hidden', 'maxScore')}`, total: sum('public', 'score') + sum('hidden', 'score') });
  }
  return out;
}

async function attack(fresh: boolean): Promise<GradeResult[]> {
  const released = releasedExercises();
  const publicTests = released.map((e): FrozenExercise => ({ ...e, tests: e.tests.filter((t) => t.visibility === 'public') }));
  const tables = new Map<string, LookupTable>(publicTests.map((e) => [e.id, publicTable([e])]));
  const results: GradeResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const files = new Map(released.map((e) => [e.file, lookupSource(e, tables.get(e.id)!, `lookup, round ${round}`)]));
    const exercises = fresh ? SPECS.map((s) => freezeExercise(s, ['public', 'hidden'], freshSeeds(SECRET, files))) : released;
    const r = await gradeFiles(files, exercises, `lookup round ${round}`);
    results.push(r);
    for (const e of r.exercises) harvest(e.tests, tables.get(e.id)!);
  }
  return results;
}

describe('red-team lookups: answers read off the frozen public tests and earlier feedback', function () {
  this.timeout(600000);
  let fixed: GradeResult[] = [];
  let fresh: GradeResult[] = [];

  before(async () => {
    fixed = await attack(false);
    fresh = await attack(true);
    const row = (mode: string, rs: GradeResult[]) =>
      SPECS.map((s) => `| ${s.id} | ${mode} | ${rs.map((r) => { const p = pointsOf(r).get(s.id)!; return `${p.public} + ${p.hidden}`; }).join(' | ')} |`);
    const table = ['| exercise | seeds | ' + Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1} (public + hidden)`).join(' | ') + ' |', `|---|---|${'---|'.repeat(ROUNDS)}`, ...row('fixed', fixed), ...row('fresh', fresh)];
    if (process.env.CLAB_LOOKUP_TABLE) fs.writeFileSync(process.env.CLAB_LOOKUP_TABLE, table.join('\n') + '\n');
  });

  it('with the fixed seeds (the old grade) the public lookup earns every public point, and the harvest adds hidden points round after round', () => {
    const first = pointsOf(fixed[0]);
    const last = pointsOf(fixed[ROUNDS - 1]);
    for (const e of fixed[0].exercises) {
      assert.deepEqual(e.notes, [], `${e.id}: the lookup must load and run`);
      const p = first.get(e.id)!;
      assert.equal(p.public.split('/')[0], p.public.split('/')[1], `${e.id} public ${p.public}`);
    }
    for (const id of ['ex01', 'ex02', 'ex04']) assert.equal(last.get(id)!.total, 10, `${id} after ${ROUNDS} rounds`);
  });

  it('with fresh seeds (grade with a secret) every exercise earns 0 in every round', () => {
    fresh.forEach((r, i) => {
      for (const e of r.exercises) {
        assert.deepEqual(e.notes, [], `${e.id}: the lookup must load and run`);
        assert.equal(pointsOf(r).get(e.id)!.total, 0, `round ${i + 1} ${e.id}: ${e.tests.filter((t) => t.score > 0).map((t) => t.name).join('; ')}`);
      }
    });
  });
});
