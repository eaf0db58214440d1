// bench:conv - a small CNN's training step (forward + backward + SGD update) on the wasm backend
// against the plain cpu backend, in the same process, one after the other. Prints ms per step and
// the ratio; the target is wasm >= 10x faster than cpu.
//
//   npm run bench:conv            (or: npx tsx bench/conv.ts [--batch 128] [--steps 5] [--cpu-steps 1])
//
// The cpu step at batch 128 takes about 3 minutes of CPU (its conv gradients are plain loops), so
// the cpu backend runs one step only; a quick look: --batch 16. bench/README.md has a measurement.
//
// Network: conv 3x3 1->32 stride 1 'same' + ReLU, conv 3x3 32->64 stride 2 'same' + ReLU,
// global average pool, dense 64->10, softmax cross-entropy. Input [batch, 28, 28, 1].
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const BATCH = arg('batch', 128);
const STEPS = arg('steps', 5);

/** Wall-clock and CPU (user + system) milliseconds per step; CPU time is what to compare on a shared machine. */
interface StepTime {
  ms: number;
  cpuMs: number;
  /** Loss of the first step (same weights and data on both backends, so they should agree). */
  firstLoss: number;
  loss: number;
}

async function stepMs(backend: 'wasm' | 'cpu', steps: number, warmUp: boolean): Promise<StepTime> {
  await initBackend({ backend });
  const seedInit = (shape: number[], fanIn: number, seed: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
  const w1 = seedInit([3, 3, 1, 32], 9, 1);
  const w2 = seedInit([3, 3, 32, 64], 9 * 32, 2);
  const w3 = seedInit([64, 10], 64, 3);
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 4) as tf.Tensor4D;
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const opt = tf.train.sgd(0.05);
  const loss = () =>
    tf.tidy(() => {
      const h1 = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same')); // [B, 28, 28, 32]
      const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Tensor4D, 2, 'same')); // [B, 14, 14, 64]
      const logits = tf.matMul(tf.mean(h2, [1, 2]) as tf.Tensor2D, w3 as tf.Tensor2D); // [B, 10]
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    });
  const run = async () => {
    const l = opt.minimize(loss, true) as tf.Scalar;
    const v = (await l.data())[0];
    l.dispose();
    return v;
  };
  let t0 = performance.now();
  let firstLoss = NaN;
  if (warmUp) {
    firstLoss = await run(); // warm-up: kernel set-up, WASM memory growth, JIT
    console.log(`  ${backend} warm-up step: ${(performance.now() - t0).toFixed(0)} ms`);
  }
  t0 = performance.now();
  const c0 = process.cpuUsage();
  let last = 0;
  for (let s = 0; s < steps; s++) {
    last = await run();
    if (Number.isNaN(firstLoss)) firstLoss = last;
  }
  const ms = (performance.now() - t0) / steps;
  const cu = process.cpuUsage(c0);
  const cpuMs = (cu.user + cu.system) / 1000 / steps;
  tf.dispose([w1, w2, w3, x, y]);
  opt.dispose();
  return { ms, cpuMs, firstLoss, loss: last };
}

async function main(): Promise<void> {
  console.log(`bench:conv - CNN training step, batch ${BATCH}, 28x28x1, conv32(s1)-conv64(s2)-gap-dense10`);
  console.log('(the machine may be shared: compare CPU ms (this process only), not wall-clock ms)');
  const wasm = await stepMs('wasm', STEPS, true);
  console.log(`wasm: ${wasm.ms.toFixed(0)} ms/step wall, ${wasm.cpuMs.toFixed(0)} ms/step CPU (${STEPS} steps, loss ${wasm.loss.toFixed(3)})`);
  // The cpu backend takes tens of seconds per step: one step, no warm-up (it has no memory to grow).
  const cpuSteps = arg('cpu-steps', 1);
  const cpu = await stepMs('cpu', cpuSteps, false);
  console.log(`cpu:  ${cpu.ms.toFixed(0)} ms/step wall, ${cpu.cpuMs.toFixed(0)} ms/step CPU (${cpuSteps} step, loss ${cpu.loss.toFixed(3)})`);
  console.log(`first-step loss: wasm ${wasm.firstLoss.toFixed(5)}, cpu ${cpu.firstLoss.toFixed(5)} (same weights and batch: should agree)`);
  const ratio = cpu.cpuMs / wasm.cpuMs;
  console.log(`wasm is ${ratio.toFixed(1)}x faster than cpu by CPU time (${(cpu.ms / wasm.ms).toFixed(1)}x by wall clock); target >= 10x: ${ratio >= 10 ? 'PASS' : 'BELOW TARGET'}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
