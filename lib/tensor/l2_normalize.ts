import * as tf from '@tensorflow/tfjs';
import { checkTensor } from './arguments';

/**
 * The library's one epsilon for L2 normalisation: a vector whose norm is below `NORM_EPS` has
 * no direction (PyTorch's `F.normalize` uses the same 1e-12).
 */
export const NORM_EPS = 1e-12;

/** Options of {@link l2Normalize}. */
export interface L2NormalizeOptions {
  /** The axis holding each vector (default -1, the last). */
  axis?: number;
  /**
   * How the division is carried out; both agree to within a float32 rounding and share the
   * epsilon policy. 'divide' (default): x / sqrt(sum x^2), PyTorch's arithmetic. 'rsqrt':
   * x * rsqrt(sum x^2), what ntXent has always used. The two are kept, not merged, because
   * a training run amplifies a last-bit difference: switching either loss to the other form
   * moves the recorded results (notebooks 03 and 04, bench/accuracy-results.md) in their
   * printed digits.
   */
  arithmetic?: 'divide' | 'rsqrt';
}

/**
 * Scales each vector along an axis to unit L2 norm: x / ||x||, so dot products of the results
 * are cosine similarities.
 *
 * Epsilon policy (the only one in the library): a vector with ||x|| >= NORM_EPS = 1e-12 is
 * divided by its exact norm; a vector below it (in practice an all-zero row) has no direction,
 * so it maps to the zero vector AND passes no gradient. PyTorch's x / max(||x||, eps) gives the
 * same values but a gradient of upstream / eps there, about 1e12 times the upstream gradient;
 * one such row can wreck an optimiser step. The test is `sum(x^2) >= eps^2` (1e-24 is a normal
 * float32).
 * @param x any rank >= 1, e.g. [batch, dim] (rows normalised) or [batch, m, dim]
 * @param options `axis` (default -1), `arithmetic` (default 'divide')
 * @returns the same shape as x; every vector has norm 1, or is 0 if its norm was below eps
 * @example const unit = tf.tidy(() => clab.tensor.l2Normalize(z)); // rows of length 1
 * WARNING: a vector of norm 1e-13 is treated as zero (value 0, gradient 0), not scaled up; a norm
 * above about 1.8e19 overflows the float32 sum of squares (the vector comes out 0): rescale such data.
 */
export function l2Normalize<T extends tf.Tensor>(x: T, options: L2NormalizeOptions = {}): T {
  const fn = 'l2Normalize';
  checkTensor(fn, 'x', x, { minRank: 1 });
  if (options === null || typeof options !== 'object') {
    throw new Error(`${fn}: options must be an object {axis?, arithmetic?}, got ${String(options)}; e.g. l2Normalize(x, {axis: 0})`);
  }
  const axis = options.axis ?? -1;
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new Error(`${fn}: axis must be an integer in [${-x.rank}, ${x.rank - 1}] for x of shape [${x.shape.join(',')}], got ${axis}`);
  }
  const arithmetic = options.arithmetic ?? 'divide';
  if (arithmetic !== 'divide' && arithmetic !== 'rsqrt') {
    throw new Error(`${fn}: arithmetic must be 'divide' or 'rsqrt', got ${JSON.stringify(arithmetic)}`);
  }
  const eps2 = NORM_EPS * NORM_EPS;
  return tf.tidy(() => {
    const sumSq = tf.sum(tf.square(x), axis, true); // x's shape with 1 on `axis`
    const hasDirection = tf.greaterEqual(sumSq, eps2);
    const clamped = tf.maximum(sumSq, eps2); // finite everywhere, so no NaN reaches a gradient
    // `where` selects: a vector without direction takes the constant branch (no gradient path);
    // its clamped branch gets a zero upstream. Dividing by +Infinity or multiplying by 0 gives 0.
    if (arithmetic === 'rsqrt') return tf.mul(x, tf.where(hasDirection, tf.rsqrt(clamped), tf.zerosLike(sumSq))) as T;
    return tf.div(x, tf.where(hasDirection, tf.sqrt(clamped), tf.fill(sumSq.shape, Infinity))) as T;
  });
}
