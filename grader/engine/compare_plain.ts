import { describePlain, isPlainTensor, PlainValue, wireNumber } from '../plain_value';
import type { Tolerance } from '../specs/spec_types';

function close(x: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(x);
  if (!Number.isFinite(e)) return x === e;
  return Number.isFinite(x) && Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/**
 * Checks an untrusted received value against the expected one: same kind, same shape, every
 * number finite where the expected is and within tolerance.
 * @returns null when they match, else a message for the student naming the first difference
 */
export function comparePlain(received: unknown, expected: PlainValue, tol: Tolerance, where = 'the result'): string | null {
  if (isPlainTensor(expected)) {
    if (!isPlainTensor(received)) return `${where} should be a tf.Tensor of shape [${expected.shape.join(',')}], got ${describeUntrusted(received)}`;
    const rs = received.shape;
    if (!Array.isArray(rs) || rs.length !== expected.shape.length || rs.some((d, i) => d !== expected.shape[i])) {
      return `${where} has shape [${Array.isArray(rs) ? rs.join(',') : '?'}], expected [${expected.shape.join(',')}]`;
    }
    if (!Array.isArray(received.data) || received.data.length !== expected.data.length) return `${where} holds the wrong number of values`;
    for (let i = 0; i < expected.data.length; i++) {
      const x = wireNumber(received.data[i] as number | string);
      const e = wireNumber(expected.data[i]);
      if (typeof received.data[i] !== 'number' && typeof received.data[i] !== 'string') return `${where} holds a non-number`;
      if (!Number.isFinite(x) && Number.isFinite(e)) {
        return expected.data.length === 1 ? `${where} is ${x}, expected a finite number near ${e}` : `${where} holds ${x} at flat index ${i} (expected a finite number near ${e})`;
      }
      if (!close(x, e, tol)) {
        return expected.data.length === 1
          ? `${where} is ${x}, expected ${e}`
          : `${where} differs at flat index ${i}: got ${x}, expected ${e}`;
      }
    }
    return null;
  }
  if (typeof expected === 'number' || typeof expected === 'string') {
    const e = wireNumber(expected as number | string);
    if (typeof expected === 'string' && Number.isNaN(e)) {
      return received === expected ? null : `${where} is ${describeUntrusted(received)}, expected ${JSON.stringify(expected)}`;
    }
    if (typeof received !== 'number' && !(typeof received === 'string' && /^(NaN|-?Infinity)$/.test(received))) {
      return `${where} should be a number, got ${describeUntrusted(received)}`;
    }
    const x = wireNumber(received);
    if (!Number.isFinite(x) && Number.isFinite(e)) return `${where} is ${x}, expected a finite number near ${e}`;
    return close(x, e, tol) ? null : `${where} is ${x}, expected ${e}`;
  }
  if (typeof expected === 'boolean') {
    return received === expected ? null : `${where} is ${describeUntrusted(received)}, expected ${expected}`;
  }
  if (expected === null) return received === null ? null : `${where} should be null`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(received)) return `${where} should be an array of ${expected.length}, got ${describeUntrusted(received)}`;
    if (received.length !== expected.length) return `${where} has ${received.length} items, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = comparePlain(received[i], expected[i], tol, `${where}[${i}]`);
      if (m !== null) return m;
    }
    return null;
  }
  if (typeof received !== 'object' || received === null || Array.isArray(received) || isPlainTensor(received)) {
    return `${where} should be an object with keys ${Object.keys(expected).join(', ')}, got ${describeUntrusted(received)}`;
  }
  for (const k of Object.keys(expected)) {
    if (!Object.prototype.hasOwnProperty.call(received, k)) return `${where} lacks the key ${k}`;
    const m = comparePlain((received as Record<string, unknown>)[k], expected[k], tol, `${where}.${k}`);
    if (m !== null) return m;
  }
  return null;
}

/** Describes a received (untrusted, already plain) value without trusting its structure. */
export function describeUntrusted(v: unknown): string {
  if (typeof v === 'object' && v !== null && (v as { __undefined?: unknown }).__undefined === true) return 'undefined';
  try {
    return describePlain(v);
  } catch {
    return 'a value that cannot be described';
  }
}
