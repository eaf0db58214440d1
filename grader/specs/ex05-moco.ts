import * as tf from '@tensorflow/tfjs';
import { plainTensor, PlainTensor } from '../plain_value';
import type { Rng } from '../../lib/tensor';
import { randomTensor, unitRows } from './random_tensor';
import type { ExerciseSpec } from './spec_types';

function moco(opts: { temperature: boolean; reduce: 'mean' | 'sum'; inBatch: boolean; positiveInDenominator: boolean; positiveLast: boolean }) {
  return (q: tf.Tensor2D, k: tf.Tensor2D, queue: tf.Tensor2D, temperature = 0.07): tf.Scalar => {
    const tau = opts.temperature ? temperature : 1;
    const [b] = q.shape;
    const pos = opts.inBatch ? tf.matMul(q, k, false, true) : tf.sum(tf.mul(q, k), 1, true); // [B, B] or [B, 1]
    const neg = tf.matMul(q, queue, false, true); // [B, K]
    if (opts.positiveLast) {
      // [negatives, positive] but the label still 0: the first queued key is taken as the positive.
      const logits = tf.div(tf.concat([neg, pos], 1), tau);
      return tf.mean(tf.sub(tf.logSumExp(logits, 1, true), tf.slice(logits, [0, 0], [b, 1]))) as tf.Scalar;
    }
    const logits = tf.div(tf.concat([pos, neg], 1), tau);
    const posLogit = opts.inBatch ? tf.sum(tf.mul(tf.eye(b), tf.slice(logits, [0, 0], [b, b])), 1, true) : tf.slice(logits, [0, 0], [b, 1]);
    const denomLogits = opts.positiveInDenominator ? logits : tf.div(neg, tau);
    const per = tf.sub(tf.logSumExp(denomLogits, 1, true), posLogit); // [B, 1]
    return (opts.reduce === 'sum' ? tf.sum(per) : tf.mean(per)) as tf.Scalar;
  };
}
const RIGHT = { temperature: true, reduce: 'mean' as const, inBatch: false, positiveInDenominator: true, positiveLast: false };

/** Unit rows: the first `near` rows of `q` moved slightly (cosine about 0.99) and made unit again, the others random. */
function nearRows(r: Rng, q: PlainTensor, near: number): PlainTensor {
  const [b, d] = q.shape;
  const random = unitRows(r, b, d);
  const data: number[] = [];
  for (let i = 0; i < b; i++) {
    const v = Array.from({ length: d }, (_, j) => (i < near ? Number(q.data[i * d + j]) + r.normal() * 0.05 : Number(random.data[i * d + j])));
    const norm = Math.hypot(...v);
    data.push(...v.map((x) => x / norm));
  }
  return plainTensor([b, d], data);
}

