import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { ImageSet, subset, toTensor } from './image_set';
import { batches } from './batches';
import { assertNoLeak } from '../tensor/test';

/** 10 images of 2x2, image i filled with i / 10, label i % 10. */
function tiny(n = 10): ImageSet {
  const images = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) images.fill(i / 10, i * 4, (i + 1) * 4);
  return { images, labels: Uint8Array.from({ length: n }, (_, i) => i % 10), n, height: 2, width: 2 };
}

describe('toTensor / subset / batches', () => {
  before(async () => {
    await initBackend();
  });

  it('toTensor(set) gives x [n, h, w, 1] float32 and y [n] int32', () => {
    const { x, y } = toTensor(tiny());
    assert.deepEqual(x.shape, [10, 2, 2, 1]);
    assert.equal(y.dtype, 'int32');
    assert.deepEqual(Array.from(y.dataSync()), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    tf.dispose([x, y]);
  });

  it('toTensor(set, [3, 1]) takes images 3 and 1 in that order', () => {
    const { x, y } = toTensor(tiny(), [3, 1]);
    assert.deepEqual(Array.from(x.dataSync()), [0.3, 0.3, 0.3, 0.3, 0.1, 0.1, 0.1, 0.1].map(Math.fround));
    assert.deepEqual(Array.from(y.dataSync()), [3, 1]);
    tf.dispose([x, y]);
  });

  it('subset throws naming a bad index', () => {
    assert.throws(() => subset(tiny(), [0, 10]), /subset: indices\[1\] = 10 is not an integer in 0\.\.9/);
  });

  it('batches(set, {batchSize: 4}) gives sizes 4, 4, 2 in order; dropLast gives 4, 4', () => {
    const sizes: number[] = [];
    const seen: number[] = [];
    for (const b of batches(tiny(), { batchSize: 4 })) {
      sizes.push(b.x.shape[0]);
      seen.push(...b.indices);
      b.dispose();
    }
    assert.deepEqual(sizes, [4, 4, 2]);
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...batches(tiny(), { batchSize: 4, dropLast: true })].map((b) => (b.dispose(), b.indices.length)), [4, 4]);
  });

  it('batches with a seed covers every index once, reproducibly; with indices only those', () => {
    const order = (seed: number) => [...batches(tiny(), { batchSize: 3, seed })].flatMap((b) => (b.dispose(), [...b.indices]));
    assert.deepEqual([...order(5)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(order(5), order(5));
    assert.notDeepEqual(order(5), order(6));
    const some = [...batches(tiny(), { batchSize: 8, seed: 1, indices: [2, 4, 6] })];
    assert.deepEqual([...some[0].indices].sort(), [2, 4, 6]);
    some.forEach((b) => b.dispose());
  });

  it('batches leaves no tensors behind when each batch is disposed', () => {
    assertNoLeak(() => [...batches(tiny(), { batchSize: 3, seed: 0 })]);
  });

  it('batches throws on a bad batchSize or seed', () => {
    assert.throws(() => batches(tiny(), { batchSize: 0 }).next(), /batches: batchSize must be an integer >= 1, got 0/);
    assert.throws(() => batches(tiny(), { seed: 1.5 }).next(), /batches: seed must be an integer, got 1.5/);
  });
});
