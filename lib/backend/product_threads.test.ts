import { strict as assert } from 'node:assert';
import { chooseProductKernel, holdProductsForDataWorker, ProductKernel, recordProductTime, RECHECK_EVERY, SAMPLES, ShapeTimes } from './product_threads';

/** Runs `calls` products of one shape whose kernels take `ownMs` and `poolMs`; returns the kernels chosen. */
function simulate(calls: number, ownMs: number, poolMs: number, threads = 2, held = false): ProductKernel[] {
  const times: ShapeTimes = { own: [], pool: [], calls: 0 };
  const chosen: ProductKernel[] = [];
  for (let i = 0; i < calls; i++) {
    times.calls++;
    const k = chooseProductKernel(times, threads, held);
    chosen.push(k);
    recordProductTime(times, k, k === 'own' ? ownMs : poolMs);
  }
  return chosen;
}

describe('where a matrix product runs on a pool of WASM threads (lib/backend/product_threads.ts)', () => {
  it('on one thread every product runs on lib/backend kernel, without timing the pool', () => {
    assert.deepEqual(new Set(simulate(20, 10, 1, 1)), new Set(['own']));
  });

  it('times both kernels SAMPLES times, alternating, before choosing', () => {
    const first = simulate(2 * SAMPLES, 10, 1);
    assert.deepEqual(first, Array.from({ length: 2 * SAMPLES }, (_, i) => (i % 2 === 0 ? 'own' : 'pool')));
  });

  it('then runs the faster kernel: the pool where the pool is faster, this thread where it is not', () => {
    const poolFaster = simulate(2 * SAMPLES + 20, 10, 4).slice(2 * SAMPLES);
    const ownFaster = simulate(2 * SAMPLES + 20, 4, 10).slice(2 * SAMPLES);
    assert.deepEqual(new Set(poolFaster), new Set(['pool']));
    assert.deepEqual(new Set(ownFaster), new Set(['own']));
  });

  it('times the slower kernel again every RECHECK_EVERY calls, and follows a change of load', () => {
    const times: ShapeTimes = { own: [], pool: [], calls: 0 };
    let poolMs = 4; // the pool is faster ...
    const chosen: ProductKernel[] = [];
    for (let i = 1; i <= 4 * RECHECK_EVERY; i++) {
      if (i === RECHECK_EVERY + 1) poolMs = 30; // ... until the second core gets busy
      times.calls++;
      const k = chooseProductKernel(times, 2, false);
      chosen.push(k);
      recordProductTime(times, k, k === 'own' ? 10 : poolMs);
    }
    assert.equal(chosen[RECHECK_EVERY - 1], 'own', 'the recheck at call RECHECK_EVERY times this thread once');
    assert.equal(chosen[RECHECK_EVERY], 'pool', 'the pool stays the choice while its recent times are fast');
    const after = chosen.slice(RECHECK_EVERY + SAMPLES);
    assert.deepEqual(
      after.flatMap((k, i) => (k === 'pool' ? [RECHECK_EVERY + SAMPLES + i + 1] : [])),
      [2, 3, 4].map((r) => r * RECHECK_EVERY),
      'SAMPLES calls after the pool got slow, it runs only at the rechecks',
    );
  });

  it('keeps only the last SAMPLES times of each kernel', () => {
    const times: ShapeTimes = { own: [], pool: [], calls: 0 };
    for (const ms of [1, 2, 3, 4, 5]) recordProductTime(times, 'own', ms);
    assert.deepEqual(times.own, [3, 4, 5].slice(-SAMPLES));
    assert.deepEqual(times.pool, []);
  });

  it('products held on one thread never run on the pool', () => {
    assert.deepEqual(new Set(simulate(50, 10, 1, 2, true)), new Set(['own']));
  });

  it('the trainers hold products on one thread only with a data worker on at most 2 cores and a pool', () => {
    assert.equal(holdProductsForDataWorker(2, 2, 1), true);
    assert.equal(holdProductsForDataWorker(1, 2, 1), true);
    assert.equal(holdProductsForDataWorker(2, 2, 0), false, 'no data worker: the second core is free');
    assert.equal(holdProductsForDataWorker(2, 1, 1), false, 'one thread: nothing to hold');
    assert.equal(holdProductsForDataWorker(4, 4, 1), false, 'more cores: the pool keeps its threads');
  });
});
