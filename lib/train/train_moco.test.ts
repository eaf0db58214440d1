import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { cloneModel, mlpEncoder } from '../models';
import { MoCoQueue, momentumUpdateModel, trainMoCo } from './train_moco';
import { noiseAugment, syntheticSet } from './test/synthetic_set';
import { assertNoLeak } from '../tensor/test';

describe('trainMoCo', () => {
  before(async () => {
    await initBackend();
  });

  const small = { encoderConfig: { hidden: [32, 16] }, head: { hiddenDim: 16, outDim: 8 }, augment: noiseAugment, progress: false };

  it('trainMoCo on 256 synthetic images: loss decreases, queue keeps K unit rows, no tensors leak', async () => {
    await assertNoLeak(async () => {
      const run = await trainMoCo({ ...small, data: syntheticSet(256), batchSize: 32, queueSize: 64, epochs: 6, temperature: 0.2 });
      const first = run.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const last = run.losses.slice(-5).reduce((a, b) => a + b) / 5;
      assert.ok(last < first, `loss went from ${first} to ${last}`);
      assert.deepEqual(run.queue.keys.shape, [64, 8]);
      const norms = tf.tidy(() => tf.norm(run.queue.keys, 2, 1).dataSync());
      norms.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-4));
      return [run.encoder, run.head, run.keyEncoder, run.keyHead, run.queue];
    }, { warmUp: false });
  });

  it('momentum 1 leaves the key encoder at its initial (= query initial) weights; 0 makes it equal the query', async () => {
    const data = syntheticSet(64);
    const frozen = await trainMoCo({ ...small, data, batchSize: 16, queueSize: 32, steps: 3, momentum: 1 });
    const fresh = await trainMoCo({ ...small, data, batchSize: 16, queueSize: 32, steps: 1, lr: 1e-12, momentum: 1 });
    const w = (m: typeof frozen.encoder) => m.variables.get('mlp0.w')!.dataSync();
    assert.deepEqual(w(frozen.keyEncoder), w(fresh.keyEncoder));
    const copy = await trainMoCo({ ...small, data, batchSize: 16, queueSize: 32, steps: 3, momentum: 0 });
    assert.deepEqual(w(copy.keyEncoder), w(copy.encoder));
    for (const r of [frozen, fresh, copy]) [r.encoder, r.head, r.keyEncoder, r.keyHead, r.queue].forEach((m) => m.dispose());
  });

  it('trainMoCo throws naming a queue smaller than the batch and a momentum outside [0, 1]', async () => {
    const data = syntheticSet(64);
    await assert.rejects(trainMoCo({ ...small, data, batchSize: 32, queueSize: 16 }), /trainMoCo: queueSize must be an integer >= batchSize \(32\), got 16/);
    await assert.rejects(trainMoCo({ ...small, data, momentum: 1.5 }), /trainMoCo: momentum must be in \[0, 1\], got 1.5/);
  });
});

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
