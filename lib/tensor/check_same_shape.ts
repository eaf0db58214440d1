import type * as tf from '@tensorflow/tfjs';

const show = (t: tf.Tensor): string => `[${t.shape.join(',')}]`;

/**
 * Checks that two tensor arguments have exactly the same shape; the error names both
 * arguments and both shapes: `ntXent: z1 and z2 must have the same shape, got [32,128] and [32,64]`.
 * @example checkSameShape('alignment', 'z1', z1, 'z2', z2);
 */
export function checkSameShape(fn: string, nameA: string, a: tf.Tensor, nameB: string, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((s: number, i: number) => s !== b.shape[i])) {
    throw new Error(`${fn}: ${nameA} and ${nameB} must have the same shape, got ${show(a)} and ${show(b)}`);
  }
}

/**
 * Checks that two tensor arguments have the same size on their last axis (the feature width),
 * e.g. `knnAccuracy: trainX and testX must have the same width (last axis), got [60,512] and [10,256]`.
 * @example checkSameWidth('cosineSimilarityMatrix', 'a', a, 'b', b);
 */
export function checkSameWidth(fn: string, nameA: string, a: tf.Tensor, nameB: string, b: tf.Tensor): void {
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 1]) {
    throw new Error(`${fn}: ${nameA} and ${nameB} must have the same width (last axis), got ${show(a)} and ${show(b)}`);
  }
}
