import * as tf from '@tensorflow/tfjs';

// The argument checks every public function starts with: each throws an Error that names the
// function, the argument, what was expected and the value that came.

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

/** What {@link checkTensor} expects of a tensor argument. */
export interface TensorSpec {
  /**
   * The layout, e.g. `'[N, D]'`: the number of entries is the rank. Omit it to accept any rank
   * of at least `minRank`.
   */
  layout?: string;
  /** With no layout: the smallest rank accepted (default 0). */
  minRank?: number;
  /** The smallest size of axis 0 (default 1; every other axis must be >= 1 too). */
  minRows?: number;
  /** Require float32 (default true): the losses and metrics compute in float32. */
  float32?: boolean;
  /** The fix to suggest after a wrong type or rank, e.g. `'reshape MNIST rows with x.reshape([-1, 28, 28, 1])'`. */
  hint?: string;
}

/** How a bad value reads in a message: its shape if it is a tensor, else its type. */
function describeValue(x: unknown): string {
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape.join(',')}]`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length} (wrap it with tf.tensor)`;
  return typeof x === 'number' ? `the number ${x}` : `a ${typeof x}`;
}

/**
 * Checks a tensor argument at the top of a public function and throws an error naming the
 * function, the argument, what was expected and what came, e.g.
 * `ntXent: z1 must have rank 2 [N, D], got rank 3 [4,3,1]`.
 * @param fn the public function's name
 * @param name the argument's name
 * @param x the value passed
 * @param spec a layout such as `'[N, D]'`, or a {@link TensorSpec}
 * @example checkTensor('alignment', 'z1', z1, '[n, dim]');
 */
export function checkTensor(fn: string, name: string, x: unknown, spec: string | TensorSpec): asserts x is tf.Tensor {
  const s: TensorSpec = typeof spec === 'string' ? { layout: spec } : spec;
  const hint = s.hint === undefined ? '' : `; ${s.hint}`;
  if (!(x instanceof tf.Tensor)) {
    const want = s.layout === undefined ? `of rank >= ${s.minRank ?? 0}` : `of shape ${s.layout}`;
    throw new Error(`${fn}: ${name} must be a tf.Tensor ${want}, got ${describeValue(x)}${hint}`);
  }
  const shape = `[${x.shape.join(',')}]`;
  if (s.layout !== undefined) {
    const rank = s.layout.replace(/^\[|\]$/g, '').split(',').length;
    if (x.rank !== rank) throw new Error(`${fn}: ${name} must have rank ${rank} ${s.layout}, got rank ${x.rank} ${shape}${hint}`);
  } else if (x.rank < (s.minRank ?? 0)) {
    throw new Error(`${fn}: ${name} must have rank >= ${s.minRank}, got rank ${x.rank} ${shape}${hint}`);
  }
  if (x.shape.some((d: number) => d === 0)) {
    throw new Error(`${fn}: ${name} must not be empty (every axis >= 1), got shape ${shape}`);
  }
  const minRows = s.minRows ?? 1;
  if (x.rank >= 1 && x.shape[0] < minRows) {
    throw new Error(`${fn}: ${name} must have at least ${minRows} rows${s.layout === undefined ? '' : ` ${s.layout}`}, got shape ${shape}`);
  }
  if ((s.float32 ?? true) && x.dtype !== 'float32') {
    throw new Error(`${fn}: ${name} must be float32, got ${x.dtype}; convert with tf.cast(${name}, 'float32')`);
  }
}

const show = (t: tf.Tensor): string => `[${t.shape.join(',')}]`;

/**
 * Checks that two tensor arguments have exactly the same shape; the error names both
 * arguments and both shapes: `ntXent: z1 and z2 must have the same shape, got [32,128] and [32,64]`.
 * @example checkSameShape('alignment', 'z1', z1, 'z2', z2);
 */
export function checkSameShape(fn: string, nameA: string, a: tf.Tensor, nameB: string, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((s: number, i: number) => s !== b.shape[i])) {
    throw new Error(`${fn}: ${nameA} and ${nameB} must have the same shape, got ${show(a)} and ${show(b)}`);
  }
}

/**
 * Checks that two tensor arguments have the same size on their last axis (the feature width),
 * e.g. `knnAccuracy: trainX and testX must have the same width (last axis), got [60,512] and [10,256]`.
 * @example checkSameWidth('cosineSimilarityMatrix', 'a', a, 'b', b);
 */
export function checkSameWidth(fn: string, nameA: string, a: tf.Tensor, nameB: string, b: tf.Tensor): void {
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 1]) {
    throw new Error(`${fn}: ${nameA} and ${nameB} must have the same width (last axis), got ${show(a)} and ${show(b)}`);
  }
}
