import * as tf from '@tensorflow/tfjs';
import { checkTensor } from '../tensor';
import { softmaxCrossEntropy } from './softmax_cross_entropy';

/**
 * InfoNCE on a square score matrix: row i's positive is column i, the other N-1 columns of the
 * row are its negatives; the loss is the row-wise softmax cross-entropy, averaged over rows.
 *
 * loss = -(1/N) sum_i log( exp(s_ii) / sum_j exp(s_ij) ). With N candidates per row the
 * InfoNCE bound reads I(x; y) >= log N - loss. Temperature, if any, is already in the scores.
 * Adding a constant to a row does not change the loss (softmax is shift-invariant).
 *
 * @param scores [N, N] critic scores f(x_i, y_j), positives on the diagonal
 * @returns scalar, mean over the N rows (>= 0; equals log N when every score is equal)
 * @example
 * const scores = tf.matMul(x, y, false, true); // [N, N] from paired embeddings x, y [N, D]
 * const loss = infoNCE(scores);
 * WARNING: the positive must be at column i of row i; shuffle x and y together, not apart.
 */
export function infoNCE(scores: tf.Tensor2D): tf.Scalar {
  const fn = 'infoNCE';
  checkTensor(fn, 'scores', scores, '[N, N]');
  const [rows, cols] = scores.shape;
  if (rows !== cols) {
    throw new Error(
      `${fn}: scores must be square [N, N] (row i's positive is column i), got [${rows},${cols}]; ` +
        `for one positive plus separate negatives use nPairLoss or mocoInfoNCE`,
    );
  }
  const diagonal = Array.from({ length: rows }, (_, i) => i);
  return softmaxCrossEntropy(scores, diagonal);
}
