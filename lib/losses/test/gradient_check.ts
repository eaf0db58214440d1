import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/**
 * Test helper: checks the gradient of a scalar function of several tensors against central finite
 * differences along one seeded random direction per input: <grad_i, v> ~ (f(x_i + hv) - f(x_i - hv)) / 2h.
 * float32 limits the agreement to about 1e-3 relative with h = 1e-2.
 */
export function assertGradientsMatchFiniteDifferences(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  { h = 1e-2, rtol = 2e-2, atol = 2e-3, seed = 7 } = {},
): void {
  const grads = tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs);
  try {
    inputs.forEach((x, i) => {
      const [analytic, numeric] = tf.tidy(() => {
        const v = tf.randomNormal(x.shape, 0, 1, 'float32', seed + i);
        const at = (sign: number) =>
          f(...inputs.map((y, j) => (j === i ? tf.add(y, tf.mul(v, sign * h)) : y))).dataSync()[0];
        return [tf.sum(tf.mul(grads[i], v)).dataSync()[0], (at(1) - at(-1)) / (2 * h)];
      });
      assert.ok(
        Math.abs(analytic - numeric) <= atol + rtol * Math.abs(numeric),
        `input ${i}: analytic directional derivative ${analytic} vs finite difference ${numeric}`,
      );
    });
  } finally {
    tf.dispose(grads);
  }
}

/** Test helper: runs `run` (and disposes what it returns) and asserts no tensor is left behind. */
export function assertNoLeak(run: () => tf.Tensor | tf.Tensor[]): void {
  run(); // warm-up: first calls may create backend-cached tensors
  const before = tf.memory().numTensors;
  tf.dispose(run());
  assert.equal(tf.memory().numTensors, before, 'tensor count changed: a tensor leaked');
}

/** The scalar value of a loss, disposing it. */
export function valueOf(t: tf.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

/** Asserts |actual - expected| <= tol * max(1, |expected|). */
export function assertClose(actual: number, expected: number, tol = 1e-5, what = 'value'): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected} (tol ${tol})`,
  );
}
