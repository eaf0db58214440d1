/**
 * One SimCLR training step (2N views through encoder + head, NT-Xent, Adam) for the MLP and the
 * CNN encoder on the active tfjs backend against PyTorch (one thread), same architectures, same
 * initial weights and same input, in ONE run with the steps interleaved (tfjs, torch, tfjs, ...).
 *
 *   npm run bench:simclr                          # batch 256 (512 views), MLP and CNN
 *   npm run bench:simclr -- --encoders mlp --reps 15 --batch 128 --python PATH
 *
 * Torch is the newest this machine has (bench/find_torch.ts; the output names it). Before
 * timing, the loss and every weight gradient at the shared initial weights are compared (max
 * |difference|, gradients relative to their largest entry) with torch in float32 and with the
 * same torch step on float64 copies (the exact value: torch's own float32 encoder gradients are
 * off by up to ~5% of their largest entry here, ours by ~1e-5). Then --reps steps per side after
 * --warmup, interleaved (each turn opens with untimed steps for `--settle` ms, default 30, so
 * the other side's spinning threads have stopped and the caches hold this side's data; `--block
 * N` times N steps per turn); the table gives median ms per step (wall and process CPU time; on a
 * shared machine the CPU time is the steadier one), images/s (one image = two views) and the
 * tfjs / torch ratio. The input is fixed random images (no augmentation: that is lib/augment's
 * cost, not the step's). Target on WASM: the MLP step <= 3x torch 2.x.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fusedAdam, initBackend } from '../lib/backend';
import { ntXent } from '../lib/losses';
import { buildModel, Model, projectionHead } from '../lib/models';
import { findTorch } from './find_torch';
import { describeTurns, interleave, loadLine, markdownTable, maxAbsDiff, timeSync, turnOptions } from './interleave';
import { BENCH_THREADS, TorchPeer } from './torch_peer';

/** Settings; CLI flags override. */
interface BenchConfig {
  batch: number; // images per step (2 x batch views)
  encoders: ('mlp' | 'cnn')[];
  reps: number; // timed steps per side (median reported); the CNN uses cnnReps
  cnnReps: number;
  warmup: number;
  block?: number; // timed steps per turn (bench/interleave.ts)
  settle?: number; // ms of untimed steps opening each turn; default SETTLE_MS
  temperature: number; // NT-Xent tau
  lr: number; // Adam learning rate
  python?: string;
}

const DEFAULTS: BenchConfig = { batch: 256, encoders: ['mlp', 'cnn'], reps: 11, cnnReps: 5, warmup: 2, temperature: 0.5, lr: 1e-3 };

function parseArgs(argv: string[]): BenchConfig {
  const c: BenchConfig = { ...DEFAULTS };
  const usage = 'valid: --batch 256 --encoders mlp,cnn --reps 11 --cnn-reps 5 --warmup 2 --block 1 --settle 30 --python PATH';
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`bench/simclr: ${flag} needs a value; ${usage}`);
    if (flag === '--batch') c.batch = Number(value);
    else if (flag === '--encoders') c.encoders = value.split(',') as BenchConfig['encoders'];
    else if (flag === '--reps') c.reps = Number(value);
    else if (flag === '--cnn-reps') c.cnnReps = Number(value);
    else if (flag === '--warmup') c.warmup = Number(value);
    else if (flag === '--block') c.block = Number(value);
    else if (flag === '--settle') c.settle = Number(value);
    else if (flag === '--python') c.python = value;
    else throw new Error(`bench/simclr: unknown flag ${flag}; ${usage}`);
  }
  for (const e of c.encoders) if (e !== 'mlp' && e !== 'cnn') throw new Error(`bench/simclr: unknown encoder ${JSON.stringify(e)}; valid: mlp, cnn`);
  return c;
}

