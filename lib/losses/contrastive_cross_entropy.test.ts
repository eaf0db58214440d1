import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { contrastiveCrossEntropy } from './contrastive_cross_entropy';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

/** The textbook version: concatenate [positive, negatives], log-softmax, pick column 0. */
function textbook(p: tf.Tensor, n: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.slice(tf.logSoftmax(tf.concat([p, n], 1)), [0, 0], [-1, 1]))) as tf.Scalar;
}

describe('contrastiveCrossEntropy', () => {
  before(async () => {
    await initBackend();
  });

  it('contrastiveCrossEntropy([[2]], [[0, 0]]) equals log(1 + 2 e^-2), and [[0]], [[0, 0, 0]] log 4', () => {
    const cases: [number[][], number[][], number][] = [
      [[[2]], [[0, 0]], Math.log(1 + 2 * Math.exp(-2))],
      [[[0]], [[0, 0, 0]], Math.log(4)],
    ];
    for (const [p, n, expected] of cases) {
      const [pt, nt] = [tf.tensor2d(p), tf.tensor2d(n)];
      assertClose(takeScalar(contrastiveCrossEntropy(pt, nt)), expected, 1e-6);
      tf.dispose([pt, nt]);
    }
  });

  it('contrastiveCrossEntropy(p, n) value and gradients equal autodiff of concat + logSoftmax', () => {
    const p = tf.randomNormal([6, 1], 0, 2, 'float32', 1) as tf.Tensor2D;
    const n = tf.randomNormal([6, 9], 0, 2, 'float32', 2) as tf.Tensor2D;
    assertClose(takeScalar(contrastiveCrossEntropy(p, n)), takeScalar(textbook(p, n)), 1e-6);
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => contrastiveCrossEntropy(a as tf.Tensor2D, b as tf.Tensor2D))([p, n]);
    const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => textbook(a, b))([p, n]);
    ours.forEach((g, i) => assert.ok(tf.max(tf.abs(tf.sub(g, ref[i]))).dataSync()[0] < 1e-6, `input ${i}`));
    assertGradientsMatchFiniteDifferences((a, b) => contrastiveCrossEntropy(a as tf.Tensor2D, b as tf.Tensor2D), [p, n]);
    tf.dispose([p, n, ...ours, ...ref]);
  });

  it('contrastiveCrossEntropy stays exact with 1e4 gaps either way: loss 2e4 (positive far below) and 0 (far above)', () => {
    const [lo, hi, n] = [tf.tensor2d([[-1e4]]), tf.tensor2d([[1e4]]), tf.tensor2d([[1e4, -1e4]])];
    assertClose(takeScalar(contrastiveCrossEntropy(lo, n)), 2e4, 1e-6);
    const far = tf.tensor2d([[-1e4, -1e4]]);
    assertClose(takeScalar(contrastiveCrossEntropy(hi, far)), 0, 1e-6);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => contrastiveCrossEntropy(a as tf.Tensor2D, b as tf.Tensor2D))([lo, n]);
    assert.deepEqual(g.map((t) => Array.from(t.dataSync())), [[-1], [1, 0]]);
    tf.dispose([lo, hi, n, far, ...g]);
  });

  it('contrastiveCrossEntropy leaks no tensor, forward or with gradients', () => {
    const p = tf.randomNormal([3, 1]) as tf.Tensor2D;
    const n = tf.randomNormal([3, 4]) as tf.Tensor2D;
    assertNoLeak(() => contrastiveCrossEntropy(p, n));
    assertNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => contrastiveCrossEntropy(a as tf.Tensor2D, b as tf.Tensor2D))([p, n]));
    tf.dispose([p, n]);
  });

  it('contrastiveCrossEntropy throws naming a positive that is not [rows, 1]', () => {
    const n = tf.ones([3, 4]) as tf.Tensor2D;
    const p2 = tf.ones([3, 2]) as tf.Tensor2D;
    const p4 = tf.ones([4, 1]) as tf.Tensor2D;
    assert.throws(() => contrastiveCrossEntropy(p2, n), /contrastiveCrossEntropy: positive must be \[rows, 1\] with the rows of negatives \[3,4\], got \[3,2\]/);
    assert.throws(() => contrastiveCrossEntropy(p4, n), /got \[4,1\]/);
    tf.dispose([n, p2, p4]);
  });
});
