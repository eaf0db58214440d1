import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkSameShape, checkTensor, l2Normalize } from '../tensor';

/**
 * Alignment (Wang & Isola 2020): how close positive pairs are on the unit sphere,
 * E ||f(x) - f(x+)||^alpha over L2-normalised embeddings. Lower is better; 0 = identical pairs,
 * 4 = antipodal (alpha = 2).
 * @param z1 [n, dim] embeddings of first views (normalised here)
 * @param z2 [n, dim] embeddings of their positives
 * @param alpha exponent > 0 (default 2)
 * @returns scalar in [0, 2^alpha]
 * @example clab.evaluation.alignment(z1, z2).print();
 */
export function alignment(z1: tf.Tensor2D, z2: tf.Tensor2D, alpha = 2): tf.Scalar {
  const fn = 'alignment';
  checkTensor(fn, 'z1', z1, '[n, dim]');
  checkTensor(fn, 'z2', z2, '[n, dim]');
  checkSameShape(fn, 'z1', z1, 'z2', z2);
  checkPositive(fn, 'alpha', alpha);
  return tf.tidy(() => {
    const diff = tf.sub(l2Normalize(z1), l2Normalize(z2)); // [n, dim]
    // 1e-12 keeps the gradient of sqrt finite for identical pairs (distance 0); not a normalisation eps.
    const dist = tf.sqrt(tf.add(tf.sum(tf.square(diff), 1), 1e-12)); // [n]
    return tf.mean(tf.pow(dist, alpha)) as tf.Scalar;
  });
}
