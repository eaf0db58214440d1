import * as tf from '@tensorflow/tfjs';
import { checkTensor } from '../tensor';

// The argument checks every augmentation starts with (lib/tensor has the general ones).

/** Throws `${fn}: x must ...` unless x is a non-empty float32 image batch [B, H, W, C]. */
export function checkImageBatch(fn: string, x: tf.Tensor): void {
  checkTensor(fn, 'x', x, { layout: '[batch, height, width, channels]', hint: 'reshape MNIST rows with x.reshape([-1, 28, 28, 1])' });
}

/** Throws unless seed is an integer. */
export function checkSeed(fn: string, seed: number): void {
  if (!Number.isInteger(seed)) throw new Error(`${fn}: seed must be an integer, got ${seed}`);
}

/** Throws unless p is a probability. */
export function checkProbability(fn: string, name: string, p: number): void {
  if (!(typeof p === 'number' && p >= 0 && p <= 1)) throw new Error(`${fn}: ${name} must be in [0, 1], got ${p}`);
}

/** Throws unless range is [lo, hi] with min <= lo <= hi <= max. */
export function checkRange(fn: string, name: string, range: [number, number], min: number, max: number): void {
  if (!Array.isArray(range) || range.length !== 2 || !(range[0] >= min && range[0] <= range[1] && range[1] <= max)) {
    throw new Error(`${fn}: ${name} must be [lo, hi] with ${min} <= lo <= hi <= ${max}, got ${JSON.stringify(range)}`);
  }
}
