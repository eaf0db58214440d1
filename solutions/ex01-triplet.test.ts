import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { tripletLoss as libTripletLoss } from '../lib/losses';
import { tripletLoss as exerciseStub } from '../exercises/ex01-triplet';
import { tripletLoss } from './ex01-triplet';

describe('solutions/ex01-triplet', () => {
  before(async () => {
    await initBackend();
  });

  it('tripletLoss(a, p, n, {margin}) equals lib losses.tripletLoss on seeded random inputs (value and gradient)', () => {
    for (const [seed, margin] of [[1, undefined], [2, 0], [3, 0.5], [4, 4]] as const) {
      const [a, p, n] = [0, 1, 2].map((k) => tf.randomNormal([6, 5], 0, 1, 'float32', 10 * seed + k) as tf.Tensor2D);
      const options = margin === undefined ? undefined : { margin };
      const ours = tf.grads((x: tf.Tensor) => tripletLoss(x as tf.Tensor2D, p, n, options))([a])[0];
      const ref = tf.grads((x: tf.Tensor) => libTripletLoss(x as tf.Tensor2D, p, n, options))([a])[0];
      const [v, w] = [tripletLoss(a, p, n, options), libTripletLoss(a, p, n, options)].map((t) => t.dataSync()[0]);
      assert.ok(Math.abs(v - w) <= 1e-6 * Math.max(1, Math.abs(w)), `seed ${seed}: ${v} vs ${w}`);
      assert.ok(tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0] <= 1e-6, `seed ${seed}: gradients differ`);
      tf.dispose([a, p, n, ours, ref]);
    }
  });

  it('exercises/ex01 tripletLoss (the stub) throws "not implemented yet" naming the file to edit', () => {
    const a = tf.ones([2, 3]) as tf.Tensor2D;
    assert.throws(() => exerciseStub(a, a, a), /^Error: ex01 tripletLoss: not implemented yet - write your code between the TODO markers in exercises\/ex01-triplet\.ts$/);
    a.dispose();
  });
});
