import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../data';
import { AugmentFn } from './types';

/**
 * The augmentation pipeline the trainers use by default for digits: a random resized crop
 * (area scale 0.3-1, aspect 3/4-4/3, resized back to 28x28) plus Gaussian noise (sigma 0.1),
 * clipped to [0, 1]. No flips (they change digits).
 *
 * NOTE: a stop-gap until lib/augment's composable pipeline is wired in here.
 * @returns an {@link AugmentFn}
 * @example const view = tf.tidy(() => clab.train.defaultAugment()(x, 1)); // x [B, 28, 28, 1]
 */
export function defaultAugment(): AugmentFn {
  return (x: tf.Tensor4D, seed: number): tf.Tensor4D =>
    tf.tidy(() => {
      const [b, h, w] = x.shape;
      const rand = seededRandom(seed);
      const boxes = new Float32Array(4 * b);
      for (let i = 0; i < b; i++) {
        const scale = 0.3 + 0.7 * rand();
        const ratio = Math.exp((rand() - 0.5) * Math.log(16 / 9)); // log-uniform in [3/4, 4/3]
        const bh = Math.min(1, Math.sqrt(scale / ratio));
        const bw = Math.min(1, Math.sqrt(scale * ratio));
        const y0 = rand() * (1 - bh);
        const x0 = rand() * (1 - bw);
        boxes.set([y0, x0, y0 + bh, x0 + bw], 4 * i);
      }
      const crops = tf.image.cropAndResize(x, tf.tensor2d(boxes, [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [h, w]); // [B, h, w, 1]
      return tf.clipByValue(tf.add(crops, tf.randomNormal(crops.shape, 0, 0.1, 'float32', seed)), 0, 1) as tf.Tensor4D;
    });
}
