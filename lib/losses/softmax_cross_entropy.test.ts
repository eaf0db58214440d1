import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { softmaxCrossEntropy } from './softmax_cross_entropy';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

describe('softmaxCrossEntropy', () => {
  before(async () => {
    await initBackend();
  });

  it('softmaxCrossEntropy(x, t) equals mean_i (log sum_j exp x_ij - x_i,t_i) written out', () => {
    const rows = [[1, 2, 3], [0.5, -1, 4]];
    const targets = [2, 0];
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const expected = (lse(rows[0]) - 3 + lse(rows[1]) - 0.5) / 2;
    const x = tf.tensor2d(rows);
    assertClose(takeScalar(softmaxCrossEntropy(x, targets)), expected, 1e-6);
    x.dispose();
  });

  it('softmaxCrossEntropy(x, t, {exclude}) leaves the excluded column out of the softmax', () => {
    const x = tf.tensor2d([[100, 1, 2], [3, 50, 4]]); // the excluded entries are the largest
    const expected = (Math.log(Math.exp(1) + Math.exp(2)) - 2 + Math.log(Math.exp(3) + Math.exp(4)) - 3) / 2;
    assertClose(takeScalar(softmaxCrossEntropy(x, [2, 0], { exclude: [0, 1] })), expected, 1e-6);
    const g = tf.grad((y: tf.Tensor) => softmaxCrossEntropy(y as tf.Tensor2D, [2, 0], { exclude: [0, 1] }))(x);
    assert.equal((g.arraySync() as number[][])[0][0], 0, 'no gradient into an excluded entry');
    tf.dispose([x, g]);
  });

  it('softmaxCrossEntropy(x, t) stays exact when the loss is far beyond exp range (1e4 gaps)', () => {
    const x = tf.tensor2d([[-1e4, 1e4]]);
    assertClose(takeScalar(softmaxCrossEntropy(x, [0])), 2e4, 1e-6);
    x.dispose();
  });

  it('softmaxCrossEntropy(x, t) gradient is (softmax - onehot) / rows and matches finite differences', () => {
    const x = tf.randomNormal([4, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
    const targets = [5, 0, 3, 3];
    const g = tf.grad((y: tf.Tensor) => softmaxCrossEntropy(y as tf.Tensor2D, targets))(x);
    const expected = tf.div(tf.sub(tf.softmax(x), tf.oneHot(targets, 6)), 4);
    assert.ok(tf.max(tf.abs(tf.sub(g, expected))).dataSync()[0] < 1e-6);
    assertGradientsMatchFiniteDifferences((y) => softmaxCrossEntropy(y as tf.Tensor2D, targets, { exclude: [1, 1, 1, 2] }), [x]);
    tf.dispose([x, g, expected]);
  });

  it('softmaxCrossEntropy(x, t) leaks no tensor, forward or with gradients', () => {
    const x = tf.randomNormal([3, 4]) as tf.Tensor2D;
    assertNoLeak(() => softmaxCrossEntropy(x, [0, 1, 2], { exclude: [1, 2, 3] }));
    assertNoLeak(() => tf.grad((y: tf.Tensor) => softmaxCrossEntropy(y as tf.Tensor2D, [0, 1, 2], { exclude: [1, 2, 3] }))(x));
    x.dispose();
  });

  it('softmaxCrossEntropy throws naming the argument, the bad value and the fix', () => {
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    assert.throws(() => softmaxCrossEntropy(x, [0]), /softmaxCrossEntropy: targets must have one column index per row \(2\), got 1/);
    assert.throws(() => softmaxCrossEntropy(x, [0, 3]), /softmaxCrossEntropy: targets\[1\] must be an integer in \[0, 2\], got 3/);
    assert.throws(() => softmaxCrossEntropy(x, [0, 1.5]), /softmaxCrossEntropy: targets\[1\] must be an integer in \[0, 2\], got 1.5/);
    assert.throws(() => softmaxCrossEntropy(x, [0, 1], { exclude: [1, 1] }), /softmaxCrossEntropy: options.exclude\[1\] equals targets\[1\] \(1\)/);
    x.dispose();
  });
});
