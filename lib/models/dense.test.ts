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

  it('denseMatMul(x, w) gradients also hold when x and w are made inside the gradient function (freed before the backward pass)', () => {
    const x = tf.randomNormal([5, 7], 0, 1, 'float32', 6) as tf.Tensor2D;
    const w = tf.randomNormal([7, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
    const loss = (mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => (p: tf.Tensor, q: tf.Tensor) =>
      tf.sum(tf.square(mm(tf.mul(p, 2) as tf.Tensor2D, tf.sin(q) as tf.Tensor2D)));
    const ours = tf.grads(loss(denseMatMul))([x, w]);
    const ref = tf.grads(loss((a, b) => tf.matMul(a, b)))([x, w]);
    ours.forEach((g, i) => assert.ok(tf.max(tf.abs(tf.sub(g, ref[i]))).dataSync()[0] < 1e-4 * Math.max(1, tf.max(tf.abs(ref[i])).dataSync()[0])));
    tf.dispose([x, w, ...ours, ...ref]);
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
