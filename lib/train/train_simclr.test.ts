import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { trainSimCLR } from './train_simclr';
import { noiseAugment, syntheticSet } from './test/synthetic_set';
import { assertNoLeak } from '../tensor/test';

describe('trainSimCLR', () => {
  before(async () => {
    await initBackend();
  });

  it('trainSimCLR on 256 synthetic images: the loss of the last 5 steps is below that of the first 5', async () => {
    const run = await trainSimCLR({
      data: syntheticSet(256),
      encoderConfig: { hidden: [64, 32] },
      head: { hiddenDim: 32, outDim: 16 },
      batchSize: 32,
      epochs: 5,
      augment: noiseAugment,
      progress: false,
    });
    const first = run.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = run.losses.slice(-5).reduce((a, b) => a + b) / 5;
    assert.equal(run.steps, 5 * (256 / 32));
    assert.ok(last < first, `loss went from ${first} to ${last}`);
    assert.ok(first <= Math.log(2 * 32 - 1) + 0.5, `initial loss ${first} far above log(2N-1) = ${Math.log(63)}`);
    run.encoder.dispose();
    run.head.dispose();
  });

  it('a training run leaks no tensors: only the returned models remain, and they free everything', async () => {
    const data = syntheticSet(64);
    await assertNoLeak(async () => {
      const run = await trainSimCLR({ data, encoderConfig: { hidden: [16] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, steps: 3, augment: noiseAugment, progress: false });
      return [run.encoder, run.head];
    }, { warmUp: false });
  });

  it('trainSimCLR({steps: 6}) on 64 images at batch 16 takes 6 steps over ceil(6/4) = 2 epochs; its first 4 losses are the 1-epoch run\'s', async () => {
    const common = { data: syntheticSet(64), encoderConfig: { hidden: [8] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, augment: noiseAugment, progress: false };
    const bySteps = await trainSimCLR({ ...common, steps: 6 });
    const oneEpoch = await trainSimCLR({ ...common, epochs: 1 });
    assert.equal(bySteps.steps, 6);
    assert.equal(bySteps.stoppedBy, 'steps');
    assert.deepEqual(bySteps.epochs.map((e) => e.step), [4, 6]);
    assert.deepEqual(bySteps.losses.slice(0, 4), oneEpoch.losses);
    assert.equal(oneEpoch.stoppedBy, 'epochs');
    await assert.rejects(trainSimCLR({ ...common, steps: 6, epochs: 2 }), /^Error: trainSimCLR: give steps \(6\) or epochs \(2\), not both/);
    await assert.rejects(trainSimCLR({ ...common, steps: 2.5 }), /trainSimCLR: steps must be an integer >= 1 \(or null: run `epochs` epochs\), got 2.5/);
    [bySteps, oneEpoch].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
  });

  it('onStep returning false stops training; steps and timeBudgetSec are reported', async () => {
    const data = syntheticSet(64);
    const common = { data, encoderConfig: { hidden: [8] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, augment: noiseAugment, progress: false };
    const a = await trainSimCLR({ ...common, epochs: 3, onStep: (s) => s.step < 2 });
    assert.equal(a.steps, 2);
    assert.equal(a.stoppedBy, 'callback');
    const b = await trainSimCLR({ ...common, steps: 5 });
    assert.equal(b.steps, 5);
    assert.equal(b.stoppedBy, 'steps');
    [a, b].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
  });

  it('trainSimCLR throws naming a bad temperature and a batch larger than the data', async () => {
    const data = syntheticSet(8);
    await assert.rejects(trainSimCLR({ data, temperature: 0, augment: null, progress: false }), /trainSimCLR: temperature must be a finite number > 0, got 0/);
    await assert.rejects(trainSimCLR({ data, batchSize: 16, augment: null, progress: false }), /trainSimCLR: batchSize 16 is larger than the data \(8 images\)/);
  });
});
