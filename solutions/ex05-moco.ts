/**
 * Exercise 5 - the three moving parts of MoCo.
 *
 * 1. The key encoder is not trained by gradient (the queue of old keys is not differentiable);
 *    it follows the query encoder by momentum: theta_k <- m theta_k + (1 - m) theta_q.
 * 2. The dictionary is a FIFO queue of the K most recent keys: after each step the batch's B keys
 *    are appended (newest LAST) and the oldest B are dropped, so its size stays K.
 * 3. The loss for query q with positive key k+ and the K queued keys as negatives:
 *      L = -log( exp(q.k+ / tau) / (exp(q.k+ / tau) + sum_j exp(q.queue_j / tau)) )
 *    i.e. cross entropy over K + 1 logits with the positive at index 0, averaged over the batch.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The momentum (exponential moving average) update of the key encoder's parameters.
 * @param key the key encoder's parameters, any shapes
 * @param query the query encoder's parameters, the same shapes in the same order
 * @param m momentum in [0, 1]: m = 1 keeps the key encoder, m = 0 copies the query encoder
 * @returns new tensors m * key[i] + (1 - m) * query[i] (the inputs are not changed or disposed)
 * @example momentumUpdate([tf.scalar(1)], [tf.scalar(0)], 0.9)[0].print(); // 0.9
 * WARNING: it is m on the KEY side; swapping the roles makes the key encoder nearly a copy.
 */
export function momentumUpdate(key: tf.Tensor[], query: tf.Tensor[], m: number): tf.Tensor[] {
  // BEGIN SOLUTION
  if (key.length !== query.length) {
    throw new Error(`momentumUpdate: key and query must have the same number of tensors, got ${key.length} and ${query.length}`);
  }
  if (!(m >= 0 && m <= 1)) throw new Error(`momentumUpdate: m must be in [0, 1], got ${m}`);
  key.forEach((k, i) => {
    if (k.shape.join() !== query[i].shape.join()) {
      throw new Error(`momentumUpdate: tensor ${i} has shape [${k.shape}] in key and [${query[i].shape}] in query`);
    }
  });
  return key.map((k, i) => tf.tidy(() => tf.add(tf.mul(k, m), tf.mul(query[i], 1 - m))));
  // END SOLUTION
}

/**
 * MoCo's FIFO dictionary update.
 * @param queue [K, dim] the current keys, oldest first
 * @param keys [B, dim] the new keys, B <= K
 * @returns a new [K, dim] tensor: queue without its first (oldest) B rows, then `keys` (newest last)
 * @example enqueue(tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[4]])).print(); // [[2], [3], [4]]
 * WARNING: keep the size K fixed (drop exactly B rows) and append at the END; the inputs are not disposed.
 */
export function enqueue(queue: tf.Tensor2D, keys: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION
  if (queue.rank !== 2 || keys.rank !== 2 || queue.shape[1] !== keys.shape[1]) {
    throw new Error(`enqueue: queue [K, dim] and keys [B, dim] must have the same dim, got [${queue.shape}] and [${keys.shape}]`);
  }
  const [size, dim] = queue.shape;
  const b = keys.shape[0];
  if (b > size) throw new Error(`enqueue: B = ${b} keys do not fit in a queue of K = ${size}`);
  return tf.tidy(() => tf.concat([tf.slice(queue, [b, 0], [size - b, dim]), keys], 0) as tf.Tensor2D);
  // END SOLUTION
}

/**
 * The MoCo (InfoNCE) loss with a queue of negatives.
 * @param q [B, dim] queries, rows already L2-normalised
 * @param k [B, dim] positive keys, rows already L2-normalised; k row i is the positive of q row i
 * @param queue [K, dim] negative keys, rows already L2-normalised
 * @param temperature tau > 0 (default 0.07)
 * @returns scalar: mean over the B queries of cross entropy on logits [q.k, q queue^T] / tau with the positive first
 * @example
 * // q = k and a queue orthogonal to both: logits [1/tau, 0, ..., 0]
 * mocoLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]]), 1).print(); // log(1 + e^-1)
 * WARNING: the positive logit is the row-wise dot product q_i . k_i (a [B, 1] column), not the
 * full q k^T matrix; do not normalise again and do not forget to divide by tau.
 */
export function mocoLoss(q: tf.Tensor2D, k: tf.Tensor2D, queue: tf.Tensor2D, temperature = 0.07): tf.Scalar {
  // BEGIN SOLUTION
  if (q.rank !== 2 || k.rank !== 2 || q.shape.join() !== k.shape.join()) {
    throw new Error(`mocoLoss: q and k must have the same shape [B, dim], got [${q.shape}] and [${k.shape}]`);
  }
  if (queue.rank !== 2 || queue.shape[1] !== q.shape[1]) {
    throw new Error(`mocoLoss: queue must be [K, ${q.shape[1]}], got [${queue.shape}]`);
  }
  if (!(temperature > 0)) throw new Error(`mocoLoss: temperature must be > 0, got ${temperature}`);
  return tf.tidy(() => {
    const pos = tf.sum(tf.mul(q, k), 1, true); // [B, 1]
    const neg = tf.matMul(q, queue, false, true); // [B, K]
    const logits = tf.div(tf.concat([pos, neg], 1), temperature); // [B, 1 + K]
    const logProbPos = tf.sub(tf.slice(logits, [0, 0], [-1, 1]), tf.logSumExp(logits, 1, true)); // [B, 1]
    return tf.neg(tf.mean(logProbPos)) as tf.Scalar;
  });
  // END SOLUTION
}
