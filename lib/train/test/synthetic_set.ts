import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../../data';
import { AugmentFn } from '../../augment';

/** n synthetic 28x28 "digits": each a random bright square, labels = square's row band. */
export function syntheticSet(n: number, seed = 0): ImageSet {
  let s = seed + 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647);
  const images = new Float32Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(rand() * 20);
    const c = Math.floor(rand() * 20);
    labels[i] = Math.floor(r / 10);
    for (let y = r; y < r + 8; y++) for (let x = c; x < c + 8; x++) images[i * 784 + y * 28 + x] = 1;
  }
  return { images, labels, n, height: 28, width: 28 };
}

/** Additive Gaussian noise, seeded: enough to make the two views differ. */
export const noiseAugment: AugmentFn = (x, seed) => tf.tidy(() => tf.add(x, tf.randomNormal(x.shape, 0, 0.3, 'float32', seed)) as tf.Tensor4D);
