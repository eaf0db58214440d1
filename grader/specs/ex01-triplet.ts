import * as tf from '@tensorflow/tfjs';
import { plainTensor, PlainTensor, PlainValue } from '../plain_value';
import { randomTensor } from './random_tensor';
import type { Rng } from '../../lib/tensor';
import type { ExerciseSpec } from './spec_types';

interface Variant {
  /** Squared Euclidean distance (right) or plain. */
  squared: boolean;
  /** max(0, .) per triplet (right) or not at all. */
  hinge: boolean;
  /** Clip each triplet (right) or the batch mean. */
  hingeAfterMean: boolean;
  reduce: 'mean' | 'sum';
  /** +margin (right), -margin, or no margin. */
  marginSign: 1 | -1 | 0;
  /** d(a,p) - d(a,n) (right) or d(a,n) - d(a,p). */
  swapped: boolean;
  /** Over each row's D features (right), the mean over them, or every entry of the batch. */
  distance: 'sumFeatures' | 'meanFeatures' | 'sumAll';
}

/** The triplet loss with switchable parts: the correct one and the known wrong variants. */
function triplet(v: Variant) {
  return (a: tf.Tensor2D, p: tf.Tensor2D, n: tf.Tensor2D, options: { margin?: number } = {}): tf.Scalar => {
    const margin = options.margin ?? 1;
    const dist = (u: tf.Tensor2D, w: tf.Tensor2D) => {
      const d2 = tf.square(tf.sub(u, w)); // [B, D]
      const sq = v.distance === 'sumAll' ? tf.sum(d2) : v.distance === 'meanFeatures' ? tf.mean(d2, 1) : tf.sum(d2, 1); // [B] or []
      return v.squared ? sq : tf.sqrt(sq);
    };
    const [near, far] = v.swapped ? [dist(a, n), dist(a, p)] : [dist(a, p), dist(a, n)];
    const raw = tf.add(tf.sub(near, far), v.marginSign * margin); // [B]
    if (v.hingeAfterMean) return tf.relu(tf.mean(raw)) as tf.Scalar;
    const per = v.hinge ? tf.relu(raw) : raw;
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const RIGHT: Variant = { squared: true, hinge: true, hingeAfterMean: false, reduce: 'mean', marginSign: 1, swapped: false, distance: 'sumFeatures' };

/** Per triplet, d(a,p) - d(a,n) + margin with squared distances (doubles, on the float32 inputs). */
function raw(a: PlainTensor, p: PlainTensor, n: PlainTensor, margin: number): number[] {
  const [b, d] = a.shape;
  const sq = (u: PlainTensor, i: number) => Array.from({ length: d }, (_, j) => (Number(a.data[i * d + j]) - Number(u.data[i * d + j])) ** 2).reduce((x, y) => x + y, 0);
  return Array.from({ length: b }, (_, i) => sq(p, i) - sq(n, i) + margin);
}

/**
 * Two random triplet batches with the same options: an "easy" one (each positive near its
 * anchor, the negative drawn independently), drawn until the mean of d(a,p) - d(a,n) + margin is
 * below -margin/10 while one triplet is above +margin/10, and a "hard" one (each negative near
 * its anchor: most triplets inside the margin). The easy batch's mixed signs and negative mean
 * separate, on every seed, clipping each triplet (right) from clipping the mean (0), not
 * clipping (negative) and clipping the batch total.
 */
function twoBatches(r: Rng, b: number, d: number, scale: number, options?: { margin: number }): PlainValue[][] {
  const margin = options?.margin ?? 1;
  const gap = margin / 10;
  const batch = (hard: boolean): PlainTensor[] => {
    const anchor = randomTensor(r, [b, d], scale);
    const near = plainTensor([b, d], anchor.data.map((x) => Number(x) + r.normal() * scale * 0.7));
    const far = randomTensor(r, [b, d], scale);
    return hard ? [anchor, far, near] : [anchor, near, far];
  };
  const easy = (): PlainTensor[] => {
    for (let draw = 0; draw < 1000; draw++) {
      const [a, p, n] = batch(false);
      const v = raw(a, p, n, margin);
      if (v.reduce((x, y) => x + y, 0) / b < -gap && Math.max(...v) > gap) return [a, p, n];
    }
    throw new Error(`ex01 twoBatches: no easy batch B=${b}, D=${d}, scale ${scale} with mixed signs in 1000 draws`);
  };
  const pair = [easy(), batch(true)];
  return options === undefined ? pair : pair.map((args) => [...args, options]);
}

/** Exercise 1: tripletLoss(anchor, positive, negative, {margin}). */
export const ex01: ExerciseSpec = {
  id: 'ex01',
  file: 'ex01-triplet.ts',
  title: 'Triplet loss',
  functions: ['tripletLoss'],
  forbiddenLib: ['tripletLoss'],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('../../solutions/ex01-triplet'),
  tests: [
    {
      name: 'tripletLoss(a, p, n, {margin: 1}) matches the reference on two random batches B=6, D=3: an easy one (positives near their anchors) and a hard one (negatives near them)',
      points: 2, visibility: 'public', fn: 'tripletLoss', seed: 101,
      calls: (r) => twoBatches(r, 6, 3, 0.6, { margin: 1 }),
    },
    {
      // The closed form alone could be answered from the options (return the margin), so the
      // same test also runs a random batch with the same margin.
      name: 'tripletLoss(a, a, a, {margin: 0.5}) equals the margin 0.5 when all three coincide, and matches the reference on two random batches B=3, D=4',
      points: 2, visibility: 'public', fn: 'tripletLoss', seed: 102,
      calls: (r) => {
        const a = randomTensor(r, [3, 4]);
        return [[a, a, a, { margin: 0.5 }], ...twoBatches(r, 3, 4, 0.5, { margin: 0.5 })];
      },
    },
    {
      // 0 alone is a guess; the random batch beside it is not.
      name: 'tripletLoss(a, p, n, {margin: 1}) is 0 when every negative is far beyond the margin, and matches the reference on two random batches B=4, D=3',
      points: 2, visibility: 'hidden', fn: 'tripletLoss', seed: 103,
      calls: (r) => {
        const a = randomTensor(r, [4, 3], 0.1);
        const p = plainTensor([4, 3], a.data.map((x) => Number(x) + 0.05));
        const n = plainTensor([4, 3], a.data.map((x) => Number(x) + 5));
        return [[a, p, n, { margin: 1 }], ...twoBatches(r, 4, 3, 0.6, { margin: 1 })];
      },
    },
    {
      name: 'tripletLoss(a, p, n, {margin: 0.2}) with some triplets inside and some beyond the margin (two random batches B=8, D=5)',
      points: 2, visibility: 'hidden', fn: 'tripletLoss', seed: 104,
      calls: (r) => twoBatches(r, 8, 5, 0.5, { margin: 0.2 }),
    },
    {
      name: 'tripletLoss(a, p, n) uses the default margin 1 (two random batches B=5, D=2)',
      points: 1, visibility: 'hidden', fn: 'tripletLoss', seed: 105,
      calls: (r) => twoBatches(r, 5, 2, 1.2),
    },
    {
      name: 'tripletLoss(a, p, n, {margin: 2}) on larger batches B=16, D=8',
      points: 1, visibility: 'hidden', fn: 'tripletLoss', seed: 106,
      calls: (r) => twoBatches(r, 16, 8, 0.5, { margin: 2 }),
    },
  ],
  mistakes: [
    {
      name: 'plain instead of squared distance', fn: 'tripletLoss',
      explain: 'This exercise (like the tutorial and FaceNet) uses SQUARED Euclidean distances: the sum over D of (a - p)^2, without the square root. (PyTorch\'s nn.TripletMarginLoss uses plain distances, which is why its values differ.)',
      impl: triplet({ ...RIGHT, squared: false }),
    },
    {
      name: 'missing hinge', fn: 'tripletLoss',
      explain: 'Each triplet costs max(0, d(a,p) - d(a,n) + margin): clip negative values at 0 (tf.relu) before averaging, so a triplet that is already good enough costs nothing instead of a reward.',
      impl: triplet({ ...RIGHT, hinge: false }),
    },
    {
      name: 'sum instead of mean', fn: 'tripletLoss',
      explain: 'Average over the batch (tf.mean), do not sum: the scale must not depend on B.',
      impl: triplet({ ...RIGHT, reduce: 'sum' }),
    },
    {
      name: 'margin subtracted instead of added', fn: 'tripletLoss',
      explain: 'The margin is ADDED: d(a,p) - d(a,n) + margin, so a triplet costs something until the negative is farther by the margin.',
      impl: triplet({ ...RIGHT, marginSign: -1 }),
    },
    {
      name: 'margin ignored', fn: 'tripletLoss',
      explain: 'Your loss does not change with options.margin: each triplet costs max(0, d(a,p) - d(a,n) + margin), with margin = options.margin (default 1).',
      impl: triplet({ ...RIGHT, marginSign: 0 }),
    },
    {
      name: 'positive and negative distances swapped', fn: 'tripletLoss',
      explain: 'The loss pulls the positive in and pushes the negative out: d(a,p) - d(a,n) + margin, with the positive\'s distance first. Yours is d(a,n) - d(a,p) + margin.',
      impl: triplet({ ...RIGHT, swapped: true }),
    },
    {
      name: 'hinge applied to the batch mean', fn: 'tripletLoss',
      explain: 'Clip each triplet at 0 first, then average: mean(max(0, .)), not max(0, mean(.)). Otherwise an easy triplet cancels a hard one.',
      impl: triplet({ ...RIGHT, hingeAfterMean: true }),
    },
    {
      name: 'mean over the features instead of the sum', fn: 'tripletLoss',
      explain: 'The squared distance is the SUM over the D features of (a - p)^2 (tf.sum(..., 1)), not their mean: yours is the distance divided by D.',
      impl: triplet({ ...RIGHT, distance: 'meanFeatures' }),
    },
    {
      name: 'distances summed over the whole batch (no axis)', fn: 'tripletLoss',
      explain: 'Sum the squared differences over the features of each row only (tf.sum(..., 1), one distance per triplet); without the axis tf.sum adds up the whole batch into one number.',
      impl: triplet({ ...RIGHT, distance: 'sumAll' }),
    },
  ],
};
