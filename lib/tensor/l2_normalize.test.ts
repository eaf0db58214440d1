import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { l2Normalize, NORM_EPS } from './l2_normalize';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from './test';

const rows = (t: tf.Tensor) => {
  const v = t.arraySync() as number[][];
  t.dispose();
  return v;
};

describe('l2Normalize', () => {
  before(async () => {
    await initBackend();
  });

  it('l2Normalize([[3, 4], [0, -2]]) = [[3/5, 4/5], [0, -1]]', () => {
    const x = tf.tensor2d([[3, 4], [0, -2]]);
    const [a, b] = rows(l2Normalize(x));
    [3 / 5, 4 / 5].forEach((v, i) => assertClose(a[i], v, 1e-7));
    [0, -1].forEach((v, i) => assertClose(b[i], v, 1e-7));
    x.dispose();
  });

  it('l2Normalize(x, {axis: 0}) normalises columns, and a rank-3 x along its last axis', () => {
    const x = tf.tensor2d([[3, 1], [4, 0]]);
    const c = rows(l2Normalize(x, { axis: 0 }));
    assertClose(c[0][0], 3 / 5, 1e-7);
    assertClose(c[1][0], 4 / 5, 1e-7);
    assertClose(c[0][1], 1, 1e-7);
    const y = tf.tensor3d([[[1, 1]], [[0, 5]]]); // [2, 1, 2]
    const n = tf.tidy(() => l2Normalize(y).arraySync() as number[][][]);
    assertClose(n[0][0][0], Math.SQRT1_2, 1e-7);
    assertClose(n[1][0][1], 1, 1e-7);
    tf.dispose([x, y]);
  });

  for (const arithmetic of ['divide', 'rsqrt'] as const) {
    it(`l2Normalize(x, {arithmetic: '${arithmetic}'}) of an all-zero row is the zero row, with gradient exactly 0 (not upstream / eps = 1e12 x upstream)`, () => {
      const x = tf.tensor2d([[0, 0, 0], [1, 2, 2]]);
      const w = tf.tensor2d([[1, -2, 3], [0.5, 1, -1]]);
      const [zero, unit] = rows(l2Normalize(x, { arithmetic }));
      assert.deepEqual(zero.map((v) => v + 0), [0, 0, 0]);
      [1 / 3, 2 / 3, 2 / 3].forEach((v, i) => assertClose(unit[i], v, 1e-7));
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(l2Normalize(v, { arithmetic }), w)))(x);
      const [g0, g1] = rows(g);
      assert.deepEqual(g0.map((v) => v + 0), [0, 0, 0]);
      // the live row's gradient is (w - (w.u) u) / ||x|| with ||x|| = 3, u = x / 3:
      // w.u = (0.5 + 2 - 2) / 3 = 1/6, so g = ([0.5, 1, -1] - (1/6) [1/3, 2/3, 2/3]) / 3.
      [0.5, 1, -1].forEach((wi, i) => assertClose(g1[i], (wi - (1 / 6) * [1 / 3, 2 / 3, 2 / 3][i]) / 3, 1e-6, `g[1][${i}]`));
      tf.dispose([x, w]);
    });
  }

  it("l2Normalize's two arithmetics agree to a float32 rounding (2^-23 relative) on 200 random rows", () => {
    const x = tf.randomNormal([200, 16], 0, 3, 'float32', 5);
    const [a, b] = ['divide', 'rsqrt'].map((arithmetic) => l2Normalize(x, { arithmetic: arithmetic as 'divide' | 'rsqrt' }).dataSync());
    const worst = Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
    assert.ok(worst <= 2 ** -23, `largest difference ${worst}`);
    x.dispose();
  });

  it('l2Normalize keeps tiny but non-zero rows: norm 1e-10 (above NORM_EPS = 1e-12) still gives a unit row', () => {
    assert.equal(NORM_EPS, 1e-12);
    const x = tf.tensor2d([[6e-11, 8e-11]]);
    const [[a, b]] = rows(l2Normalize(x));
    assertClose(a, 0.6, 1e-6);
    assertClose(b, 0.8, 1e-6);
    const below = tf.tensor2d([[3e-13, 4e-13]]); // norm 5e-13 < NORM_EPS: no direction
    assert.deepEqual(rows(l2Normalize(below)), [[0, 0]]);
    tf.dispose([x, below]);
  });

  it('l2Normalize gradient matches finite differences, and the call leaks no tensor', () => {
    const x = tf.tensor2d([[0.3, -1.2, 0.5], [1.1, 0.2, -0.4]]);
    const w = tf.tensor2d([[1, 2, -1], [0.5, -0.5, 2]]);
    assertGradientsMatchFiniteDifferences((v) => tf.sum(tf.mul(l2Normalize(v), w)) as tf.Scalar, [x], { h: 1e-3 });
    assertGradientsMatchFiniteDifferences((v) => tf.sum(tf.mul(l2Normalize(v, { arithmetic: 'rsqrt' }), w)) as tf.Scalar, [x], { h: 1e-3 });
    assertNoLeak(() => l2Normalize(x));
    assertNoLeak(() => tf.grad((v: tf.Tensor) => tf.sum(l2Normalize(v)))(x));
    tf.dispose([x, w]);
  });

  it('l2Normalize throws naming the argument and the bad value', () => {
    const x = tf.ones([2, 3]);
    assert.throws(() => l2Normalize([[1, 2]] as unknown as tf.Tensor), /^Error: l2Normalize: x must be a tf.Tensor of rank >= 1, got an array of length 1/);
    assert.throws(() => l2Normalize(tf.scalar(2)), /l2Normalize: x must have rank >= 1, got rank 0 \[\]/);
    assert.throws(() => l2Normalize(x, { axis: 2 }), /l2Normalize: axis must be an integer in \[-2, 1\] for x of shape \[2,3\], got 2/);
    assert.throws(() => l2Normalize(x, 1 as never), /l2Normalize: options must be an object \{axis\?, arithmetic\?\}, got 1; e.g. l2Normalize\(x, \{axis: 0\}\)/);
    assert.throws(() => l2Normalize(x, { arithmetic: 'fast' as never }), /l2Normalize: arithmetic must be 'divide' or 'rsqrt', got "fast"/);
    assert.throws(() => l2Normalize(tf.zeros([0, 3])), /l2Normalize: x must not be empty \(every axis >= 1\), got shape \[0,3\]/);
    x.dispose();
  });
});
