import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { AugmentFn, AugmentRecipe, augmentRecipe } from '../augment';
import { ImageSet } from '../data';

// Each training step's two augmented views: made on the training thread, or ahead of time by a
// data worker thread (./data_worker.ts) that runs the same makeViews on the same backend, so
// both give the same numbers bit for bit.

/**
 * Internal: a training step's two views of a batch, the one definition both places that make
 * them share (the training thread, and the data worker):
 * view 1 = augment(x, seed), view 2 = augment(x, seed + 1), with x the images at `indices`.
 * @param set the training images
 * @param indices the batch's image indices (m of them)
 * @param augment the augmentation, or null for two copies of x (benchmarks)
 * @param seed the step's augmentation seed
 * @returns [view 1, view 2], each [m, height, width, 1]; the caller disposes both
 */
export function makeViews(set: ImageSet, indices: ArrayLike<number>, augment: AugmentFn | null, seed: number): [tf.Tensor4D, tf.Tensor4D] {
  const size = set.height * set.width;
  const m = indices.length;
  const images = new Float32Array(m * size);
  for (let k = 0; k < m; k++) images.set(set.images.subarray(indices[k] * size, (indices[k] + 1) * size), k * size);
  return tf.tidy(() => {
    const x = tf.tensor4d(images, [m, set.height, set.width, 1]);
    return augment === null ? [tf.clone(x), tf.clone(x)] : [augment(x, seed), augment(x, seed + 1)];
  });
}

/** Internal: what the data worker is started with (its workerData). */
export interface DataWorkerInit {
  kind: 'clab-data-worker';
  /** The training images (copied into the worker once). */
  set: Pick<ImageSet, 'images' | 'n' | 'height' | 'width'>;
  /** How to rebuild the augmentation (null: no augmentation). */
  recipe: AugmentRecipe | null;
  /** The training thread's tfjs backend. */
  backend: string;
}

/** Internal: a request to the data worker: step k's views. */
export interface ViewRequest {
  k: number;
  indices: Int32Array;
  seed: number;
}

/** Internal: the data worker's answer to a {@link ViewRequest}: both views, or the error text. */
export type ViewReply = { k: number; v1: Float32Array; v2: Float32Array } | { k: number; error: string };

/** Internal: where a trainer gets each step's two views. */
export interface StepViews {
  /** Step k's views [m, h, w, 1] x 2 (the caller disposes them); later steps are asked for ahead. */
  views(k: number): Promise<[tf.Tensor4D, tf.Tensor4D]>;
  /** 'worker' while a data worker makes the views, 'thread' when the training thread does. */
  where(): 'worker' | 'thread';
  /** Stops the worker (if any) and waits until it has exited. Safe to call twice. */
  close(): Promise<void>;
}

/** Steps asked for beyond the one being trained: the worker stays this far ahead. */
const AHEAD = 2;

let liveWorkers = 0;

/**
 * Internal (tests): `makeWhileBooting: false` makes every step wait for the worker's views, so
 * that a short test run really compares the worker's numbers with the training thread's.
 */
export const stepViewsSettings = { makeWhileBooting: true };

/** Internal (tests): data worker threads started and not yet exited, in this thread. */
export function liveDataWorkers(): number {
  return liveWorkers;
}

// Runs first in the worker: under tsx (lib loaded from .ts) it registers tsx's require hook,
// then loads the worker's script (.ts or the compiled .js beside this file).
const BOOTSTRAP = `const { workerData } = require('node:worker_threads');
if (workerData.register && !require.extensions['.ts']) require(workerData.register);
require(workerData.entry);`;

/**
 * Internal: the views of each step, made by a data worker thread ahead of the training step
 * when `workers` is 1 and the augmentation is compose()'s (or null), else on the training thread.
 * Both make exactly the same numbers (makeViews, same backend). If the worker cannot start or
 * fails, the views are made on the training thread from that step on, after a one-line notice.
 */
