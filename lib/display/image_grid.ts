import { displayBundle } from './display_bundle';
import { GridImages, ImageGridOptions, imageGridPng } from './image_grid_png';

/** Options for {@link imageGrid}: the grid layout plus a caption for the text/plain part. */
export interface ShowImageGridOptions extends ImageGridOptions {
  /** Text shown where images cannot be (terminals). Default: 'image grid: n images hxw'. */
  caption?: string;
}

/**
 * Shows a grid of images (values in [0, 1]) as ONE output with image/png and text/plain, e.g.
 * an MNIST digit followed by its augmented views. Outside a kernel it prints the caption.
 * @param images [n, h, w], [n, h, w, 1] or [n, h, w, 3] (tensor, nested arrays or {data, shape})
 * @example clab.display.imageGrid(views, {cols: 9, caption: 'a digit and 8 augmented views'})
 * WARNING: reads a tensor with dataSync() and does not dispose it; the caller still owns it.
 */
export function imageGrid(images: GridImages, options: ShowImageGridOptions = {}): void {
  const png = imageGridPng(images, options);
  const shape = Array.isArray(images) ? [images.length, images[0].length, images[0][0].length] : images.shape;
  const caption = options.caption ?? `image grid: ${shape[0]} images ${shape[1]}x${shape[2]}`;
  displayBundle({ 'image/png': png, 'text/plain': caption });
}
