import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../tensor';
import { checkImageBatch, checkProbability, checkRange, checkSeed } from './arguments';

/** Options of {@link randomErasing}; every field is optional. */
export interface EraseOptions {
  /** Probability that an image gets an erased rectangle. */
  p?: number; // default 0.5
  /** Rectangle area as a fraction of the image, drawn uniformly. */
  scale?: [number, number]; // default [0.02, 0.15]
  /** Rectangle aspect ratio width/height, drawn log-uniformly. */
  ratio?: [number, number]; // default [0.3, 3.3]
  /** Value written into the rectangle, in [0, 1]. */
  value?: number; // default 0
}

export const ERASE_DEFAULTS: Required<EraseOptions> = { p: 0.5, scale: [0.02, 0.15], ratio: [0.3, 3.3], value: 0 };

/**
 * Random erasing (Zhong et al. 2017): per image, with probability p, one rectangle of random
 * area and aspect ratio is set to `value`.
 * @param x [B, H, W, C] float32 in [0, 1]
 * @param seed integer; the same seed gives the same rectangles
 * @param options p, scale, ratio, value (see {@link ERASE_DEFAULTS})
 * @returns [B, H, W, C] in [0, 1]
 * @example const v = randomErasing(x, 5, { p: 1 });
 * WARNING: large rectangles can erase most of a thin digit; keep scale small.
 */
export function randomErasing(x: tf.Tensor4D, seed: number, options: EraseOptions = {}): tf.Tensor4D {
  const o = { ...ERASE_DEFAULTS, ...options };
  const fn = 'randomErasing';
  checkImageBatch(fn, x);
  checkSeed(fn, seed);
  checkProbability(fn, 'p', o.p);
  checkRange(fn, 'scale', o.scale, 0, 1);
  checkRange(fn, 'ratio', o.ratio, Number.MIN_VALUE, Infinity);
  if (!(o.value >= 0 && o.value <= 1)) throw new Error(`${fn}: value must be in [0, 1], got ${o.value}`);
  const [b, h, w] = x.shape;
  const rand = seededRandom(seed);
  const keep = new Float32Array(b * h * w).fill(1); // [B, H, W, 1]: 0 inside the rectangle
  const [lr0, lr1] = [Math.log(o.ratio[0]), Math.log(o.ratio[1])];
  let any = false;
  for (let i = 0; i < b; i++) {
    const on = rand() < o.p;
    const area = (o.scale[0] + (o.scale[1] - o.scale[0]) * rand()) * h * w;
    const ratio = Math.exp(lr0 + (lr1 - lr0) * rand());
    const eh = Math.min(h, Math.round(Math.sqrt(area / ratio)));
    const ew = Math.min(w, Math.round(Math.sqrt(area * ratio)));
    const y0 = Math.floor(rand() * (h - eh + 1));
    const x0 = Math.floor(rand() * (w - ew + 1));
    if (!on || eh === 0 || ew === 0) continue;
    any = true;
    for (let y = y0; y < y0 + eh; y++) keep.fill(0, i * h * w + y * w + x0, i * h * w + y * w + x0 + ew);
  }
  if (!any) return tf.clone(x) as tf.Tensor4D;
  return tf.tidy(() => {
    const k = tf.tensor4d(keep, [b, h, w, 1]);
    const kept = tf.mul(x, k);
    return (o.value === 0 ? kept : tf.add(kept, tf.mul(tf.sub(1, k), o.value))) as tf.Tensor4D;
  });
}
