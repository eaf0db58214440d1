import * as tf from '@tensorflow/tfjs';
import type { AugmentFn } from '../augment';
import { ImageSet, toTensor } from '../data';
import { Model } from '../models';
import { checkNumber, checkPositive, checkSameShape, checkSameWidth, checkTensor, l2Normalize } from '../tensor';

// The geometry of a representation on the unit sphere: alignment and uniformity (Wang & Isola
// 2020), all pairwise cosine similarities, and a monitor that records the first two while an
// encoder trains.

/**
 * Alignment (Wang & Isola 2020): how close positive pairs are on the unit sphere,
 * E ||f(x) - f(x+)||^alpha over L2-normalised embeddings. Lower is better; 0 = identical pairs,
 * 4 = antipodal (alpha = 2).
 * @param z1 [n, dim] embeddings of first views (normalised here)
 * @param z2 [n, dim] embeddings of their positives
 * @param alpha exponent > 0 (default 2)
 * @returns scalar in [0, 2^alpha]
 * @example clab.evaluation.alignment(z1, z2).print();
 */
export function alignment(z1: tf.Tensor2D, z2: tf.Tensor2D, alpha = 2): tf.Scalar {
  const fn = 'alignment';
  checkTensor(fn, 'z1', z1, '[n, dim]');
  checkTensor(fn, 'z2', z2, '[n, dim]');
  checkSameShape(fn, 'z1', z1, 'z2', z2);
  checkPositive(fn, 'alpha', alpha);
  return tf.tidy(() => {
    const diff = tf.sub(l2Normalize(z1), l2Normalize(z2)); // [n, dim]
    // 1e-12 keeps the gradient of sqrt finite for identical pairs (distance 0); not a normalisation eps.
    const dist = tf.sqrt(tf.add(tf.sum(tf.square(diff), 1), 1e-12)); // [n]
    return tf.mean(tf.pow(dist, alpha)) as tf.Scalar;
  });
}

/**
 * Uniformity (Wang & Isola 2020): log E_{i<j} exp(-t ||z_i - z_j||^2) over L2-normalised
 * embeddings. Lower is better (more spread out); all points equal gives 0; the uniform
 * distribution on a high-dimensional sphere approaches -2t.
 * @param z [n, dim] embeddings (n >= 2; normalised here)
 * @param t scale > 0 (default 2)
 * @returns scalar <= 0
 * @example clab.evaluation.uniformity(z).print();
 * WARNING: cost and memory are n^2; use a few thousand points at most.
 */
export function uniformity(z: tf.Tensor2D, t = 2): tf.Scalar {
  checkTensor('uniformity', 'z', z, { layout: '[n, dim]', minRows: 2 });
  checkPositive('uniformity', 't', t);
  const n = z.shape[0];
  return tf.tidy(() => {
    const zn = l2Normalize(z);
    const gram = tf.matMul(zn, tf.transpose(zn)); // [n, n]
    const sq = tf.maximum(tf.sub(2, tf.mul(2, gram)), 0); // ||zi - zj||^2 for unit vectors
    // keep pairs i < j only: -Infinity would give NaN in the max-shift, so a large finite constant
    const upper = tf.sub(tf.linalg.bandPart(tf.ones([n, n]), 0, -1), tf.eye(n)); // 1 where j > i
    const logits = tf.sub(tf.mul(-t, sq), tf.mul(tf.sub(1, upper), 1e9));
    const pairs = (n * (n - 1)) / 2;
    return tf.sub(tf.logSumExp(tf.reshape(logits, [-1])), Math.log(pairs)) as tf.Scalar;
  });
}

/**
 * All pairwise cosine similarities between the rows of a and of b.
 * @param a [n, dim]
 * @param b [m, dim] (default a)
 * @returns [n, m] with entries in [-1, 1]
 * @example const s = clab.evaluation.cosineSimilarityMatrix(z); // [n, n], ones on the diagonal
 */
