import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { trainCriticStaircase } from './train_critic_staircase';
import { assertNoLeak } from '../tensor/test';

describe('trainCriticStaircase', () => {
  before(async () => {
    await initBackend();
  });

  for (const critic of ['separable', 'concat'] as const) {
    it(`trainCriticStaircase({critic: '${critic}'}) learns: estimates <= log N, higher on the MI = 3 stair than on MI = 0`, () => {
      const seen: number[] = [];
      let run!: ReturnType<typeof trainCriticStaircase>;
      // no tensors left: variables and optimizer state disposed
      assertNoLeak(() => void (run = trainCriticStaircase({ critic, dim: 4, mis: [0, 3], stepsPerMI: 60, batchSize: 16, hidden: [32], embedDim: 8, learningRate: 1e-2, seed: 1, onStep: (s) => seen.push(s.step) })), { warmUp: false });
      assert.equal(run.steps.length, 120);
      assert.deepEqual(seen, run.steps.map((s) => s.step));
      for (const s of run.steps) assert.ok(Number.isFinite(s.estimate) && s.estimate <= Math.log(16) + 1e-6, JSON.stringify(s));
      const tail = (a: number) => run.steps.slice(a * 60 + 40, (a + 1) * 60).reduce((m, s) => m + s.estimate / 20, 0);
      assert.ok(tail(1) > tail(0) + 0.3, `MI 3 stair ${tail(1)} vs MI 0 stair ${tail(0)}`);
      assert.ok(Math.abs(tail(0)) < 0.3, `with I = 0 the estimate stays near 0, got ${tail(0)}`);
    });
  }

  it('trainCriticStaircase throws on an unknown critic, batchSize < 2 and a negative mi', () => {
    assert.throws(() => trainCriticStaircase({ critic: 'bilinear' as 'concat' }), /trainCriticStaircase: critic must be 'separable' or 'concat', got "bilinear"/);
    assert.throws(() => trainCriticStaircase({ batchSize: 1 }), /batchSize must be an integer >= 2, got 1/);
    assert.throws(() => trainCriticStaircase({ mis: [2, -1] }), /every mi must be a finite number >= 0 \(nats\), got -1/);
  });
});
