import * as tf from '@tensorflow/tfjs';
import { plainTensor, PlainTensor } from '../plain_value';
import { randomTensor } from './random_tensor';
import type { Rng } from '../../lib/tensor';
import type { ExerciseSpec } from './spec_types';

interface Variant {
  normalise: boolean;
  useTemperature: boolean;
  /**
   * How the anchor's own similarity leaves the softmax: subtract 1e9 (right), not at all,
   * multiply its logit by 0 (exp(0) = 1 stays), or add mask * -Infinity (0 * -Infinity = NaN).
   */
  mask: 'subtract' | 'none' | 'zero' | 'minusInfinity';
  reduce: 'mean' | 'sum' | 'firstView' | 'double';
  /** Candidates: all 2N - 1 other views (right) or only the N views of the other side. */
  otherViewOnly: boolean;
  /** log-sum-exp with the row maximum subtracted (right), or written out with exp. */
  logSumExp: 'stable' | 'naiveLog' | 'naiveRatio';
}

/** NT-Xent with switchable parts: the correct loss and the known wrong variants. */
function ntXentVariant(v: Variant) {
  return (z1: tf.Tensor2D, z2: tf.Tensor2D, temperature = 0.5): tf.Scalar => {
    const [n] = z1.shape;
    if (v.otherViewOnly) return crossViewOnly(z1, z2, temperature);
    const z = tf.concat([z1, z2], 0); // [2N, D]
    const zn = v.normalise ? tf.div(z, tf.norm(z, 2, 1, true)) : z;
    let sim = tf.matMul(zn, zn, false, true); // [2N, 2N]
    if (v.useTemperature) sim = tf.div(sim, temperature);
    const eye = tf.eye(2 * n);
    const logits =
      v.mask === 'subtract' ? tf.sub(sim, tf.mul(eye, 1e9))
      : v.mask === 'zero' ? tf.mul(sim, tf.sub(1, eye))
      : v.mask === 'minusInfinity' ? tf.add(sim, tf.mul(eye, -Infinity))
      : sim;
    const pos = tf.oneHot(tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]), 2 * n);
    const posLogit = tf.sum(tf.mul(pos, logits), 1); // [2N]
    let perAnchor: tf.Tensor; // [2N]
    if (v.logSumExp === 'stable') perAnchor = tf.sub(tf.logSumExp(logits, 1), posLogit);
    else if (v.logSumExp === 'naiveLog') perAnchor = tf.sub(tf.log(tf.sum(tf.exp(logits), 1)), posLogit);
    else perAnchor = tf.neg(tf.log(tf.div(tf.exp(posLogit), tf.sum(tf.exp(logits), 1))));
    if (v.reduce === 'sum') return tf.sum(perAnchor) as tf.Scalar;
    if (v.reduce === 'firstView') return tf.mean(tf.slice(perAnchor, [0], [n])) as tf.Scalar;
    if (v.reduce === 'double') return tf.mul(tf.mean(perAnchor), 2) as tf.Scalar;
    return tf.mean(perAnchor) as tf.Scalar;
  };
}

/** The N-candidate variant: each view scored only against the N views of the other side (an InfoNCE over z1 z2^T, both directions). */
function crossViewOnly(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature: number): tf.Scalar {
  const [n] = z1.shape;
  const u1 = tf.div(z1, tf.norm(z1, 2, 1, true));
  const u2 = tf.div(z2, tf.norm(z2, 2, 1, true));
  const s = tf.div(tf.matMul(u1, u2, false, true), temperature); // [N, N], positives on the diagonal
  const diag = tf.sum(tf.mul(s, tf.eye(n)), 1); // [N]
  const rows = tf.sub(tf.logSumExp(s, 1), diag); // z1 anchors
  const cols = tf.sub(tf.logSumExp(s, 0), diag); // z2 anchors
  return tf.mean(tf.concat([rows, cols])) as tf.Scalar;
}

const RIGHT: Variant = { normalise: true, useTemperature: true, mask: 'subtract', reduce: 'mean', otherViewOnly: false, logSumExp: 'stable' };

/** [N, D] second views: rows 0..N/2-1 a near copy of z1's rows (cosine about 0.99), the rest drawn independently. */
function someNearPositives(r: Rng, z1: PlainTensor, scale: number): PlainTensor {
  const [n, d] = z1.shape;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) out.push(i < n / 2 ? Number(z1.data[i * d + j]) + r.normal() * scale * 0.1 : r.normal() * scale);
  }
  return plainTensor([n, d], out);
}

/**
 * The first `k` rows of z1 and of z2 turned into random directions orthogonal to each other and
 * to every other row (needs D >= 2N), each keeping its length. Those 2k anchors then have every
 * logit 0: their 2N - 1 candidates weigh alike, so an exp(0) = 1 left in their denominators
 * (self-similarity zeroed instead of masked) moves their loss from log(2N - 1) to log(2N) on
 * every seed, even at a small tau.
 */
