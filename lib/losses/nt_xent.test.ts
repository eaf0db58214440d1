import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { ntXent } from './nt_xent';
import { l2Normalize, takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

/** N unit vectors in R^N pairwise at cosine -1/(N-1): e_i - (1/N) 1, the regular simplex. */
function simplex(n: number): tf.Tensor2D {
  return tf.tidy(() => tf.sub(tf.eye(n), 1 / n) as tf.Tensor2D);
}

/** The textbook NT-Xent in float64, from the definition (normalise, cosine / tau, softmax without self). */
function ntXentReference(z1: number[][], z2: number[][], tau: number): number {
  const z = [...z1, ...z2].map((r) => {
    const norm = Math.hypot(...r); // lib/tensor's policy: a row of norm < 1e-12 has no direction, maps to 0
    return r.map((v) => (norm >= 1e-12 ? v / norm : 0));
  });
  const n = z1.length;
  let total = 0;
  for (let i = 0; i < 2 * n; i++) {
    const s = z.map((r) => r.reduce((acc, v, k) => acc + v * z[i][k], 0) / tau);
    const max = Math.max(...s.filter((_, j) => j !== i));
    const logSumExp = max + Math.log(s.reduce((acc, v, j) => (j === i ? acc : acc + Math.exp(v - max)), 0));
    total += logSumExp - s[(i + n) % (2 * n)];
  }
  return total / (2 * n);
}

/** The textbook NT-Xent on tfjs ops (l2Normalize, eye mask, one-hot, logSoftmax), for autodiff gradients. */
function ntXentAutodiff(z1: tf.Tensor, z2: tf.Tensor, tau: number): tf.Scalar {
  const n = z1.shape[0];
  const z = tf.concat([z1, z2]);
  const unit = l2Normalize(z);
  const logits = tf.sub(tf.div(tf.matMul(unit, tf.transpose(unit)), tau), tf.mul(tf.eye(2 * n), 1e9));
  const target = tf.oneHot(tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]), 2 * n);
  return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

