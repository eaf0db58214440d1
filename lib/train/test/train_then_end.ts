// Run as a child process by step_views.test.ts: trains with the data worker, once to the end and
// once stopped by a throwing callback, then returns from main WITHOUT process.exit. The process
// ends only if no worker thread is left running.
import { initBackend } from '../../backend';
import { trainSimCLR } from '../train_simclr';
import { syntheticSet } from './synthetic_set';

async function main(): Promise<void> {
  await initBackend();
  const common = { data: syntheticSet(64), encoderConfig: { hidden: [8] }, head: { hiddenDim: 8, outDim: 4 }, batchSize: 16, workers: 1, progress: false };
  const run = await trainSimCLR({ ...common, steps: 3 });
  run.encoder.dispose();
  run.head.dispose();
  await trainSimCLR({ ...common, steps: 5, onStep: () => { throw new Error('stop here'); } }).catch((e: Error) => console.log(`caught: ${e.message}`));
  console.log(`trained ${run.steps} steps`);
}

void main();
