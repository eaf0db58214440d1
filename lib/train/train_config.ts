import type { AugmentFn } from '../augment';
import { ImageSet } from '../data';
import { Model, ProjectionHeadConfig } from '../models';

// What a trainer takes and what it reports. Every setting is declared once, on CommonTrainConfig;
// the defaults the trainers share follow it, one commented line each, in three groups that
// SIMCLR_DEFAULTS and MOCO_DEFAULTS put together around their own settings.

/** The learning-rate schedules the trainers know. */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
/** A learning-rate schedule: see {@link learningRateAt}. */
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/**
 * The learning rate after a fraction of the run: 'constant' gives `lr`; 'cosine' gives
 * lr * (1 + cos(pi * fraction)) / 2, from lr at the start to 0 at the end (SGDR without restarts,
 * as SimCLR and MoCo v2 use).
 * @param schedule 'constant' | 'cosine'
 * @param lr the peak learning rate
 * @param fraction how much of the run is done, in [0, 1] (values outside are clamped)
 * @example learningRateAt('cosine', 1e-3, 0.5) // 5e-4
 */
export function learningRateAt(schedule: LrSchedule, lr: number, fraction: number): number {
  if (schedule === 'constant') return lr;
  if (schedule === 'cosine') {
    const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    return (lr * (1 + Math.cos(Math.PI * f))) / 2;
  }
  throw new Error(`learningRateAt: schedule must be one of ${LR_SCHEDULES.join(', ')}, got ${JSON.stringify(schedule)}`);
}

/** What `onStep` receives after every optimisation step. */
export interface StepInfo {
  /** Steps done so far (1-based). */
  step: number;
  /** Total steps this run will take (`steps`, or epochs x steps per epoch). */
  totalSteps: number;
  /** Epoch of this step (0-based). */
  epoch: number;
  /** The step's loss. */
  loss: number;
  /** Training images per second so far (each image counted once, not per view). */
  imagesPerSec: number;
  /** Seconds since training started. */
  elapsedSec: number;
}

/** What `onEpoch` receives at the end of each epoch (or when the run stops early). */
export interface EpochInfo {
  epoch: number;
  step: number;
  /** Mean loss over the epoch's steps. */
  meanLoss: number;
  imagesPerSec: number;
  elapsedSec: number;
}

/**
 * A callback; return `false` (or a promise of it) to stop training. Callbacks run between
 * steps, outside any tidy, so they may await (e.g. evaluate and plot).
 */
export type Callback<T> = (info: T) => void | boolean | Promise<void | boolean>;

/** What a trainer returns. The models are yours: dispose them when done. */
export interface TrainResult {
  /** The trained encoder f: its output is the representation to evaluate. */
  encoder: Model;
  /** The trained projection head g (used only by the loss). */
  head: Model;
  /** Loss per step, in order. */
  losses: number[];
  /** One entry per finished (or interrupted) epoch. */
  epochs: EpochInfo[];
  /** Steps taken. */
  steps: number;
  /** Wall-clock seconds of the training loop. */
  seconds: number;
  /** Images per second over the whole run. */
  imagesPerSec: number;
  /** Why training ended: all epochs, all `steps`, the time budget, or a callback returned false. */
  stoppedBy: 'epochs' | 'steps' | 'timeBudget' | 'callback';
}

/**
 * The settings both trainers take; MoCo adds its queue and momentum. Pass only what you change:
 * the defaults are SIMCLR_DEFAULTS and MOCO_DEFAULTS, built from the shared groups at the end of
 * this file plus each trainer's own lines.
 */
