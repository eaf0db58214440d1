import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../backend/fused_adam';
import { AugmentFn, compose } from '../augment';
import { Model } from '../models';
import { checkPositive } from '../tensor';
import { learningRateAt, LR_SCHEDULES } from './lr_schedule';
import { makeEncoderAndHead } from './make_encoder';
import { checkLoopSettings, runLoop } from './run_loop';
import { CommonTrainConfig, TrainResult } from './types';

/** Internal: what {@link setUpTrainer} builds for a trainer. */
export interface TrainerParts {
  /** The trainer's name, for messages. */
  label: string;
  /** The config with defaults filled in. */
  config: CommonTrainConfig;
  encoder: Model;
  head: Model;
  /** The augmentation to use (the default one when the config left it out). */
  augment: AugmentFn | null;
  optimizer: tf.Optimizer;
  /** Trainable variables of encoder and head. */
  vars: tf.Variable[];
  /** The caller set `workers` (or CLAB_WORKERS did). */
  workersGiven: boolean;
}

/**
 * Internal: the checks and parts both trainers share. Throws naming the trainer, the field and
 * the bad value. `given` is the caller's own config (before defaults), to tell what they set.
 */
export function setUpTrainer(label: string, c: CommonTrainConfig & { augment?: AugmentFn | null }, given: Partial<CommonTrainConfig>): TrainerParts {
  if (given.steps != null && given.epochs !== undefined) {
    throw new Error(`${label}: give steps (${given.steps}) or epochs (${given.epochs}), not both; steps sets the epochs it needs`);
  }
  checkPositive(label, 'temperature', c.temperature);
  checkPositive(label, 'lr', c.lr);
  if (!LR_SCHEDULES.includes(c.lrSchedule)) {
    throw new Error(`${label}: lrSchedule must be one of ${LR_SCHEDULES.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(c.lrSchedule)}`);
  }
  if (given.workers === undefined && process.env.CLAB_WORKERS !== undefined && process.env.CLAB_WORKERS.trim() !== '') {
    const w = process.env.CLAB_WORKERS.trim();
    if (w !== '0' && w !== '1') throw new Error(`${label}: CLAB_WORKERS must be 0 (views made on the training thread) or 1 (a data worker thread), got ${JSON.stringify(w)}`);
    c.workers = Number(w);
  }
  const augment = c.augment === undefined ? compose() : c.augment; // DEFAULT_AUGMENT_STEPS
  checkLoopSettings({ ...c, augment, label });
  const { encoder, head } = makeEncoderAndHead(label, c.encoder, c.encoderConfig, c.head, c.seed);
  const workersGiven = given.workers !== undefined || (process.env.CLAB_WORKERS ?? '').trim() !== '';
  return { label, config: c, encoder, head, augment, optimizer: fusedAdam(c.lr), vars: [...encoder.trainable, ...head.trainable], workersGiven };
}

/**
 * Internal: runs the shared loop with the learning-rate schedule applied before each step.
 * On failure frees what the trainer made (the encoder only if it was built here, the head, and
 * `owned`); always frees the optimizer.
 */
export async function runTrainer(
  parts: TrainerParts,
  step: (v1: tf.Tensor4D, v2: tf.Tensor4D) => number,
  owned: { dispose(): void }[] = [],
): Promise<Omit<TrainResult, 'encoder' | 'head'>> {
  const { label, config: c } = parts;
  const opt = parts.optimizer as unknown as { learningRate: number };
  try {
    return await runLoop({ ...c, label, augment: parts.augment, workersGiven: parts.workersGiven }, (v1, v2, fraction) => {
      opt.learningRate = learningRateAt(c.lrSchedule, c.lr, fraction);
      return step(v1, v2);
    });
  } catch (e) {
    if (typeof c.encoder === 'string') parts.encoder.dispose();
    [parts.head, ...owned].forEach((m) => m.dispose());
    throw e;
  } finally {
    parts.optimizer.dispose();
  }
}
