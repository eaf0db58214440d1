/**
 * SimCLR training throughput (images/s; each image = 2 views through encoder + head, NT-Xent,
 * Adam step) for the MLP and CNN encoders on tfjs (this process's backend, and the cpu backend for
 * the CNN) against PyTorch (/usr/bin/python3, Debian python3-torch, 1 thread), same
 * architectures, batch and augmentation-free input, in ONE run back to back. Prints the ratios.
 *
 *   npx tsx bench/simclr.ts [--batch 256] [--seconds 10] [--no-cpu]
 *
 * Target: WASM MLP step at most 5x PyTorch's time. The machine may be shared: ratios from the
 * same run are meaningful, absolute numbers less so (the load average is printed).
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../lib/backend';
import { ntXent } from '../lib/losses';
import { buildModel, projectionHead } from '../lib/models';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const batch = Number(arg('batch', '256'));
const seconds = Number(arg('seconds', '10'));
const withCpu = !process.argv.includes('--no-cpu');

function benchTfjs(kind: 'mlp' | 'cnn', budgetSec: number): { imagesPerSec: number; steps: number } {
  const f = buildModel(kind, { seed: 0 });
  const g = projectionHead({ inputDim: f.outDim });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const views = tf.concat([x, x]);
  const vars = [...f.trainable, ...g.trainable];
  const step = () => {
    const loss = optimizer.minimize(() => {
      const [z1, z2] = tf.split(g.apply(f.apply(views, { training: true }), { training: true }), 2) as tf.Tensor2D[];
      return ntXent(z1, z2, { temperature: 0.5 });
    }, true, vars)!;
    loss.dataSync();
    loss.dispose();
  };
  step();
  step();
  let steps = 0;
  const t0 = Date.now();
  while (steps < 3 || Date.now() - t0 < budgetSec * 1000) {
    step();
    steps++;
  }
  const dt = (Date.now() - t0) / 1000;
  tf.dispose([x, views]);
  optimizer.dispose();
  f.dispose();
  g.dispose();
  return { imagesPerSec: (steps * batch) / dt, steps };
}

async function main(): Promise<void> {
  const info = await initBackend();
  const load = () => os.loadavg()[0].toFixed(1);
  console.log(`${info.summary}; batch ${batch}; ~${seconds} s per measurement; load average at start ${load()} on ${os.cpus().length} cores`);
  const rows: { name: string; ips: number }[] = [];
  const tfjs: Record<string, number> = {};
  for (const kind of ['mlp', 'cnn'] as const) {
    const r = benchTfjs(kind, seconds);
    tfjs[kind] = r.imagesPerSec;
    rows.push({ name: `tfjs ${info.name} ${kind}`, ips: r.imagesPerSec });
  }
  let cpuCnn = NaN;
  if (withCpu && info.name !== 'cpu') {
    await initBackend({ backend: 'cpu' });
    cpuCnn = benchTfjs('cnn', seconds).imagesPerSec;
    rows.push({ name: 'tfjs cpu cnn', ips: cpuCnn });
    await initBackend({ backend: info.name });
  }
  const script = path.join(__dirname, 'simclr_torch.py');
  const out = execFileSync('/usr/bin/python3', [script, String(batch), String(seconds), 'mlp,cnn'], { encoding: 'utf8' });
  const torch: Record<string, number> = {};
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line) as { encoder: string; images_per_sec: number; torch: string };
    torch[r.encoder] = r.images_per_sec;
    rows.push({ name: `pytorch ${r.torch} (1 thread) ${r.encoder}`, ips: r.images_per_sec });
  }
  console.log('\n| run | images/s |\n|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.ips.toFixed(1)} |`);
  console.log('\nratios (step time, tfjs / PyTorch; target for the WASM MLP: <= 5):');
  for (const kind of ['mlp', 'cnn']) console.log(`  ${kind}: ${(torch[kind] / tfjs[kind]).toFixed(2)}x`);
  if (Number.isFinite(cpuCnn)) console.log(`  cnn ${info.name} vs cpu backend: ${(tfjs.cnn / cpuCnn).toFixed(1)}x faster`);
  console.log(`load average at end ${load()}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
