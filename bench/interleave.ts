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
 * Runs the sides in turn, one repetition each (A, B, C, A, B, C, ...), so that every side sees
 * the same machine load; `warmup` untimed rounds first. Returns the medians.
 */
export async function interleave(sides: Side[], reps: number, warmup: number): Promise<SideResult[]> {
  const times = sides.map(() => [] as Timing[]);
  for (let r = 0; r < warmup + reps; r++) {
    for (const [i, s] of sides.entries()) {
      if (r < warmup) {
        if (r < (s.warmup ?? warmup)) await s.rep();
      } else if (r - warmup < (s.reps ?? reps)) {
        times[i].push(await s.rep());
      }
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
