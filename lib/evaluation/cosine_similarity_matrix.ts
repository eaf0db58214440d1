import * as tf from '@tensorflow/tfjs';
import { checkSameWidth, checkTensor, l2Normalize } from '../tensor';

/**
 * All pairwise cosine similarities between the rows of a and of b.
 * @param a [n, dim]
 * @param b [m, dim] (default a)
 * @returns [n, m] with entries in [-1, 1]
 * @example const s = clab.evaluation.cosineSimilarityMatrix(z); // [n, n], ones on the diagonal
 */
export function cosineSimilarityMatrix(a: tf.Tensor2D, b: tf.Tensor2D = a): tf.Tensor2D {
  const fn = 'cosineSimilarityMatrix';
  checkTensor(fn, 'a', a, '[n, dim]');
  checkTensor(fn, 'b', b, '[m, dim]');
  checkSameWidth(fn, 'a', a, 'b', b);
  return tf.tidy(() => tf.matMul(l2Normalize(a), tf.transpose(l2Normalize(b)))); // [n, m]
}
