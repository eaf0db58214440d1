import * as tf from '@tensorflow/tfjs';
import { checkPositive, checkSameShape, checkTensor, NORM_EPS } from '../tensor';
import { MASKED_LOGIT } from './softmax_cross_entropy';

/** Options for {@link ntXent}. */
export interface NtXentOptions {
  /**
   * Softmax temperature tau > 0; default 0.5, SimCLR's value for CIFAR-10 (its ImageNet runs use
   * 0.1), so the loss matches the paper's out of the box. trainSimCLR passes 0.2, the value
   * validated on MNIST (see CommonTrainConfig.temperature).
   */
  temperature?: number;
}

/**
 * Largest log(1 / p) for which the loss is read off the target's softmax probability p directly.
 * Cosines lie in [-1, 1], so every logit is within 2/tau of the row maximum and
 * p >= exp(-2/tau) / (2N - 1); below exp(-60) (far above float32's smallest normal, exp(-87))
 * the log-sum-exp is taken from the row maximum instead (small temperatures).
 */
const MAX_TARGET_LOG_RATIO = 60;

/**
 * NT-Xent, SimCLR's normalised temperature-scaled cross-entropy, over 2N anchors.
 *
 * The 2N views z = [z1; z2] are L2-normalised (cosine similarity). Anchor i's positive is the
 * other view of the same sample (i +- N); its negatives are the other 2N-2 views; its own
 * self-similarity is masked out of the softmax (overwritten with a large negative constant, not
 * multiplied by 0, which would leave exp(0) = 1 in the denominator). So each anchor has 2N-1
 * candidates:
 *
 *   l_i = -log( exp(s(i, pos(i))/tau) / sum_{j != i} exp(s(i, j)/tau) ),  loss = (1/2N) sum_i l_i.
 *
 * @param z1 [N, D] first view's embeddings (any norm; normalised here)
 * @param z2 [N, D] second view's embeddings, row i pairs with z1 row i
 * @param options `temperature` tau > 0 (default 0.5)
 * @returns scalar, the MEAN over the 2N anchors; equals log(2N - 1) when all embeddings coincide
 * @example
 * const loss = ntXent(g(f(view1)), g(f(view2)), { temperature: 0.5 });
 * WARNING: Google's SimCLR code reports twice this value (it sums the two directions' means);
 * lightly and pytorch-metric-learning report this mean.
 */
export function ntXent(z1: tf.Tensor2D, z2: tf.Tensor2D, options: NtXentOptions = {}): tf.Scalar {
  const fn = 'ntXent';
  checkTensor(fn, 'z1', z1, '[N, D]');
  checkTensor(fn, 'z2', z2, '[N, D]');
  checkSameShape(fn, 'z1', z1, 'z2', z2);
  const temperature = options.temperature ?? 0.5;
  checkPositive(fn, 'temperature', temperature);
  return tf.tidy(() => ntXentFused(tf.concat([z1, z2], 0) as tf.Tensor2D, temperature)); // [2N, D]
}

/** Row i, column idx(i) as [rows, 2] int32 pairs (for scatter). */
function rowPairs(rows: number, idx: (i: number) => number): tf.Tensor2D {
  const pairs = new Int32Array(rows * 2);
  for (let i = 0; i < rows; i++) (pairs[2 * i] = i), (pairs[2 * i + 1] = idx(i));
  return tf.tensor2d(pairs, [rows, 2], 'int32');
}

/** Entries (i, idx(i)) of a [rows, cols] matrix, as a [rows] vector. */
function pick(m: tf.Tensor2D, idx: (i: number) => number): tf.Tensor1D {
  const [rows, cols] = m.shape;
  return tf.gather(tf.reshape(m, [-1]), tf.tensor1d(Int32Array.from({ length: rows }, (_, i) => i * cols + idx(i)), 'int32'));
}

