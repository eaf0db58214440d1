import * as tf from '@tensorflow/tfjs';

/** Internal: checks features/labels agree and returns labels as an int32 tensor [n]. */
export function checkFeaturesAndLabels(fn: string, name: string, x: tf.Tensor, labels: ArrayLike<number>): void {
  if (!(x instanceof tf.Tensor) || x.rank !== 2) {
    throw new Error(`${fn}: ${name} features must be a 2-D tensor [n, dim], got ${x instanceof tf.Tensor ? `shape [${x.shape}]` : typeof x}`);
  }
  if (labels === undefined || labels.length !== x.shape[0]) {
    throw new Error(`${fn}: ${name} labels must have one entry per row (${x.shape[0]}), got ${labels === undefined ? 'undefined' : labels.length}`);
  }
}

/** Internal: largest label + 1. */
export function countClasses(...labelSets: ArrayLike<number>[]): number {
  let max = -1;
  for (const labels of labelSets) for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return max + 1;
}

/** Internal: fraction of equal entries. */
export function agreement(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) hit++;
  return hit / labels.length;
}
