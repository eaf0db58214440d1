import * as tf from '@tensorflow/tfjs';
import { seededNormals } from '../tensor';

/** Options for {@link sampleCorrelatedGaussians}. */
export interface SampleOptions {
  /** Number of (x, y) pairs, an integer >= 1. */
  n: number;
  /** Dimension of x and of y, an integer >= 1. */
  dim: number;
  /** Correlation of each coordinate pair, in (-1, 1); see rhoForMI. */
  rho: number;
  /** Integer seed: the same seed gives the same samples on every backend. */
  seed: number;
}

/**
 * Draws n pairs x ~ N(0, I_dim), y = rho x + sqrt(1 - rho^2) eps with eps ~ N(0, I_dim), so
 * (x_i, y_i) are positive pairs and I(x; y) = gaussianMI(rho, dim).
 * @returns `{x, y}`, each [n, dim] float32; the caller disposes them
 * @example const {x, y} = sampleCorrelatedGaussians({n: 64, dim: 20, rho: rhoForMI(4, 20), seed: 1});
 */
export function sampleCorrelatedGaussians(options: SampleOptions): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const { n, dim, rho, seed } = options;
  checkSampleOptions('sampleCorrelatedGaussians', n, dim, rho, seed);
  const { x, y } = correlatedArrays(n * dim, rho, seed);
  return { x: tf.tensor2d(x, [n, dim]), y: tf.tensor2d(y, [n, dim]) };
}

/**
 * Batched variant, one batch per seed, for several correlations at once (common random numbers:
 * every rho reuses the same x and eps). Trial t of `ys[k]` equals the `y` of
 * `sampleCorrelatedGaussians({n, dim, rho: rhos[k], seed: seeds[t]})` exactly, and `x` its `x`,
 * so a vectorised experiment and a per-trial loop see the same numbers.
 * @param options.seeds one integer seed per trial (T >= 1 of them)
 * @param options.rhos the correlations, each in (-1, 1)
 * @returns `x` [T, n, dim] and `ys[k]` [T, n, dim] for rhos[k]; the caller disposes them
 */
export function sampleCorrelatedGaussiansBatched(options: {
  n: number;
  dim: number;
  rhos: number[];
  seeds: number[];
}): { x: tf.Tensor3D; ys: tf.Tensor3D[] } {
  const fn = 'sampleCorrelatedGaussiansBatched';
  const { seeds, rhos, n, dim } = options;
  if (!Array.isArray(seeds) || seeds.length < 1) {
    throw new Error(`${fn}: seeds must be a non-empty array of integers, got ${JSON.stringify(seeds)}`);
  }
  if (!Array.isArray(rhos) || rhos.length < 1) {
    throw new Error(`${fn}: rhos must be a non-empty array of numbers in (-1, 1), got ${JSON.stringify(rhos)}`);
  }
  for (const seed of seeds) for (const rho of rhos) checkSampleOptions(fn, n, dim, rho, seed);
  const size = n * dim;
  const xs = new Float32Array(seeds.length * size);
  const epss = new Float32Array(seeds.length * size);
  seeds.forEach((seed, t) => {
    const z = seededNormals(2 * size, seed);
    xs.set(z.subarray(0, size), t * size);
    epss.set(z.subarray(size), t * size);
  });
  const shape: [number, number, number] = [seeds.length, n, dim];
  const ys = rhos.map((rho) => tf.tensor3d(combine(xs, epss, rho), shape));
  return { x: tf.tensor3d(xs, shape), ys };
}

function checkSampleOptions(fn: string, n: number, dim: number, rho: number, seed: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${fn}: n must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`${fn}: dim must be an integer >= 1, got ${dim}`);
  if (!Number.isFinite(rho) || rho <= -1 || rho >= 1) throw new Error(`${fn}: rho must be in (-1, 1), got ${rho}`);
  if (!Number.isInteger(seed)) throw new Error(`${fn}: seed must be an integer, got ${seed}`);
}

/** x from the first half of one normal stream, eps from the second, y = rho x + s eps. */
function correlatedArrays(size: number, rho: number, seed: number): { x: Float32Array; y: Float32Array } {
  const z = seededNormals(2 * size, seed);
  const x = z.slice(0, size);
  return { x, y: combine(x, z.subarray(size), rho) };
}

/** y = rho x + sqrt(1 - rho^2) eps, elementwise (float64 arithmetic, stored as float32). */
function combine(x: Float32Array, eps: Float32Array, rho: number): Float32Array {
  const s = Math.sqrt(1 - rho * rho);
  const y = new Float32Array(x.length);
  for (let k = 0; k < x.length; k++) y[k] = rho * x[k] + s * eps[k];
  return y;
}
