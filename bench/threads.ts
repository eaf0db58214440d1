/**
 * One thread each against two threads each: runs bench/losses.ts or bench/simclr.ts (tfjs WASM
 * against torch, interleaved step by step) once per setting and round, each run its own process
 * (WASM's thread count is fixed when it starts), alternating the settings' order every round, and
 * prints one table of the medians over the rounds with the load average of every run.
 *
 *   npm run bench:threads -- losses                     # 3 rounds: CLAB_THREADS=1 and =2
 *   npm run bench:threads -- simclr --rounds 5 -- --encoders mlp --reps 11
 *   npm run bench:threads -- losses --before /tmp/base -- --losses ntXent --sizes 256,1024
 *
 * A setting `T` runs the benchmark with CLAB_THREADS=T, so torch gets T threads too
 * (bench/torch_peer.ts); `default` (`--threads 1,2,default`) leaves CLAB_THREADS unset, so WASM
 * starts as the library chooses (one thread) and torch gets as many. `--before DIR` adds `T` threads of another checkout of this repository
 * (an older commit, with node_modules; a symlink to this one's will do), written `before:T`.
 * Arguments after `--` go to the benchmark. Wall time is the measure (CPU time counts every
 * thread); the ratio is tfjs / torch wall time within one run, then the median over the rounds.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { envWithoutThreads, loadLine, markdownTable, median } from './interleave';

const HERE = path.resolve(__dirname, '..');
const USAGE = 'usage: npm run bench:threads -- losses|simclr [--rounds 3] [--threads 1,2,default] [--before DIR] [--before-threads 2] [-- benchmark flags]';

interface Setting {
  label: string;
  threads: string;
  checkout: string;
}

interface Config {
  bench: 'losses' | 'simclr';
  rounds: number;
  settings: Setting[];
  rest: string[];
}

function parseArgs(argv: string[]): Config {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const rest = dash < 0 ? [] : argv.slice(dash + 1);
  const bench = own[0];
  if (bench !== 'losses' && bench !== 'simclr') throw new Error(`bench/threads: the first argument must be losses or simclr, got ${JSON.stringify(bench)}; ${USAGE}`);
  let rounds = 3;
  let threads = ['1', '2'];
  let before: string | null = null;
  let beforeThreads = ['2'];
  for (let i = 1; i < own.length; i += 2) {
    const [flag, value] = [own[i], own[i + 1]];
    if (value === undefined) throw new Error(`bench/threads: ${flag} needs a value; ${USAGE}`);
    if (flag === '--rounds') rounds = Number(value);
    else if (flag === '--threads') threads = value.split(',');
    else if (flag === '--before') before = value;
    else if (flag === '--before-threads') beforeThreads = value.split(',');
    else throw new Error(`bench/threads: unknown flag ${flag}; ${USAGE}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench/threads: --rounds must be an integer >= 1, got ${rounds}`);
  for (const t of [...threads, ...beforeThreads]) if (!/^([1-8]|default)$/.test(t)) throw new Error(`bench/threads: a thread count must be 1 to 8 or default, got ${JSON.stringify(t)}`);
  const settings: Setting[] = threads.map((t) => ({ label: t === 'default' ? 'default' : `${t} thr.`, threads: t, checkout: HERE }));
  if (before !== null) {
    const root = path.resolve(before);
    if (!fs.existsSync(path.join(root, 'bench', `${bench}.ts`)) || !fs.existsSync(path.join(root, 'node_modules', '@tensorflow', 'tfjs'))) {
      throw new Error(`bench/threads: --before ${JSON.stringify(before)} needs bench/${bench}.ts and node_modules (a symlink to this checkout's will do)`);
    }
    settings.push(...beforeThreads.map((t) => ({ label: `before ${t} thr.`, threads: t, checkout: root })));
  }
  return { bench, rounds, settings, rest };
}

/** The rows of the last Markdown table a benchmark printed, as header name -> cell. */
function lastTable(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('|'));
  let start = -1;
  for (let i = 0; i + 1 < lines.length; i++) if (/^\|-/.test(lines[i + 1])) start = i;
  if (start < 0) return [];
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  const header = cells(lines[start]);
  return lines.slice(start + 2).map((l) => Object.fromEntries(cells(l).map((c, j) => [header[j], c])));
}

