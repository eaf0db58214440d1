import assert from 'node:assert/strict';
import { seededNormals, seededRandom, seededRng } from './seeded_random';

/**
 * mulberry32 written out a second time from its definition, in BigInt arithmetic modulo 2^32
 * (no Math.imul, no >>> tricks), to check the fast version against.
 */
function mulberry32Reference(seed: number, count: number): number[] {
  const M = 2n ** 32n;
  const u32 = (x: bigint) => ((x % M) + M) % M;
  const shr = (x: bigint, k: bigint) => x >> k;
  let a = u32(BigInt(seed));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = u32(a + 0x6d2b79f5n);
    let t = u32((a ^ shr(a, 15n)) * (a | 1n));
    t = u32(t ^ u32(t + u32((t ^ shr(t, 7n)) * (t | 61n))));
    out.push(Number(t ^ shr(t, 14n)) / 2 ** 32);
  }
  return out;
}

const draw = (next: () => number, n: number) => Array.from({ length: n }, () => next());

describe('lib/tensor seeded generators', () => {
  it('seededRandom(seed) is mulberry32: equal to a BigInt re-derivation for 200 draws of 6 seeds', () => {
    for (const seed of [0, 1, 42, 401, -7, 2 ** 32 + 5]) {
      assert.deepEqual(draw(seededRandom(seed), 200), mulberry32Reference(seed, 200), `seed ${seed}`);
    }
  });

  it('seededRandom(seed) repeats for the same seed, differs for another, and stays in [0, 1)', () => {
    const a = draw(seededRandom(1), 1000);
    assert.deepEqual(a, draw(seededRandom(1), 1000));
    assert.notDeepEqual(a.slice(0, 3), draw(seededRandom(2), 3));
    assert.ok(a.every((v) => v >= 0 && v < 1));
  });

  it('seededNormals(n, seed) pairs Box-Muller on the seededRandom stream: r cos(2 pi u2), r sin(2 pi u2), r = sqrt(-2 log(1 - u1))', () => {
    const u = draw(seededRandom(9), 6);
    const expected: number[] = [];
    for (let k = 0; k < 6; k += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u[k]));
      expected.push(Math.fround(r * Math.cos(2 * Math.PI * u[k + 1])), Math.fround(r * Math.sin(2 * Math.PI * u[k + 1])));
    }
    assert.deepEqual(Array.from(seededNormals(6, 9)), expected);
    // an odd count drops the last sine: the first 5 of the 6
    assert.deepEqual(Array.from(seededNormals(5, 9)), expected.slice(0, 5));
  });

  it('seededNormals(100000, 7) is standard normal: mean 0 and variance 1 within 5 standard errors', () => {
    const n = 100_000;
    const a = seededNormals(n, 7);
    let s = 0;
    let s2 = 0;
    for (const v of a) {
      s += v;
      s2 += v * v;
    }
    assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n));
    assert.ok(Math.abs(s2 / n - 1) < 5 * Math.sqrt(2 / n)); // var of z^2 is 2
  });

  it('seededRng(seed).next() is the seededRandom stream; normal() is sqrt(-2 log max(u1, 1e-12)) cos(2 pi u2) on it', () => {
    const rng = seededRng(501);
    assert.deepEqual(draw(() => rng.next(), 10), draw(seededRandom(501), 10));
    const u = draw(seededRandom(502), 8);
    const expected = [0, 2, 4, 6].map((k) => Math.sqrt(-2 * Math.log(Math.max(u[k], 1e-12))) * Math.cos(2 * Math.PI * u[k + 1]));
    assert.deepEqual(seededRng(502).normals(4), expected);
    assert.deepEqual(seededRng(502).normals(4, 3), expected.map((v) => v * 3));
  });

  it('seededRandom / seededNormals throw naming the bad seed or count', () => {
    assert.throws(() => seededRandom(0.5), /seededRandom: seed must be an integer, got 0.5/);
    assert.throws(() => seededNormals(-1, 0), /seededNormals: count must be an integer >= 0, got -1/);
    assert.throws(() => seededNormals(3, NaN), /seededNormals: seed must be an integer, got NaN/);
    assert.throws(() => seededRng(1.5), /seededRandom: seed must be an integer, got 1.5/);
  });
});