/** The step lib/train's trainSimCLR takes, on fixed views. */
function makeStep(f: Model, g: Model, views: tf.Tensor, c: BenchConfig) {
  const optimizer = fusedAdam(c.lr); // as lib/train
  const vars = [...f.trainable, ...g.trainable];
  const loss = () => {
    const z = g.apply(f.apply(views, { training: true }), { training: true }); // [2N, 128]
    const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return ntXent(z1, z2, { temperature: c.temperature });
  };
  return {
    loss,
    vars,
    step: () => {
      const value = optimizer.minimize(loss, true, vars)!;
      value.dataSync();
      value.dispose();
    },
    dispose: () => optimizer.dispose(),
  };
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const info = await initBackend({ threads: BENCH_THREADS });
  const torch = findTorch(c.python);
  if (typeof torch === 'string') throw new Error(`bench/simclr: ${torch}`);
  const peer = await TorchPeer.start(torch, info.threads);
  const turns = turnOptions(c.block, c.settle);
  try {
    console.log(info.summary);
    console.log(peer.describe(torch));
    console.log(`batch ${c.batch} (${2 * c.batch} views), NT-Xent tau ${c.temperature}, Adam lr ${c.lr}; median of ${c.reps} (CNN ${c.cnnReps}) interleaved steps after ${c.warmup} warm-up, ${describeTurns(turns)}; ${loadLine()} at start\n`);
    const rows: string[][] = [['encoder', 'tfjs ms', 'torch ms', 'tfjs/torch', 'tfjs cpu', 'torch cpu', 'tfjs/torch cpu', 'tfjs img/s (cpu)', 'torch img/s (cpu)', '|d| loss f32 / f64', 'max |d| grad (rel) f32 / f64']];
    for (const kind of c.encoders) {
      const f = buildModel(kind, { seed: 0 });
      const g = projectionHead({ inputDim: f.outDim });
      const views = tf.tidy(() => tf.concat([tf.randomUniform([c.batch, 28, 28, 1], 0, 1, 'float32', 1), tf.randomUniform([c.batch, 28, 28, 1], 0, 1, 'float32', 2)]));
      const s = makeStep(f, g, views, c);
      const id = `simclr-${kind}`;
      try {
        const dir = path.join(peer.dir, id);
        peer.writeInput('views', views.dataSync() as Float32Array, id);
        const weights = [...f.variables.entries(), ...g.variables.entries()].map(([name, v], i) => {
          peer.writeInput(`w${i}`, v.dataSync() as Float32Array, id);
          return { name, shape: v.shape, file: `w${i}.f32` };
        });
        await peer.request({ op: 'prepare', id, case: id, impl: 'torch', dir, inputs: { views: views.shape }, params: { tau: c.temperature, lr: c.lr }, weights });
        // Agreement at the shared initial weights (both sides' BN running statistics move once).
        const { value, grads } = tf.variableGrads(s.loss as () => tf.Scalar, s.vars);
        const ours = s.vars.map((v) => grads[v.name].dataSync() as Float32Array);
        const loss = value.dataSync()[0];
        tf.dispose([value, ...Object.values(grads)]);
        // The same torch step in float32 (what is timed) and on float64 copies (the exact value).
        const agree = [false, true].map(async (float64) => {
          const out = path.join(dir, float64 ? 'out64' : 'out32');
          fs.mkdirSync(out, { recursive: true });
          const ref = await peer.request<{ value: number; grads: string[] }>({ op: 'check', id, out, float64 });
          if (ref.grads.length !== ours.length) throw new Error(`bench/simclr: torch has ${ref.grads.length} parameter tensors, tfjs ${ours.length}`);
          let worst = 0;
          ref.grads.forEach((name, i) => {
            const { diff, scale } = maxAbsDiff(ours[i], peer.readOutput(path.join(out, `${name}.f32`)));
            worst = Math.max(worst, diff / Math.max(scale, 1e-30));
          });
          return { loss: Math.abs(loss - ref.value), grad: worst };
        });
        const [a32, a64] = [await agree[0], await agree[1]];
        const reps = kind === 'cnn' ? c.cnnReps : c.reps;
        const [t, p] = await interleave([{ name: 'tfjs', rep: () => timeSync(s.step) }, { name: 'torch', rep: () => peer.step(id) }], reps, c.warmup, turns);
        const ips = (ms: number) => ((1000 * c.batch) / ms).toFixed(0);
        rows.push([
          kind, t.ms.toFixed(1), p.ms.toFixed(1), `${(t.ms / p.ms).toFixed(2)}x`, t.cpuMs.toFixed(1), p.cpuMs.toFixed(1), `${(t.cpuMs / p.cpuMs).toFixed(2)}x`,
          ips(t.cpuMs), ips(p.cpuMs), `${a32.loss.toExponential(1)} / ${a64.loss.toExponential(1)}`, `${a32.grad.toExponential(1)} / ${a64.grad.toExponential(1)}`,
        ]);
        console.log(rows[rows.length - 1].join('  '));
        await peer.request({ op: 'drop', id });
      } finally {
        s.dispose();
        tf.dispose(views);
        f.dispose();
        g.dispose();
      }
    }
    console.log(`\n${loadLine()} at end\n`);
    console.log(markdownTable(rows));
  } finally {
    peer.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
