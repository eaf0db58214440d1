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
 * @param x [batch, channels] or [batch, h, w, channels]
 */
export function applyBatchNorm(x: tf.Tensor, bn: BatchNormVars, training: boolean): tf.Tensor {
  if (!training) {
    return tf.batchNorm(x, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, EPS);
  }
  const axes = x.shape.map((_, i) => i).slice(0, -1);
  const { mean, variance } = tf.moments(x, axes);
  tf.tidy(() => {
    const m = RUNNING_MOMENTUM;
    bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, m), tf.mul(mean, 1 - m)));
    bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, m), tf.mul(variance, 1 - m)));
  });
  return tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))), bn.gamma).add(bn.beta);
}