function orthogonalFirstRows(r: Rng, z1: PlainTensor, z2: PlainTensor, k: number): [PlainTensor, PlainTensor] {
  const [n, d] = z1.shape;
  const row = (t: PlainTensor, i: number) => Array.from({ length: d }, (_, j) => Number(t.data[i * d + j]));
  const basis: number[][] = [];
  const dot = (u: number[], v: number[]) => u.reduce((a, x, j) => a + x * v[j], 0);
  // Gram-Schmidt twice over (in doubles) keeps the new rows orthogonal to float32 precision.
  const orthonormal = (v: number[]): number[] => {
    for (let pass = 0; pass < 2; pass++) for (const b of basis) v = v.map((x, j) => x - dot(v, b) * b[j]);
    const norm = Math.sqrt(dot(v, v));
    return v.map((x) => x / norm);
  };
  for (let i = k; i < n; i++) for (const t of [z1, z2]) basis.push(orthonormal(row(t, i)));
  const replaced = [z1, z2].map((t) => {
    const data = t.data.map(Number);
    for (let i = 0; i < k; i++) {
      const u = orthonormal(r.normals(d));
      basis.push(u);
      const length = Math.hypot(...row(t, i));
      u.forEach((x, j) => (data[i * d + j] = x * length));
    }
    return plainTensor([n, d], data);
  });
  return [replaced[0], replaced[1]];
}

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
      // log(2N - 1) alone can be answered from the shape, so a random batch of the same shape
      // (rows of different norms) rides along.
      name: 'ntXentLoss(z, z, 0.5) equals log(2N-1) when all 2N embeddings coincide (N=3), and matches the reference on a random batch N=3, D=2',
      points: 2, visibility: 'public', fn: 'ntXentLoss', seed: 402,
      calls: (r) => {
        const z = plainTensor([3, 2], [1, 2, 1, 2, 1, 2]);
        return [[z, z, 0.5], [randomTensor(r, [3, 2], 2), randomTensor(r, [3, 2], 0.5), 0.5]];
      },
    },
    {
      name: 'ntXentLoss(z1, z2, 0.1) uses cosine similarity: rows of very different norms, one pair of views orthogonal to all others (N=6, D=12)',
      points: 2, visibility: 'hidden', fn: 'ntXentLoss', seed: 403,
      calls: (r) => [[...orthogonalFirstRows(r, randomTensor(r, [6, 12], 7), randomTensor(r, [6, 12], 0.3), 1), 0.1]],
    },
    {
      name: 'ntXentLoss(z1, z2) uses the default temperature 0.5 (N=5, D=4)',
      points: 1, visibility: 'hidden', fn: 'ntXentLoss', seed: 404,
      calls: (r) => [[randomTensor(r, [5, 4]), randomTensor(r, [5, 4])]],
    },
    {
      // At tau = 0.01 a near-copy positive has a logit of about 99, beyond exp's float32 range (88).
      name: 'ntXentLoss(z1, z2, tau) stays finite and correct at small temperatures: 0.05 (three pairs of views orthogonal to all others) and 0.01 with some near-copy positives (N=8, D=16)',
      points: 2, visibility: 'hidden', fn: 'ntXentLoss', seed: 405,
      calls: (r) => {
        const z1 = randomTensor(r, [8, 16], 3);
        const [o1, o2] = orthogonalFirstRows(r, z1, randomTensor(r, [8, 16], 3), 3);
        return [[o1, o2, 0.05], [z1, someNearPositives(r, z1, 3), 0.01]];
      },
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
      impl: ntXentVariant({ ...RIGHT, mask: 'none' }),
    },
    {
      name: 'self-similarity zeroed instead of masked', fn: 'ntXentLoss',
      explain: 'Multiplying the anchor\'s own logit by 0 is not masking: exp(0) = 1 stays in every denominator. Subtract a large constant (1e9) on the diagonal, or use tf.where, so that exp() of it is 0.',
      impl: ntXentVariant({ ...RIGHT, mask: 'zero' }),
    },
    {
      name: 'masked with mask * -Infinity (NaN)', fn: 'ntXentLoss',
      explain: 'Your loss is NaN on every input, the mark of 0 * -Infinity somewhere: mask * -Infinity is NaN wherever the mask is 0 (and so is a one-hot label times log(0)). Mask by subtracting a large FINITE constant (1e9) on the diagonal, or use tf.where.',
      impl: ntXentVariant({ ...RIGHT, mask: 'minusInfinity' }),
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
    {
      name: 'negatives only from the other view', fn: 'ntXentLoss',
      explain: 'NT-Xent scores each anchor against all 2N - 1 other views, including the other images of its own view; you used only the N views of the other side (a z1 z2^T softmax).',
      impl: ntXentVariant({ ...RIGHT, otherViewOnly: true }),
    },
    {
      // Two ways of writing it without the shift, two results (Infinity or NaN): one name.
      name: 'exp without subtracting the row maximum (overflow)', fn: 'ntXentLoss',
      explain: 'At tau = 0.01 a similarity near 1 gives a logit near 100 and exp() overflows float32 to Infinity. Subtract each row\'s maximum before exp: logsumexp(x) = max(x) + log(sum(exp(x - max(x)))), or use tf.logSumExp.',
      impl: ntXentVariant({ ...RIGHT, logSumExp: 'naiveLog' }),
    },
    {
      name: 'exp without subtracting the row maximum (overflow)', fn: 'ntXentLoss',
      explain: 'At tau = 0.01 a similarity near 1 gives a logit near 100 and exp() overflows float32 to Infinity (Infinity / Infinity is NaN). Subtract each row\'s maximum before exp: logsumexp(x) = max(x) + log(sum(exp(x - max(x)))), or use tf.logSumExp.',
      impl: ntXentVariant({ ...RIGHT, logSumExp: 'naiveRatio' }),
    },
  ],
};
