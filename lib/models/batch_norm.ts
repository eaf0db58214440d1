import * as tf from '@tensorflow/tfjs';

/** Running-statistics momentum (as in PyTorch's BatchNorm default 0.1 = 1 - 0.9). */
const RUNNING_MOMENTUM = 0.9;
const EPS = 1e-5;

/** The four variables of one batch-norm layer over the last axis. */
export interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}

/** Creates batch-norm variables for `channels` features, registering them in `vars` under `prefix`. */
export function makeBatchNorm(vars: Map<string, tf.Variable>, prefix: string, channels: number): BatchNormVars {
  const bn: BatchNormVars = {
    gamma: tf.tidy(() => tf.variable(tf.ones([channels]), true)),
    beta: tf.tidy(() => tf.variable(tf.zeros([channels]), true)),
    movingMean: tf.tidy(() => tf.variable(tf.zeros([channels]), false)),
    movingVar: tf.tidy(() => tf.variable(tf.ones([channels]), false)),
  };
  vars.set(`${prefix}.gamma`, bn.gamma);
  vars.set(`${prefix}.beta`, bn.beta);
  vars.set(`${prefix}.moving_mean`, bn.movingMean);
  vars.set(`${prefix}.moving_var`, bn.movingVar);
  return bn;
}

/**
 * Batch norm over all axes but the last, optionally followed by ReLU. In training mode it uses
 * the batch statistics and updates the running averages (a side effect, not differentiated);
 * otherwise the running ones. In training mode the input goes through {@link batchNormTrain2d}
 * (as [rows, channels]), with the ReLU fused into its gradient.
 * @param x [batch, channels] or [batch, h, w, channels]
 * @param relu apply max(0, .) to the result (default false)
 */
export function applyBatchNorm(x: tf.Tensor, bn: BatchNormVars, training: boolean, relu = false): tf.Tensor {
  if (!training) {
    const y = tf.batchNorm(x, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, EPS);
    return relu ? tf.relu(y) : y;
  }
  if (x.rank === 2) return batchNormTrain2d(x as tf.Tensor2D, bn, relu);
  // [batch, h, w, c]: the statistics are over every axis but the last, i.e. over the rows of [batch*h*w, c].
  const channels = x.shape[x.rank - 1];
  return tf.reshape(batchNormTrain2d(tf.reshape(x, [-1, channels]) as tf.Tensor2D, bn, relu), x.shape);
}

function updateRunning(bn: BatchNormVars, mean: tf.Tensor, variance: tf.Tensor): void {
  tf.tidy(() => {
    const m = RUNNING_MOMENTUM;
    bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, m), tf.mul(tf.reshape(mean, [-1]), 1 - m)));
    bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, m), tf.mul(tf.reshape(variance, [-1]), 1 - m)));
  });
}

/** Rows per block of the first averaging pass: the power of two nearest below sqrt(n). */
function blockRows(n: number): number {
  return 2 ** Math.floor(Math.log2(Math.sqrt(n)));
}

/** Mean over the rows of the [1, n, 1, c] view, as [1, c]: one average pool. */
function poolRows(x: tf.Tensor, n: number, c: number, window = n): tf.Tensor4D {
  return tf.avgPool(tf.reshape(x, [1, n, 1, c]) as tf.Tensor4D, [window, 1], [window, 1], 'valid');
}

/**
 * Column means of [n, c] as [1, c], by average pooling over the rows of the [1, n, 1, c] view.
 * Why: WASM reduces over axis 0 by transposing first, and a [1, n] x [n, c] product (XNNPACK)
 * repacks its freshly made right operand on every call: 2.5 ms at [512, 1024] and 58 ms at a CNN
 * layer's [401408, 32], against 0.2 ms and 5 ms here. Long columns are averaged in two levels
 * (blocks of ~sqrt(n) rows, then the block means; a remainder of rows separately): a float32 sum
 * of n terms in one pass loses about n * 6e-8 of its terms' size, which at a CNN's 401 408 rows
 * made the first layer's batch-norm gradient 4% off; two levels lose about 2 sqrt(n) * 6e-8.
 */
