import * as tf from '@tensorflow/tfjs';
import { denseMatMul, heNormal } from '../models/dense';

/** A plain ReLU MLP held as variables (helper of trainCriticStaircase). */
export interface CriticMlp {
  /** Weights [in, out] and biases [out], layer by layer. */
  layers: { w: tf.Variable; b: tf.Variable }[];
}

/** Builds a ReLU MLP with widths [in, ...hidden, out], He-normal weights, zero biases, seeded. */
export function makeCriticMlp(widths: number[], seed: number): CriticMlp {
  const layers = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const [fanIn, fanOut] = [widths[i], widths[i + 1]];
    // The last layer starts 10x smaller: near-zero initial scores give a loss near log N
    // instead of a large random one, so the estimate starts near 0 rather than far below it.
    const scale = i + 2 === widths.length ? 0.1 : 1;
    const w = tf.tidy(() => tf.variable(tf.mul(heNormal([fanIn, fanOut], fanIn, seed * 100 + i), scale), true));
    const b = tf.tidy(() => tf.variable(tf.zeros([fanOut]), true));
    layers.push({ w, b });
  }
  return { layers };
}

/**
 * Applies the MLP from layer `from` on: ReLU after every layer but the last.
 * @param h [batch, in]
 */
export function applyCriticMlp(mlp: CriticMlp, h: tf.Tensor2D, from = 0): tf.Tensor2D {
  const last = mlp.layers.length - 1;
  for (let i = from; i <= last; i++) {
    const { w, b } = mlp.layers[i];
    h = tf.add(denseMatMul(h, w as unknown as tf.Tensor2D), b) as tf.Tensor2D; // [batch, out]
    if (i < last) h = tf.relu(h);
  }
  return h;
}

/** Every variable of the MLP, for the optimizer and for disposal. */
export function criticMlpVariables(mlp: CriticMlp): tf.Variable[] {
  return mlp.layers.flatMap((l) => [l.w, l.b]);
}
