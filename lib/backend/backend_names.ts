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
