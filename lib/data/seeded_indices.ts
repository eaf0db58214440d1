import { seededRandom } from '../tensor';

/**
 * A seeded random permutation of 0..n-1 (Fisher-Yates).
 * @param n how many indices (integer >= 0)
 * @param seed integer seed; the same seed gives the same permutation
 * @returns Int32Array [n], each of 0..n-1 once
 * @example const order = shuffledIndices(60000, 0); // train order for epoch 0
 */
export function shuffledIndices(n: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`shuffledIndices: n must be an integer >= 0, got ${n}`);
  }
  if (!Number.isInteger(seed)) {
    throw new Error(`shuffledIndices: seed must be an integer, got ${seed}`);
  }
  const rand = seededRandom(seed);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/**
 * A seeded subset with exactly `perClass` examples of every class, e.g. the 100-label probe
 * (10 per class). Classes are 0..max(labels).
 * @param labels [n] integer class labels (e.g. `mnist.labels`)
 * @param perClass examples per class (integer >= 1)
 * @param seed integer seed; the same seed gives the same subset
 * @returns Int32Array [numClasses * perClass] of indices into `labels`, in random order
 *   (classes interleaved), each index once
 * @example const idx = balancedSubset(train.labels, 10, 0); // 100 labelled examples
 */
export function balancedSubset(labels: ArrayLike<number>, perClass: number, seed: number): Int32Array {
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new Error(`balancedSubset: perClass must be an integer >= 1, got ${perClass}`);
  }
  if (labels.length === 0) {
    throw new Error('balancedSubset: labels is empty; pass the labels of a loaded set');
  }
  let numClasses = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0) {
      throw new Error(`balancedSubset: labels must be integers >= 0, got ${y} at index ${i}`);
    }
    if (y + 1 > numClasses) numClasses = y + 1;
  }
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] < perClass) {
      throw new Error(
        `balancedSubset: class ${c} has ${counts[c]} examples, fewer than perClass = ${perClass}; ` +
          'use a smaller perClass or a larger set',
      );
    }
  }
  const taken = new Int32Array(numClasses);
  const out = new Int32Array(numClasses * perClass);
  let k = 0;
  // Walk one seeded permutation and keep the first perClass of each class: the order stays random.
  for (const i of shuffledIndices(labels.length, seed)) {
    const y = labels[i];
    if (taken[y] < perClass) {
      taken[y]++;
      out[k++] = i;
      if (k === out.length) break;
    }
  }
  return out;
}
