import * as tf from '@tensorflow/tfjs';
import type { AugmentFn } from '../augment';
import { ImageSet, toTensor } from '../data';
import { Model } from '../models';
import { checkNumber } from '../tensor';
import { alignment } from './alignment';
import { uniformity } from './uniformity';

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
