import assert from 'node:assert/strict';

/**
 * Test helper: asserts |actual - expected| <= tol * max(1, |expected|) (relative above 1,
 * absolute below), naming `what` in the failure.
 * @example assertClose(takeScalar(ntXent(z, z)), Math.log(2 * 4 - 1), 1e-5, 'all equal');
 */
export function assertClose(actual: number, expected: number, tol = 1e-5, what = 'value'): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected} (tol ${tol})`,
  );
}
