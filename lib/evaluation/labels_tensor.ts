import * as tf from '@tensorflow/tfjs';
import { checkTensor } from '../tensor';

/** Internal: checks features/labels agree and returns labels as an int32 tensor [n]. */
export function checkFeaturesAndLabels(fn: string, name: string, x: tf.Tensor, labels: ArrayLike<number>): void {
  checkTensor(fn, `${name}X`, x, '[n, dim]');
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