export function cosineSimilarityMatrix(a: tf.Tensor2D, b: tf.Tensor2D = a): tf.Tensor2D {
  const fn = 'cosineSimilarityMatrix';
  checkTensor(fn, 'a', a, '[n, dim]');
  checkTensor(fn, 'b', b, '[m, dim]');
  checkSameWidth(fn, 'a', a, 'b', b);
  return tf.tidy(() => tf.matMul(l2Normalize(a), tf.transpose(l2Normalize(b)))); // [n, m]
}

/** Options of {@link GeometryMonitor}. */
export interface GeometryMonitorOptions {
  /** The augmentation that makes the two views (the trainer's, e.g. clab.augment.compose()). */
  augment: AugmentFn;
  /** How many images of the set, from the first (default 512). */
  images?: number;
  /** Seeds of the two views (default [101, 102]). */
  seeds?: [number, number];
}

/**
 * Watches an encoder's representation while it trains: alignment and uniformity (Wang & Isola
 * 2020) of h = encoder(view) on a fixed batch of held-out images, two augmented views each. The
 * views are made once, so every recorded point measures the same inputs.
 * @example
 * const monitor = new clab.evaluation.GeometryMonitor(encoder, test, { augment: clab.augment.compose() });
 * monitor.record(0);
 * await clab.train.trainSimCLR({ data: train, encoder: encoder, onStep: (s) => { if (s.step % 5 === 0) monitor.record(s.step); } });
 * monitor.dispose(); // frees the views; the history stays
 */
export class GeometryMonitor {
  /** Steps at which {@link record} was called. */
  readonly step: number[] = [];
  /** Alignment E||h(x) - h(x+)||^2 of the normalised views, per record. Lower is better. */
  readonly alignment: number[] = [];
  /** Uniformity log E exp(-2 ||h(x) - h(y)||^2), per record. Lower is better. */
  readonly uniformity: number[] = [];
  private views: [tf.Tensor4D, tf.Tensor4D];

  /**
   * @param encoder the encoder being trained (read at each record, not copied)
   * @param set held-out images (labels unused)
   * @param options the augmentation, the number of images, the two views' seeds
   */
  constructor(private readonly encoder: Model, set: ImageSet, options: GeometryMonitorOptions) {
    const fn = 'GeometryMonitor';
    if (encoder === null || typeof encoder !== 'object' || typeof encoder.apply !== 'function') {
      throw new Error(`${fn}: encoder must be a Model from lib/models, got ${typeof encoder}`);
    }
    if (typeof options?.augment !== 'function') throw new Error(`${fn}: options.augment must be an AugmentFn (x, seed) => view, e.g. clab.augment.compose()`);
    const n = checkNumber(fn, 'images', options.images ?? 512, { integer: true, min: 2, max: set?.n ?? 0, note: '(the set size)' });
    const [s1, s2] = options.seeds ?? [101, 102];
    const { x, y } = toTensor(set, Array.from({ length: n }, (_, i) => i));
    try {
      this.views = tf.tidy(() => [options.augment(x, s1), options.augment(x, s2)]) as [tf.Tensor4D, tf.Tensor4D];
    } finally {
      tf.dispose([x, y]);
    }
  }

  /** Measures both properties now (evaluation mode) and appends them to the history. */
  record(step: number): void {
    if (this.views[0].isDisposed) throw new Error('GeometryMonitor.record: the monitor was disposed');
    const [a, u] = tf.tidy(() => {
      const h1 = this.encoder.apply(this.views[0]);
      const h2 = this.encoder.apply(this.views[1]);
      return [alignment(h1, h2).dataSync()[0], uniformity(h1).dataSync()[0]];
    });
    this.step.push(step);
    this.alignment.push(a);
    this.uniformity.push(u);
  }

  /** Frees the two views (the recorded history stays readable). */
  dispose(): void {
    tf.dispose(this.views);
  }
}
