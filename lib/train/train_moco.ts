import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../data';
import { mocoInfoNCE } from '../losses';
import { cloneModel, Model } from '../models';
import { checkNumber, checkTensor, l2Normalize } from '../tensor';
import { runTrainer, setUpTrainer } from './training_loop';
import { CommonTrainConfig, LENGTH_DEFAULTS, NETWORK_DEFAULTS, RUN_DEFAULTS, TrainerDefaults, TrainResult } from './train_config';

// MoCo in one file: its settings, the queue of keys, the key encoder's momentum update, and the
// trainer's step.

/**
 * Settings of {@link trainMoCo}. Pass only what you change; `data` is required. The shared fields
 * are documented in {@link CommonTrainConfig} (`encoder` is the query encoder f_q; the key
 * encoder is a copy); the defaults are {@link MOCO_DEFAULTS}.
 */
export interface MoCoConfig extends CommonTrainConfig {
  /** Queue size K: negatives per query, independent of the batch size (K >= batchSize). */
  queueSize: number;
  /** Key-encoder momentum m in [0, 1]; 0 copies the query encoder each step (fails), 1 freezes it. */
  momentum: number;
}

/** The defaults of {@link MoCoConfig} (without `data`). */
export const MOCO_DEFAULTS: TrainerDefaults<MoCoConfig> = {
  ...NETWORK_DEFAULTS,
  queueSize: 4096, // ImageNet MoCo: 65536
  momentum: 0.99, // ImageNet MoCo: 0.999
  temperature: 0.2, // MoCo v2's value (MoCo v1: 0.07), and SimCLR's validated one here: not tuned for MoCo apart
  ...LENGTH_DEFAULTS,
  ...RUN_DEFAULTS,
};

/**
 * MoCo's dictionary: a FIFO queue of the last K keys (rows L2-normalised). Starts with K random
 * unit vectors (as in MoCo); `enqueue` drops the oldest B rows and appends the B new keys last.
 * The queue holds constants: no gradient flows into it (which is why the key encoder is not
 * trained by gradient but follows the query encoder by momentum).
 * @example
 * const queue = new clab.train.MoCoQueue(4096, 128, 0);
 * queue.enqueue(k); // k [B, 128], normalised, after the loss was computed
 * queue.dispose();
 */
export class MoCoQueue {
  private current: tf.Tensor2D;

  /**
   * @param size K, the number of keys kept (>= 1)
   * @param dim width of a key
   * @param seed seed of the random initial keys (any integer)
   */
  constructor(readonly size: number, readonly dim: number, seed = 0) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`MoCoQueue: size K must be an integer >= 1, got ${size}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`MoCoQueue: dim must be an integer >= 1, got ${dim}`);
    this.current = tf.tidy(() => l2Normalize(tf.randomNormal([size, dim], 0, 1, 'float32', (seed >>> 0) + 1) as tf.Tensor2D));
  }

  /** The keys [K, dim], oldest first. Owned by the queue: do not dispose; it is replaced on enqueue. */
  get keys(): tf.Tensor2D {
    return this.current;
  }

  /**
   * Appends `keys` (newest last) and drops the oldest B rows, keeping K rows.
   * @param keys [B, dim] with B <= K; copied, so the caller may dispose it
   */
  enqueue(keys: tf.Tensor2D): void {
    checkTensor('MoCoQueue.enqueue', 'keys', keys, `[B, ${this.dim}]`);
    if (keys.shape[1] !== this.dim) throw new Error(`MoCoQueue.enqueue: keys must be [B, ${this.dim}], got [${keys.shape.join(',')}] (the queue holds keys of width ${this.dim})`);
    const b = keys.shape[0];
    if (b > this.size) throw new Error(`MoCoQueue.enqueue: batch ${b} is larger than the queue size K = ${this.size}; use K >= batch`);
    const next = tf.tidy(() => tf.concat([tf.slice(this.current, [b, 0], [this.size - b, this.dim]), keys], 0) as tf.Tensor2D); // [K, dim]
    this.current.dispose();
    this.current = next;
  }

  /** Frees the queue's tensor. */
  dispose(): void {
    this.current.dispose();
  }
}

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

/** What {@link trainMoCo} returns: a {@link TrainResult} plus the key models and the queue. */
export interface MoCoResult extends TrainResult {
  keyEncoder: Model;
  keyHead: Model;
  queue: MoCoQueue;
}

/**
 * Trains MoCo (v2-style, with an MLP head): per batch, queries q = g_q(f_q(view 1)) and keys
 * k = g_k(f_k(view 2)), both L2-normalised; the loss (lib/losses mocoInfoNCE) contrasts each q with
 * its own key against the K queued keys; one Adam step on f_q, g_q; then the key models follow
 * by momentum and the batch's keys are enqueued (after the loss, so a query never meets its own
 * key among the negatives).
 *
 * WARNING: one device, so no shuffle-BN. MoCo shuffles the key batch across GPUs so that batch
 * norm statistics cannot tell the model which key is the positive. Here the key encoder runs in
 * evaluation mode (running statistics, themselves momentum copies of the query's), so a key
 * does not depend on the other samples in its batch and there is nothing to leak.
 * @param config overrides of {@link MOCO_DEFAULTS}; `data` is required
 * @returns the trained query encoder/head, the key models, the queue, losses, logs
 * @example
 * const run = await clab.train.trainMoCo({ data: train, queueSize: 2048, momentum: 0.99 });
 * run.keyEncoder.dispose(); run.keyHead.dispose(); run.queue.dispose();
 */
export async function trainMoCo(config: Partial<MoCoConfig> & { data: ImageSet }): Promise<MoCoResult> {
  const c = { ...MOCO_DEFAULTS, augment: undefined, ...config } as MoCoConfig;
  checkNumber('trainMoCo', 'momentum', c.momentum, { min: 0, max: 1 });
  if (!Number.isInteger(c.queueSize) || c.queueSize < c.batchSize) {
    throw new Error(`trainMoCo: queueSize must be an integer >= batchSize (${c.batchSize}), got ${c.queueSize}`);
  }
  const parts = setUpTrainer('trainMoCo', c, config);
  const { encoder, head, optimizer, vars } = parts;
  const keyEncoder = cloneModel(encoder);
  const keyHead = cloneModel(head);
  const queue = new MoCoQueue(c.queueSize, head.outDim, c.seed + 7);
  const step = (xq: tf.Tensor4D, xk: tf.Tensor4D): number => {
    // Keys: no gradient (computed outside minimize), evaluation-mode BN (see WARNING).
    const k = tf.tidy(() => l2Normalize(keyHead.apply(keyEncoder.apply(xk)))); // [B, dim]
    try {
      const loss = optimizer.minimize(
        () => {
          const q = l2Normalize(head.apply(encoder.apply(xq, { training: true }), { training: true })); // [B, dim]
          return mocoInfoNCE(q, k, queue.keys, { temperature: c.temperature });
        },
        true,
        vars,
      )!;
      const value = loss.dataSync()[0];
      loss.dispose();
      momentumUpdateModel(keyEncoder, encoder, c.momentum);
      momentumUpdateModel(keyHead, head, c.momentum);
      queue.enqueue(k);
      return value;
    } finally {
      k.dispose();
    }
  };
  const result = await runTrainer(parts, step, [keyEncoder, keyHead, queue]);
  return { encoder, head, keyEncoder, keyHead, queue, ...result };
}
