import * as tf from '@tensorflow/tfjs';
import { checkTensor } from './check_tensor';

/**
 * The library's one epsilon for L2 normalisation: a vector whose norm is below `NORM_EPS` has
 * no direction (PyTorch's `F.normalize` uses the same 1e-12).
 */
export const NORM_EPS = 1e-12;

/**
 * Scales each vector along `axis` to unit L2 norm: x / ||x||, so dot products of the results are
 * cosine similarities.
 *
 * Epsilon policy (the only one in the library): a vector with ||x|| >= NORM_EPS = 1e-12 is
 * divided by its exact norm; a vector below it (in practice an all-zero row) has no direction,
 * so it maps to the zero vector AND passes no gradient. PyTorch's x / max(||x||, eps) gives the
 * same values but a gradient of upstream / eps there, about 1e12 times the upstream gradient;
 * one such row can wreck an optimiser step. The test is `sum(x^2) >= eps^2` (1e-24 is a normal
 * float32).
 * @param x any rank >= 1, e.g. [batch, dim] (rows normalised) or [batch, m, dim]
 * @param axis the axis holding each vector (default -1, the last)
 * @returns the same shape as x; every vector has norm 1, or is 0 if its norm was below eps
 * @example const unit = tf.tidy(() => clab.tensor.l2Normalize(z)); // rows of length 1
 * WARNING: a vector of norm 1e-13 is treated as zero (value 0, gradient 0), not scaled up; a norm
 * above about 1.8e19 overflows the float32 sum of squares (the vector comes out 0): rescale such data.
 */
export function l2Normalize<T extends tf.Tensor>(x: T, axis = -1): T {
  checkTensor('l2Normalize', 'x', x, { minRank: 1 });
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new Error(`l2Normalize: axis must be an integer in [${-x.rank}, ${x.rank - 1}] for x of shape [${x.shape.join(',')}], got ${axis}`);
  }
  const eps2 = NORM_EPS * NORM_EPS;
  return tf.tidy(() => {
    const sumSq = tf.sum(tf.square(x), axis, true); // x's shape with 1 on `axis`
    // One rsqrt instead of tf.norm's abs, pow and casts. `where` selects, so the zero branch
    // has no gradient path and the rsqrt branch (clamped to eps^2, finite) gets a zero upstream there.
    const scale = tf.where(tf.greaterEqual(sumSq, eps2), tf.rsqrt(tf.maximum(sumSq, eps2)), tf.zerosLike(sumSq));
    return tf.mul(x, scale) as T;
  });
}
