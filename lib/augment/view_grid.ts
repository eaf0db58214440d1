import * as tf from '@tensorflow/tfjs';
import { imageGrid } from '../display/image_grid';
import { checkImageBatch, checkSeed } from './arguments';
import { AugmentFn } from './compose';

/**
 * Stacks each image and `views` augmented views of it: row i of the grid is image i, then its
 * views made with seeds seed, seed+1, ... (the whole batch per seed, as in training).
 * @param x [n, H, W, C] images in [0, 1] (a few, e.g. 6)
 * @param augment an {@link AugmentFn}, e.g. `compose()`
 * @param views views per image (integer >= 1), default 8
 * @param seed integer seed of the first view, default 0
 * @returns [n * (views + 1), H, W, C]; show it with `cols: views + 1`
 * @example const g = viewGrid(x6, compose(), 8); clab.display.imageGrid(g, { cols: 9 }); g.dispose();
 */
export function viewGrid(x: tf.Tensor4D, augment: AugmentFn, views = 8, seed = 0): tf.Tensor4D {
  checkImageBatch('viewGrid', x);
  checkSeed('viewGrid', seed);
  if (typeof augment !== 'function') throw new Error(`viewGrid: augment must be a function (x, seed) => view, e.g. compose(), got ${String(augment)}`);
  if (!Number.isInteger(views) || views < 1) throw new Error(`viewGrid: views must be an integer >= 1, got ${views}`);
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const all = [x, ...Array.from({ length: views }, (_, k) => augment(x, seed + k))];
    return tf.reshape(tf.stack(all, 1), [n * (views + 1), h, w, c]) as tf.Tensor4D; // [n, views+1, H, W, C] flattened
  });
}

/**
 * Shows each image followed by its augmented views as one PNG grid (lib/display's imageGrid).
 * @param x [n, H, W, C] images in [0, 1] (a few, e.g. 6)
 * @param augment an {@link AugmentFn}, e.g. `compose()`
 * @param options views (default 8), seed (default 0), scale (default 2), caption
 * @example clab.augment.showViews(x6, clab.augment.compose(), { views: 8 });
 */
export function showViews(
  x: tf.Tensor4D,
  augment: AugmentFn,
  options: { views?: number; seed?: number; scale?: number; caption?: string } = {},
): void {
  const views = options.views ?? 8;
  const grid = viewGrid(x, augment, views, options.seed ?? 0);
  try {
    imageGrid(grid, {
      cols: views + 1,
      scale: options.scale ?? 2,
      caption: options.caption ?? `${x.shape[0]} images (first column) and ${views} augmented views each`,
    });
  } finally {
    grid.dispose();
  }
}
