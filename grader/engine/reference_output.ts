import type * as TF from '@tensorflow/tfjs';
import { isPlainTensor, PlainValue } from '../plain_value';
import type { AnyFunction } from '../specs/spec_types';

let tf: typeof TF;

/**
 * tfjs for this (the trusted) process, loaded on first use: a command that grades from frozen
 * tests (check, a student release) never makes a tensor here and need not load it. Production
 * mode, before the first tensor: tfjs's cpu backend greets it with a banner recommending
 * tfjs-node otherwise (its errors still throw; the sandbox child sets it too). The cpu backend,
 * as in the sandbox child: the references and inputs are then the same bits whichever backend
 * the process registered first (the wasm backend's sums differ in the last bit), so the public
 * tests frozen by one process (check's cache, a release) equal those another freezes.
 */
export function loadTfjs(): typeof TF {
  if (tf === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    tf = require('@tensorflow/tfjs') as typeof TF;
    tf.enableProdMode();
    void tf.setBackend('cpu'); // the cpu backend starts synchronously
  }
  return tf;
}

function decode(v: PlainValue): unknown {
  if (isPlainTensor(v)) return tf.tensor(v.data.map(Number), v.shape, v.dtype as TF.DataType);
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

function wire(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function encode(v: unknown): PlainValue {
  if (v instanceof tf.Tensor) {
    return { __tensor: true, dtype: v.dtype, shape: [...v.shape], data: Array.from(v.dataSync() as Float32Array, wire) };
  }
  if (typeof v === 'number') return wire(v);
  if (typeof v === 'boolean' || typeof v === 'string' || v === null) return v;
  if (Array.isArray(v)) return v.map(encode);
  if (typeof v === 'object' && v !== undefined) {
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, encode(x)]));
  }
  throw new Error(`referenceOutput: cannot encode a ${typeof v}`);
}

/**
 * Calls a trusted function (reference or known mistake) on plain arguments in this process and
 * returns its result as plain data. Tensors are freed.
 */
export function referenceOutput(fn: AnyFunction, args: PlainValue[]): PlainValue {
  return onCpuBackend(() => {
    // A scope rather than tf.tidy: the result is plain data, not a tensor container.
    tf.engine().startScope();
    try {
      return encode(fn(...args.map(decode)));
    } finally {
      tf.engine().endScope();
    }
  });
}

/**
 * Runs `f` on tfjs's cpu backend, the sandbox child's, and returns to the backend that was
 * active. A process that also runs the library (a test process) may have moved to the wasm
 * backend; switching to and from a backend already started is synchronous.
 */
export function onCpuBackend<T>(f: () => T): T {
  loadTfjs();
  const previous = tf.getBackend();
  if (previous !== 'cpu') void tf.setBackend('cpu');
  try {
    return f();
  } finally {
    if (previous !== 'cpu') void tf.setBackend(previous);
  }
}
