import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { tripletLoss } from './triplet_loss';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

describe('tripletLoss', () => {
  before(async () => {
    await initBackend();
  });

  it('tripletLoss(a, p, n) uses squared distances and the mean: rows (1 - 4 + 2) and (0 - 1 + 2) give (0 + 1) / 2', () => {
    const a = tf.tensor2d([[0, 0], [1, 1]]);
    const p = tf.tensor2d([[1, 0], [1, 1]]); // squared distances 1, 0
    const n = tf.tensor2d([[0, 2], [1, 2]]); // squared distances 4, 1
    // row 0: max(0, 1 - 4 + 2) = 0; row 1: max(0, 0 - 1 + 2) = 1
    assertClose(takeScalar(tripletLoss(a, p, n, { margin: 2 })), (0 + 1) / 2, 1e-7);
    tf.dispose([a, p, n]);
  });

  it('tripletLoss(a, p, n) is 0 once every negative is farther than its positive by the margin', () => {
    const a = tf.tensor2d([[0, 0], [5, 5]]);
    const p = tf.tensor2d([[0.1, 0], [5, 5.2]]);
    const n = tf.tensor2d([[2, 0], [5, 7]]); // d_an - d_ap = 3.99 and 3.96 >= margin 3.9
    assert.equal(takeScalar(tripletLoss(a, p, n, { margin: 3.9 })), 0);
    const g = tf.grad((x: tf.Tensor) => tripletLoss(x as tf.Tensor2D, p, n, { margin: 3.9 }))(a);
    assert.deepEqual(Array.from(g.dataSync()), [0, 0, 0, 0]);
    tf.dispose([a, p, n, g]);
  });

  it('tripletLoss(a, a, a) equals the margin (default 1)', () => {
    const a = tf.randomNormal([3, 4]) as tf.Tensor2D;
    assertClose(takeScalar(tripletLoss(a, a, a)), 1, 1e-6);
    assertClose(takeScalar(tripletLoss(a, a, a, { margin: 0.25 })), 0.25, 1e-6);
    a.dispose();
  });

  it('tripletLoss(a, p, n) gradients match finite differences', () => {
    const a = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const p = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const n = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
    // margin 10 keeps every row active (no kink of max(0, .) inside the finite-difference step)
    assertGradientsMatchFiniteDifferences(
      (x, y, z) => tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, { margin: 10 }),
      [a, p, n],
    );
    tf.dispose([a, p, n]);
  });

  it('tripletLoss(a, p, n) leaks no tensor, forward or with gradients', () => {
    const a = tf.randomNormal([4, 3]) as tf.Tensor2D;
    assertNoLeak(() => tripletLoss(a, a, a));
    assertNoLeak(() => tf.grad((x: tf.Tensor) => tripletLoss(x as tf.Tensor2D, a, a))(a));
    a.dispose();
  });

  it('tripletLoss(a, p, n) stays finite with norms around 1e4', () => {
    const [a, p, n] = [1, 2, 3].map((s) => tf.randomNormal([4, 3], 0, 1e4, 'float32', s) as tf.Tensor2D);
    assert.ok(Number.isFinite(takeScalar(tripletLoss(a, p, n))));
    tf.dispose([a, p, n]);
  });

  it('tripletLoss throws naming the argument, the bad value and the fix', () => {
    const a = tf.ones([4, 3]) as tf.Tensor2D;
    const b = tf.ones([4, 2]) as tf.Tensor2D;
    const r1 = tf.ones([4]) as unknown as tf.Tensor2D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    assert.throws(() => tripletLoss(a, b, a), /^Error: tripletLoss: anchor and positive must have the same shape, got \[4,3\] and \[4,2\]$/);
    assert.throws(() => tripletLoss(a, a, b), /tripletLoss: anchor and negative must have the same shape, got \[4,3\] and \[4,2\]/);
    assert.throws(() => tripletLoss(a, a, a, { margin: -0.5 }), /tripletLoss: margin must be a finite number >= 0, got -0.5/);
    assert.throws(() => tripletLoss(r1, a, a), /tripletLoss: anchor must have rank 2 \[B, D\], got rank 1 \[4\]/);
    assert.throws(() => tripletLoss(empty, empty, empty), /tripletLoss: anchor must not be empty/);
    tf.dispose([a, b, r1, empty]);
  });
});
