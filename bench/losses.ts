/**
 * Benchmark: ntXent and infoNCE forward+backward on the active tfjs backend against PyTorch
 * (one thread), same shapes, same run.
 *
 *   npm run bench:losses                       # N = 256 and 1024 pairs, D = 128
 *   npm run bench:losses -- --sizes 256 --reps 5 --naive
 *
 * bench/losses_torch.py runs beside this process (/usr/bin/python3, `--serve`) and the two sides
 * ALTERNATE single repetitions of the same case (tfjs, torch, tfjs, torch, ...), so both see the
 * same machine load. The table shows medians after --warmup of wall time and of process CPU time
 * (user + system; on a machine shared with other jobs CPU time is the steadier of the two, since
 * waiting for a core is not counted), tfjs/torch for each, and the ratio of the fastest CPU times. `--naive` adds the textbook tfjs NT-Xent (transposed
 * matMul, eye mask, one-hot, logSoftmax) for comparison. The target on WASM is <= 3x.
 * Cases: ntXent(z1, z2) on [N, D]; infoNCE(x y^T) from x, y [N, D]; infoNCEScores on a given
 * [N, N] score matrix (no matmul: it measures per-op overhead, where torch's 0.1 ms wins).
 */
import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { infoNCE, ntXent, pairwiseDot } from '../lib/losses';

/** Settings; CLI flags override. */
interface BenchConfig {
  sizes: number[]; // N pairs
  dim: number; // embedding size D
  reps: number; // timed repetitions (median reported)
  warmup: number; // untimed repetitions first
  temperature: number; // ntXent tau
  naive: boolean; // also time the textbook NT-Xent
  python: string; // interpreter with torch (Debian python3-torch)
}

const DEFAULTS: BenchConfig = {
  sizes: [256, 1024],
  dim: 128,
  reps: 7,
  warmup: 2,
  temperature: 0.5,
  naive: false,
  python: '/usr/bin/python3',
};

function parseArgs(argv: string[]): BenchConfig {
  const c = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--naive') c.naive = true;
    else if (flag === '--sizes') (c.sizes = value.split(',').map(Number)), i++;
    else if (flag === '--dim') (c.dim = Number(value)), i++;
    else if (flag === '--reps') (c.reps = Number(value)), i++;
    else if (flag === '--warmup') (c.warmup = Number(value)), i++;
    else if (flag === '--python') (c.python = value), i++;
    else throw new Error(`bench/losses: unknown flag ${flag}; valid: --sizes 256,1024 --dim 128 --reps 7 --warmup 2 --naive --python PATH`);
  }
  return c;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall and process CPU time of one step in ms. */
interface Timing {
  ms: number;
  cpuMs: number;
}

/** One forward+backward; reading the gradients back makes every backend finish. */
function timeTfOnce(step: () => tf.Tensor[]): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const grads = step();
  for (const g of grads) g.dataSync();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  tf.dispose(grads);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** bench/losses_torch.py --serve as a child: one request line in, one timed step out. */
