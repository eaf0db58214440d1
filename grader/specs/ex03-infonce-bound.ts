import * as tf from '@tensorflow/tfjs';
import { plainTensor, PlainValue } from '../plain_value';
import type { Rng } from '../../lib/tensor';
import type { AnyFunction, ExerciseSpec } from './spec_types';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const reference = (): Record<string, AnyFunction> => require('../../solutions/ex03-infonce-bound');

/**
 * A non-symmetric score matrix with distinct row and column offsets (separates axis mistakes),
 * drawn until some row's own score s_ii beats the rest of its row by scale / 5 or more: that
 * row's positive term then weighs in its softmax, so leaving the positive out of the
 * denominator shows on every seed.
 */
function offsetScores(r: Rng, n: number, scale = 3): number[] {
  for (let draw = 0; draw < 1000; draw++) {
    const rows = r.normals(n, 2);
    const cols = r.normals(n, 2);
    const out: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(r.normal() * scale + rows[i] + 1.7 * cols[j] + (j > i ? 0.8 : 0));
    const lead = (i: number) => out[i * n + i] - Math.max(...out.slice(i * n, i * n + n).filter((_, j) => j !== i));
    if (Array.from({ length: n }, (_, i) => lead(i)).some((x) => x >= scale / 5)) return out;
  }
  throw new Error(`ex03 offsetScores: no [${n},${n}] matrix with a leading diagonal entry in 1000 draws`);
}

/** Correlated Gaussian pairs (x, y = rho x + sqrt(1 - rho^2) eps) made in the parent. */
function pairs(r: Rng, n: number, dim: number, rho: number) {
  const x = r.normals(n * dim);
  const y = x.map((v) => rho * v + Math.sqrt(1 - rho * rho) * r.normal());
  return [plainTensor([n, dim], x), plainTensor([n, dim], y)];
}

