import * as tf from '@tensorflow/tfjs';
import { AugmentFn, compose } from '../augment';
import { fusedAdam } from '../backend/fused_adam';
import { holdProductsForDataWorker, productsOnOneThread } from '../backend/product_threads';
import { backendInfo } from '../backend/backend_info';
import { usableCores } from '../backend/wasm_threads';
import { ImageSet, shuffledIndices } from '../data';
import { progress as makeProgress } from '../display';
import { buildModel, Model, projectionHead } from '../models';
import { checkNumber, checkPositive } from '../tensor';
import { openStepViews } from './step_views';
import { CommonTrainConfig, EpochInfo, learningRateAt, LR_SCHEDULES, StepInfo, TrainResult } from './train_config';

// The loop both trainers share, in the order it runs: set-up (checks, models, optimizer), the
// plan of step k (its batch and augmentation seed), then epochs of steps. A trainer adds only
// its step: SimCLR's or MoCo's loss and update (train_simclr.ts, train_moco.ts).

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
 * Internal: the checks and parts both trainers share. Throws naming the trainer, the field, the
 * bad value and the range. `given` is the caller's own config (before defaults), to tell what
 * they set.
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
  if (c.data === undefined || !(c.data.images instanceof Float32Array) || !Number.isInteger(c.data.n)) {
    throw new Error(`${label}: data must be an ImageSet (e.g. clab.data.loadMnist()), got ${typeof c.data}`);
  }
  if (!Number.isInteger(c.batchSize) || c.batchSize < 2) throw new Error(`${label}: batchSize must be an integer >= 2, got ${c.batchSize}`);
  if (c.batchSize > c.data.n) throw new Error(`${label}: batchSize ${c.batchSize} is larger than the data (${c.data.n} images)`);
  checkNumber(label, 'epochs', c.epochs, { integer: true, min: 1 });
  if (c.steps !== null) checkNumber(label, 'steps', c.steps, { integer: true, min: 1, note: '(or null: run `epochs` epochs)' });
  checkNumber(label, 'timeBudgetSec', c.timeBudgetSec, { above: 0, infinite: true });
  checkNumber(label, 'seed', c.seed, { integer: true });
  if (c.workers !== 0 && c.workers !== 1) throw new Error(`${label}: workers must be 0 (views made on the training thread) or 1 (a data worker thread), got ${c.workers}`);
  const { encoder, head } = makeEncoderAndHead(label, c);
  const workersGiven = given.workers !== undefined || (process.env.CLAB_WORKERS ?? '').trim() !== '';
  return { label, config: c, encoder, head, augment, optimizer: fusedAdam(c.lr), vars: [...encoder.trainable, ...head.trainable], workersGiven };
}

/** The encoder and head a trainer starts from (a Model passed in is used as is). */
function makeEncoderAndHead(fn: string, c: CommonTrainConfig): { encoder: Model; head: Model } {
  const { encoder, seed } = c;
  let f: Model;
  if (typeof encoder === 'string') {
    if (encoder !== 'mlp' && encoder !== 'cnn') {
      throw new Error(`${fn}: encoder must be 'mlp', 'cnn' or a Model, got ${JSON.stringify(encoder)}`);
    }
    f = buildModel(encoder, { seed, ...c.encoderConfig });
  } else if (encoder !== null && typeof encoder === 'object' && encoder.variables instanceof Map) {
    f = encoder;
  } else {
    throw new Error(`${fn}: encoder must be 'mlp', 'cnn' or a Model, got ${typeof encoder}`);
  }
  const g = projectionHead({ seed: seed + 1, ...c.head, inputDim: f.outDim });
  return { encoder: f, head: g };
}

/** Internal: what step k of a run works on. */
export interface StepPlan {
  /** Epoch of the step (0-based). */
  epoch: number;
  /** The batch's image indices. */
  indices: Int32Array;
  /** The step's augmentation seed (view 1 uses it, view 2 uses it + 1). */
  seed: number;
}

/**
 * Internal: the batches and seeds of a run, step by step, so that any thread can make step k's
 * views ahead of time: epoch e is a shuffle of the data with seed `seed * 100003 + e` (as
 * `batches(data, {seed, dropLast: true})` gives), cut into floor(n / batchSize) equal batches;
 * step k's augmentation seed is `((seed * 1000003 + 2k) mod 2^32) + 1`.
 * @returns plan(k) for k = 0, 1, ... (the last epoch's shuffle is cached)
 */
export function stepPlan(data: ImageSet, batchSize: number, seed: number): (k: number) => StepPlan {
  const perEpoch = Math.floor(data.n / batchSize);
  let cached: { epoch: number; order: Int32Array } | null = null;
  return (k: number): StepPlan => {
    const epoch = Math.floor(k / perEpoch);
    if (cached === null || cached.epoch !== epoch) cached = { epoch, order: shuffledIndices(data.n, seed * 100003 + epoch) };
    const start = (k - epoch * perEpoch) * batchSize;
    return { epoch, indices: cached.order.slice(start, start + batchSize), seed: ((seed * 1000003 + k * 2) >>> 0) + 1 };
  };
}

