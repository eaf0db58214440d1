import assert from 'node:assert/strict';
import { interleave, SETTLE_MS, Side, turnOptions } from './interleave';

/** A side that logs each call as `name:timed?` and reports `ms` = its call number (1, 2, ...). */
function loggingSide(name: string, log: string[], extra: Partial<Side> = {}): Side {
  let calls = 0;
  return {
    name,
    rep: () => {
      calls += 1;
      log.push(name);
      return { ms: calls, cpuMs: calls };
    },
    ...extra,
  };
}

/** A side whose every repetition takes `ms` of wall time (busy-waits). */
function slowSide(name: string, ms: number, log: string[]): Side {
  let calls = 0;
  return {
    name,
    rep: () => {
      const start = performance.now();
      while (performance.now() - start < ms);
      calls += 1;
      log.push(`${name}${calls}`);
      return { ms: calls, cpuMs: calls };
    },
  };
}

describe('bench/interleave', () => {
  it('alternates single repetitions by default: warm-up rounds, then A, B, A, B; medians of the timed ones only', async () => {
    const log: string[] = [];
    const [a, b] = await interleave([loggingSide('A', log), loggingSide('B', log)], 3, 2);
    assert.deepEqual(log, ['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B']);
    // calls 3, 4, 5 were timed (1 and 2 were the warm-up)
    assert.deepEqual([a.ms, a.reps, b.ms, b.reps], [4, 3, 4, 3]);
  });

  it('times `block` repetitions per turn, and a side with fewer reps (pml) stops early', async () => {
    const log: string[] = [];
    const res = await interleave([loggingSide('A', log), loggingSide('P', log, { reps: 1, warmup: 0 })], 4, 1, { block: 2 });
    assert.deepEqual(log, ['A', 'A', 'A', 'P', 'A', 'A']);
    assert.deepEqual(res.map((r) => r.reps), [4, 1]);
  });

  it('opens every turn with untimed repetitions for settleMs, at least one, and does not count them', async () => {
    const log: string[] = [];
    // Each repetition takes >= 4 ms, settle 10 ms: 1 to 3 untimed ones open a turn (fewer only if
    // the machine is busy and one takes longer), then the one timed repetition.
    const [a, b] = await interleave([slowSide('A', 4, log), slowSide('B', 4, log)], 2, 0, { settleMs: 10 });
    const turns: string[][] = [];
    for (const call of log) {
      if (turns.length === 0 || turns[turns.length - 1][0][0] !== call[0]) turns.push([]);
      turns[turns.length - 1].push(call);
    }
    assert.deepEqual(turns.map((t) => t[0][0]), ['A', 'B', 'A', 'B'], log.join(' '));
    for (const t of turns) assert.ok(t.length >= 2 && t.length <= 4, `turn ${t.join(' ')}: 1-3 untimed, then 1 timed`);
    const timed = (side: string) => turns.filter((t) => t[0][0] === side).map((t) => Number(t[t.length - 1].slice(1)));
    assert.deepEqual([a.reps, b.reps], [2, 2]);
    assert.equal(a.ms, (timed('A')[0] + timed('A')[1]) / 2); // the median of two: the last call of each turn
    assert.equal(b.ms, (timed('B')[0] + timed('B')[1]) / 2);
  });

  it('turnOptions: 1 rep per turn and SETTLE_MS by default; a bad --block or --settle names the flag and the value', () => {
    assert.deepEqual(turnOptions(undefined, undefined), { block: 1, settleMs: SETTLE_MS });
    assert.deepEqual(turnOptions(3, 0), { block: 3, settleMs: 0 });
    assert.throws(() => turnOptions(0, undefined), /^Error: bench: --block must be an integer >= 1, got 0$/);
    assert.throws(() => turnOptions(undefined, NaN), /^Error: bench: --settle must be an integer >= 0 \(ms\), got NaN$/);
  });
});
