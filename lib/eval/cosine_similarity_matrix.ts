import * as tf from '@tensorflow/tfjs';

/**
 * All pairwise cosine similarities between the rows of a and of b.
 * @param a [n, dim]
 * @param b [m, dim] (default a)
 * @returns [n, m] with entries in [-1, 1]
 * @example const s = clab.eval.cosineSimilarityMatrix(z); // [n, n], ones on the diagonal
 */
export function cosineSimilarityMatrix(a: tf.Tensor2D, b: tf.Tensor2D = a): tf.Tensor2D {
  if (!(a instanceof tf.Tensor) || !(b instanceof tf.Tensor) || a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[1]) {
    throw new Error(`cosineSimilarityMatrix: a and b must be 2-D with the same width [., dim], got [${a?.shape}] and [${b?.shape}]`);
  }
  return tf.tidy(() => {
    const an = tf.div(a, tf.add(tf.norm(a, 2, 1, true), 1e-12));
    const bn = tf.div(b, tf.add(tf.norm(b, 2, 1, true), 1e-12));
    return tf.matMul(an, tf.transpose(bn)); // [n, m]
  });
}
