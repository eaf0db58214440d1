import * as tf from '@tensorflow/tfjs';

/**
 * Scales each row to unit L2 norm (eps keeps an all-zero row finite).
 * @param z [batch, dim]
 * @returns [batch, dim] with ||row|| = 1
 * @example const zn = tf.tidy(() => clab.train.l2Normalize(z));
 */
export function l2Normalize(z: tf.Tensor2D): tf.Tensor2D {
  if (z.rank !== 2) throw new Error(`l2Normalize: z must be rank 2 [batch, dim], got shape [${z.shape}]`);
  return tf.tidy(() => tf.div(z, tf.sqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12))));
}
