import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { MoCoQueue } from './moco_queue';
import { momentumUpdateModel } from './momentum_update_model';
import { mlpEncoder, cloneModel } from '../models';
import { assertNoLeak } from '../tensor/test';

describe('MoCoQueue / momentumUpdateModel', () => {
  before(async () => {
    await initBackend();
  });

  it('MoCoQueue(4, 2).enqueue(B=1 then B=2) drops the oldest rows and appends newest last, keeping K = 4', () => {
    const q = new MoCoQueue(4, 2, 0);
    const init = q.keys.arraySync();
    q.enqueue(tf.tensor2d([[1, 0]]));
    q.enqueue(tf.tensor2d([[0, 1], [0.25, 0.5]]));
    // FIFO: 4 initial rows, minus the oldest 1 + 2 = 3, then the 3 new keys in arrival order
    assert.deepEqual(q.keys.arraySync(), [init[3], [1, 0], [0, 1], [0.25, 0.5]]);
    q.dispose();
  });

  it('MoCoQueue starts with K unit-norm random keys, and enqueue leaks no tensors', () => {
    const q = new MoCoQueue(8, 3, 1);
    tf.tidy(() => tf.norm(q.keys, 2, 1).dataSync()).forEach((v) => assert.ok(Math.abs(v - 1) < 1e-5));
    const k = tf.ones([2, 3]) as tf.Tensor2D;
    assertNoLeak(() => q.enqueue(k));
    k.dispose();
    q.dispose();
  });

  it('MoCoQueue.enqueue throws naming a batch larger than K and a wrong width', () => {
    const q = new MoCoQueue(2, 3);
    assert.throws(() => q.enqueue(tf.zeros([3, 3]) as tf.Tensor2D), /batch 3 is larger than the queue size K = 2/);
    assert.throws(() => q.enqueue(tf.zeros([1, 4]) as tf.Tensor2D), /keys must be \[B, 3\], got \[1,4\]/);
    q.dispose();
  });

  it('momentumUpdateModel(key, query, 0.9) sets every variable to 0.9 key + 0.1 query', () => {
    const query = mlpEncoder({ inputDim: 3, hidden: [2], seed: 1 });
    const key = cloneModel(query);
    key.variables.forEach((v) => v.assign(tf.onesLike(v)));
    query.variables.forEach((v) => v.assign(tf.fill(v.shape, 3)));
    momentumUpdateModel(key, query, 0.9);
    key.variables.forEach((v) => v.dataSync().forEach((x) => assert.ok(Math.abs(x - (0.9 * 1 + 0.1 * 3)) < 1e-6)));
    assert.throws(() => momentumUpdateModel(key, query, -0.1), /momentumUpdateModel: m must be in \[0, 1\], got -0.1/);
    key.dispose();
    query.dispose();
  });
});
