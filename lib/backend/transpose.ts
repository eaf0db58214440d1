import * as tf from '@tensorflow/tfjs';
import { KernelFunc, overrideWasmKernel } from './wasm_kernel_api';

/** Below this many entries, or with fewer columns than MIN_SIDE, the plain kernel is as fast. */
const MIN_SIZE = 1 << 16;
const MIN_SIDE = 64;

/**
 * Column-block width for a [rows, cols] transpose, or 0 for "use the plain kernel". The plain
 * kernel writes output rows `rows` floats apart: when `rows` is a multiple of 256 (strides of
 * 1 KB and up) those writes share cache sets and it slows down 2-5x; the blocked kernel is 1.5-4x
 * faster on the shapes a training step transposes, and a shape without aliasing ([784,512])
 * stays plain (bench/README.md has the timings).
 */
export function transposeBlock(rows: number, cols: number): number {
  if (rows * cols < MIN_SIZE || rows < 512 || rows % 256 !== 0 || cols < MIN_SIDE) return 0;
  const preferred = rows >= 1024 ? [8, 4] : [16, 8, 4];
  return preferred.find((b) => cols % b === 0) ?? 0;
}

/**
 * A 2-D transpose in two cache-friendly passes of the WASM backend's own Transpose kernel:
 * [rows, cols] -> [rows, cols/b, b] -> (perm 1,0,2) [cols/b, rows, b] -> (perm 0,2,1)
 * [cols/b, b, rows] = [cols, rows]. The first pass moves runs of b contiguous floats; the second
 * transposes [rows, b] slabs, writing b output rows at a time instead of all `cols` of them.
 * Used for the NT-Xent gradient's [2N, 2N] transpose and the dense layers' weight and input
 * transposes. Pure data movement: exact.
 */
function blockedTranspose(original: KernelFunc, x: tf.TensorInfo, block: number, backend: unknown): tf.TensorInfo {
  const [rows, cols] = x.shape;
  const b = block;
  const runs = { dataId: x.dataId, shape: [rows, cols / b, b], dtype: x.dtype }; // a view, no copy
  const slabs = original({ inputs: { x: runs }, attrs: { perm: [1, 0, 2] }, backend }) as tf.TensorInfo; // [cols/b, rows, b]
  const out = original({ inputs: { x: slabs }, attrs: { perm: [0, 2, 1] }, backend }) as tf.TensorInfo; // [cols/b, b, rows]
  (backend as { disposeData(id: unknown): void }).disposeData(slabs.dataId);
  return { dataId: out.dataId, shape: [cols, rows], dtype: out.dtype };
}

/**
 * Replaces the WASM backend's `Transpose` kernel for large 2-D transposes by a blocked two-pass
 * version of itself ({@link transposeBlock} picks the block); every other transpose goes to the
 * original kernel unchanged. Idempotent.
 * @example registerTranspose(); // done by initBackend() on wasm
 */
export function registerTranspose(): void {
  overrideWasmKernel('Transpose', (original) => (params) => {
    const x = params.inputs.x as tf.TensorInfo;
    const perm = (params.attrs as { perm: number[] }).perm;
    const block = x.shape.length === 2 && perm[0] === 1 ? transposeBlock(x.shape[0], x.shape[1]) : 0;
    return block > 0 ? blockedTranspose(original, x, block, params.backend) : original(params);
  });
}
