import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { ntXent } from '../lib/losses';
import { ntXentLoss } from './ex04-nt-xent';
import { assertNoLeak } from '../lib/tensor/test';

describe('solutions/ex04 ntXentLoss', () => {
  before(async () => {
    await initBackend();
  });

  it('ntXentLoss(z1, z2, tau) equals lib ntXent for random inputs and several temperatures', () => {
    const z1 = tf.randomNormal([6, 5], 0, 1, 'float32', 11) as tf.Tensor2D;
    const z2 = tf.randomNormal([6, 5], 0, 1, 'float32', 12) as tf.Tensor2D;
    for (const t of [0.05, 0.5, 2]) {
      const [a, b] = tf.tidy(() => [ntXentLoss(z1, z2, t).dataSync()[0], ntXent(z1, z2, { temperature: t }).dataSync()[0]]);
      assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(b)), `tau ${t}: ${a} vs ${b}`);
    }
    tf.dispose([z1, z2]);
  });

  it('ntXentLoss(z, z) with all 2N rows equal is log(2N - 1)', () => {
    const z = tf.ones([4, 3]) as tf.Tensor2D;
    const v = tf.tidy(() => ntXentLoss(z, z).dataSync()[0]);
    assert.ok(Math.abs(v - Math.log(2 * 4 - 1)) < 1e-5);
    z.dispose();
  });

  it('ntXentLoss leaks nothing, has gradients, and throws naming mismatched shapes', () => {
    const z1 = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const z2 = tf.randomNormal([3, 4]) as tf.Tensor2D;
    assertNoLeak(() => {
      const g = tf.grad((x: tf.Tensor) => ntXentLoss(x as tf.Tensor2D, z2))(z1);
      assert.ok((tf.tidy(() => g.abs().sum().dataSync()[0]) as number) > 0);
      return g;
    });
    assert.throws(() => ntXentLoss(z1, tf.zeros([3, 5]) as tf.Tensor2D), /ntXentLoss: z1 and z2 must have the same shape \[N, dim\], got \[3,4\] and \[3,5\]/);
    assert.throws(() => ntXentLoss(z1, z2, 0), /ntXentLoss: temperature must be > 0, got 0/);
    tf.dispose([z1, z2]);
  });
});
