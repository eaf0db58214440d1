import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { denseMatMul, inputMatMul } from './dense';
import { assertNoLeak } from '../tensor/test';

describe('denseMatMul', () => {
  before(async () => {
    await initBackend();
  });

  it('denseMatMul(x, w) equals matMul and its gradients equal matMul gradients (dx = dy w^T, dw = x^T dy)', () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 3) as tf.Tensor2D;
    const w = tf.randomNormal([7, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const dy = tf.randomNormal([5, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    assertNoLeak(() => {
      const [a, b] = tf.tidy(() => {
        const ours = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(denseMatMul(p as tf.Tensor2D, q as tf.Tensor2D), dy)))([x, w]);
        const ref = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D), dy)))([x, w]);
        return [tf.max(tf.abs(tf.sub(ours[0], ref[0]))), tf.max(tf.abs(tf.sub(ours[1], ref[1])))];
      });
      assert.ok((a.arraySync() as number) < 1e-4 && (b.arraySync() as number) < 1e-4);
      return [a, b];
    });
    tf.dispose([x, w, dy]);
  });

  it('inputMatMul(x, w) equals matMul, its dw equals x^T dy, and a gradient for x is refused (x is data)', () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 3) as tf.Tensor2D;
    const w = tf.randomNormal([7, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const dy = tf.randomNormal([5, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    const [dValue, dGrad] = tf.tidy(() => {
      const ours = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(inputMatMul(x, q as tf.Tensor2D), dy)))(w);
      const ref = tf.grad((q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, q as tf.Tensor2D), dy)))(w);
      return [tf.max(tf.abs(tf.sub(inputMatMul(x, w), tf.matMul(x, w)))).dataSync()[0], tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0]];
    });
    assert.ok(dValue < 1e-5 && dGrad < 1e-4, `value differs by ${dValue}, dw by ${dGrad}`);
    assert.throws(() => tf.grad((p: tf.Tensor) => tf.sum(inputMatMul(p as tf.Tensor2D, w)))(x), /Cannot compute gradient/);
    tf.dispose([x, w, dy]);
  });
});
