import * as tf from '@tensorflow/tfjs';
import { checkNumber, checkSameShape, checkTensor } from '../tensor';

/**
 * The optimal InfoNCE critic for the Gaussian pairs of sampleCorrelatedGaussians, in closed form:
 * scores[i][j] = log p(y_j | x_i) / p(y_j), the pointwise mutual information of x_i and y_j.
 * Row i's positive is column i.
 *
 * With p(y|x) = N(rho x, (1 - rho^2) I) and p(y) = N(0, I):
 *   scores[i][j] = -(dim/2) log(1 - rho^2)
 *                  + (2 rho x_i.y_j - rho^2 |x_i|^2 - rho^2 |y_j|^2) / (2 (1 - rho^2)).
 * Its diagonal averages to I(x; y) = gaussianMI(rho, dim). Under a row softmax the terms that
 * depend only on i cancel; the |y_j|^2 term does NOT, so log p(y|x) alone is not optimal here.
 * @param x [N, dim]
 * @param y [N, dim], y_i paired with x_i
 * @param rho the correlation the pairs were drawn with, in (-1, 1)
 * @returns scores [N, N] (natural log)
 * @example const s = gaussianCritic(x, y, rhoForMI(4, 20)); // [N, N]
 * WARNING: rho must be the one the data were drawn with; any other rho gives a valid but loose bound.
 */
export function gaussianCritic(x: tf.Tensor2D, y: tf.Tensor2D, rho: number): tf.Tensor2D {
  checkCriticArgs('gaussianCritic', x, y, rho, 2);
  return tf.tidy(() => criticScores(x, y, rho) as tf.Tensor2D);
}

/**
 * Batched variant of {@link gaussianCritic}: x, y [T, N, dim] -> scores [T, N, N].
 * WARNING: for N >= 256 the per-trial products go through host copies (fast on WASM), so no
 * gradient flows through this variant there; use {@link gaussianCritic} to differentiate.
 */
export function gaussianCriticBatched(x: tf.Tensor3D, y: tf.Tensor3D, rho: number): tf.Tensor3D {
  checkCriticArgs('gaussianCriticBatched', x, y, rho, 3);
  return tf.tidy(() => criticScores(x, y, rho) as tf.Tensor3D);
}

/**
 * scores = xa . ya^T with augmented rows xa_i = [k x_i, 1, r_i], ya_j = [y_j, c_j, 1], where
 * k = rho / (1 - rho^2), r_i = c0 - rho^2 |x_i|^2 / (2 (1 - rho^2)) and c_j = -rho^2 |y_j|^2 / (2 (1 - rho^2)):
 * one matrix product gives every term, no [N, N]-sized elementwise passes.
 */
function criticScores(x: tf.Tensor, y: tf.Tensor, rho: number): tf.Tensor {
  const dim = x.shape[x.rank - 1];
  const r2 = rho * rho;
  const denom = 2 * (1 - r2);
  const c0 = -(dim / 2) * Math.log1p(-r2);
  const rowBias = tf.add(tf.mul(tf.sum(tf.square(x), -1, true), -r2 / denom), c0); // [.., N, 1]
  const colBias = tf.mul(tf.sum(tf.square(y), -1, true), -r2 / denom); // [.., N, 1]
  const ones = tf.onesLike(rowBias);
  const xa = tf.concat([tf.mul(x, rho / (1 - r2)), ones, rowBias], -1); // [.., N, dim + 2]
  const ya = tf.concat([y, colBias, ones], -1); // [.., N, dim + 2]
  return matMulTransposeB(xa, ya);
}

/**
 * a . b^T for rank 2 or 3. The WASM backend runs a rank-2 product on XNNPACK but a batched one
 * on a plain loop kernel, about 2x slower for N >= 256 here; for small N the per-op overhead of
 * a loop costs more than it saves, so small batches stay one batched product.
 */
function matMulTransposeB(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 2) return tf.matMul(a as tf.Tensor2D, tf.transpose(b as tf.Tensor2D)); // [N, N]
  const [t, n, k] = a.shape;
  const bt = tf.transpose(b, [0, 2, 1]); // [T, k, N]
  if (n < 256) return tf.matMul(a as tf.Tensor3D, bt as tf.Tensor3D); // [T, N, N]
  // Per-trial operands from host copies: tf.slice of a [T, ...] tensor is slow on tfjs-wasm.
  const av = a.dataSync();
  const bv = bt.dataSync();
  const products = [];
  for (let i = 0; i < t; i++) {
    const ai = tf.tensor2d(av.subarray(i * n * k, (i + 1) * n * k), [n, k]);
    const bi = tf.tensor2d(bv.subarray(i * n * k, (i + 1) * n * k), [k, n]);
    products.push(tf.matMul(ai, bi)); // [N, N]
  }
  return tf.stack(products); // [T, N, N]
}

function checkCriticArgs(fn: string, x: tf.Tensor, y: tf.Tensor, rho: number, rank: number): void {
  const layout = rank === 2 ? '[N, dim]' : '[T, N, dim]';
  checkTensor(fn, 'x', x, layout);
  checkTensor(fn, 'y', y, layout);
  checkSameShape(fn, 'x', x, 'y', y);
  checkNumber(fn, 'rho', rho, { above: -1, below: 1 });
}
