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
  // BEGIN SOLUTION
  if (z1.rank !== 2 || z2.rank !== 2 || z1.shape.join() !== z2.shape.join()) {
    throw new Error(`ntXentLoss: z1 and z2 must have the same shape [N, dim], got [${z1.shape}] and [${z2.shape}]`);
  }
  if (!(temperature > 0)) throw new Error(`ntXentLoss: temperature must be > 0, got ${temperature}`);
  const [n] = z1.shape;
  return tf.tidy(() => {
    const z = tf.concat([z1, z2], 0); // [2N, dim]
    const zn = tf.div(z, tf.norm(z, 2, 1, true).add(1e-12)); // rows of unit length
    const sim = tf.matMul(zn, zn, false, true).div(temperature); // [2N, 2N]
    const self = tf.mul(tf.eye(2 * n), 1e9); // large, finite: exp(-1e9) = 0, no NaN
    const logits = tf.sub(sim, self);
    // the positive of row i is row i + N (first half) or i - N (second half)
    const posIndex = tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]);
    const labels = tf.oneHot(posIndex, 2 * n); // [2N, 2N]
    const logProb = tf.sub(logits, tf.logSumExp(logits, 1, true)); // log-softmax per row
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, logProb), 1))) as tf.Scalar;
  });
  // END SOLUTION
}
