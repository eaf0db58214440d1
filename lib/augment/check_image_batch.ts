import * as tf from '@tensorflow/tfjs';

/** Throws `${fn}: x must be ...` unless x is a float32 image batch [B, H, W, C]. */
export function checkImageBatch(fn: string, x: tf.Tensor): void {
  if (x === null || typeof x !== 'object' || !Array.isArray((x as tf.Tensor).shape)) {
    throw new Error(`${fn}: x must be a tensor [batch, height, width, channels], got ${String(x)}`);
  }
  if (x.rank !== 4) {
    throw new Error(`${fn}: x must have rank 4 [batch, height, width, channels], got shape [${x.shape}]; reshape MNIST rows with x.reshape([-1, 28, 28, 1])`);
  }
  if (x.dtype !== 'float32') {
    throw new Error(`${fn}: x must be float32 in [0, 1], got dtype ${x.dtype}`);
  }
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
