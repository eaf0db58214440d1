import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { mocoInfoNCE } from './moco_info_nce';
import { takeScalar } from '../tensor';
import { assertClose, assertGradientsMatchFiniteDifferences, assertNoLeak } from '../tensor/test';

function unitRows(shape: [number, number], seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', seed);
    return tf.div(x, tf.norm(x, 'euclidean', 1, true)) as tf.Tensor2D;
  });
}

describe('mocoInfoNCE', () => {
  before(async () => {
    await initBackend();
  });

  it('mocoInfoNCE(u, u, U) equals log(K+1) when q, k and all K queued keys coincide, for any tau', () => {
    const u = tf.fill([3, 4], 0.5) as tf.Tensor2D; // unit rows
    const queue = tf.fill([9, 4], 0.5) as tf.Tensor2D;
    for (const temperature of [0.01, 0.07, 1]) {
      assertClose(takeScalar(mocoInfoNCE(u, u, queue, { temperature })), Math.log(9 + 1), 1e-5, `tau ${temperature}`);
    }
    tf.dispose([u, queue]);
  });

  it('mocoInfoNCE(q, k, queue) with one query and K=1 equals softplus((q.n - q.k) / tau)', () => {
    const q = tf.tensor2d([[1, 0]]);
    const k = tf.tensor2d([[0.6, 0.8]]);
    const queue = tf.tensor2d([[0, -1]]);
    const tau = 0.2;
    assertClose(takeScalar(mocoInfoNCE(q, k, queue, { temperature: tau })), Math.log(1 + Math.exp((0 - 0.6) / tau)), 1e-6);
    tf.dispose([q, k, queue]);
  });

  it('mocoInfoNCE(q, k, queue) gradients match finite differences (q, k and queue)', () => {
    const q = unitRows([4, 3], 1);
    const k = unitRows([4, 3], 2);
    const queue = unitRows([6, 3], 3);
    assertGradientsMatchFiniteDifferences(
      (a, b, c) => mocoInfoNCE(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, { temperature: 0.5 }),
      [q, k, queue],
    );
    tf.dispose([q, k, queue]);
  });

  it('mocoInfoNCE(q, k, queue) leaks no tensor, forward or with gradients', () => {
    const q = unitRows([4, 3], 1);
    const queue = unitRows([6, 3], 3);
    assertNoLeak(() => mocoInfoNCE(q, q, queue));
    assertNoLeak(() => tf.grad((a: tf.Tensor) => mocoInfoNCE(a as tf.Tensor2D, q, queue))(q));
    tf.dispose([q, queue]);
  });

  it('mocoInfoNCE(q, k, queue, {temperature: 0.01}) stays finite with large norms', () => {
    const q = tf.randomNormal([4, 3], 0, 100, 'float32', 4) as tf.Tensor2D;
    const k = tf.randomNormal([4, 3], 0, 100, 'float32', 5) as tf.Tensor2D;
    const queue = tf.randomNormal([16, 3], 0, 100, 'float32', 6) as tf.Tensor2D;
    const loss = takeScalar(mocoInfoNCE(q, k, queue, { temperature: 0.01 }));
    assert.ok(Number.isFinite(loss) && loss >= 0, `loss ${loss}`);
    const g = tf.grad((a: tf.Tensor) => mocoInfoNCE(a as tf.Tensor2D, k, queue, { temperature: 0.01 }))(q);
    assert.equal(tf.all(tf.isFinite(g)).dataSync()[0], 1);
    tf.dispose([q, k, queue, g]);
  });

  it('mocoInfoNCE throws naming the argument, the bad value and the fix', () => {
    const q = tf.ones([4, 3]) as tf.Tensor2D;
    const k5 = tf.ones([5, 3]) as tf.Tensor2D;
    const queue2 = tf.ones([8, 2]) as tf.Tensor2D;
    const r3 = tf.ones([8, 3, 1]) as unknown as tf.Tensor2D;
    const empty = tf.zeros([0, 3]) as tf.Tensor2D;
    assert.throws(() => mocoInfoNCE(q, k5, q), /^Error: mocoInfoNCE: q and k must have the same shape, got \[4,3\] and \[5,3\]$/);
    assert.throws(() => mocoInfoNCE(q, q, queue2), /mocoInfoNCE: queue and q must have the same width \(last axis\), got \[8,2\] and \[4,3\]/);
    assert.throws(() => mocoInfoNCE(q, q, r3), /mocoInfoNCE: queue must have rank 2 \[K, D\], got rank 3 \[8,3,1\]/);
    assert.throws(() => mocoInfoNCE(q, q, empty), /mocoInfoNCE: queue must not be empty/);
    assert.throws(() => mocoInfoNCE(q, q, q, { temperature: -1 }), /mocoInfoNCE: temperature must be a finite number > 0, got -1/);
    tf.dispose([q, k5, queue2, r3, empty]);
  });
});
