import * as tf from '@tensorflow/tfjs';
import { ImageSet } from './image_set';
import { subset } from './subset';

/** Images and labels as tensors; the caller owns (and disposes) both. */
export interface TensorBatch {
  /** [m, height, width, 1] float32 in [0, 1]. */
  x: tf.Tensor4D;
  /** [m] int32 labels. */
  y: tf.Tensor1D;
}

/**
 * Makes tensors from a set (or from chosen examples of it).
 * @param set the images and labels
 * @param indices optional [m] indices to take (default: all n, in order)
 * @returns x [m, height, width, 1] float32, y [m] int32
 * @example
 * const { x, y } = toTensor(test);        // x [10000,28,28,1]
 * const flat = x.reshape([test.n, 784]);  // for an MLP
 * WARNING: you own the tensors: `tf.dispose([x, y])` when done.
 */
export function toTensor(set: ImageSet, indices?: ArrayLike<number>): TensorBatch {
  const s = indices === undefined ? set : subset(set, indices);
  if (s.n === 0) throw new Error('toTensor: no examples selected (set.n or indices.length is 0)');
  const x = tf.tensor4d(s.images, [s.n, s.height, s.width, 1], 'float32');
  const y = tf.tensor1d(Int32Array.from(s.labels), 'int32');
  return { x, y };
}
