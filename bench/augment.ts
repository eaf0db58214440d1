// bench:augment - milliseconds per batch of 256 MNIST digits for each augmentation step and the
// default pipeline, on the backend initBackend() picks (CLAB_BACKEND overrides).
//
//   npm run bench:augment       (or: npx tsx bench/augment.ts [--batch 256] [--reps 10])
//
// Reports wall-clock and CPU (this process) ms; on a shared machine compare CPU ms.
// bench/README.md has a measurement.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { loadMnist, toTensor } from '../lib/data';
import { AUGMENT_NAMES, AugmentFn, compose, DEFAULT_AUGMENT_STEPS } from '../lib/augment';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function time(f: AugmentFn, x: tf.Tensor4D, reps: number): Promise<{ wall: number; cpu: number }> {
  const one = async (seed: number) => {
    const v = f(x, seed);
    await v.data();
    v.dispose();
  };
  await one(0); // warm-up
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let r = 1; r <= reps; r++) await one(r);
  const cu = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / reps, cpu: (cu.user + cu.system) / 1000 / reps };
}

async function main(): Promise<void> {
  const info = await initBackend();
  const batch = arg('batch', 256);
  const reps = arg('reps', 10);
  const { x, y } = toTensor(loadMnist({ split: 'test', limit: batch }));
  console.log(`bench:augment - ${info.summary}; batch ${batch}, ${reps} reps`);
  const rows: [string, AugmentFn][] = [
    ...AUGMENT_NAMES.map((n) => [n, compose([n])] as [string, AugmentFn]),
    [`default (${DEFAULT_AUGMENT_STEPS.join('+')})`, compose()],
  ];
  for (const [name, f] of rows) {
    const t = await time(f, x, reps);
    console.log(`${name.padEnd(34)} ${t.wall.toFixed(1).padStart(7)} ms wall ${t.cpu.toFixed(1).padStart(7)} ms CPU per batch`);
  }
  tf.dispose([x, y]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
