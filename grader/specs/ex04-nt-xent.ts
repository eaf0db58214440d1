import * as tf from '@tensorflow/tfjs';
import { plainTensor } from '../sandbox/plain_value';
import { randomTensor } from './random_tensor';
import type { ExerciseSpec } from './spec_types';

interface Variant {
  normalise: boolean;
  useTemperature: boolean;
  maskSelf: boolean;
  reduce: 'mean' | 'sum' | 'firstView' | 'double';
}

/** NT-Xent with switchable parts: the correct loss and the known wrong variants. */
function ntXentVariant(v: Variant) {
  return (z1: tf.Tensor2D, z2: tf.Tensor2D, temperature = 0.5): tf.Scalar => {
    const [n] = z1.shape;
    const z = tf.concat([z1, z2], 0); // [2N, D]
    const zn = v.normalise ? tf.div(z, tf.norm(z, 2, 1, true)) : z;
    let sim = tf.matMul(zn, zn, false, true); // [2N, 2N]
    if (v.useTemperature) sim = tf.div(sim, temperature);
    const logits = v.maskSelf ? tf.sub(sim, tf.mul(tf.eye(2 * n), 1e9)) : sim;
    const pos = tf.oneHot(tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]), 2 * n);
    const perAnchor = tf.neg(tf.sum(tf.mul(pos, tf.sub(logits, tf.logSumExp(logits, 1, true))), 1)); // [2N]
    if (v.reduce === 'sum') return tf.sum(perAnchor) as tf.Scalar;
    if (v.reduce === 'firstView') return tf.mean(tf.slice(perAnchor, [0], [n])) as tf.Scalar;
    if (v.reduce === 'double') return tf.mul(tf.mean(perAnchor), 2) as tf.Scalar;
    return tf.mean(perAnchor) as tf.Scalar;
  };
}

const RIGHT: Variant = { normalise: true, useTemperature: true, maskSelf: true, reduce: 'mean' };

/** Exercise 4: ntXentLoss(z1, z2, temperature = 0.5), SimCLR's loss. */
export const ex04: ExerciseSpec = {
  id: 'ex04',
  file: 'ex04-nt-xent.ts',
  title: 'NT-Xent (SimCLR)',
  functions: ['ntXentLoss'],
  forbiddenLib: ['ntXent', 'infoNCE', 'softmaxCrossEntropy'],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('../../solutions/ex04-nt-xent'),
  tests: [
    {
      name: 'ntXentLoss(z1, z2, 0.5) matches the reference on a random batch N=4, D=8',
      points: 2, visibility: 'public', fn: 'ntXentLoss', seed: 401,
      calls: (r) => [[randomTensor(r, [4, 8]), randomTensor(r, [4, 8]), 0.5]],
    },
    {
      name: 'ntXentLoss(z, z, 0.5) equals log(2N-1) when all 2N embeddings coincide (N=3)',
      points: 2, visibility: 'public', fn: 'ntXentLoss', seed: 402,
      calls: () => {
        const z = plainTensor([3, 2], [1, 2, 1, 2, 1, 2]);
        return [[z, z, 0.5]];
      },
    },
    {
      name: 'ntXentLoss(z1, z2, 0.1) uses cosine similarity: rows of very different norms (N=6, D=5)',
      points: 2, visibility: 'hidden', fn: 'ntXentLoss', seed: 403,
      calls: (r) => [[randomTensor(r, [6, 5], 7), randomTensor(r, [6, 5], 0.3), 0.1]],
    },
    {
      name: 'ntXentLoss(z1, z2) uses the default temperature 0.5 (N=5, D=4)',
      points: 1, visibility: 'hidden', fn: 'ntXentLoss', seed: 404,
      calls: (r) => [[randomTensor(r, [5, 4]), randomTensor(r, [5, 4])]],
    },
    {
      name: 'ntXentLoss(z1, z2, 0.05) stays finite and correct at a small temperature (N=8, D=16)',
      points: 2, visibility: 'hidden', fn: 'ntXentLoss', seed: 405,
      calls: (r) => [[randomTensor(r, [8, 16], 3), randomTensor(r, [8, 16], 3), 0.05]],
    },
    {
      name: 'ntXentLoss(z1, z2, 1) on a batch of two pairs (N=2, D=3)',
      points: 1, visibility: 'hidden', fn: 'ntXentLoss', seed: 406,
      calls: (r) => [[randomTensor(r, [2, 3]), randomTensor(r, [2, 3]), 1]],
    },
  ],
  mistakes: [
    {
      name: 'self-similarity left in the denominator', fn: 'ntXentLoss',
      explain: 'Each anchor must not be its own candidate: mask sim(z_i, z_i) out of the softmax (subtract a large constant on the diagonal), otherwise exp(1/tau) sits in every denominator.',
      impl: ntXentVariant({ ...RIGHT, maskSelf: false }),
    },
    {
      name: 'no temperature', fn: 'ntXentLoss',
      explain: 'Divide the cosine similarities by the temperature tau before the softmax.',
      impl: ntXentVariant({ ...RIGHT, useTemperature: false }),
    },
    {
      name: 'unnormalised embeddings (dot product instead of cosine)', fn: 'ntXentLoss',
      explain: 'NT-Xent uses cosine similarity: L2-normalise each row of z1 and z2 before the matrix product.',
      impl: ntXentVariant({ ...RIGHT, normalise: false }),
    },
    {
      name: 'sum instead of mean', fn: 'ntXentLoss',
      explain: 'Average the per-anchor losses over all 2N anchors instead of summing them.',
      impl: ntXentVariant({ ...RIGHT, reduce: 'sum' }),
    },
    {
      name: 'only the first view as anchors', fn: 'ntXentLoss',
      explain: 'Both views are anchors: average over all 2N rows, not only the N rows of z1.',
      impl: ntXentVariant({ ...RIGHT, reduce: 'firstView' }),
    },
    {
      name: "Google's convention (2x the mean)", fn: 'ntXentLoss',
      explain: "Google's SimCLR code reports the sum of the two directions, twice our value; this exercise asks for the mean over the 2N anchors.",
      impl: ntXentVariant({ ...RIGHT, reduce: 'double' }),
    },
  ],
};
