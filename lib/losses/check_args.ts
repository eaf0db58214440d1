import * as tf from '@tensorflow/tfjs';

// Argument checks shared by the loss functions. Every message names the function, the
// argument, the bad value and the fix, e.g. `ntXent: temperature must be > 0, got -0.1`.

function describe(x: unknown): string {
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape.join(',')}]`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length} (wrap it with tf.tensor2d)`;
  return typeof x === 'number' ? `the number ${x}` : `a ${typeof x}`;
}

/** Checks that `x` is a float tensor of the given rank with no zero-length axis. */
export function checkTensor(fn: string, name: string, x: unknown, rank: number, layout: string): void {
  if (!(x instanceof tf.Tensor)) {
    throw new Error(`${fn}: ${name} must be a tf.Tensor of shape ${layout}, got ${describe(x)}`);
  }
  if (x.rank !== rank) {
    throw new Error(`${fn}: ${name} must have rank ${rank} ${layout}, got rank ${x.rank} [${x.shape.join(',')}]`);
  }
  if (x.shape.some((s: number) => s === 0)) {
    throw new Error(`${fn}: ${name} must not be empty (batch and dim >= 1), got shape [${x.shape.join(',')}]`);
  }
  if (x.dtype !== 'float32') {
    throw new Error(`${fn}: ${name} must be float32, got ${x.dtype}; convert with ${name}.toFloat()`);
  }
}

/** Checks that two tensors have exactly the same shape. */
export function checkSameShape(fn: string, nameA: string, a: tf.Tensor, nameB: string, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((s: number, i: number) => s !== b.shape[i])) {
    throw new Error(
      `${fn}: ${nameA} and ${nameB} must have the same shape, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`,
    );
  }
}

/** Checks that `value` is a finite number > 0 (a temperature). */
export function checkPositive(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${fn}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
}

/** Checks that `value` is a finite number >= 0 (a margin). */
export function checkNonNegative(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${fn}: ${name} must be a finite number >= 0, got ${String(value)}`);
  }
}
