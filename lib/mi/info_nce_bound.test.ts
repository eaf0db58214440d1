import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { initBackend } from '../backend';
import { infoNCEBound, infoNCEBoundBatched } from './info_nce_bound';
import { assertNoLeak } from '../tensor/test';

const scoresArb = fc
  .integer({ min: 2, max: 7 })
  .chain((n) => fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((v) => ({ n, v })));

describe('infoNCEBound', () => {
  before(async () => {
    await initBackend();
  });

  it('infoNCEBound(zeros [N,N]) equals log N - log N = 0 (a critic that cannot tell pairs apart)', () => {
    const s = tf.zeros([5, 5]) as tf.Tensor2D;
    assert.ok(Math.abs(infoNCEBound(s)) < 1e-6);
    s.dispose();
  });

  it('infoNCEBound(100 * eye(N)) equals log N up to N e^-100 (a perfect critic saturates at log N)', () => {
    const s = tf.tidy(() => tf.mul(tf.eye(8), 100)) as tf.Tensor2D;
    assert.ok(Math.abs(infoNCEBound(s) - Math.log(8)) < 1e-6);
    s.dispose();
  });

  it('infoNCEBound([[a, b], [c, d]]) equals log 2 - (softplus(b - a) + softplus(c - d)) / 2', () => {
    const [a, b, c, d] = [1.5, -0.5, 0.25, 2];
    const softplus = (t: number) => Math.log1p(Math.exp(t));
    const s = tf.tensor2d([[a, b], [c, d]]);
    const want = Math.log(2) - (softplus(b - a) + softplus(c - d)) / 2;
    assert.ok(Math.abs(infoNCEBound(s) - want) < 1e-6);
    s.dispose();
  });

  it('infoNCEBound(scores) <= log N for any finite scores (property)', () => {
    fc.assert(
      fc.property(scoresArb, ({ n, v }) => {
        const s = tf.tensor2d(v, [n, n]);
        const b = infoNCEBound(s);
        s.dispose();
        return b <= Math.log(n);
      }),
      { numRuns: 200 },
    );
  });

  it('infoNCEBound(scores + c 1^T) equals infoNCEBound(scores): adding a constant to a row changes nothing (property)', () => {
    fc.assert(
      fc.property(scoresArb, fc.integer({ min: 0, max: 6 }), fc.double({ min: -30, max: 30, noNaN: true }), ({ n, v }, row, c) => {
        const i = row % n;
        const shifted = v.map((value, k) => (Math.floor(k / n) === i ? value + c : value));
        const s1 = tf.tensor2d(v, [n, n]);
        const s2 = tf.tensor2d(shifted, [n, n]);
        const d = Math.abs(infoNCEBound(s1) - infoNCEBound(s2));
        tf.dispose([s1, s2]);
        return d < 1e-4 * (1 + Math.max(...v.map(Math.abs)));
      }),
      { numRuns: 200 },
    );
  });

  it('infoNCEBoundBatched(scores [T,N,N]) equals infoNCEBound on each trial', () => {
    const s = tf.randomNormal([3, 6, 6], 0, 3, 'float32', 4) as tf.Tensor3D;
    const batched = infoNCEBoundBatched(s);
    for (let t = 0; t < 3; t++) {
      const st = tf.tidy(() => tf.slice(s, [t, 0, 0], [1, 6, 6]).reshape([6, 6])) as tf.Tensor2D;
      assert.ok(Math.abs(batched[t] - infoNCEBound(st)) < 1e-6);
      st.dispose();
    }
    s.dispose();
  });

  it('infoNCEBound and infoNCEBoundBatched leave no tensors behind', () => {
    const s = tf.randomNormal([4, 4]) as tf.Tensor2D;
    const s3 = tf.randomNormal([2, 4, 4]) as tf.Tensor3D;
    assertNoLeak(() => [infoNCEBound(s), infoNCEBoundBatched(s3)]);
    tf.dispose([s, s3]);
  });

  it('infoNCEBound throws on non-square scores, N < 2 and the wrong rank', () => {
    const s = tf.zeros([3, 4]) as tf.Tensor2D;
    assert.throws(() => infoNCEBound(s), /infoNCEBound: scores must be square \[N, N\] \(row i's positive at column i\), got shape \[3,4\]/);
    const one = tf.zeros([1, 1]) as tf.Tensor2D;
    assert.throws(() => infoNCEBound(one), /infoNCEBound: scores must have N >= 2 .*, got N = 1/);
    const v = tf.zeros([4]) as unknown as tf.Tensor2D;
    assert.throws(() => infoNCEBound(v), /infoNCEBound: scores must have rank 2 \[N, N\], got rank 1 \[4\]/);
    tf.dispose([s, one, v]);
  });
});