class TorchPeer {
  private readonly pending: ((line: string) => void)[] = [];
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(line));
  }

  /** Starts the peer, or returns why it could not (no torch, no python). */
  static async start(c: BenchConfig): Promise<TorchPeer | string> {
    const args = [path.join(__dirname, 'losses_torch.py'), '--serve', '--dim', String(c.dim), '--temperature', String(c.temperature)];
    const child = spawn(c.python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const peer = new TorchPeer(child);
    const ready = await Promise.race([
      peer.next(),
      new Promise<string>((resolve) => child.on('close', () => resolve(''))),
      new Promise<string>((resolve) => child.on('error', (e) => resolve(`error ${e.message}`))),
    ]);
    if (!ready.includes('"ready"')) {
      child.kill();
      return `${c.python} bench/losses_torch.py could not start (${(ready || stderr).trim().split('\n').pop()}); is Debian python3-torch installed?`;
    }
    return peer;
  }

  private next(): Promise<string> {
    return new Promise((resolve) => this.pending.push(resolve));
  }

  async step(loss: string, n: number): Promise<Timing> {
    const reply = this.next();
    this.child.stdin.write(`${loss} ${n}\n`);
    const r = JSON.parse(await reply) as { ms: number; cpu_ms: number };
    return { ms: r.ms, cpuMs: r.cpu_ms };
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** The textbook version: transposed matMul, materialised eye mask and one-hot, logSoftmax. */
function naiveNtXent(z1: tf.Tensor2D, z2: tf.Tensor2D, tau: number): tf.Scalar {
  return tf.tidy(() => {
    const n = z1.shape[0];
    const z = tf.concat([z1, z2]);
    const zn = tf.div(z, tf.norm(z, 'euclidean', 1, true));
    const sim = tf.div(tf.matMul(zn, zn, false, true), tau);
    const logits = tf.sub(sim, tf.mul(tf.eye(2 * n), 1e9));
    const target = tf.oneHot(tf.concat([tf.range(n, 2 * n, 1, 'int32'), tf.range(0, n, 1, 'int32')]), 2 * n);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}

function tfStep(loss: string, n: number, c: BenchConfig): { step: () => tf.Tensor[]; inputs: tf.Tensor[] } {
  const a = tf.randomNormal([n, c.dim], 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal([n, c.dim], 0, 1, 'float32', 2) as tf.Tensor2D;
  const tau = c.temperature;
  if (loss === 'ntXent') {
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => ntXent(x as tf.Tensor2D, y as tf.Tensor2D, { temperature: tau }));
    return { step: () => g([a, b]), inputs: [a, b] };
  }
  if (loss === 'ntXentNaive') {
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => naiveNtXent(x as tf.Tensor2D, y as tf.Tensor2D, tau));
    return { step: () => g([a, b]), inputs: [a, b] };
  }
  if (loss === 'infoNCE') {
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => infoNCE(pairwiseDot(x as tf.Tensor2D, y as tf.Tensor2D)));
    return { step: () => g([a, b]), inputs: [a, b] };
  }
  const scores = tf.randomNormal([n, n], 0, 1, 'float32', 3) as tf.Tensor2D;
  const g = tf.grads((s: tf.Tensor) => infoNCE(s as tf.Tensor2D));
  return { step: () => g([scores]), inputs: [a, b, scores] };
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const info = await initBackend();
  console.log(info.summary);
  console.log(`D=${c.dim}, tau=${c.temperature}, median of ${c.reps} after ${c.warmup} warm-up; torch 1 thread via ${c.python}`);
  console.log('machine may be shared: wall times are noisy; each ratio pairs alternating reps; CPU time excludes waiting for a core\n');
  const peer = await TorchPeer.start(c);
  if (typeof peer === 'string') console.log(`torch peer unavailable: ${peer}; timing tfjs only`);
  const rows: string[][] = [
    ['case', 'N', 'tfjs wall', 'torch wall', 'ratio wall', 'tfjs cpu', 'torch cpu', 'ratio cpu', 'ratio cpu min'],
  ];
  const cases = ['ntXent', ...(c.naive ? ['ntXentNaive'] : []), 'infoNCE', 'infoNCEScores'];
  const none: Timing = { ms: NaN, cpuMs: NaN };
  for (const n of c.sizes) {
    for (const loss of cases) {
      const { step, inputs } = tfStep(loss, n, c);
      const torchCase = loss === 'ntXentNaive' ? 'ntXent' : loss;
      const ours: Timing[] = [];
      const theirs: Timing[] = [];
      for (let rep = 0; rep < c.warmup + c.reps; rep++) {
        const a = timeTfOnce(step);
        const b = typeof peer === 'string' ? none : await peer.step(torchCase, n);
        if (rep >= c.warmup) ours.push(a), theirs.push(b);
      }
      tf.dispose(inputs);
      const med = (ts: Timing[], k: keyof Timing) => median(ts.map((t) => t[k]));
      const min = (ts: Timing[]) => Math.min(...ts.map((t) => t.cpuMs));
      const fmt = (x: number, unit = '') => (Number.isFinite(x) ? `${x.toFixed(2)}${unit}` : '-');
      const [tw, pw, tc, pc] = [med(ours, 'ms'), med(theirs, 'ms'), med(ours, 'cpuMs'), med(theirs, 'cpuMs')];
      rows.push([
        loss, String(n), fmt(tw, ' ms'), fmt(pw, ' ms'), fmt(tw / pw, 'x'),
        fmt(tc, ' ms'), fmt(pc, ' ms'), fmt(tc / pc, 'x'), fmt(min(ours) / min(theirs), 'x'),
      ]);
      console.log(rows[rows.length - 1].join('  '));
    }
  }
  if (typeof peer !== 'string') peer.close();
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  console.log('\n' + rows.map((r) => r.map((v, j) => (j < 1 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join(' | ')).join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
