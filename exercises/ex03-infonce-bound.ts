// Generated from solutions/ex03-infonce-bound.ts by `npm run gen:exercises`.
// Students: write your code between the TODO markers. Instructors: edit the solution and regenerate.
/**
 * Exercise 3 - the InfoNCE bound, checked with numbers.
 *
 * Pairs (x_i, y_i), i = 0..N-1, are drawn from a joint p(x, y); a critic f scores every x_i
 * against every y_j, giving scores[i][j] = f(x_i, y_j) (an [N, N] matrix). Row i's POSITIVE is
 * column i (its own partner y_i); the other N - 1 columns are its negatives, so each row has
 * N candidates. The InfoNCE loss is the MEAN over the N rows of the cross-entropy of a row-wise
 * softmax (softmax over j, natural log):
 *
 *   L = -(1/N) sum_i log( exp(scores[i][i]) / sum_j exp(scores[i][j]) )
 *
 * and for ANY critic (Poole et al. 2019, section 3) E[log N - L] <= I(x; y). The bound can never
 * exceed log N (L >= 0), so it saturates at log N when I(x; y) is large.
 *
 * The data: x ~ N(0, I_dim), y = rho x + sqrt(1 - rho^2) eps with eps ~ N(0, I_dim), for which
 * I(x; y) = -(dim/2) log(1 - rho^2) nats and rho = sqrt(1 - exp(-2 I / dim)).
 *
 * You may import building blocks from the library (the sampler, rhoForMI, gaussianMI,
 * trialSeed), but NOT the library's critic, loss or bound (lib/mi gaussianCritic, infoNCEBound,
 * boundExperiment; lib/losses infoNCE): the autograder rejects those imports.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussianMI } from '../lib/mi/gaussian_mi'; // I(x; y) for a rho, if you want to check rhoForMI
import { rhoForMI } from '../lib/mi/rho_for_mi';
import { sampleCorrelatedGaussians } from '../lib/mi/sample_correlated_gaussians';
import { trialSeed } from '../lib/mi/trial_seed';

/**
 * The InfoNCE loss of a square score matrix.
 * @param scores [N, N], N >= 2, scores[i][j] = f(x_i, y_j); row i's positive is column i
 * @returns scalar L = mean over rows i of -log softmax_j(scores[i])[i] (natural log; MEAN over
 *   rows, not the sum; softmax over each ROW, i.e. over axis 1). L >= 0, and L = log N when all
 *   scores are equal.
 * @example infoNCELoss(tf.zeros([4, 4])).print(); // log 4 = 1.3863
 * WARNING: subtract each row's maximum before exp (log-sum-exp); scores of 100 overflow float32.
 * Throws for a non-square matrix, N < 2 or a rank other than 2.
 */
export function infoNCELoss(scores: tf.Tensor2D): tf.Scalar {
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex03 infoNCELoss: not implemented yet - write your code between the TODO markers in exercises/ex03-infonce-bound.ts');
  // TODO END
}

/**
 * The optimal critic for the Gaussian pairs above, in closed form:
 * scores[i][j] = log p(y_j | x_i) / p(y_j), with p(y | x) = N(rho x, (1 - rho^2) I) and
 * p(y) = N(0, I), i.e.
 *   -(dim/2) log(1 - rho^2) - |y_j - rho x_i|^2 / (2 (1 - rho^2)) + |y_j|^2 / 2.
 * The full expression, constants included: its diagonal averages to I(x; y).
 * @param x [N, dim]
 * @param y [N, dim]; y_i is the partner of x_i
 * @param rho the correlation the pairs were drawn with, in (-1, 1)
 * @returns scores [N, N] (natural log); row i's positive is column i
 * @example gaussianCritic(x, y, rhoForMI(4, 20)) // [N, N]
 * WARNING: the variance of p(y|x) is 1 - rho^2, not 1, and both Gaussian exponents carry the
 * factor -1/2. Throws for rho outside (-1, 1) or x, y of different shapes.
 */
export function gaussianCritic(x: tf.Tensor2D, y: tf.Tensor2D, rho: number): tf.Tensor2D {
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex03 gaussianCritic: not implemented yet - write your code between the TODO markers in exercises/ex03-infonce-bound.ts');
  // TODO END
}

/**
 * The InfoNCE lower bound from one batch: log N - infoNCELoss(scores), as a plain number.
 * @param scores [N, N], N >= 2, row i's positive at column i
 * @returns log N - L (natural log), never above log N
 * @example infoNCEBound(gaussianCritic(x, y, rho))
 */
export function infoNCEBound(scores: tf.Tensor2D): number {
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex03 infoNCEBound: not implemented yet - write your code between the TODO markers in exercises/ex03-infonce-bound.ts');
  // TODO END
}

/** One (true MI, batch size) cell of {@link verifyInfoNCEBound}. */
export type BoundRow = {
  /** I(x; y) in nats, as given in options.mis. */
  trueMI: number;
  /** N. */
  batchSize: number;
  /** log N (natural log). */
  logN: number;
  /** Mean over the trials of infoNCEBound(gaussianCritic(x, y, rho)). */
  mean: number;
  /** Standard error of that mean: sample standard deviation (n - 1 denominator) / sqrt(trials). */
  stderr: number;
  /**
   * true iff BOTH: mean - 2.58 * stderr <= trueMI (the estimate is not significantly above the
   * true MI at the 1% level) AND no single trial's estimate is above logN + 1e-6.
   */
  holds: boolean;
};

/**
 * Checks the bound empirically with the optimal critic, for every true MI and batch size.
 * For each mis[a] (rho = rhoForMI(mis[a], dim)) and each batchSizes[b] = N, run `trials`
 * independent batches; trial t (0-based) MUST draw its batch as
 *   sampleCorrelatedGaussians({n: N, dim, rho, seed: trialSeed(seed, b, t)})
 * (the seed does not depend on a), so the results match the reference to float precision.
 * @param options.dim dimension of x and y, an integer >= 1
 * @param options.mis true mutual informations in nats, each >= 0
 * @param options.batchSizes batch sizes N, each an integer >= 2
 * @param options.trials batches per cell, an integer >= 2 (a standard error needs two)
 * @param options.seed an integer
 * @returns one BoundRow per (mi, N), ordered mi-major: all batchSizes for mis[0], then mis[1], ...
 * @example verifyInfoNCEBound({dim: 20, mis: [2, 10], batchSizes: [64], trials: 20, seed: 0})
 * WARNING: dispose every batch's tensors (x, y, scores) inside the trial loop: hundreds of
 * trials leak megabytes otherwise.
 */
export function verifyInfoNCEBound(options: {
  dim: number;
  mis: number[];
  batchSizes: number[];
  trials: number;
  seed: number;
}): BoundRow[] {
  // TODO BEGIN: write your code here, then delete the throw below.
  throw new Error('ex03 verifyInfoNCEBound: not implemented yet - write your code between the TODO markers in exercises/ex03-infonce-bound.ts');
  // TODO END
}
