import { compose } from '../augment';
import { AugmentFn } from './types';

/** The steps of {@link defaultAugment}, in order. */
export const TRAIN_AUGMENT_STEPS = ['crop', 'affine', 'elastic', 'noise'] as const;

/**
 * The augmentation the trainers use by default for digits: lib/augment's random resized crop,
 * small random affine, elastic distortion and Gaussian noise
 * (`compose(['crop', 'affine', 'elastic', 'noise'])` with its defaults). No flips (6 vs 9).
 * Chosen on a validation split of the training set (bench/accuracy.ts --validation): elastic
 * added 1.3 points to the 100-label probe for 5% more time per step; random erasing added
 * nothing there. Add it with `augment: clab.augment.compose(['crop', 'affine', 'elastic', 'erase', 'noise'])`.
 * @returns an {@link AugmentFn}: (x [B, 28, 28, 1] in [0, 1], seed) => view of the same shape
 * @example const view = tf.tidy(() => clab.train.defaultAugment()(x, 1));
 */
export function defaultAugment(): AugmentFn {
  return compose([...TRAIN_AUGMENT_STEPS]) as AugmentFn;
}
