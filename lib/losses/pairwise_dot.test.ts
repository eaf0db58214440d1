import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { pairwiseDot } from './pairwise_dot';
import { assertNoLeak } from '../tensor/test';

describe('pairwiseDot', () => {
  before(async () => {
    await initBackend();
  });

  it('pairwiseDot(a, b) equals a b^T, and its gradients equal tf.matMul autodiff', () => {
    const a = tf.randomNormal([5, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const w = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(pairwiseDot(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
    const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, false, true), w)))([a, b]);
    const maxDiff = (p: tf.Tensor, q: tf.Tensor) => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0];
    assert.ok(maxDiff(pairwiseDot(a, b), tf.matMul(a, b, false, true)) < 1e-6);
    assert.ok(maxDiff(ours[0], ref[0]) < 1e-5 && maxDiff(ours[1], ref[1]) < 1e-5);
    tf.dispose([a, b, w, ...ours, ...ref]);
  });

  it('pairwiseDot(a, b) computes the gradient for b only when b is differentiated (2 products for da, 3 for both)', async () => {
    const a = tf.randomNormal([6, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
    const b = tf.randomNormal([8, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const products = async (run: () => tf.Tensor[]) => {
      const info = await tf.profile(() => {
        tf.dispose(run());
      });
      return info.kernels.filter((k) => k.name === 'BatchMatMul').length;
    };
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(pairwiseDot(x as tf.Tensor2D, y as tf.Tensor2D)));
    assert.equal(await products(() => [tf.grad((x: tf.Tensor) => loss(x, b))(a)]), 2); // forward + da
    assert.equal(await products(() => [tf.grad((y: tf.Tensor) => loss(a, y))(b)]), 2); // forward + db
    assert.equal(await products(() => tf.grads(loss)([a, b])), 3);
    tf.dispose([a, b]);
  });

  it('pairwiseDot(a, b) leaks no tensor, forward or with gradients', () => {
    const a = tf.randomNormal([3, 2]) as tf.Tensor2D;
    assertNoLeak(() => pairwiseDot(a, a));
    assertNoLeak(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(pairwiseDot(x as tf.Tensor2D, y as tf.Tensor2D)))([a, a]));
    assertNoLeak(() => tf.grad((x: tf.Tensor) => tf.sum(pairwiseDot(x as tf.Tensor2D, a)))(a));
    a.dispose();
  });

  it('pairwiseDot throws when the dims differ', () => {
    const a = tf.ones([3, 2]) as tf.Tensor2D;
    const b = tf.ones([3, 4]) as tf.Tensor2D;
    assert.throws(() => pairwiseDot(a, b), /pairwiseDot: a and b must have the same width \(last axis\), got \[3,2\] and \[3,4\]/);
    tf.dispose([a, b]);
  });
});
