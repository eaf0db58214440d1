/**
 * Training throughput on one core against both: images per second of lib/train's
 * trainSimCLR and trainMoCo (MLP encoder, batch 256, the default augmentation) on MNIST, for two
 * settings given as threads:workers (threads `default`: CLAB_THREADS unset, the library's choice). Default: `1:0` (WASM on one thread, views made on the
 * training thread: one core) against `auto:1` (WASM on one thread per core, a data worker thread
 * making the views ahead of the step). The thread count is fixed when WASM starts, so each run is
 * its own child process; runs alternate A B, B A, ... so both sides see the same load.
 *
 *   npm run bench:train                                   # 5 pairs of 40-step runs per method
 *   npm run bench:train -- --methods simclr --pairs 7 --steps 60 --limit 10000
 *   npm run bench:train -- --a 1:0 --b 1:1                # the data worker alone
 *   git worktree add /tmp/base <rev> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   npm run bench:train -- --a-checkout /tmp/base --a 1:0    # before/after a change
 *   npm run bench:train -- --a 1:1 --b 2:1 --torch 2:1       # and PyTorch on both cores
 *
 * `--torch T:W` adds a third run to every pair: the same training in PyTorch (bench/torch_train.py:
 * same model, batch, losses, Adam and augmentation recipe; T torch threads, W = 1 a DataLoader
 * worker process making the views), with the torch bench/find_torch.ts finds; its images/s and
 * tfjs B / torch are reported, and its augmentation's CPU ms per step (two views of 256) once.
 *
 * `--a-checkout DIR` runs side A with the lib/ of another checkout of this repository (an older
 * commit, to measure a change before and after in one run). Its trainers get both `steps` and
 * `maxSteps` (older commits' name for it) and ignore the one they do not know, so runs of a
 * commit from before the data worker or WASM threads simply train on one thread.
 *
 * Wall-clock images/s is the measure (the point is to use the second core; CPU time counts every
 * thread). Each pair also checks that both settings gave the same losses, bit for bit.
 * The table gives the median images/s of each side and the median of the per-pair ratios, with
 * the load average before and after: on a shared machine, only numbers measured at a load
 * below the core count say anything about the speed-up.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { initBackend } from '../lib/backend';
import type { loadMnist } from '../lib/data';
import type { trainMoCo, trainSimCLR } from '../lib/train';
import * as os from 'node:os';
import { findTorch } from './find_torch';
import { envWithoutThreads, loadLine, markdownTable, median } from './interleave';

type Method = 'simclr' | 'moco';

/** One side: WASM threads ('auto' = one per core), data workers, and the checkout whose lib/ it runs. */
interface Setting {
  threads: string;
  workers: 0 | 1;
  checkout: string; // repository root
}

const HERE = path.resolve(__dirname, '..');

interface BenchConfig {
  methods: Method[];
  pairs: number; // A/B pairs per method
  steps: number; // steps per run
  limit: number; // training images
  a: Setting;
  b: Setting;
  torch: { threads: number; workers: 0 | 1 } | null;
  python?: string;
}

const DEFAULTS: BenchConfig = { methods: ['simclr', 'moco'], pairs: 5, steps: 40, limit: 10000, a: { threads: '1', workers: 0, checkout: HERE }, b: { threads: 'auto', workers: 1, checkout: HERE }, torch: null };
const USAGE = 'valid: --methods simclr,moco --pairs 5 --steps 40 --limit 10000 --a 1:0 --b auto:1 --a-checkout DIR --torch 2:1 --python PATH';

function parseSetting(flag: string, value: string, checkout: string): Setting {
  const m = /^(auto|default|[1-8]):([01])$/.exec(value.trim());
  if (m === null) throw new Error(`bench/train: ${flag} must be threads:workers (threads 1-8, auto or default, workers 0 or 1), got ${JSON.stringify(value)}`);
  return { threads: m[1], workers: Number(m[2]) as 0 | 1, checkout };
}

function checkCheckout(dir: string): string {
  const root = path.resolve(dir);
  for (const need of ['lib/train/index.ts', 'node_modules/@tensorflow/tfjs']) {
    if (!fs.existsSync(path.join(root, need))) {
      throw new Error(`bench/train: --a-checkout ${JSON.stringify(dir)} has no ${need}; give a checkout of this repository with its node_modules (a symlink to this one's will do)`);
    }
  }
  return root;
}

