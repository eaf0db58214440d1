import * as tf from '@tensorflow/tfjs';
import { plainTensor } from '../sandbox/plain_value';
import { randomTensor } from './random_tensor';
import type { Rng } from './seeded_rng';
import type { AnyFunction, ExerciseSpec } from './spec_types';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const reference = (): Record<string, AnyFunction> => require('../../solutions/ex03-infonce-bound');

/** A non-symmetric score matrix with distinct row and column offsets (separates axis mistakes). */
function offsetScores(r: Rng, n: number, scale = 3): number[] {
  const rows = r.normals(n, 2);
  const cols = r.normals(n, 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(r.normal() * scale + rows[i] + 1.7 * cols[j] + (j > i ? 0.8 : 0));
  return out;
}

/** Correlated Gaussian pairs (x, y = rho x + sqrt(1 - rho^2) eps) made in the parent. */
function pairs(r: Rng, n: number, dim: number, rho: number) {
  const x = r.normals(n * dim);
  const y = x.map((v) => rho * v + Math.sqrt(1 - rho * rho) * r.normal());
  return [plainTensor([n, dim], x), plainTensor([n, dim], y)];
}

function lossVariant(v: { reduce: 'mean' | 'sum'; axis: 0 | 1; sign: 1 | -1; logBase: number }) {
  return (s: tf.Tensor2D): tf.Scalar => {
    const n = s.shape[0];
    const logSoftmax = tf.sub(s, tf.logSumExp(s, v.axis, true));
    const diag = tf.sum(tf.mul(logSoftmax, tf.eye(n)), 1); // [N]
    const per = tf.mul(tf.neg(diag), v.sign / Math.log(v.logBase));
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const LOSS = { reduce: 'mean' as const, axis: 1 as const, sign: 1 as const, logBase: Math.E };

function criticVariant(v: { variance1: boolean; noConst: boolean; transposed: boolean; condOnly: boolean }) {
  return (x: tf.Tensor2D, y: tf.Tensor2D, rho: number): tf.Tensor2D => {
    const [a, b] = v.transposed ? [y, x] : [x, y];
    const dim = a.shape[1];
    const varC = v.variance1 ? 1 : 1 - rho * rho;
    const xy = tf.matMul(a, b, false, true); // [N, N]
    const xx = tf.sum(tf.square(a), 1, true);
    const yy = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const d2 = tf.add(tf.sub(yy, tf.mul(xy, 2 * rho)), tf.mul(xx, rho * rho));
    const logNorm = v.noConst ? 0 : -(dim / 2) * Math.log(varC);
    const cond = tf.sub(logNorm, tf.div(d2, 2 * varC));
    const out = v.condOnly ? tf.sub(cond, (dim / 2) * Math.log(2 * Math.PI)) : tf.add(cond, tf.div(yy, 2));
    return (v.transposed ? tf.transpose(out) : out) as tf.Tensor2D;
  };
}
const CRITIC = { variance1: false, noConst: false, transposed: false, condOnly: false };

function verifyStderrVariant(factor: (trials: number) => number) {
  return (options: { trials: number; mis: number[] }) => {
    const rows = reference().verifyInfoNCEBound(options) as Array<{ trueMI: number; mean: number; stderr: number; holds: boolean }>;
    return rows.map((row) => {
      const stderr = row.stderr * factor(options.trials);
      const significant = row.mean - 2.58 * row.stderr > row.trueMI;
      const trialsOk = row.holds || significant;
      return { ...row, stderr, holds: row.mean - 2.58 * stderr <= row.trueMI && trialsOk };
    });
  };
}

const VERIFY_OPTIONS = { dim: 8, mis: [1, 5], batchSizes: [4, 32], trials: 4, seed: 7 };

/** Exercise 3: infoNCELoss, gaussianCritic, infoNCEBound, verifyInfoNCEBound. */
export const ex03: ExerciseSpec = {
  id: 'ex03',
  file: 'ex03-infonce-bound.ts',
  title: 'The InfoNCE bound',
  functions: ['infoNCELoss', 'gaussianCritic', 'infoNCEBound', 'verifyInfoNCEBound'],
  forbiddenLib: ['gaussianCritic', 'gaussianCriticBatched', 'infoNCEBound', 'infoNCEBoundBatched', 'boundExperiment', 'infoNCE', 'softmaxCrossEntropy'],
  reference,
  tests: [
    {
      name: 'infoNCELoss(zeros [4,4]) equals log 4 (all scores equal)',
      points: 1, visibility: 'public', fn: 'infoNCELoss', seed: 301,
      calls: () => [[plainTensor([4, 4], Array(16).fill(0))]],
    },
    {
      name: 'infoNCELoss(S [5,5]) matches the reference for scores with row and column offsets',
      points: 2, visibility: 'public', fn: 'infoNCELoss', seed: 302,
      calls: (r) => [[plainTensor([5, 5], offsetScores(r, 5))]],
    },
    {
      name: 'infoNCELoss([[a, b], [c, d]]) equals (softplus(b - a) + softplus(c - d)) / 2',
      points: 1, visibility: 'hidden', fn: 'infoNCELoss', seed: 303,
      calls: () => [[plainTensor([2, 2], [1.5, -0.5, 0.25, 2])]],
    },
    {
      name: 'infoNCELoss(100 S) stays finite for scores in the hundreds (N=6)',
      points: 1, visibility: 'hidden', fn: 'infoNCELoss', seed: 304,
      calls: (r) => [[plainTensor([6, 6], offsetScores(r, 6, 100).map((x) => x + 150))]],
    },
    {
      name: 'gaussianCritic(x [4,3], y [4,3], 0.6) matches log p(y_j|x_i)/p(y_j) entrywise',
      points: 2, visibility: 'public', fn: 'gaussianCritic', seed: 305,
      calls: (r) => [[...pairs(r, 4, 3, 0.6), 0.6]],
    },
    {
      name: 'gaussianCritic(x [6,5], y [6,5], -0.3) with a negative correlation',
      points: 1, visibility: 'hidden', fn: 'gaussianCritic', seed: 306,
      calls: (r) => [[...pairs(r, 6, 5, -0.3), -0.3]],
    },
    {
      name: 'infoNCEBound(zeros [3,3]) is 0 = log 3 - log 3',
      points: 1, visibility: 'public', fn: 'infoNCEBound', seed: 307,
      calls: () => [[plainTensor([3, 3], Array(9).fill(0))]],
    },
    {
      name: 'infoNCEBound(S [8,8]) equals log 8 - infoNCELoss(S)',
      points: 1, visibility: 'hidden', fn: 'infoNCEBound', seed: 308,
      calls: (r) => [[plainTensor([8, 8], offsetScores(r, 8))]],
      tolerance: { rtol: 1e-4, atol: 1e-4 },
    },
    {
      name: 'verifyInfoNCEBound({dim: 4, mis: [0.5, 3], batchSizes: [8, 16], trials: 5, seed: 3}) returns valid rows (property: row count, logN, mean <= log N, near the true MI when it is small)',
      points: 1, visibility: 'public', fn: 'verifyInfoNCEBound', seed: 309, property: 'boundRows', timeoutMs: 15000,
      calls: () => [[{ dim: 4, mis: [0.5, 3], batchSizes: [8, 16], trials: 5, seed: 3 }]],
    },
    {
      name: 'verifyInfoNCEBound({dim: 8, mis: [1, 5], batchSizes: [4, 32], trials: 4, seed: 7}) matches the reference (same trialSeed sampling)',
      points: 2, visibility: 'hidden', fn: 'verifyInfoNCEBound', seed: 310, timeoutMs: 15000,
      calls: () => [[VERIFY_OPTIONS]],
      tolerance: { rtol: 1e-3, atol: 1e-4 },
    },
  ],
  mistakes: [
    { name: 'sum instead of mean', fn: 'infoNCELoss', explain: 'Average the N row losses (mean); your loss is N times the reference.', impl: lossVariant({ ...LOSS, reduce: 'sum' }) },
    { name: 'softmax over columns (wrong axis)', fn: 'infoNCELoss', explain: 'Normalise each ROW: softmax over j for fixed i (axis 1); you normalised columns.', impl: lossVariant({ ...LOSS, axis: 0 }) },
    { name: 'missing minus sign', fn: 'infoNCELoss', explain: 'The loss is -log softmax (>= 0); yours is negative.', impl: lossVariant({ ...LOSS, sign: -1 }) },
    { name: 'log base 2', fn: 'infoNCELoss', explain: 'Use the natural log (tf.log, Math.log): nats, not bits.', impl: lossVariant({ ...LOSS, logBase: 2 }) },
    {
      name: 'log(N-1) instead of log N', fn: 'infoNCEBound',
      explain: 'The bound is log N - L with N candidates (1 positive + N-1 negatives), not log(N-1).',
      impl: (s: tf.Tensor2D) => Math.log(s.shape[0] - 1) - (reference().infoNCELoss(s) as tf.Scalar).dataSync()[0],
    },
    {
      name: 'bound without log N', fn: 'infoNCEBound',
      explain: 'The bound is log N - L, not -L.',
      impl: (s: tf.Tensor2D) => -(reference().infoNCELoss(s) as tf.Scalar).dataSync()[0],
    },
    { name: 'variance 1 instead of 1 - rho^2', fn: 'gaussianCritic', explain: 'p(y|x) = N(rho x, (1 - rho^2) I): use variance 1 - rho^2 in the exponent and the log-normaliser.', impl: criticVariant({ ...CRITIC, variance1: true }) },
    { name: 'normaliser -(dim/2) log(1 - rho^2) dropped', fn: 'gaussianCritic', explain: 'The critic is log p(y|x)/p(y) including the normaliser -(dim/2) log(1 - rho^2); without it the bound is unchanged but the scores are shifted.', impl: criticVariant({ ...CRITIC, noConst: true }) },
    { name: 'scores transposed', fn: 'gaussianCritic', explain: 'scores[i][j] scores x_i against y_j: rows index x, columns index y.', impl: criticVariant({ ...CRITIC, transposed: true }) },
    { name: 'log p(y|x) not divided by p(y)', fn: 'gaussianCritic', explain: 'Divide by p(y_j): the |y_j|^2 / 2 term depends on j and does not cancel in a row softmax.', impl: criticVariant({ ...CRITIC, condOnly: true }) },
    { name: 'stderr with the n denominator', fn: 'verifyInfoNCEBound', explain: 'The sample standard deviation divides by n - 1; stderr = sd / sqrt(n).', impl: verifyStderrVariant((t) => Math.sqrt((t - 1) / t)) },
    { name: 'standard deviation instead of standard error', fn: 'verifyInfoNCEBound', explain: 'Standard error = sd / sqrt(trials).', impl: verifyStderrVariant((t) => Math.sqrt(t)) },
  ],
};
