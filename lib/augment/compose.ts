import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../tensor';
import { checkImageBatch, checkSeed } from './arguments';
import { AffineOptions, randomAffine } from './random_affine';
import { CropOptions, randomResizedCrop } from './random_resized_crop';
import { ElasticOptions, elasticDistortion } from './elastic_distortion';
import { EraseOptions, randomErasing } from './random_erasing';
import { gaussianNoise, NoiseOptions } from './gaussian_noise';

/** One view of a batch: [B, H, W, C] in [0, 1] -> same shape, seeded (same seed, same view). */
export type AugmentFn = (x: tf.Tensor4D, seed: number) => tf.Tensor4D;

/** Options per augmentation; each field's own defaults apply to what is left out. */
export interface AugmentOptions {
  crop?: CropOptions; // default CROP_DEFAULTS: scale [0.3, 1], ratio [3/4, 4/3]
  affine?: AffineOptions; // default AFFINE_DEFAULTS: +-15 deg, shift 0.1, zoom [0.9, 1.1]
  elastic?: ElasticOptions; // default ELASTIC_DEFAULTS: alpha 1.5 px on a 4x4 grid
  erase?: EraseOptions; // default ERASE_DEFAULTS: p 0.5, area [0.02, 0.15]
  noise?: NoiseOptions; // default NOISE_DEFAULTS: std 0.1
}

const STEPS = {
  crop: (x: tf.Tensor4D, seed: number, o: AugmentOptions) => randomResizedCrop(x, seed, o.crop),
  affine: (x: tf.Tensor4D, seed: number, o: AugmentOptions) => randomAffine(x, seed, o.affine),
  elastic: (x: tf.Tensor4D, seed: number, o: AugmentOptions) => elasticDistortion(x, seed, o.elastic),
  erase: (x: tf.Tensor4D, seed: number, o: AugmentOptions) => randomErasing(x, seed, o.erase),
  noise: (x: tf.Tensor4D, seed: number, o: AugmentOptions) => gaussianNoise(x, seed, o.noise),
};

/** A name of an augmentation step for {@link compose}. */
export type AugmentName = keyof typeof STEPS;

/** The valid step names, in a sensible order (geometry first, then erasing, then noise). */
export const AUGMENT_NAMES = Object.keys(STEPS) as AugmentName[];

/**
 * THE default augmentation for digits, used by `compose()` and by both trainers: random resized
 * crop, small random affine, elastic distortion (Simard et al. 2003), Gaussian noise. No flips
 * (6 vs 9). Chosen on a validation split of the training set (bench/accuracy.ts --validation,
 * bench/accuracy-results.md): elastic added 1.3 points to the 100-label probe for 5% more time
 * per step; random erasing added nothing there (add it with
 * `compose(['crop', 'affine', 'elastic', 'erase', 'noise'])`).
 */
export const DEFAULT_AUGMENT_STEPS: readonly AugmentName[] = ['crop', 'affine', 'elastic', 'noise'];

/** What {@link compose} was called with: enough to build the same AugmentFn in another thread. */
export interface AugmentRecipe {
  /** Step names, in order. */
  steps: AugmentName[];
  /** Per-step options (plain numbers and arrays: structured-cloneable). */
  options: AugmentOptions;
}

const recipes = new WeakMap<AugmentFn, AugmentRecipe>();

/**
 * Chains augmentation steps into one seeded {@link AugmentFn}. Each step gets its own seed
 * derived from the call's seed, so a view is reproducible and two seeds give two views.
 * @param steps step names, applied in order (see {@link AUGMENT_NAMES}); default
 *   {@link DEFAULT_AUGMENT_STEPS} = crop, affine, elastic, noise (what the trainers use)
 * @param options per-step options, e.g. `{ crop: { scale: [0.5, 1] }, noise: { std: 0.05 } }`
 * @returns (x [B, H, W, C] in [0, 1], seed) => view [B, H, W, C] in [0, 1]; the input is not disposed
 * @example
 * const aug = clab.augment.compose(['crop', 'affine', 'noise'], { affine: { degrees: 10 } });
 * const [v1, v2] = tf.tidy(() => [aug(x, 2 * step), aug(x, 2 * step + 1)]); // two views for SimCLR
 * WARNING: an unknown name throws, listing the valid ones; flips are deliberately absent (digits).
 */
export function compose(steps: readonly string[] = DEFAULT_AUGMENT_STEPS, options: AugmentOptions = {}): AugmentFn {
  if (!Array.isArray(steps)) {
    throw new Error(`compose: steps must be an array of names (${AUGMENT_NAMES.join(', ')}), got ${String(steps)}`);
  }
  for (const s of steps) {
    if (!(AUGMENT_NAMES as string[]).includes(s)) {
      throw new Error(`compose: unknown augmentation ${JSON.stringify(s)}; valid names are ${AUGMENT_NAMES.join(', ')}`);
    }
  }
  for (const k of Object.keys(options ?? {})) {
    if (!(AUGMENT_NAMES as string[]).includes(k)) {
      throw new Error(`compose: unknown options key ${JSON.stringify(k)}; valid keys are ${AUGMENT_NAMES.join(', ')}`);
    }
  }
  const names = [...steps] as AugmentName[];
  const opts = { ...options };
  // Validate the options once now (on a 1x2x2x1 batch) so mistakes surface at construction.
  tf.tidy(() => names.forEach((n) => STEPS[n](tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, 0, opts)));
  const fn = (x: tf.Tensor4D, seed: number): tf.Tensor4D => {
    checkImageBatch('augment', x);
    checkSeed('augment', seed);
    const rand = seededRandom(seed);
    return tf.tidy(() => {
      let v: tf.Tensor4D = x;
      for (const n of names) v = STEPS[n](v, Math.floor(rand() * 2 ** 31), opts);
      return v === x ? (tf.clone(x) as tf.Tensor4D) : v;
    });
  };
  try {
    recipes.set(fn, { steps: names, options: structuredClone(opts) });
  } catch {
    // Options that cannot be cloned (not plain data) just mean no recipe: trainers then make views in-thread.
  }
  return fn;
}

/**
 * How an augmentation was made, when {@link compose} made it: `compose(r.steps, r.options)`
 * gives a function with the same views for the same seeds (the trainers rebuild it this way in
 * their data worker). Any other function (your own, or a wrapper around compose's) gives null.
 * @param fn an AugmentFn
 * @returns its steps and options, or null when compose did not make it
 * @example clab.augment.augmentRecipe(clab.augment.compose()); // { steps: ['crop', 'affine', 'elastic', 'noise'], options: {} }
 */
export function augmentRecipe(fn: AugmentFn | null | undefined): AugmentRecipe | null {
  if (typeof fn !== 'function') return null;
  const r = recipes.get(fn);
  return r === undefined ? null : { steps: [...r.steps], options: structuredClone(r.options) };
}