function columnMeans(x: tf.Tensor2D): tf.Tensor2D {
  const [n, c] = x.shape;
  if (n === 1) return x;
  const r = blockRows(n);
  if (n < 4096) return tf.reshape(poolRows(x, n, c), [1, c]);
  const blocks = Math.floor(n / r);
  const blockMeans = poolRows(x, n, c, r); // [1, blocks, 1, c]: the first blocks * r rows, r at a time
  let mean = tf.reshape(poolRows(blockMeans, blocks, c), [1, c]);
  const tail = n - blocks * r;
  if (tail > 0) {
    const tailMean = tf.reshape(poolRows(tf.slice(x, [blocks * r, 0], [tail, c]), tail, c), [1, c]);
    mean = tf.add(tf.mul(mean, (blocks * r) / n), tf.mul(tailMean, tail / n));
  }
  return mean as tf.Tensor2D;
}

/**
 * Training-mode batch norm of a [batch, channels] input, optionally with the ReLU that follows
 * it, as one op with a hand-written gradient whose batch reductions are column means
 * ({@link columnMeans}). Why: autodiff of the textbook formula makes five reductions over the
 * batch axis per layer, which WASM runs slowly, and a separate ReLU adds a kernel and a mask each
 * way. Same values as the generic path (biased batch variance, eps 1e-5), and it updates the
 * running statistics the same way.
 * @param x [batch, channels], batch >= 2
 * @param relu return max(0, y) and mask the gradient with y > 0 (default false)
 * @returns [batch, channels]
 */
export function batchNormTrain2d(x: tf.Tensor2D, bn: BatchNormVars, relu = false): tf.Tensor2D {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = columnMeans(xIn); // [1, c]
    const centred = tf.sub(xIn, mean);
    const variance = columnMeans(tf.square(centred) as tf.Tensor2D); // [1, c], biased (as tf.moments)
    updateRunning(bn, mean, variance); // a side effect of the forward pass, not differentiated
    const invStd = tf.rsqrt(tf.add(variance, EPS)); // [1, c]
    const xHat = tf.mul(centred, invStd) as tf.Tensor2D; // [n, c]
    const y = tf.add(tf.mul(xHat, gamma), beta) as tf.Tensor2D; // [n, c]
    const out = relu ? tf.relu(y) : y;
    // The forward pass's tensors are freed before the backward one: keep copies of what it needs
    // (gamma too unless it is a variable, as it is in our models).
    const gammaKept = gamma instanceof tf.Variable;
    save([xHat, invStd, ...(relu ? [out] : []), ...(gammaKept ? [] : [gamma])]);
    return {
      value: out,
      gradFunc: (dOut: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xh, inv] = saved as [tf.Tensor2D, tf.Tensor2D];
        const kept = relu ? (saved[2] as tf.Tensor2D) : undefined;
        const g = gammaKept ? gamma : saved[saved.length - 1];
        const dy = kept === undefined ? dOut : (tf.mul(dOut, tf.step(kept)) as tf.Tensor2D); // ReLU: pass where y > 0
        const meanDy = columnMeans(dy); // [1, c] = dBeta / n
        const meanDyXh = columnMeans(tf.mul(dy, xh) as tf.Tensor2D); // [1, c] = dGamma / n
        // dx = gamma / std * (dy - mean(dy) - xHat * mean(dy * xHat))
        const dx = tf.mul(tf.mul(g, inv), tf.sub(tf.sub(dy, meanDy), tf.mul(xh, meanDyXh)));
        const n = xh.shape[0];
        return [dx, tf.reshape(tf.mul(meanDyXh, n), [-1]), tf.reshape(tf.mul(meanDy, n), [-1])];
      },
    };
  }) as never) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;
  return op(x, bn.gamma as unknown as tf.Tensor1D, bn.beta as unknown as tf.Tensor1D);
}
