import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { isTensorLike, tensorBundle } from './tensor_bundle';

describe('kernel/tensor_bundle: a tensor as a cell value', () => {
  it('isTensorLike knows a tfjs tensor by its fields, not its class; plain objects with a shape are not tensors', () => {
    const t = tf.tensor1d([1]);
    assert.equal(isTensorLike(t), true);
    assert.equal(isTensorLike({ shape: [1], dtype: 'float32', size: 1 }), false);
    assert.equal(isTensorLike(null), false);
    t.dispose();
  });

  it('a small matrix: dtype and shape, nested rows as text, and an HTML table of its values', () => {
    const t = tf.tensor2d([[1, -2.5], [3, 0.125]]);
    const b = tensorBundle(t);
    t.dispose();
    assert.equal(b['text/plain'], 'Tensor float32 [2, 2]\n[[1, -2.5],\n [3, 0.125]]');
    assert.match(b['text/html'], /<code>Tensor float32 \[2, 2\]<\/code>/);
    assert.equal((b['text/html'].match(/<tr>/g) ?? []).length, 1 + 2, 'a header row and one row per matrix row');
    assert.match(b['text/html'], /<td[^>]*>-2\.5<\/td>/);
  });

  it('a scalar, an int vector, a bool tensor and a 3-d tensor show their values', () => {
    const s = tf.scalar(3.5);
    const v = tf.tensor1d([1, 2, 3], 'int32');
    const m = tf.tensor1d([1, 0], 'bool');
    const c = tf.ones([2, 1, 2]);
    assert.equal(tensorBundle(s)['text/plain'], 'Tensor float32 []\n3.5');
    assert.equal(tensorBundle(v)['text/plain'], 'Tensor int32 [3]\n[1, 2, 3]');
    assert.equal(tensorBundle(m)['text/plain'], 'Tensor bool [2]\n[true, false]');
    assert.equal(tensorBundle(c)['text/plain'], 'Tensor float32 [2, 1, 2]\n[[[1, 1]],\n\n [[1, 1]]]');
    tf.dispose([s, v, m, c]);
  });

  it('a large tensor: min, max, mean and std over its values (0..999: mean 499.5, std sqrt((1000^2-1)/12)) and its first values', () => {
    const t = tf.range(0, 1000).reshape([10, 100]);
    const text = tensorBundle(t)['text/plain'];
    t.dispose();
    const std = Math.sqrt((1000 ** 2 - 1) / 12);
    assert.equal(text, ['Tensor float32 [10, 100]', '  min: 0', '  max: 999', '  mean: 499.5', `  std: ${Number(std.toPrecision(5))}`, '  first values: [0, 1, 2, 3, 4, 5, 6, 7, ...]'].join('\n'));
  });

  it('a disposed tensor says so instead of reading its data', () => {
    const t = tf.tensor1d([1, 2]);
    t.dispose();
    assert.equal(tensorBundle(t)['text/plain'], 'Tensor float32 [2] (disposed)');
  });
});
