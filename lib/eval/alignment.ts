import * as tf from '@tensorflow/tfjs';

/**
 * Alignment (Wang & Isola 2020): how close positive pairs are on the unit sphere,
 * E ||f(x) - f(x+)||^alpha over L2-normalised embeddings. Lower is better; 0 = identical pairs,
 * 4 = antipodal (alpha = 2).
 * @param z1 [n, dim] embeddings of first views (normalised here)
 * @param z2 [n, dim] embeddings of their positives
 * @param alpha exponent > 0 (default 2)
 * @returns scalar in [0, 2^alpha]
 * @example clab.eval.alignment(z1, z2).print();
 */
export function alignment(z1: tf.Tensor2D, z2: tf.Tensor2D, alpha = 2): tf.Scalar {
  if (!(z1 instanceof tf.Tensor) || !(z2 instanceof tf.Tensor) || z1.rank !== 2 || z1.shape.join() !== z2.shape.join()) {
    throw new Error(`alignment: z1 and z2 must be 2-D tensors of the same shape [n, dim], got [${z1?.shape}] and [${z2?.shape}]`);
  }
  if (!(alpha > 0)) throw new Error(`alignment: alpha must be > 0, got ${alpha}`);
  return tf.tidy(() => {
    const n1 = tf.div(z1, tf.add(tf.norm(z1, 2, 1, true), 1e-12));
    const n2 = tf.div(z2, tf.add(tf.norm(z2, 2, 1, true), 1e-12));
    const dist = tf.sqrt(tf.add(tf.sum(tf.square(tf.sub(n1, n2)), 1), 1e-12)); // [n]
    return tf.mean(tf.pow(dist, alpha)) as tf.Scalar;
  });
}
