import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../tensor';
import { checkImageBatch, checkProbability, checkRange, checkSeed } from './arguments';

/** Options of {@link randomResizedCrop}; every field is optional. */
export interface CropOptions {
  /** Crop area as a fraction of the image, drawn uniformly. */
  scale?: [number, number]; // default [0.3, 1]
  /** Crop aspect ratio width/height, drawn log-uniformly. */
  ratio?: [number, number]; // default [3/4, 4/3]
  /** Probability that an image is cropped at all. */
  p?: number; // default 1
}

export const CROP_DEFAULTS: Required<CropOptions> = { scale: [0.3, 1], ratio: [3 / 4, 4 / 3], p: 1 };

/**
 * Random resized crop (SimCLR's main augmentation): per image, a box of random area and aspect
 * ratio at a random place, resized back to the full size (bilinear, tf.image.cropAndResize).
 * @param x [B, H, W, C] float32 in [0, 1]
 * @param seed integer; the same seed gives the same crops
 * @param options scale, ratio, p (see {@link CROP_DEFAULTS})
 * @returns [B, H, W, C] in [0, 1]
 * @example const v = randomResizedCrop(x, 7, { scale: [0.5, 1] });
 * WARNING: scale [1, 1] with ratio [1, 1] is the identity; small scales on digits can crop the
 * stroke out entirely (keep scale >= 0.3).
 */
export function randomResizedCrop(x: tf.Tensor4D, seed: number, options: CropOptions = {}): tf.Tensor4D {
  const o = { ...CROP_DEFAULTS, ...options };
  checkImageBatch('randomResizedCrop', x);
  checkSeed('randomResizedCrop', seed);
  checkRange('randomResizedCrop', 'scale', o.scale, Number.MIN_VALUE, 1);
  checkRange('randomResizedCrop', 'ratio', o.ratio, Number.MIN_VALUE, Infinity);
  checkProbability('randomResizedCrop', 'p', o.p);
  const [b, h, w] = x.shape;
  const rand = seededRandom(seed);
  const boxes = new Float32Array(4 * b);
  const [lr0, lr1] = [Math.log(o.ratio[0]), Math.log(o.ratio[1])];
  for (let i = 0; i < b; i++) {
    const scale = o.scale[0] + (o.scale[1] - o.scale[0]) * rand();
    const ratio = Math.exp(lr0 + (lr1 - lr0) * rand());
    const bh = Math.min(1, Math.sqrt(scale / ratio)); // box sides as fractions of the image
    const bw = Math.min(1, Math.sqrt(scale * ratio));
    const y0 = rand() * (1 - bh);
    const x0 = rand() * (1 - bw);
    if (rand() < o.p) boxes.set([y0, x0, y0 + bh, x0 + bw], 4 * i);
    else boxes.set([0, 0, 1, 1], 4 * i);
  }
  return tf.tidy(() => {
    const ind = tf.range(0, b, 1, 'int32') as tf.Tensor1D;
    return tf.image.cropAndResize(x, tf.tensor2d(boxes, [b, 4]), ind, [h, w], 'bilinear'); // [B, H, W, C]
  });
}
