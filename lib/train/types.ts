import * as tf from '@tensorflow/tfjs';
import { Model } from '../models';

/**
 * Makes one augmented view of a batch: x [B, 28, 28, 1] in [0, 1] -> [B, 28, 28, 1].
 * `seed` (a positive integer) differs per call (step and view), so the two views of an image differ.
 * Called inside `tf.tidy`; must be synchronous.
 */
export type AugmentFn = (x: tf.Tensor4D, seed: number) => tf.Tensor4D;

/** What `onStep` receives after every optimisation step. */
export interface StepInfo {
  /** Steps done so far (1-based). */
  step: number;
  /** Total steps this run will take (after maxSteps). */
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
  /** Why training ended: all epochs, maxSteps, the time budget, or a callback returned false. */
  stoppedBy: 'epochs' | 'maxSteps' | 'timeBudget' | 'callback';
}
