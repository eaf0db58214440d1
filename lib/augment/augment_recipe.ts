import type { AugmentFn, AugmentName, AugmentOptions } from './compose';

/** What {@link compose} was called with: enough to build the same AugmentFn in another thread. */
export interface AugmentRecipe {
  /** Step names, in order. */
  steps: AugmentName[];
  /** Per-step options (plain numbers and arrays: structured-cloneable). */
  options: AugmentOptions;
}

const recipes = new WeakMap<AugmentFn, AugmentRecipe>();

/** Internal: remembers how `fn` was made (called by compose). */
export function rememberRecipe(fn: AugmentFn, recipe: AugmentRecipe): void {
  recipes.set(fn, recipe);
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
