import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../backend/fused_adam';
import { denseMatMul } from '../models';
import { checkNonNegative, checkNumber, checkPositive, checkSameWidth, checkTensor, l2Normalize, seededRandom } from '../tensor';

// The two probes that score a frozen representation by labels: a linear classifier trained on
// it, and a weighted k-nearest-neighbour vote. Both check their labels and score accuracy alike
// (the helpers at the end).

/** Options of {@link linearProbe}; every field is optional. */
export interface LinearProbeOptions {
  /** Adam steps; default max(300, 10 epochs) = 300 steps for 60k examples at batch 2048. */
  steps?: number;
  /** Examples per step (the whole set if smaller). */
  batchSize?: number; // default 2048
  /** Initial Adam learning rate, cosine-decayed to 0. */
  lr?: number; // default 0.01
  /** L2 penalty on the weights (per example, as in weight decay): loss + weightDecay * |W|^2 / 2. */
  weightDecay?: number; // default 1e-4 (use ~1e-2 with 100 labels)
  /** Standardise each feature with the TRAIN mean/std first (the probe then needs no tuning per encoder). */
  standardize?: boolean; // default true
  /** Seed of the batch order. */
  seed?: number; // default 0
}

/** What {@link linearProbe} returns. */
export interface LinearProbeResult {
  /** Accuracy on the test features, in [0, 1]. */
  accuracy: number;
  /** Accuracy on the training features. */
  trainAccuracy: number;
  /** Wall-clock seconds. */
  seconds: number;
}

/**
 * Linear evaluation of a frozen representation: a softmax regression (one linear layer + bias)
 * trained with Adam on (standardised) train features, scored on test features.
 * @param trainX [n, dim] train features (e.g. from extractFeatures; raw pixels work too)
 * @param trainY [n] integer labels
 * @param testX [m, dim] test features
 * @param testY [m] integer labels
 * @param options steps, batchSize, lr, weightDecay, standardize, seed
 * @returns test and train accuracy in [0, 1] and the time taken
 * @example
 * const { accuracy } = clab.evaluation.linearProbe(trainFeats, train.labels, testFeats, test.labels);
 * WARNING: use the same options for every encoder you compare; with 100 labels raise
 * weightDecay (1e-2) or the probe overfits.
 */
export function linearProbe(
  trainX: tf.Tensor2D,
  trainY: ArrayLike<number>,
  testX: tf.Tensor2D,
  testY: ArrayLike<number>,
  options: LinearProbeOptions = {},
): LinearProbeResult {
  const fn = 'linearProbe';
  checkFeaturesAndLabels(fn, 'train', trainX, trainY);
  checkFeaturesAndLabels(fn, 'test', testX, testY);
  checkSameWidth(fn, 'trainX', trainX, 'testX', testX);
  const [n, dim] = trainX.shape;
  const batchSize = Math.min(checkNumber(fn, 'batchSize', options.batchSize ?? 2048, { integer: true, min: 1 }), n);
  const steps = options.steps ?? Math.max(300, Math.ceil((10 * n) / batchSize));
  const lr = options.lr ?? 0.01;
  const wd = options.weightDecay ?? 1e-4;
  checkNumber(fn, 'steps', steps, { integer: true, min: 1 });
  checkPositive(fn, 'lr', lr);
  checkNonNegative(fn, 'weightDecay', wd);
  const t0 = Date.now();
  const classes = countClasses(trainY, testY);
  const rand = seededRandom(options.seed ?? 0);
  const [xTrain, xTest] = tf.tidy(() => {
    if (options.standardize === false) return [tf.clone(trainX), tf.clone(testX)];
    const { mean, variance } = tf.moments(trainX, 0);
    const std = tf.sqrt(tf.add(variance, 1e-6));
    return [tf.div(tf.sub(trainX, mean), std), tf.div(tf.sub(testX, mean), std)];
  });
  const yTrain = tf.tensor1d(Int32Array.from(trainY), 'int32');
  const w = tf.tidy(() => tf.variable(tf.zeros([dim, classes])));
  const b = tf.tidy(() => tf.variable(tf.zeros([classes])));
  const optimizer = fusedAdam(lr);
  // Mini-batches are copied row by row in JS: WASM's Gather took ~70 ms per [2048, 512] batch,
  // 90% of a probe (the values are the same: a gather is a copy).
  const xRows = batchSize === n ? null : (xTrain.dataSync() as Float32Array);
  const yAll = Int32Array.from(trainY);
  try {
    for (let s = 0; s < steps; s++) {
      (optimizer as unknown as { learningRate: number }).learningRate = (lr * (1 + Math.cos((Math.PI * s) / steps))) / 2;
      let batch: [tf.Tensor2D, tf.Tensor1D] | null = null;
      if (xRows !== null) {
        const rows = Int32Array.from({ length: batchSize }, () => Math.floor(rand() * n));
        const xs = new Float32Array(batchSize * dim);
        rows.forEach((r, i) => xs.set(xRows.subarray(r * dim, (r + 1) * dim), i * dim));
        batch = [tf.tensor2d(xs, [batchSize, dim]), tf.tensor1d(rows.map((r) => yAll[r]), 'int32')];
      }
      optimizer.minimize(
        () => {
          const x = batch === null ? xTrain : batch[0];
          const y = batch === null ? yTrain : batch[1];
          const logits = tf.add(denseMatMul(x as tf.Tensor2D, w as unknown as tf.Tensor2D), b); // [batch, classes]
          const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, classes), logits);
          return tf.add(ce, tf.mul(wd / 2, tf.sum(tf.square(w)))) as tf.Scalar;
        },
        false,
        [w, b],
      );
      if (batch !== null) tf.dispose(batch);
    }
    const predict = (x: tf.Tensor2D) => tf.tidy(() => tf.argMax(tf.add(tf.matMul(x, w), b), 1).dataSync() as Int32Array);
    return { accuracy: agreement(predict(xTest), testY), trainAccuracy: agreement(predict(xTrain), trainY), seconds: (Date.now() - t0) / 1000 };
  } finally {
    tf.dispose([xTrain, xTest, yTrain, w, b]);
    optimizer.dispose();
  }
}

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

/** Throws unless `labels` has one entry per row of the features x. */
function checkFeaturesAndLabels(fn: string, name: string, x: tf.Tensor, labels: ArrayLike<number>): void {
  checkTensor(fn, `${name}X`, x, '[n, dim]');
  if (labels === undefined || labels.length !== x.shape[0]) {
    throw new Error(`${fn}: ${name} labels must have one entry per row (${x.shape[0]}), got ${labels === undefined ? 'undefined' : labels.length}`);
  }
}

/** Largest label + 1. */
function countClasses(...labelSets: ArrayLike<number>[]): number {
  let max = -1;
  for (const labels of labelSets) for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max + 1;
}

/** Fraction of equal entries: the accuracy of predictions. */
function agreement(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) hit++;
  return hit / labels.length;
}
