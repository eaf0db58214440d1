import * as tf from '@tensorflow/tfjs';

/** What {@link backendInfo} reports about the running tfjs backend. */
export interface BackendInfo {
  /** The active backend: `tensorflow`, `wasm` or `cpu` (or another tfjs backend). */
  name: string;
  /** Whether WASM SIMD is on (false on backends other than wasm). */
  simd: boolean;
  /** Threads the backend computes with (WASM: 1 unless `CLAB_THREADS` says otherwise). */
  threads: number;
  /** What the user can do to get a faster backend, or '' when none is faster. */
  hint: string;
  /** One line for humans, e.g. `tfjs backend: wasm (SIMD, 1 thread)`. */
  summary: string;
}

const TFJS_NODE_HINT =
  'for native speed install @tensorflow/tfjs-node (its install downloads libtensorflow, so it needs internet)';

/**
 * Reports the active tfjs backend: name, SIMD, threads and a hint for a faster one.
 * Call after {@link initBackend}.
 * @example console.log(backendInfo().summary)
 */
export function backendInfo(): BackendInfo {
  const name = tf.getBackend() ?? 'none';
  let simd = false;
  let threads = 1;
  let hint = '';
  if (name === 'wasm') {
    simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    threads = (require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number }).getThreadsCount();
    hint = TFJS_NODE_HINT;
  } else if (name === 'cpu') {
    hint = `the cpu backend is slow; ${TFJS_NODE_HINT}, or check that @tensorflow/tfjs-backend-wasm is installed (npm ci)`;
  } else if (name === 'tensorflow') {
    threads = require('node:os').cpus().length;
  }
  const parts = [name === 'wasm' ? (simd ? 'SIMD' : 'no SIMD') : '', `${threads} thread${threads === 1 ? '' : 's'}`].filter(Boolean);
  const summary = `tfjs backend: ${name} (${parts.join(', ')})${hint ? ` - ${hint}` : ''}`;
  return { name, simd, threads, hint, summary };
}
