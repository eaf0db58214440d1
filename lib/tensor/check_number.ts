/** What {@link checkNumber} accepts; every bound is optional. */
export interface NumberSpec {
  /** Require an integer. */
  integer?: boolean;
  /** Smallest value allowed (inclusive). */
  min?: number;
  /** Values must be greater than this (exclusive). */
  above?: number;
  /** Largest value allowed (inclusive). */
  max?: number;
  /** Values must be less than this (exclusive). */
  below?: number;
  /** Accept Infinity (a "no limit" setting such as a time budget); default false. */
  infinite?: boolean;
  /** Extra words after the range, e.g. '(the train size)'. */
  note?: string;
}

/**
 * Checks a number argument against a range and throws naming the function, the argument, the
 * range and the value: `knnAccuracy: k must be an integer in [1, 60] (the train size), got 300`.
 * NaN, non-numbers and (unless `infinite`) infinities always fail.
 * @returns the value, typed as a number
 * @example const k = checkNumber('knnAccuracy', 'k', options.k ?? 200, { integer: true, min: 1, max: n });
 */
export function checkNumber(fn: string, name: string, value: unknown, spec: NumberSpec = {}): number {
  const v = value as number;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(v) &&
    (Number.isFinite(v) || (spec.infinite === true && v === Infinity)) &&
    (spec.integer !== true || Number.isInteger(v) || v === Infinity) &&
    (spec.min === undefined || v >= spec.min) &&
    (spec.above === undefined || v > spec.above) &&
    (spec.max === undefined || v <= spec.max) &&
    (spec.below === undefined || v < spec.below);
  if (!ok) {
    const bounded = (spec.min ?? spec.above) !== undefined && (spec.max ?? spec.below) !== undefined;
    // "in (-1, 1)" already says finite; "> 0" alone does not.
    const what = spec.integer ? 'an integer' : bounded ? '' : 'a finite number';
    const range = describeRange(spec);
    const must = `${what}${what && range ? ' ' : ''}${range}` || 'a finite number';
    throw new Error(`${fn}: ${name} must be ${must}${spec.infinite ? ' (or Infinity)' : ''}${spec.note ? ` ${spec.note}` : ''}, got ${format(value)}`);
  }
  return v;
}

/** Checks `value` is a finite number > 0 (a temperature, a learning rate). */
export function checkPositive(fn: string, name: string, value: unknown): asserts value is number {
  checkNumber(fn, name, value, { above: 0 });
}

/** Checks `value` is a finite number >= 0 (a margin, a weight decay). */
export function checkNonNegative(fn: string, name: string, value: unknown): asserts value is number {
  checkNumber(fn, name, value, { min: 0 });
}

function describeRange(s: NumberSpec): string {
  const low = s.min ?? s.above;
  const high = s.max ?? s.below;
  if (low !== undefined && high !== undefined) {
    return `in ${s.min !== undefined ? '[' : '('}${low}, ${high}${s.max !== undefined ? ']' : ')'}`;
  }
  if (low !== undefined) return `${s.min !== undefined ? '>=' : '>'} ${low}`;
  if (high !== undefined) return `${s.max !== undefined ? '<=' : '<'} ${high}`;
  return '';
}

function format(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : value === undefined ? 'undefined' : `a ${typeof value}`;
}
