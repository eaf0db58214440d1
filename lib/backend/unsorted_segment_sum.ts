import * as tf from '@tensorflow/tfjs';
import { registerWasmKernel } from './wasm_kernel_api';

/**
 * tf.unsortedSegmentSum in plain JS, for the WASM backend which lacks the kernel. It is the
 * gradient of tf.gather, so without it any loss that gathers from a trained tensor fails on wasm.
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s; ids outside [0, numSegments) are
 * dropped (as in TensorFlow).
 * @param x [n0, ..., nk, ...rest] values (float32 or int32)
 * @param segmentIds [n0, ..., nk] int32 segment of each leading index
 * @param numSegments number of segments (integer >= 0)
 * @returns [numSegments, ...rest] with x's dtype
 * @example unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 1, 0], 'int32'), 2) // [4, 2]
 */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`unsortedSegmentSum: numSegments must be an integer >= 0, got ${numSegments}`);
  }
  const lead = segmentIds.shape;
  if (lead.some((d, i) => d !== x.shape[i])) {
    throw new Error(`unsortedSegmentSum: segmentIds shape [${lead}] must be a prefix of x shape [${x.shape}]`);
  }
  const rest = x.shape.slice(lead.length);
  const inner = rest.reduce((a, b) => a * b, 1);
  const xs = x.dataSync();
  const ids = segmentIds.dataSync();
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) out[dst + k] += xs[src + k];
  }
  return tf.tensor(out, [numSegments, ...rest], x.dtype === 'int32' ? 'int32' : 'float32');
}

let registered = false;

/**
 * Registers {@link unsortedSegmentSum} as the WASM backend's `UnsortedSegmentSum` kernel (the
 * gradient of tf.gather). Idempotent; a no-op if wasm already has one.
 * @example registerUnsortedSegmentSum(); // done by initBackend() on wasm
 */
export function registerUnsortedSegmentSum(): void {
  if (registered) return;
  registerWasmKernel('UnsortedSegmentSum', ({ inputs, attrs }) =>
    unsortedSegmentSum(inputs.x as tf.Tensor, inputs.segmentIds as tf.Tensor, (attrs as unknown as tf.UnsortedSegmentSumAttrs).numSegments),
  );
  registered = true;
}
