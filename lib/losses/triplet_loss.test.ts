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

  it('tripletLoss(a, p, n) on B=64, D=32 is the float64 definition rounded once: the value within half an ulp, the gradients bit for bit', () => {
    const [a, p, n] = [1, 2, 3].map((s) => tf.randomNormal([64, 32], 0, 1, 'float32', s) as tf.Tensor2D);
    const [av, pv, nv] = [a, p, n].map((t) => Array.from(t.dataSync()));
    const margin = 8; // about half of the rows active
    const want = { value: 0, grads: [0, 1, 2].map(() => new Float32Array(64 * 32)) };
    let active = 0;
    for (let b = 0; b < 64; b++) {
      let t = margin;
      for (let k = b * 32; k < (b + 1) * 32; k++) t += (av[k] - pv[k]) ** 2 - (av[k] - nv[k]) ** 2;
      if (t <= 0) continue;
      active++;
      want.value += t / 64;
      for (let k = b * 32; k < (b + 1) * 32; k++) {
        want.grads[0][k] = (2 / 64) * (nv[k] - pv[k]);
        want.grads[1][k] = (2 / 64) * (pv[k] - av[k]);
        want.grads[2][k] = (2 / 64) * (av[k] - nv[k]);
      }
    }
    assert.ok(active > 10 && active < 54, `${active} of 64 rows active: the batch must test both sides of the hinge`);
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, { margin }))([a, p, n]);
    const halfUlp = 2 ** (Math.floor(Math.log2(want.value)) - 24);
    assert.ok(Math.abs(value.dataSync()[0] - want.value) <= halfUlp, `value ${value.dataSync()[0]}, float64 ${want.value}`);
    grads.forEach((g, i) => assert.deepEqual(g.dataSync(), want.grads[i], `gradient ${i}`));
    tf.dispose([a, p, n, value, ...grads]);
  });

  it('tripletLoss(a, p, n) forward and backward is one op: at most 8 backend kernels in all (tf.profile counts 1; written with tfjs ops it was 51)', async () => {
    const [a, p, n] = [1, 2, 3].map((s) => tf.randomNormal([16, 8], 0, 1, 'float32', s) as tf.Tensor2D);
    const info = await tf.profile(() => {
      tf.dispose(tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, { margin: 4 }))([a, p, n]));
    });
    assert.ok(info.kernels.length <= 8, `${info.kernels.length} kernels: ${info.kernels.map((k) => k.name).join(', ')}`);
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
