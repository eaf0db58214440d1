// Test helpers for kernels registered on the WASM backend: run them on wasm, then on cpu, and
// compare. Shared by the lib/backend kernel tests; not part of the library build.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../init_backend';

/** Pad as the conv2d kernels take it: a mode, one number, or explicit NHWC pairs. */
export type ConvPad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** One conv2d configuration to check a gradient kernel on. */
export interface ConvCase {
  x: [number, number, number, number]; // NHWC shape
  f: [number, number, number, number]; // [fh, fw, inC, outC]
  strides: number | [number, number];
  pad: ConvPad;
  nchw?: boolean;
}

/** A readable test label for a conv case, e.g. `x [2,6,6,1] filter [3,3,1,4] strides 1 pad "same"`. */
export function convCaseLabel(c: ConvCase): string {
  return `x [${c.x}] filter [${c.f}] strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}${c.nchw ? ' NCHW' : ''}`;
}

/** The NHWC shape of conv2d's output (= the shape of dy) for a case. */
export function convOutputShape(c: ConvCase): number[] {
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.strides, c.pad).shape);
}

/** Deterministic test values: `fn(i * step)` for i = 0 .. length-1. */
export function waveArray(length: number, fn: (t: number) => number, step: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => fn(i * step));
}

/** Largest elementwise |a - b|. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Mocha hooks for a describe block: switch to wasm before its tests (skipping them when wasm
 * cannot start on this machine) and restore the backend the suite started on afterwards.
 */
export function useWasmBackend(): void {
  let original = 'cpu';
  before(async function () {
    original = (await initBackend()).name;
    try {
      await initBackend({ backend: 'wasm' });
    } catch {
      this.skip(); // no wasm backend on this machine: nothing to check
    }
  });
  after(async () => {
    await tf.setBackend(original);
  });
}

/** Runs `run` on wasm, then on cpu, and returns both results (the backend ends on wasm). */
export async function onWasmAndCpu<T>(run: () => T): Promise<{ wasm: T; cpu: T }> {
  const wasm = run();
  await tf.setBackend('cpu');
  try {
    return { wasm, cpu: run() };
  } finally {
    await tf.setBackend('wasm');
  }
}
