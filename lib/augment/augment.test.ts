import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { AUGMENT_NAMES, AugmentFn, compose, DEFAULT_AUGMENT_STEPS } from './compose';
import { randomResizedCrop } from './random_resized_crop';
import { randomAffine } from './random_affine';
import { elasticDistortion } from './elastic_distortion';
import { randomErasing } from './random_erasing';
import { gaussianNoise } from './gaussian_noise';
import { viewGrid } from './view_grid';
import { assertNoLeak } from '../tensor/test';

/** A batch of b blob images in [0, 1]: a bright square whose place depends on the image. */
function blobs(b = 6, h = 28, w = 28): tf.Tensor4D {
  const data = new Float32Array(b * h * w);
  for (let i = 0; i < b; i++) {
    for (let y = 6 + i; y < 16 + i; y++) for (let x = 8; x < 18; x++) data[(i * h + y) * w + x] = 0.3 + 0.1 * i;
  }
  return tf.tensor4d(data, [b, h, w, 1]);
}

/** Image value = column / (w - 1): a horizontal ramp from 0 to 1, so geometry shows in slopes. */
function ramp(h = 28, w = 28): tf.Tensor4D {
  return tf.tidy(() => tf.tile(tf.reshape(tf.div(tf.range(0, w), w - 1), [1, 1, w, 1]), [1, h, 1, 1]) as tf.Tensor4D);
}

const ZERO_STRENGTH: Record<string, AugmentFn> = {
  crop: (x, s) => randomResizedCrop(x, s, { scale: [1, 1], ratio: [1, 1] }),
  affine: (x, s) => randomAffine(x, s, { degrees: 0, translate: 0, scale: [1, 1], shear: 0 }),
  elastic: (x, s) => elasticDistortion(x, s, { alpha: 0 }),
  erase: (x, s) => randomErasing(x, s, { p: 0 }),
  noise: (x, s) => gaussianNoise(x, s, { std: 0 }),
};

