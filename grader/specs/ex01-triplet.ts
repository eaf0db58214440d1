import * as tf from '@tensorflow/tfjs';
import { plainTensor } from '../sandbox/plain_value';
import { randomTensor } from './random_tensor';
import type { ExerciseSpec } from './spec_types';

interface Variant {
  squared: boolean;
  hinge: boolean;
  reduce: 'mean' | 'sum';
  marginSign: 1 | -1;
}

/** The triplet loss with switchable parts: the correct one and the known wrong variants. */
function triplet(v: Variant) {
  return (a: tf.Tensor2D, p: tf.Tensor2D, n: tf.Tensor2D, options: { margin?: number } = {}): tf.Scalar => {
    const margin = options.margin ?? 1;
    const dist = (u: tf.Tensor2D, w: tf.Tensor2D) => {
      const sq = tf.sum(tf.square(tf.sub(u, w)), 1); // [B]
      return v.squared ? sq : tf.sqrt(sq);
    };
    const raw = tf.add(tf.sub(dist(a, p), dist(a, n)), v.marginSign * margin); // [B]
    const per = v.hinge ? tf.relu(raw) : raw;
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const RIGHT: Variant = { squared: true, hinge: true, reduce: 'mean', marginSign: 1 };

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
      name: 'tripletLoss(a, p, n, {margin: 1}) matches the reference on a random batch B=6, D=3',
      points: 2, visibility: 'public', fn: 'tripletLoss', seed: 101,
      calls: (r) => [[randomTensor(r, [6, 3], 0.6), randomTensor(r, [6, 3], 0.6), randomTensor(r, [6, 3], 0.6), { margin: 1 }]],
    },
    {
      name: 'tripletLoss(a, a, a, {margin: 0.5}) equals the margin 0.5 when all three coincide',
      points: 2, visibility: 'public', fn: 'tripletLoss', seed: 102,
      calls: (r) => {
        const a = randomTensor(r, [3, 4]);
        return [[a, a, a, { margin: 0.5 }]];
      },
    },
    {
      name: 'tripletLoss(a, p, n, {margin: 1}) is 0 when every negative is far beyond the margin',
      points: 2, visibility: 'hidden', fn: 'tripletLoss', seed: 103,
      calls: (r) => {
        const a = randomTensor(r, [4, 3], 0.1);
        const p = plainTensor([4, 3], a.data.map((x) => Number(x) + 0.05));
        const n = plainTensor([4, 3], a.data.map((x) => Number(x) + 5));
        return [[a, p, n, { margin: 1 }]];
      },
    },
    {
      name: 'tripletLoss(a, p, n, {margin: 0.2}) with some triplets inside and some beyond the margin (B=8, D=5)',
      points: 2, visibility: 'hidden', fn: 'tripletLoss', seed: 104,
      calls: (r) => [[randomTensor(r, [8, 5], 0.5), randomTensor(r, [8, 5], 0.5), randomTensor(r, [8, 5], 0.5), { margin: 0.2 }]],
    },
    {
      name: 'tripletLoss(a, p, n) uses the default margin 1',
      points: 1, visibility: 'hidden', fn: 'tripletLoss', seed: 105,
      calls: (r) => [[randomTensor(r, [5, 2], 0.5), randomTensor(r, [5, 2], 0.5), randomTensor(r, [5, 2], 0.5)]],
    },
    {
      name: 'tripletLoss(a, p, n, {margin: 2}) on a larger batch B=16, D=8',
      points: 1, visibility: 'hidden', fn: 'tripletLoss', seed: 106,
      calls: (r) => [[randomTensor(r, [16, 8], 0.4), randomTensor(r, [16, 8], 0.4), randomTensor(r, [16, 8], 0.4), { margin: 2 }]],
    },
  ],
  mistakes: [
    {
      name: 'plain instead of squared distance', fn: 'tripletLoss',
      explain: 'This exercise (like the tutorial and FaceNet) uses SQUARED Euclidean distances: sum over D of (a - p)^2, without the square root.',
      impl: triplet({ ...RIGHT, squared: false }),
    },
    {
      name: 'missing hinge', fn: 'tripletLoss',
      explain: 'Each triplet costs max(0, d(a,p) - d(a,n) + margin): clip negative values at 0 (tf.relu) before averaging.',
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
  ],
};
