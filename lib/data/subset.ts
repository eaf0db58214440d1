import { ImageSet } from './image_set';

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
