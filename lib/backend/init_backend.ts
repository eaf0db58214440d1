import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, BackendName, parseBackendName } from './backend_names';
import { backendInfo, BackendInfo } from './backend_info';
import { registerWasmExtras } from './register_wasm_extras';

/** Options for {@link initBackend}. */
export interface InitBackendOptions {
  /** Force one backend; default: `CLAB_BACKEND` if set, else the fastest that loads. */
  backend?: BackendName | string;
}

let tfjsNodeTried = false;
let tfjsNodeLoaded = false;
let wasmImported = false;

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

async function trySet(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow' && !tryLoadTfjsNode()) return false;
  if (name === 'wasm') importWasm();
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
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
  const requested = options.backend ?? process.env.CLAB_BACKEND;
  if (requested !== undefined && requested.trim() !== '') {
    const source = options.backend !== undefined ? 'initBackend' : 'CLAB_BACKEND';
    const name = parseBackendName(requested, source);
    if (tf.getBackend() !== name && !(await trySet(name))) {
      throw new Error(
        `${source}: backend '${name}' could not start on this machine; ` +
          `unset ${source === 'CLAB_BACKEND' ? 'CLAB_BACKEND' : 'the backend option'} to pick one automatically`,
      );
    }
  } else if (!BACKEND_NAMES.some((b) => b === tf.getBackend() && b !== 'cpu')) {
    for (const name of BACKEND_NAMES) {
      if (await trySet(name)) break;
    }
  }
  if (tf.getBackend() === 'wasm') registerWasmExtras();
  return backendInfo();
}