function parseArgs(argv: string[]): BenchConfig {
  const c: BenchConfig = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`bench/train: ${flag} needs a value; ${USAGE}`);
    if (flag === '--methods') c.methods = value.split(',') as Method[];
    else if (flag === '--pairs') c.pairs = Number(value);
    else if (flag === '--steps') c.steps = Number(value);
    else if (flag === '--limit') c.limit = Number(value);
    else if (flag === '--a' || flag === '--b') c[flag === '--a' ? 'a' : 'b'] = parseSetting(flag, value, c[flag === '--a' ? 'a' : 'b'].checkout);
    else if (flag === '--a-checkout') c.a = { ...c.a, checkout: checkCheckout(value) };
    else if (flag === '--torch') {
      const m = /^([1-8]):([01])$/.exec(value.trim());
      if (m === null) throw new Error(`bench/train: --torch must be threads:workers (threads 1-8, workers 0 or 1), got ${JSON.stringify(value)}`);
      c.torch = { threads: Number(m[1]), workers: Number(m[2]) as 0 | 1 };
    } else if (flag === '--python') c.python = value;
    else throw new Error(`bench/train: unknown flag ${flag}; ${USAGE}`);
  }
  for (const m of c.methods) if (m !== 'simclr' && m !== 'moco') throw new Error(`bench/train: unknown method ${JSON.stringify(m)}; valid: simclr, moco`);
  for (const k of ['pairs', 'steps', 'limit'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`bench/train: --${k} must be an integer >= 1, got ${c[k]}`);
  }
  return c;
}

interface RunResult {
  summary: string;
  imagesPerSec: number;
  losses: number[];
}

/** The child: one training run in this process with `checkout`'s lib, its result as JSON on the last stdout line. */
async function runOne(method: Method, steps: number, limit: number, workers: 0 | 1, checkout: string): Promise<void> {
  // Loaded here, not imported at the top: a child for another checkout must load only that one's lib.
  const lib = (folder: string) => require(path.join(checkout, 'lib', folder));
  const { initBackend: init } = lib('backend') as { initBackend: typeof initBackend };
  const { loadMnist: load } = lib('data') as { loadMnist: typeof loadMnist };
  const train = lib('train') as { trainSimCLR: typeof trainSimCLR; trainMoCo: typeof trainMoCo };
  const info = await init();
  const data = load({ split: 'train', limit });
  const common = { data, steps, maxSteps: steps, workers, progress: false };
  const run = method === 'simclr' ? await train.trainSimCLR(common) : await train.trainMoCo(common);
  const models: { dispose(): void }[] = [run.encoder, run.head];
  for (const key of ['keyEncoder', 'keyHead', 'queue']) if (key in run) models.push((run as unknown as Record<string, { dispose(): void }>)[key]);
  models.forEach((m) => m.dispose());
  const result: RunResult = { summary: info.summary, imagesPerSec: run.imagesPerSec, losses: run.losses };
  console.log(JSON.stringify(result));
}

function spawnRun(method: Method, c: BenchConfig, side: Setting): RunResult {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', method, String(c.steps), String(c.limit), String(side.workers), side.checkout], {
    env: side.threads === 'default' ? envWithoutThreads() : { ...process.env, CLAB_THREADS: side.threads }, // workers go as an argument
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`bench/train: the ${method} run with ${label(side)} failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(last) as RunResult;
}

interface TorchRun {
  images_per_sec: number;
  losses: number[];
  aug_ms: number;
  torch: string;
}

/** The PyTorch loop (bench/torch_train.py) on the same images, written once to `file`. */
function spawnTorch(method: Method, c: BenchConfig, python: string, file: string): TorchRun {
  const cfg = { images: file, n: c.limit, method, steps: c.steps, threads: c.torch!.threads, workers: c.torch!.workers };
  const r = spawnSync(python, [path.join(__dirname, 'torch_train.py'), JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`bench/train: the torch ${method} run failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(last) as TorchRun;
}

