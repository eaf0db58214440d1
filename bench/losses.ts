/**
 * Every loss of lib/losses, forward + backward, on the active tfjs backend against PyTorch (one
 * thread) and pytorch-metric-learning where it has the same loss, in ONE run, interleaved.
 *
 *   npm run bench:losses                          # N = 256 and 1024, D = 128
 *   npm run bench:losses -- --sizes 256 --reps 5 --losses ntXent,moco --python PATH
 *
 * Torch is the newest this machine has (bench/find_torch.ts: `npm run bench:setup` puts pip's
 * torch 2.x and pytorch-metric-learning into bench/.venv; else Debian's python3-torch 1.13); the
 * output names it. Each case runs tfjs, torch, pml, tfjs, torch, pml, ... one repetition at a time
 * (bench/interleave.ts), so all sides see the same load; each turn opens with untimed reps for
 * 30 ms (`--settle`: torch's OpenMP worker spins ~10 ms after its step and would take the core
 * tfjs's second thread needs, and a rep right after the other side's is cache-cold), and
 * `--block N` times N reps per turn. The table shows medians of wall and of
 * process CPU time and the tfjs / torch ratios (on a shared machine the CPU-time ratio is the
 * steadier one: waiting for a core is not counted). Before timing, one forward + backward on the
 * same float32 inputs is compared: the max |difference| of the loss value and of each gradient
 * (relative to the largest reference gradient entry) against torch in float32, torch in float64
 * (the exact value of the same inputs) and pml.
 *
 * Cases (lib/losses definitions; torch and pml configured to them, see bench/torch_peer.py):
 *   triplet   tripletLoss(a, p, n), margin 1                      a, p, n [N, D]
 *   nPair     nPairLoss(a, p, neg), tau 1, M = 64 negatives each   neg [N, 64, D]
 *   infoNCE   infoNCE(pairwiseDot(x, y))                           x, y [N, D]
 *   ntXent    ntXent(z1, z2), tau 0.5                              z1, z2 [N, D]
 *   moco      mocoInfoNCE(q, k, queue), tau 0.2, K = 4096             unit rows
 * Targets on WASM: ntXent <= 3x torch 2.x at N = 256, <= 2.5x at N = 1024.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../lib/backend';
import { infoNCE, mocoInfoNCE, nPairLoss, ntXent, pairwiseDot, tripletLoss } from '../lib/losses';
import { findTorch } from './find_torch';
import { describeTurns, interleave, loadLine, markdownTable, maxAbsDiff, Side, timeSync, turnOptions } from './interleave';
import { BENCH_THREADS, TorchPeer } from './torch_peer';

/** Settings; CLI flags override. */
interface BenchConfig {
  sizes: number[]; // N (pairs, anchors or queries)
  dim: number; // embedding size D
  losses: string[]; // which cases
  reps: number; // timed repetitions per side (median reported)
  warmup: number; // untimed repetitions first
  pmlReps: number; // timed repetitions for pml (its NTXentLoss takes seconds per step); 0: no pml
  python?: string; // interpreter with torch; default: the newest found (bench/find_torch.ts)
  block?: number; // timed reps per turn (bench/interleave.ts)
  settle?: number; // ms of untimed reps opening each turn; default SETTLE_MS
}

const DEFAULTS: BenchConfig = { sizes: [256, 1024], dim: 128, losses: ['triplet', 'nPair', 'infoNCE', 'ntXent', 'moco'], reps: 9, warmup: 2, pmlReps: 3 };
const NEGATIVES = 64; // nPair: M negatives per anchor
const QUEUE = 4096; // moco: K
const PARAMS = { margin: 1, nPairTau: 1, ntXentTau: 0.5, mocoTau: 0.2 };

function parseArgs(argv: string[]): BenchConfig {
  const c: BenchConfig = { ...DEFAULTS };
  const usage = `valid: --sizes 256,1024 --dim 128 --losses ${DEFAULTS.losses.join(',')} --reps 9 --warmup 2 --pml-reps 3 --block 1 --settle 30 --python PATH`;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`bench/losses: ${flag} needs a value; ${usage}`);
    if (flag === '--sizes') c.sizes = value.split(',').map(Number);
    else if (flag === '--dim') c.dim = Number(value);
    else if (flag === '--losses') c.losses = value.split(',');
    else if (flag === '--reps') c.reps = Number(value);
    else if (flag === '--warmup') c.warmup = Number(value);
    else if (flag === '--pml-reps') c.pmlReps = Number(value);
    else if (flag === '--python') c.python = value;
    else if (flag === '--block') c.block = Number(value);
    else if (flag === '--settle') c.settle = Number(value);
    else throw new Error(`bench/losses: unknown flag ${flag}; ${usage}`);
  }
  for (const l of c.losses) {
    if (!DEFAULTS.losses.includes(l)) throw new Error(`bench/losses: unknown loss ${JSON.stringify(l)}; valid: ${DEFAULTS.losses.join(', ')}`);
  }
  return c;
}

