/**
 * The accuracy run: trains SimCLR (or MoCo) on MNIST training images for a fixed number of steps
 * (with a wall-clock cap), then evaluates the frozen encoder next to the baselines (raw pixels;
 * the same encoder architecture randomly initialised): linear probe with all labels, linear
 * probe with 100 labels (10 per class; the seed's subset, and mean +- sd over 5 subsets),
 * weighted kNN (k = 200, cosine).
 *
 *   npx tsx bench/accuracy.ts                         # SimCLR, MLP, 4000 steps (cap 15 min), seed 0, TEST set
 *   npx tsx bench/accuracy.ts --validation --steps 1000 --lr 4e-3
 *        # recipe selection: train on 50 000 training images, evaluate on the other 10 000
 *        # (a fixed seeded split of the training set); the test set is not touched
 *   options: --method simclr|moco --encoder mlp|cnn --seed 0 --batch 256 --lr <peak lr>
 *            --tau <temperature> --augment crop,affine,elastic,noise --schedule constant|cosine
 *            --minutes 15 (cap) ; every option left out uses the trainer's default
 *
 * Writes the encoder to out/<tag>.json and the table to out/accuracy-<tag>.json. Prints a Markdown
 * table. Bad options exit 2 with a message naming the option.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { initBackend } from '../lib/backend';
import { writeAtomic } from '../lib/io';
import { AUGMENT_NAMES, compose } from '../lib/augment';
import { ImageSet, loadMnist, shuffledIndices, subset } from '../lib/data';
import { evaluationReport, EvaluationRow } from '../lib/evaluation';
import { buildModel, saveModel } from '../lib/models';
import { LR_SCHEDULES, MOCO_DEFAULTS, SIMCLR_DEFAULTS, trainMoCo, trainSimCLR } from '../lib/train';

const USAGE = `usage: npx tsx bench/accuracy.ts [options]     (or npm run bench:accuracy -- [options])
  --steps N         training steps (default 4000)        --minutes M   wall-clock cap (default 15)
  --method simclr|moco                                   --encoder mlp|cnn
  --seed S          weights, batches, augmentations, 100-label subsets (default 0)
  --batch B  --lr LR  --tau T  --schedule constant|cosine   (default: the trainer's defaults)
  --augment a,b,..  steps of lib/augment compose (default: lib/augment's DEFAULT_AUGMENT_STEPS)
  --validation      train on 50 000 training images, score on the other 10 000 (no test set)`;
if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
const KNOWN = ['help', 'steps', 'minutes', 'method', 'encoder', 'seed', 'batch', 'lr', 'tau', 'augment', 'schedule', 'validation'];
function fail(message: string): never {
  console.error(`bench/accuracy: ${message}`);
  process.exit(2);
}
for (const a of process.argv.slice(2)) if (a.startsWith('--') && !KNOWN.includes(a.slice(2))) fail(`unknown option ${a}\n${USAGE}`);
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}
function num(name: string, fallback: number | undefined, check: (x: number) => boolean, what: string): number | undefined {
  const v = arg(name);
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!check(x)) fail(`--${name} must be ${what}, got ${JSON.stringify(v)}`);
  return x;
}

const validation = process.argv.includes('--validation');
const steps = num('steps', 4000, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1')!;
const minutes = num('minutes', 15, (x) => x > 0, 'a number > 0')!;
const method = arg('method') ?? 'simclr';
if (method !== 'simclr' && method !== 'moco') fail(`--method must be simclr or moco, got ${JSON.stringify(method)}`);
const encoderKind = arg('encoder') ?? 'mlp';
if (encoderKind !== 'mlp' && encoderKind !== 'cnn') fail(`--encoder must be mlp or cnn, got ${JSON.stringify(encoderKind)}`);
const seed = num('seed', 0, Number.isInteger, 'an integer')!;
const defaults = method === 'moco' ? MOCO_DEFAULTS : SIMCLR_DEFAULTS;
const batchSize = num('batch', defaults.batchSize, (x) => Number.isInteger(x) && x >= 2, 'an integer >= 2')!;
const lr = num('lr', defaults.lr, (x) => x > 0, 'a number > 0')!;
const temperature = num('tau', defaults.temperature, (x) => x > 0, 'a number > 0')!;
const schedule = (arg('schedule') ?? defaults.lrSchedule) as (typeof LR_SCHEDULES)[number];
if (!LR_SCHEDULES.includes(schedule)) fail(`--schedule must be one of ${LR_SCHEDULES.join(', ')}, got ${JSON.stringify(schedule)}`);
const augmentArg = arg('augment');
const augmentSteps = augmentArg?.split(',');
for (const s of augmentSteps ?? []) if (!(AUGMENT_NAMES as string[]).includes(s)) fail(`--augment: unknown step ${JSON.stringify(s)}; valid: ${AUGMENT_NAMES.join(', ')}`);

async function main(): Promise<void> {
  const info = await initBackend();
  console.error(`${info.summary}; ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  let train: ImageSet = loadMnist({ split: 'train' });
  let test: ImageSet;
  if (validation) {
    const order = shuffledIndices(train.n, 123); // fixed split, independent of --seed
    test = subset(train, order.slice(0, 10000));
    train = subset(train, order.slice(10000));
  } else {
    test = loadMnist({ split: 'test' });
  }
  const common = {
    data: train,
    encoder: encoderKind as 'mlp' | 'cnn',
    steps,
    timeBudgetSec: minutes * 60,
    batchSize,
    lr,
    lrSchedule: schedule,
    temperature,
    seed,
    ...(augmentSteps === undefined ? {} : { augment: compose(augmentSteps) }),
  };
  const run = method === 'moco' ? await trainMoCo(common) : await trainSimCLR(common);
  const load = os.loadavg()[0];
  const tag = `${validation ? 'val-' : ''}${method}-${encoderKind}-seed${seed}-steps${steps}-lr${lr}-tau${temperature}${augmentArg === undefined ? '' : `-${augmentArg.replace(/,/g, '+')}`}`;
  fs.mkdirSync('out', { recursive: true });
  await saveModel(run.encoder, `out/${tag}.json`);
  // The protocol (lib/evaluation's evaluationReport, as in notebooks 03 and 04): linear probe on all
  // labels; 100-label probe (10 per class) on the seed's subset, and mean +- sd over 5 subsets
  // (seeds seed..seed+4); weighted kNN (k = 200, cosine, T = 0.1).
  const random = buildModel(encoderKind, { seed });
  const rows: EvaluationRow[] = evaluationReport({
    train,
    test,
    features: [
      [`${method} ${encoderKind} encoder (${run.steps} steps, ${(run.seconds / 60).toFixed(1)} min)`, run.encoder],
      [`random ${encoderKind} encoder (same architecture, untrained)`, random],
      ['raw pixels', 'pixels'],
    ],
    subsets: 5,
    seed,
    onRow: (r) => console.error(`[eval] ${r.name}: probe ${r.probeAll} / 100-label ${r.probeFew} (mean ${r.probeFewMean?.toFixed(4)} sd ${r.probeFewSd?.toFixed(4)}) / kNN ${r.knn} (${r.seconds.toFixed(0)} s)`),
  });
  random.dispose();
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const where = validation ? `VALIDATION: trained on 50 000 training images, evaluated on the other 10 000 (seeded split 123)` : `full 10k test set, trained on all ${train.n} training images`;
  const lines = [
    `MNIST, ${where}, frozen features. Seed ${seed}; ${method} ${encoderKind}, batch ${batchSize}, lr ${lr} (${schedule}), temperature ${temperature}, ` +
      `augment ${augmentArg ?? 'default'}; ${run.steps} steps (${((run.steps * batchSize) / train.n).toFixed(2)} epochs) in ${(run.seconds / 60).toFixed(1)} min ` +
      `(cap ${minutes} min, stopped by ${run.stoppedBy}), ${run.imagesPerSec.toFixed(0)} images/s; ${info.summary.split(' - ')[0]}; ` +
      `1-min load average ${load.toFixed(1)} at the end of training.`,
    '',
    '| features | linear probe, all labels | linear probe, 100 labels (seed subset) | 100 labels, mean +- sd of 5 subsets | kNN (k=200, cosine) |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${pct(r.probeAll!)} | ${pct(r.probeFew!)} | ${pct(r.probeFewMean!)} +- ${(100 * r.probeFewSd!).toFixed(2)} | ${pct(r.knn!)} |`),
  ];
  console.log(lines.join('\n'));
  const record = { validation, seed, method, encoder: encoderKind, batchSize, lr, schedule, temperature, augment: augmentArg ?? 'default', steps: run.steps, seconds: run.seconds, stoppedBy: run.stoppedBy, imagesPerSec: run.imagesPerSec, backend: info.summary, load, rows, losses: run.losses };
  const file = `out/accuracy-${tag}.json`;
  writeAtomic(file, JSON.stringify(record, null, 1));
  run.encoder.dispose();
  run.head.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
