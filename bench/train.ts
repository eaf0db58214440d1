/**
 * Training throughput with and without the data worker (issue 13 item 3): images per second of
 * lib/train's trainSimCLR and trainMoCo (MLP encoder, batch 256, the default augmentation) on
 * MNIST, `workers: 0` (views made on the training thread) against `workers: 1` (a data worker
 * thread makes them ahead of the step), runs alternated A B A B ... so both see the same load.
 *
 *   npm run bench:train                                   # 5 pairs of 40-step runs per method
 *   npm run bench:train -- --methods simclr --pairs 7 --steps 60 --limit 10000
 *
 * Wall-clock images/s is the measure here (the point is to use the second core; process CPU
 * time counts both threads). Each run also checks that both settings gave the same losses.
 * The table gives the median images/s of each side and the median of the per-pair ratios, with
 * the load average before and after: on a shared machine, only numbers measured at a load
 * below the core count (2) say anything about the speed-up.
 */
import { initBackend } from '../lib/backend';
import { loadMnist } from '../lib/data';
import { MoCoResult, trainMoCo, trainSimCLR } from '../lib/train';
import { loadLine, markdownTable, median } from './interleave';

interface BenchConfig {
  methods: ('simclr' | 'moco')[];
  pairs: number; // A/B pairs per method
  steps: number; // steps per run
  limit: number; // training images
}

const DEFAULTS: BenchConfig = { methods: ['simclr', 'moco'], pairs: 5, steps: 40, limit: 10000 };

function parseArgs(argv: string[]): BenchConfig {
  const c: BenchConfig = { ...DEFAULTS };
  const usage = 'valid: --methods simclr,moco --pairs 5 --steps 40 --limit 10000';
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`bench/train: ${flag} needs a value; ${usage}`);
    if (flag === '--methods') c.methods = value.split(',') as BenchConfig['methods'];
    else if (flag === '--pairs') c.pairs = Number(value);
    else if (flag === '--steps') c.steps = Number(value);
    else if (flag === '--limit') c.limit = Number(value);
    else throw new Error(`bench/train: unknown flag ${flag}; ${usage}`);
  }
  for (const m of c.methods) if (m !== 'simclr' && m !== 'moco') throw new Error(`bench/train: unknown method ${JSON.stringify(m)}; valid: simclr, moco`);
  for (const k of ['pairs', 'steps', 'limit'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`bench/train: --${k} must be an integer >= 1, got ${c[k]}`);
  }
  return c;
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const info = await initBackend();
  const data = loadMnist({ split: 'train', limit: c.limit });
  console.log(info.summary);
  console.log(`${c.steps} steps per run, batch 256, ${data.n} MNIST images, ${c.pairs} pairs (workers 0, workers 1) per method; ${loadLine()} at start\n`);
  const rows: string[][] = [['method', 'workers: 0 images/s', 'workers: 1 images/s', 'ratio (median of pairs)', 'ratio range', 'losses equal', 'load before -> after']];
  for (const method of c.methods) {
    const rate: Record<0 | 1, number[]> = { 0: [], 1: [] };
    const ratios: number[] = [];
    let equal = true;
    const loadBefore = loadLine();
    for (let p = 0; p < c.pairs; p++) {
      const losses: Record<number, number[]> = {};
      // Alternate which side goes first, so a drift in load does not favour one.
      for (const workers of p % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
        const common = { data, steps: c.steps, workers, progress: false };
        const run = method === 'simclr' ? await trainSimCLR(common) : await trainMoCo(common);
        rate[workers].push(run.imagesPerSec);
        losses[workers] = run.losses;
        run.encoder.dispose();
        run.head.dispose();
        if ('queue' in run) [(run as MoCoResult).keyEncoder, (run as MoCoResult).keyHead, (run as MoCoResult).queue].forEach((m) => m.dispose());
      }
      equal &&= JSON.stringify(losses[0]) === JSON.stringify(losses[1]);
      ratios.push(rate[1][p] / rate[0][p]);
      console.log(`${method} pair ${p + 1}: ${rate[0][p].toFixed(0)} -> ${rate[1][p].toFixed(0)} images/s (${ratios[p].toFixed(2)}x); ${loadLine()}`);
    }
    rows.push([method, median(rate[0]).toFixed(0), median(rate[1]).toFixed(0), `${median(ratios).toFixed(2)}x`, `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`, equal ? 'yes' : 'NO', `${loadBefore} -> ${loadLine()}`]);
  }
  console.log(`\n${markdownTable(rows)}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
