import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { leakReport, takeScalar } from './tensor_memory';
import { assertGradientsMatchFiniteDifferences, assertNoLeak } from './test';

describe('lib/tensor helpers', () => {
  before(async () => {
    await initBackend();
  });

  it('takeScalar(t) returns the one value and disposes t; it throws on a tensor of 2 elements (and disposes it)', () => {
    const before = tf.memory().numTensors;
    assert.equal(takeScalar(tf.scalar(2.5)), 2.5);
    assert.equal(takeScalar(tf.tensor2d([[7]])), 7);
    assert.throws(() => takeScalar(tf.tensor1d([1, 2])), /^Error: takeScalar: t must have one element, got shape \[2\] \(2 elements\)$/);
    assert.throws(() => takeScalar(3 as unknown as tf.Tensor), /takeScalar: t must be a tf.Tensor with one element, got number/);
    assert.equal(tf.memory().numTensors, before);
  });

  it('leakReport(start) says none left behind at the same count, and names the count and the cause otherwise', () => {
    const start = tf.memory().numTensors;
    assert.equal(leakReport(start), `tensors: none left behind (${start} allocated, as at the start)`);
    const leaked = [tf.scalar(1), tf.scalar(2)];
    assert.match(leakReport(start), new RegExp(`^tensors: 2 left behind \\(${start + 2} allocated, ${start} at the start\\): a cell made tensors outside tf.tidy`));
    tf.dispose(leaked);
    assert.throws(() => leakReport(-1), /leakReport: start must be a tensor count .* got -1/);
  });

  it('assertNoLeak passes a tidy function, fails naming the count when a tensor leaks, and awaits async runs', async () => {
    assertNoLeak(() => tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2))));
    assertNoLeak(() => ({ a: tf.scalar(1), b: [tf.scalar(2)], m: { dispose: () => undefined } }));
    let kept: tf.Tensor[] = [];
    assert.throws(
      () => assertNoLeak(() => { kept.push(tf.scalar(1)); return tf.scalar(2); }),
      /tensor count went from (\d+) to \d+: 1 tensor\(s\) leaked/,
    );
    tf.dispose(kept);
    kept = [];
    await assertNoLeak(async () => tf.scalar(3), { warmUp: false });
    await assert.rejects(assertNoLeak(async () => void kept.push(tf.scalar(1)), { warmUp: false }), /1 tensor\(s\) leaked/);
    tf.dispose(kept);
  });

  it('assertGradientsMatchFiniteDifferences passes the true gradient of sum(x^3) and fails a wrong one (3x instead of 3x^2)', () => {
    const x = tf.tensor1d([0.5, -1, 2]);
    assertGradientsMatchFiniteDifferences((v) => tf.sum(tf.pow(v, 3)) as tf.Scalar, [x]);
    const wrongGrad = (v: tf.Tensor) => ({ value: tf.sum(tf.pow(v, 3)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(v, 3)) });
    const wrong = tf.customGrad(wrongGrad as unknown as Parameters<typeof tf.customGrad>[0]);
    assert.throws(() => assertGradientsMatchFiniteDifferences((v) => wrong(v) as tf.Scalar, [x]), /input 0: analytic directional derivative .* vs finite difference/);
    x.dispose();
  });
});