function lossVariant(v: { reduce: 'mean' | 'sum'; axis: 0 | 1; sign: 1 | -1; logBase: number; positiveInDenominator: boolean; logSumExp: 'stable' | 'naive' }) {
  return (s: tf.Tensor2D): tf.Scalar => {
    const n = s.shape[0];
    const eye = tf.eye(n);
    // log sum_j exp(s_ij) over the candidates (all of them, or the negatives only: the diagonal pushed to -1e9)
    const cand = v.positiveInDenominator ? s : tf.sub(s, tf.mul(eye, 1e9));
    const lse = v.logSumExp === 'stable' ? tf.logSumExp(cand, v.axis, true) : tf.log(tf.sum(tf.exp(cand), v.axis, true));
    const diag = tf.sum(tf.mul(tf.sub(s, lse), eye), 1); // [N] log softmax of the positives
    const per = tf.mul(tf.neg(diag), v.sign / Math.log(v.logBase));
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const LOSS = { reduce: 'mean' as const, axis: 1 as const, sign: 1 as const, logBase: Math.E, positiveInDenominator: true, logSumExp: 'stable' as const };

interface CriticVariant {
  /** Variance of p(y|x): 1 - rho^2 (right) or 1. */
  variance1: boolean;
  /** Leave out -(dim/2) log(1 - rho^2). */
  noConst: boolean;
  /** Return the transpose: scores[i][j] = f(x_j, y_i). */
  transposed: boolean;
  /** log p(y|x) with its 2 pi constant, not divided by p(y). */
  condOnly: boolean;
  /** Leave out the + |y_j|^2 / 2 term (and nothing else). */
  noY2: boolean;
  /** Leave out the - |y_j - rho x_i|^2 / (2 (1 - rho^2)) term. */
  noDist: boolean;
  /** Factor of |y_j - rho x_i|^2 / (1 - rho^2): 1/2 (right) or 1. */
  distFactor: 0.5 | 1;
  /** Factor of |y_j|^2: 1/2 (right) or 1. */
  y2Factor: 0.5 | 1;
}

function criticVariant(v: CriticVariant) {
  return (x: tf.Tensor2D, y: tf.Tensor2D, rho: number): tf.Tensor2D => {
    const dim = x.shape[1];
    const varC = v.variance1 ? 1 : 1 - rho * rho;
    const xy = tf.matMul(x, y, false, true); // [N, N]
    const xx = tf.sum(tf.square(x), 1, true); // [N, 1]
    const yy = tf.reshape(tf.sum(tf.square(y), 1), [1, -1]); // [1, N]
    const d2 = tf.add(tf.sub(yy, tf.mul(xy, 2 * rho)), tf.mul(xx, rho * rho)); // |y_j - rho x_i|^2
    const logNorm = v.noConst ? 0 : -(dim / 2) * Math.log(varC);
    const cond = v.noDist ? tf.fill(xy.shape, logNorm) : tf.sub(logNorm, tf.mul(tf.div(d2, varC), v.distFactor));
    let out: tf.Tensor;
    if (v.condOnly) out = tf.sub(cond, (dim / 2) * Math.log(2 * Math.PI));
    else if (v.noY2) out = cond;
    else out = tf.add(cond, tf.mul(yy, v.y2Factor));
    return (v.transposed ? tf.transpose(out) : out) as tf.Tensor2D;
  };
}
const CRITIC: CriticVariant = { variance1: false, noConst: false, transposed: false, condOnly: false, noY2: false, noDist: false, distFactor: 0.5, y2Factor: 0.5 };

type Row = { trueMI: number; mean: number; stderr: number; holds: boolean };
let lastRows: { key: string; rows: Row[] } | null = null;

/**
 * The reference experiment's rows for these options, kept for the last options asked: the
 * variants below derive from them, and grading freezes the experiment once per submission.
 */
function referenceRows(options: object): Row[] {
  const key = JSON.stringify(options);
  if (lastRows?.key !== key) lastRows = { key, rows: reference().verifyInfoNCEBound(options) as Row[] };
  return lastRows.rows;
}

function verifyStderrVariant(factor: (trials: number) => number) {
  return (options: { trials: number; mis: number[] }) => {
    const rows = referenceRows(options);
    return rows.map((row) => {
      const stderr = row.stderr * factor(options.trials);
      const significant = row.mean - 2.58 * row.stderr > row.trueMI;
      const trialsOk = row.holds || significant;
      return { ...row, stderr, holds: row.mean - 2.58 * stderr <= row.trueMI && trialsOk };
    });
  };
}

/** The reference's rows reordered batch-size-major (every MI for batchSizes[0] first). */
function verifyRowsBatchMajor(options: { mis: number[]; batchSizes: number[] }) {
  const rows = referenceRows(options);
  const nb = options.batchSizes.length;
  return options.batchSizes.flatMap((_, b) => options.mis.map((_m, a) => rows[a * nb + b]));
}

/** The experiment with trial t of cell (a, b) drawn with trialSeed(seed, a, t): the MI index, not the batch-size index. */
function verifySeedFromMIIndex(options: { dim: number; mis: number[]; batchSizes: number[]; trials: number; seed: number }) {
  const ref = reference();
  const byMI = options.mis.map((mi, a) =>
    options.batchSizes.map((n) => {
      // The reference run with this batch size at index a draws exactly trialSeed(seed, a, t).
      const sizes = [...Array(a).fill(2), n];
      return (ref.verifyInfoNCEBound({ ...options, mis: [mi], batchSizes: sizes }) as unknown[])[a];
    }),
  );
  return byMI.flat();
}

/**
 * Experiment options with the experiment's own seed drawn from the test's generator, so every
 * test seed re-draws the trialSeed batches too. 2^31 experiment seeds: too many to collect
 * answers for from feedback.
 */
function verifyOptions(r: Rng, o: { dim: number; mis: number[]; batchSizes: number[]; trials: number }) {
  return { ...o, seed: Math.floor(r.next() * 2 ** 31) };
}

/** A random [N, N] score matrix with row and column offsets (see offsetScores), as a plain tensor. */
function scores(r: Rng, n: number, scale = 3): PlainValue {
  return plainTensor([n, n], offsetScores(r, n, scale));
}

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
      // log N alone can be answered from the shape, so a random matrix of the same size rides along.
      name: 'infoNCELoss(zeros [4,4]) equals log 4 (all scores equal), and matches the reference on random scores [4,4]',
      points: 1, visibility: 'public', fn: 'infoNCELoss', seed: 301,
      calls: (r) => [[plainTensor([4, 4], Array(16).fill(0))], [scores(r, 4)]],
    },
    {
      name: 'infoNCELoss(S [5,5]) matches the reference for scores with row and column offsets',
      points: 2, visibility: 'public', fn: 'infoNCELoss', seed: 302,
      calls: (r) => [[scores(r, 5)]],
    },
    {
      name: 'infoNCELoss([[a, b], [c, d]]) equals (softplus(b - a) + softplus(c - d)) / 2, for [[1.5, -0.5], [0.25, 2]] and for random a, b, c, d',
      points: 1, visibility: 'hidden', fn: 'infoNCELoss', seed: 303,
      calls: (r) => [[plainTensor([2, 2], [1.5, -0.5, 0.25, 2])], [plainTensor([2, 2], r.normals(4, 2))]],
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
      // 0 alone is a guess; the random matrix beside it is not.
      name: 'infoNCEBound(zeros [3,3]) is 0 = log 3 - log 3, and equals log 3 - infoNCELoss(S) for random scores S [3,3]',
      points: 1, visibility: 'public', fn: 'infoNCEBound', seed: 307,
      calls: (r) => [[plainTensor([3, 3], Array(9).fill(0))], [scores(r, 3)]],
    },
    {
      name: 'infoNCEBound(S [8,8]) equals log 8 - infoNCELoss(S)',
      points: 1, visibility: 'hidden', fn: 'infoNCEBound', seed: 308,
      calls: (r) => [[scores(r, 8)]],
      tolerance: { rtol: 1e-4, atol: 1e-4 },
    },
    {
      // Compared with the reference, not checked as a property: every property of these rows
      // (count, logN, mean <= log N, mean near a small true MI) can be met from the options
      // alone, without sampling anything.
      name: 'verifyInfoNCEBound({dim: 4, mis: [0.5, 3], batchSizes: [8, 16], trials: 5, seed}) matches the reference: rows mi-major, logN = ln N, the means and standard errors of the same trialSeed batches',
      points: 1, visibility: 'public', fn: 'verifyInfoNCEBound', seed: 309, timeoutMs: 15000,
      calls: (r) => [[verifyOptions(r, { dim: 4, mis: [0.5, 3], batchSizes: [8, 16], trials: 5 })]],
      tolerance: { rtol: 1e-3, atol: 1e-4 },
    },
    {
      name: 'verifyInfoNCEBound({dim: 8, mis: [1, 5], batchSizes: [4, 32], trials: 4, seed}) matches the reference (same trialSeed sampling)',
      points: 2, visibility: 'hidden', fn: 'verifyInfoNCEBound', seed: 310, timeoutMs: 15000,
      calls: (r) => [[verifyOptions(r, { dim: 8, mis: [1, 5], batchSizes: [4, 32], trials: 4 })]],
      tolerance: { rtol: 1e-3, atol: 1e-4 },
    },
  ],
  mistakes: [
    { name: 'sum instead of mean', fn: 'infoNCELoss', explain: 'Average the N row losses (mean); your loss is N times the reference.', impl: lossVariant({ ...LOSS, reduce: 'sum' }) },
    { name: 'softmax over columns (wrong axis)', fn: 'infoNCELoss', explain: 'Normalise each ROW: softmax over j for fixed i (axis 1); you normalised columns.', impl: lossVariant({ ...LOSS, axis: 0 }) },
    { name: 'missing minus sign', fn: 'infoNCELoss', explain: 'The loss is -log softmax (>= 0); yours is negative.', impl: lossVariant({ ...LOSS, sign: -1 }) },
    { name: 'log base 2', fn: 'infoNCELoss', explain: 'Use the natural log (tf.log, Math.log): nats, not bits.', impl: lossVariant({ ...LOSS, logBase: 2 }) },
    {
      name: 'positive missing from the denominator', fn: 'infoNCELoss',
      explain: 'The softmax of row i runs over all N columns, its own positive s_ii included; leaving it out lets the bound exceed log N.',
      impl: lossVariant({ ...LOSS, positiveInDenominator: false }),
    },
    {
      name: 'exp without subtracting the row maximum (overflow)', fn: 'infoNCELoss',
      explain: 'Scores of 100 or more overflow exp() in float32 (Infinity). Subtract each row\'s maximum before exp: logsumexp(x) = max(x) + log(sum(exp(x - max(x)))), or use tf.logSumExp(scores, 1).',
      impl: lossVariant({ ...LOSS, logSumExp: 'naive' }),
    },
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
    {
      name: 'bound with the wrong sign (L - log N)', fn: 'infoNCEBound',
      explain: 'The bound is log N - L: it is at most log N and grows as the loss falls. Yours is L - log N.',
      impl: (s: tf.Tensor2D) => (reference().infoNCELoss(s) as tf.Scalar).dataSync()[0] - Math.log(s.shape[0]),
    },
    { name: 'variance 1 instead of 1 - rho^2', fn: 'gaussianCritic', explain: 'p(y|x) = N(rho x, (1 - rho^2) I): use variance 1 - rho^2 in the exponent and the log-normaliser.', impl: criticVariant({ ...CRITIC, variance1: true }) },
    { name: 'normaliser -(dim/2) log(1 - rho^2) dropped', fn: 'gaussianCritic', explain: 'The critic is log p(y|x)/p(y) including the normaliser -(dim/2) log(1 - rho^2); without it the bound is unchanged but the scores are shifted.', impl: criticVariant({ ...CRITIC, noConst: true }) },
    { name: 'scores transposed', fn: 'gaussianCritic', explain: 'scores[i][j] scores x_i against y_j: rows index x, columns index y.', impl: criticVariant({ ...CRITIC, transposed: true }) },
    {
      name: 'log p(y|x) not divided by p(y)', fn: 'gaussianCritic',
      explain: 'Divide by p(y_j): the |y_j|^2 / 2 term depends on j and does not cancel in a row softmax.',
      impl: criticVariant({ ...CRITIC, condOnly: true }),
    },
    {
      name: 'the + |y_j|^2 / 2 term dropped', fn: 'gaussianCritic',
      explain: 'The critic has three terms: -(dim/2) log(1 - rho^2) - |y_j - rho x_i|^2 / (2 (1 - rho^2)) + |y_j|^2 / 2. The last one is -log p(y_j) (up to a constant); it depends on j, so it changes every row\'s softmax.',
      impl: criticVariant({ ...CRITIC, noY2: true }),
    },
    {
      name: 'the |y_j - rho x_i|^2 term dropped', fn: 'gaussianCritic',
      explain: 'The critic has three terms: -(dim/2) log(1 - rho^2) - |y_j - rho x_i|^2 / (2 (1 - rho^2)) + |y_j|^2 / 2. The middle one is the only term that involves x_i: without it the critic cannot tell partners apart.',
      impl: criticVariant({ ...CRITIC, noDist: true }),
    },
    {
      name: 'missing 1/2 in the exponent of p(y|x)', fn: 'gaussianCritic',
      explain: 'A Gaussian log-density has -|v - mean|^2 / (2 variance): divide |y_j - rho x_i|^2 by 2 (1 - rho^2), not by (1 - rho^2).',
      impl: criticVariant({ ...CRITIC, distFactor: 1 }),
    },
    {
      name: 'missing 1/2 in the exponent of p(y)', fn: 'gaussianCritic',
      explain: 'log p(y_j) = -|y_j|^2 / 2 + constant, so dividing by p(y_j) adds |y_j|^2 / 2, not |y_j|^2.',
      impl: criticVariant({ ...CRITIC, y2Factor: 1 }),
    },
    { name: 'stderr with the n denominator', fn: 'verifyInfoNCEBound', explain: 'The sample standard deviation divides by n - 1; stderr = sd / sqrt(n).', impl: verifyStderrVariant((t) => Math.sqrt((t - 1) / t)) },
    { name: 'standard deviation instead of standard error', fn: 'verifyInfoNCEBound', explain: 'Standard error = sd / sqrt(trials).', impl: verifyStderrVariant((t) => Math.sqrt(t)) },
    {
      name: 'rows ordered by batch size first', fn: 'verifyInfoNCEBound',
      explain: 'Order the rows mi-major: every batch size for mis[0], then every batch size for mis[1], and so on.',
      impl: verifyRowsBatchMajor,
    },
    {
      name: 'trialSeed with the MI index instead of the batch-size index', fn: 'verifyInfoNCEBound',
      explain: 'Draw trial t of batch size batchSizes[b] with seed trialSeed(seed, b, t): b indexes batchSizes, and the seed does not depend on which MI you are at (every MI reuses the same draws).',
      impl: verifySeedFromMIIndex,
    },
  ],
};
