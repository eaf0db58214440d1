import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { nPairLoss as libNPairLoss } from '../lib/losses';
import { nPairLoss as exerciseStub } from '../exercises/ex02-n-pair';
import { nPairLoss } from './ex02-n-pair';

describe('solutions/ex02-n-pair', () => {
  before(async () => {
    await initBackend();
  });

  it('nPairLoss(a, p, negatives, {temperature}) equals lib losses.nPairLoss on seeded random inputs (value and gradient)', () => {
    for (const [seed, temperature, m] of [[1, undefined, 1], [2, 0.1, 3], [3, 0.5, 7], [4, 0.01, 4]] as const) {
      const a = tf.randomNormal([5, 4], 0, 1, 'float32', 10 * seed) as tf.Tensor2D;
      const p = tf.randomNormal([5, 4], 0, 1, 'float32', 10 * seed + 1) as tf.Tensor2D;
      const n = tf.randomNormal([5, m, 4], 0, 1, 'float32', 10 * seed + 2) as tf.Tensor3D;
      const options = temperature === undefined ? undefined : { temperature };
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => nPairLoss(x as tf.Tensor2D, p, y as tf.Tensor3D, options))([a, n]);
      const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => libNPairLoss(x as tf.Tensor2D, p, y as tf.Tensor3D, options))([a, n]);
      const [v, w] = [nPairLoss(a, p, n, options), libNPairLoss(a, p, n, options)].map((t) => t.dataSync()[0]);
      assert.ok(Math.abs(v - w) <= 1e-5 * Math.max(1, Math.abs(w)), `seed ${seed}: ${v} vs ${w}`);
      for (let i = 0; i < 2; i++) {
        const scale = Math.max(1e-3, tf.max(tf.abs(ref[i])).dataSync()[0]);
        assert.ok(tf.max(tf.abs(tf.sub(ours[i], ref[i]))).dataSync()[0] <= 1e-5 * scale, `seed ${seed}: gradient ${i} differs`);
      }
      tf.dispose([a, p, n, ...ours, ...ref]);
    }
  });

  it('exercises/ex02 nPairLoss (the stub) throws "not implemented yet" naming the file to edit', () => {
    const a = tf.ones([2, 3]) as tf.Tensor2D;
    const n = tf.ones([2, 1, 3]) as tf.Tensor3D;
    assert.throws(() => exerciseStub(a, a, n), /^Error: ex02 nPairLoss: not implemented yet - write your code between the TODO markers in exercises\/ex02-n-pair\.ts$/);
    tf.dispose([a, n]);
  });
});