/**
 * NT-Xent of the stacked views z [2N, D] as ONE op with a hand-written gradient.
 *
 * Forward: u = z / max(|z|, eps), S = (u / tau) u^T (one matrix product), the diagonal set to
 * MASKED_LOGIT, P = softmax(S) (one fused kernel), loss = -mean_i log P[i, pos(i)].
 * Backward, with G = dL/dS = (P - Y) / 2N (Y the one-hot of the positives): S is symmetric, so
 * dL/du = (G + G^T) u / tau - ONE [2N, 2N] x [2N, D] product where autodiff of u u^T makes two
 * (one of them transposed). Y is a symmetric permutation (pos(pos(i)) = i), so
 * G + G^T = (P + P^T - 2Y) / 2N, written without a one-hot by overwriting the 2N target entries.
 * Nothing of the forward pass is recomputed: P, u and 1/|z| are kept for the gradient.
 */
function ntXentFused(z: tf.Tensor2D, temperature: number): tf.Scalar {
  const [anchors] = z.shape;
  const n = anchors / 2;
  const positive = (i: number) => (i + n) % anchors; // view i <-> i +- N
  const fromTarget = 2 / temperature + Math.log(Math.max(anchors - 1, 1)) <= MAX_TARGET_LOG_RATIO;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zIn, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    // lib/tensor's epsilon policy (l2Normalize, 'rsqrt' arithmetic): a row of norm < NORM_EPS has
    // no direction, so its 1/|z| is 0: it maps to 0 and passes no gradient.
    const sumSq = tf.sum(tf.square(zIn), 1, true); // [2N, 1]
    const hasDirection = tf.greaterEqual(sumSq, NORM_EPS * NORM_EPS); // [2N, 1]
    const inv = tf.where(hasDirection, tf.rsqrt(tf.maximum(sumSq, NORM_EPS * NORM_EPS)), tf.zerosLike(sumSq)); // [2N, 1]
    const u = tf.mul(zIn, inv) as tf.Tensor2D; // [2N, D] unit rows (0 for a row without direction)
    const logits = tf.matMul(tf.mul(u, 1 / temperature) as tf.Tensor2D, tf.transpose(u)); // [2N, 2N] cosine / tau; 1/tau on the thin side
    const masked = tf.tensorScatterUpdate(logits, rowPairs(anchors, (i) => i), tf.fill([anchors], MASKED_LOGIT)) as tf.Tensor2D;
    const p = tf.softmax(masked) as tf.Tensor2D; // [2N, 2N], row max subtracted inside the kernel
    let value: tf.Scalar;
    if (fromTarget) {
      // p[i, pos(i)] >= exp(-60): log is exact enough. 0 - mean, not neg(mean): N = 1 gives +0, not -0.
      value = tf.sub(0, tf.mean(tf.log(pick(p, positive)))) as tf.Scalar;
    } else {
      // log-sum-exp = rowMax - log(max_j p_ij): the largest probability is >= 1/(2N-1), no underflow.
      const logSumExp = tf.sub(tf.max(masked, 1), tf.log(tf.max(p, 1))); // [2N]
      value = tf.mean(tf.sub(logSumExp, pick(masked, positive))) as tf.Scalar;
    }
    save([p, u, inv]);
    return {
      value,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [ps, us, invs] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const sym = tf.add(ps, tf.transpose(ps)) as tf.Tensor2D; // P + P^T [2N, 2N]
        const atTargets = tf.sub(pick(sym, positive), 2); // [2N]: (P + P^T - 2Y) at the positives
        const g = tf.tensorScatterUpdate(sym, rowPairs(anchors, positive), atTargets) as tf.Tensor2D; // 2N (G + G^T)
        const du = tf.mul(tf.matMul(g, us), tf.mul(dy, 1 / (anchors * temperature))); // [2N, D] dL/du
        // Through u = z / |z|: dz = (du - u (u . du)) / |z|; a row without direction has 1/|z| = 0.
        const radial = tf.sum(tf.mul(du, us), 1, true); // [2N, 1]
        return tf.mul(tf.sub(du, tf.mul(us, radial)), invs); // [2N, D]
      },
    };
  }) as never) as (z: tf.Tensor2D) => tf.Scalar;
  return op(z);
}
