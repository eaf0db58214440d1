import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link assertNoLeak}. */
export interface NoLeakOptions {
  /**
   * Run once before counting (default true): a first call may create tensors a backend keeps
   * cached. Turn it off for expensive runs (a training loop) that create no such cache.
   */
  warmUp?: boolean;
}

/**
 * Test helper: runs `run`, disposes what it returns (tensors, arrays or objects of tensors,
 * models: anything with `dispose()`), and asserts that `tf.memory().numTensors` is what it was.
 * Works for async `run` too (then returns a promise).
 * @example assertNoLeak(() => ntXent(z1, z2));
 * @example await assertNoLeak(() => trainSimCLR(config), { warmUp: false });
 */
export function assertNoLeak(run: () => Promise<unknown>, options?: NoLeakOptions): Promise<void>;
export function assertNoLeak(run: () => unknown, options?: NoLeakOptions): void;
export function assertNoLeak(run: () => unknown, options: NoLeakOptions = {}): void | Promise<void> {
  const once = (): number | Promise<number> => {
    const before = tf.memory().numTensors;
    const out = run();
    if (out instanceof Promise) return out.then((v) => (release(v), before));
    release(out);
    return before;
  };
  const check = (before: number): void => {
    const after = tf.memory().numTensors;
    assert.equal(after, before, `tensor count went from ${before} to ${after}: ${after - before} tensor(s) leaked`);
  };
  const measured = (): void | Promise<void> => {
    const before = once();
    return before instanceof Promise ? before.then(check) : check(before);
  };
  if (options.warmUp === false) return measured();
  const warm = once();
  return warm instanceof Promise ? warm.then(() => measured()) : measured();
}

/** Disposes what a run returned: tensors, models (anything with dispose()), in arrays or objects. */
function release(v: unknown): void {
  if (v === undefined || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) v.forEach(release);
  else if (typeof (v as { dispose?: unknown }).dispose === 'function') (v as { dispose(): void }).dispose();
  else Object.values(v).forEach(release);
}
