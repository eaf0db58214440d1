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