export function openStepViews(o: {
  label: string;
  data: ImageSet;
  augment: AugmentFn | null;
  plan: (k: number) => { indices: Int32Array; seed: number };
  totalSteps: number;
  workers: number;
  /** The caller asked for workers itself (a notice when they cannot be used). */
  explicit: boolean;
  /** The worker's script (tests); default ./data_worker beside this file. */
  entry?: string;
}): StepViews {
  const inThread = (k: number): [tf.Tensor4D, tf.Tensor4D] => {
    const p = o.plan(k);
    return makeViews(o.data, p.indices, o.augment, p.seed);
  };
  const inThreadViews: StepViews = { views: async (k) => inThread(k), where: () => 'thread', close: async () => undefined };
  if (o.workers === 0) return inThreadViews;
  const recipe = augmentRecipe(o.augment);
  if (o.augment !== null && recipe === null) {
    if (o.explicit) console.warn(`${o.label}: workers: 1 needs an augmentation made by clab.augment.compose(); making the views on the training thread`);
    return inThreadViews;
  }
  const notice = (why: string) => console.warn(`${o.label}: data worker ${why}; making the views on the training thread`);
  let worker: Worker;
  try {
    const ext = path.extname(__filename); // '.ts' when lib runs from source (tsx), '.js' from dist/
    const init: DataWorkerInit = { kind: 'clab-data-worker', set: { images: o.data.images, n: o.data.n, height: o.data.height, width: o.data.width }, recipe, backend: tf.getBackend() };
    const entry = o.entry ?? path.join(__dirname, `data_worker${ext}`);
    const register = path.extname(entry) === '.ts' ? require.resolve('tsx/cjs') : null;
    worker = new Worker(BOOTSTRAP, { eval: true, workerData: { ...init, register, entry } });
  } catch (e) {
    notice(`could not start (${e instanceof Error ? e.message : String(e)})`);
    return inThreadViews;
  }
  liveWorkers++;
  const shape = (k: number): [number, number, number, number] => [o.plan(k).indices.length, o.data.height, o.data.width, 1];
  const pending = new Map<number, { promise: Promise<ViewReply>; resolve: (r: ViewReply) => void; reject: (e: Error) => void }>();
  let broken: string | null = null;
  let closing = false;
  let answered = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => (liveWorkers--, resolve())));
  const fail = (why: string) => {
    if (broken === null && !closing) {
      broken = why;
      notice(why);
    }
    for (const p of pending.values()) p.reject(new Error(why));
    pending.clear();
  };
  // An answered request stays in `pending` until views(k) takes it (so it is not asked again).
  worker.on('message', (r: ViewReply) => {
    answered = true;
    pending.get(r.k)?.resolve(r);
  });
  worker.on('error', (e) => fail(`failed (${e.message})`));
  worker.once('exit', (code) => fail(`exited (code ${code})`));
  const ask = (k: number) => {
    if (k >= o.totalSteps || pending.has(k)) return;
    let resolve!: (r: ViewReply) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<ViewReply>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined); // a step never asked for (training stopped early) must not warn
    pending.set(k, { promise, resolve, reject });
    const p = o.plan(k);
    worker.postMessage({ k, indices: p.indices, seed: p.seed } satisfies ViewRequest);
  };
  const stop = async () => {
    closing = true;
    await worker.terminate();
    await exited;
  };
  return {
    views: async (k) => {
      // One turn of the event loop: the worker's answers arrive as events, and a training loop
      // that never waits for one would otherwise never see them.
      await new Promise((resolve) => setImmediate(resolve));
      if (broken === null && !answered && stepViewsSettings.makeWhileBooting) {
        // The worker needs about a second to load tfjs: until its first answer, make the steps
        // here (the same numbers) and keep it busy with the ones after.
        for (let j = k + 1; j <= k + 1 + AHEAD; j++) ask(j);
        pending.get(k)?.promise.catch(() => undefined);
        pending.delete(k);
        return inThread(k);
      }
      if (broken === null) {
        for (let j = k; j <= k + AHEAD; j++) ask(j);
        const entry = pending.get(k)!;
        try {
          const r = await entry.promise;
          pending.delete(k);
          if (!('error' in r)) return [tf.tensor4d(r.v1, shape(k)), tf.tensor4d(r.v2, shape(k))];
          fail(`could not make step ${k + 1}'s views (${r.error})`);
        } catch {
          // fail() has said why
        }
        await stop();
      }
      return inThread(k);
    },
    where: () => (broken === null ? 'worker' : 'thread'),
    close: stop,
  };
}
