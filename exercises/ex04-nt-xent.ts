// Generated from solutions/ex04-nt-xent.ts by `npm run gen:exercises`.
// Students: write your code between the TODO markers. Instructors: edit the solution and regenerate.
/**
 * Exercise 4 - the NT-Xent loss of SimCLR.
 *
 * A batch of N images gives 2N augmented views and their projections z1 (view 1) and z2 (view 2).
 * For anchor i the positive is the other view of the same image; the other 2N - 2 views are the
 * negatives, and the anchor itself is NOT a candidate. With cosine similarity
 * sim(u, v) = u.v / (|u| |v|):
 *
 *   l_i = -log( exp(sim(z_i, z_pos(i)) / tau) / sum_{k != i} exp(sim(z_i, z_k) / tau) )
 *
 * and the loss is the MEAN of l_i over all 2N anchors (both views act as anchors). Google's SimCLR
 * code reports twice this value (a sum of the two directions); we use the mean.
 * Check: if all 2N embeddings are equal, every similarity is 1 and the loss is log(2N - 1).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * NT-Xent (normalised temperature-scaled cross entropy) over the 2N views of a batch.
 * @param z1 [N, dim] projections of the first views (not necessarily normalised)
 * @param z2 [N, dim] projections of the second views; row i is the positive of z1 row i
 * @param temperature tau > 0 (default 0.5)
 * @returns scalar: mean over the 2N anchors of -log softmax(positive) with self excluded
 * @example
 * const z = tf.randomNormal([4, 8]) as tf.Tensor2D;
 * ntXentLoss(z, z).print(); // small: each view's positive is itself from the other side
 * WARNING: mask the anchor's own similarity by subtracting a large constant (or tf.where);
 * multiplying its logit by 0 leaves exp(0) = 1 in the denominator, and `mask * -Infinity`
 * gives NaN (0 * -Infinity). Subtract the row maximum before exp (log-sum-exp): small
 * temperatures overflow.
 */
export function ntXentLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature = 0.5): tf.Scalar {
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex04 ntXentLoss: not implemented yet - write your code between the TODO markers in exercises/ex04-nt-xent.ts');
  // TODO END
}
