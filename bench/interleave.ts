import * as os from 'node:os';
import { Timing } from './torch_peer';

/** One side of a comparison: a name and one timed repetition (sync or async). */
export interface Side {
  name: string;
  rep: () => Timing | Promise<Timing>;
  /** Timed repetitions for this side (default: all); e.g. fewer for a side that takes seconds. */
  reps?: number;
  /** Untimed repetitions first for this side (default: all warm-up rounds). */
  warmup?: number;
}

/** Median wall and CPU time per side, over its timed repetitions. */
export interface SideResult {
  name: string;
  ms: number;
  cpuMs: number;
  reps: number;
}

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Default settle time (ms). Torch 2.13's OpenMP worker kept one core busy for 8-10 ms after each
 * parallel op here (1.2 cores busy during a 5 ms sleep after a product, 0.4 during 20 ms, 0.1
 * during 100 ms); and a step run right after the other side's is cache-cold, which a training
 * loop's steps are not. Used whatever the thread count, so that one and two threads are timed the
 * same way.
 */
export const SETTLE_MS = 30;

/** `--block N` and `--settle MS` from a benchmark's flags (undefined: 1 and {@link SETTLE_MS}). */
export function turnOptions(block: number | undefined, settleMs: number | undefined): TurnOptions {
  for (const [flag, v] of [['--block', block], ['--settle', settleMs]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= (flag === '--block' ? 1 : 0))) {
      throw new Error(`bench: ${flag} must be an integer ${flag === '--block' ? '>= 1' : '>= 0 (ms)'}, got ${v}`);
    }
  }
  return { block: block ?? 1, settleMs: settleMs ?? SETTLE_MS };
}

/** `block 1, settle 30 ms` for the output. */
export function describeTurns(t: TurnOptions): string {
  return `${t.block ?? 1} timed rep(s) per turn, each turn opened by untimed reps for ${t.settleMs ?? 0} ms`;
}

/** How {@link interleave} takes turns. */
export interface TurnOptions {
  /** Timed repetitions per turn (default 1: A, B, A, B, ...). */
  block?: number;
  /**
   * Untimed repetitions open every turn of the timed rounds until this many ms have passed since
   * the turn began (default 0: none). Why: a side's threads keep running after its step returns
   * (torch's OpenMP worker spins about 10 ms after each parallel op, XNNPACK's pool spins too), and
   * on 2 cores a spinning thread takes the core the next side's second thread needs.
   */
  settleMs?: number;
}

/**
 * Runs the sides in turn (A, B, C, A, B, C, ...), so that every side sees the same machine load;
 * `warmup` untimed rounds of one repetition each first, then turns of `block` timed repetitions,
 * each turn opened by untimed ones for `settleMs`. Returns the medians of the timed ones.
 */
export async function interleave(sides: Side[], reps: number, warmup: number, turns: TurnOptions = {}): Promise<SideResult[]> {
  const block = Math.max(1, turns.block ?? 1);
  const settleMs = turns.settleMs ?? 0;
  const times = sides.map(() => [] as Timing[]);
  for (let r = 0; r < warmup; r++) {
    for (const s of sides) if (r < (s.warmup ?? warmup)) await s.rep();
  }
  for (let done = 0; done < reps; done += block) {
    for (const [i, s] of sides.entries()) {
      const want = Math.min(block, (s.reps ?? reps) - times[i].length);
      if (want <= 0) continue;
      const start = performance.now();
      while (performance.now() - start < settleMs) await s.rep();
      for (let b = 0; b < want; b++) times[i].push(await s.rep());
    }
  }
  return sides.map((s, i) => ({
    name: s.name,
    ms: median(times[i].map((t) => t.ms)),
    cpuMs: median(times[i].map((t) => t.cpuMs)),
    reps: times[i].length,
  }));
}

/** This process's environment without CLAB_THREADS and CLAB_BENCH_THREADS: a child then starts WASM as the library chooses. */
export function envWithoutThreads(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CLAB_THREADS;
  delete env.CLAB_BENCH_THREADS;
  return env;
}

/** Wall and CPU time of a synchronous function, in ms. */
export function timeSync(fn: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/** `load average 1.2 0.9 0.7 on 2 cores`. */
export function loadLine(): string {
  return `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`;
}

/** A Markdown table, columns padded; the first column left-aligned, the rest right-aligned. */
export function markdownTable(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => '| ' + r.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, j) => (j === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** Max |a - b| over two equally long arrays, and max |b| (to judge it against). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; scale: number } {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ, ${a.length} and ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { diff, scale };
}
