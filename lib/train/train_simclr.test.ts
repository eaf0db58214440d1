import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { trainSimCLR } from './train_simclr';
import { noiseAugment, syntheticSet } from './test/synthetic_set';

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

  it('a training step leaks no tensors (models and optimizer freed afterwards)', async () => {
    const data = syntheticSet(64);
    const before = tf.memory().numTensors;
    const run = await trainSimCLR({ data, encoderConfig: { hidden: [16] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, maxSteps: 3, augment: noiseAugment, progress: false });
    const modelTensors = run.encoder.variables.size + run.head.variables.size;
    assert.equal(tf.memory().numTensors, before + modelTensors);
    run.encoder.dispose();
    run.head.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it('onStep returning false stops training; maxSteps and timeBudgetSec are reported', async () => {
    const data = syntheticSet(64);
    const common = { data, encoderConfig: { hidden: [8] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, augment: noiseAugment, progress: false };
    const a = await trainSimCLR({ ...common, epochs: 3, onStep: (s) => s.step < 2 });
    assert.equal(a.steps, 2);
    assert.equal(a.stoppedBy, 'callback');
    const b = await trainSimCLR({ ...common, epochs: 3, maxSteps: 5 });
    assert.equal(b.steps, 5);
    assert.equal(b.stoppedBy, 'maxSteps');
    [a, b].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
  });

  it('trainSimCLR throws naming a bad temperature and a batch larger than the data', async () => {
    const data = syntheticSet(8);
    await assert.rejects(trainSimCLR({ data, temperature: 0, augment: null, progress: false }), /trainSimCLR: temperature must be > 0, got 0/);
    await assert.rejects(trainSimCLR({ data, batchSize: 16, augment: null, progress: false }), /trainSimCLR: batchSize 16 is larger than the data \(8 images\)/);
  });
});
