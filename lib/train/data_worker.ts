// The data worker's script: runs in a worker thread started by ./step_views.ts (never imported
// by the library itself). It makes a training step's two augmented views with lib/augment on its
// own tfjs backend (the training thread's, so the numbers are the same bit for bit) and sends
// them back as float32 arrays whose buffers are transferred, not copied.
import { parentPort, workerData } from 'node:worker_threads';
import type * as tfTypes from '@tensorflow/tfjs';
import type { ImageSet } from '../data';
import type { DataWorkerInit, ViewReply, ViewRequest } from './step_views';

function serve(init: DataWorkerInit): void {
  const port = parentPort!;
  // Loaded here, not at the top: importing this file outside a worker must not load tfjs.
  const tf = require('@tensorflow/tfjs') as typeof tfTypes;
  const { initBackend } = require('../backend') as typeof import('../backend');
  const { compose } = require('../augment') as typeof import('../augment');
  const { makeViews } = require('./step_views') as typeof import('./step_views');
  const set = { ...init.set, labels: new Uint8Array(0) } as ImageSet;
  // One thread: the views are small work, and the training thread's WASM has the cores.
  const ready = initBackend({ backend: init.backend, threads: 1 }).then(() => (init.recipe === null ? null : compose(init.recipe.steps, init.recipe.options)));
  // A failed start (backend, recipe) throws here, outside any request: the parent sees an
  // 'error' event and makes its views itself.
  ready.catch((e) => setImmediate(() => { throw e; }));
  port.on('message', (req: ViewRequest) => {
    void ready.then((augment) => {
      let reply: ViewReply;
      const transfer: ArrayBuffer[] = [];
      try {
        const views = makeViews(set, req.indices, augment, req.seed);
        // Copies: dataSync may return the backend's own storage (cpu) or a view of WASM memory.
        const [v1, v2] = views.map((v) => new Float32Array(v.dataSync() as Float32Array));
        tf.dispose(views);
        reply = { k: req.k, v1, v2 };
        transfer.push(v1.buffer as ArrayBuffer, v2.buffer as ArrayBuffer);
      } catch (e) {
        reply = { k: req.k, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(reply, transfer);
    });
  });
}

if (parentPort !== null && (workerData as DataWorkerInit | undefined)?.kind === 'clab-data-worker') serve(workerData as DataWorkerInit);
