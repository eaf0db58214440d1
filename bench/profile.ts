/**
 * Where the time of one step goes, kernel by kernel, on the active tfjs backend.
 *
 *   npm run bench:profile                       # every case
 *   npm run bench:profile -- --case ntxent-1024,simclr-mlp --top 8 --reps 9
 *
 * Per case it prints: the median wall and CPU time of one step (no profiler attached), the number
 * of backend kernels the step runs, the summed kernel time (one run under `tf.profile`), and the
 * rest, "JS overhead" = step CPU time - kernel CPU time (tfjs bookkeeping, the gradient tape, our
 * own JS, garbage collection). Then the kernels by total time, with their count and input shapes.
 * Kernels are timed in process CPU time (the backend's timer is swapped for one that reads
 * `process.cpuUsage()` around each kernel; WASM runs kernels synchronously on this thread), so
 * time spent waiting for a core on a loaded machine is not counted. Custom-gradient scopes are
 * not kernels, and kernels that run inside another kernel (lib/backend builds the conv gradients
 * from other kernels) are part of that kernel's time: both are left out, so nothing counts twice.
 *
 * Cases (batch 256 = N pairs, D = 128, tau 0.5 unless named):
 *   ntxent-256, ntxent-1024   ntXent forward + backward (tf.grads) at N pairs
 *   simclr-mlp, simclr-cnn    one SimCLR step as lib/train runs it, without augmentation:
 *                             encoder + head on 2N views, ntXent, Adam via optimizer.minimize
 *   moco-mlp                  one MoCo step: key encoder (no gradient), query encoder + head,
 *                             mocoInfoNCE against K = 4096 keys, Adam, momentum update, enqueue
 *   augment                   lib/train's default augmentation, two views of a 256-image batch
 *   batch                     one shuffled 256-image batch from an ImageSet into a tensor
 *
 * The machine may be shared: the load average is printed; compare kernel counts and the split
 * between kernels and overhead rather than absolute times.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { fusedAdam, initBackend } from '../lib/backend';
import { batches, ImageSet } from '../lib/data';
import { mocoInfoNCE, ntXent } from '../lib/losses';
import { buildModel, cloneModel, projectionHead } from '../lib/models';
import { compose } from '../lib/augment';
import { l2Normalize } from '../lib/tensor';
import { MoCoQueue, momentumUpdateModel } from '../lib/train';

/** Settings; CLI flags override. */
interface ProfileConfig {
  cases: string[]; // which cases to run (names above)
  reps: number; // timed steps without the profiler (median reported)
  warmup: number; // untimed steps first
  top: number; // kernels listed per case
}

/** A prepared step: `run` does one step (synchronously finished); `dispose` frees its state. */
interface Case {
  run: () => void;
  dispose: () => void;
}

const BATCH = 256;
const DIM = 128;

