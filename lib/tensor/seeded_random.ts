/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every
 * machine and backend, unlike `Math.random`. The library's only uniform source: shuffles,
 * subsets, augmentation draws, {@link seededNormals} and the grader's {@link seededRng} all
 * draw from it.
 * @param seed any integer (taken modulo 2^32)
 * @returns a function giving uniform numbers in [0, 1), multiples of 2^-32
 * @example const rand = seededRandom(42); rand(); // 0.6011037519201636
 * WARNING: 32 bits of state: fine for shuffling and augmentation, not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) {
    throw new Error(`seededRandom: seed must be an integer, got ${seed}`);
  }
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
