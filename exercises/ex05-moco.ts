// Generated from solutions/ex05-moco.ts by `npm run gen:exercises`.
// Students: write your code between the TODO markers. Instructors: edit the solution and regenerate.
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
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex05 momentumUpdate: not implemented yet - write your code between the TODO markers in exercises/ex05-moco.ts');
  // TODO END
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
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex05 enqueue: not implemented yet - write your code between the TODO markers in exercises/ex05-moco.ts');
  // TODO END
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
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex05 mocoLoss: not implemented yet - write your code between the TODO markers in exercises/ex05-moco.ts');
  // TODO END
}
