import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../backend/fused_adam';
import { checkNonNegative, checkNumber, checkPositive, checkSameWidth, seededRandom } from '../tensor';
import { denseMatMul } from '../models';
import { agreement, checkFeaturesAndLabels, countClasses } from './labels_tensor';

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
