import { seededRandom } from './seeded_random';

/** A seeded random source for generated test inputs: same seed, same inputs, everywhere. */
export interface Rng {
  /** Uniform in [0, 1) (mulberry32, the {@link seededRandom} stream). */
  next(): number;
  /** One standard normal from two uniforms: sqrt(-2 log max(u1, 1e-12)) cos(2 pi u2). */
  normal(): number;
  /** `n` standard normals times `scale` (default 1). */
  normals(n: number, scale?: number): number[];
}

/**
 * A seeded generator with a normal draw, as the grader's input generators use it: one normal
 * per two uniforms (cosine half of Box-Muller only), so the stream differs from
 * {@link seededNormals}, which uses both halves. Both streams are fixed: the grader's recorded
 * test inputs and the notebooks' numbers depend on them.
 * @param seed any integer (taken modulo 2^32)
 * @example seededRng(7).normals(3) // the same three numbers on every machine
 */
export function seededRng(seed: number): Rng {
  const next = seededRandom(seed);
  const normal = (): number => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, normal, normals: (n, scale = 1) => Array.from({ length: n }, () => normal() * scale) };
}
