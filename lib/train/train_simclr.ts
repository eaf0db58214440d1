import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../data';
import { ntXent } from '../losses';
import { runTrainer, setUpTrainer } from './training_loop';
import { CommonTrainConfig, LENGTH_DEFAULTS, NETWORK_DEFAULTS, RUN_DEFAULTS, TrainerDefaults, TrainResult } from './train_config';

/**
 * Settings of {@link trainSimCLR}: the settings every trainer takes, documented in
 * {@link CommonTrainConfig}. Pass only what you change; `data` is required. The defaults are
 * {@link SIMCLR_DEFAULTS}.
 */
export type SimCLRConfig = CommonTrainConfig;

/** The defaults of {@link SimCLRConfig} (without `data`). */
export const SIMCLR_DEFAULTS: TrainerDefaults<SimCLRConfig> = {
  ...NETWORK_DEFAULTS,
  ...LENGTH_DEFAULTS,
  temperature: 0.2, // validated on MNIST (bench/accuracy-results.md): 0.1 scored 0.6 points less on the 100-label probe, 0.3 the same within noise
  ...RUN_DEFAULTS,
};

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
