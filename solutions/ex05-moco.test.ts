import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { mocoInfoNCE as libMocoLoss } from '../lib/losses';
import { MoCoQueue } from '../lib/train';
import { enqueue, mocoLoss, momentumUpdate } from './ex05-moco';
import { assertNoLeak } from '../lib/tensor/test';

const unit = (shape: [number, number], seed: number) =>
  tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
    return tf.div(x, tf.norm(x, 2, 1, true)) as tf.Tensor2D;
  });

describe('solutions/ex05 momentumUpdate / enqueue / mocoLoss', () => {
  before(async () => {
    await initBackend();
  });

  it('momentumUpdate([1, [2, 4]], [0, [0, 0]], 0.75) = [0.75, [1.5, 3]]; m = 0 copies the query, m = 1 keeps the key', () => {
    const key = [tf.scalar(1), tf.tensor1d([2, 4])];
    const query = [tf.scalar(0), tf.tensor1d([0, 0])];
    const out = momentumUpdate(key, query, 0.75);
    assert.deepEqual(out.map((t) => Array.from(t.dataSync())), [[0.75], [1.5, 3]]);
    assert.deepEqual(Array.from(momentumUpdate(key, query, 0)[1].dataSync()), [0, 0]);
    assert.deepEqual(Array.from(momentumUpdate(key, query, 1)[1].dataSync()), [2, 4]);
    assert.throws(() => momentumUpdate(key, query, 1.5), /momentumUpdate: m must be in \[0, 1\], got 1.5/);
    tf.dispose([...key, ...query, ...out]);
  });

  it('enqueue([[1],[2],[3]], [[4],[5]]) = [[3],[4],[5]] and agrees with lib MoCoQueue', () => {
    const out = enqueue(tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[4], [5]]));
    assert.deepEqual(out.arraySync(), [[3], [4], [5]]);
    const q = new MoCoQueue(5, 2, 3);
    const keys = tf.tensor2d([[1, 0], [0, 1]]);
    const expected = enqueue(q.keys, keys);
    q.enqueue(keys);
    assert.deepEqual(q.keys.arraySync(), expected.arraySync());
    assert.throws(() => enqueue(tf.zeros([1, 2]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D), /enqueue: B = 2 keys do not fit in a queue of K = 1/);
    tf.dispose([out, keys, expected]);
    q.dispose();
  });

  it('mocoLoss equals lib mocoLoss on normalised random inputs, and log(1 + e^-1) on the doc example', () => {
    const [q, k, queue] = [unit([8, 6], 1), unit([8, 6], 2), unit([32, 6], 3)];
    for (const t of [0.07, 0.2, 1]) {
      const [a, b] = tf.tidy(() => [mocoLoss(q, k, queue, t).dataSync()[0], libMocoLoss(q, k, queue, { temperature: t }).dataSync()[0]]);
      assert.ok(Math.abs(a - b) < 1e-4 * Math.max(1, Math.abs(b)), `tau ${t}: ${a} vs ${b}`);
    }
    const v = tf.tidy(() => mocoLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]]), 1).dataSync()[0]);
    assert.ok(Math.abs(v - Math.log(1 + Math.exp(-1))) < 1e-6);
    tf.dispose([q, k, queue]);
  });

  it('mocoLoss leaks nothing, has a gradient w.r.t. q, and throws naming a queue of the wrong width', () => {
    const [q, k, queue] = [unit([4, 3], 4), unit([4, 3], 5), unit([8, 3], 6)];
    assertNoLeak(() => {
      const g = tf.grad((x: tf.Tensor) => mocoLoss(x as tf.Tensor2D, k, queue))(q);
      assert.ok((tf.tidy(() => g.abs().sum().dataSync()[0]) as number) > 0);
      return g;
    });
    assert.throws(() => mocoLoss(q, k, tf.zeros([8, 4]) as tf.Tensor2D), /mocoLoss: queue must be \[K, 3\], got \[8,4\]/);
    tf.dispose([q, k, queue]);
  });
});
