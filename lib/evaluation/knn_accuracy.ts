import * as tf from '@tensorflow/tfjs';
import { checkNumber, checkPositive, checkSameWidth, l2Normalize } from '../tensor';
import { agreement, checkFeaturesAndLabels, countClasses } from './labels_tensor';

/** Options of {@link knnAccuracy}; every field is optional. */
export interface KnnOptions {
  /** Neighbours that vote. */
  k?: number; // default 200 (InstDisc / MoCo monitor)
  /** Vote weight exp(cos / temperature). */
  temperature?: number; // default 0.1
  /** Test rows per similarity block (memory: batchSize x n floats). */
  batchSize?: number; // default 256
}

/**
 * Weighted k-nearest-neighbour accuracy with cosine similarity, the monitor used by InstDisc and
 * MoCo: each test point's k most similar train points vote for their class with weight
 * exp(cos / temperature); the class with the largest total wins.
 * @param trainX [n, dim] train features (the "memory bank")
 * @param trainY [n] integer labels
 * @param testX [m, dim] test features
 * @param testY [m] integer labels
 * @param options k, temperature, batchSize
 * @returns accuracy in [0, 1]
 * @example const acc = clab.evaluation.knnAccuracy(trainFeats, train.labels, testFeats, test.labels, { k: 20 });
 * WARNING: cost is m x n x dim multiply-adds (10k x 60k x 512: ~10-20 s on WASM); use subsets in notebooks.
 */
export function knnAccuracy(
  trainX: tf.Tensor2D,
  trainY: ArrayLike<number>,
  testX: tf.Tensor2D,
  testY: ArrayLike<number>,
  options: KnnOptions = {},
): number {
  const fn = 'knnAccuracy';
  checkFeaturesAndLabels(fn, 'train', trainX, trainY);
  checkFeaturesAndLabels(fn, 'test', testX, testY);
  checkSameWidth(fn, 'trainX', trainX, 'testX', testX);
  const n = trainX.shape[0];
  const k = options.k ?? 200;
  const temperature = options.temperature ?? 0.1;
  const batchSize = options.batchSize ?? 256;
  checkNumber(fn, 'k', k, { integer: true, min: 1, max: n, note: '(the train size)' });
  checkPositive(fn, 'temperature', temperature);
  checkNumber(fn, 'batchSize', batchSize, { integer: true, min: 1 });
  const classes = countClasses(trainY, testY);
  // [dim, n], transposed once: WASM's matMul is fast only without the transpose flags.
  const bankT = tf.tidy(() => tf.transpose(l2Normalize(trainX)));
  const labels = tf.tensor1d(Int32Array.from(trainY), 'int32');
  const m = testX.shape[0];
  const pred = new Int32Array(m);
  try {
    for (let start = 0; start < m; start += batchSize) {
      const size = Math.min(batchSize, m - start);
      const p = tf.tidy(() => {
        const q = l2Normalize(tf.slice(testX, [start, 0], [size, -1])); // [b, dim]
        const sim = tf.matMul(q, bankT); // [b, n]
        const { values, indices } = tf.topk(sim, k); // [b, k]
        const weights = tf.exp(tf.div(values, temperature)); // [b, k]
        const votes = tf.oneHot(tf.gather(labels, indices), classes); // [b, k, classes]
        return tf.argMax(tf.sum(tf.mul(votes, tf.expandDims(weights, 2)), 1), 1); // [b]
      });
      pred.set(p.dataSync() as Int32Array, start);
      p.dispose();
    }
  } finally {
    tf.dispose([bankT, labels]);
  }
  return agreement(pred, testY);
}
