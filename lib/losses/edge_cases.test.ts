import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences } from '../tensor/test';
import { infoNCE } from './info_nce';
import { mocoInfoNCE } from './moco_info_nce';
import { nPairLoss } from './n_pair_loss';
import { ntXent } from './nt_xent';
import { softmaxCrossEntropy } from './softmax_cross_entropy';
import { tripletLoss } from './triplet_loss';

// The edge cases a peer loss library (pytorch-metric-learning) tests: no valid pairs, D = 1,
// duplicated rows, the hinge of the triplet loss, tiny losses, large offsets, an all-zero row.

/** Value and gradients of f at xs, as plain numbers; disposes everything it made. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[]): { value: number; grads: number[][] } {
  const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => f(...a))(xs);
  // + 0 turns -0 into 0: a zero gradient is zero whatever its sign bit
  const out = { value: value.dataSync()[0], grads: grads.map((g) => Array.from(g.dataSync(), (v) => v + 0)) };
  tf.dispose([value, ...grads]);
  return out;
}

const allFinite = (grads: number[][]) => grads.every((g) => g.every(Number.isFinite));
const maxAbs = (grads: number[][]) => Math.max(...grads.flat().map(Math.abs));

describe('lib/losses edge cases', () => {
  before(async () => {
    await initBackend();
  });

  describe('no valid pairs: one candidate per anchor', () => {
    it('ntXent(z1, z2) with N = 1 is 0 (only the positive is a candidate) and its gradient is exactly 0', () => {
      const z1 = tf.tensor2d([[1, 2, -1]]);
      const z2 = tf.tensor2d([[-3, 1, 0.5]]);
      const { value, grads } = valueAndGrads((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.1 }), [z1, z2]);
      assert.equal(value, 0);
      assert.deepEqual(grads, [[0, 0, 0], [0, 0, 0]]);
      tf.dispose([z1, z2]);
    });

    it('infoNCE([[s]]) with N = 1 is log 1 = 0 for any score, with gradient 0', () => {
      for (const s of [-50, 0, 3.5, 1e4]) {
        const scores = tf.tensor2d([[s]]);
        const { value, grads } = valueAndGrads((x) => infoNCE(x as tf.Tensor2D), [scores]);
        assert.equal(value, 0, `score ${s}`);
        assert.deepEqual(grads, [[0]]);
        scores.dispose();
      }
    });

    it('nPairLoss with M = 0 negatives and mocoInfoNCE with an empty queue throw: no candidate to contrast with', () => {
      const a = tf.ones([2, 3]) as tf.Tensor2D;
      const none = tf.zeros([2, 0, 3]) as tf.Tensor3D;
      const empty = tf.zeros([0, 3]) as tf.Tensor2D;
      assert.throws(() => nPairLoss(a, a, none), /nPairLoss: negatives must not be empty \(every axis >= 1\), got shape \[2,0,3\]/);
      assert.throws(() => mocoInfoNCE(a, a, empty), /mocoInfoNCE: queue must not be empty \(every axis >= 1\), got shape \[0,3\]/);
      tf.dispose([a, none, empty]);
    });
  });

  describe('D = 1', () => {
    it('ntXent on 1-D embeddings: unit "vectors" are +-1, so with views [2, -3] and [5, -1] the loss is log(1 + 2 e^(-2/tau)) and the gradient 0', () => {
      // Each anchor: the positive at cosine +1, the other two views at -1:
      // l = -log(e^(1/tau) / (e^(1/tau) + 2 e^(-1/tau))) = log(1 + 2 e^(-2/tau)) for all 4 anchors.
      // x / |x| is constant away from 0 in one dimension, so no input moves the loss.
      const tau = 0.5;
      const z1 = tf.tensor2d([[2], [-3]]);
      const z2 = tf.tensor2d([[5], [-1]]);
      const { value, grads } = valueAndGrads((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: tau }), [z1, z2]);
      assertClose(value, Math.log(1 + 2 * Math.exp(-2 / tau)), 1e-6);
      assert.ok(maxAbs(grads) < 1e-6, `gradient ${JSON.stringify(grads)}`);
      tf.dispose([z1, z2]);
    });

    it('tripletLoss on 1-D points: mean of max(0, (a-p)^2 - (a-n)^2 + margin), gradient 2(n - p)/B on the anchor of an active triplet', () => {
      // (0-1)^2 - (0-3)^2 + 1 = -7 (inactive); (2-2.5)^2 - (2-1)^2 + 1 = 0.25 (active)
      const a = tf.tensor2d([[0], [2]]);
      const p = tf.tensor2d([[1], [2.5]]);
      const n = tf.tensor2d([[3], [1]]);
      const { value, grads } = valueAndGrads((x, y, z) => tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D), [a, p, n]);
      assertClose(value, (0 + 0.25) / 2, 1e-7);
      // active triplet: d/da = 2(a-p) - 2(a-n) = 2(n-p) = 2(1 - 2.5) = -3, d/dp = -2(a-p) = 1, d/dn = 2(a-n) = 2; each / B = 2
      assert.deepEqual(grads, [[0, -3 / 2], [0, 1 / 2], [0, 2 / 2]]);
      tf.dispose([a, p, n]);
    });
  });

  describe('duplicated rows', () => {
    it('ntXent with two identical samples (a false negative) equals (4 log(3 + 2e^(-1/tau)) + 2 log(1 + 4e^(-1/tau))) / 6', () => {
      // views: e1, e1, e2 | e1, e1, e2. An e1 anchor sees 3 candidates at cosine 1 (its positive,
      // its duplicate, the duplicate's positive) and 2 at 0: l = -log(e^(1/tau) / (3e^(1/tau) + 2)).
      // An e2 anchor sees its positive at 1 and 4 at 0: l = log(1 + 4e^(-1/tau)).
      const tau = 0.2;
      const z = tf.tensor2d([[1, 0], [1, 0], [0, 1]]);
      const e = Math.exp(-1 / tau);
      const { value, grads } = valueAndGrads((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: tau }), [z, z]);
      assertClose(value, (4 * Math.log(3 + 2 * e) + 2 * Math.log(1 + 4 * e)) / 6, 1e-6);
      assert.ok(allFinite(grads));
      // near-duplicates (two separate tensors: one tensor passed twice would get both gradients)
      const w1 = tf.tensor2d([[1, 0.1], [1, -0.1], [0.2, 1]]);
      const w2 = tf.tensor2d([[1, 0.05], [1, -0.05], [0.1, 1]]);
      assertGradientsMatchFiniteDifferences((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: tau }), [w1, w2], { h: 1e-3 });
      tf.dispose([z, w1, w2]);
    });

    it('infoNCE on a score matrix with two equal rows and columns: each duplicate takes half the positive mass, loss log 2 + log(1 + ...)', () => {
      // scores: rows/cols 0 and 1 identical, all entries 5 in the 2x2 block, 0 elsewhere; row 2 positive 5.
      // rows 0, 1: -log(e^5 / (2e^5 + 1)) = log(2 + e^-5); row 2: -log(e^5 / (e^5 + 2)) = log(1 + 2e^-5).
      const s = tf.tensor2d([[5, 5, 0], [5, 5, 0], [0, 0, 5]]);
      assertClose(takeScalar(infoNCE(s)), (2 * Math.log(2 + Math.exp(-5)) + Math.log(1 + 2 * Math.exp(-5))) / 3, 1e-6);
      s.dispose();
    });
  });

  describe('the triplet hinge', () => {
    it('tripletLoss exactly at the hinge (|a-p|^2 - |a-n|^2 + margin = 1 - 2 + 1 = 0) is 0 with gradient exactly 0, like relu\'(0) = 0 in PyTorch', () => {
      const a = tf.tensor2d([[0, 0]]);
      const p = tf.tensor2d([[1, 0]]); // |a-p|^2 = 1
      const n = tf.tensor2d([[1, 1]]); // |a-n|^2 = 2
      const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor, margin: number) => tripletLoss(x as tf.Tensor2D, y as tf.Tensor2D, z as tf.Tensor2D, { margin });
      const at = valueAndGrads((x, y, z) => f(x, y, z, 1), [a, p, n]);
      assert.equal(at.value, 0);
      assert.deepEqual(at.grads, [[0, 0], [0, 0], [0, 0]]);
      // a hair inside (margin 1 + 2^-10): loss 2^-10 and the full gradient:
      // d/da = 2(n - p) = [0, 2], d/dp = 2(p - a) = [2, 0], d/dn = 2(a - n) = [-2, -2]
      const inside = valueAndGrads((x, y, z) => f(x, y, z, 1 + 2 ** -10), [a, p, n]);
      assert.equal(inside.value, 2 ** -10);
      assert.deepEqual(inside.grads, [[0, 2], [2, 0], [-2, -2]]);
      tf.dispose([a, p, n]);
    });
  });

  describe('precision of tiny losses', () => {
    it('softmaxCrossEntropy([[0, -10, -12]], [0]) = log(1 + e^-10 + e^-12) ~ 5.2e-5 within 2^-23 absolute; the negatives\' gradients to 1e-5 relative', () => {
      // The value is -log(p_target) with p_target ~ 1 - 5.2e-5 in float32, whose resolution near 1 is
      // 2^-24: the value is exact to about that, absolutely (1.5e-3 relative here), not relatively.
      const exact = Math.log1p(Math.exp(-10) + Math.exp(-12));
      const x = tf.tensor2d([[0, -10, -12]]);
      const { value, grads } = valueAndGrads((l) => softmaxCrossEntropy(l as tf.Tensor2D, [0]), [x]);
      assert.ok(Math.abs(value - exact) <= 2 ** -23, `value ${value}, exact ${exact}`);
      // the negatives' gradients are their softmax shares, e^-10 / Z and e^-12 / Z, to float32 relative precision
      const z = 1 + Math.exp(-10) + Math.exp(-12);
      assertClose(grads[0][1] / (Math.exp(-10) / z), 1, 1e-5, 'share of -10');
      assertClose(grads[0][2] / (Math.exp(-12) / z), 1, 1e-5, 'share of -12');
      x.dispose();
    });

    it('a loss below float32 resolution near 1 (log(1 + e^-30) ~ 9.4e-14) comes out >= 0 and within 2^-24 of it', () => {
      // -log(p_target) with p_target = 1 / (1 + e^-30) rounds to -log(1) = 0 in float32; the
      // absolute error is bounded by float32's relative precision at 1, 2^-24 ~ 6e-8.
      const x = tf.tensor2d([[30, 0], [0, 30]]);
      const v = takeScalar(infoNCE(x));
      assert.ok(v >= 0, `loss ${v} < 0`);
      assert.ok(Math.abs(v - Math.log1p(Math.exp(-30))) <= 2 ** -24, `loss ${v}`);
      x.dispose();
    });
  });

  describe('large offsets', () => {
    it('infoNCE(scores + 1e4) equals infoNCE(scores) to within ulp(1e4) = 2^-10: the softmax is shift-free, the value is logSumExp - picked', () => {
      // The shifted scores are exact (multiples of 2^-10 below 2^14). The softmax subtracts the row
      // max, so its shares and the gradient do not move; the value is formed as logSumExp (~1e4,
      // rounded to 2^-10) minus the picked score, which leaves that rounding in it.
      const s = tf.tensor2d([[2, 0.5, -1], [0.25, 1, 0], [-0.5, 0.75, 3]]);
      const shifted = tf.add(s, 1e4) as tf.Tensor2D;
      const [near, far] = [s, shifted].map((x) => valueAndGrads((l) => infoNCE(l as tf.Tensor2D), [x]));
      assert.ok(Math.abs(far.value - near.value) <= 2 ** -10, `${far.value} vs ${near.value}`);
      far.grads[0].forEach((g, i) => assertClose(g, near.grads[0][i], 1e-6, `gradient ${i}`));
      tf.dispose([s, shifted]);
    });

    it('tripletLoss(a + c, p + c, n + c) = tripletLoss(a, p, n) for c = 1000: distances are differences first, no cancellation', () => {
      const pts = [[[0, 0.5]], [[1, 0.25]], [[0.5, 1]]].map((r) => tf.tensor2d(r));
      const moved = pts.map((t) => tf.add(t, 1000) as tf.Tensor2D);
      // |a-p|^2 - |a-n|^2 + 1 = (1 + 1/16) - (1/4 + 1/4) + 1 = 1.5625
      const f = (xs: tf.Tensor[]) => takeScalar(tripletLoss(xs[0] as tf.Tensor2D, xs[1] as tf.Tensor2D, xs[2] as tf.Tensor2D));
      assert.equal(f(pts), 1.5625);
      assert.equal(f(moved), 1.5625);
      tf.dispose([...pts, ...moved]);
    });

    it('ntXent(c z1, c z2) = ntXent(z1, z2) for c = 1e6 and 1e-6: normalisation removes the scale', () => {
      const z1 = tf.tensor2d([[0.3, -1.2, 0.5], [1.1, 0.2, -0.4]]);
      const z2 = tf.tensor2d([[0.2, -1.0, 0.9], [1.3, 0.1, -0.2]]);
      const base = takeScalar(ntXent(z1, z2, { temperature: 0.1 }));
      for (const c of [1e6, 1e-6]) {
        const [a, b] = [z1, z2].map((z) => tf.mul(z, c) as tf.Tensor2D);
        assertClose(takeScalar(ntXent(a, b, { temperature: 0.1 })), base, 1e-5, `scale ${c}`);
        tf.dispose([a, b]);
      }
      tf.dispose([z1, z2]);
    });
  });

  describe('an all-zero row', () => {
    it('ntXent with a zero row: the row has no direction (cosine 0 with all), so the loss is (log 3 + 3 log(1 + 2e) - 2) / 4 at tau 1', () => {
      // views: 0, e1 | e1, e1 (pairs (0, e1) and (e1, e1)), tau = 1.
      // anchor 0 (zero): 3 candidates at cosine 0 -> log 3. anchor 1 (e1): the zero view at 0, two e1
      // views at 1, one of them its positive -> log(1 + 2e) - 1. anchor 2 (e1, positive = the zero
      // view): -log(e^0 / (1 + 2e)) = log(1 + 2e). anchor 3 (e1, positive e1) -> log(1 + 2e) - 1.
      const z1 = tf.tensor2d([[0, 0], [1, 0]]);
      const z2 = tf.tensor2d([[1, 0], [1, 0]]);
      const { value, grads } = valueAndGrads((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 1 }), [z1, z2]);
      assertClose(value, (Math.log(3) + 3 * Math.log(1 + 2 * Math.E) - 2) / 4, 1e-6);
      // lib/tensor's policy: the zero row passes no gradient (x / max(||x||, eps) gave ~1e11 here)
      assert.deepEqual(grads[0].slice(0, 2), [0, 0]);
      assert.ok(allFinite(grads) && maxAbs(grads) < 1, `gradients ${JSON.stringify(grads)}`);
      tf.dispose([z1, z2]);
    });

    it('ntXent with every row zero is log(2N - 1) (all candidates alike) with gradient exactly 0', () => {
      const z = tf.zeros([3, 4]) as tf.Tensor2D;
      const { value, grads } = valueAndGrads((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D, { temperature: 0.5 }), [z, z]);
      assertClose(value, Math.log(2 * 3 - 1), 1e-6);
      assert.ok(grads.flat().every((g) => g === 0));
      z.dispose();
    });
  });
});
