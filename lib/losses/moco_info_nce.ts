import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkSameShape, checkSameWidth, checkTensor } from '../tensor';
import { contrastiveCrossEntropy } from './contrastive_cross_entropy';
import { pairwiseDot } from './pairwise_dot';

/** Options for {@link mocoInfoNCE}. */
export interface MocoInfoNCEOptions {
  /**
   * Softmax temperature tau > 0; default 0.07, MoCo v1's value on ImageNet, so the loss matches
   * the paper's out of the box. trainMoCo passes 0.2, MoCo v2's value (see
   * CommonTrainConfig.temperature).
   */
  temperature?: number;
}

/**
 * MoCo's InfoNCE: each query against its positive key and K keys from the queue. (Exercise 5's
 * `mocoLoss(q, k, queue, temperature)` computes the same loss with a positional temperature;
 * the library's version takes an options object, like every loss here.)
 *
 * Logits per query b are [q_b . k_b, q_b . queue_1, ..., q_b . queue_K] / tau with the positive
 * first (column 0), so there are K+1 candidates:
 *
 *   loss = -(1/B) sum_b log( exp(q_b.k_b/tau) / (exp(q_b.k_b/tau) + sum_i exp(q_b.queue_i/tau)) ).
 *
 * @param q [B, D] queries from the query encoder, L2-normalised BY THE CALLER
 * @param k [B, D] positive keys from the momentum (key) encoder, L2-normalised by the caller
 * @param queue [K, D] queued keys from earlier batches, L2-normalised by the caller
 * @param options `temperature` tau > 0 (default 0.07)
 * @returns scalar, mean over the B queries; equals log(K+1) when all vectors coincide
 * @example
 * const loss = mocoInfoNCE(q, k, queue, { temperature: 0.07 });
 * WARNING: nothing is normalised here (unlike ntXent): pass unit vectors. In MoCo, k and queue
 * are not trained by gradient - take gradients only for the query encoder's variables - and
 * the current keys are enqueued AFTER the loss is computed.
 */
export function mocoInfoNCE(q: tf.Tensor2D, k: tf.Tensor2D, queue: tf.Tensor2D, options: MocoInfoNCEOptions = {}): tf.Scalar {
  const fn = 'mocoInfoNCE';
  checkTensor(fn, 'q', q, '[B, D]');
  checkTensor(fn, 'k', k, '[B, D]');
  checkTensor(fn, 'queue', queue, '[K, D]');
  checkSameShape(fn, 'q', q, 'k', k);
  checkSameWidth(fn, 'queue', queue, 'q', q);
  const temperature = options.temperature ?? 0.07;
  checkPositive(fn, 'temperature', temperature);
  return tf.tidy(() => {
    const qs = tf.mul(q, 1 / temperature) as tf.Tensor2D; // [B, D], 1/tau applied on the thin side
    const positive = tf.sum(tf.mul(qs, k), 1, true) as tf.Tensor2D; // [B, 1]
    // pairwiseDot computes the queue's gradient only if the queue is differentiated (MoCo: never).
    const negatives = pairwiseDot(qs, queue); // [B, K]
    return contrastiveCrossEntropy(positive, negatives); // positive first, no [B, 1+K] concat
  });
}
