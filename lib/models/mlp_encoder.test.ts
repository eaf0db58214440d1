import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { mlpEncoder } from './mlp_encoder';
import { projectionHead } from './projection_head';
import { assertNoLeak } from '../tensor/test';

describe('mlpEncoder / projectionHead', () => {
  before(async () => {
    await initBackend();
  });

  it('mlpEncoder({hidden:[16,8]}).apply([3,28,28,1]) gives [3,8], non-negative (after ReLU)', () => {
    const f = mlpEncoder({ hidden: [16, 8] });
    const h = tf.tidy(() => f.apply(tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 1)));
    assert.deepEqual(h.shape, [3, 8]);
    assert.ok(h.min().arraySync() as number >= 0);
    assert.equal(f.countParams(), 784 * 16 + 2 * 16 + 16 * 8 + 2 * 8);
    h.dispose();
    f.dispose();
  });

  it('mlpEncoder(...).dispose() frees every tensor it made (no leaked initial values)', () => {
    assertNoLeak(() => [mlpEncoder({ hidden: [8, 4] }), projectionHead({ inputDim: 4, hiddenDim: 4, outDim: 2 })]);
  });

  it('mlpEncoder({seed}) is reproducible: the same seed (also 0) gives the same weights, another seed others', () => {
    const [a, b, c] = [mlpEncoder({ hidden: [4], seed: 0 }), mlpEncoder({ hidden: [4], seed: 0 }), mlpEncoder({ hidden: [4], seed: 1 })];
    const w = (m: typeof a) => Array.from(m.variables.get('mlp0.w')!.dataSync());
    assert.deepEqual(w(a), w(b));
    assert.notDeepEqual(w(a), w(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('mlpEncoder throws naming the bad hidden widths', () => {
    assert.throws(() => mlpEncoder({ hidden: [16, 0] }), /mlpEncoder: hidden must be .* got \[16,0\]/);
    assert.throws(() => mlpEncoder({ norm: 'layer' as never }), /mlpEncoder: norm must be 'batch' or 'none', got "layer"/);
  });

  it('apply throws naming the wrong input shape', () => {
    const f = mlpEncoder({ hidden: [4] });
    assert.throws(() => tf.tidy(() => f.apply(tf.zeros([2, 10]))), /each sample must have 784 values, got shape \[2,10\]/);
    f.dispose();
  });

  it('apply leaks no tensors in training and eval mode', () => {
    const f = mlpEncoder({ hidden: [8, 4] });
    const x = tf.randomNormal([5, 784]);
    assertNoLeak(() => tf.tidy(() => [f.apply(x, { training: true }), f.apply(x)])); // apply runs inside the caller's tidy
    x.dispose();
    f.dispose();
  });

  it('training mode updates BN running mean by 0.1 * batch mean (momentum 0.9)', () => {
    const f = mlpEncoder({ inputDim: 2, hidden: [3] });
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const w = f.variables.get('mlp0.w')!;
    const batchMean = tf.tidy(() => tf.matMul(x, w).mean(0));
    tf.tidy(() => f.apply(x, { training: true }));
    const got = f.variables.get('mlp0.bn.moving_mean')!.arraySync() as number[];
    (batchMean.arraySync() as number[]).forEach((m, i) => assert.ok(Math.abs(got[i] - 0.1 * m) < 1e-5));
    batchMean.dispose();
    x.dispose();
    f.dispose();
  });

  it('gradients reach every trainable weight of encoder and head (BN in training mode)', () => {
    const f = mlpEncoder({ hidden: [8, 6] });
    const g = projectionHead({ inputDim: 6, hiddenDim: 5, outDim: 3 });
    const x = tf.randomNormal([4, 784], 0, 1, 'float32', 2);
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.square(g.apply(f.apply(x, { training: true }), { training: true }))) as tf.Scalar, [
      ...f.trainable,
      ...g.trainable,
    ]);
    assert.equal(Object.keys(grads).length, f.trainable.length + g.trainable.length);
    for (const [name, gr] of Object.entries(grads)) assert.ok(gr.abs().sum().arraySync() as number > 0, `zero gradient for ${name}`);
    tf.dispose([value, x, ...Object.values(grads)]);
    f.dispose();
    g.dispose();
  });
});
