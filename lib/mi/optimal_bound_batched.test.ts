import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { gaussianCritic, gaussianCriticBatched } from './gaussian_critic';
import { infoNCEBound, infoNCEBoundBatched } from './info_nce_bound';
import { optimalBoundBatched } from './optimal_bound_batched';
import { sampleCorrelatedGaussiansBatched } from './sample_correlated_gaussians';
import { assertNoLeak } from '../tensor/test';

describe('optimalBoundBatched (boundExperiment fast path)', () => {
  before(async () => {
    await initBackend();
  });

  for (const n of [8, 256]) {
    it(`optimalBoundBatched(x, y, rho) equals infoNCEBoundBatched(gaussianCriticBatched(x, y, rho)) at N = ${n}`, () => {
      const { x, ys } = sampleCorrelatedGaussiansBatched({ n, dim: 20, rhos: [0.3, 0.85], seeds: [1, 2, 3] });
      [0.3, 0.85].forEach((rho, k) => {
        const fast = optimalBoundBatched(x, ys[k], rho);
        const scores = gaussianCriticBatched(x, ys[k], rho);
        const slow = infoNCEBoundBatched(scores);
        scores.dispose();
        fast.forEach((v, t) => assert.ok(Math.abs(v - slow[t]) < 1e-4 && v <= Math.log(n), `rho ${rho} trial ${t}: ${v} vs ${slow[t]}`));
      });
      tf.dispose([x, ...ys]);
    });
  }

  it('optimalBoundBatched falls back to the max-shifted path when a negative outscores the positive by > 80 nats', () => {
    // Row 0: x_0 = 100 with partner y_0 = 0, while y_1 = 100 matches it far better.
    const x = tf.tensor3d([[[100], [0]]]);
    const y = tf.tensor3d([[[0], [100]]]);
    const [fast] = optimalBoundBatched(x, y, 0.9);
    const s = gaussianCritic(x.reshape([2, 1]) as tf.Tensor2D, y.reshape([2, 1]) as tf.Tensor2D, 0.9);
    const safe = infoNCEBound(s);
    assert.ok(Number.isFinite(fast) && Math.abs(fast - safe) < 1e-3 * Math.abs(safe), `${fast} vs ${safe}`);
    tf.dispose([x, y, s]);
  });

  it('optimalBoundBatched leaves no tensors behind', () => {
    const { x, ys } = sampleCorrelatedGaussiansBatched({ n: 256, dim: 2, rhos: [0.5], seeds: [1] });
    assertNoLeak(() => optimalBoundBatched(x, ys[0], 0.5));
    tf.dispose([x, ...ys]);
  });
});
