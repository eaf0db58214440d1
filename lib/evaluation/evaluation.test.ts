import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { mlpEncoder } from '../models';
import { alignment, cosineSimilarityMatrix, uniformity } from './geometry';
import { knnAccuracy, linearProbe } from './probes';
import { pca } from './pca';
import { extractFeatures } from './extract_features';
import { assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

const close = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) < tol, `${a} != ${b}`);
const num = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]);

describe('lib/evaluation', () => {
  before(async () => {
    await initBackend();
  });

  it('alignment(z, z) = 0 and alignment(z, -z) = 2^2 = 4 (antipodal pairs, alpha 2)', () => {
    const z = tf.tensor2d([[3, 4], [1, 0]]);
    close(num(() => alignment(z, z)), 0, 1e-3);
    close(num(() => alignment(z, tf.neg(z) as tf.Tensor2D)), 4);
    close(num(() => alignment(z, tf.neg(z) as tf.Tensor2D, 1)), 2);
    z.dispose();
  });

  it('uniformity of identical points is log(1) = 0; of two antipodal points log(exp(-2 * 4)) = -8', () => {
    close(num(() => uniformity(tf.tensor2d([[1, 1], [2, 2], [5, 5]]))), 0, 1e-3);
    close(num(() => uniformity(tf.tensor2d([[0, 1], [0, -1]]))), -8);
    // three points at 120 degrees: every pair has ||zi - zj||^2 = 3, so log(exp(-2 * 3)) = -6
    const s = Math.sqrt(3) / 2;
    close(num(() => uniformity(tf.tensor2d([[1, 0], [-0.5, s], [-0.5, -s]]))), -6, 1e-3);
  });

  it('alignment and uniformity: gradients match finite differences, no tensors leak', () => {
    const z = tf.tensor2d([[0.3, -1.2, 0.5], [1.1, 0.2, -0.4], [-0.7, 0.9, 0.8]]);
    const w = tf.tensor2d([[0.2, -1.0, 0.9], [1.3, 0.1, -0.2], [-0.4, 1.1, 0.6]]);
    assertGradientsMatchFiniteDifferences((x, y) => alignment(x as tf.Tensor2D, y as tf.Tensor2D), [z, w]);
    assertGradientsMatchFiniteDifferences((x) => uniformity(x as tf.Tensor2D), [z]);
    assertNoLeak(() => [alignment(z, w), uniformity(z), cosineSimilarityMatrix(z)]);
    tf.dispose([z, w]);
  });

  it('alignment/uniformity throw naming the bad shapes and parameters', () => {
    assert.throws(() => alignment(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 4]) as tf.Tensor2D), /^Error: alignment: z1 and z2 must have the same shape, got \[2,3\] and \[2,4\]$/);
    assert.throws(() => alignment(tf.zeros([2, 3]) as tf.Tensor2D, tf.zeros([2, 3]) as tf.Tensor2D, -1), /alignment: alpha must be a finite number > 0, got -1/);
    assert.throws(() => uniformity(tf.zeros([1, 3]) as tf.Tensor2D), /^Error: uniformity: z must have at least 2 rows \[n, dim\], got shape \[1,3\]$/);
    assert.throws(() => uniformity(tf.ones([2, 3]) as tf.Tensor2D, 0), /uniformity: t must be a finite number > 0, got 0/);
    assert.throws(() => cosineSimilarityMatrix(tf.ones([2, 3]) as tf.Tensor2D, tf.ones([2, 4]) as tf.Tensor2D), /cosineSimilarityMatrix: a and b must have the same width \(last axis\), got \[2,3\] and \[2,4\]/);
    assert.throws(() => pca(tf.ones([3]) as unknown as tf.Tensor2D), /pca: x must have rank 2 \[n, dim\], got rank 1 \[3\]/);
  });

  it('knnAccuracy is 1 on two well separated clusters and 0 when the test labels are swapped', () => {
    const train = tf.tensor2d([[1, 0.1], [1, -0.1], [0.1, 1], [-0.1, 1]]);
    const test = tf.tensor2d([[2, 0], [0, 3]]);
    assertNoLeak(() => {
      assert.equal(knnAccuracy(train, [0, 0, 1, 1], test, [0, 1], { k: 2 }), 1);
      assert.equal(knnAccuracy(train, [0, 0, 1, 1], test, [1, 0], { k: 2 }), 0);
    });
    assert.throws(() => knnAccuracy(train, [0, 0, 1, 1], test, [0, 1], { k: 5 }), /knnAccuracy: k must be an integer in \[1, 4\] .* got 5/);
    assert.throws(() => knnAccuracy(train, [0, 0, 1], test, [0, 1]), /knnAccuracy: train labels must have one entry per row \(4\), got 3/);
    tf.dispose([train, test]);
  });

  it('knnAccuracy weights votes by exp(cos / T): one very close neighbour outvotes two far ones', () => {
    // test point (1, 0): neighbour A at cos 1 (class 0), B and C at cos 0.6 (class 1).
    // weights with T = 0.1: e^10 = 22026 vs 2 e^6 = 807, so class 0 wins although outnumbered.
    const train = tf.tensor2d([[1, 0], [0.6, 0.8], [0.6, -0.8]]);
    const test = tf.tensor2d([[1, 0]]);
    assert.equal(knnAccuracy(train, [0, 1, 1], test, [0], { k: 3, temperature: 0.1 }), 1);
    // with a large temperature the weights are almost equal and the majority (class 1) wins
    assert.equal(knnAccuracy(train, [0, 1, 1], test, [0], { k: 3, temperature: 100 }), 0);
    tf.dispose([train, test]);
  });

  it('linearProbe separates linearly separable classes (accuracy 1) and leaks nothing', () => {
    const n = 200;
    const xs: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const y = i % 3;
      xs.push([y === 0 ? 3 : 0, y === 1 ? 3 : 0, y === 2 ? 3 : 0].map((v, j) => v + Math.sin(i * 7 + j)));
      ys.push(y);
    }
    const x = tf.tensor2d(xs);
    assertNoLeak(() => assert.equal(linearProbe(x, ys, x, ys, { steps: 100 }).accuracy, 1), { warmUp: false });
    assert.throws(() => linearProbe(x, ys, tf.zeros([2, 4]) as tf.Tensor2D, [0, 1]), /linearProbe: trainX and testX must have the same width \(last axis\), got \[200,3\] and \[2,4\]/);
    assert.throws(() => linearProbe(x, ys, x, ys, { batchSize: 0 }), /linearProbe: batchSize must be an integer >= 1, got 0/);
    x.dispose();
  });

  it('pca finds the axis of a line: explained variance [1, ~0] and |projection| = distance along the line', () => {
    const t = [-2, -1, 0, 1, 2];
    const x = tf.tensor2d(t.map((s) => [3 * s * 0.6, 3 * s * 0.8, 0]));
    const { projected, explained } = pca(x);
    close(explained[0], 1, 1e-4);
    close(explained[1], 0, 1e-4);
    const p = projected.arraySync() as number[][];
    t.forEach((s, i) => close(Math.abs(p[i][0]), 3 * Math.abs(s), 1e-3));
    tf.dispose([x, projected]);
  });

  it('cosineSimilarityMatrix has ones on the diagonal and cos of the angle elsewhere', () => {
    const s = tf.tidy(() => cosineSimilarityMatrix(tf.tensor2d([[1, 0], [1, 1]])).arraySync());
    close(s[0][0], 1);
    close(s[1][1], 1);
    close(s[0][1], Math.SQRT1_2);
  });

  it('extractFeatures(model, set, 2) equals model.apply on the whole set (eval mode), in batches', () => {
    const f = mlpEncoder({ hidden: [5] });
    const images = new Float32Array(3 * 784).map((_, i) => (i % 13) / 13);
    const set = { images, labels: new Uint8Array(3), n: 3, height: 28, width: 28 };
    const feats = extractFeatures(f, set, 2);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(feats, f.apply(tf.tensor4d(images, [3, 28, 28, 1]))))).dataSync()[0]);
    assert.deepEqual(feats.shape, [3, 5]);
    close(diff, 0, 1e-6);
    feats.dispose();
    f.dispose();
  });
});
