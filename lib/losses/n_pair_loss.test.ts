import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { nPairLoss } from './n_pair_loss';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

describe('nPairLoss', () => {
  before(async () => {
    await initBackend();
  });

  it('nPairLoss(a, p, negatives) equals log(M+1) when all M negatives equal the positive', () => {
    const a = tf.randomNormal([3, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const p = tf.randomNormal([3, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const m = 5;
    const negatives = tf.tile(tf.expandDims(p, 1), [1, m, 1]) as tf.Tensor3D; // [3, M, 4]
    for (const temperature of [0.1, 1]) {
      assertClose(takeScalar(nPairLoss(a, p, negatives, { temperature })), Math.log(m + 1), 1e-5, `tau ${temperature}`);
    }
    tf.dispose([a, p, negatives]);
  });

  it('nPairLoss(a, p, [n]) with one negative is the logistic loss softplus((a.n - a.p) / tau)', () => {
    const a = tf.tensor2d([[1, 2]]);
    const p = tf.tensor2d([[0.5, 0.5]]);
    const n = tf.tensor3d([[[-1, 1]]]);
    const tau = 0.5;
    // a.p = 1.5, a.n = 1
    assertClose(takeScalar(nPairLoss(a, p, n, { temperature: tau })), Math.log(1 + Math.exp((1 - 1.5) / tau)), 1e-6);
    tf.dispose([a, p, n]);
  });

  it('nPairLoss is the mean over the batch: two identical rows give the one-row value', () => {
    const a1 = tf.tensor2d([[1, 2]]);
    const p1 = tf.tensor2d([[0.5, 0.5]]);
    const n1 = tf.tensor3d([[[-1, 1], [2, 0]]]);
    const [a2, p2, n2] = [a1, p1, n1].map((t) => tf.concat([t, t]));
    assertClose(takeScalar(nPairLoss(a2 as tf.Tensor2D, p2 as tf.Tensor2D, n2 as tf.Tensor3D)), takeScalar(nPairLoss(a1, p1, n1)), 1e-6);
    tf.dispose([a1, p1, n1, a2, p2, n2]);
  });

  it('nPairLoss(a, p, negatives) gradients match finite differences', () => {
    const a = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
    const p = tf.randomNormal([3, 4], 0, 1, 'float32', 4);
    const n = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 5);
    assertGradientsMatchFiniteDifferences(
      (x, y, z) => nPairLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor3D, { temperature: 0.7 }),
      [a, p, n],
    );
    tf.dispose([a, p, n]);
  });

  it('nPairLoss(a, p, negatives) gradients equal autodiff of the textbook formula (concat, logSoftmax), M = 1 and M = 5', () => {
    for (const m of [1, 5]) {
      const [a, p] = [1, 2].map((seed) => tf.randomNormal([4, 3], 0, 1, 'float32', seed) as tf.Tensor2D);
      const negs = tf.randomNormal([4, m, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
      const textbook = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => {
        const s = tf.mul(x, 1 / 0.3);
        const logits = tf.concat([tf.sum(tf.mul(s, y), 1, true), tf.sum(tf.mul(tf.expandDims(s, 1), z), 2)], 1);
        return tf.neg(tf.mean(tf.slice(tf.logSoftmax(logits), [0, 0], [-1, 1]))) as tf.Scalar;
      };
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => nPairLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor3D, { temperature: 0.3 }))([a, p, negs]);
      const ref = tf.grads(textbook)([a, p, negs]);
      ours.forEach((g, i) => {
        assert.deepEqual(g.shape, ref[i].shape);
        assert.ok(tf.max(tf.abs(tf.sub(g, ref[i]))).dataSync()[0] < 1e-5, `M = ${m}, input ${i}`);
      });
      tf.dispose([a, p, negs, ...ours, ...ref]);
    }
  });

  it('nPairLoss(a, p, negatives) leaks no tensor, forward or with gradients', () => {
    const a = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const n = tf.randomNormal([3, 2, 4]) as tf.Tensor3D;
    assertNoLeak(() => nPairLoss(a, a, n));
    assertNoLeak(() => tf.grad((x: tf.Tensor) => nPairLoss(x as tf.Tensor2D, a, n))(a));
    tf.dispose([a, n]);
  });

  it('nPairLoss(a, p, negatives, {temperature: 0.01}) stays finite with large norms', () => {
    const a = tf.randomNormal([4, 3], 0, 100, 'float32', 6) as tf.Tensor2D;
    const p = tf.randomNormal([4, 3], 0, 100, 'float32', 7) as tf.Tensor2D;
    const n = tf.randomNormal([4, 6, 3], 0, 100, 'float32', 8) as tf.Tensor3D;
    const loss = takeScalar(nPairLoss(a, p, n, { temperature: 0.01 }));
    assert.ok(Number.isFinite(loss) && loss >= 0, `loss ${loss}`);
    const g = tf.grad((x: tf.Tensor) => nPairLoss(x as tf.Tensor2D, p, n, { temperature: 0.01 }))(a);
    assert.equal(tf.all(tf.isFinite(g)).dataSync()[0], 1);
    tf.dispose([a, p, n, g]);
  });

  it('nPairLoss throws naming the argument, the bad value and the fix', () => {
    const a = tf.ones([4, 3]) as tf.Tensor2D;
    const p2 = tf.ones([4, 2]) as tf.Tensor2D;
    const n = tf.ones([4, 5, 3]) as tf.Tensor3D;
    const nWrongB = tf.ones([2, 5, 3]) as tf.Tensor3D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    assert.throws(() => nPairLoss(a, p2, n), /^Error: nPairLoss: anchor and positive must have the same shape, got \[4,3\] and \[4,2\]$/);
    assert.throws(() => nPairLoss(a, a, a as unknown as tf.Tensor3D), /nPairLoss: negatives must have rank 3 \[B, M, D\], got rank 2 \[4,3\]/);
    assert.throws(() => nPairLoss(a, a, nWrongB), /nPairLoss: negatives must have shape \[B, M, D\] = \[4, M, 3\] to match anchor, got \[2,5,3\]/);
    assert.throws(() => nPairLoss(a, a, n, { temperature: 0 }), /nPairLoss: temperature must be a finite number > 0, got 0/);
    assert.throws(() => nPairLoss(empty, empty, n), /nPairLoss: anchor must not be empty/);
    tf.dispose([a, p2, n, nWrongB, empty]);
  });
});
