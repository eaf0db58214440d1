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

describe('batchNormTrain2d (column-mean reductions, hand-written gradient, optional fused ReLU)', () => {
  before(async () => {
    await initBackend();
  });

  for (const [n, c, relu] of [[2, 3, false], [7, 5, false], [64, 33, false], [7, 5, true], [64, 33, true]] as const) {
    it(`[${n}, ${c}]${relu ? ' with ReLU' : ''}: output and the gradients for x, gamma, beta equal autodiff of the textbook formula${relu ? ' and tf.relu' : ''} to 1e-5`, () => {
      const vars = new Map<string, tf.Variable>();
      const bn = makeBatchNorm(vars, 'bn', c);
      bn.gamma.assign(tf.randomUniform([c], 0.5, 2, 'float32', 3));
      bn.beta.assign(tf.randomNormal([c], 0, 1, 'float32', 4));
      const x = tf.randomNormal([n, c], 1, 3, 'float32', n + c) as tf.Tensor2D;
      const dy = tf.randomNormal([n, c], 0, 1, 'float32', 5) as tf.Tensor2D; // a random upstream gradient
      const upstream = (f: (xx: tf.Tensor2D, gg: tf.Tensor, bb: tf.Tensor) => tf.Tensor2D) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor2D, gg, bb), dy));
      // gamma and beta enter as plain inputs so that tf.grads reaches them in both versions.
      const fast = (xx: tf.Tensor2D, gg: tf.Tensor, bb: tf.Tensor) => batchNormTrain2d(xx, { ...bn, gamma: gg as tf.Variable, beta: bb as tf.Variable }, relu);
      const textbook = (xx: tf.Tensor2D, gg: tf.Tensor, bb: tf.Tensor) => (relu ? tf.relu(reference(xx, gg, bb)) : reference(xx, gg, bb)) as tf.Tensor2D;
      const got = tf.grads(upstream(fast))([x, bn.gamma, bn.beta]);
      const want = tf.grads(upstream(textbook))([x, bn.gamma, bn.beta]);
      const yFast = tf.tidy(() => fast(x, bn.gamma, bn.beta));
      const yRef = textbook(x, bn.gamma, bn.beta);
      assert.ok(maxAbsDiff(yFast, yRef) < 1e-5, `output differs by ${maxAbsDiff(yFast, yRef)}`);
      ['x', 'gamma', 'beta'].forEach((name, i) => assert.ok(maxAbsDiff(got[i], want[i]) < 1e-5 * Math.max(1, n / 8), `d${name} differs by ${maxAbsDiff(got[i], want[i])}`));
      tf.dispose([x, dy, yFast, yRef, ...got, ...want]);
      vars.forEach((v) => v.dispose());
    });
  }

  it('batchNormTrain2d(x, bn) takes gamma computed inside the gradient function (not a variable) as well', () => {
    const vars = new Map<string, tf.Variable>();
    const bn = makeBatchNorm(vars, 'bn', 3);
    const x = tf.randomNormal([6, 3], 0, 1, 'float32', 10) as tf.Tensor2D;
    const g0 = tf.tensor1d([0.5, 1, 2]);
    const f = (useFast: boolean) => (xx: tf.Tensor, gg: tf.Tensor) => {
      const gamma = tf.mul(gg, 3) as tf.Tensor1D; // an intermediate: freed before the backward pass
      const y = useFast ? batchNormTrain2d(xx as tf.Tensor2D, { ...bn, gamma: gamma as unknown as tf.Variable }, true) : tf.relu(reference(xx as tf.Tensor2D, gamma, bn.beta));
      return tf.sum(tf.mul(y, tf.range(0, 18).reshape([6, 3])));
    };
    const [got, want] = [f(true), f(false)].map((fn) => tf.grads(fn)([x, g0]));
    assert.ok(maxAbsDiff(got[0], want[0]) < 1e-4 && maxAbsDiff(got[1], want[1]) < 1e-4, `dx ${maxAbsDiff(got[0], want[0])}, dgamma ${maxAbsDiff(got[1], want[1])}`);
    tf.dispose([x, g0, ...got, ...want]);
    vars.forEach((v) => v.dispose());
  });

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

  it('batchNormTrain2d over 100 003 rows (two-level means with a remainder) matches float64: outputs to 1e-4, running mean to 1e-6 relative', () => {
    // 100 003 = 390 blocks of 256 rows + 163 left over; values near 1000 with spread 1, where a
    // one-pass float32 mean would be off by about 1e-3 of the spread.
    const [n, c] = [100003, 3];
    const values = Float32Array.from({ length: n * c }, (_, i) => 1000 + Math.sin(i * 0.7) + ((i % 7) - 3) * 0.1);
    const vars = new Map<string, tf.Variable>();
    const bn = makeBatchNorm(vars, 'bn', c);
    const x = tf.tensor2d(values, [n, c]);
    const y = tf.tidy(() => batchNormTrain2d(x, bn));
    const got = y.dataSync();
    for (let j = 0; j < c; j++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += values[i * c + j];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (values[i * c + j] - mean) ** 2;
      variance /= n;
      const row = 12345;
      const expected = (values[row * c + j] - mean) / Math.sqrt(variance + 1e-5);
      assert.ok(Math.abs(got[row * c + j] - expected) < 1e-4, `column ${j}: ${got[row * c + j]} vs ${expected}`);
      assert.ok(Math.abs(bn.movingMean.dataSync()[j] - 0.1 * mean) < 1e-6 * mean, `column ${j}: moving mean ${bn.movingMean.dataSync()[j]} vs ${0.1 * mean}`);
    }
    tf.dispose([x, y]);
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

