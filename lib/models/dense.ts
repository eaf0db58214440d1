import * as tf from '@tensorflow/tfjs';

/**
 * x @ w with a gradient that uses only untransposed matrix products.
 *
 * Why: the WASM backend's matMul is fast (XNNPACK) only when neither operand is transposed;
 * with transposeA or transposeB it falls back to a naive loop ~10-30x slower, and the default
 * matMul gradient uses exactly those (dy @ w^T, x^T @ dy). Transposing explicitly first is cheap.
 * A `tf.Variable` w is read as it is in the backward pass (variables outlive it); anything else
 * is saved (tfjs copies saved tensors: the forward pass's tensors are freed before the backward).
 * @param x [batch, in]
 * @param w [in, out]
 * @returns [batch, out]
 */
export function denseMatMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const isVariable = w instanceof tf.Variable;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, wIn, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save(isVariable ? [xIn] : [xIn, wIn]);
    return {
      value: tf.matMul(xIn, wIn), // [batch, out]
      gradFunc: (g: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xs, ws] = [saved[0] as tf.Tensor2D, (isVariable ? w : saved[1]) as tf.Tensor2D];
        return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)]; // [batch, in], [in, out]
      },
    };
  }) as never) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
  return op(x, w);
}

/**
 * x @ w where x is data (the network's input images), not something trained: the gradient is
 * dW = x^T dy only. {@link denseMatMul} also computes dy @ w^T for x, which for the first layer
 * of the MLP encoder (784 -> 1024) is a fifth of a SimCLR step's arithmetic thrown away.
 * x is not an input of the recorded op, so asking for a gradient with respect to x fails loudly
 * in tf.grad ("Cannot compute gradient ... with respect to x") instead of returning zeros.
 * @param x [batch, in], constant for the gradient
 * @param w [in, out]
 * @returns [batch, out]
 */
export function inputMatMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wIn] = args as [tf.Tensor2D];
    return {
      value: tf.matMul(x, wIn), // [batch, out]
      gradFunc: (g: tf.Tensor2D) => [tf.matMul(tf.transpose(x), g)], // [in, out]
    };
  }) as never) as (w: tf.Tensor2D) => tf.Tensor2D;
  return op(w);
}

/** He-normal initial weights (ReLU nets), seeded (any integer; tfjs treats seed 0 as "unseeded", so we shift). */
export function heNormal(shape: number[], fanIn: number, seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', (seed >>> 0) + 1);
}
