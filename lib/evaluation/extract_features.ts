import * as tf from '@tensorflow/tfjs';
import { ImageSet, toTensor } from '../data';
import { Model } from '../models';
import { checkNumber } from '../tensor';

/**
 * Runs a frozen encoder over a whole set in evaluation mode (batch-norm running statistics),
 * batch by batch, and stacks the representations.
 * @param model the encoder f (not the head: the representation is f's output)
 * @param set images [n, 28, 28]
 * @param batchSize images per forward pass (default 1000)
 * @returns [n, model.outDim] features (yours to dispose)
 * @example const feats = clab.evaluation.extractFeatures(run.encoder, test); // [10000, 512]
 */
export function extractFeatures(model: Model, set: ImageSet, batchSize = 1000): tf.Tensor2D {
  if (model === null || typeof model !== 'object' || typeof model.apply !== 'function') {
    throw new Error(`extractFeatures: model must be a Model from lib/models, got ${typeof model}`);
  }
  if (set === undefined || !(set.images instanceof Float32Array)) {
    throw new Error('extractFeatures: set must be an ImageSet (e.g. clab.data.loadMnist({split: "test"}))');
  }
  checkNumber('extractFeatures', 'batchSize', batchSize, { integer: true, min: 1 });
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < set.n; start += batchSize) {
      const idx = new Int32Array(Math.min(batchSize, set.n - start)).map((_, i) => start + i);
      parts.push(
        tf.tidy(() => {
          const { x, y } = toTensor(set, idx);
          y.dispose();
          return model.apply(x);
        }),
      );
    }
    return tf.concat(parts, 0) as tf.Tensor2D; // [n, outDim]
  } finally {
    tf.dispose(parts);
  }
}