function runOnce(c: Config, s: Setting): { rows: Record<string, string>[]; loadBefore: number; loadAfter: number } {
  const loadBefore = Number(loadLine().split(' ')[2]);
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(s.checkout, 'bench', `${c.bench}.ts`), ...c.rest], {
    cwd: s.checkout,
    env: s.threads === 'default' ? { ...envWithoutThreads(), CLAB_BENCH_THREADS: 'default', CLAB_BACKEND: 'wasm' } : { ...envWithoutThreads(), CLAB_THREADS: s.threads, CLAB_BACKEND: 'wasm' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const summary = /^tfjs backend: .*$/m.exec(r.stdout)?.[0] ?? '';
  if (s.threads === 'default') console.log(`default: ${summary}`);
  if (r.status !== 0) throw new Error(`bench/threads: bench/${c.bench}.ts with ${s.label} (${s.checkout}) failed (exit ${r.status}):\n${r.stderr}`);
  return { rows: lastTable(r.stdout), loadBefore, loadAfter: Number(loadLine().split(' ')[2]) };
}

async function main(): Promise<void> {
  const c = parseArgs(process.argv.slice(2));
  const keyColumns = c.bench === 'losses' ? ['loss', 'N'] : ['encoder'];
  console.log(`bench/${c.bench}.ts ${c.rest.join(' ')}; ${c.rounds} rounds of ${c.settings.map((s) => s.label).join(', ')}, order alternating; ${loadLine()} at start`);
  // key -> setting label -> { tfjs ms, torch ms, ratio } per round
  const got = new Map<string, Map<string, { tfjs: number[]; torch: number[]; ratio: number[] }>>();
  const loads = new Map<string, number[]>();
  for (let round = 0; round < c.rounds; round++) {
    const order = round % 2 === 0 ? c.settings : [...c.settings].reverse();
    for (const s of order) {
      const r = runOnce(c, s);
      loads.set(s.label, [...(loads.get(s.label) ?? []), r.loadBefore, r.loadAfter]);
      for (const row of r.rows) {
        const key = keyColumns.map((k) => row[k]).join(' N=');
        const bySetting = got.get(key) ?? new Map();
        got.set(key, bySetting);
        const v = bySetting.get(s.label) ?? { tfjs: [], torch: [], ratio: [] };
        bySetting.set(s.label, v);
        const [t, p] = [Number(row['tfjs ms']), Number(row['torch ms'])];
        v.tfjs.push(t);
        v.torch.push(p);
        v.ratio.push(t / p);
      }
      console.log(`round ${round + 1}, ${s.label}: ${r.rows.length} rows; load average ${r.loadBefore.toFixed(1)} -> ${r.loadAfter.toFixed(1)}`);
    }
  }
  const header = ['case', ...c.settings.flatMap((s) => [`${s.label} tfjs ms`, `${s.label} torch ms`, `${s.label} tfjs/torch`])];
  const one = c.settings.find((s) => s.threads === '1' && s.checkout === HERE);
  const others = c.settings.filter((s) => s !== one);
  if (one !== undefined) header.push(...others.map((s) => `tfjs ${s.label} / 1 thr.`));
  const rows = [header];
  for (const [key, bySetting] of got) {
    const row = [key];
    for (const s of c.settings) {
      const v = bySetting.get(s.label);
      row.push(v ? median(v.tfjs).toFixed(1) : '-', v ? median(v.torch).toFixed(1) : '-', v ? `${median(v.ratio).toFixed(2)}x` : '-');
    }
    if (one !== undefined) {
      const base = bySetting.get(one.label);
      for (const s of others) {
        const v = bySetting.get(s.label);
        row.push(v && base ? `${(median(v.tfjs) / median(base.tfjs)).toFixed(2)}x` : '-');
      }
    }
    rows.push(row);
  }
  console.log(`\n${markdownTable(rows)}\n`);
  for (const s of c.settings) {
    const l = loads.get(s.label) ?? [];
    console.log(`load average (1 min) around the ${s.label} runs: ${Math.min(...l).toFixed(1)}-${Math.max(...l).toFixed(1)}`);
  }
  console.log(`${loadLine()} at end`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
