/**
 * The ONE place that talks to the notebook kernel.
 *
 * Outputs are objects that offer their mime bundle through `[Symbol.for('Jupyter.display')]()`
 * (the convention Deno's Jupyter kernel uses; the project's kernel shows a cell's last value the
 * same way). To show one while a cell runs, this file hands it to the kernel's API, which the
 * kernel puts at `globalThis[Symbol.for('Jupyter.kernel')]` (see kernel/kernel_api.ts; the library
 * does not import the kernel). Outside a kernel (mocha, plain node) the text/plain part is printed.
 */

/** A Jupyter mime bundle: mime type -> payload (string, base64 string for images, or JSON). */
export type MimeBundle = Record<string, unknown>;

/** The method an object offers its mime bundle by. */
export const JUPYTER_DISPLAY = Symbol.for('Jupyter.display');
/** Where the kernel puts its API while it runs. */
export const JUPYTER_KERNEL = Symbol.for('Jupyter.kernel');

/** An object the kernel can show: its `[Symbol.for('Jupyter.display')]()` returns its bundle. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle>;
}

/** One display message as Jupyter's `display_data` / `update_display_data` content. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** Where display messages go in tests: `update` is true for `update_display_data` (replace in place). */
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

/** What the library uses of the kernel's API (kernel/kernel_api.ts has the whole of it). */
interface KernelApi {
  display(value: unknown, options?: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }): void | Promise<void>;
  clearOutput(options?: { wait?: boolean }): void;
  checkInterrupt(): void;
}

let testSink: DisplaySink | null = null;

/**
 * Replaces the kernel by `sink` (tests), or restores the real lookup with `null`.
 * While a sink is set, {@link inKernel} is true and every bundle goes to it.
 * @example setDisplaySink((m) => seen.push(m)); ...; setDisplaySink(null);
 */
export function setDisplaySink(sink: DisplaySink | null): void {
  testSink = sink;
}

function kernelApi(): KernelApi | null {
  const api = (globalThis as Record<symbol, unknown>)[JUPYTER_KERNEL] as Partial<KernelApi> | undefined;
  return api !== undefined && typeof api.display === 'function' ? (api as KernelApi) : null;
}

/**
 * True when running inside the notebook kernel, which shows rich output (or a test sink is set).
 * @example if (!inKernel()) console.log('plain text only');
 */
export function inKernel(): boolean {
  return testSink !== null || kernelApi() !== null;
}

/**
 * An object that shows as `bundle`: a cell ending with it shows the bundle, and the kernel's
 * display sends it.
 * @example displayable({'text/html': '<b>hi</b>', 'text/plain': 'hi'}) // as a cell's last line: bold "hi"
 */
export function displayable(bundle: MimeBundle): Displayable {
  return { [JUPYTER_DISPLAY]: () => bundle };
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
  const metadata = options.metadata ?? {};
  if (testSink !== null) {
    testSink({ data: encoded, metadata, transient: options.displayId !== undefined ? { display_id: options.displayId } : {} }, options.update === true);
    return true;
  }
  const kernel = kernelApi();
  if (kernel === null) {
    const text = encoded['text/plain'];
    if ((options.fallback ?? 'text') === 'text' && typeof text === 'string') console.log(text);
    return false;
  }
  void kernel.display(displayable(encoded), { displayId: options.displayId, update: options.update === true, metadata });
  return true;
}

/**
 * Clears the running cell's outputs (with `wait`, when the next output arrives: no flicker).
 * Outside a kernel it does nothing.
 * @example clab.display.clearOutput({wait: true}); clab.display.table(latest);
 */
export function clearOutput(options: { wait?: boolean } = {}): void {
  kernelApi()?.clearOutput(options);
}

/**
 * Throws the kernel's `Interrupted` error when the user interrupted the running cell (Kernel >
 * Interrupt); does nothing outside a kernel. Long loops call it once per step: the progress
 * display does, so every loop that reports progress stops at its next step.
 * @example for (const batch of batches) { clab.display.checkInterrupt(); step(batch); }
 */
export function checkInterrupt(): void {
  kernelApi()?.checkInterrupt();
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return `${typeof x} ${String(x)}`;
  return Object.keys(x).length === 0 ? 'an empty object' : 'an object';
}
