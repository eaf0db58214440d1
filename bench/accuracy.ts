/**
 * The accuracy run: trains SimCLR (or MoCo) on all 60k MNIST training images for a wall-clock
 * budget, then evaluates the frozen encoder on the full 10k test set next to the baselines
 * (raw pixels; the same encoder architecture randomly initialised): linear probe with all 60k
 * labels, linear probe with 100 labels (10 per class), weighted kNN (k = 200, cosine).
 *
 *   npx tsx bench/accuracy.ts                      # SimCLR, MLP, 15 min, seed 0
 *   npx tsx bench/accuracy.ts --minutes 5 --method moco --encoder cnn --seed 1
 *   options: --batch 256 --lr 1e-3 --tau <temperature; default: the trainer's>
 *
 * Writes the encoder to out/<method>-<encoder>-seed<seed>-lr<lr>[-tau<tau>].json and the table to
 * out/accuracy-<same>.json. Prints a Markdown table.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import { initBackend } from '../lib/backend';
import { balancedSubset, ImageSet, loadMnist } from '../lib/data';
import { extractFeatures, knnAccuracy, linearProbe } from '../lib/eval';
import { buildModel, Model, saveModel } from '../lib/models';
import { trainMoCo, trainSimCLR } from '../lib/train';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const minutes = Number(arg('minutes', '15'));
const method = arg('method', 'simclr');
const encoderKind = arg('encoder', 'mlp') as 'mlp' | 'cnn';
const seed = Number(arg('seed', '0'));
const batchSize = Number(arg('batch', '256'));
const lr = Number(arg('lr', '1e-3'));
const temperature = arg('tau', '');

interface Row {
  name: string;
  probeAll: number;
  probe100: number;
  knn: number;
}

function pixels(set: ImageSet): tf.Tensor2D {
  return tf.tensor2d(set.images, [set.n, set.height * set.width]);
}

function evaluate(name: string, trainX: tf.Tensor2D, testX: tf.Tensor2D, train: ImageSet, test: ImageSet): Row {
  const t0 = Date.now();
  const all = linearProbe(trainX, train.labels, testX, test.labels, { seed });
  const idx = balancedSubset(train.labels, 10, seed);
  const x100 = tf.tidy(() => tf.gather(trainX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
  const few = linearProbe(x100, Array.from(idx, (i) => train.labels[i]), testX, test.labels, { weightDecay: 1e-2, seed });
  x100.dispose();
  const knn = knnAccuracy(trainX, train.labels, testX, test.labels, { k: 200, temperature: 0.1 });
  console.error(`[eval] ${name}: probe ${all.accuracy} / 100-label ${few.accuracy} / kNN ${knn} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return { name, probeAll: all.accuracy, probe100: few.accuracy, knn };
}

function evaluateEncoder(name: string, f: Model, train: ImageSet, test: ImageSet): Row {
  const a = extractFeatures(f, train);
  const b = extractFeatures(f, test);
  try {
    return evaluate(name, a, b, train, test);
  } finally {
    tf.dispose([a, b]);
  }
}

async function main(): Promise<void> {
  const info = await initBackend();
  const os = await import('node:os');
  console.error(`${info.summary}; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const train = loadMnist({ split: 'train' });
  const test = loadMnist({ split: 'test' });
  const common = { data: train, encoder: encoderKind, epochs: 1000, batchSize, lr, seed, timeBudgetSec: minutes * 60, ...(temperature === '' ? {} : { temperature: Number(temperature) }) };
  const run = method === 'moco' ? await trainMoCo(common) : await trainSimCLR(common);
  const load = os.loadavg()[0];
  const tag = `${method}-${encoderKind}-seed${seed}-lr${lr}${temperature === '' ? '' : `-tau${temperature}`}`;
  await saveModel(run.encoder, `out/${tag}.json`);
  const rows: Row[] = [];
  rows.push(evaluateEncoder(`${method} ${encoderKind} encoder (${run.steps} steps, ${(run.seconds / 60).toFixed(1)} min)`, run.encoder, train, test));
  const random = buildModel(encoderKind, { seed });
  rows.push(evaluateEncoder(`random ${encoderKind} encoder (same architecture, untrained)`, random, train, test));
  random.dispose();
  const [pa, pb] = [pixels(train), pixels(test)];
  rows.push(evaluate('raw pixels', pa, pb, train, test));
  tf.dispose([pa, pb]);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [
    `MNIST, full 10k test set, frozen features. Seed ${seed}; ${method} ${encoderKind}, batch ${batchSize}, lr ${lr}, temperature ${temperature === '' ? 'default' : temperature}, budget ${minutes} min ` +
      `(${run.steps} steps = ${((run.steps * batchSize) / train.n).toFixed(2)} epochs, ${run.imagesPerSec.toFixed(0)} images/s); ${info.summary.split(' - ')[0]}; ` +
      `2 cores shared with other jobs (1-min load average ${load.toFixed(1)} at the end of training).`,
    '',
    '| features | linear probe, 60k labels | linear probe, 100 labels | kNN (k=200, cosine) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${pct(r.probeAll)} | ${pct(r.probe100)} | ${pct(r.knn)} |`),
  ];
  console.log(lines.join('\n'));
  fs.mkdirSync('out', { recursive: true });
  fs.writeFileSync(`out/accuracy-${tag}.json`, JSON.stringify({ seed, method, encoder: encoderKind, batchSize, lr, temperature, minutes, steps: run.steps, imagesPerSec: run.imagesPerSec, backend: info.summary, rows, losses: run.losses }, null, 1));
  run.encoder.dispose();
  run.head.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
