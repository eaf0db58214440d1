import * as tf from '@tensorflow/tfjs';
import type { AugmentFn } from '../augment';
import { progress as makeProgress } from '../display';
import { checkNumber } from '../tensor';
import { stepPlan } from './step_plan';
import { CommonTrainConfig, EpochInfo, StepInfo, TrainResult } from './types';
import { openViewSource } from './view_source';

/** Loop settings shared by the trainers (checked by them): the loop's part of their config, and a label for messages. */
export type LoopSettings = Pick<CommonTrainConfig, 'data' | 'epochs' | 'steps' | 'batchSize' | 'seed' | 'timeBudgetSec' | 'progress' | 'onStep' | 'onEpoch' | 'workers'> & {
  label: string;
  /** The augmentation that makes each step's two views (null: two copies of the batch). */
  augment: AugmentFn | null;
  /** The caller set `workers` itself (so a notice says when the worker cannot be used). */
  workersGiven?: boolean;
};

/**
 * The epoch/batch loop both trainers share: seeded shuffles (seed + epoch), equal batches
 * (dropLast), each step's two augmented views (stepPlan's seeds; made ahead of time by a data
 * worker thread when `workers` is 1), one `step(v1, v2, fraction)` per batch returning the loss,
 * view disposal, the live progress display, callbacks, and the stop conditions. `fraction` is
 * how much of the run is done before the step, in [0, 1): steps over total steps, or elapsed time
 * over the time budget, whichever is further (0 when neither is finite). The worker is stopped
 * when the loop ends, also when a step or a callback throws. Returns everything but the models.
 */
export async function runLoop(
  s: LoopSettings,
  step: (v1: tf.Tensor4D, v2: tf.Tensor4D, fraction: number) => number,
): Promise<Omit<TrainResult, 'encoder' | 'head'>> {
  const perEpoch = Math.floor(s.data.n / s.batchSize);
  const bySteps = s.steps !== null;
  const totalSteps = bySteps ? (s.steps as number) : perEpoch * s.epochs;
  const epochCount = bySteps ? Math.ceil(totalSteps / perEpoch) : s.epochs;
  const bar = s.progress ? makeProgress({ total: totalSteps, label: s.label, itemsPerStep: s.batchSize }) : null;
  const losses: number[] = [];
  const epochs: EpochInfo[] = [];
  const t0 = Date.now();
  let stepCount = 0;
  let stoppedBy: TrainResult['stoppedBy'] = bySteps ? 'steps' : 'epochs';
  const elapsed = () => (Date.now() - t0) / 1000;
  const rate = () => (stepCount * s.batchSize) / Math.max(elapsed(), 1e-9);
  const plan = stepPlan(s.data, s.batchSize, s.seed);
  const source = openViewSource({ label: s.label, data: s.data, augment: s.augment, plan, totalSteps, workers: s.workers, explicit: s.workersGiven === true });
  try {
    outer: for (let epoch = 0; epoch < epochCount; epoch++) {
      let sum = 0;
      let count = 0;
      const finishEpoch = async (): Promise<boolean> => {
        if (count === 0) return true;
        const info: EpochInfo = { epoch, step: stepCount, meanLoss: sum / count, imagesPerSec: rate(), elapsedSec: elapsed() };
        epochs.push(info);
        return s.onEpoch === undefined || (await s.onEpoch(info)) !== false;
      };
      for (let j = 0; j < perEpoch; j++) {
        if (stepCount >= totalSteps || elapsed() >= s.timeBudgetSec) {
          stoppedBy = stepCount >= totalSteps ? (bySteps ? 'steps' : 'epochs') : 'timeBudget';
          await finishEpoch();
          break outer;
        }
        const [v1, v2] = await source.views(stepCount); // step k = stepCount is batch j of this epoch
        let loss: number;
        try {
          const fraction = Math.max(Number.isFinite(totalSteps) ? stepCount / totalSteps : 0, Number.isFinite(s.timeBudgetSec) ? elapsed() / s.timeBudgetSec : 0);
          loss = step(v1, v2, Math.min(fraction, 1));
        } finally {
          tf.dispose([v1, v2]);
        }
        if (!Number.isFinite(loss)) {
          throw new Error(`${s.label}: loss became ${loss} at step ${stepCount + 1}; lower lr or raise temperature`);
        }
        stepCount++;
        sum += loss;
        count++;
        losses.push(loss);
        bar?.update({ step: stepCount, epoch: epoch + 1, loss: Number(loss.toFixed(4)) });
        if (s.onStep !== undefined) {
          const info: StepInfo = { step: stepCount, totalSteps, epoch, loss, imagesPerSec: rate(), elapsedSec: elapsed() };
          if ((await s.onStep(info)) === false) {
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
      if (elapsed() >= s.timeBudgetSec && epoch < epochCount - 1) {
        stoppedBy = 'timeBudget';
        break;
      }
    }
  } finally {
    bar?.done();
    await source.close();
  }
  return { losses, epochs, steps: stepCount, seconds: elapsed(), imagesPerSec: rate(), stoppedBy };
}

/** Checks the loop settings; messages name the trainer, the field, the value and the range. */
export function checkLoopSettings(s: LoopSettings): void {
  const fn = s.label;
  if (s.data === undefined || !(s.data.images instanceof Float32Array) || !Number.isInteger(s.data.n)) {
    throw new Error(`${fn}: data must be an ImageSet (e.g. clab.data.loadMnist()), got ${typeof s.data}`);
  }
  if (!Number.isInteger(s.batchSize) || s.batchSize < 2) throw new Error(`${fn}: batchSize must be an integer >= 2, got ${s.batchSize}`);
  if (s.batchSize > s.data.n) throw new Error(`${fn}: batchSize ${s.batchSize} is larger than the data (${s.data.n} images)`);
  checkNumber(fn, 'epochs', s.epochs, { integer: true, min: 1 });
  if (s.steps !== null) checkNumber(fn, 'steps', s.steps, { integer: true, min: 1, note: '(or null: run `epochs` epochs)' });
  checkNumber(fn, 'timeBudgetSec', s.timeBudgetSec, { above: 0, infinite: true });
  checkNumber(fn, 'seed', s.seed, { integer: true });
  if (s.workers !== 0 && s.workers !== 1) throw new Error(`${fn}: workers must be 0 (views made on the training thread) or 1 (a data worker thread), got ${s.workers}`);
}
