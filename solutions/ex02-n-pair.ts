/**
 * Exercise 2 - the multi-class N-pair loss (InfoNCE with explicit negatives).
 *
 * Each anchor a_b has one positive p_b and M negatives n_b1..n_bM, so M + 1 candidates. Scores are
 * plain dot products divided by a temperature tau:
 *
 *   s_b+ = a_b . p_b / tau,   s_bm = a_b . n_bm / tau
 *   l_b  = -log( exp(s_b+) / (exp(s_b+) + sum_m exp(s_bm)) )
 *
 * and the loss is the MEAN of l_b over the batch. With one negative (M = 1) this is the logistic
 * loss softplus(s_b1 - s_b+), not a multi-class softmax.
 * Check: if every negative equals the positive, all M + 1 scores tie and the loss is log(M + 1).
 */
import * as tf from '@tensorflow/tfjs';

/** Options for {@link nPairLoss}. */
export interface NPairLossOptions {
  /** Softmax temperature tau > 0; default 1. */
  temperature?: number;
}

/**
 * N-pair loss: softmax cross-entropy of picking the positive among 1 positive + M negatives.
 * @param anchor [B, D] anchor embeddings
 * @param positive [B, D] row b is the positive of anchor b
 * @param negatives [B, M, D] negatives[b][m] is the m-th negative of anchor b
 * @param options `temperature` tau > 0 (default 1)
 * @returns scalar: (1/B) sum_b -log softmax([s_b+, s_b1, ..., s_bM])[0]
 * @example
 * const a = tf.tensor2d([[1, 0]]), p = tf.tensor2d([[1, 0]]), n = tf.tensor3d([[[1, 0], [1, 0]]]);
 * nPairLoss(a, p, n).print(); // every score ties: log(3)
 * WARNING: subtract each row's maximum score before exp (log-sum-exp); with tau = 0.01 the
 * scores reach the thousands and exp overflows to Infinity. Dot products, not cosines.
 */
export function nPairLoss(
  anchor: tf.Tensor2D,
  positive: tf.Tensor2D,
  negatives: tf.Tensor3D,
  options: NPairLossOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? 1;
  if (!(Number.isFinite(temperature) && temperature > 0)) throw new Error(`nPairLoss: temperature must be a finite number > 0, got ${temperature}`);
  const [batch, dim] = anchor.shape;
  if (positive.shape.join() !== anchor.shape.join() || negatives.rank !== 3 || negatives.shape[0] !== batch || negatives.shape[2] !== dim) {
    throw new Error(
      `nPairLoss: expected anchor and positive [B, D] and negatives [B, M, D], got [${anchor.shape}], [${positive.shape}], [${negatives.shape}]`,
    );
  }
  return tf.tidy(() => {
    // BEGIN SOLUTION
    // Step 1: the positive score of each anchor, a_b . p_b / tau.
    const posScore = tf.div(tf.sum(tf.mul(anchor, positive), 1, true), temperature); // [B, 1]
    // Step 2: the M negative scores, a_b . n_bm / tau. Give the anchor a middle axis of size 1
    // so it broadcasts against the M negatives, multiply, and sum over D.
    const negScores = tf.div(tf.sum(tf.mul(tf.expandDims(anchor, 1), negatives), 2), temperature); // [B, M]
    // Step 3: all M + 1 candidates in one row, the positive in column 0.
    const logits = tf.concat([posScore, negScores], 1); // [B, 1 + M]
    // Step 4: l_b = logsumexp(logits_b) - logits_b0, made stable by subtracting the row maximum
    // first: logsumexp(x) = max(x) + log(sum exp(x - max(x))), and every exp is now <= 1.
    const rowMax = tf.max(logits, 1, true); // [B, 1]
    const logSumExp = tf.add(rowMax, tf.log(tf.sum(tf.exp(tf.sub(logits, rowMax)), 1, true))); // [B, 1]
    const perRow = tf.sub(logSumExp, posScore); // [B, 1]
    // Step 5: average over the batch.
    return tf.mean(perRow) as tf.Scalar;
    // END SOLUTION
  });
}
