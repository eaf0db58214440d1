import * as tf from '@tensorflow/tfjs';
import { checkNonNegative, checkSameShape, checkTensor } from '../tensor';

/** Options for {@link tripletLoss}. */
export interface TripletLossOptions {
  /** Required gap between the squared distances, >= 0; default 1 (as PyTorch's TripletMarginLoss). */
  margin?: number;
}

/**
 * Triplet loss with SQUARED Euclidean distances (as in the tutorial and FaceNet), mean over the batch:
 *
 *   loss = (1/B) sum_b max(0, ||a_b - p_b||^2 - ||a_b - n_b||^2 + margin).
 *
 * @param anchor [B, D]
 * @param positive [B, D], row b is similar to anchor b
 * @param negative [B, D], row b is dissimilar to anchor b
 * @param options `margin` >= 0 (default 1)
 * @returns scalar, mean over the batch; 0 once every negative is farther than its positive by the margin
 * @example const loss = tripletLoss(a, p, n, { margin: 0.2 });
 * WARNING: PyTorch's nn.TripletMarginLoss uses plain (not squared) distances; the values differ.
 */
export function tripletLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  options: TripletLossOptions = {},
): tf.Scalar {
  const fn = 'tripletLoss';
  checkTensor(fn, 'anchor', anchor, '[B, D]');
  checkTensor(fn, 'positive', positive, '[B, D]');
  checkTensor(fn, 'negative', negative, '[B, D]');
  checkSameShape(fn, 'anchor', anchor, 'positive', positive);
  checkSameShape(fn, 'anchor', anchor, 'negative', negative);
  const margin = options.margin ?? 1;
  checkNonNegative(fn, 'margin', margin);
  return tf.tidy(() => {
    const dPos = tf.sum(tf.square(tf.sub(anchor, positive)), 1); // [B]
    const dNeg = tf.sum(tf.square(tf.sub(anchor, negative)), 1); // [B]
    return tf.mean(tf.relu(tf.add(tf.sub(dPos, dNeg), margin))) as tf.Scalar;
  });
}
