import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, writeNewSecretFile } from '../engine';
import { allExercises, FIXTURES, gradeFixture } from '../fixtures/grade_fixture';
import { ChildClock } from './child_clock';

/** Runs `node -e code` in its own process group; resolves with a kill function once it prints its first line. */
function child(code: string): Promise<{ pid: number; stop: () => void }> {
  const c = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  return new Promise((resolve) =>
    c.stdout!.once('data', () => resolve({ pid: c.pid!, stop: () => { try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } } })),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ChildClock: a child is charged its blocking, not the time others kept the CPU from it', function () {
  this.timeout(60000);
  before(function () {
    if (!fs.existsSync(`/proc/${process.pid}/schedstat`)) this.skip();
  });

  it('a child blocked in Atomics.wait for 1.5 s is charged at least 1.2 s (sleeping is charged in full)', async () => {
    const c = await child("console.log('up'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)");
    try {
      const clock = new ChildClock(c.pid);
      await sleep(1500);
      assert.ok(clock.ms() >= 1200, `charged ${clock.ms()} ms`);
    } finally {
      c.stop();
    }
  });

  it('a spinning child that shares the cores with 2 spinners per core is charged well under its wall time, and no less than its CPU time', async () => {
    const spin = "console.log('up'); for (;;) {}";
    const others = await Promise.all(Array.from({ length: 2 * os.cpus().length }, () => child(spin)));
    const c = await child(spin);
    try {
      const clock = new ChildClock(c.pid);
      const t0 = process.hrtime.bigint();
      await sleep(2000);
      const ticks = Number(fs.readFileSync(`/proc/${c.pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[11]);
      const charged = clock.ms();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      // With at least 2n + 1 busy processes on n cores it gets at most about half a core.
      assert.ok(charged < 0.75 * wall, `charged ${charged.toFixed(0)} ms of ${wall.toFixed(0)} ms wall`);
      // Never less than the CPU it used since the clock was made: its user time (read first)
      // less what Node's start-up used before that (well under 150 ms).
      assert.ok(charged >= ticks * 10 - 150, `charged ${charged.toFixed(0)} ms, used ${ticks * 10} ms of CPU`);
    } finally {
      c.stop();
      for (const o of others) o.stop();
    }
  });
});

/**
 * `clab-grade <args>` as a user runs it. The limits are small so a hang costs seconds: --timeout-ms
 * 1000 gives each exercise a 12 s budget (12 test limits).
 */
function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const argv = [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), ...args, '--only', 'ex03,ex04,ex05', '--no-typecheck', '--timeout-ms', '1000'];
  return new Promise((resolve) =>
    execFile(process.execPath, argv, { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 500000, maxBuffer: 64 * 2 ** 20 }, (e, out, err) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, out, err }),
    ),
  );
}

describe('a fair clock: an ex03 that blocks or spins costs ex03 alone, and grade and grade-all agree', function () {
  this.timeout(600000);
  const ATTACKS = ['ex03-block', 'ex03-spin'];
  let dir: string;
  const byGrade = new Map<string, { score: number; exercises: Array<{ id: string; score: number; time: { ms: number; budgetMs: number; stoppedBy: string | null } }> }>();
  const byGradeAll = new Map<string, { row: { score: number; exercises: Record<string, number> }; output: string }>();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-fair-clock-'));
    for (const a of ATTACKS) {
      const sub = path.join(dir, 'subs', a);
      fs.mkdirSync(sub, { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, 'attacks', a, 'ex03-infonce-bound.ts.txt'), path.join(sub, 'ex03-infonce-bound.ts'));
      for (const f of ['ex04-nt-xent.ts', 'ex05-moco.ts']) fs.copyFileSync(path.join(PROJECT_ROOT, 'solutions', f), path.join(sub, f));
    }
    // grade: exercises side by side (one per core); grade-all: one at a time per submission. All
    // three runs at once: the machine is busy, which the fair clock must not mind. One secret, so
    // both verbs draw the same inputs for a submission.
    const secret = path.join(dir, 'secret.txt');
    writeNewSecretFile(secret);
    const [all, ...graded] = await Promise.all([
      cli(['grade-all', path.join(dir, 'subs'), '--jobs', '2', '--secret', secret, '--out', path.join(dir, 'all')]),
      ...ATTACKS.map((a) => cli(['grade', path.join(dir, 'subs', a), '--json', '--secret', secret, '--out', path.join(dir, `grade-${a}`)])),
    ]);
    assert.equal(all.code, 0, all.err);
    for (const [i, a] of ATTACKS.entries()) {
      assert.equal(graded[i].code, 1, graded[i].err);
      byGrade.set(a, JSON.parse(graded[i].out));
    }
    for (const a of ATTACKS) {
      const row = JSON.parse(fs.readFileSync(path.join(dir, 'all', a, 'grade.json'), 'utf8'));
      const output = (JSON.parse(fs.readFileSync(path.join(dir, 'all', a, 'results.json'), 'utf8')) as { output: string }).output;
      byGradeAll.set(a, { row, output });
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const a of ATTACKS) {
    it(`${a}: ex03 earns 0 and is stopped by its own budget (at most 12 s of it, plus a moment to stop), ex04 and ex05 keep 10/10, under grade`, () => {
      const r = byGrade.get(a)!;
      const ex = (id: string) => r.exercises.find((e) => e.id === id)!;
      assert.equal(ex('ex03').score, 0);
      assert.equal(ex('ex03').time.stoppedBy, 'exercise budget');
      assert.equal(ex('ex03').time.budgetMs, 12000);
      assert.ok(ex('ex03').time.ms <= 12000 + 1500, `ex03 charged ${ex('ex03').time.ms} ms`);
      for (const id of ['ex04', 'ex05']) {
        assert.equal(ex(id).score, 10, id);
        assert.equal(ex(id).time.stoppedBy, null, id);
      }
    });

    it(`${a}: grade-all gives the same scores as grade (ex03 0, ex04 and ex05 10/10, the same total), and its report names the budget`, () => {
      const g = byGrade.get(a)!;
      const { row, output } = byGradeAll.get(a)!;
      assert.deepEqual(row.exercises, Object.fromEntries(g.exercises.map((e) => [e.id, e.score])));
      assert.equal(row.score, g.score);
      assert.equal(row.score, 20);
      assert.match(output, /^ex03 time: [\d.]+ s of its 12\.0 s budget \(wall [\d.]+ s\); stopped by: exercise budget\.$/m);
    });
  }
});

describe('the start-up limit: a module that takes longer to import than allowed', function () {
  this.timeout(120000);

  it('an ex03 that blocks 10 s at import, with a 2 s start-up limit: every ex03 test fails, each stopped by the start-up limit, and ex03 was charged about 2 s', async () => {
    const ex03 = allExercises().filter((e) => e.id === 'ex03');
    const r = await gradeFixture('attacks/ex03-block', {}, { startupMs: 2000 }, ex03);
    const e = r.exercises[0];
    assert.deepEqual([...new Set(e.tests.map((t) => t.stoppedBy))], ['start-up']);
    assert.equal(e.time.stoppedBy, 'start-up');
    assert.match(e.tests[0].feedback, /did not finish importing within 2 s/);
    assert.ok(e.time.ms >= 1900 && e.time.ms <= 4000, `charged ${e.time.ms} ms`);
  });
});
