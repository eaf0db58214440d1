/**
 * Training throughput on one core against both (issue 13 item 3): images per second of lib/train's
 * trainSimCLR and trainMoCo (MLP encoder, batch 256, the default augmentation) on MNIST, for two
 * settings given as threads:workers. Default: `1:0` (WASM on one thread, views made on the
 * training thread: one core) against `auto:1` (WASM on one thread per core, a data worker thread
 * making the views ahead of the step). The thread count is fixed when WASM starts, so each run is
 * its own child process; runs alternate A B, B A, ... so both sides see the same load.
 *
 *   npm run bench:train                                   # 5 pairs of 40-step runs per method
 *   npm run bench:train -- --methods simclr --pairs 7 --steps 60 --limit 10000
 *   npm run bench:train -- --a 1:0 --b 1:1                # the data worker alone
 *
 * Wall-clock images/s is the measure (the point is to use the second core; CPU time counts every
 * thread). Each pair also checks that both settings gave the same losses, bit for bit.
 * The table gives the median images/s of each side and the median of the per-pair ratios, with
 * the load average before and after: on a shared machine, only numbers measured at a load
 * below the core count say anything about the speed-up.
 */
import { spawnSync } from 'node:child_process';
import { initBackend } from '../lib/backend';
import { loadMnist } from '../lib/data';
import { MoCoResult, trainMoCo, trainSimCLR } from '../lib/train';
import { loadLine, markdownTable, median } from './interleave';

type Method = 'simclr' | 'moco';

/** One side: WASM threads ('auto' = one per core) and data workers. */
interface Setting {
  threads: string;
  workers: 0 | 1;
}

interface BenchConfig {
  methods: Method[];
  pairs: number; // A/B pairs per method
  steps: number; // steps per run
  limit: number; // training images
  a: Setting;
  b: Setting;
}

const DEFAULTS: BenchConfig = { methods: ['simclr', 'moco'], pairs: 5, steps: 40, limit: 10000, a: { threads: '1', workers: 0 }, b: { threads: 'auto', workers: 1 } };
const USAGE = 'valid: --methods simclr,moco --pairs 5 --steps 40 --limit 10000 --a 1:0 --b auto:1';

function parseSetting(flag: string, value: string): Setting {
  const m = /^(auto|[1-8]):([01])$/.exec(value.trim());
  if (m === null) throw new Error(`bench/train: ${flag} must be threads:workers (threads 1-8 or auto, workers 0 or 1), got ${JSON.stringify(value)}`);
  return { threads: m[1], workers: Number(m[2]) as 0 | 1 };
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
    else if (flag === '--a' || flag === '--b') c[flag === '--a' ? 'a' : 'b'] = parseSetting(flag, value);
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

/** The child: one training run in this process, its result as JSON on the last stdout line. */
async function runOne(method: Method, steps: number, limit: number, workers: 0 | 1): Promise<void> {
  const info = await initBackend();
  const data = loadMnist({ split: 'train', limit });
  const common = { data, steps, workers, progress: false };
  const run = method === 'simclr' ? await trainSimCLR(common) : await trainMoCo(common);
  run.encoder.dispose();
  run.head.dispose();
  if ('queue' in run) [(run as MoCoResult).keyEncoder, (run as MoCoResult).keyHead, (run as MoCoResult).queue].forEach((m) => m.dispose());
  const result: RunResult = { summary: info.summary, imagesPerSec: run.imagesPerSec, losses: run.losses };
  console.log(JSON.stringify(result));
}

function spawnRun(method: Method, c: BenchConfig, side: Setting): RunResult {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', method, String(c.steps), String(c.limit), String(side.workers)], {
    env: { ...process.env, CLAB_THREADS: side.threads }, // workers go as an argument
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`bench/train: the ${method} run with ${label(side)} failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(last) as RunResult;
}

function label(s: Setting): string {
  return `threads ${s.threads}, workers ${s.workers}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return runOne(argv[1] as Method, Number(argv[2]), Number(argv[3]), Number(argv[4]) as 0 | 1);
  const c = parseArgs(argv);
  console.log(`${c.steps} steps per run, batch 256, ${c.limit} MNIST images, ${c.pairs} pairs per method; A = ${label(c.a)}, B = ${label(c.b)}; ${loadLine()} at start`);
  const rows: string[][] = [['method', `A: ${label(c.a)} images/s`, `B: ${label(c.b)} images/s`, 'B/A (median of pairs)', 'B/A range', 'losses equal', 'load before -> after']];
  for (const method of c.methods) {
    const rate: Record<'a' | 'b', number[]> = { a: [], b: [] };
    const ratios: number[] = [];
    let equal = true;
    const loadBefore = loadLine();
    for (let p = 0; p < c.pairs; p++) {
      const losses: Record<string, number[]> = {};
      // Alternate which side goes first, so a drift in load does not favour one.
      for (const side of p % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const)) {
        const run = spawnRun(method, c, c[side]);
        if (p === 0 && method === c.methods[0]) console.log(`${side.toUpperCase()}: ${run.summary}`);
        rate[side].push(run.imagesPerSec);
        losses[side] = run.losses;
      }
      equal &&= JSON.stringify(losses.a) === JSON.stringify(losses.b);
      ratios.push(rate.b[p] / rate.a[p]);
      console.log(`${method} pair ${p + 1}: ${rate.a[p].toFixed(0)} -> ${rate.b[p].toFixed(0)} images/s (${ratios[p].toFixed(2)}x); ${loadLine()}`);
    }
    rows.push([method, median(rate.a).toFixed(0), median(rate.b).toFixed(0), `${median(ratios).toFixed(2)}x`, `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`, equal ? 'yes' : 'NO', `${loadBefore} -> ${loadLine()}`]);
  }
  console.log(`\n${markdownTable(rows)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
