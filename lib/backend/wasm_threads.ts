// Starts tfjs-backend-wasm's multi-threaded build in Node. The package ships that build
// (tfjs-backend-wasm-threaded-simd.wasm) but turns it off in Node (tfjs issue 3830) because its
// start-up is written for browsers: it hands Emscripten's pthread workers a Blob URL for their
// script and a Blob for the main script, and Node's worker_threads can load neither. It also
// sizes its thread pool as logical cores / 2, which is one thread on a 2-core laptop.
//
// withWasmThreads installs, for the duration of the backend's start-up only, a Blob that
// keeps its text, a Worker that runs such a script from that text, and an os.cpus() of the
// wanted length; then everything is put back. Results are the same bit for bit as one thread:
// XNNPACK splits an operation's output between threads, not the sums inside one output.
import type * as osTypes from 'node:os';
import type * as workerThreadsTypes from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

// The module objects themselves (an `import * as` may be a copy): the backend reads them.
const os = require('node:os') as typeof osTypes;
const workerThreads = require('node:worker_threads') as typeof workerThreadsTypes;

/** Most threads tfjs-backend-wasm can use (it pre-creates 8 pthread workers). */
export const MAX_WASM_THREADS = 8;

// The bundle's own names for what its Emscripten code reads from its closure; the main script
// is evaluated in the worker's global scope, so they must be globals there.
const WORKER_PRELUDE =
  'Object.assign(globalThis,{require$$0:require("fs"),require$$1:require("path"),' +
  'require$$3:require("perf_hooks"),require$$4:require("os"),commonjsGlobal:globalThis});';
// Replaces the pthread script's importScripts (which reads a file) by evaluating the main
// script's text handed over in workerData.
const WORKER_TAIL =
  ';{const wt=require("worker_threads");' +
  'globalThis.importScripts=function(){' + WORKER_PRELUDE + '(0,eval)(wt.workerData.clabMainScript)}}';
const MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd';

/**
 * Why this process cannot run WASM threads, or '' when it can.
 * @example whyNoWasmThreads() // '' on a plain `node`
 */
export function whyNoWasmThreads(): string {
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available';
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  if (permission !== undefined && !permission.has('worker')) return "Node's permission model forbids worker threads here";
  return '';
}

/** This machine's cores (as Node counts them), at most {@link MAX_WASM_THREADS}. */
export function usableCores(): number {
  return Math.max(1, Math.min(typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length, MAX_WASM_THREADS));
}

/**
 * The WASM thread count when the user names none: one, the single-thread SIMD build, whatever
 * the machine and its load. Why: tfjs-backend-wasm fixes its build and pool size once per
 * process, so the count cannot follow the operation, and on the 2-core machine measured a second
 * thread lost where it matters most (bench/README.md, "Threads"). At load average 1.1-1.5, two
 * threads were 1.4-3.0x slower than one on the small losses (triplet, InfoNCE, NT-Xent at
 * N = 256: the element-wise kernels run on one thread anyway, and XNNPACK's pool adds its
 * hand-over to every operation) and faster only on NT-Xent and MoCo at N = 1024 (0.69-0.70x); at
 * load 3-7 slower on all 10 losses (1.07-4.72x), and at load 8 slower on every matrix product of
 * a SimCLR-MLP step, NT-Xent and MoCo (1.06-2.57x, bench:gemm --threads 2): its threads wait for
 * each other when a core is busy. In training the second core already has work: the trainers'
 * data worker makes the next views there, and two threads with the worker against one with the
 * worker measured 0.96x (SimCLR) and 1.13x (MoCo) images/s, within the noise; notebook 03 took
 * 1.03-1.06x and notebook 04 1.29-1.40x as long on two threads as on one (load 2-5). Only a step
 * without the data worker gained from the second thread (the SimCLR-MLP step 0.86x).
 * `CLAB_THREADS=N` (or the `threads` option) opts in to N threads, `auto` to one per core.
 */
export const DEFAULT_WASM_THREADS = 1;

/**
 * Parses a thread count given by a user (`CLAB_THREADS` or the `threads` option).
 * @param value e.g. `'2'`; `'auto'` or '' means one per core (`cores`); undefined (none given)
 *   means {@link DEFAULT_WASM_THREADS}
 * @param source where the value came from, for the error message
 * @param cores usable cores, for `'auto'` (tests pass their own)
 * @example parseThreadCount('2', 'CLAB_THREADS') // 2
 * @example parseThreadCount(undefined, 'CLAB_THREADS') // 1
 */
export function parseThreadCount(value: string | number | undefined, source: string, cores = usableCores()): number {
  if (value === undefined) return DEFAULT_WASM_THREADS;
  const text = String(value).trim().toLowerCase();
  if (text === '' || text === 'auto') return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`${source}: thread count must be a whole number from 1 to ${MAX_WASM_THREADS} or 'auto', got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Runs `start` (the first `tf.setBackend('wasm')`) so that the WASM backend starts with
 * `threads` threads. Call only while the wasm backend has not started yet in this process.
 * @param threads wanted threads (2 or more; 1 needs no preparation)
 * @param start starts the backend; its result is returned
 * @returns what `start` returned; the pthread workers do not keep the process alive
 */
export async function withWasmThreads<T>(threads: number, start: () => Promise<T>): Promise<T> {
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setThreadsCount(n: number): void };
  const texts = new Map<string, string>();
  let mainScript = '';
  const workers: workerThreadsTypes.Worker[] = [];

  const RealBlob = globalThis.Blob;
  class TextBlob extends RealBlob {
    readonly clabText: string;
    constructor(parts: ConstructorParameters<typeof Blob>[0], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts, options);
      this.clabText = Array.from(parts ?? [], String).join('');
      if (this.clabText.startsWith(MAIN_SCRIPT_START)) mainScript = this.clabText;
    }
  }
  const realCreateObjectURL = URL.createObjectURL;
  const createObjectURL = (blob: Blob): string => {
    const url = realCreateObjectURL.call(URL, blob);
    if (blob instanceof TextBlob) texts.set(url, blob.clabText);
    return url;
  };
  const RealWorker = workerThreads.Worker;
  class ScriptWorker extends RealWorker {
    constructor(where: string | URL, options?: workerThreadsTypes.WorkerOptions) {
      const text = texts.get(String(where));
      if (text === undefined) {
        super(where, options);
        return;
      }
      super(text + WORKER_TAIL, { ...options, eval: true, workerData: { clabMainScript: mainScript } });
      workers.push(this);
    }
    override postMessage(message: unknown, transfer?: readonly workerThreadsTypes.TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      // The main script travels in workerData; the Blob itself cannot be loaded in Node.
      const msg = m !== null && typeof m === 'object' && m.cmd === 'load' && m.urlOrBlob instanceof TextBlob ? { ...m, urlOrBlob: 'clab-main-script' } : message;
      super.postMessage(msg, transfer);
    }
  }
  const realCpus = os.cpus;
  const mutableOs = os as { cpus: typeof os.cpus };
  const mutableThreads = workerThreads as { Worker: typeof RealWorker };

  globalThis.Blob = TextBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  mutableThreads.Worker = ScriptWorker;
  // The backend uses min(threads, logical cores / 2): report twice the wanted count.
  mutableOs.cpus = () => {
    const cpus = realCpus.call(os);
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  try {
    return await start();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    mutableThreads.Worker = RealWorker;
    mutableOs.cpus = realCpus;
    // Emscripten refs a worker while its thread runs; XNNPACK's pool threads run for good.
    for (const w of workers) w.unref();
  }
}
