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
 * Batch norm over all axes but the last. In training mode it uses the batch statistics and
 * updates the running averages (a side effect, not differentiated); otherwise the running ones.
 * In training mode the input goes through {@link batchNormTrain2d} (as [rows, channels]).
 * @param x [batch, channels] or [batch, h, w, channels]
 */
export function applyBatchNorm(x: tf.Tensor, bn: BatchNormVars, training: boolean): tf.Tensor {
  if (!training) {
    return tf.batchNorm(x, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, EPS);
  }
  if (x.rank === 2) return batchNormTrain2d(x as tf.Tensor2D, bn);
  // [batch, h, w, c]: the statistics are over every axis but the last, i.e. over the rows of [batch*h*w, c].
  const channels = x.shape[x.rank - 1];
  return tf.reshape(batchNormTrain2d(tf.reshape(x, [-1, channels]) as tf.Tensor2D, bn), x.shape);
}

function updateRunning(bn: BatchNormVars, mean: tf.Tensor, variance: tf.Tensor): void {
  tf.tidy(() => {
    const m = RUNNING_MOMENTUM;
    bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, m), tf.mul(tf.reshape(mean, [-1]), 1 - m)));
    bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, m), tf.mul(tf.reshape(variance, [-1]), 1 - m)));
  });
}

/** Column sums as a [1, n] x [n, c] product (XNNPACK) instead of a reduction over axis 0. */
function columnSums(x: tf.Tensor2D, scale: number): tf.Tensor2D {
  return tf.matMul(tf.fill([1, x.shape[0]], scale), x); // [1, c]
}

/**
 * Training-mode batch norm of a [batch, channels] input with a hand-written gradient whose
 * reductions over the batch are [1, n] x [n, c] matrix products. Why: WASM reduces over a
 * non-last axis by transposing first, and autodiff of the textbook formula makes five such
 * reductions per layer; this was 20-25% of an MLP SimCLR step. Same values as the generic path
 * (biased batch variance, eps 1e-5), and it updates the running statistics the same way.
 * @param x [batch, channels], batch >= 2
 * @returns [batch, channels]
 */
export function batchNormTrain2d(x: tf.Tensor2D, bn: BatchNormVars): tf.Tensor2D {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const n = xIn.shape[0];
    const mean = columnSums(xIn, 1 / n); // [1, c]
    const centred = tf.sub(xIn, mean);
    const variance = columnSums(tf.square(centred) as tf.Tensor2D, 1 / n); // [1, c], biased (as tf.moments)
    updateRunning(bn, mean, variance); // a side effect of the forward pass, not differentiated
    const invStd = tf.rsqrt(tf.add(variance, EPS)); // [1, c]
    const xHat = tf.mul(centred, invStd) as tf.Tensor2D; // [n, c]
    save([xHat, invStd, gamma]);
    return {
      value: tf.add(tf.mul(xHat, gamma), beta), // [n, c]
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xh, inv, g] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dBeta = columnSums(dy, 1); // [1, c]
        const dGamma = columnSums(tf.mul(dy, xh) as tf.Tensor2D, 1); // [1, c]
        // dx = gamma / std * (dy - mean(dy) - xHat * mean(dy * xHat))
        const dx = tf.mul(tf.mul(g, inv), tf.sub(tf.sub(dy, tf.div(dBeta, n)), tf.mul(xh, tf.div(dGamma, n))));
        return [dx, tf.reshape(dGamma, [-1]), tf.reshape(dBeta, [-1])];
      },
    };
  }) as never) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;
  return op(x, bn.gamma as unknown as tf.Tensor1D, bn.beta as unknown as tf.Tensor1D);
}
