import * as tf from '@tensorflow/tfjs';
import { randomTensor } from './random_tensor';
import type { ExerciseSpec } from './spec_types';
import type { Rng } from '../../lib/tensor';
import { plainTensor, PlainTensor } from '../plain_value';

interface Variant {
  /** Divide the scores by tau (right), multiply by it, or ignore it. */
  temperature: 'divide' | 'multiply' | 'ignore';
  reduce: 'mean' | 'sum';
  positiveInDenominator: boolean;
  cosine: boolean;
  /** Sum a . n over the features (axis 2, right) or over the negatives (axis 1). */
  negativeAxis: 2 | 1;
  /** -log softmax (right) or +log softmax. */
  sign: 1 | -1;
  /** log-sum-exp with the row maximum subtracted (right), or written out with exp. */
  logSumExp: 'stable' | 'naiveLog' | 'naiveRatio';
}

/** The N-pair loss with switchable parts: the correct one and the known wrong variants. */
function nPair(v: Variant) {
  return (a: tf.Tensor2D, p: tf.Tensor2D, negs: tf.Tensor3D, options: { temperature?: number } = {}): tf.Scalar => {
    const tau = options.temperature ?? 1;
    const scale = <T extends tf.Tensor>(t: T): T => (v.temperature === 'divide' ? tf.div(t, tau) : v.temperature === 'multiply' ? tf.mul(t, tau) : t);
    const unit = <T extends tf.Tensor>(t: T, axis: number): T => (v.cosine ? (tf.div(t, tf.norm(t, 2, axis, true)) as T) : t);
    const an = unit(a, 1);
    const pos = scale(tf.sum(tf.mul(an, unit(p, 1)), 1, true)); // [B, 1]
    const neg = scale(tf.sum(tf.mul(tf.expandDims(an, 1), unit(negs, 2)), v.negativeAxis)); // [B, M] (or [B, D] on the wrong axis)
    const logits = v.positiveInDenominator ? tf.concat([pos, neg], 1) : neg;
    let per: tf.Tensor; // [B, 1]: -log softmax(positive)
    if (v.logSumExp === 'stable') per = tf.sub(tf.logSumExp(logits, 1, true), pos);
    else if (v.logSumExp === 'naiveLog') per = tf.sub(tf.log(tf.sum(tf.exp(logits), 1, true)), pos);
    else per = tf.neg(tf.log(tf.div(tf.exp(pos), tf.sum(tf.exp(logits), 1, true))));
    per = tf.mul(per, v.sign);
    return (v.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const RIGHT: Variant = { temperature: 'divide', reduce: 'mean', positiveInDenominator: true, cosine: false, negativeAxis: 2, sign: 1, logSumExp: 'stable' };

function batch(r: Rng, b: number, m: number, d: number, scale = 1): PlainTensor[] {
  return [randomTensor(r, [b, d], scale), randomTensor(r, [b, d], scale), randomTensor(r, [b, m, d], scale)];
}

/** Per anchor, a.p minus the largest a.n (doubles, on the float32 inputs). */
function positiveLead(a: PlainTensor, p: PlainTensor, negs: PlainTensor): number[] {
  const [b, m, d] = negs.shape;
  const dot = (u: PlainTensor, ui: number, i: number) => Array.from({ length: d }, (_, j) => Number(a.data[i * d + j]) * Number(u.data[ui * d + j])).reduce((x, y) => x + y, 0);
  return Array.from({ length: b }, (_, i) => dot(p, i, i) - Math.max(...Array.from({ length: m }, (_, k) => dot(negs, i * m + k, i))));
}

/**
 * A random batch in which at least one anchor's positive beats all its negatives by `lead` or
 * more, drawn until it does: at a small temperature the positive's term then decides that
 * anchor's loss, so leaving it out of the denominator shows on every seed.
 */
function batchWithLeadingPositive(r: Rng, b: number, m: number, d: number, scale: number, lead: number): PlainTensor[] {
  for (let draw = 0; draw < 1000; draw++) {
    const [a, p, negs] = batch(r, b, m, d, scale);
    if (Math.max(...positiveLead(a, p, negs)) >= lead) return [a, p, negs];
  }
  throw new Error(`ex02: no batch [${b},${m},${d}] whose positive leads by ${lead} in 1000 draws`);
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
      // log(M + 1) alone can be answered from the shape of negs, so the same test also runs a
      // random batch of the same shape and temperature.
      name: 'nPairLoss(v, v, [v, v, v], {temperature: 0.5}) equals log(M+1) = log 4 when every score ties, and matches the reference on a random batch [2,3,3]',
      points: 2, visibility: 'public', fn: 'nPairLoss', seed: 202,
      calls: (r) => {
        const v = r.normals(3);
        const tie = [plainTensor([2, 3], [...v, ...v]), plainTensor([2, 3], [...v, ...v]), plainTensor([2, 3, 3], Array(6).fill(v).flat()), { temperature: 0.5 }];
        return [tie, [...batch(r, 2, 3, 3, 0.8), { temperature: 0.5 }]];
      },
    },
    {
      name: 'nPairLoss(a, p, negs [4,3,6], {temperature: 0.1}) divides the dot products by tau (one positive beats its negatives)',
      points: 2, visibility: 'hidden', fn: 'nPairLoss', seed: 203,
      calls: (r) => [[...batchWithLeadingPositive(r, 4, 3, 6, 0.5, 0.2), { temperature: 0.1 }]],
    },
    {
      name: 'nPairLoss(a, p, negs, {temperature: 0.01}) stays finite with scores in the thousands (one positive beats its negatives)',
      points: 2, visibility: 'hidden', fn: 'nPairLoss', seed: 204,
      calls: (r) => [[...batchWithLeadingPositive(r, 5, 4, 8, 3, 1), { temperature: 0.01 }]],
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
      impl: nPair({ ...RIGHT, temperature: 'ignore' }),
    },
    {
      name: 'multiplied by the temperature instead of dividing', fn: 'nPairLoss',
      explain: 'The scores are a.p / tau: a small temperature makes them LARGER and the softmax sharper. You multiplied by tau.',
      impl: nPair({ ...RIGHT, temperature: 'multiply' }),
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
    {
      name: 'negative scores summed over the wrong axis', fn: 'nPairLoss',
      explain: 'For negatives [B, M, D], a_b . n_bm sums over the features D (axis 2), leaving one score per negative ([B, M]); you summed over the M negatives (axis 1).',
      impl: nPair({ ...RIGHT, negativeAxis: 1 }),
    },
    {
      name: 'missing minus sign', fn: 'nPairLoss',
      explain: 'The loss is -log softmax(positive), which is >= 0; yours is its negative.',
      impl: nPair({ ...RIGHT, sign: -1 }),
    },
    {
      // Two ways of writing it without the shift, two results (Infinity or NaN): one name.
      name: 'exp without subtracting the row maximum (overflow)', fn: 'nPairLoss',
      explain: 'With tau = 0.01 the scores reach the thousands and exp() overflows to Infinity. Subtract each row\'s maximum before exp: logsumexp(x) = max(x) + log(sum(exp(x - max(x)))), or use tf.logSumExp.',
      impl: nPair({ ...RIGHT, logSumExp: 'naiveLog' }),
    },
    {
      name: 'exp without subtracting the row maximum (overflow)', fn: 'nPairLoss',
      explain: 'With tau = 0.01 the scores reach the thousands and exp() overflows to Infinity (Infinity / Infinity is NaN). Subtract each row\'s maximum before exp: logsumexp(x) = max(x) + log(sum(exp(x - max(x)))), or use tf.logSumExp.',
      impl: nPair({ ...RIGHT, logSumExp: 'naiveRatio' }),
    },
  ],
};
