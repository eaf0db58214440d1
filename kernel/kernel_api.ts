// What code running in the kernel can ask of it, found under a global symbol (the library finds
// it there; it does not import the kernel): show a value or mime bundle as an output, update or
// clear an output, and check whether the user interrupted the cell.

/** The global the kernel's API lives under while the kernel runs. */
export const KERNEL_API = Symbol.for('Jupyter.kernel');

/** Options of {@link KernelApi.display}. */
export interface DisplayOptions {
  /** Names the output, so that a later display with `update: true` replaces it in place. */
  displayId?: string;
  /** Replace the output named `displayId` (update_display_data) instead of adding one. */
  update?: boolean;
  /** `value` is a mime bundle already (mime type -> data), not a value to show. */
  raw?: boolean;
  /** Per-mime-type metadata, e.g. {'image/png': {width: 200}}. */
  metadata?: Record<string, unknown>;
}

/** The kernel's API, at `globalThis[Symbol.for('Jupyter.kernel')]`. */
export interface KernelApi {
  /** The version of this interface. */
  readonly protocol: 1;
  /**
   * Shows `value` as an output of the running cell (display_data), as a cell's last value would
   * show (its `[Symbol.for('Jupyter.display')]()` bundle, a tensor, a vega-lite spec, text).
   * Returns a promise only when the value's display method does.
   */
  display(value: unknown, options?: DisplayOptions): void | Promise<void>;
  /** Clears the running cell's outputs (with `wait`, when the next output arrives). */
  clearOutput(options?: { wait?: boolean }): void;
  /** Throws {@link Interrupted} when the user interrupted the running cell; long loops call it. */
  checkInterrupt(): void;
}

/** What an interrupted cell throws. */
export class Interrupted extends Error {
  constructor() {
    super('the cell was interrupted (Kernel > Interrupt); variables defined before it keep their values');
    this.name = 'Interrupted';
  }
}
