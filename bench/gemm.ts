/**
 * The matrix products of a SimCLR-MLP step (batch 256 = 512 views; 13 products, most of the step)
 * on one thread, three ways: why lib/backend runs its own BatchMatMul, and what FMA would add.
 * For each product of that step (batch 256 = 512 views), it times, interleaved:
 *
 *   tfjs     tf.matMul on the WASM backend, one thread (XNNPACK's 128-bit kernels, mul + add),
 *            with a new right operand each time, as in training (XNNPACK packs it on every call)
 *   mul+add  lib/backend/matmul_wasm.ts's kernel (the right operand packed into 8-column panels,
 *            then 4 x 8 tiles; packing timed too), which lib/backend runs as BatchMatMul on one
 *            WASM thread: the same bits as tfjs's
 *   fma      the same kernel with f32x4.relaxed_madd (one fused multiply-add per lane) instead of
 *            a multiply and an add: a different rounding, so not what the library runs
 *
 * and checks both kernels against tfjs's result. Relaxed SIMD is standard from Node 22; Node 20
 * has it behind a V8 flag, which this benchmark sets (v8.setFlagsFromString) before compiling.
 * The kernels run in a memory of their own; copying the inputs there is not timed.
 *
 *   npm run bench:gemm
 *   npm run bench:gemm -- --reps 15
 */
import * as v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { matMulBytes, MatMulFns } from '../lib/backend/matmul_wasm';
import { instantiator } from '../lib/backend/wasm_bytes';
import { useOwnMatMul } from '../lib/backend/batch_mat_mul';
import { loadLine, markdownTable, median } from './interleave';

/** The 13 products of one SimCLR-MLP step (784-1024-512 encoder, 512-512-128 head), as [M, K, N]. */
const STEP: [string, number, number, number][] = [
  ['encoder 1 forward', 512, 784, 1024],
  ['encoder 2 forward', 512, 1024, 512],
  ['head 1 forward', 512, 512, 512],
  ['head 2 forward', 512, 512, 128],
  ['NT-Xent similarities', 512, 128, 512],
  ['NT-Xent gradient', 512, 512, 128],
  ['head 2 dX', 512, 128, 512],
  ['head 2 dW', 512, 512, 128],
  ['head 1 dX', 512, 512, 512],
  ['head 1 dW', 512, 512, 512],
  ['encoder 2 dX', 512, 512, 1024],
  ['encoder 2 dW', 1024, 512, 512],
  ['encoder 1 dW', 784, 512, 1024],
];

function instantiate(fma: boolean, memory: WebAssembly.Memory): MatMulFns {
  const bytes = matMulBytes(false, fma);
  if (!WebAssembly.validate(bytes)) throw new Error(`bench/gemm: this Node (${process.version}) does not accept the ${fma ? 'relaxed-SIMD ' : ''}module`);
  return instantiator<MatMulFns>(() => bytes)(memory);
}

/** The products of NT-Xent (similarities, gradient) and MoCo (logits, gradient) at N = 256 and 1024, D = 128, K = 4096. */
const LOSSES: [string, number, number, number][] = [
  ['NT-Xent N=256 similarities', 512, 128, 512],
  ['NT-Xent N=256 gradient', 512, 512, 128],
  ['NT-Xent N=1024 similarities', 2048, 128, 2048],
  ['NT-Xent N=1024 gradient', 2048, 2048, 128],
  ['MoCo N=256 logits', 256, 128, 4096],
  ['MoCo N=256 gradient', 256, 4096, 128],
  ['MoCo N=1024 logits', 1024, 128, 4096],
  ['MoCo N=1024 gradient', 1024, 4096, 128],
];

function parseArgs(argv: string[]): { reps: number; threads: number } {
  const usage = `bench/gemm: usage: npm run bench:gemm -- [--reps N] [--threads T] (N >= 1, T 1-8: tfjs's WASM threads), got ${JSON.stringify(argv.join(' '))}`;
  const c = { reps: 9, threads: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(usage);
    if (argv[i] === '--reps') c.reps = value;
    else if (argv[i] === '--threads' && value <= 8) c.threads = value;
    else throw new Error(usage);
  }
  return c;
}

