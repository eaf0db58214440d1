import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { infoNCE } from '../lib/losses';
import * as mi from '../lib/mi';
import { gaussianCritic, infoNCEBound, infoNCELoss, verifyInfoNCEBound } from './ex03-infonce-bound';
import { assertNoLeak } from '../lib/tensor/test';

describe('solutions/ex03-infonce-bound (reference solution agrees with lib)', () => {
  before(async () => {
    await initBackend();
  });

  it('infoNCELoss(zeros [4,4]) equals log 4, and equals lib/losses infoNCE on random scores', () => {
    const z = tf.zeros([4, 4]) as tf.Tensor2D;
    const l = infoNCELoss(z);
    assert.ok(Math.abs(l.dataSync()[0] - Math.log(4)) < 1e-6);
    const s = tf.randomNormal([7, 7], 0, 5, 'float32', 1) as tf.Tensor2D;
    const a = infoNCELoss(s);
    const b = infoNCE(s);
    assert.ok(Math.abs(a.dataSync()[0] - b.dataSync()[0]) < 1e-5);
    tf.dispose([z, l, s, a, b]);
  });

  it('gaussianCritic(x, y, rho) equals lib mi.gaussianCritic, and infoNCEBound equals mi.infoNCEBound', () => {
    const { x, y } = mi.sampleCorrelatedGaussians({ n: 16, dim: 5, rho: 0.7, seed: 2 });
    const mine = gaussianCritic(x, y, 0.7);
    const ref = mi.gaussianCritic(x, y, 0.7);
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(mine, ref))));
    assert.ok(d.dataSync()[0] < 1e-3, `max diff ${d.dataSync()[0]}`);
    assert.ok(Math.abs(infoNCEBound(mine) - mi.infoNCEBound(ref)) < 1e-5);
    tf.dispose([x, y, mine, ref, d]);
  });

  it('verifyInfoNCEBound(options) equals mi.boundExperiment on the same options (same draws)', () => {
    const options = { dim: 8, mis: [1, 5], batchSizes: [4, 32], trials: 4, seed: 7 };
    const mine = verifyInfoNCEBound(options);
    const ref = mi.boundExperiment(options);
    assert.equal(mine.length, ref.length);
    mine.forEach((r, k) => {
      assert.equal(r.trueMI, ref[k].trueMI);
      assert.equal(r.batchSize, ref[k].batchSize);
      assert.equal(r.logN, ref[k].logN);
      assert.ok(Math.abs(r.mean - ref[k].mean) < 1e-4, `${r.mean} vs ${ref[k].mean}`);
      assert.ok(Math.abs(r.stderr - ref[k].stderr) < 1e-4);
      assert.equal(r.holds, ref[k].holds);
    });
  });

  it('verifyInfoNCEBound leaves no tensors behind', () => {
    assertNoLeak(() => verifyInfoNCEBound({ dim: 2, mis: [1], batchSizes: [4], trials: 3, seed: 0 }));
  });

  it('the ex03 functions throw on non-square scores, rho outside (-1, 1) and trials < 2', () => {
    const s = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => infoNCELoss(s), /infoNCELoss: scores must be a square \[N, N\] tensor, got shape \[2,3\]/);
    assert.throws(() => gaussianCritic(s, s, 1), /gaussianCritic: rho must be in \(-1, 1\), got 1/);
    assert.throws(() => verifyInfoNCEBound({ dim: 2, mis: [1], batchSizes: [4], trials: 1, seed: 0 }), /trials must be an integer >= 2, got 1/);
    s.dispose();
  });
});
