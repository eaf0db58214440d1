import * as tf from '@tensorflow/tfjs';
import { checkTensor } from '../tensor';

/** Value written over excluded logits: exp(MASKED_LOGIT - rowMax) is exactly 0 in float32. */
export const MASKED_LOGIT = -1e9;

/** Options for {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions {
  /**
   * Per row, one column to leave out of the softmax (e.g. the self-similarity in NT-Xent), or
   * omit for none. The entry is overwritten with {@link MASKED_LOGIT} (set, never multiplied).
   */
  exclude?: ArrayLike<number>;
}

function checkIndices(fn: string, name: string, idx: ArrayLike<number>, rows: number, cols: number): void {
  if (idx.length !== rows) {
    throw new Error(`${fn}: ${name} must have one column index per row (${rows}), got ${idx.length}`);
  }
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    if (!Number.isInteger(j) || j < 0 || j >= cols) {
      throw new Error(`${fn}: ${name}[${i}] must be an integer in [0, ${cols - 1}], got ${j}`);
    }
  }
}

/** Row i, column idx[i] as [rows, 2] pairs (for scatter). */
function rowPairs(idx: ArrayLike<number>): tf.Tensor2D {
  const pairs = new Int32Array(idx.length * 2);
  for (let i = 0; i < idx.length; i++) {
    pairs[2 * i] = i;
    pairs[2 * i + 1] = idx[i];
  }
  return tf.tensor2d(pairs, [idx.length, 2], 'int32');
}

/** Flat offsets i * cols + idx[i] of row i, column idx[i] (for gather from the flattened matrix). */
function flatOffsets(idx: ArrayLike<number>, cols: number): tf.Tensor1D {
  return tf.tensor1d(Int32Array.from({ length: idx.length }, (_, i) => i * cols + idx[i]), 'int32');
}

/**
 * Mean softmax cross-entropy with one target column per row, fused and numerically stable,
 * with a hand-written gradient (softmax - onehot) / rows.
 *
 * loss = mean_i [ logsumexp_j x_ij - x_i,t_i ]. The log-sum-exp is taken as
 * `rowMax - log(max_j softmax(x)_ij)`: the softmax kernel subtracts the row max itself, and the
 * largest probability is >= 1/cols so its log never underflows, however small the temperature.
 * One fused softmax replaces the slow elementwise `exp` of WASM, and the gradient writes -1 into
 * the target entries by scatter instead of materialising a [rows, cols] one-hot.
 *
 * @param logits [rows, cols] float32 scores
 * @param targets length rows: the correct column of each row
 * @param options `exclude`: per row, a column left out of the softmax
 * @returns scalar mean over rows
 * @example
 * const loss = softmaxCrossEntropy(tf.tensor2d([[2, 0], [0, 2]]), [0, 1]); // log(1 + e^-2)
 * WARNING: logits must be > MASKED_LOGIT (-1e9) for `exclude` to mask; an excluded column must
 * not be the target.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor2D,
  targets: ArrayLike<number>,
  options: SoftmaxCrossEntropyOptions = {},
): tf.Scalar {
  const fn = 'softmaxCrossEntropy';
  checkTensor(fn, 'logits', logits, '[rows, cols]');
  const [rows, cols] = logits.shape;
  checkIndices(fn, 'targets', targets, rows, cols);
  const { exclude } = options;
  if (exclude !== undefined) {
    checkIndices(fn, 'options.exclude', exclude, rows, cols);
    for (let i = 0; i < rows; i++) {
      if (exclude[i] === targets[i]) {
        throw new Error(`${fn}: options.exclude[${i}] equals targets[${i}] (${targets[i]}); the target cannot be masked`);
      }
    }
  }
  // Copies, in case the caller reuses its arrays before the gradient runs. Index tensors are made
  // where they are used: the gradient runs after this call's tidy has ended.
  targets = Int32Array.from(targets);
  const excluded = exclude === undefined ? undefined : Int32Array.from(exclude);
  return tf.tidy(() => {
    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
      const [value, probs] = tf.tidy(() => {
        const xm = excluded ? tf.tensorScatterUpdate(x, rowPairs(excluded), tf.fill([rows], MASKED_LOGIT)) : x; // [rows, cols]
        const p = tf.softmax(xm); // [rows, cols], row max subtracted inside the kernel
        const rowMax = tf.max(xm, 1); // [rows]
        const logSumExp = tf.sub(rowMax, tf.log(tf.max(p, 1))); // [rows]
        const picked = tf.gather(tf.reshape(xm, [-1]), flatOffsets(targets, cols)); // [rows] = x[i, t_i]
        return [tf.mean(tf.sub(logSumExp, picked)), p] as [tf.Scalar, tf.Tensor2D];
      });
      save([probs]);
      return {
        value,
        gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
          const p = saved[0] as tf.Tensor2D;
          const scale = tf.div(dy, rows); // d(mean)/d(row loss) times upstream
          const g = tf.mul(p, scale); // [rows, cols]
          // Subtract the one-hot without building it: overwrite the R target entries.
          const atTarget = tf.mul(tf.sub(tf.gather(tf.reshape(p, [-1]), flatOffsets(targets, cols)), 1), scale); // [rows]
          return tf.tensorScatterUpdate(g, rowPairs(targets), atTarget);
        },
      };
    });
    return fused(logits) as tf.Scalar;
  });
}
