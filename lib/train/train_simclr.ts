import * as tf from '@tensorflow/tfjs';
import { ImageSet } from '../data';
import { ntXent } from '../losses';
import { Model, ProjectionHeadConfig } from '../models';
import { defaultAugment } from './default_augment';
import { makeEncoderAndHead } from './make_encoder';
import { checkLoopSettings, runLoop } from './run_loop';
import { AugmentFn, Callback, EpochInfo, StepInfo, TrainResult } from './types';

/** Settings of {@link trainSimCLR}. Pass only what you change; `data` is required. */
export interface SimCLRConfig {
  /** Training images (labels are not used). */
  data: ImageSet; // required
  /** The encoder f: 'mlp', 'cnn', or an existing Model to continue training. */
  encoder: 'mlp' | 'cnn' | Model; // default 'mlp' (784 -> 1024 -> 512)
  /** Overrides for the encoder builder (mlpEncoder / cnnEncoder), e.g. {hidden: [512, 256]}. */
  encoderConfig: Record<string, unknown>; // default {}
  /** Overrides for the projection head g (inputDim is set to the encoder's outDim). */
  head: ProjectionHeadConfig; // default {} = 512 -> 128 with BN
  /** Passes over the data. */
  epochs: number; // default 1
  /** Images per batch N; each gives 2 views, so the loss sees 2N - 1 candidates per anchor. */
  batchSize: number; // default 256
  /** NT-Xent temperature tau. */
  temperature: number; // default 0.5
  /** Adam learning rate. */
  lr: number; // default 1e-3
  /** Makes one view; null = no augmentation (benchmarks only: the task becomes trivial). */
  augment: AugmentFn | null; // default defaultAugment() = lib/augment crop, affine, noise
  /** Seed of the weights, shuffles and augmentations. */
  seed: number; // default 0
  /** Stop after this many steps. */
  maxSteps: number; // default Infinity
  /** Stop after this many seconds (checked between steps). */
  timeBudgetSec: number; // default Infinity
  /** Live progress: one updating output in a notebook, a bar on stderr in a terminal. */
  progress: boolean; // default true
  /** Called after every step; return false to stop. */
  onStep?: Callback<StepInfo>;
  /** Called after every epoch; return false to stop. */
  onEpoch?: Callback<EpochInfo>;
}

/** The defaults of {@link SimCLRConfig} (without `data`). */
export const SIMCLR_DEFAULTS: Omit<SimCLRConfig, 'data' | 'augment'> & { augment: 'defaultAugment()' } = {
  encoder: 'mlp',
  encoderConfig: {},
  head: {},
  epochs: 1,
  batchSize: 256,
  temperature: 0.5,
  lr: 1e-3,
  augment: 'defaultAugment()',
  seed: 0,
  maxSteps: Infinity,
  timeBudgetSec: Infinity,
  progress: true,
};

/**
 * Trains SimCLR: two augmented views of each image, one forward pass of the 2N views through
 * f then g, the NT-Xent loss (lib/losses) on z = g(f(x)), one Adam step per batch.
 * @param config overrides of {@link SIMCLR_DEFAULTS}; `data` is required
 * @returns the trained encoder and head, per-step losses, per-epoch logs, images/s
 * @example
 * const train = clab.data.loadMnist({ limit: 10000 });
 * const run = await clab.train.trainSimCLR({ data: train, epochs: 2 });
 * console.log(run.losses.at(-1), run.imagesPerSec);
 * WARNING: batch-norm statistics are computed over both views together (2N rows), as in SimCLR
 * on one device. Dispose `run.encoder` and `run.head` when done.
 */
export async function trainSimCLR(config: Partial<SimCLRConfig> & { data: ImageSet }): Promise<TrainResult> {
  const c = { ...SIMCLR_DEFAULTS, augment: undefined, ...config } as SimCLRConfig & { augment: AugmentFn | null | undefined };
  if (!(c.temperature > 0)) throw new Error(`trainSimCLR: temperature must be > 0, got ${c.temperature}`);
  if (!(c.lr > 0)) throw new Error(`trainSimCLR: lr must be > 0, got ${c.lr}`);
  const loop = { ...c, label: 'trainSimCLR' };
  checkLoopSettings(loop);
  const augment: AugmentFn | null = c.augment === undefined ? defaultAugment() : c.augment;
  const { encoder, head } = makeEncoderAndHead('trainSimCLR', c.encoder, c.encoderConfig, c.head, c.seed);
  const vars = [...encoder.trainable, ...head.trainable];
  const optimizer = tf.train.adam(c.lr);
  const step = (x: tf.Tensor4D, stepSeed: number): number => {
    const views = tf.tidy(() => (augment === null ? tf.concat([x, x]) : tf.concat([augment(x, stepSeed), augment(x, stepSeed + 1)]))); // [2N, 28, 28, 1]
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
  try {
    const result = await runLoop(loop, step);
    return { encoder, head, ...result };
  } catch (e) {
    if (typeof c.encoder === 'string') encoder.dispose();
    head.dispose();
    throw e;
  } finally {
    optimizer.dispose();
  }
}
