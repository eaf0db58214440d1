import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { gaussianCritic, gaussianCriticBatched } from './gaussian_critic';
import { gaussianMI } from './gaussian_mi';
import { sampleCorrelatedGaussians } from './sample_correlated_gaussians';
import { assertNoLeak } from '../tensor/test';

/** log N(v; mean, var I) in float64. */
function logNormal(v: number[], mean: number[], variance: number): number {
  let q = 0;
  for (let k = 0; k < v.length; k++) q += (v[k] - mean[k]) ** 2;
  return -0.5 * v.length * Math.log(2 * Math.PI * variance) - q / (2 * variance);
}

describe('gaussianCritic', () => {
  before(async () => {
    await initBackend();
  });

  it('gaussianCritic(x, y, rho)[i][j] equals log N(y_j; rho x_i, 1 - rho^2) - log N(y_j; 0, 1) computed directly', () => {
    const rho = 0.8;
    const xs = [[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [-0.2, 0.9, 1.6]];
    const ys = [[0.1, -0.8, 0.2], [1.4, 0.1, -1.1], [-0.6, 1.3, 0.9]];
    const s = gaussianCritic(tf.tensor2d(xs), tf.tensor2d(ys), rho);
    const got = s.arraySync();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const want = logNormal(ys[j], xs[i].map((v) => rho * v), 1 - rho * rho) - logNormal(ys[j], [0, 0, 0], 1);
        assert.ok(Math.abs(got[i][j] - want) < 1e-4 * (1 + Math.abs(want)), `[${i}][${j}]: ${got[i][j]} vs ${want}`);
      }
    }
    s.dispose();
  });

  it('gaussianCritic diagonal averages to I(x; y) = gaussianMI(rho, dim) (within 5 standard errors)', () => {
    const rho = 0.6;
    const dim = 2;
    const n = 4000;
    const { x, y } = sampleCorrelatedGaussians({ n, dim, rho, seed: 5 });
    // Only the diagonal is needed: the critic of the paired rows, via a [n, n] matrix would be 16M; use chunks of 500.
    const diag: number[] = [];
    for (let c = 0; c < n; c += 500) {
      const d = tf.tidy(() => {
        const s = gaussianCritic(x.slice([c, 0], [500, dim]), y.slice([c, 0], [500, dim]), rho);
        return tf.sum(tf.mul(s, tf.eye(500)), 1);
      });
      diag.push(...d.dataSync());
      d.dispose();
    }
    const mean = diag.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(diag.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(mean - gaussianMI(rho, dim)) < (5 * sd) / Math.sqrt(n), `${mean} vs ${gaussianMI(rho, dim)}`);
    tf.dispose([x, y]);
  });

  it('gaussianCritic(x, y, rho) is the transpose of gaussianCritic(y, x, rho) (the PMI is symmetric)', () => {
    const { x, y } = sampleCorrelatedGaussians({ n: 6, dim: 4, rho: 0.5, seed: 9 });
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(gaussianCritic(x, y, 0.5), tf.transpose(gaussianCritic(y, x, 0.5))))));
    assert.ok(d.dataSync()[0] < 1e-4);
    tf.dispose([x, y, d]);
  });

  it('gaussianCriticBatched(x, y, rho) equals gaussianCritic on each trial, for N above and below the loop threshold', () => {
    for (const n of [5, 260]) {
      const x = tf.randomNormal([2, n, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
      const y = tf.randomNormal([2, n, 3], 0, 1, 'float32', 2) as tf.Tensor3D;
      const d = tf.tidy(() => {
        const b = gaussianCriticBatched(x, y, 0.4);
        const s1 = gaussianCritic(x.slice([1, 0, 0], [1, n, 3]).reshape([n, 3]), y.slice([1, 0, 0], [1, n, 3]).reshape([n, 3]), 0.4);
        return tf.max(tf.abs(tf.sub(b.slice([1, 0, 0], [1, n, n]).reshape([n, n]), s1)));
      });
      assert.ok(d.dataSync()[0] < 1e-4, `N = ${n}`);
      tf.dispose([x, y, d]);
    }
  });

  it('gaussianCritic gradient: d/dx sum_ij scores = (rho sum_j y_j - N rho^2 x_i) / (1 - rho^2)', () => {
    const rho = 0.5;
    const x = tf.tensor2d([[0.2, -0.4], [1.0, 0.3], [-0.5, 0.7]]);
    const y = tf.tensor2d([[0.1, 0.6], [-0.3, 0.2], [0.8, -0.9]]);
    const g = tf.grad((xx: tf.Tensor) => tf.sum(gaussianCritic(xx as tf.Tensor2D, y, rho)))(x);
    const ysum = [0.1 - 0.3 + 0.8, 0.6 + 0.2 - 0.9];
    const xs = x.arraySync();
    const got = g.arraySync() as number[][];
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 2; k++) {
        const want = (rho * ysum[k] - 3 * rho * rho * xs[i][k]) / (1 - rho * rho);
        assert.ok(Math.abs(got[i][k] - want) < 1e-4, `[${i}][${k}] ${got[i][k]} vs ${want}`);
      }
    }
    tf.dispose([x, y, g]);
  });

  it('gaussianCritic and gaussianCriticBatched leave only their result', () => {
    const x = tf.ones([4, 3]) as tf.Tensor2D;
    const x3 = tf.ones([2, 4, 3]) as tf.Tensor3D;
    const x3big = tf.ones([2, 256, 3]) as tf.Tensor3D;
    assertNoLeak(() => [gaussianCritic(x, x, 0.3), gaussianCriticBatched(x3, x3, 0.3), gaussianCriticBatched(x3big, x3big, 0.3)]);
    tf.dispose([x, x3, x3big]);
  });

  it('gaussianCritic throws on bad rank, mismatched shapes and rho outside (-1, 1)', () => {
    const x = tf.ones([4, 3]) as tf.Tensor2D;
    assert.throws(() => gaussianCritic(x, tf.ones([4, 2]) as tf.Tensor2D, 0.5), /gaussianCritic: x and y must have the same shape, got \[4,3\] and \[4,2\]/);
    assert.throws(() => gaussianCritic(tf.ones([4]) as unknown as tf.Tensor2D, x, 0.5), /gaussianCritic: x must have rank 2 \[N, dim\], got rank 1 \[4\]/);
    assert.throws(() => gaussianCritic(x, x, 1), /gaussianCritic: rho must be in \(-1, 1\), got 1/);
    assert.throws(() => gaussianCritic(x, x, -3), /got -3/);
  });
});
