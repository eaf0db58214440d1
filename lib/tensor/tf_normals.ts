/**
 * The values of `tf.randomNormal(shape, mean, std, 'float32', seed)` for a shape of `count`
 * elements, bit for bit, computed about 1.5x faster: the same generator (Alea, seeded from the
 * seed's decimal string by Baagoe's Mash, as tfjs's bundled seedrandom does) and the same
 * Marsaglia polar method in the same order, with the generator's state in local variables
 * instead of behind two method calls per number. The augmentation's noise uses it, so its views
 * stay the same as with tf.randomNormal.
 * @param count how many numbers, an integer >= 0
 * @param seed a number other than 0 (tfjs treats 0 as "no seed" and draws from Math.random)
 * @param mean the distribution's mean (default 0)
 * @param std its standard deviation (default 1)
 * @returns Float32Array of length `count`
 * @example tfNormals(784, 7, 0, 0.1) // = tf.randomNormal([28, 28, 1], 0, 0.1, 'float32', 7).dataSync()
 */
export function tfNormals(count: number, seed: number, mean = 0, std = 1): Float32Array {
  if (!Number.isInteger(count) || count < 0) throw new Error(`tfNormals: count must be an integer >= 0, got ${count}`);
  if (!Number.isFinite(seed) || seed === 0) throw new Error(`tfNormals: seed must be a finite number other than 0 (tfjs takes 0 as unseeded), got ${seed}`);
  const out = new Float32Array(count);
  let [s0, s1, s2] = aleaState(String(seed));
  let c = 1;
  for (let i = 0; i < count; i += 2) {
    let v1: number;
    let v2: number;
    let s: number;
    do {
      // Two Alea steps: t = 2091639 s0 + c 2^-32; the state shifts; the new s2 (in [0, 1)) is the draw.
      let t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      s2 = t - (c = t | 0);
      v1 = 2 * s2 - 1;
      t = 2091639 * s0 + c * 2.3283064365386963e-10;
      s0 = s1;
      s1 = s2;
      s2 = t - (c = t | 0);
      v2 = 2 * s2 - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const mul = Math.sqrt((-2.0 * Math.log(s)) / s);
    // tfjs returns the pair's first value now and keeps the second for the next call.
    out[i] = mean + std * v1 * mul;
    if (i + 1 < count) out[i + 1] = mean + std * v2 * mul;
  }
  return out;
}

/** Alea's starting state for a seed string: three fractions from Mash, as Baagoe's seeding does. */
function aleaState(seed: string): [number, number, number] {
  let n = 0xefc8249d;
  const mash = (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
  const state = [mash(' '), mash(' '), mash(' ')];
  for (let k = 0; k < 3; k++) {
    state[k] -= mash(seed);
    if (state[k] < 0) state[k] += 1;
  }
  return state as [number, number, number];
}
