import * as tf from '@tensorflow/tfjs';
import { backendInfo, BackendInfo } from './backend_info';
import { registerWasmExtras } from './register_wasm_extras';
import { registerAdamUpdate } from './adam_update';
import { DEFAULT_WASM_THREADS, parseThreadCount, usableCores, whyNoWasmThreads, withWasmThreads } from './wasm_threads';

/** The tfjs backends this project knows, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;

/** A tfjs backend name: native libtensorflow, WebAssembly (SIMD) or plain JavaScript. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Parses a backend name given by a user (e.g. `CLAB_BACKEND`).
 * @param name the name as typed, case-insensitive, surrounding spaces ignored
 * @param source where the name came from, for the error message
 * @returns the backend name
 * @example parseBackendName('WASM') // 'wasm'
 */
export function parseBackendName(name: string, source = 'backend'): BackendName {
  const wanted = name.trim().toLowerCase();
  const found = BACKEND_NAMES.find((b) => b === wanted);
  if (found === undefined) {
    throw new Error(
      `${source}: unknown backend ${JSON.stringify(name)}; valid names are ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return found;
}

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Force one backend; default: `CLAB_BACKEND` if set, else the fastest that loads. */
  backend?: BackendName | string;
  /**
   * Threads for the WASM backend; default: `CLAB_THREADS` if set, else 1 (the single-thread build;
   * why: {@link DEFAULT_WASM_THREADS}). `'auto'`: one per CPU core, at most 8. Takes effect only
   * where WASM starts, once per process.
   */
  threads?: number | string;
}

let tfjsNodeTried = false;
let tfjsNodeLoaded = false;
let wasmImported = false;
let wasmStarted = false;
let wasmThreadsNotice = '';

function tryLoadTfjsNode(): boolean {
  if (!tfjsNodeTried) {
    tfjsNodeTried = true;
    try {
      // Optional dependency: its install downloads libtensorflow and fails offline, so it is
      // often absent. Required by a computed name so bundlers and tsc do not insist on it.
      const name = '@tensorflow/tfjs-node';
      require(name);
      tfjsNodeLoaded = tf.findBackend('tensorflow') !== null || tf.engine().registryFactory['tensorflow'] !== undefined;
    } catch {
      tfjsNodeLoaded = false;
    }
  }
  return tfjsNodeLoaded;
}

function importWasm(): void {
  if (!wasmImported) {
    require('@tensorflow/tfjs-backend-wasm');
    wasmImported = true;
  }
}

async function trySet(name: BackendName, threads: number): Promise<boolean> {
  if (name === 'tensorflow' && !tryLoadTfjsNode()) return false;
  if (name === 'wasm') {
    importWasm();
    if (!wasmStarted) return startWasm(threads);
  }
  return setAndCheck(name);
}

async function setAndCheck(name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

// The first start of WASM in this process decides its thread count for good.
async function startWasm(threads: number): Promise<boolean> {
  const why = threads > 1 ? whyNoWasmThreads() : '';
  if (threads > 1 && why === '') {
    if (await withWasmThreads(threads, () => setAndCheck('wasm'))) {
      wasmStarted = true;
      return true;
    }
    wasmThreadsNotice = `WASM threads did not start, running on 1 thread (set CLAB_THREADS=1 to skip trying)`;
  } else if (why !== '') {
    wasmThreadsNotice = `WASM runs on 1 thread: ${why}`;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  (require('@tensorflow/tfjs-backend-wasm') as { setThreadsCount(n: number): void }).setThreadsCount(1);
  wasmStarted = await setAndCheck('wasm');
  return wasmStarted;
}

/**
 * What the backend's summary adds about the WASM thread count, or '' when there is nothing to say.
 * @param given the count the user gave (`CLAB_THREADS` or the option), undefined for none
 * @param cores usable cores
 * @example threadCountNotice(undefined, 2) // '1 WASM thread by default: ...'
 */
export function threadCountNotice(given: string | number | undefined, cores: number): string {
  if (given !== undefined || cores <= 1) return '';
  return `${DEFAULT_WASM_THREADS} WASM thread by default: the trainers' data worker uses the second core, and a second thread does not speed up small operations (CLAB_THREADS=2 or auto opts in)`;
}

/**
 * Picks and prepares the tfjs backend: tfjs-node if it loads, else WASM, else cpu.
 * `CLAB_BACKEND=tensorflow|wasm|cpu` (or `options.backend`) forces one, and it is an error
 * if the forced one cannot start. Also silences tfjs's console banner. Safe to call again.
 * @returns what is running, with a hint for a faster backend
 * @example const info = await initBackend(); console.log(info.summary);
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  // The cpu backend prints a banner recommending tfjs-node on its first tensor; production
  // mode silences tfjs's own warnings (our errors still throw).
  tf.enableProdMode();
  const given = options.threads ?? process.env.CLAB_THREADS;
  const threads = parseThreadCount(given, options.threads !== undefined ? 'initBackend threads' : 'CLAB_THREADS');
  if (!wasmStarted) wasmThreadsNotice = threadCountNotice(given, usableCores());
  const requested = options.backend ?? process.env.CLAB_BACKEND;
  if (requested !== undefined && requested.trim() !== '') {
    const source = options.backend !== undefined ? 'initBackend' : 'CLAB_BACKEND';
    const name = parseBackendName(requested, source);
    if (tf.getBackend() !== name && !(await trySet(name, threads))) {
      throw new Error(
        `${source}: backend '${name}' could not start on this machine; ` +
          `unset ${source === 'CLAB_BACKEND' ? 'CLAB_BACKEND' : 'the backend option'} to pick one automatically`,
      );
    }
  } else if (!BACKEND_NAMES.some((b) => b === tf.getBackend() && b !== 'cpu')) {
    for (const name of BACKEND_NAMES) {
      if (await trySet(name, threads)) break;
    }
  }
  if (tf.getBackend() === 'wasm') registerWasmExtras();
  registerAdamUpdate(); // wasm and cpu: what fusedAdam runs
  const info = backendInfo();
  return wasmThreadsNotice !== '' && info.name === 'wasm' ? { ...info, summary: `${info.summary}; ${wasmThreadsNotice}` } : info;
}
