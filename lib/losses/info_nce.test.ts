import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { infoNCE } from './info_nce';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

describe('infoNCE', () => {
  before(async () => {
    await initBackend();
  });

  it('infoNCE(scores) equals log N when every score is equal', () => {
    const scores = tf.fill([7, 7], 3.5) as tf.Tensor2D;
    assertClose(takeScalar(infoNCE(scores)), Math.log(7));
    scores.dispose();
  });

  it('infoNCE([[a, b], [c, d]]) equals the mean of softplus(b - a) and softplus(c - d)', () => {
    const scores = tf.tensor2d([[2, -1], [0.5, 1.5]]);
    const softplus = (x: number) => Math.log(1 + Math.exp(x));
    assertClose(takeScalar(infoNCE(scores)), (softplus(-1 - 2) + softplus(0.5 - 1.5)) / 2, 1e-6);
    scores.dispose();
  });

  it('infoNCE(scores) is unchanged when a constant is added to a row', () => {
    const scores = tf.randomNormal([6, 6], 0, 2, 'float32', 1) as tf.Tensor2D;
    const shifted = tf.add(scores, tf.tensor2d([0, 100, -50, 3, 0, 1e3], [6, 1])) as tf.Tensor2D;
    assertClose(takeScalar(infoNCE(shifted)), takeScalar(infoNCE(scores)), 1e-5);
    tf.dispose([scores, shifted]);
  });

  it('infoNCE(scores) stays finite and exact for scores of size 1e4 (row max subtracted)', () => {
    // Row 0: positive 1e4 far above -> loss ~ 0; row 1: positive 1e4 below the other -> loss 1e4.
    const scores = tf.tensor2d([[1e4, -1e4], [1e4, -0]]) as tf.Tensor2D;
    const expected = (0 + 1e4) / 2;
    assertClose(takeScalar(infoNCE(scores)), expected, 1e-6);
    const g = tf.grad((s: tf.Tensor) => infoNCE(s as tf.Tensor2D))(scores);
    // (softmax - onehot) / N: row 0 [0, 0], row 1 [1, -1] / 2
    assert.deepEqual(Array.from(g.dataSync()), [0, 0, 0.5, -0.5]);
    tf.dispose([scores, g]);
  });

  it('infoNCE(scores) gradient is (softmax(scores) - I) / N and matches finite differences', () => {
    const scores = tf.randomNormal([5, 5], 0, 1, 'float32', 2) as tf.Tensor2D;
    const g = tf.grad((s: tf.Tensor) => infoNCE(s as tf.Tensor2D))(scores);
    const expected = tf.div(tf.sub(tf.softmax(scores), tf.eye(5)), 5);
    assert.ok(tf.max(tf.abs(tf.sub(g, expected))).dataSync()[0] < 1e-6);
    assertGradientsMatchFiniteDifferences((s) => infoNCE(s as tf.Tensor2D), [scores]);
    tf.dispose([scores, g, expected]);
  });

  it('infoNCE(scores) leaks no tensor, forward or with gradients', () => {
    const scores = tf.randomNormal([4, 4]) as tf.Tensor2D;
    assertNoLeak(() => infoNCE(scores));
    assertNoLeak(() => tf.grad((s: tf.Tensor) => infoNCE(s as tf.Tensor2D))(scores));
    scores.dispose();
  });

  it('infoNCE throws naming the argument, the bad value and the fix', () => {
    const rect = tf.ones([4, 5]) as tf.Tensor2D;
    const r1 = tf.ones([4]) as unknown as tf.Tensor2D;
    const empty = tf.zeros([0, 0]) as tf.Tensor2D;
    const ints = tf.ones([2, 2], 'int32') as tf.Tensor2D;
    assert.throws(() => infoNCE(rect), /^Error: infoNCE: scores must be square \[N, N\] \(row i's positive is column i\), got \[4,5\]/);
    assert.throws(() => infoNCE(r1), /infoNCE: scores must have rank 2 \[N, N\], got rank 1 \[4\]/);
    assert.throws(() => infoNCE(empty), /infoNCE: scores must not be empty/);
    assert.throws(() => infoNCE(ints), /infoNCE: scores must be float32, got int32/);
    tf.dispose([rect, r1, empty, ints]);
  });
});
