import * as tf from '@tensorflow/tfjs';
import { randomTensor } from './random_tensor';
import type { ExerciseSpec } from './spec_types';
import type { Rng } from './seeded_rng';
import { plainTensor } from '../sandbox/plain_value';

interface Variant {
  useTemperature: boolean;
  reduce: 'mean' | 'sum';
  positiveInDenominator: boolean;
  cosine: boolean;
}

/** The N-pair loss with switchable parts: the correct one and the known wrong variants. */
function nPair(v: Variant) {
  return (a: tf.Tensor2D, p: tf.Tensor2D, negs: tf.Tensor3D, options: { temperature?: number } = {}): tf.Scalar => {
    const tau = v.useTemperature ? options.temperature ?? 1 : 1;
    const unit = <T extends tf.Tensor>(t: T, axis: number): T => (v.cosine ? (tf.div(t, tf.norm(t, 2, axis, true)) as T) : t);
    const an = unit(a, 1);
    const pos = tf.div(tf.sum(tf.mul(an, unit(p, 1)), 1, true), tau); // [B, 1]
    const neg = tf.div(tf.sum(tf.mul(tf.expandDims(an, 1), unit(negs, 2)), 2), tau); // [B, M]
    const denom = v.positiveInDenominator ? tf.concat([pos, neg], 1) : neg;
    const per = tf.sub(tf.logSumExp(denom, 1, true), pos); // [B, 1]
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const RIGHT: Variant = { useTemperature: true, reduce: 'mean', positiveInDenominator: true, cosine: false };

function batch(r: Rng, b: number, m: number, d: number, scale = 1) {
  return [randomTensor(r, [b, d], scale), randomTensor(r, [b, d], scale), randomTensor(r, [b, m, d], scale)];
}

/** Exercise 2: nPairLoss(anchor, positive, negatives, {temperature}). */
export const ex02: ExerciseSpec = {
  id: 'ex02',
  file: 'ex02-n-pair.ts',
  title: 'N-pair loss',
  functions: ['nPairLoss'],
  forbiddenLib: ['nPairLoss', 'softmaxCrossEntropy', 'infoNCE'],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('../../solutions/ex02-n-pair'),
  tests: [
    {
      name: 'nPairLoss(a, p, negs [3,5,4], {temperature: 1}) matches the reference',
      points: 2, visibility: 'public', fn: 'nPairLoss', seed: 201,
      calls: (r) => [[...batch(r, 3, 5, 4, 0.7), { temperature: 1 }]],
    },
    {
      name: 'nPairLoss(v, v, [v, v, v], {temperature: 0.5}) equals log(M+1) = log 4 when every score ties',
      points: 2, visibility: 'public', fn: 'nPairLoss', seed: 202,
      calls: (r) => {
        const v = r.normals(3);
        return [[plainTensor([2, 3], [...v, ...v]), plainTensor([2, 3], [...v, ...v]), plainTensor([2, 3, 3], Array(6).fill(v).flat()), { temperature: 0.5 }]];
      },
    },
    {
      name: 'nPairLoss(a, p, negs [4,3,6], {temperature: 0.1}) divides the dot products by tau',
      points: 2, visibility: 'hidden', fn: 'nPairLoss', seed: 203,
      calls: (r) => [[...batch(r, 4, 3, 6, 0.5), { temperature: 0.1 }]],
    },
    {
      name: 'nPairLoss(a, p, negs, {temperature: 0.01}) stays finite with scores in the thousands',
      points: 2, visibility: 'hidden', fn: 'nPairLoss', seed: 204,
      calls: (r) => [[...batch(r, 5, 4, 8, 3), { temperature: 0.01 }]],
    },
    {
      name: 'nPairLoss(a, p, negs) uses the default temperature 1',
      points: 1, visibility: 'hidden', fn: 'nPairLoss', seed: 205,
      calls: (r) => [batch(r, 3, 2, 3, 0.8)],
    },
    {
      name: 'nPairLoss(a, p, negs [6,1,2], {temperature: 1}) with one negative is softplus(s- - s+) averaged',
      points: 1, visibility: 'hidden', fn: 'nPairLoss', seed: 206,
      calls: (r) => [[...batch(r, 6, 1, 2), { temperature: 1 }]],
    },
  ],
  mistakes: [
    {
      name: 'no temperature', fn: 'nPairLoss',
      explain: 'Divide every score a.p and a.n by the temperature tau before the softmax.',
      impl: nPair({ ...RIGHT, useTemperature: false }),
    },
    {
      name: 'sum instead of mean', fn: 'nPairLoss',
      explain: 'Average the per-anchor losses over the batch (tf.mean), do not sum them.',
      impl: nPair({ ...RIGHT, reduce: 'sum' }),
    },
    {
      name: 'positive missing from the denominator', fn: 'nPairLoss',
      explain: 'The softmax runs over all M + 1 candidates: the positive score belongs in the denominator too.',
      impl: nPair({ ...RIGHT, positiveInDenominator: false }),
    },
    {
      name: 'cosine instead of dot product', fn: 'nPairLoss',
      explain: 'The N-pair loss here scores with plain dot products a.p; do not normalise the embeddings.',
      impl: nPair({ ...RIGHT, cosine: true }),
    },
  ],
};
