import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../data';
import { ntXent } from '../losses';
import { runTrainer, setUpTrainer } from './trainer';
import { CommonTrainConfig, TrainResult } from './types';

/**
 * Settings of {@link trainSimCLR}. Pass only what you change; `data` is required. Every field is
 * documented in {@link CommonTrainConfig}; the defaults are {@link SIMCLR_DEFAULTS}.
 */
export interface SimCLRConfig extends CommonTrainConfig {
  /** NT-Xent temperature tau. */
  temperature: number; // default 0.2
}

/** The defaults of {@link SimCLRConfig} (without `data`). */
export const SIMCLR_DEFAULTS: Omit<SimCLRConfig, 'data' | 'augment'> & { augment: 'compose()' } = {
  encoder: 'mlp', // 784 -> 1024 -> 512 with batch norm; 'cnn' for the small CNN
  encoderConfig: {},
  head: {}, // 512 -> 512 -> 128 with batch norm
  epochs: 1, // passes over the data, unless `steps` is given
  steps: null, // optimisation steps (epochs follow); null: `epochs` decides
  batchSize: 256, // 2N = 512 views per step, 2N - 1 = 511 candidates per anchor
  temperature: 0.2, // chosen on a validation split (0.1: -0.6, 0.3: +0.2 points, 100-label probe)
  lr: 4e-3, // peak Adam rate; 2e-3: -1.1 points on the validation split
  lrSchedule: 'constant',
  augment: 'compose()', // lib/augment's DEFAULT_AUGMENT_STEPS: crop, affine, elastic, noise
  seed: 0,
  timeBudgetSec: Infinity,
  workers: 1, // a data worker thread makes the views ahead of the step; 0 (or CLAB_WORKERS=0): this thread
  progress: true,
}

/**
 * Trains SimCLR: two augmented views of each image, one forward pass of the 2N views through
 * f then g, the NT-Xent loss (lib/losses) on z = g(f(x)), one Adam step per batch.
 * @param config overrides of {@link SIMCLR_DEFAULTS}; `data` is required
 * @returns the trained encoder and head, per-step losses, per-epoch logs, images/s
 * @example
 * const train = clab.data.loadMnist({ limit: 10000 });
 * const run = await clab.train.trainSimCLR({ data: train, steps: 400 });
 * console.log(run.losses.at(-1), run.imagesPerSec);
 * WARNING: batch-norm statistics are computed over both views together (2N rows), as in SimCLR
 * on one device. Dispose `run.encoder` and `run.head` when done.
 */
export async function trainSimCLR(config: Partial<SimCLRConfig> & { data: ImageSet }): Promise<TrainResult> {
  const c = { ...SIMCLR_DEFAULTS, augment: undefined, ...config } as SimCLRConfig;
  const parts = setUpTrainer('trainSimCLR', c, config);
  const { encoder, head, optimizer, vars } = parts;
  const step = (v1: tf.Tensor4D, v2: tf.Tensor4D): number => {
    const views = tf.concat([v1, v2]); // [2N, 28, 28, 1]
    try {
      const loss = optimizer.minimize(
        () => {
          const z = head.apply(encoder.apply(views, { training: true }), { training: true }); // [2N, out]
          const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
          return ntXent(z1, z2, { temperature: c.temperature });
        },
        true,
        vars,
      )!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    } finally {
      views.dispose();
    }
  };
  const result = await runTrainer(parts, step);
  return { encoder, head, ...result };
}
