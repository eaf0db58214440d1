// The memory the kernel's two threads share about interrupts: an Int32Array over a
// SharedArrayBuffer, read and written with Atomics. The IO thread marks the running cell
// interrupted the moment interrupt_request arrives, and the main thread's compiled loop checks
// see it even while the main thread computes.

/** The number of the cell the user interrupted (each run gets the next number). */
export const INTERRUPTED = 0;
/** The number of the cell that runs now; 0 between cells. */
export const RUNNING = 1;
/** SIGINTs the IO thread sent and the main thread has not seen yet (a SIGINT that is not one came from outside). */
export const OWN_SIGNALS = 2;

/** A fresh shared buffer with every slot 0. */
export function sharedFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
}
