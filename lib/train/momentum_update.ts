import * as tf from '@tensorflow/tfjs';
import { Model } from '../models';

/**
 * MoCo's key-encoder update, in place: theta_k <- m * theta_k + (1 - m) * theta_q for every
 * variable (weights and batch-norm running statistics). m = 0 copies the query model; m = 1
 * freezes the key model.
 * @param key the key model (changed)
 * @param query the query model (read)
 * @param m momentum in [0, 1]
 * @example clab.train.momentumUpdate(keyEncoder, encoder, 0.99);
 */
export function momentumUpdate(key: Model, query: Model, m: number): void {
  if (!(m >= 0 && m <= 1)) throw new Error(`momentumUpdate: m must be in [0, 1], got ${m}`);
  if (key.kind !== query.kind || key.variables.size !== query.variables.size) {
    throw new Error(`momentumUpdate: key (${key.kind}, ${key.variables.size} variables) and query (${query.kind}, ${query.variables.size}) differ; make the key with cloneModel(query)`);
  }
  tf.tidy(() => {
    for (const [name, k] of key.variables) {
      const q = query.variables.get(name);
      if (q === undefined || q.shape.join() !== k.shape.join()) {
        throw new Error(`momentumUpdate: variable ${name} is missing or has another shape in the query model`);
      }
      k.assign(tf.add(tf.mul(k, m), tf.mul(q, 1 - m)));
    }
  });
}
