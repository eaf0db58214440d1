import * as tf from '@tensorflow/tfjs';
import { ImageSet, toTensor, TensorBatch } from './image_set';
import { shuffledIndices } from './seeded_indices';

/** Options for {@link batches}. */
export interface BatchesOptions {
  /** Examples per batch (integer >= 1). Default 256. */
  batchSize?: number;
  /** Shuffle with this integer seed (use e.g. `seed + epoch` per epoch); default: file order. */
  seed?: number;
  /** Drop the last batch if it is smaller than batchSize (SimCLR wants equal batches). Default false. */
  dropLast?: boolean;
  /** Draw only from these indices (e.g. a balanced subset); default all 0..n-1. */
  indices?: ArrayLike<number>;
}

/** One batch from {@link batches}: tensors, the indices used, and `dispose()`. */
export interface Batch extends TensorBatch {
  /** [m] the example indices in this batch. */
  indices: Int32Array;
  /** Disposes x and y. */
  dispose(): void;
}

/**
 * Iterates over a set in batches of tensors, optionally shuffled by a seed. Tensors are made
 * lazily, one batch at a time.
 * @param set the images and labels
 * @param options batchSize, seed, dropLast, indices
 * @returns an iterator of batches: x [m, h, w, 1] float32, y [m] int32
 * @example
 * for (const b of batches(train, { batchSize: 256, seed: epoch, dropLast: true })) {
 *   optimizer.minimize(() => loss(b.x));
 *   b.dispose();
 * }
 * WARNING: each batch's tensors belong to you: call `b.dispose()` (or `tf.dispose(b.x)`...) per
 * batch, or the loop leaks one batch per step.
 */
export function* batches(set: ImageSet, options: BatchesOptions = {}): Generator<Batch> {
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batches: batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new Error(`batches: seed must be an integer, got ${options.seed}`);
  }
  const pool = options.indices === undefined ? null : Int32Array.from(options.indices);
  const m = pool === null ? set.n : pool.length;
  let order: Int32Array;
  if (options.seed === undefined) {
    order = new Int32Array(m);
    for (let i = 0; i < m; i++) order[i] = i;
  } else {
    order = shuffledIndices(m, options.seed);
  }
  if (pool !== null) order = order.map((k) => pool[k]);
  const end = options.dropLast ? m - (m % batchSize) : m;
  for (let start = 0; start < end; start += batchSize) {
    const indices = order.slice(start, Math.min(start + batchSize, end));
    const { x, y } = toTensor(set, indices);
    yield { x, y, indices, dispose: () => tf.dispose([x, y]) };
  }
}
