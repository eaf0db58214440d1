import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { trainMoCo } from './train_moco';
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
