import * as tf from '@tensorflow/tfjs';
import type { AugmentFn } from '../augment';
import { ImageSet } from '../data';

/**
 * Internal: a training step's two views of a batch, the one definition both places that make
 * them share (the training thread, and the data worker that makes them ahead of time):
 * view 1 = augment(x, seed), view 2 = augment(x, seed + 1), with x the images at `indices`.
 * @param set the training images
 * @param indices the batch's image indices (m of them)
 * @param augment the augmentation, or null for two copies of x (benchmarks)
 * @param seed the step's augmentation seed
 * @returns [view 1, view 2], each [m, height, width, 1]; the caller disposes both
 */
export function makeViews(set: ImageSet, indices: ArrayLike<number>, augment: AugmentFn | null, seed: number): [tf.Tensor4D, tf.Tensor4D] {
  const size = set.height * set.width;
  const m = indices.length;
  const images = new Float32Array(m * size);
  for (let k = 0; k < m; k++) images.set(set.images.subarray(indices[k] * size, (indices[k] + 1) * size), k * size);
  return tf.tidy(() => {
    const x = tf.tensor4d(images, [m, set.height, set.width, 1]);
    return augment === null ? [tf.clone(x), tf.clone(x)] : [augment(x, seed), augment(x, seed + 1)];
  });
}
