/**
 * The ONE place that talks to tslab's internal display writer.
 *
 * tslab's public `display.*` sends one mime type per call. A bundle of several mime types in
 * one output (vega-lite + SVG + text, or html + text) needs the writer tslab keeps in
 * `tslab/dist/jupyter`'s `lastWriteDisplayData`, which tslab sets at the start of each cell
 * execution. We find that module in Node's require cache (never `require` it ourselves: outside a
 * kernel that would load tslab's kernel code for nothing) and fall back to text on stdout.
 */

/** A Jupyter mime bundle: mime type -> payload (string, base64 string for images, or JSON). */
export type MimeBundle = Record<string, unknown>;

/** One display message as Jupyter's `display_data` / `update_display_data` content. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** Where display messages go: `update` is true for `update_display_data` (replace in place). */
export type DisplaySink = (message: DisplayMessage, update: boolean) => void;

/** Options for {@link displayBundle}. */
export interface DisplayBundleOptions {
  /** Jupyter display id: later messages with the same id and `update: true` replace the output. */
  displayId?: string;
  /** Send `update_display_data` for `displayId` instead of a new output. Default false. */
  update?: boolean;
  /** Per-mime metadata (e.g. `{'image/png': {width: 200}}`). */
  metadata?: Record<string, unknown>;
  /**
   * What to do outside a kernel (mocha, plain node): `'text'` prints the bundle's text/plain to
   * stdout (default), `'silent'` prints nothing.
   */
  fallback?: 'text' | 'silent';
}

let testSink: DisplaySink | null = null;

/**
 * Replaces the kernel writer by `sink` (tests), or restores the real lookup with `null`.
 * While a sink is set, {@link inKernel} is true and every bundle goes to it.
 * @example setDisplaySink((m) => seen.push(m)); ...; setDisplaySink(null);
 */
export function setDisplaySink(sink: DisplaySink | null): void {
  testSink = sink;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

let jupyterModule: { file: string; exports: { lastWriteDisplayData?: unknown } } | null = null;

/** Finds tslab's current display writer in the require cache, or null outside a tslab kernel. */
function kernelWriter(): DisplaySink | null {
  if (testSink !== null) return testSink;
  const cache = typeof require !== 'undefined' ? require.cache : undefined;
  if (cache === undefined) return null;
  // The module is found once; its writer is read on every call because tslab replaces it at the
  // start of each cell (it is bound to that cell's execute request).
  if (jupyterModule === null || cache[jupyterModule.file] === undefined) {
    jupyterModule = null;
    for (const [file, mod] of Object.entries(cache)) {
      if (JUPYTER_MODULE.test(file) && mod !== undefined) {
        jupyterModule = { file, exports: mod.exports as { lastWriteDisplayData?: unknown } };
        break;
      }
    }
  }
  const writer = jupyterModule?.exports.lastWriteDisplayData;
  return typeof writer === 'function' ? (writer as DisplaySink) : null;
}

/**
 * True when running inside a tslab kernel that can show rich output (or a test sink is set).
 * @example if (!inKernel()) console.log('plain text only');
 */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}

/**
 * Sends one output holding several mime types (Jupyter `display_data`), or updates an output
 * in place (`update_display_data`) when `options.update` and `options.displayId` are given.
 * Outside a kernel it prints the bundle's `text/plain` (or nothing, see `fallback`).
 * @param data mime type -> payload; binary payloads (Uint8Array/Buffer) are base64-encoded here
 * @returns true when the bundle went to a kernel, false when the text fallback was used
 * @example displayBundle({'text/html': '<b>hi</b>', 'text/plain': 'hi'})
 * WARNING: a kernel shows only the richest mime type it can render; always include text/plain.
 */
export function displayBundle(data: MimeBundle, options: DisplayBundleOptions = {}): boolean {
  if (data === null || typeof data !== 'object' || Object.keys(data).length === 0) {
    throw new Error(`displayBundle: data must be a non-empty object of mime type -> payload, got ${describe(data)}`);
  }
  if (options.update === true && options.displayId === undefined) {
    throw new Error('displayBundle: update needs a displayId (the id of the output to replace), got none');
  }
  const encoded: MimeBundle = {};
  for (const [mime, payload] of Object.entries(data)) {
    encoded[mime] = payload instanceof Uint8Array ? Buffer.from(payload).toString('base64') : payload;
  }
  const writer = kernelWriter();
  if (writer === null) {
    const text = encoded['text/plain'];
    if ((options.fallback ?? 'text') === 'text' && typeof text === 'string') console.log(text);
    return false;
  }
  const message: DisplayMessage = {
    data: encoded,
    metadata: options.metadata ?? {},
    transient: options.displayId !== undefined ? { display_id: options.displayId } : {},
  };
  writer(message, options.update === true);
  return true;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return `${typeof x} ${String(x)}`;
  return Object.keys(x).length === 0 ? 'an empty object' : 'an object';
}
