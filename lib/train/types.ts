import type { AugmentFn } from '../augment';
import { ImageSet } from '../data';
import { Model, ProjectionHeadConfig } from '../models';
import { LrSchedule } from './lr_schedule';

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

/** The settings both trainers take (each adds its own; defaults are in SIMCLR_DEFAULTS / MOCO_DEFAULTS). */
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
  /** Temperature tau of the loss. */
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
