import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GraderResult } from '../../lib/notebook/grader_result';
import { FrozenExercise } from '../engine/freeze_exercise';
import { PROJECT_ROOT } from '../engine/project_root';
import { writeNewSecretFile } from '../engine/instructor_secret';
import type { GradeResult } from '../engine/result_types';
import { gradeFiles, releasedExercises } from '../fixtures/grade_fixture';
import { harvest, LookupTable, lookupSource, publicTable } from '../fixtures/lookup_attacks';
import { SPECS } from './index';

// A submission per round holding one lookup file per exercise (fixtures/lookups/lookup.ts.txt):
// round 1 answers from the release's frozen public tests; each later round adds what the
// previous round's feedback showed for its failed tests (public and hidden) and is a changed
// submission (its comment says the round). Graded as `grade` did with fixed seeds (in this
// process), and by the real `clab-grade grade --secret FILE --json`, which draws fresh seeds from
// the secret and each round's files.
const ROUNDS = 3;

type Points = Map<string, { public: string; hidden: string; total: number }>;
type Graded = Pick<GradeResult, 'exercises'> | GraderResult;

function pointsOf(r: Graded): Points {
  const out: Points = new Map();
  for (const e of r.exercises) {
    const tests = e.tests as Array<{ visibility: string; score: number; maxScore: number }>;
    const sum = (v: string, k: 'score' | 'maxScore') => tests.filter((t) => t.visibility === v).reduce((a, t) => a + t[k], 0);
    out.set(e.id, { public: `${sum('public', 'score')}/${sum('public', 'maxScore')}`, hidden: `${sum('hidden', 'score')}/${sum('hidden', 'maxScore')}`, total: sum('public', 'score') + sum('hidden', 'score') });
  }
  return out;
}

/** One round through the real CLI: the files written as a submission folder, `grade --secret --json`. */
function gradeByCli(files: Map<string, string>, tmp: string, round: number, secret: string): GraderResult {
  const dir = path.join(tmp, `round-${round}`);
  fs.mkdirSync(path.join(dir, 'exercises'), { recursive: true });
  for (const [name, src] of files) fs.writeFileSync(path.join(dir, 'exercises', name), src);
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'grade', dir, '--secret', secret, '--json', '--no-typecheck', '--timeout-ms', '2500', '--out', path.join(tmp, `out-${round}`)], { encoding: 'utf8', timeout: 400000 });
  assert.ok(r.status === 0 || r.status === 1, `grade exit ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as GraderResult;
}

async function attack(fresh: boolean): Promise<Graded[]> {
  const released = releasedExercises();
  const publicTests = released.map((e): FrozenExercise => ({ ...e, tests: e.tests.filter((t) => t.visibility === 'public') }));
  const tables = new Map<string, LookupTable>(publicTests.map((e) => [e.id, publicTable([e])]));
  const results: Graded[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-lookups-'));
  fs.chmodSync(tmp, 0o755); // the sandbox user reads the submission's folder
  try {
    const secret = path.join(tmp, 'secret.txt');
    if (fresh) writeNewSecretFile(secret);
    for (let round = 1; round <= ROUNDS; round++) {
      const files = new Map(released.map((e) => [e.file, lookupSource(e, tables.get(e.id)!, `lookup, round ${round}`)]));
      const r = fresh ? gradeByCli(files, tmp, round, secret) : await gradeFiles(files, released, `lookup round ${round}`);
      results.push(r);
      for (const e of r.exercises) harvest(e.tests, tables.get(e.id)!);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}
describe('red-team lookups: answers read off the frozen public tests and earlier feedback', function () {
  this.timeout(600000);
  let fixed: Graded[] = [];
  let fresh: Graded[] = [];

  before(async () => {
    fixed = await attack(false);
    fresh = await attack(true);
    const row = (mode: string, rs: Graded[]) =>
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

  it('clab-grade grade --secret (fresh seeds) gives every exercise 0 in every round', () => {
    fresh.forEach((r, i) => {
      assert.ok('inputs' in r && r.inputs?.secret !== null, 'graded on fresh inputs');
      for (const e of r.exercises) {
        assert.deepEqual(e.notes, [], `${e.id}: the lookup must load and run`);
        assert.equal(pointsOf(r).get(e.id)!.total, 0, `round ${i + 1} ${e.id}: ${e.tests.filter((t) => t.score > 0).map((t) => t.name).join('; ')}`);
      }
    });
  });
});
