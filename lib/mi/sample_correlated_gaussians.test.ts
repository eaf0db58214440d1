import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { sampleCorrelatedGaussians, sampleCorrelatedGaussiansBatched } from './sample_correlated_gaussians';
import { assertNoLeak } from '../tensor/test';

describe('sampleCorrelatedGaussians', () => {
  before(async () => {
    await initBackend();
  });

  it('sampleCorrelatedGaussians({n, dim, rho, seed}) has per-coordinate correlation rho', () => {
    const n = 20_000;
    const rho = 0.7;
    const { x, y } = sampleCorrelatedGaussians({ n, dim: 2, rho, seed: 3 });
    const xs = x.dataSync();
    const ys = y.dataSync();
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let k = 0; k < xs.length; k++) {
      sxy += xs[k] * ys[k];
      sxx += xs[k] * xs[k];
      syy += ys[k] * ys[k];
    }
    const r = sxy / Math.sqrt(sxx * syy);
    // sd of a sample correlation is about (1 - rho^2) / sqrt(samples)
    assert.ok(Math.abs(r - rho) < (5 * (1 - rho * rho)) / Math.sqrt(xs.length), `r = ${r}`);
    tf.dispose([x, y]);
  });

  it('sampleCorrelatedGaussiansBatched trial t equals sampleCorrelatedGaussians with seeds[t], for every rho', () => {
    const rhos = [0.1, 0.9];
    const seeds = [11, 12, 13];
    const b = sampleCorrelatedGaussiansBatched({ n: 4, dim: 3, rhos, seeds });
    assert.deepEqual(b.x.shape, [3, 4, 3]);
    seeds.forEach((seed, t) => {
      rhos.forEach((rho, k) => {
        const s = sampleCorrelatedGaussians({ n: 4, dim: 3, rho, seed });
        const bx = tf.tidy(() => tf.slice(b.x, [t, 0, 0], [1, 4, 3]).reshape([4, 3]));
        const by = tf.tidy(() => tf.slice(b.ys[k], [t, 0, 0], [1, 4, 3]).reshape([4, 3]));
        assert.deepEqual(bx.dataSync(), s.x.dataSync());
        assert.deepEqual(by.dataSync(), s.y.dataSync());
        tf.dispose([s.x, s.y, bx, by]);
      });
    });
    tf.dispose([b.x, ...b.ys]);
  });

  it('sampleCorrelatedGaussians leaves only the two returned tensors', () => {
    assertNoLeak(() => {
      const { x, y } = sampleCorrelatedGaussians({ n: 8, dim: 2, rho: 0.5, seed: 1 });
      assert.deepEqual([x.shape, y.shape], [[8, 2], [8, 2]]);
      return [x, y];
    });
  });

  it('sampleCorrelatedGaussians throws on bad n, dim, rho, seed naming the value', () => {
    const ok = { n: 4, dim: 2, rho: 0.5, seed: 1 };
    assert.throws(() => sampleCorrelatedGaussians({ ...ok, n: 0 }), /sampleCorrelatedGaussians: n must be an integer >= 1, got 0/);
    assert.throws(() => sampleCorrelatedGaussians({ ...ok, dim: 0 }), /dim must be an integer >= 1, got 0/);
    assert.throws(() => sampleCorrelatedGaussians({ ...ok, rho: 1 }), /rho must be in \(-1, 1\), got 1/);
    assert.throws(() => sampleCorrelatedGaussians({ ...ok, seed: 0.5 }), /seed must be an integer, got 0.5/);
    assert.throws(() => sampleCorrelatedGaussiansBatched({ n: 4, dim: 2, rhos: [0.5], seeds: [] }), /seeds must be a non-empty array/);
  });
});