/** A loss case: its inputs, which of them get gradients, and the tfjs loss. */
interface LossCase {
  inputs: Record<string, tf.Tensor>;
  wrt: string[];
  loss: (...xs: tf.Tensor[]) => tf.Scalar;
  params: Record<string, number>;
  pml: string[]; // pml impls with the same loss
}

function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.norm(x, 'euclidean', 1, true)));
}

function makeCase(name: string, n: number, d: number): LossCase {
  const normal = (shape: number[], seed: number, scale = 1) => tf.tidy(() => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale));
  const s = 1 / Math.sqrt(d); // dot products of O(1)
  switch (name) {
    case 'triplet':
      return {
        inputs: { a: normal([n, d], 1, s), p: normal([n, d], 2, s), n: normal([n, d], 3, s) },
        wrt: ['a', 'p', 'n'],
        loss: (a, p, neg) => tripletLoss(a as tf.Tensor2D, p as tf.Tensor2D, neg as tf.Tensor2D, { margin: PARAMS.margin }),
        params: { margin: PARAMS.margin },
        pml: ['pml'],
      };
    case 'nPair':
      return {
        inputs: { a: normal([n, d], 1, s), p: normal([n, d], 2, s), neg: normal([n, NEGATIVES, d], 3, s) },
        wrt: ['a', 'p', 'neg'],
        loss: (a, p, neg) => nPairLoss(a as tf.Tensor2D, p as tf.Tensor2D, neg as tf.Tensor3D, { temperature: PARAMS.nPairTau }),
        params: { tau: PARAMS.nPairTau },
        pml: [], // its NPairsLoss takes batch negatives, not [N, M, D]: compared on infoNCE
      };
    case 'infoNCE':
      return {
        inputs: { x: normal([n, d], 1, s), y: normal([n, d], 2, s) },
        wrt: ['x', 'y'],
        loss: (x, y) => infoNCE(pairwiseDot(x as tf.Tensor2D, y as tf.Tensor2D)),
        params: {},
        pml: ['pml'],
      };
    case 'ntXent':
      return {
        inputs: { z1: normal([n, d], 1), z2: normal([n, d], 2) },
        wrt: ['z1', 'z2'],
        loss: (z1, z2) => ntXent(z1 as tf.Tensor2D, z2 as tf.Tensor2D, { temperature: PARAMS.ntXentTau }),
        params: { tau: PARAMS.ntXentTau },
        pml: ['pml', 'pml-supcon'],
      };
    default: {
      const q = normal([n, d], 1) as tf.Tensor2D;
      const k = normal([n, d], 2) as tf.Tensor2D;
      const queue = normal([QUEUE, d], 3) as tf.Tensor2D;
      const inputs = { q: unitRows(q), k: unitRows(k), queue: unitRows(queue) };
      tf.dispose([q, k, queue]);
      return {
        inputs,
        wrt: ['q'],
        loss: (qq) => mocoInfoNCE(qq as tf.Tensor2D, inputs.k, inputs.queue, { temperature: PARAMS.mocoTau }),
        params: { tau: PARAMS.mocoTau },
        pml: ['pml'],
      };
    }
  }
}

/** One forward + backward; returns the value and the gradients (the caller disposes). */
function forwardBackward(c: LossCase): { value: tf.Scalar; grads: tf.Tensor[] } {
  const xs = c.wrt.map((k) => c.inputs[k]);
  return tf.valueAndGrads((...args: tf.Tensor[]) => c.loss(...args))(xs);
}

