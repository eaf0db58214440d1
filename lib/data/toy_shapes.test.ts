import assert from 'node:assert/strict';
import { toyShapes, TOY_SHAPE_NAMES } from './toy_shapes';

describe('toyShapes', () => {
  it('toyShapes({n: 30}) gives 30 images of 28x28 in [0, 1], labels i % 10, 10 class names', () => {
    const s = toyShapes({ n: 30 });
    assert.equal(s.images.length, 30 * 28 * 28);
    assert.deepEqual([...s.labels], Array.from({ length: 30 }, (_, i) => i % 10));
    assert.ok(s.images.every((v) => v >= 0 && v <= 1));
    assert.equal(TOY_SHAPE_NAMES.length, 10);
  });

  it('toyShapes is reproducible per seed and every image has ink', () => {
    const a = toyShapes({ n: 20, seed: 3 });
    assert.deepEqual(a.images, toyShapes({ n: 20, seed: 3 }).images);
    assert.notDeepEqual(a.images, toyShapes({ n: 20, seed: 4 }).images);
    for (let i = 0; i < 20; i++) {
      const ink = a.images.subarray(i * 784, (i + 1) * 784).filter((v) => v > 0.5).length;
      assert.ok(ink >= 5, `image ${i} (${TOY_SHAPE_NAMES[i % 10]}) has only ${ink} bright pixels`);
    }
  });

  it('toyShapes classes differ: nearest class mean classifies noiseless shapes above chance', () => {
    const train = toyShapes({ n: 500, seed: 1, noise: 0 });
    const test = toyShapes({ n: 100, seed: 2, noise: 0 });
    const means = Array.from({ length: 10 }, () => new Float32Array(784));
    for (let i = 0; i < train.n; i++) for (let p = 0; p < 784; p++) means[train.labels[i]][p] += train.images[i * 784 + p] / 50;
    let correct = 0;
    for (let i = 0; i < test.n; i++) {
      let best = -1;
      let bestD = Infinity;
      means.forEach((m, k) => {
        let d = 0;
        for (let p = 0; p < 784; p++) d += (test.images[i * 784 + p] - m[p]) ** 2;
        if (d < bestD) [best, bestD] = [k, d];
      });
      if (best === test.labels[i]) correct++;
    }
    assert.ok(correct >= 50, `nearest-mean accuracy ${correct}% (chance 10%)`);
  });

  it('toyShapes throws naming the bad option', () => {
    assert.throws(() => toyShapes({ n: 0 }), /toyShapes: n must be an integer >= 1, got 0/);
    assert.throws(() => toyShapes({ jitter: 20 }), /toyShapes: jitter must be in \[0, size\/4 = 7\], got 20/);
  });
});
