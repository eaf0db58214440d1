import * as tf from '@tensorflow/tfjs';

/** What {@link Model.apply} takes besides the input. */
export interface ApplyOptions {
  /**
   * Training mode: batch-norm layers normalise with the batch's own statistics and update their
   * running averages. Evaluation mode (default) uses the running averages, so the output of one
   * sample does not depend on the rest of the batch.
   */
  training?: boolean;
}

/** The kinds of model `lib/models` builds (and {@link loadModel} can rebuild from a file). */
export type ModelKind = 'mlp' | 'cnn' | 'head';

/**
 * A small network held as plain `tf.Variable`s with its own forward function (no tf.layers):
 * easy to copy, to update by momentum (MoCo) and to save.
 *
 * WARNING: `apply` creates tensors; call it inside `tf.tidy` (or `optimizer.minimize`).
 */
export interface Model {
  /** Which builder made it; with `config` this is enough to rebuild it. */
  readonly kind: ModelKind;
  /** The builder's full config (defaults filled in); plain JSON. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Input shape without the batch axis, e.g. `[784]` or `[28, 28, 1]`. */
  readonly inputShape: readonly number[];
  /** Width of the output, `[batch, outDim]`. */
  readonly outDim: number;
  /** All variables by name, in a fixed order (trainable weights and batch-norm running stats). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** The variables the optimizer trains (no running statistics). */
  readonly trainable: readonly tf.Variable[];
  /** Forward pass: `x` [batch, ...inputShape] (a [batch, 28, 28, 1] image batch is flattened for an MLP) -> [batch, outDim]. */
  apply(x: tf.Tensor, options?: ApplyOptions): tf.Tensor2D;
  /** Number of trainable scalars. */
  countParams(): number;
  /** Frees all variables. */
  dispose(): void;
}