const fmt = (x: number, digits = 2, unit = '') => (Number.isFinite(x) ? `${x.toFixed(digits)}${unit}` : '-');

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const info = await initBackend({ threads: BENCH_THREADS });
  const torch = findTorch(c.python);
  if (typeof torch === 'string') throw new Error(`bench/losses: ${torch}`);
  const peer = await TorchPeer.start(torch, info.threads);
  const turns = turnOptions(c.block, c.settle);
  try {
    console.log(`${info.summary}`);
    console.log(`${peer.describe(torch)}, pytorch-metric-learning ${peer.info.pml ?? 'not installed'}`);
    console.log(`D=${c.dim}; median of ${c.reps} interleaved reps (pml: ${c.pmlReps}) after ${c.warmup} warm-up, ${describeTurns(turns)}; ${loadLine()} at start\n`);
    const rows: string[][] = [['loss', 'N', 'tfjs ms', 'torch ms', 'tfjs/torch', 'tfjs cpu', 'torch cpu', 'tfjs/torch cpu', '|d| value f32 / f64', 'max |d| grad (rel) f32 / f64', 'pml']];
    const notes = new Map<string, string>();
    for (const n of c.sizes) {
      for (const name of c.losses) {
        const lc = makeCase(name, n, c.dim);
        const id = `${name}-${n}`;
        try {
          for (const [k, t] of Object.entries(lc.inputs)) peer.writeInput(k, t.dataSync() as Float32Array, id);
          const inputs = Object.fromEntries(Object.entries(lc.inputs).map(([k, t]) => [k, t.shape]));
          const dir = path.join(peer.dir, id);
          const impls = ['torch', ...(peer.info.pml === null || c.pmlReps === 0 ? [] : lc.pml)];
          const ready: string[] = [];
          for (const impl of impls) {
            const r = await peer.request<{ ok?: boolean; skip?: string; note?: string }>({ op: 'prepare', id: `${id}/${impl}`, case: name, impl, n, dir, inputs, params: lc.params });
            if (r.skip !== undefined) notes.set(`${name} ${impl} N=${n}`, `skipped: ${r.skip}`);
            else ready.push(impl);
            if (r.note) notes.set(`${name} ${impl}`, r.note);
          }
          // Agreement: the same inputs, one forward + backward on each side.
          const ours = forwardBackward(lc);
          const value = ours.value.dataSync()[0];
          const grads = ours.grads.map((g) => g.dataSync() as Float32Array);
          tf.dispose([ours.value, ...ours.grads]);
          const agree: Record<string, { value: number; grad: number }> = {};
          for (const impl of [...ready, ...(ready.includes('torch') ? ['torch64'] : [])]) {
            const out = path.join(dir, `out-${impl}`);
            fs.mkdirSync(out, { recursive: true });
            const float64 = impl === 'torch64'; // the same torch code on float64 copies: the exact value
            const r = await peer.request<{ value: number; grads: string[] }>({ op: 'check', id: `${id}/${float64 ? 'torch' : impl}`, out, float64 });
            let worst = 0;
            for (const [i, k] of lc.wrt.entries()) {
              const ref = peer.readOutput(path.join(out, `${k}.f32`));
              const { diff, scale } = maxAbsDiff(grads[i], ref);
              worst = Math.max(worst, diff / Math.max(scale, 1e-30));
            }
            agree[impl] = { value: Math.abs(value - r.value), grad: worst };
          }
          // Timing, interleaved.
          const step = () => {
            const r = forwardBackward(lc);
            r.value.dataSync();
            r.grads.forEach((g) => g.dataSync());
            tf.dispose([r.value, ...r.grads]);
          };
          const sides: Side[] = [
            { name: 'tfjs', rep: () => timeSync(step) },
            ...ready.map((impl) => ({
              name: impl,
              rep: () => peer.step(`${id}/${impl}`),
              ...(impl === 'torch' ? {} : { reps: c.pmlReps, warmup: 1 }),
            })),
          ];
          const res = await interleave(sides, c.reps, c.warmup, turns);
          const [t, p] = [res[0], res.find((r) => r.name === 'torch')!];
          const pmlText = res
            .filter((r) => r.name.startsWith('pml'))
            .map((r) => `${r.name} ${fmt(r.cpuMs, 1)} ms cpu = ${fmt(r.cpuMs / t.cpuMs, 1)}x tfjs; |d| ${agree[r.name].value.toExponential(1)}, grad ${agree[r.name].grad.toExponential(1)}`)
            .join('; ');
          rows.push([
            name, String(n), fmt(t.ms), fmt(p.ms), fmt(t.ms / p.ms, 2, 'x'), fmt(t.cpuMs), fmt(p.cpuMs), fmt(t.cpuMs / p.cpuMs, 2, 'x'),
            `${agree.torch.value.toExponential(1)} / ${agree.torch64.value.toExponential(1)}`, `${agree.torch.grad.toExponential(1)} / ${agree.torch64.grad.toExponential(1)}`, pmlText || '-',
          ]);
          console.log(rows[rows.length - 1].join('  '));
          for (const impl of ready) await peer.request({ op: 'drop', id: `${id}/${impl}` });
        } finally {
          tf.dispose(Object.values(lc.inputs));
        }
      }
    }
    console.log(`\n${loadLine()} at end\n`);
    console.log(markdownTable(rows));
    if (notes.size) console.log('\n' + [...notes].map(([k, v]) => `- ${k}: ${v}`).join('\n'));
  } finally {
    peer.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
