import type * as tf from '@tensorflow/tfjs';

/**
 * Reads a scalar tensor's value into a number and disposes the tensor: for a loss or metric
 * you only want to print.
 * @param t a tensor with one element (a scalar, or shape [1] / [1, 1])
 * @returns its value
 * @example const loss = clab.tensor.takeScalar(clab.losses.ntXent(z1, z2));
 */
export function takeScalar(t: tf.Tensor): number {
  if (t === null || typeof t !== 'object' || typeof (t as tf.Tensor).dataSync !== 'function') {
    throw new Error(`takeScalar: t must be a tf.Tensor with one element, got ${t === null ? 'null' : typeof t}`);
  }
  try {
    if (t.size !== 1) throw new Error(`takeScalar: t must have one element, got shape [${t.shape.join(',')}] (${t.size} elements)`);
    return t.dataSync()[0];
  } finally {
    t.dispose();
  }
}