describe('ntXent', () => {
  before(async () => {
    await initBackend();
  });

  it('ntXent(z, z) equals log(2N-1) when all embeddings coincide, for any tau', () => {
    const n = 5;
    for (const temperature of [0.01, 0.1, 0.5, 2]) {
      const z = tf.ones([n, 3]) as tf.Tensor2D;
      assertClose(takeScalar(ntXent(z, z, { temperature })), Math.log(2 * n - 1), 1e-5, `tau ${temperature}`);
      z.dispose();
    }
  });

  it('ntXent(v, v) on a regular simplex equals log(1 + 2(N-1) exp(-N / ((N-1) tau))), its minimum', () => {
    // Each pair's two views coincide (positive cosine 1); distinct samples sit at cosine -1/(N-1),
    // the most spread N unit vectors can be. Per anchor: 1 positive at 1/tau and 2(N-1) negatives
    // at -1/((N-1) tau), so l = log(1 + 2(N-1) exp(-(1 + 1/(N-1)) / tau)).
    const n = 4;
    const tau = 0.5;
    const v = simplex(n);
    const expected = Math.log(1 + 2 * (n - 1) * Math.exp(-n / ((n - 1) * tau)));
    assertClose(takeScalar(ntXent(v, v, { temperature: tau })), expected, 1e-5);
    // A minimum: the gradient vanishes and small perturbations only raise the loss.
    const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: tau }))([v, v]);
    assert.ok(tf.max(tf.abs(tf.concat([g1, g2]))).dataSync()[0] < 1e-5, 'gradient at the simplex is 0');
    tf.dispose([g1, g2]);
    for (let seed = 0; seed < 5; seed++) {
      const [a, b] = [0, 1].map((k) => tf.add(v, tf.randomNormal([n, n], 0, 0.05, 'float32', 10 * seed + k)) as tf.Tensor2D);
      assert.ok(takeScalar(ntXent(a, b, { temperature: tau })) > expected, `perturbation ${seed} lowered the loss`);
      tf.dispose([a, b]);
    }
    v.dispose();
  });

  it('ntXent(z1, z2) is the mean over 2N anchors: N=1 has one candidate, so loss 0', () => {
    const z1 = tf.tensor2d([[1, 2]]);
    const z2 = tf.tensor2d([[-3, 1]]);
    assertClose(takeScalar(ntXent(z1, z2, { temperature: 0.5 })), 0, 1e-6);
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2) with N=2 equals the hand-written mean over 4 anchors', () => {
    const z1 = tf.tensor2d([[1, 0], [0, 1]]);
    const z2 = tf.tensor2d([[1, 1], [-1, 0]]);
    const tau = 0.5;
    // unit vectors: a=(1,0), b=(0,1), c=(1,1)/sqrt2, d=(-1,0); pairs (a,c), (b,d)
    const r = Math.SQRT1_2;
    const s = { ab: 0, ac: r, ad: -1, bc: r, bd: 0, cd: -r };
    const l = (pos: number, n1: number, n2: number) =>
      -Math.log(Math.exp(pos / tau) / (Math.exp(pos / tau) + Math.exp(n1 / tau) + Math.exp(n2 / tau)));
    const expected = (l(s.ac, s.ab, s.ad) + l(s.bd, s.ab, s.bc) + l(s.ac, s.bc, s.cd) + l(s.bd, s.ad, s.cd)) / 4;
    assertClose(takeScalar(ntXent(z1, z2, { temperature: tau })), expected, 1e-6);
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2) does not change when rows are rescaled (cosine similarity)', () => {
    const z1 = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const z2 = tf.randomNormal([6, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const scaled = tf.mul(z1, tf.tensor2d([1, 10, 0.1, 3, 7, 0.5], [6, 1])) as tf.Tensor2D;
    assertClose(takeScalar(ntXent(scaled, z2)), takeScalar(ntXent(z1, z2)), 1e-5);
    tf.dispose([z1, z2, scaled]);
  });

  it('ntXent(z1, z2) gradients match finite differences', () => {
    const z1 = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
    const z2 = tf.randomNormal([5, 3], 0, 1, 'float32', 4);
    assertGradientsMatchFiniteDifferences((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.5 }), [z1, z2]);
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2) equals the float64 definition at tau 0.5, 0.05 and 0.02 (both ways of taking the log)', () => {
    // tau >= 0.04 at N = 6 reads the loss off the positive's probability; 0.02 goes through the row maximum.
    const z1 = tf.randomNormal([6, 5], 0, 1, 'float32', 11) as tf.Tensor2D;
    const z2 = tf.randomNormal([6, 5], 0, 1, 'float32', 12) as tf.Tensor2D;
    for (const tau of [0.5, 0.05, 0.02]) {
      const expected = ntXentReference(z1.arraySync(), z2.arraySync(), tau);
      assertClose(takeScalar(ntXent(z1, z2, { temperature: tau })), expected, 2e-5, `tau ${tau}`);
    }
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2) gradients equal autodiff of the textbook formula, also for rows below the norm floor and at tau 0.02', () => {
    // Rows 0 and 1 of z1 have norms below 1e-12 (row 1 is 0): no direction, so value 0 and no gradient.
    const tiny = tf.concat([tf.mul(tf.randomNormal([1, 4], 0, 1, 'float32', 15), 1e-14), tf.zeros([1, 4])]);
    const z1 = tf.concat([tiny, tf.randomNormal([3, 4], 0, 1, 'float32', 13)]) as tf.Tensor2D;
    const z2 = tf.randomNormal([5, 4], 0, 3, 'float32', 14) as tf.Tensor2D;
    for (const tau of [0.5, 0.02]) {
      const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: tau }))([z1, z2]);
      const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXentAutodiff(a, b, tau))([z1, z2]);
      ours.forEach((g, i) => {
        const scale = tf.max(tf.abs(ref[i])).dataSync()[0];
        const diff = tf.max(tf.abs(tf.sub(g, ref[i]))).dataSync()[0];
        assert.ok(diff <= 1e-5 * Math.max(scale, 1), `tau ${tau}, input ${i}: max diff ${diff}, scale ${scale}`);
      });
      tf.dispose([...ours, ...ref]);
    }
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2) leaks no tensor, forward or with gradients', () => {
    const z1 = tf.randomNormal([4, 3]) as tf.Tensor2D;
    const z2 = tf.randomNormal([4, 3]) as tf.Tensor2D;
    assertNoLeak(() => ntXent(z1, z2));
    assertNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D))([z1, z2]));
    assertNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.01 }))([z1, z2]));
    tf.dispose([z1, z2]);
  });

  it('ntXent(z1, z2, {temperature: 0.01}) stays finite with norms around 1e4', () => {
    const z1 = tf.randomNormal([8, 4], 0, 1e4, 'float32', 5) as tf.Tensor2D;
    const z2 = tf.randomNormal([8, 4], 0, 1e4, 'float32', 6) as tf.Tensor2D;
    const loss = takeScalar(ntXent(z1, z2, { temperature: 0.01 }));
    assert.ok(Number.isFinite(loss) && loss >= 0, `loss ${loss}`);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.01 }))([z1, z2]);
    for (const g of grads) assert.ok(tf.all(tf.isFinite(g)).dataSync()[0] === 1, 'gradient finite');
    tf.dispose([z1, z2, ...grads]);
  });

  it('ntXent throws naming the argument, the bad value and the fix', () => {
    const a = tf.ones([4, 3]) as tf.Tensor2D;
    const b = tf.ones([4, 2]) as tf.Tensor2D;
    const r3 = tf.ones([4, 3, 1]) as unknown as tf.Tensor2D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    assert.throws(() => ntXent(a, b), /^Error: ntXent: z1 and z2 must have the same shape, got \[4,3\] and \[4,2\]$/);
    assert.throws(() => ntXent(a, a, { temperature: 0 }), /ntXent: temperature must be a finite number > 0, got 0/);
    assert.throws(() => ntXent(a, a, { temperature: -0.1 }), /ntXent: temperature must be a finite number > 0, got -0.1/);
    assert.throws(() => ntXent(a, a, { temperature: NaN }), /ntXent: temperature must be a finite number > 0, got NaN/);
    assert.throws(() => ntXent(r3, a), /ntXent: z1 must have rank 2 \[N, D\], got rank 3 \[4,3,1\]/);
    assert.throws(() => ntXent(empty, empty), /ntXent: z1 must not be empty \(every axis >= 1\), got shape \[0,3\]/);
    assert.throws(() => ntXent([[1]] as unknown as tf.Tensor2D, a), /ntXent: z1 must be a tf.Tensor of shape \[N, D\], got an array of length 1/);
    tf.dispose([a, b, r3, empty]);
  });
});
