import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../tensor';
import { checkImageBatch, checkProbability, checkRange, checkSeed } from './arguments';

/** Options of {@link randomAffine}; every field is optional. Angles in degrees. */
export interface AffineOptions {
  /** Rotation drawn uniformly in [-degrees, degrees]. Keep small: 6 and 9 differ by 180. */
  degrees?: number; // default 15
  /** Shift drawn uniformly in [-translate, translate] times the image size, per axis. */
  translate?: number; // default 0.1
  /** Zoom factor drawn uniformly (> 1 enlarges the digit). */
  scale?: [number, number]; // default [0.9, 1.1]
  /** Horizontal shear angle drawn uniformly in [-shear, shear]. */
  shear?: number; // default 0
  /** Probability that an image is transformed at all. */
  p?: number; // default 1
}

export const AFFINE_DEFAULTS: Required<AffineOptions> = { degrees: 15, translate: 0.1, scale: [0.9, 1.1], shear: 0, p: 1 };

/**
 * Random affine warp per image (rotation about the centre, zoom, shear, shift) with bilinear
 * sampling and black fill, via tf.image.transform (which the WASM backend has).
 * @param x [B, H, W, C] float32 in [0, 1]
 * @param seed integer; the same seed gives the same warps
 * @param options degrees, translate, scale, shear, p (see {@link AFFINE_DEFAULTS})
 * @returns [B, H, W, C] in [0, 1]
 * @example const v = randomAffine(x, 3, { degrees: 10 });
 * WARNING: no large rotations on digits (6 vs 9); degrees 0, translate 0, scale [1, 1],
 * shear 0 is the identity. On the plain `cpu` backend the batch is warped one image at a time
 * (its batched Transform kernel only fills the first image: a tfjs 4.22 bug).
 */
export function randomAffine(x: tf.Tensor4D, seed: number, options: AffineOptions = {}): tf.Tensor4D {
  const o = { ...AFFINE_DEFAULTS, ...options };
  const fn = 'randomAffine';
  checkImageBatch(fn, x);
  checkSeed(fn, seed);
  if (!(o.degrees >= 0 && o.degrees <= 180)) throw new Error(`${fn}: degrees must be in [0, 180], got ${o.degrees}`);
  if (!(o.translate >= 0 && o.translate <= 1)) throw new Error(`${fn}: translate must be in [0, 1], got ${o.translate}`);
  if (!(o.shear >= 0 && o.shear < 90)) throw new Error(`${fn}: shear must be in [0, 90), got ${o.shear}`);
  checkRange(fn, 'scale', o.scale, Number.MIN_VALUE, Infinity);
  checkProbability(fn, 'p', o.p);
  const [b, h, w] = x.shape;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const rand = seededRandom(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const t = new Float32Array(8 * b);
  for (let i = 0; i < b; i++) {
    const theta = (u(-o.degrees, o.degrees) * Math.PI) / 180;
    const s = u(o.scale[0], o.scale[1]);
    const k = Math.tan((u(-o.shear, o.shear) * Math.PI) / 180);
    const tx = u(-o.translate, o.translate) * w;
    const ty = u(-o.translate, o.translate) * h;
    if (rand() >= o.p) {
      t.set([1, 0, 0, 0, 1, 0, 0, 0], 8 * i);
      continue;
    }
    // Forward map L = s R(theta) Shear(k); tf.image.transform wants output -> input, i.e.
    // in = L^-1 (out - c - t) + c with L^-1 = Shear(-k) R(-theta) / s.
    const cos = Math.cos(theta) / s;
    const sin = Math.sin(theta) / s;
    const m00 = cos - k * -sin;
    const m01 = sin - k * cos;
    const m10 = -sin;
    const m11 = cos;
    const ox = cx + tx;
    const oy = cy + ty;
    t.set([m00, m01, cx - m00 * ox - m01 * oy, m10, m11, cy - m10 * ox - m11 * oy, 0, 0], 8 * i);
  }
  return tf.tidy(() => {
    let warped: tf.Tensor4D;
    if (tf.getBackend() === 'cpu' && b > 1) {
      // tfjs-backend-cpu 4.22's Transform returns after the FIRST image of a batch (the rest stay
      // black): transform one image at a time there.
      const one = tf.split(x, b, 0) as tf.Tensor4D[];
      warped = tf.concat(one.map((xi, i) => tf.image.transform(xi, tf.tensor2d(t.subarray(8 * i, 8 * i + 8), [1, 8]), 'bilinear', 'constant', 0)));
    } else {
      warped = tf.image.transform(x, tf.tensor2d(t, [b, 8]), 'bilinear', 'constant', 0); // [B, H, W, C]
    }
    return tf.clipByValue(warped, 0, 1);
  });
}