describe('lib/augment', () => {
  before(async () => {
    await initBackend();
  });

  for (const name of [...AUGMENT_NAMES, 'default']) {
    const aug = () => (name === 'default' ? compose() : compose([name]));

    it(`compose(['${name}'])(x, seed) keeps the shape [B, H, W, 1] and the range [0, 1]`, () => {
      const x = blobs();
      const v = aug()(x, 3);
      assert.deepEqual(v.shape, x.shape);
      const [lo, hi] = tf.tidy(() => [tf.min(v).dataSync()[0], tf.max(v).dataSync()[0]]);
      assert.ok(lo >= 0 && hi <= 1, `range [${lo}, ${hi}]`);
      tf.dispose([x, v]);
    });

    it(`compose(['${name}']) gives the same view for the same seed and another for another seed`, () => {
      const x = blobs();
      const f = aug();
      const [a, b, c] = [f(x, 11), f(x, 11), f(x, 12)];
      assert.deepEqual(a.dataSync(), b.dataSync());
      assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]) > 1e-3, 'seeds 11 and 12 gave the same view');
      tf.dispose([x, a, b, c]);
    });

    it(`compose(['${name}']) leaves no tensors behind and does not dispose its input`, () => {
      const x = blobs();
      const f = aug();
      assertNoLeak(() => f(x, 2));
      assert.equal(x.isDisposed, false);
      x.dispose();
    });
  }

  for (const [name, f] of Object.entries(ZERO_STRENGTH)) {
    it(`${name} at zero strength is the identity`, () => {
      const x = blobs();
      const v = f(x, 5);
      assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(v, x))).dataSync()[0]) < 1e-5);
      tf.dispose([x, v]);
    });
  }

  it('randomAffine warps every image of a batch on the cpu backend too (its batched Transform fills only the first)', async () => {
    const backend = tf.getBackend();
    await tf.setBackend('cpu');
    try {
      const x = blobs(3);
      const v = randomAffine(x, 5, { degrees: 0, translate: 0, scale: [1, 1], shear: 0 });
      assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(v, x))).dataSync()[0]) < 1e-5);
      tf.dispose([x, v]);
    } finally {
      await tf.setBackend(backend);
    }
  });

  it('randomResizedCrop with area 1/4 and ratio 1 halves the slope of a ramp (a 2x zoom)', () => {
    const x = ramp();
    const v = randomResizedCrop(x, 1, { scale: [0.25, 0.25], ratio: [1, 1] });
    const row = Array.from(v.dataSync().slice(0, 28));
    const slope = (row[27] - row[0]) / 27;
    assert.ok(Math.abs(slope - 0.5 / 27) < 1e-5, `slope ${slope}, expected 0.5 / 27`);
    tf.dispose([x, v]);
  });

  it('randomAffine with zoom 2 and no rotation maps column q to cx + (q - cx) / 2 of a ramp', () => {
    const x = ramp();
    const v = randomAffine(x, 1, { degrees: 0, translate: 0, scale: [2, 2] });
    const row = v.dataSync().slice(14 * 28, 15 * 28); // a middle row
    const cx = 13.5;
    for (const q of [3, 10, 20, 24]) assert.ok(Math.abs(row[q] - (cx + (q - cx) / 2) / 27) < 1e-5, `column ${q}: ${row[q]}`);
    tf.dispose([x, v]);
  });

  it('randomErasing with p 1 and area 0.1 zeroes round(0.1 * 784) +- a few pixels of a white image', () => {
    const x = tf.ones([4, 28, 28, 1]) as tf.Tensor4D;
    const v = randomErasing(x, 2, { p: 1, scale: [0.1, 0.1], ratio: [1, 1] });
    const zeros = tf.sum(tf.sub(1, v), [1, 2, 3]).dataSync();
    for (const z of zeros) assert.ok(Math.abs(z - 78.4) <= 10, `erased ${z} pixels, expected about 0.1 * 784`);
    tf.dispose([x, v]);
  });

  it('gaussianNoise with std 0.1 on a grey image has standard deviation 0.1 (no clipping at 0.5)', () => {
    const x = tf.fill([8, 28, 28, 1], 0.5) as tf.Tensor4D;
    const v = gaussianNoise(x, 3, { std: 0.1 });
    const sd = Math.sqrt(tf.moments(v).variance.dataSync()[0]);
    assert.ok(Math.abs(sd - 0.1) < 0.005, `std ${sd}`);
    tf.dispose([x, v]);
  });

  it('elasticDistortion moves mass but keeps most of it (sum within 15%)', () => {
    const x = blobs();
    const v = elasticDistortion(x, 4, { alpha: 1.5 });
    const [s0, s1] = [tf.sum(x).dataSync()[0], tf.sum(v).dataSync()[0]];
    assert.ok(Math.abs(s1 - s0) / s0 < 0.15, `sum ${s0} -> ${s1}`);
    assert.ok(tf.max(tf.abs(tf.sub(v, x))).dataSync()[0] > 0.05, 'nothing moved');
    tf.dispose([x, v]);
  });

  it('compose throws listing the valid names for an unknown step or options key', () => {
    assert.throws(() => compose(['crop', 'flip']), new RegExp(`unknown augmentation "flip"; valid names are ${AUGMENT_NAMES.join(', ')}`));
    assert.throws(() => compose(['crop'], { rotate: {} } as never), /unknown options key "rotate"; valid keys are crop, affine/);
  });

  it('the augmentations throw naming the bad option, the bad input and the bad seed', () => {
    const x = blobs(1);
    assert.throws(() => compose(['crop'], { crop: { scale: [0.5, 2] } }), /randomResizedCrop: scale must be \[lo, hi\] with .* got \[0.5,2\]/);
    assert.throws(() => compose(['affine'], { affine: { degrees: -1 } }), /randomAffine: degrees must be in \[0, 180\], got -1/);
    assert.throws(() => compose(['noise'], { noise: { std: -0.1 } }), /gaussianNoise: std must be a finite number >= 0/);
    assert.throws(() => compose(['erase'], { erase: { p: 2 } }), /randomErasing: p must be in \[0, 1\], got 2/);
    assert.throws(() => compose(['elastic'], { elastic: { grid: 1 } }), /elasticDistortion: grid must be an integer >= 2, got 1/);
    assert.throws(() => compose()(tf.zeros([28, 28, 1]) as never, 0), /augment: x must have rank 4/);
    assert.throws(() => compose()(x, 0.5), /augment: seed must be an integer, got 0.5/);
    x.dispose();
  });

  it('viewGrid(x, aug, 3) puts each image first in its row of 1 + 3 images', () => {
    const x = blobs(2);
    const g = viewGrid(x, compose(DEFAULT_AUGMENT_STEPS), 3);
    assert.deepEqual(g.shape, [2 * 4, 28, 28, 1]);
    const first = tf.gather(g, [0, 4]);
    assert.deepEqual(first.dataSync(), x.dataSync());
    tf.dispose([x, g, first]);
  });
});