function ntXentCase(n: number): Case {
  const a = tf.randomNormal([n, DIM], 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal([n, DIM], 0, 1, 'float32', 2) as tf.Tensor2D;
  const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => ntXent(x as tf.Tensor2D, y as tf.Tensor2D, { temperature: 0.5 }));
  return {
    run: () => {
      const g = grads([a, b]);
      g.forEach((t) => t.dataSync());
      tf.dispose(g);
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function simclrCase(kind: 'mlp' | 'cnn'): Case {
  const f = buildModel(kind, { seed: 0 });
  const g = projectionHead({ inputDim: f.outDim });
  const optimizer = fusedAdam(1e-3); // as lib/train steps
  const views = tf.tidy(() => tf.randomUniform([2 * BATCH, 28, 28, 1], 0, 1, 'float32', 1));
  const vars = [...f.trainable, ...g.trainable];
  return {
    run: () => {
      const loss = optimizer.minimize(() => {
        const z = g.apply(f.apply(views, { training: true }), { training: true }); // [2N, 128]
        const [z1, z2] = tf.split(z, 2) as [tf.Tensor2D, tf.Tensor2D];
        return ntXent(z1, z2, { temperature: 0.5 });
      }, true, vars)!;
      loss.dataSync();
      loss.dispose();
    },
    dispose: () => {
      tf.dispose(views);
      optimizer.dispose();
      f.dispose();
      g.dispose();
    },
  };
}

function mocoCase(): Case {
  const f = buildModel('mlp', { seed: 0 });
  const g = projectionHead({ inputDim: f.outDim });
  const fk = cloneModel(f);
  const gk = cloneModel(g);
  const queue = new MoCoQueue(4096, g.outDim, 7);
  const optimizer = fusedAdam(1e-3); // as lib/train steps
  const [xq, xk] = tf.tidy(() => [tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1), tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 2)]);
  const vars = [...f.trainable, ...g.trainable];
  return {
    run: () => {
      const k = tf.tidy(() => l2Normalize(gk.apply(fk.apply(xk)))); // [B, 128]
      const loss = optimizer.minimize(() => {
        const q = l2Normalize(g.apply(f.apply(xq, { training: true }), { training: true }));
        return mocoInfoNCE(q, k, queue.keys, { temperature: 0.2 });
      }, true, vars)!;
      loss.dataSync();
      loss.dispose();
      momentumUpdateModel(fk, f, 0.99);
      momentumUpdateModel(gk, g, 0.99);
      queue.enqueue(k);
      k.dispose();
      queue.keys.dataSync();
    },
    dispose: () => {
      tf.dispose([xq, xk]);
      optimizer.dispose();
      [f, g, fk, gk, queue].forEach((m) => m.dispose());
    },
  };
}

function fakeImages(n: number): ImageSet {
  const images = new Float32Array(n * 784);
  for (let i = 0; i < images.length; i++) images[i] = ((i * 2654435761) >>> 24) / 255;
  return { images, labels: new Uint8Array(n), n, height: 28, width: 28 } as unknown as ImageSet;
}

function augmentCase(): Case {
  const augment = compose(); // DEFAULT_AUGMENT_STEPS, what the trainers use
  const x = tf.tidy(() => tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 3)) as tf.Tensor4D;
  let seed = 1;
  return {
    run: () => {
      const views = tf.tidy(() => tf.concat([augment(x, seed), augment(x, seed + 1)]));
      seed += 2;
      views.dataSync();
      views.dispose();
    },
    dispose: () => x.dispose(),
  };
}

function batchCase(): Case {
  const set = fakeImages(10000);
  let epoch = 0;
  let it = batches(set, { batchSize: BATCH, seed: epoch, dropLast: true });
  return {
    run: () => {
      let next = it.next();
      if (next.done) {
        it = batches(set, { batchSize: BATCH, seed: ++epoch, dropLast: true });
        next = it.next();
      }
      next.value.x.dataSync();
      next.value.dispose();
    },
    dispose: () => undefined,
  };
}

const CASES: Record<string, () => Case> = {
  'ntxent-256': () => ntXentCase(256),
  'ntxent-1024': () => ntXentCase(1024),
  'simclr-mlp': () => simclrCase('mlp'),
  'simclr-cnn': () => simclrCase('cnn'),
  'moco-mlp': mocoCase,
  augment: augmentCase,
  batch: batchCase,
};

