import * as tf from '@tensorflow/tfjs';
import { WasmMemory } from './wasm_bytes';

/** The WASM backend, as much of it as our kernels use (tfjs-backend-wasm keeps these internal). */
export interface WasmBackendView {
  wasm: { asm: { memory?: WasmMemory }; wasmMemory?: WasmMemory; _get_threads_count?: () => number };
  dataIdMap: { get(id: unknown): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  disposeData(id: unknown): void;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/**
 * The backend's memory (shared in the multi-threaded build, the module's own in the
 * single-threaded one) and the byte address of a tensor in it. Take it after allocating a
 * kernel's outputs: allocation may grow the memory (the object stays, its buffer changes).
 * Throws naming `kernel` when a tfjs-backend-wasm release no longer exposes the memory.
 */
export function wasmHeap(backend: WasmBackendView, kernel: string): { memory: WasmMemory; address(t: tf.TensorInfo): number } {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm.memory;
  if (memory === undefined) throw new Error(`${kernel}: the WASM backend's memory is not reachable (tfjs-backend-wasm changed?)`);
  return { memory, address: (t) => backend.dataIdMap.get(t.dataId).memoryOffset };
}
