import * as tf from '@tensorflow/tfjs';

/**
 * A set of grey-scale images with integer labels, held as flat typed arrays (no tensors, so
 * nothing to dispose). Image i is `images.subarray(i*h*w, (i+1)*h*w)`, row-major (NHWC with one
 * channel), values in [0, 1].
 */
export interface ImageSet {
  /** [n * height * width] pixel values in [0, 1], row-major. */
  images: Float32Array;
  /** [n] class labels (0..9 for MNIST). */
  labels: Uint8Array;
  /** Number of examples. */
  n: number;
  /** Image height in pixels (28 for MNIST). */
  height: number;
  /** Image width in pixels (28 for MNIST). */
  width: number;
}

/**
 * Copies the chosen examples into a new set (same height and width), in the given order.
 * @param set the source set
 * @param indices [m] indices into the set (each in 0..n-1; repeats allowed)
 * @returns a new set with m examples; the source is unchanged
 * @example const probe = subset(train, balancedSubset(train.labels, 10, 0)); // 100 examples
 */
export function subset<S extends ImageSet>(set: S, indices: ArrayLike<number>): S {
  const size = set.height * set.width;
  const m = indices.length;
  const images = new Float32Array(m * size);
  const labels = new Uint8Array(m);
  for (let k = 0; k < m; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= set.n) {
      throw new Error(`subset: indices[${k}] = ${i} is not an integer in 0..${set.n - 1}`);
    }
    images.set(set.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i];
  }
  return { ...set, images, labels, n: m };
}

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
