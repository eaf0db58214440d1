import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { applyBatchNorm, batchNormTrain2d, makeBatchNorm } from './batch_norm';
import { assertNoLeak } from '../tensor/test';

/** The textbook formula, differentiated by tfjs autodiff (reductions over axis 0). */
function reference(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 0);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta) as tf.Tensor2D;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('batchNormTrain2d (matrix-product reductions, hand-written gradient)', () => {
  before(async () => {
    await initBackend();
  });

  for (const [n, c] of [[2, 3], [7, 5], [64, 33]] as const) {
    it(`[${n}, ${c}]: output and the gradients for x, gamma, beta equal autodiff of the textbook formula to 1e-5`, () => {
      const vars = new Map<string, tf.Variable>();
      const bn = makeBatchNorm(vars, 'bn', c);
      bn.gamma.assign(tf.randomUniform([c], 0.5, 2, 'float32', 3));
      bn.beta.assign(tf.randomNormal([c], 0, 1, 'float32', 4));
      const x = tf.randomNormal([n, c], 1, 3, 'float32', n + c) as tf.Tensor2D;
      const dy = tf.randomNormal([n, c], 0, 1, 'float32', 5) as tf.Tensor2D; // a random upstream gradient
      const upstream = (f: (xx: tf.Tensor2D, gg: tf.Tensor, bb: tf.Tensor) => tf.Tensor2D) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor2D, gg, bb), dy));
      // gamma and beta enter as plain inputs so that tf.grads reaches them in both versions.
      const fast = (xx: tf.Tensor2D, gg: tf.Tensor, bb: tf.Tensor) => batchNormTrain2d(xx, { ...bn, gamma: gg as tf.Variable, beta: bb as tf.Variable });
      const got = tf.grads(upstream(fast))([x, bn.gamma, bn.beta]);
      const want = tf.grads(upstream(reference))([x, bn.gamma, bn.beta]);
      const yFast = tf.tidy(() => fast(x, bn.gamma, bn.beta));
      const yRef = reference(x, bn.gamma, bn.beta);
      assert.ok(maxAbsDiff(yFast, yRef) < 1e-5, `output differs by ${maxAbsDiff(yFast, yRef)}`);
      ['x', 'gamma', 'beta'].forEach((name, i) => assert.ok(maxAbsDiff(got[i], want[i]) < 1e-5 * Math.max(1, n / 8), `d${name} differs by ${maxAbsDiff(got[i], want[i])}`));
      tf.dispose([x, dy, yFast, yRef, ...got, ...want]);
      vars.forEach((v) => v.dispose());
    });
  }

  it('applyBatchNorm on [2, 3, 3, 4] (CNN) in training mode: output and dx equal autodiff of moments over axes 0-2 to 1e-5', () => {
    const vars = new Map<string, tf.Variable>();
    const bn = makeBatchNorm(vars, 'bn', 4);
    bn.gamma.assign(tf.randomUniform([4], 0.5, 2, 'float32', 7));
    const x = tf.randomNormal([2, 3, 3, 4], 1, 3, 'float32', 8);
    const dy = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 9);
    const textbook = (xx: tf.Tensor) => {
      const { mean, variance } = tf.moments(xx, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, 1e-5))), bn.gamma), bn.beta);
    };
    const [ours, want] = [(xx: tf.Tensor) => applyBatchNorm(xx, bn, true), textbook].map((f) => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(f(xx), dy)))(x));
    const [y1, y2] = [tf.tidy(() => applyBatchNorm(x, bn, true)), tf.tidy(() => textbook(x))];
    assert.deepEqual(y1.shape, [2, 3, 3, 4]);
    assert.ok(maxAbsDiff(y1, y2) < 1e-5, `output differs by ${maxAbsDiff(y1, y2)}`);
    assert.ok(maxAbsDiff(ours, want) < 1e-5, `dx differs by ${maxAbsDiff(ours, want)}`);
    tf.dispose([x, dy, ours, want, y1, y2]);
    vars.forEach((v) => v.dispose());
  });

  it('updates the running statistics like the generic path: 0.9 * old + 0.1 * batch mean / biased variance', () => {
    const vars = new Map<string, tf.Variable>();
    const bn = makeBatchNorm(vars, 'bn', 2);
    const x = tf.tensor2d([[1, 10], [3, 14], [5, 12]]);
    tf.tidy(() => batchNormTrain2d(x, bn));
    const mean = bn.movingMean.arraySync() as number[];
    const variance = bn.movingVar.arraySync() as number[];
    [0.3, 1.2].forEach((m, i) => assert.ok(Math.abs(mean[i] - m) < 1e-5, `moving mean ${mean[i]}, expected ${m}`));
    [0.9 + 0.1 * (8 / 3), 0.9 + 0.1 * (8 / 3)].forEach((v, i) => assert.ok(Math.abs(variance[i] - v) < 1e-5, `moving var ${variance[i]}, expected ${v}`));
    x.dispose();
    vars.forEach((v) => v.dispose());
  });

  it('leaks no tensors inside tidy (value, statistics and running-average update)', () => {
    const vars = new Map<string, tf.Variable>();
    const bn = makeBatchNorm(vars, 'bn', 4);
    const x = tf.randomNormal([8, 4]) as tf.Tensor2D;
    assertNoLeak(() => tf.tidy(() => void batchNormTrain2d(x, bn)));
    x.dispose();
    vars.forEach((v) => v.dispose());
  });
});

