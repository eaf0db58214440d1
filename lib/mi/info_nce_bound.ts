import * as tf from '@tensorflow/tfjs';
import { infoNCE } from '../losses/info_nce';
import { checkTensor } from '../tensor';

/**
 * The InfoNCE lower bound on I(x; y) from one batch of critic scores: log N - L, where
 * L = mean over rows i of -log softmax_j(scores[i])[i] (natural log; row i's positive is
 * column i; the N - 1 other columns are its negatives).
 *
 * For any critic, E[log N - L] <= I(x; y) (Poole et al. 2019, section 3), and since L >= 0 the
 * value is never above log N: the bound saturates at log N however large I is.
 * @param scores [N, N], N >= 2; scores[i][j] = f(x_i, y_j)
 * @returns log N - L, a number <= log N
 * @example infoNCEBound(gaussianCritic(x, y, rho)) // about min(I, log N) minus a gap
 */
export function infoNCEBound(scores: tf.Tensor2D): number {
  checkScores('infoNCEBound', scores, 2);
  const n = scores.shape[0];
  // One implementation of the loss for single batches: lib/losses' infoNCE.
  const loss = infoNCE(scores);
  const value = loss.dataSync()[0];
  loss.dispose();
  return Math.log(n) - value;
}

/**
 * Batched variant: scores [T, N, N] -> the T per-trial bounds log N - L_t (Float64Array).
 * Same loss as lib/losses' infoNCE on each [N, N] slice (tested), vectorised over trials.
 */
export function infoNCEBoundBatched(scores: tf.Tensor3D): Float64Array {
  checkScores('infoNCEBoundBatched', scores, 3);
  const n = scores.shape[1];
  const loss = tf.tidy(() => rowSoftmaxCE(scores));
  const values = loss.dataSync();
  loss.dispose();
  const out = new Float64Array(values.length);
  for (let t = 0; t < values.length; t++) out[t] = Math.log(n) - values[t];
  return out;
}

/** Per-trial mean over rows of -log softmax(row)[diagonal]: [T, N, N] -> [T]. */
function rowSoftmaxCE(scores: tf.Tensor3D): tf.Tensor1D {
  const [t, n] = scores.shape;
  const lse = tf.logSumExp(scores, 2); // [T, N]
  const diagIdx = tf.range(0, n * n, n + 1, 'int32'); // flat indices of (i, i)
  const diag = tf.gather(tf.reshape(scores, [t, n * n]), diagIdx, 1); // [T, N]
  // lse >= max >= diagonal in float arithmetic too, so every per-row loss is >= 0.
  return tf.mean(tf.sub(lse, diag), 1) as tf.Tensor1D;
}

function checkScores(fn: string, scores: tf.Tensor, rank: number): void {
  const want = rank === 2 ? '[N, N]' : '[T, N, N]';
  checkTensor(fn, 'scores', scores, want);
  const [a, b] = scores.shape.slice(-2);
  if (a !== b) throw new Error(`${fn}: scores must be square ${want} (row i's positive at column i), got shape [${scores.shape}]`);
  if (a < 2) throw new Error(`${fn}: scores must have N >= 2 (one positive and at least one negative per row), got N = ${a}`);
}
