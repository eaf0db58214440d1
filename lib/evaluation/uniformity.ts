import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkTensor, l2Normalize } from '../tensor';

/**
 * Uniformity (Wang & Isola 2020): log E_{i<j} exp(-t ||z_i - z_j||^2) over L2-normalised
 * embeddings. Lower is better (more spread out); all points equal gives 0; the uniform
 * distribution on a high-dimensional sphere approaches -2t.
 * @param z [n, dim] embeddings (n >= 2; normalised here)
 * @param t scale > 0 (default 2)
 * @returns scalar <= 0
 * @example clab.evaluation.uniformity(z).print();
 * WARNING: cost and memory are n^2; use a few thousand points at most.
 */
export function uniformity(z: tf.Tensor2D, t = 2): tf.Scalar {
  checkTensor('uniformity', 'z', z, { layout: '[n, dim]', minRows: 2 });
  checkPositive('uniformity', 't', t);
  const n = z.shape[0];
  return tf.tidy(() => {
    const zn = l2Normalize(z);
    const gram = tf.matMul(zn, tf.transpose(zn)); // [n, n]
    const sq = tf.maximum(tf.sub(2, tf.mul(2, gram)), 0); // ||zi - zj||^2 for unit vectors
    // keep pairs i < j only: -Infinity would give NaN in the max-shift, so a large finite constant
    const upper = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), 0, -1), tf.eye(n)); // 1 where j > i
    const logits = tf.sub(tf.mul(-t, sq), tf.mul(tf.sub(1, upper), 1e9));
    const pairs = (n * (n - 1)) / 2;
    return tf.sub(tf.logSumExp(tf.reshape(logits, [-1])), Math.log(pairs)) as tf.Scalar;
  });
}