function label(s: Setting): string {
  return `${s.checkout === HERE ? '' : `checkout ${s.checkout}, `}threads ${s.threads}, workers ${s.workers}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return runOne(argv[1] as Method, Number(argv[2]), Number(argv[3]), Number(argv[4]) as 0 | 1, argv[5]);
  const c = parseArgs(argv);
  console.log(`${c.steps} steps per run, batch 256, ${c.limit} MNIST images, ${c.pairs} pairs per method; A = ${label(c.a)}, B = ${label(c.b)}; ${loadLine()} at start`);
  let torchFile = '';
  let python = '';
  if (c.torch !== null) {
    const torch = findTorch(c.python);
    if (typeof torch === 'string') throw new Error(`bench/train: --torch: ${torch}`);
    python = torch.python;
    const { loadMnist: load } = require(path.join(HERE, 'lib', 'data')) as { loadMnist: typeof loadMnist };
    const data = load({ split: 'train', limit: c.limit });
    torchFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clab-train-')), 'images.f32');
    fs.writeFileSync(torchFile, Buffer.from(data.images.buffer, data.images.byteOffset, data.images.byteLength));
    console.log(`torch: ${torch.python} (${torch.source}), ${c.torch.threads} thread(s), ${c.torch.workers} DataLoader worker(s)`);
  }
  const torchLabel = c.torch === null ? '' : `torch ${c.torch.threads}:${c.torch.workers}`;
  const rows: string[][] = [['method', `A: ${label(c.a)} images/s`, `B: ${label(c.b)} images/s`, 'B/A (median of pairs)', 'B/A range', 'losses equal', ...(c.torch === null ? [] : [`${torchLabel} images/s`, 'torch / B (median of pairs)', 'torch aug. CPU ms'])]];
  rows[0].push('load before -> after');
  const sameCode = c.a.checkout === c.b.checkout; // across commits the losses may differ in the last digits
  for (const method of c.methods) {
    const rate: Record<'a' | 'b' | 't', number[]> = { a: [], b: [], t: [] };
    const torchOverB: number[] = [];
    let augMs = 0;
    const ratios: number[] = [];
    let equal = true;
    let maxDiff = 0; // largest |loss A - loss B| at the same step
    const loadBefore = loadLine();
    for (let p = 0; p < c.pairs; p++) {
      const losses: Record<string, number[]> = {};
      // Alternate which side goes first, so a drift in load does not favour one.
      const order = p % 2 === 0 ? (['a', 'b', 't'] as const) : (['t', 'b', 'a'] as const);
      for (const side of order) {
        if (side === 't') {
          if (c.torch === null) continue;
          const t = spawnTorch(method, c, python, torchFile);
          rate.t.push(t.images_per_sec);
          augMs = t.aug_ms;
          continue;
        }
        const run = spawnRun(method, c, c[side]);
        if (p === 0 && method === c.methods[0]) console.log(`${side.toUpperCase()}: ${run.summary}`);
        rate[side].push(run.imagesPerSec);
        losses[side] = run.losses;
      }
      equal &&= JSON.stringify(losses.a) === JSON.stringify(losses.b);
      losses.a.forEach((l, i) => (maxDiff = Math.max(maxDiff, Math.abs(l - losses.b[i]))));
      ratios.push(rate.b[p] / rate.a[p]);
      if (c.torch !== null) torchOverB.push(rate.t[p] / rate.b[p]);
      const torchText = c.torch === null ? '' : `, ${torchLabel} ${rate.t[p].toFixed(0)} (${torchOverB[p].toFixed(2)}x B)`;
      console.log(`${method} pair ${p + 1}: ${rate.a[p].toFixed(0)} -> ${rate.b[p].toFixed(0)} images/s (${ratios[p].toFixed(2)}x)${torchText}; ${loadLine()}`);
    }
    rows.push([method, median(rate.a).toFixed(0), median(rate.b).toFixed(0), `${median(ratios).toFixed(2)}x`, `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`, equal ? 'yes' : `${sameCode ? 'NO' : 'no (other code)'}, max diff ${maxDiff.toPrecision(2)}`, ...(c.torch === null ? [] : [median(rate.t).toFixed(0), `${median(torchOverB).toFixed(2)}x`, augMs.toFixed(0)]), `${loadBefore} -> ${loadLine()}`]);
  }
  console.log(`\n${markdownTable(rows)}`);
  if (torchFile !== '') fs.rmSync(path.dirname(torchFile), { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
