import { ImageSet } from './image_set';
import { seededRandom } from '../tensor';

/** Options of {@link toyShapes}; every field is optional. */
export interface ToyShapesOptions {
  /** Number of images. */
  n?: number; // default 1000
  /** Image side in pixels. */
  size?: number; // default 28
  /** Integer seed of shapes, jitter and noise. */
  seed?: number; // default 0
  /** Maximum shift of the shape's centre, in pixels, drawn uniformly per image and axis. */
  jitter?: number; // default 3
  /** Standard deviation of added pixel noise (result clipped to [0, 1]). */
  noise?: number; // default 0.05
}

/** The 10 classes of {@link toyShapes}, by label. */
export const TOY_SHAPE_NAMES = [
  'ring', 'vertical bar', 'horizontal bar', 'diagonal \\', 'diagonal /',
  'plus', 'x', 'filled square', 'hollow square', 'two dots',
] as const;

/** Ink at offset (dx, dy) from the centre for class k, radius r (1 = ink, 0 = none). */
function ink(k: number, dx: number, dy: number, r: number): number {
  const t = Math.max(1, r / 4); // stroke half-width
  const inBox = Math.abs(dx) <= r && Math.abs(dy) <= r;
  const d = Math.hypot(dx, dy);
  switch (k) {
    case 0: return Math.abs(d - r * 0.8) <= t ? 1 : 0;
    case 1: return Math.abs(dx) <= t && Math.abs(dy) <= r ? 1 : 0;
    case 2: return Math.abs(dy) <= t && Math.abs(dx) <= r ? 1 : 0;
    case 3: return inBox && Math.abs(dx - dy) <= t * 1.4 ? 1 : 0;
    case 4: return inBox && Math.abs(dx + dy) <= t * 1.4 ? 1 : 0;
    case 5: return inBox && (Math.abs(dx) <= t || Math.abs(dy) <= t) ? 1 : 0;
    case 6: return inBox && (Math.abs(dx - dy) <= t * 1.4 || Math.abs(dx + dy) <= t * 1.4) ? 1 : 0;
    case 7: return Math.abs(dx) <= r * 0.7 && Math.abs(dy) <= r * 0.7 ? 1 : 0;
    case 8: return inBox && (Math.abs(Math.abs(dx) - r * 0.8) <= t || Math.abs(Math.abs(dy) - r * 0.8) <= t) && Math.abs(dx) <= r * 0.8 + t && Math.abs(dy) <= r * 0.8 + t ? 1 : 0;
    default: return Math.hypot(dx - r * 0.5, dy) <= t * 1.5 || Math.hypot(dx + r * 0.5, dy) <= t * 1.5 ? 1 : 0;
  }
}

/**
 * A tiny synthetic image set with 10 easy classes (ring, bars, diagonals, plus, x, squares,
 * two dots; see {@link TOY_SHAPE_NAMES}), jittered in place, size and brightness, with noise.
 * Same layout as {@link loadMnist}'s result, so it drops into the same code for fast tests and
 * demos that must not wait for MNIST. Balanced: label i % 10.
 * @param options n, size, seed, jitter, noise (see the field defaults)
 * @returns an ImageSet: images [n*size*size] in [0, 1], labels [n] in 0..9
 * @example const toy = toyShapes({ n: 512, seed: 1 }); const { x, y } = toTensor(toy); // x [512, 28, 28, 1]
 */
export function toyShapes(options: ToyShapesOptions = {}): ImageSet {
  const { n = 1000, size = 28, seed = 0, jitter = 3, noise = 0.05 } = options;
  if (!Number.isInteger(n) || n < 1) throw new Error(`toyShapes: n must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(size) || size < 8) throw new Error(`toyShapes: size must be an integer >= 8, got ${size}`);
  if (!Number.isInteger(seed)) throw new Error(`toyShapes: seed must be an integer, got ${seed}`);
  if (!(jitter >= 0 && jitter <= size / 4)) throw new Error(`toyShapes: jitter must be in [0, size/4 = ${size / 4}], got ${jitter}`);
  if (!(noise >= 0 && Number.isFinite(noise))) throw new Error(`toyShapes: noise must be a finite number >= 0, got ${noise}`);
  const rand = seededRandom(seed);
  const images = new Float32Array(n * size * size);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    labels[i] = k;
    const cx = (size - 1) / 2 + (2 * rand() - 1) * jitter;
    const cy = (size - 1) / 2 + (2 * rand() - 1) * jitter;
    const r = size * (0.22 + 0.1 * rand());
    const bright = 0.7 + 0.3 * rand();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        // Box-Muller noise from two uniforms
        const g = noise > 0 ? Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()) * noise : 0;
        const v = bright * ink(k, x - cx, y - cy, r) + g;
        images[(i * size + y) * size + x] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return { images, labels, n, height: size, width: size };
}
