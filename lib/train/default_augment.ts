import { compose } from '../augment';
import { AugmentFn } from './types';

/** The steps of {@link defaultAugment}, in order. */
export const TRAIN_AUGMENT_STEPS = ['crop', 'affine', 'noise'] as const;

/**
 * The augmentation the trainers use by default for digits: lib/augment's random resized crop,
 * small random affine and Gaussian noise (`compose(['crop', 'affine', 'noise'])` with its
 * defaults). No flips (6 vs 9). Random erasing is left out of the default because on WASM it
 * costs more than the other three steps together; add it with
 * `augment: clab.augment.compose(['crop', 'affine', 'erase', 'noise'])`.
 * @returns an {@link AugmentFn}: (x [B, 28, 28, 1] in [0, 1], seed) => view of the same shape
 * @example const view = tf.tidy(() => clab.train.defaultAugment()(x, 1));
 */
export function defaultAugment(): AugmentFn {
  return compose([...TRAIN_AUGMENT_STEPS]) as AugmentFn;
}
