import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { compose } from '../augment';
import { initBackend } from '../backend';
import { liveDataWorkers, makeViews, openStepViews, stepViewsSettings } from './step_views';
import { trainMoCo } from './train_moco';
import { trainSimCLR } from './train_simclr';
import { stepPlan } from './training_loop';
import { syntheticSet } from './test/synthetic_set';
import { assertNoLeak } from '../tensor/test';

/** Runs fn with console.warn captured; returns fn's result and the warnings. */
async function captureWarnings<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
  try {
    return { result: await fn(), warnings };
  } finally {
    console.warn = original;
  }
}

describe('lib/train data worker (step_views)', () => {
  before(async () => {
    await initBackend();
    stepViewsSettings.makeWhileBooting = false; // every step's views from the worker (a short run ends before it has booted)
  });

  after(() => {
    stepViewsSettings.makeWhileBooting = true;
  });

  const small = { data: syntheticSet(128), encoderConfig: { hidden: [32] }, head: { hiddenDim: 16, outDim: 8 }, batchSize: 32, progress: false };

  it('trainSimCLR({workers: 1}) gives the same losses as {workers: 0}, bit for bit, over 6 steps (2 epochs of 4 batches), and stops its worker', async () => {
    const seen: number[] = [];
    const { result: withWorker, warnings } = await captureWarnings(() => trainSimCLR({ ...small, steps: 6, workers: 1, onStep: () => void seen.push(liveDataWorkers()) }));
    const inThread = await trainSimCLR({ ...small, steps: 6, workers: 0 });
    assert.deepEqual(warnings, []);
    assert.deepEqual(seen, [1, 1, 1, 1, 1, 1], 'one data worker was alive during every step');
    assert.equal(liveDataWorkers(), 0);
    assert.equal(withWorker.losses.length, 6);
    assert.deepEqual(withWorker.losses, inThread.losses);
    [withWorker, inThread].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
  });

  it('while the worker boots the training thread makes the views itself: the same losses again', async () => {
    stepViewsSettings.makeWhileBooting = true;
    try {
      const a = await trainSimCLR({ ...small, steps: 6, workers: 1 });
      const b = await trainSimCLR({ ...small, steps: 6, workers: 0 });
      assert.deepEqual(a.losses, b.losses);
      [a, b].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
    } finally {
      stepViewsSettings.makeWhileBooting = false;
    }
  });

  it('a run with the worker leaks no tensors: only the returned models remain', async () => {
    await assertNoLeak(async () => {
      const run = await trainSimCLR({ ...small, steps: 4, workers: 1 });
      return [run.encoder, run.head];
    }, { warmUp: false });
  });

  it('trainMoCo({workers: 1}) gives the same losses and queue as {workers: 0}, bit for bit, over 5 steps', async () => {
    const a = await trainMoCo({ ...small, queueSize: 64, steps: 5, workers: 1 });
    const b = await trainMoCo({ ...small, queueSize: 64, steps: 5, workers: 0 });
    assert.deepEqual(a.losses, b.losses);
    assert.deepEqual(a.queue.keys.dataSync(), b.queue.keys.dataSync());
    assert.equal(liveDataWorkers(), 0);
    for (const r of [a, b]) [r.encoder, r.head, r.keyEncoder, r.keyHead, r.queue].forEach((m) => m.dispose());
  });

  it('a callback that throws ends training with its error and the worker stopped', async () => {
    await assert.rejects(
      trainSimCLR({ ...small, steps: 6, workers: 1, onStep: (s) => { if (s.step === 2) throw new Error('interrupted at step 2'); } }),
      /^Error: interrupted at step 2$/,
    );
    assert.equal(liveDataWorkers(), 0);
  });

  it('openStepViews: a worker that dies at its first request gives one notice and the in-thread views for every step', async () => {
    const data = syntheticSet(64);
    const augment = compose();
    const plan = stepPlan(data, 16, 0);
    const { result: views, warnings } = await captureWarnings(async () => {
      const source = openStepViews({ label: 'test', data, augment, plan, totalSteps: 4, workers: 1, explicit: true, entry: path.join(__dirname, 'test', 'exiting_data_worker.ts') });
      const got: Float32Array[] = [];
      try {
        for (let k = 0; k < 4; k++) {
          const [v1, v2] = await source.views(k);
          got.push(v1.dataSync() as Float32Array, v2.dataSync() as Float32Array);
          tf.dispose([v1, v2]);
          // After step 1 (which asked the worker for steps 2..4), let the worker die before going on.
          for (let waited = 0; k === 0 && liveDataWorkers() > 0 && waited < 20000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(source.where(), 'thread');
      } finally {
        await source.close();
      }
      return got;
    });
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /^test: data worker exited \(code 3\); making the views on the training thread$/);
    assert.equal(liveDataWorkers(), 0);
    for (let k = 0; k < 4; k++) {
      const expected = makeViews(data, plan(k).indices, augment, plan(k).seed);
      assert.deepEqual(views[2 * k], expected[0].dataSync());
      assert.deepEqual(views[2 * k + 1], expected[1].dataSync());
      tf.dispose(expected);
    }
  });

  it('an augmentation compose() did not make is applied on the training thread, with a notice only when workers was set', async () => {
    const own = (x: tf.Tensor4D) => tf.clone(x);
    const quiet = await captureWarnings(() => trainSimCLR({ ...small, steps: 1, augment: own }));
    const told = await captureWarnings(() => trainSimCLR({ ...small, steps: 1, augment: own, workers: 1 }));
    assert.deepEqual(quiet.warnings, []);
    assert.deepEqual(told.warnings, ['trainSimCLR: workers: 1 needs an augmentation made by clab.augment.compose(); making the views on the training thread']);
    [quiet.result, told.result].forEach((r) => (r.encoder.dispose(), r.head.dispose()));
  });

  it('trainSimCLR throws naming a bad workers value and a bad CLAB_WORKERS', async () => {
    await assert.rejects(trainSimCLR({ ...small, workers: 2 }), /trainSimCLR: workers must be 0 \(views made on the training thread\) or 1 \(a data worker thread\), got 2/);
    process.env.CLAB_WORKERS = 'yes';
    try {
      await assert.rejects(trainSimCLR({ ...small }), /trainSimCLR: CLAB_WORKERS must be 0 .* got "yes"/);
    } finally {
      delete process.env.CLAB_WORKERS;
    }
  });

  it('a process that trained with the worker (to the end, and stopped by a throwing callback) exits by itself', function () {
    this.timeout(90000);
    const script = path.join(__dirname, 'test', 'train_then_end.ts');
    // WASM on 2 threads as well: its pool's workers must not keep the process alive either.
    const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), script], { encoding: 'utf8', timeout: 60000, env: { ...process.env, CLAB_THREADS: '2' } });
    assert.equal(child.error, undefined, `the child did not exit within 60 s: ${String(child.error)}`);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'caught: stop here\ntrained 3 steps\n');
  });
});
