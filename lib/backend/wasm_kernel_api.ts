import * as tf from '@tensorflow/tfjs';
import { WasmMemory } from './wasm_bytes';

// What our kernels use of tfjs's kernel registry and of the WASM backend's internals: a
// kernel's inputs as tensors, replacing a WASM kernel by ours, and the backend's memory. A
// tfjs-backend-wasm release that moves these breaks here, in one place.

/** A kernel's input as a Tensor: the engine hands kernels the op's Tensor objects; a bare TensorInfo is wrapped. */
export function asTensor<T extends tf.Tensor>(info: tf.TensorInfo): T {
  return ((info as tf.Tensor).rank !== undefined ? info : tf.engine().makeTensorFromTensorInfo(info)) as T;
}

/** A tfjs kernel function, as the registry holds it. */
export type KernelFunc = (params: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }) => tf.TensorInfo | tf.TensorInfo[];

/**
 * Registers `kernelFunc` as the WASM backend's kernel `name` where wasm has none; with
 * `replace`, also where it has one (which is dropped).
 */
export function registerWasmKernel(name: string, kernelFunc: KernelFunc, options: { replace?: boolean } = {}): void {
  if (tf.getKernel(name, 'wasm') !== undefined) {
    if (options.replace !== true) return;
    tf.unregisterKernel(name, 'wasm');
  }
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as never });
}

const overridden = new Set<string>();

/**
 * Replaces the WASM backend's kernel `name` by `wrap(original)`, which decides per call whether
 * to run its own code or the original kernel. Once per kernel name (again is a no-op); nothing
 * happens where wasm has no such kernel.
 */
export function overrideWasmKernel(name: string, wrap: (original: KernelFunc) => KernelFunc): void {
  if (overridden.has(name)) return;
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: wrap(config.kernelFunc as unknown as KernelFunc) as never });
  overridden.add(name);
}

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