export interface CommonTrainConfig {
  /** Training images (labels are not used). */
  data: ImageSet;
  /** The encoder f: 'mlp', 'cnn', or an existing Model to continue training. */
  encoder: 'mlp' | 'cnn' | Model;
  /** Overrides for the encoder builder (mlpEncoder / cnnEncoder), e.g. {hidden: [512, 256]}. */
  encoderConfig: Record<string, unknown>;
  /** Overrides for the projection head g (inputDim is set to the encoder's outDim). */
  head: ProjectionHeadConfig;
  /** Passes over the data (when `steps` is null). */
  epochs: number;
  /**
   * Optimisation steps to take (one batch each); the data is reshuffled and passed over as often
   * as that needs: ceil(steps / floor(n / batchSize)) epochs, the last one cut short. null: `epochs`
   * decides. Give `steps` or `epochs`, not both.
   */
  steps: number | null;
  /** Images per batch. */
  batchSize: number;
  /**
   * Temperature tau of the loss (NT-Xent for SimCLR, MoCo's InfoNCE). Both trainers default to
   * 0.2, the value validated on MNIST; the loss functions keep their papers' values (ntXent 0.5,
   * SimCLR on CIFAR-10; mocoInfoNCE 0.07, MoCo v1 on ImageNet), which a reader of the papers
   * expects there. SIMCLR_DEFAULTS and MOCO_DEFAULTS say how each 0.2 was chosen.
   */
  temperature: number;
  /** Peak Adam learning rate. */
  lr: number;
  /** 'cosine' decays lr to 0 over the run (by steps, or by the time budget when that ends it first); 'constant' keeps it. */
  lrSchedule: LrSchedule;
  /**
   * Makes one view (lib/augment's AugmentFn: called inside tf.tidy, synchronous; the seed differs
   * per step and view); default `compose()`; null = no augmentation (benchmarks only: the task
   * becomes trivial).
   */
  augment: AugmentFn | null;
  /** Seed of the weights, shuffles and augmentations. */
  seed: number;
  /** Stop after this many seconds (checked between steps). */
  timeBudgetSec: number;
  /**
   * 1: a data worker thread makes each step's augmented views ahead of time, on the second core,
   * while this thread trains (the same numbers as 0, bit for bit); 0: this thread makes them (for
   * debugging). Default 1, or 0 when the environment sets `CLAB_WORKERS=0`. A worker needs an
   * augmentation made by `compose()` (or null); with your own function the views are made here.
   * If the worker cannot start or fails, training goes on here after a one-line notice.
   */
  workers: number;
  /** Live progress: one updating output in a notebook, a bar on stderr in a terminal. */
  progress: boolean;
  /** Called after every step; return false to stop. */
  onStep?: Callback<StepInfo>;
  /** Called after every epoch; return false to stop. */
  onEpoch?: Callback<EpochInfo>;
}

/** A trainer's defaults: its config without `data`, with the default augmentation named. */
export type TrainerDefaults<C extends CommonTrainConfig> = Omit<C, 'data' | 'augment'> & { augment: 'compose()' };
type Shared = TrainerDefaults<CommonTrainConfig>;

/** Internal: the networks both trainers start from. */
export const NETWORK_DEFAULTS: Pick<Shared, 'encoder' | 'encoderConfig' | 'head'> = {
  encoder: 'mlp', // 784 -> 1024 -> 512 with batch norm; 'cnn' for the small CNN
  encoderConfig: {},
  head: {}, // 512 -> 512 -> 128 with batch norm: SimCLR's head, and MoCo v2's MLP head
};

/** Internal: how long both trainers run, and on how many images per step. */
export const LENGTH_DEFAULTS: Pick<Shared, 'epochs' | 'steps' | 'batchSize'> = {
  epochs: 1, // passes over the data, unless `steps` is given
  steps: null, // optimisation steps (epochs follow); null: `epochs` decides
  batchSize: 256, // SimCLR: 2N = 512 views per step, 2N - 1 = 511 candidates per anchor
};

/** Internal: how both trainers optimise and run. */
export const RUN_DEFAULTS: Pick<Shared, 'lr' | 'lrSchedule' | 'augment' | 'seed' | 'timeBudgetSec' | 'workers' | 'progress'> = {
  lr: 4e-3, // peak Adam rate, chosen for SimCLR on the validation split (2e-3: -1.1 points); MoCo uses it as is
  lrSchedule: 'constant', // cosine decay scored 1.5 points less on the validation split
  augment: 'compose()', // lib/augment's DEFAULT_AUGMENT_STEPS: crop, affine, elastic, noise
  seed: 0,
  timeBudgetSec: Infinity,
  workers: 1, // a data worker thread makes the views ahead of the step; 0 (or CLAB_WORKERS=0): this thread
  progress: true,
};
