// Where a matrix product runs when WASM has a pool of threads: on lib/backend's one-thread kernel
// (the calling thread only) or on XNNPACK's kernel split over the pool. Both give the same bits,
// so the choice changes speed only.
//
// Why not always the pool: measured on the 2-core machine (bench/gemm.ts --threads 2: XNNPACK on
// 2 threads against lib/backend's kernel on 1, the same products interleaved in one process), the
// winner depends on the load. With nothing else running, the pool took the 13 products of a
// SimCLR-MLP step in ~100 ms against the kernel's ~124; at load 8 the pool was 1.06-2.57x SLOWER
// on all 21 products measured (the step's, NT-Xent's, MoCo's): its threads wait for each other
// when a core is busy. No fixed size threshold is right under both, so each shape is timed on
// both kernels for a few calls and then runs on the faster one, checked again now and then.

/** Calls timed on each kernel before a shape's choice is made. */
export const SAMPLES = 3;
/** Every this many calls of a shape, the slower kernel is timed once more (the load changes). */
export const RECHECK_EVERY = 64;

/** Recent wall times (ms) of one product shape on each kernel, and how many calls it has had. */
export interface ShapeTimes {
  own: number[];
  pool: number[];
  calls: number;
}

/** Where one product runs: lib/backend's kernel on this thread, or XNNPACK's over the pool. */
export type ProductKernel = 'own' | 'pool';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Which kernel takes the next product of a shape. On one thread, and whenever products are held
 * on one thread ({@link productsOnOneThread}), lib/backend's. On a pool: each kernel is timed
 * {@link SAMPLES} times first (alternating, so both see the same load), then the one with the
 * lower median wall time runs, except every {@link RECHECK_EVERY}th call, which times the other.
 * @param times what this shape has measured so far
 * @param threads the WASM backend's thread count
 * @param oneThread products are held on one thread
 * @example chooseProductKernel({ own: [5, 5, 6], pool: [3, 3, 4], calls: 6 }, 2, false) // 'pool'
 */
export function chooseProductKernel(times: ShapeTimes, threads: number, oneThread: boolean): ProductKernel {
  if (threads <= 1 || oneThread) return 'own';
  const { own, pool } = times;
  if (own.length < SAMPLES || pool.length < SAMPLES) return own.length <= pool.length ? 'own' : 'pool';
  const best: ProductKernel = median(own) <= median(pool) ? 'own' : 'pool';
  if (times.calls % RECHECK_EVERY === 0) return best === 'own' ? 'pool' : 'own';
  return best;
}

/** Records one timed call of a shape on `kernel`: keeps the last {@link SAMPLES} times of each. */
export function recordProductTime(times: ShapeTimes, kernel: ProductKernel, ms: number): void {
  const list = times[kernel];
  list.push(ms);
  if (list.length > SAMPLES) list.shift();
}

/**
 * Whether the trainers should hold every product on one thread while their data worker runs:
 * on a machine of at most 2 cores, where the worker takes the core the pool's second thread
 * would use. Measured there (bench:train, 3 pairs, load 1.1-1.9): MoCo trained at 1553 images/s
 * with one WASM thread and the worker against 1312 with two and the worker; XNNPACK's pool
 * threads spin between products and take that core from the worker. The per-shape choice alone
 * against this on top (both 2 threads and the worker, load 4-9): SimCLR 1.16x, MoCo 1.27x. On
 * more cores the pool keeps its other threads.
 * @param cores the machine's cores
 * @param threads the WASM backend's thread count
 * @param dataWorkers data worker threads the trainer runs (0 or 1)
 * @example holdProductsForDataWorker(2, 2, 1) // true
 */
export function holdProductsForDataWorker(cores: number, threads: number, dataWorkers: number): boolean {
  return threads > 1 && dataWorkers > 0 && cores <= 2;
}

let oneThread = false;

/**
 * Internal (lib/train): hold every product lib/backend's kernel can take on one thread (true),
 * or let each shape pick its kernel (false). Returns the previous setting.
 */
export function productsOnOneThread(on: boolean): boolean {
  const before = oneThread;
  oneThread = on;
  return before;
}

/** Whether products are held on one thread now. */
export function productsHeldOnOneThread(): boolean {
  return oneThread;
}
