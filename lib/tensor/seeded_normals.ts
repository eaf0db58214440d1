import { seededRandom } from './seeded_random';

/**
 * `count` standard normal draws from a seeded generator (mulberry32 uniforms, Box-Muller in
 * pairs: each two uniforms u1, u2 give r cos(theta) and r sin(theta) with
 * r = sqrt(-2 log(1 - u1)), theta = 2 pi u2), identical on every machine and backend for the
 * same (count, seed).
 * @param count how many numbers, an integer >= 0
 * @param seed any integer (taken modulo 2^32)
 * @returns Float32Array of length `count`
 * @example seededNormals(4, 42) // the same 4 numbers every time
 */
export function seededNormals(count: number, seed: number): Float32Array {
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`seededNormals: count must be an integer >= 0, got ${count}`);
  }
  if (!Number.isInteger(seed)) {
    throw new Error(`seededNormals: seed must be an integer, got ${seed}`);
  }
  const out = new Float32Array(count);
  const next = seededRandom(seed);
  for (let k = 0; k < count; k += 2) {
    // 1 - u lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    out[k] = r * Math.cos(theta);
    if (k + 1 < count) out[k + 1] = r * Math.sin(theta);
  }
  return out;
}
