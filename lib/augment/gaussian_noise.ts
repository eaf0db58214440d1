import * as tf from '@tensorflow/tfjs';
import { seededRandom, tfNormals } from '../tensor';
import { checkImageBatch, checkProbability, checkSeed } from './arguments';

/** Options of {@link gaussianNoise}; every field is optional. */
export interface NoiseOptions {
  /** Standard deviation of the added noise (pixel values are in [0, 1]). */
  std?: number; // default 0.1
  /** Probability that an image gets noise at all. */
  p?: number; // default 1
}

export const NOISE_DEFAULTS: Required<NoiseOptions> = { std: 0.1, p: 1 };

/**
 * Adds seeded Gaussian noise and clips back to [0, 1].
 * @param x [B, H, W, C] float32 in [0, 1]
 * @param seed integer; the same seed gives the same noise
 * @param options std, p (see {@link NOISE_DEFAULTS})
 * @returns [B, H, W, C] in [0, 1]
 * @example const v = gaussianNoise(x, 1, { std: 0.05 });
 */
export function gaussianNoise(x: tf.Tensor4D, seed: number, options: NoiseOptions = {}): tf.Tensor4D {
  const o = { ...NOISE_DEFAULTS, ...options };
  checkImageBatch('gaussianNoise', x);
  checkSeed('gaussianNoise', seed);
  if (!(o.std >= 0 && Number.isFinite(o.std))) throw new Error(`gaussianNoise: std must be a finite number >= 0, got ${o.std}`);
  checkProbability('gaussianNoise', 'p', o.p);
  const [b] = x.shape;
  if (o.std === 0 || o.p === 0) return tf.clone(x) as tf.Tensor4D;
  const rand = seededRandom(seed);
  // tf.randomNormal's values with this seed (tfNormals computes them faster); a draw of 0, which
  // tfjs would take as "unseeded", becomes 1 so the noise stays reproducible.
  const noiseSeed = Math.floor(rand() * 2 ** 31) || 1;
  return tf.tidy(() => {
    let noise: tf.Tensor = tf.tensor(tfNormals(x.size, noiseSeed, 0, o.std), x.shape); // [B, H, W, C]
    if (o.p < 1) {
      const on = Float32Array.from({ length: b }, () => (rand() < o.p ? 1 : 0));
      noise = tf.mul(noise, tf.tensor4d(on, [b, 1, 1, 1]));
    }
    return tf.clipByValue(tf.add(x, noise), 0, 1) as tf.Tensor4D;
  });
}