/**
 * Internal: the epoch/batch loop both trainers share. Seeded shuffles (stepPlan), equal batches
 * (dropLast), each step's two augmented views (made ahead of time by a data worker thread when
 * `workers` is 1), the learning rate of the schedule set before each `step(v1, v2)`, which
 * returns the loss; view disposal, the live progress display, callbacks, and the stop conditions.
 * The schedule's fraction is how much of the run is done before the step, in [0, 1): steps over
 * total steps, or elapsed time over the time budget, whichever is further (0 when neither is
 * finite). The worker is stopped when the loop ends, also when a step or a callback throws; then
 * what the trainer made is freed (the encoder only if it was built here, the head, and `owned`).
 * The optimizer is always freed. Returns everything but the models.
 */
export async function runTrainer(
  parts: TrainerParts,
  step: (v1: tf.Tensor4D, v2: tf.Tensor4D) => number,
  owned: { dispose(): void }[] = [],
): Promise<Omit<TrainResult, 'encoder' | 'head'>> {
  const { label, config: c } = parts;
  const opt = parts.optimizer as unknown as { learningRate: number };
  try {
    const perEpoch = Math.floor(c.data.n / c.batchSize);
    const bySteps = c.steps !== null;
    const totalSteps = bySteps ? (c.steps as number) : perEpoch * c.epochs;
    const epochCount = bySteps ? Math.ceil(totalSteps / perEpoch) : c.epochs;
    const bar = c.progress ? makeProgress({ total: totalSteps, label, itemsPerStep: c.batchSize }) : null;
    const losses: number[] = [];
    const epochs: EpochInfo[] = [];
    const t0 = Date.now();
    let stepCount = 0;
    let stoppedBy: TrainResult['stoppedBy'] = bySteps ? 'steps' : 'epochs';
    const elapsed = () => (Date.now() - t0) / 1000;
    const rate = () => (stepCount * c.batchSize) / Math.max(elapsed(), 1e-9);
    const plan = stepPlan(c.data, c.batchSize, c.seed);
    const source = openStepViews({ label, data: c.data, augment: parts.augment, plan, totalSteps, workers: c.workers, explicit: parts.workersGiven });
    // With the data worker on a 2-core machine, the worker has the second core: products stay on this thread.
    const heldBefore = productsOnOneThread(holdProductsForDataWorker(usableCores(), backendInfo().threads, source.where() === 'worker' ? 1 : 0));
    try {
      outer: for (let epoch = 0; epoch < epochCount; epoch++) {
        let sum = 0;
        let count = 0;
        const finishEpoch = async (): Promise<boolean> => {
          if (count === 0) return true;
          const info: EpochInfo = { epoch, step: stepCount, meanLoss: sum / count, imagesPerSec: rate(), elapsedSec: elapsed() };
          epochs.push(info);
          return c.onEpoch === undefined || (await c.onEpoch(info)) !== false;
        };
        for (let j = 0; j < perEpoch; j++) {
          if (stepCount >= totalSteps || elapsed() >= c.timeBudgetSec) {
            stoppedBy = stepCount >= totalSteps ? (bySteps ? 'steps' : 'epochs') : 'timeBudget';
            await finishEpoch();
            break outer;
          }
          const [v1, v2] = await source.views(stepCount); // step k = stepCount is batch j of this epoch
          let loss: number;
          try {
            const fraction = Math.max(Number.isFinite(totalSteps) ? stepCount / totalSteps : 0, Number.isFinite(c.timeBudgetSec) ? elapsed() / c.timeBudgetSec : 0);
            opt.learningRate = learningRateAt(c.lrSchedule, c.lr, Math.min(fraction, 1));
            loss = step(v1, v2);
          } finally {
            tf.dispose([v1, v2]);
          }
          if (!Number.isFinite(loss)) {
            throw new Error(`${label}: loss became ${loss} at step ${stepCount + 1}; lower lr or raise temperature`);
          }
          stepCount++;
          sum += loss;
          count++;
          losses.push(loss);
          bar?.update({ step: stepCount, epoch: epoch + 1, loss: Number(loss.toFixed(4)) });
          if (c.onStep !== undefined) {
            const info: StepInfo = { step: stepCount, totalSteps, epoch, loss, imagesPerSec: rate(), elapsedSec: elapsed() };
            if ((await c.onStep(info)) === false) {
              stoppedBy = 'callback';
              await finishEpoch();
              break outer;
            }
          }
        }
        if (!(await finishEpoch())) {
          stoppedBy = 'callback';
          break;
        }
        if (elapsed() >= c.timeBudgetSec && epoch < epochCount - 1) {
          stoppedBy = 'timeBudget';
          break;
        }
      }
    } finally {
      productsOnOneThread(heldBefore);
      bar?.done();
      await source.close();
    }
    return { losses, epochs, steps: stepCount, seconds: elapsed(), imagesPerSec: rate(), stoppedBy };
  } catch (e) {
    if (typeof c.encoder === 'string') parts.encoder.dispose();
    [parts.head, ...owned].forEach((m) => m.dispose());
    throw e;
  } finally {
    parts.optimizer.dispose();
  }
}
