import * as tf from '@tensorflow/tfjs';

// Tensor memory in a notebook: read a value out and free its tensor, and say what a run left behind.

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

/**
 * One line on tensor memory since a starting count: what a notebook's last cell prints. It does
 * not throw: a leak is reported, with where to look, not turned into an error.
 * @param start `tf.memory().numTensors` when the notebook (or the code under watch) started
 * @returns e.g. `tensors: none left behind (312 allocated, as at the start)` or
 *   `tensors: 12 left behind (324 allocated, 312 at the start): a cell made tensors outside tf.tidy and did not dispose them`
 * @example
 * const TENSORS_AT_START = tf.memory().numTensors;      // first cell
 * console.log(clab.tensor.leakReport(TENSORS_AT_START)); // last cell
 */
export function leakReport(start: number): string {
  if (!Number.isInteger(start) || start < 0) {
    throw new Error(`leakReport: start must be a tensor count (an integer >= 0, from tf.memory().numTensors), got ${start}`);
  }
  const now = tf.memory().numTensors;
  const diff = now - start;
  if (diff === 0) return `tensors: none left behind (${now} allocated, as at the start)`;
  if (diff < 0) return `tensors: ${-diff} fewer than at the start (${now} allocated, ${start} at the start): something allocated before the start was disposed`;
  return `tensors: ${diff} left behind (${now} allocated, ${start} at the start): a cell made tensors outside tf.tidy and did not dispose them`;
}