function parseArgs(argv: string[]): ProfileConfig {
  const c: ProfileConfig = { cases: Object.keys(CASES), reps: 7, warmup: 2, top: 12 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--case') (c.cases = value.split(',')), i++;
    else if (flag === '--reps') (c.reps = Number(value)), i++;
    else if (flag === '--warmup') (c.warmup = Number(value)), i++;
    else if (flag === '--top') (c.top = Number(value)), i++;
    else throw new Error(`bench/profile: unknown flag ${flag}; valid: --case ${Object.keys(CASES).join(',')} --reps 7 --warmup 2 --top 12`);
  }
  for (const name of c.cases) {
    if (!(name in CASES)) throw new Error(`bench/profile: unknown case ${JSON.stringify(name)}; valid: ${Object.keys(CASES).join(', ')}`);
  }
  return c;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Kernel statistics of one profiled step. */
interface KernelRow {
  name: string;
  count: number;
  ms: number;
  shapes: Set<string>;
}

/** Runs `run` under tf.profile with kernel times in process CPU ms (see the header). */
async function profileOnce(run: () => void): Promise<{ rows: KernelRow[]; kernels: number; kernelMs: number }> {
  const backend = tf.getBackend();
  const timed = tf.backend() as unknown as { time: (f: () => void) => Promise<{ kernelMs: number }> };
  const ownTime = Object.prototype.hasOwnProperty.call(timed, 'time') ? timed.time : undefined;
  // Kernels built from other kernels (lib/backend's conv gradients) run those inside their own
  // time, as customGrad scopes do theirs. Record who ran inside whom (tf.profile lists entries in
  // completion order, as this wrapper finishes them) and count a kernel only if no kernel
  // encloses it; scopes themselves are not counted.
  let started = 0;
  const stack: number[] = [];
  const done: { id: number; parent: number | null }[] = [];
  timed.time = async (f: () => void) => {
    const id = started++;
    const parent = stack.length ? stack[stack.length - 1] : null;
    stack.push(id);
    const c0 = process.cpuUsage();
    try {
      f();
    } finally {
      stack.pop();
    }
    const used = process.cpuUsage(c0);
    done.push({ id, parent });
    return { kernelMs: (used.user + used.system) / 1000 };
  };
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(run);
  } finally {
    if (ownTime === undefined) delete (timed as { time?: unknown }).time;
    else timed.time = ownTime;
  }
  const times = await Promise.all(info.kernels.map((k) => Promise.resolve(k.kernelTimeMs as number | { error: string })));
  const rows = new Map<string, KernelRow>();
  let kernels = 0;
  let kernelMs = 0;
  if (done.length !== info.kernels.length) throw new Error(`bench/profile: timed ${done.length} kernels but tf.profile lists ${info.kernels.length}`);
  const isKernel = (name: string) => tf.getKernel(name, backend) !== undefined;
  const nameOf = new Map(done.map((d, i) => [d.id, info.kernels[i].name]));
  const parentOf = new Map(done.map((d) => [d.id, d.parent]));
  const insideKernel = (id: number) => {
    for (let p = parentOf.get(id) ?? null; p !== null; p = parentOf.get(p) ?? null) if (isKernel(nameOf.get(p)!)) return true;
    return false;
  };
  info.kernels.forEach((k, i) => {
    if (!isKernel(k.name) || insideKernel(done[i].id)) return; // a customGrad scope, or part of an enclosing kernel
    const ms = typeof times[i] === 'number' ? (times[i] as number) : 0;
    const row = rows.get(k.name) ?? { name: k.name, count: 0, ms: 0, shapes: new Set<string>() };
    row.count++;
    row.ms += ms;
    row.shapes.add(k.inputShapes.map((s) => `[${s ?? ''}]`).join('x'));
    rows.set(k.name, row);
    kernels++;
    kernelMs += ms;
  });
  return { rows: [...rows.values()].sort((a, b) => b.ms - a.ms), kernels, kernelMs };
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const info = await initBackend();
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`${info.summary}; load average ${load()} on ${os.cpus().length} cores; median of ${c.reps} after ${c.warmup} warm-up`);
  const summary: string[][] = [['case', 'wall ms', 'cpu ms', 'kernels', 'kernel cpu ms', 'overhead cpu ms', 'overhead %']];
  for (const name of c.cases) {
    const k = CASES[name]();
    try {
      for (let i = 0; i < c.warmup; i++) k.run();
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < c.reps; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        k.run();
        wall.push(performance.now() - t0);
        const used = process.cpuUsage(c0);
        cpu.push((used.user + used.system) / 1000);
      }
      const p = await profileOnce(k.run);
      const [w, cpuMs] = [median(wall), median(cpu)];
      const overhead = Math.max(cpuMs - p.kernelMs, 0);
      summary.push([name, w.toFixed(2), cpuMs.toFixed(2), String(p.kernels), p.kernelMs.toFixed(2), overhead.toFixed(2), `${((100 * overhead) / cpuMs).toFixed(0)}%`]);
      console.log(`\n== ${name}: wall ${w.toFixed(2)} ms, CPU ${cpuMs.toFixed(2)} ms, ${p.kernels} kernels, ${p.kernelMs.toFixed(2)} CPU ms in kernels (profiled run), overhead ${overhead.toFixed(2)} ms`);
      for (const r of p.rows.slice(0, c.top)) {
        const shapes = [...r.shapes].slice(0, 3).join(' ; ') + (r.shapes.size > 3 ? ` ; +${r.shapes.size - 3} more` : '');
        console.log(`  ${r.name.padEnd(22)} x${String(r.count).padEnd(4)} ${r.ms.toFixed(2).padStart(9)} ms  ${shapes}`);
      }
    } finally {
      k.dispose();
    }
  }
  const widths = summary[0].map((_, j) => Math.max(...summary.map((r) => r[j].length)));
  console.log(`\nload average at end ${load()}\n`);
  console.log(summary.map((r) => '| ' + r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join(' | ') + ' |').join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
