import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

/** Options of {@link assertGradientsMatchFiniteDifferences}. */
export interface GradientCheckOptions {
  /** Step of the central difference (default 1e-2: float32 needs a large step). */
  h?: number;
  /** Relative tolerance (default 2e-2). */
  rtol?: number;
  /** Absolute tolerance (default 2e-3). */
  atol?: number;
  /** Seed of the random directions (input i uses seed + i). */
  seed?: number;
}

/**
 * Test helper: checks the gradient of a scalar function of several tensors against central
 * finite differences along one seeded random direction v per input:
 * <grad_i, v> ~ (f(x_i + h v) - f(x_i - h v)) / 2h. In float32 that agrees to about 1e-3
 * relative with h = 1e-2; the check is |analytic - numeric| <= atol + rtol |numeric|.
 * @param f the function, e.g. `(a, b) => ntXent(a, b)`; called inside tidies
 * @param inputs the point to check at (not disposed)
 * @example assertGradientsMatchFiniteDifferences((a, b) => ntXent(a as tf.Tensor2D, b as tf.Tensor2D), [z1, z2]);
 */
export function assertGradientsMatchFiniteDifferences(
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: tf.Tensor[],
  { h = 1e-2, rtol = 2e-2, atol = 2e-3, seed = 7 }: GradientCheckOptions = {},
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
