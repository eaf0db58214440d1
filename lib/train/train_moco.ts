import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../data';
import { mocoInfoNCE } from '../losses';
import { cloneModel, Model } from '../models';
import { checkNumber, l2Normalize } from '../tensor';
import { momentumUpdateModel } from './momentum_update_model';
import { MoCoQueue } from './moco_queue';
import { runTrainer, setUpTrainer } from './trainer';
import { CommonTrainConfig, TrainResult } from './types';

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
  /** Temperature tau. */
  temperature: number;
}

/** The defaults of {@link MoCoConfig} (without `data`). */
export const MOCO_DEFAULTS: Omit<MoCoConfig, 'data' | 'augment'> & { augment: 'compose()' } = {
  encoder: 'mlp', // 784 -> 1024 -> 512 with batch norm; 'cnn' for the small CNN
  encoderConfig: {},
  head: {}, // MoCo v2's MLP head: 512 -> 512 -> 128 with batch norm
  queueSize: 4096, // ImageNet MoCo: 65536
  momentum: 0.99, // ImageNet MoCo: 0.999
  temperature: 0.2, // MoCo v2: 0.2 (MoCo v1: 0.07)
  epochs: 1, // passes over the data, unless `steps` is given
  steps: null, // optimisation steps (epochs follow); null: `epochs` decides
  batchSize: 256,
  lr: 4e-3, // as SimCLR's default here
  lrSchedule: 'constant',
  augment: 'compose()', // lib/augment's DEFAULT_AUGMENT_STEPS: crop, affine, elastic, noise
  seed: 0,
  timeBudgetSec: Infinity,
  workers: 1, // a data worker thread makes the views ahead of the step; 0 (or CLAB_WORKERS=0): this thread
  progress: true,
};

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
