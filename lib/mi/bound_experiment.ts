import * as tf from '@tensorflow/tfjs';
import { gaussianCriticBatched } from './gaussian_critic';
import { infoNCEBoundBatched } from './info_nce_bound';
import { optimalBoundBatched } from './optimal_bound_batched';
import { rhoForMI } from './rho_for_mi';
import { sampleCorrelatedGaussiansBatched } from './sample_correlated_gaussians';
import { trialSeed } from './trial_seed';

/** A critic on batched pairs: x, y [T, N, dim] -> scores [T, N, N], positives on the diagonal. */
export type BatchedCritic = (x: tf.Tensor3D, y: tf.Tensor3D, rho: number) => tf.Tensor3D;

/** Settings of {@link boundExperiment}; every field has a default (Poole et al. 2019, fig. 2). */
export interface BoundExperimentOptions {
  /** Dimension of x and y. */
  dim?: number; // default 20
  /** True mutual informations to test, nats. */
  mis?: number[]; // default [2, 4, 6, 8, 10]
  /** Batch sizes N (candidates per row: 1 positive + N - 1 negatives). */
  batchSizes?: number[]; // default [64, 128, 256, 512]
  /** Independent batches per (mi, N) cell, >= 2 (needed for a standard error). */
  trials?: number; // default 100
  /** Seed; trial t of batch size batchSizes[b] uses trialSeed(seed, b, t) for every mi. */
  seed?: number; // default 0
  /** 'optimal' = gaussianCritic; 'dot' = x_i . y_j (valid, looser); or your own batched critic. */
  critic?: 'optimal' | 'dot' | BatchedCritic; // default 'optimal'
  /** Upper bound on T * N * N floats per vectorised chunk (memory, not results). */
  maxChunkElements?: number; // default 2^22 (16 MB of scores)
}

/** One (trueMI, N) cell of a bound experiment. */
export interface BoundExperimentRow {
  /** I(x; y) in nats. */
  trueMI: number;
  /** N, the batch size. */
  batchSize: number;
  /** log N, the ceiling of the bound. */
  logN: number;
  /** Mean over trials of log N - L. */
  mean: number;
  /** Standard error of the mean: sample sd (n - 1 denominator) / sqrt(trials). */
  stderr: number;
  /** 95% normal interval [mean - 1.96 stderr, mean + 1.96 stderr]. */
  ci95: [number, number];
  /** mean - 2.58 stderr <= trueMI (not significantly above I at 1%) AND no trial above log N + 1e-6. */
  holds: boolean;
}

/**
 * Estimates the InfoNCE bound log N - L on correlated Gaussians for a grid of true MI and
 * batch sizes, `trials` batches per cell, all trials of a cell vectorised as [T, N, N] ops.
 * @returns one row per (mi, N), mi-major (all batch sizes of mis[0] first)
 * @example boundExperiment({mis: [2, 10], batchSizes: [64], trials: 20})
 */
export function boundExperiment(options: BoundExperimentOptions = {}): BoundExperimentRow[] {
  const {
    dim = 20,
    mis = [2, 4, 6, 8, 10],
    batchSizes = [64, 128, 256, 512],
    trials = 100,
    seed = 0,
    critic = 'optimal',
    maxChunkElements = 2 ** 22,
  } = options;
  const fn = 'boundExperiment';
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${fn}: dim must be an integer >= 1, got ${dim}`);
  if (!Array.isArray(mis) || mis.length === 0) throw new Error(`${fn}: mis must be a non-empty array of numbers >= 0, got ${JSON.stringify(mis)}`);
  for (const mi of mis) {
    if (!Number.isFinite(mi) || mi < 0) throw new Error(`${fn}: every mi must be a finite number >= 0 (nats), got ${mi}`);
    if (rhoForMI(mi, dim) >= 1) throw new Error(`${fn}: mi = ${mi} is too large for dim = ${dim} (rho rounds to 1); use mi / dim < 18`);
  }
  if (!Array.isArray(batchSizes) || batchSizes.length === 0) throw new Error(`${fn}: batchSizes must be a non-empty array of integers >= 2, got ${JSON.stringify(batchSizes)}`);
  for (const n of batchSizes) if (!Number.isInteger(n) || n < 2) throw new Error(`${fn}: every batch size N must be an integer >= 2, got ${n}`);
  if (!Number.isInteger(trials) || trials < 2 || trials >= 10_007) throw new Error(`${fn}: trials must be an integer in [2, 10006], got ${trials}`);
  if (!Number.isInteger(seed)) throw new Error(`${fn}: seed must be an integer, got ${seed}`);
  const criticFn = resolveCritic(critic);

  const rhos = mis.map((mi) => rhoForMI(mi, dim));
  const estimates = mis.map(() => batchSizes.map(() => new Float64Array(trials))); // [mi][N][trial]
  batchSizes.forEach((n, b) => {
    const chunk = Math.max(1, Math.floor(maxChunkElements / (n * n)));
    for (let t0 = 0; t0 < trials; t0 += chunk) {
      const seeds = [];
      for (let t = t0; t < Math.min(trials, t0 + chunk); t++) seeds.push(trialSeed(seed, b, t));
      const { x, ys } = sampleCorrelatedGaussiansBatched({ n, dim, rhos, seeds });
      ys.forEach((y, a) => {
        if (critic === 'optimal') {
          estimates[a][b].set(optimalBoundBatched(x, y, rhos[a]), t0); // fused, same numbers
        } else {
          const scores = tf.tidy(() => criticFn(x, y, rhos[a]));
          estimates[a][b].set(infoNCEBoundBatched(scores), t0);
          scores.dispose();
        }
        y.dispose();
      });
      x.dispose();
    }
  });
  return mis.flatMap((mi, a) => batchSizes.map((n, b) => summarize(mi, n, estimates[a][b])));
}

function resolveCritic(critic: BoundExperimentOptions['critic']): BatchedCritic {
  if (critic === 'optimal') return gaussianCriticBatched;
  if (critic === 'dot') return (x, y) => tf.matMul(x, y, false, true);
  if (typeof critic === 'function') return critic;
  throw new Error(`boundExperiment: critic must be 'optimal', 'dot' or a function (x, y, rho) => scores, got ${JSON.stringify(critic)}`);
}

function summarize(trueMI: number, batchSize: number, estimates: Float64Array): BoundExperimentRow {
  const k = estimates.length;
  const logN = Math.log(batchSize);
  let sum = 0;
  let max = -Infinity;
  for (const e of estimates) {
    sum += e;
    max = Math.max(max, e);
  }
  const mean = sum / k;
  let ss = 0;
  for (const e of estimates) ss += (e - mean) ** 2;
  const stderr = Math.sqrt(ss / (k - 1)) / Math.sqrt(k);
  const holds = mean - 2.58 * stderr <= trueMI && max <= logN + 1e-6;
  return { trueMI, batchSize, logN, mean, stderr, ci95: [mean - 1.96 * stderr, mean + 1.96 * stderr], holds };
}
