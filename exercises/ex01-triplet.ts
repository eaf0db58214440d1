// Generated from solutions/ex01-triplet.ts by `npm run gen:exercises`.
// Students: write your code between the TODO markers. Instructors: edit the solution and regenerate.
/**
 * Exercise 1 - the triplet loss.
 *
 * An anchor a should be closer to its positive p (another view of the same thing) than to its
 * negative n (something else), by at least a margin. With SQUARED Euclidean distances, as in the
 * tutorial,
 *
 *   l_b = max(0, ||a_b - p_b||^2 - ||a_b - n_b||^2 + margin)
 *
 * and the loss is the MEAN of l_b over the batch (not the sum).
 * Check: once every negative is farther (squared) than its positive by the margin, the loss is 0;
 * if a, p and n are all equal, the loss equals the margin.
 */
import * as tf from '@tensorflow/tfjs';

/** Options for {@link tripletLoss}. */
export interface TripletLossOptions {
  /** Required gap between the squared distances, >= 0; default 1. */
  margin?: number;
}

/**
 * Triplet loss with squared Euclidean distances, mean over the batch.
 * @param anchor [B, D] anchor embeddings; row b is one triplet's anchor
 * @param positive [B, D] row b is the positive of anchor row b
 * @param negative [B, D] row b is the negative of anchor row b
 * @param options `margin` >= 0 (default 1)
 * @returns scalar: (1/B) sum_b max(0, ||a_b - p_b||^2 - ||a_b - n_b||^2 + margin)
 * @example
 * const a = tf.tensor2d([[0, 0]]), p = tf.tensor2d([[1, 0]]), n = tf.tensor2d([[0, 2]]);
 * tripletLoss(a, p, n, { margin: 1 }).print(); // max(0, 1 - 4 + 1) = 0
 * WARNING: squared distances, not plain ones (PyTorch's nn.TripletMarginLoss uses plain
 * distances, so its values differ); and the mean over the batch, not the sum.
 */
export function tripletLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negative: tf.Tensor2D,
  options: TripletLossOptions = {},
): tf.Scalar {
  const margin = options.margin ?? 1;
  if (!(Number.isFinite(margin) && margin >= 0)) throw new Error(`tripletLoss: margin must be a finite number >= 0, got ${margin}`);
  for (const [name, t] of [['positive', positive], ['negative', negative]] as const) {
    if (anchor.shape.join() !== t.shape.join()) {
      throw new Error(`tripletLoss: anchor and ${name} must have the same shape, got [${anchor.shape}] and [${t.shape}]`);
    }
  }
  return tf.tidy(() => {
    // TODO BEGIN: write your code here, then delete the throw below.
    throw new Error('ex01 tripletLoss: not implemented yet - write your code between the TODO markers in exercises/ex01-triplet.ts');
    // TODO END
  });
}