async function main(): Promise<void> {
  const { reps, threads } = parseArgs(process.argv.slice(2));
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd'); // Node 20; a no-op where it is standard
  const info = await initBackend({ threads });
  console.log(`${info.summary}\n${process.version}; median of ${reps} interleaved repetitions per product; ${loadLine()} at start\n`);
  const floats = Math.max(...[...STEP, ...LOSSES].map(([, m, k, n]) => m * k + 2 * k * n + m * n));
  const memory = new WebAssembly.Memory({ initial: Math.ceil((floats * 4) / 65536) + 1 });
  const kernels = { fma: instantiate(true, memory), mulAdd: instantiate(false, memory) };
  const rows = [['product', '[M, K] x [K, N]', `tfjs ms (${threads} thr.)`, 'fma ms', 'mul+add ms', 'tfjs GFLOP/s', 'fma GFLOP/s', 'tfjs / fma', 'tfjs / mul+add', 'max rel. diff fma / mul+add']];
  const total = { tfjs: 0, fma: 0, mulAdd: 0 };
  for (const [what, m, k, n] of [...STEP, ...LOSSES]) {
    const a = tf.randomNormal([m, k], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([k, n], 0, 1, 'float32', 2) as tf.Tensor2D;
    const own = useOwnMatMul(false);
    const want = tf.tidy(() => tf.matMul(a, b).dataSync() as Float32Array); // XNNPACK's
    useOwnMatMul(own);
    const heap = new Float32Array(memory.buffer);
    const [aAt, bAt, bpAt, cAt] = [0, m * k, m * k + k * n, m * k + 2 * k * n];
    heap.set(a.dataSync(), aAt);
    heap.set(b.dataSync(), bAt);
    const times = { tfjs: [] as number[], fma: [] as number[], mulAdd: [] as number[] };
    const diff = { fma: 0, mulAdd: 0 };
    for (let r = 0; r < reps + 1; r++) {
      const fresh = tf.add(b, 0) as tf.Tensor2D; // a new tensor, as each training step's operands are
      const own = useOwnMatMul(false); // tfjs's own kernel: XNNPACK
      let t0 = performance.now();
      tf.matMul(a, fresh).dispose();
      const tTfjs = performance.now() - t0;
      useOwnMatMul(own);
      fresh.dispose();
      for (const kind of ['fma', 'mulAdd'] as const) {
        t0 = performance.now();
        kernels[kind].pack(bAt * 4, bpAt * 4, k, n);
        kernels[kind].gemm(aAt * 4, bpAt * 4, cAt * 4, m, k, n);
        if (r > 0) times[kind].push(performance.now() - t0); // the first repetition warms up
        const got = heap.subarray(cAt, cAt + m * n);
        for (let i = 0; i < got.length; i += 97) diff[kind] = Math.max(diff[kind], Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
      }
      if (r > 0) times.tfjs.push(tTfjs);
    }
    tf.dispose([a, b]);
    const med = { tfjs: median(times.tfjs), fma: median(times.fma), mulAdd: median(times.mulAdd) };
    if (STEP.some((p) => p[0] === what)) (Object.keys(total) as (keyof typeof total)[]).forEach((key) => (total[key] += med[key]));
    const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
    rows.push([what, `[${m}, ${k}] x [${k}, ${n}]`, med.tfjs.toFixed(2), med.fma.toFixed(2), med.mulAdd.toFixed(2), gflops(med.tfjs), gflops(med.fma), `${(med.tfjs / med.fma).toFixed(2)}x`, `${(med.tfjs / med.mulAdd).toFixed(2)}x`, `${diff.fma.toExponential(1)} / ${diff.mulAdd.toExponential(1)}`]);
  }
  rows.push(['all 13 of one step', '', total.tfjs.toFixed(1), total.fma.toFixed(1), total.mulAdd.toFixed(1), '', '', `${(total.tfjs / total.fma).toFixed(2)}x`, `${(total.tfjs / total.mulAdd).toFixed(2)}x`, '']);
  console.log(markdownTable(rows));
  console.log(`\n${loadLine()} at end`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
