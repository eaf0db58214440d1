import { ImageSet, shuffledIndices } from '../data';

/** Internal: what step k of a run works on. */
export interface StepPlan {
  /** Epoch of the step (0-based). */
  epoch: number;
  /** The batch's image indices. */
  indices: Int32Array;
  /** The step's augmentation seed (view 1 uses it, view 2 uses it + 1). */
  seed: number;
}

/**
 * Internal: the batches and seeds of a run, step by step, so that any thread can make step k's
 * views ahead of time: epoch e is a shuffle of the data with seed `seed * 100003 + e` (as
 * `batches(data, {seed, dropLast: true})` gives), cut into floor(n / batchSize) equal batches;
 * step k's augmentation seed is `((seed * 1000003 + 2k) mod 2^32) + 1`.
 * @returns plan(k) for k = 0, 1, ... (the last epoch's shuffle is cached)
 */
export function stepPlan(data: ImageSet, batchSize: number, seed: number): (k: number) => StepPlan {
  const perEpoch = Math.floor(data.n / batchSize);
  let cached: { epoch: number; order: Int32Array } | null = null;
  return (k: number): StepPlan => {
    const epoch = Math.floor(k / perEpoch);
    if (cached === null || cached.epoch !== epoch) cached = { epoch, order: shuffledIndices(data.n, seed * 100003 + epoch) };
    const start = (k - epoch * perEpoch) * batchSize;
    return { epoch, indices: cached.order.slice(start, start + batchSize), seed: ((seed * 1000003 + k * 2) >>> 0) + 1 };
  };
}
