import * as tf from '@tensorflow/tfjs';
import { Model } from '../models';
import { checkNumber } from '../tensor';

/**
 * MoCo's key-encoder update, in place: theta_k <- m * theta_k + (1 - m) * theta_q for every
 * variable (weights and batch-norm running statistics). m = 0 copies the query model; m = 1
 * freezes the key model. (Exercise 5's `momentumUpdate(key, query, m)` is the same rule on
 * arrays of tensors, returning new tensors; this one updates two Models in place.)
 * @param key the key model (changed)
 * @param query the query model (read)
 * @param m momentum in [0, 1]
 * @example clab.train.momentumUpdateModel(keyEncoder, encoder, 0.99);
 */
export function momentumUpdateModel(key: Model, query: Model, m: number): void {
  checkNumber('momentumUpdateModel', 'm', m, { min: 0, max: 1 });
  if (key.kind !== query.kind || key.variables.size !== query.variables.size) {
    throw new Error(`momentumUpdateModel: key (${key.kind}, ${key.variables.size} variables) and query (${query.kind}, ${query.variables.size}) differ; make the key with cloneModel(query)`);
  }
  tf.tidy(() => {
    for (const [name, k] of key.variables) {
      const q = query.variables.get(name);
      if (q === undefined || q.shape.join() !== k.shape.join()) {
        throw new Error(`momentumUpdateModel: variable ${name} is missing or has another shape in the query model`);
      }
      k.assign(tf.add(tf.mul(k, m), tf.mul(q, 1 - m)));
    }
  });
}
