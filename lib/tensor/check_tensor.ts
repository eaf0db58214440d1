import * as tf from '@tensorflow/tfjs';

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
