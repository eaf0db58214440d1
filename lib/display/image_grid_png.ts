import { PNG } from 'pngjs';

/**
 * Images for {@link imageGridPng}: a tensor [n, h, w], [n, h, w, 1] or [n, h, w, 3] with values
 * in [0, 1]; nested arrays [n][h][w]; or flat data with its shape.
 */
export type GridImages =
  | { shape: number[]; dataSync(): ArrayLike<number> }
  | number[][][]
  | { data: ArrayLike<number>; shape: number[] };

/** Options for {@link imageGridPng} and `imageGrid`. */
export interface ImageGridOptions {
  /** Images per row. Default min(n, 10). */
  cols?: number;
  /** Integer upscaling factor (nearest neighbour), so 28x28 digits are visible. Default 2. */
  scale?: number;
  /** Pixels between images (after scaling). Default 2. */
  pad?: number;
  /** Grey level of the padding in [0, 1]. Default 0.5 (visible against black and white). */
  padValue?: number;
  /** Stretch each image to its own [min, max] instead of clamping to [0, 1]. Default false. */
  normalize?: boolean;
}

/**
 * Encodes a grid of images as PNG bytes (values in [0, 1]; grayscale or RGB).
 * @param images [n, h, w], [n, h, w, 1] or [n, h, w, 3] (tensor, nested arrays or {data, shape})
 * @returns PNG file bytes; width = cols*(w*scale+pad)-pad, height = rows*(h*scale+pad)-pad
 * @example fs.writeFileSync('grid.png', imageGridPng(batch, {cols: 8}))
 * WARNING: values outside [0, 1] are clamped; pass normalize: true for e.g. standardised images.
 */
export function imageGridPng(images: GridImages, options: ImageGridOptions = {}): Buffer {
  const { data, n, h, w, c } = readImages(images);
  const cols = options.cols ?? Math.min(n, 10);
  const scale = options.scale ?? 2;
  const pad = options.pad ?? 2;
  const padValue = options.padValue ?? 0.5;
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`imageGrid: cols must be an integer >= 1, got ${cols}`);
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) throw new Error(`imageGrid: scale must be an integer in [1, 32], got ${scale}`);
  if (!Number.isInteger(pad) || pad < 0) throw new Error(`imageGrid: pad must be an integer >= 0, got ${pad}`);
  if (!(padValue >= 0 && padValue <= 1)) throw new Error(`imageGrid: padValue must be in [0, 1], got ${padValue}`);
  const rows = Math.ceil(n / cols);
  const cw = w * scale + pad;
  const ch = h * scale + pad;
  const width = Math.min(n, cols) * cw - pad;
  const height = rows * ch - pad;
  const png = new PNG({ width, height, colorType: 6 });
  const grey = Math.round(padValue * 255);
  png.data.fill(grey);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  const size = h * w * c;
  for (let k = 0; k < n; k++) {
    const off = k * size;
    let lo = 0;
    let span = 1;
    if (options.normalize === true) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = 0; i < size; i++) {
        mn = Math.min(mn, data[off + i]);
        mx = Math.max(mx, data[off + i]);
      }
      lo = mn;
      span = mx > mn ? mx - mn : 1;
    }
    const x0 = (k % cols) * cw;
    const y0 = Math.floor(k / cols) * ch;
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = off + (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
        const dst = ((y0 + y) * width + x0 + x) * 4;
        for (let ch3 = 0; ch3 < 3; ch3++) {
          const v = (data[src + (c === 3 ? ch3 : 0)] - lo) / span;
          png.data[dst + ch3] = Math.round(255 * Math.min(1, Math.max(0, Number.isNaN(v) ? 0 : v)));
        }
      }
    }
  }
  return PNG.sync.write(png);
}

function readImages(images: GridImages): { data: ArrayLike<number>; n: number; h: number; w: number; c: number } {
  let data: ArrayLike<number>;
  let shape: number[];
  if (Array.isArray(images)) {
    const n = images.length;
    const h = images[0]?.length ?? 0;
    const w = images[0]?.[0]?.length ?? 0;
    const flat = new Float32Array(n * h * w);
    images.forEach((img, k) => {
      if (img.length !== h || img.some((r) => r.length !== w)) {
        throw new Error(`imageGrid: images[${k}] is not ${h}x${w} like images[0]; all images need the same size`);
      }
      img.forEach((r, y) => flat.set(r, (k * h + y) * w));
    });
    data = flat;
    shape = [n, h, w];
  } else if (images !== null && typeof images === 'object' && typeof (images as { dataSync?: unknown }).dataSync === 'function') {
    const t = images as { shape: number[]; dataSync(): ArrayLike<number> };
    shape = t.shape;
    data = t.dataSync();
  } else if (images !== null && typeof images === 'object' && 'data' in images && Array.isArray(images.shape)) {
    data = images.data;
    shape = images.shape;
  } else {
    throw new Error(`imageGrid: images must be a tensor [n,h,w(,c)], nested arrays [n][h][w] or {data, shape}, got ${String(images)}`);
  }
  const [n, h, w, c = 1] = shape;
  if (shape.length < 3 || shape.length > 4 || (c !== 1 && c !== 3)) {
    throw new Error(`imageGrid: images must have shape [n, h, w], [n, h, w, 1] or [n, h, w, 3], got [${shape.join(',')}]`);
  }
  if (n < 1 || h < 1 || w < 1) throw new Error(`imageGrid: need at least one non-empty image, got shape [${shape.join(',')}]`);
  if (data.length !== n * h * w * c) {
    throw new Error(`imageGrid: data has ${data.length} values but shape [${shape.join(',')}] needs ${n * h * w * c}`);
  }
  return { data, n, h, w, c };
}
