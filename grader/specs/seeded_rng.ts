/** A seeded random source for test inputs (mulberry32): same seed, same inputs, everywhere. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** `n` standard normals times `scale`. */
  normals(n: number, scale?: number): number[];
}

/**
 * Makes a seeded generator.
 * @example seededRng(7).normals(3) // the same three numbers on every machine
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, normal, normals: (n, scale = 1) => Array.from({ length: n }, () => normal() * scale) };
}
