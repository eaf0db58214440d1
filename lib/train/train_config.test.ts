import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fusedAdam, initBackend } from '../backend';
import { learningRateAt } from './train_config';
import { trainSimCLR } from './train_simclr';
import { noiseAugment, syntheticSet } from './test/synthetic_set';

describe('learning-rate schedules', () => {
  before(async () => {
    await initBackend();
  });

  it("learningRateAt: 'constant' is flat; 'cosine' is lr at 0, lr/2 at 1/2, lr(2+sqrt2)/4 at 1/4, 0 at 1, clamped outside [0, 1]", () => {
    assert.equal(learningRateAt('constant', 0.1, 0.7), 0.1);
    assert.equal(learningRateAt('cosine', 0.1, 0), 0.1);
    assert.ok(Math.abs(learningRateAt('cosine', 0.1, 0.5) - 0.05) < 1e-15);
    assert.ok(Math.abs(learningRateAt('cosine', 0.1, 0.25) - (0.1 * (2 + Math.SQRT2)) / 4) < 1e-15);
    assert.ok(Math.abs(learningRateAt('cosine', 0.1, 1)) < 1e-15);
    assert.equal(learningRateAt('cosine', 0.1, -3), 0.1);
    assert.ok(Math.abs(learningRateAt('cosine', 0.1, 7)) < 1e-15);
    assert.throws(() => learningRateAt('linear' as never, 0.1, 0.5), /schedule must be one of constant, cosine, got "linear"/);
  });

  it("trainSimCLR with lrSchedule 'cosine' sets Adam's rate to the schedule before each step of a 4-step run", async () => {
    const seen: number[] = [];
    const data = syntheticSet(64);
    const steps = 4;
    // The optimizer is internal (lib/backend's fusedAdam); watch its class's learningRate: a
    // setter on the prototype sees every assignment after the constructor's first one.
    const probe = fusedAdam(1);
    const proto = Object.getPrototypeOf(probe) as object;
    probe.dispose();
    const rates = new WeakMap<object, number>();
    Object.defineProperty(proto, 'learningRate', {
      configurable: true,
      get(this: object) {
        return rates.get(this);
      },
      set(this: object, v: number) {
        if (rates.has(this)) seen.push(v);
        rates.set(this, v);
      },
    });
    try {
      const run = await trainSimCLR({ data, encoderConfig: { hidden: [8] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, steps: steps, lr: 0.01, lrSchedule: 'cosine', augment: noiseAugment, progress: false });
      run.encoder.dispose();
      run.head.dispose();
    } finally {
      delete (proto as { learningRate?: number }).learningRate;
    }
    const expected = Array.from({ length: steps }, (_, i) => learningRateAt('cosine', 0.01, i / steps));
    assert.equal(seen.length, steps);
    seen.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `step ${i + 1}: lr ${v}, expected ${expected[i]}`));
  });

  it('trainSimCLR names a bad lrSchedule and lists the valid ones', async () => {
    await assert.rejects(
      trainSimCLR({ data: syntheticSet(16), batchSize: 8, lrSchedule: 'step' as never, augment: null, progress: false }),
      /trainSimCLR: lrSchedule must be one of 'constant', 'cosine', got "step"/,
    );
  });
});