/** Exercise 5: MoCo's momentum update, FIFO queue and loss. */
export const ex05: ExerciseSpec = {
  id: 'ex05',
  file: 'ex05-moco.ts',
  title: 'MoCo: momentum, queue, loss',
  functions: ['momentumUpdate', 'enqueue', 'mocoLoss'],
  forbiddenLib: ['mocoInfoNCE', 'infoNCE', 'softmaxCrossEntropy'],
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  reference: () => require('../../solutions/ex05-moco'),
  tests: [
    {
      name: 'momentumUpdate([k1, k2], [q1, q2], 0.9) returns 0.9 k + 0.1 q per tensor',
      points: 1, visibility: 'public', fn: 'momentumUpdate', seed: 501,
      calls: (r) => [[[randomTensor(r, [2, 3]), randomTensor(r, [4])], [randomTensor(r, [2, 3]), randomTensor(r, [4])], 0.9]],
    },
    {
      name: 'momentumUpdate(key, query, m) at m = 0.99, 0 and 1 (copy the query at m = 0, keep the key at m = 1)',
      points: 2, visibility: 'hidden', fn: 'momentumUpdate', seed: 502,
      calls: (r) => {
        const key = [randomTensor(r, [3, 2, 2]), randomTensor(r, [5])];
        const query = [randomTensor(r, [3, 2, 2]), randomTensor(r, [5])];
        return [[key, query, 0.99], [key, query, 0], [key, query, 1]];
      },
    },
    {
      name: 'enqueue(queue [5,3], keys [2,3]) drops the 2 oldest rows and appends the keys last',
      points: 1, visibility: 'public', fn: 'enqueue', seed: 503,
      calls: (r) => [[randomTensor(r, [5, 3]), randomTensor(r, [2, 3])]],
    },
    {
      name: 'enqueue(queue [8,4], keys [3,4]) keeps the size K = 8',
      points: 1, visibility: 'hidden', fn: 'enqueue', seed: 504,
      calls: (r) => [[randomTensor(r, [8, 4]), randomTensor(r, [3, 4])]],
    },
    {
      // Echoing the keys back would pass B = K alone, so a queue with K > B rides along.
      name: 'enqueue(queue [2,2], keys [2,2]) replaces the whole queue when B = K, and enqueue(queue [6,2], keys [2,2]) keeps 4 old rows',
      points: 1, visibility: 'hidden', fn: 'enqueue', seed: 505,
      calls: (r) => [[randomTensor(r, [2, 2]), randomTensor(r, [2, 2])], [randomTensor(r, [6, 2]), randomTensor(r, [2, 2])]],
    },
    {
      name: 'mocoLoss(q, k, queue, 0.2) matches the reference, B=4, K=8, D=6, unit rows',
      points: 2, visibility: 'public', fn: 'mocoLoss', seed: 506,
      calls: (r) => [[unitRows(r, 4, 6), unitRows(r, 4, 6), unitRows(r, 8, 6), 0.2]],
    },
    {
      // The closed form depends only on K and tau, so random unit rows with the same K and tau ride along.
      name: 'mocoLoss(e1, e1, queue of e2 rows, tau) equals log(1 + K exp(-1/tau)) (K=3, tau=0.5), and matches the reference on random unit rows B=2, K=3, D=4',
      points: 1, visibility: 'hidden', fn: 'mocoLoss', seed: 507,
      calls: (r) => [
        [plainTensor([1, 2], [1, 0]), plainTensor([1, 2], [1, 0]), plainTensor([3, 2], [0, 1, 0, 1, 0, 1]), 0.5],
        [unitRows(r, 2, 4), unitRows(r, 2, 4), unitRows(r, 3, 4), 0.5],
      ],
    },
    {
      // Keys near their queries for half the batch (as after training): their positive logit
      // (about 1 / 0.07) then outweighs the queue, so leaving it out of the denominator shows.
      name: 'mocoLoss(q, k, queue) uses the default temperature 0.07, B=6, K=16, D=8, three keys near their queries',
      points: 1, visibility: 'hidden', fn: 'mocoLoss', seed: 508,
      calls: (r) => {
        const q = unitRows(r, 6, 8);
        return [[q, nearRows(r, q, 3), unitRows(r, 16, 8)]];
      },
    },
  ],
  mistakes: [
    {
      name: 'momentum on the query side', fn: 'momentumUpdate',
      explain: 'The KEY encoder keeps m of itself: m * key + (1 - m) * query. Swapping them makes the key encoder nearly a copy of the query encoder.',
      impl: (key: tf.Tensor[], query: tf.Tensor[], m: number) => key.map((k, i) => tf.add(tf.mul(query[i], m), tf.mul(k, 1 - m))),
    },
    {
      name: 'missing (1 - m) factor', fn: 'momentumUpdate',
      explain: 'The update is a weighted average: m * key + (1 - m) * query; without (1 - m) the weights grow every step.',
      impl: (key: tf.Tensor[], query: tf.Tensor[], m: number) => key.map((k, i) => tf.add(tf.mul(k, m), query[i])),
    },
    {
      name: 'only the first tensor updated', fn: 'momentumUpdate',
      explain: 'key and query are lists of ALL the encoder\'s parameters (one tensor per layer): update every pair key[i], query[i], not only the first.',
      impl: (key: tf.Tensor[], query: tf.Tensor[], m: number) => key.map((k, i) => (i === 0 ? tf.add(tf.mul(k, m), tf.mul(query[0], 1 - m)) : k)),
    },
    {
      name: 'newest keys first', fn: 'enqueue',
      explain: 'The queue is oldest first: drop its first B rows and append the new keys at the END.',
      impl: (queue: tf.Tensor2D, keys: tf.Tensor2D) => tf.concat([keys, tf.slice(queue, [0, 0], [queue.shape[0] - keys.shape[0], -1])], 0),
    },
    {
      name: 'drops the newest rows instead of the oldest', fn: 'enqueue',
      explain: 'FIFO: the rows to drop are the FIRST B (oldest); keep queue rows B..K-1, then the keys.',
      impl: (queue: tf.Tensor2D, keys: tf.Tensor2D) => tf.concat([tf.slice(queue, [0, 0], [queue.shape[0] - keys.shape[0], -1]), keys], 0),
    },
    {
      name: 'queue grows (nothing dropped)', fn: 'enqueue',
      explain: 'The queue has a fixed size K: drop as many old rows as you append.',
      impl: (queue: tf.Tensor2D, keys: tf.Tensor2D) => tf.concat([queue, keys], 0),
    },
    {
      name: 'drops one row instead of B', fn: 'enqueue',
      explain: 'A batch brings B = keys.shape[0] new keys, so drop exactly B old rows (the first B), not one: the size must stay K.',
      impl: (queue: tf.Tensor2D, keys: tf.Tensor2D) => tf.concat([tf.slice(queue, [1, 0], [-1, -1]), keys], 0),
    },
    {
      name: 'new keys appended in reverse order', fn: 'enqueue',
      explain: 'Append the batch\'s keys in their own order (keys row 0 first); only the queue as a whole is first-in first-out.',
      impl: (queue: tf.Tensor2D, keys: tf.Tensor2D) => tf.concat([tf.slice(queue, [keys.shape[0], 0], [-1, -1]), tf.reverse(keys, 0)], 0),
    },
    {
      name: 'no temperature', fn: 'mocoLoss',
      explain: 'Divide all logits [q.k, q.queue] by the temperature tau.',
      impl: moco({ ...RIGHT, temperature: false }),
    },
    {
      name: 'sum instead of mean', fn: 'mocoLoss',
      explain: 'Average the per-query losses over the batch.',
      impl: moco({ ...RIGHT, reduce: 'sum' }),
    },
    {
      name: 'positive from the full q k^T matrix', fn: 'mocoLoss',
      explain: 'The positive logit is the row-wise dot product q_i . k_i (a [B, 1] column), not the [B, B] matrix q k^T, whose off-diagonal keys do not belong in MoCo\'s logits.',
      impl: moco({ ...RIGHT, inBatch: true }),
    },
    {
      name: 'positive missing from the denominator', fn: 'mocoLoss',
      explain: 'The softmax runs over K + 1 logits: the positive and the K queued keys.',
      impl: moco({ ...RIGHT, positiveInDenominator: false }),
    },
    {
      name: 'positive not at index 0', fn: 'mocoLoss',
      explain: 'The cross entropy takes the logit at index 0 as the positive, so put q.k first: logits = [q.k, q.queue^T] / tau. With the positive appended last, the first queued key is treated as the positive.',
      impl: moco({ ...RIGHT, positiveLast: true }),
    },
  ],
};
