import * as tf from '@tensorflow/tfjs';
import { matMulIn } from './matmul_wasm';
import { overrideWasmKernel } from './wasm_kernel_api';
import { WasmBackendView, wasmHeap } from './wasm_kernel_api';
import { chooseProductKernel, productsHeldOnOneThread, recordProductTime, ShapeTimes } from './product_threads';

/** Below this many multiply-adds XNNPACK's call is as quick (packing and set-up dominate). */
const MIN_WORK = 1 << 16;

let enabled = true;
let calls = 0;
/** Per product shape `M,K,N` on a pool of threads: recent wall times on each kernel. */
const shapeTimes = new Map<string, ShapeTimes>();

/** Internal (tests): how many products lib/backend's kernel has computed in this process. */
export function ownMatMulCalls(): number {
  return calls;
}

/**
 * Internal (tests and bench/gemm.ts): turn lib/backend's BatchMatMul on or off, so that
 * XNNPACK's can run on the same inputs. Returns the previous setting.
 */
export function useOwnMatMul(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/**
 * [M, K] and [K, N] when lib/backend's kernel can take this product: float32, no transposes,
 * plain matrices (or a batch of one), M % 4 = 0, N % 8 = 0, enough work. On one WASM thread it
 * always does; on more, lib/backend/product_threads.ts decides per shape.
 */
function ownShape(a: tf.TensorInfo, b: tf.TensorInfo, attrs: { transposeA?: boolean; transposeB?: boolean }, backend: WasmBackendView): [number, number, number] | null {
  if (!enabled || attrs.transposeA === true || attrs.transposeB === true || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (a.shape.length !== b.shape.length || (a.shape.length !== 2 && !(a.shape.length === 3 && a.shape[0] === 1 && b.shape[0] === 1))) return null;
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2 || m % 4 !== 0 || n % 8 !== 0 || m * k * n < MIN_WORK) return null;
  return [m, k, n];
}

function ownMatMul(a: tf.TensorInfo, b: tf.TensorInfo, [m, k, n]: [number, number, number], backend: WasmBackendView): tf.TensorInfo {
  const out = backend.makeOutput(a.shape.length === 3 ? [1, m, n] : [m, n], 'float32');
  const panels = backend.makeOutput([k * n], 'float32'); // B packed; allocating may grow the memory: addresses after
  const { memory, address: addr } = wasmHeap(backend, 'BatchMatMul');
  const { pack, gemm } = matMulIn(memory);
  pack(addr(b), addr(panels), k, n);
  gemm(addr(a), addr(panels), addr(out), m, k, n);
  backend.disposeData(panels.dataId);
  calls++;
  return out;
}

/**
 * Replaces the WASM backend's BatchMatMul by a kernel of ours (lib/backend/matmul_wasm.ts) for
 * the products training makes (float32, untransposed, M % 4 = 0, N % 8 = 0): the same bits as
 * XNNPACK's, ~1.4x faster on one thread on a SimCLR-MLP step's 13 products (bench/gemm.ts
 * measures them). On one thread it takes all of them; on a pool of threads each shape runs on
 * whichever of ours (this thread) and XNNPACK's (the pool) it measured faster
 * (lib/backend/product_threads.ts). Every other product goes to the original kernel. Idempotent.
 */
export function registerBatchMatMul(): void {
  overrideWasmKernel('BatchMatMul', (original) => (params) => {
    const { a, b } = params.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const backend = params.backend as WasmBackendView;
    const shape = ownShape(a, b, (params.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean }, backend);
    if (shape === null) return original(params);
    const threads = backend.wasm._get_threads_count?.() ?? 1;
    // On one thread, or while the trainers hold products there, nothing is chosen or timed.
    if (threads === 1 || productsHeldOnOneThread()) return ownMatMul(a, b, shape, backend);
    const key = shape.join(',');
    let times = shapeTimes.get(key);
    if (times === undefined) shapeTimes.set(key, (times = { own: [], pool: [], calls: 0 }));
    times.calls++;
    const kernel = chooseProductKernel(times, threads, productsHeldOnOneThread());
    const t0 = performance.now();
    const out = kernel === 'own' ? ownMatMul(a, b, shape, backend) : (original(params) as tf.TensorInfo);
    recordProductTime(times, kernel, performance.now() - t0);
    return out;
  });
}
