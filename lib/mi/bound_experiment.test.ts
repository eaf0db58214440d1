import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { boundExperiment } from './bound_experiment';
import { gaussianCritic } from './gaussian_critic';
import { infoNCEBound } from './info_nce_bound';
import { rhoForMI } from './rho_for_mi';
import { sampleCorrelatedGaussians } from './sample_correlated_gaussians';
import { trialSeed } from './trial_seed';
import { assertNoLeak } from '../tensor/test';

describe('boundExperiment', () => {
  before(async () => {
    await initBackend();
  });

  it('boundExperiment rows: mean <= log N, tight (within 0.15 nat) when I << log N, near log N when I >> log N', () => {
    const rows = boundExperiment({ dim: 20, mis: [0.5, 12], batchSizes: [8, 64], trials: 20, seed: 1 });
    assert.equal(rows.length, 4);
    for (const r of rows) {
      assert.ok(r.holds, JSON.stringify(r));
      assert.ok(r.mean <= r.logN);
      assert.equal(r.logN, Math.log(r.batchSize));
    }
    const [small8, small64, big8] = rows;
    assert.ok(small64.trueMI - small64.mean < 0.15 && small64.trueMI - small64.mean > -3 * small64.stderr, JSON.stringify(small64));
    assert.ok(small8.mean < small64.mean + 3 * (small8.stderr + small64.stderr)); // more negatives, tighter
    assert.ok(big8.logN - big8.mean < 0.05, JSON.stringify(big8)); // saturated at log 8
  });

  it('boundExperiment equals a plain per-trial loop with trialSeed(seed, b, t) (same draws, same numbers)', () => {
    const [row] = boundExperiment({ dim: 5, mis: [3], batchSizes: [4, 16], trials: 3, seed: 42 }).slice(1);
    const rho = rhoForMI(3, 5);
    const values = [0, 1, 2].map((t) => {
      const { x, y } = sampleCorrelatedGaussians({ n: 16, dim: 5, rho, seed: trialSeed(42, 1, t) });
      const s = gaussianCritic(x, y, rho);
      const v = infoNCEBound(s);
      tf.dispose([x, y, s]);
      return v;
    });
    const mean = values.reduce((a, b) => a + b, 0) / 3;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
    assert.ok(Math.abs(row.mean - mean) < 1e-5);
    assert.ok(Math.abs(row.stderr - sd / Math.sqrt(3)) < 1e-5);
    assert.deepEqual(row.ci95, [row.mean - 1.96 * row.stderr, row.mean + 1.96 * row.stderr]);
  });

  it("boundExperiment({critic: 'dot'}) is a valid but looser bound than the optimal critic", () => {
    const opts = { dim: 4, mis: [1], batchSizes: [32], trials: 10, seed: 3 };
    const [opt] = boundExperiment(opts);
    const [dot] = boundExperiment({ ...opts, critic: 'dot' });
    assert.ok(dot.holds && dot.mean < opt.mean, `${dot.mean} vs ${opt.mean}`);
  });

  it('boundExperiment leaves no tensors behind', () => {
    assertNoLeak(() => boundExperiment({ dim: 2, mis: [1], batchSizes: [4, 300], trials: 2, seed: 0 }));
  });

  it('boundExperiment throws on trials < 2, N < 2, mi < 0, dim < 1 and an unknown critic', () => {
    assert.throws(() => boundExperiment({ trials: 1 }), /boundExperiment: trials must be an integer in \[2, 10006\], got 1/);
    assert.throws(() => boundExperiment({ batchSizes: [64, 1] }), /boundExperiment: every batch size N must be an integer >= 2, got 1/);
    assert.throws(() => boundExperiment({ mis: [-0.5] }), /boundExperiment: every mi must be a finite number >= 0 \(nats\), got -0.5/);
    assert.throws(() => boundExperiment({ dim: 0 }), /boundExperiment: dim must be an integer >= 1, got 0/);
    assert.throws(() => boundExperiment({ critic: 'best' as 'dot' }), /critic must be 'optimal', 'dot' or a function/);
  });
});
