// The argument checks the chart builders share (internal to lib/plot, not re-exported).

/**
 * Copies `values` into a plain number array, checking every entry is a finite number.
 * @param fn the public function's name, for the message
 * @param what the argument's name, e.g. `series[1].y`
 */
export function finiteNumbers(fn: string, what: string, values: ArrayLike<number> | undefined): number[] {
  if (values === undefined || values === null || typeof values.length !== 'number') {
    throw new Error(`${fn}: ${what} must be an array of numbers, got ${String(values)}`);
  }
  const out = Array.from(values, Number);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new Error(`${fn}: ${what}[${bad}] must be a finite number, got ${String(values[bad])}`);
  }
  return out;
}

/** Throws unless every value is > 0 (log axes). */
export function checkLogAxisValues(fn: string, what: string, values: number[]): void {
  const bad = values.findIndex((v) => v <= 0);
  if (bad >= 0) {
    throw new Error(`${fn}: ${what}[${bad}] is ${values[bad]}, but a log axis needs values > 0 (turn the log option off or drop it)`);
  }
}
