// Grader benchmark:
//   (1) one submission end to end through the CLI (a fresh process: tsx start, specs frozen,
//       sandbox set-up and canary (cached), type-check, sandboxed children);
//   (2) grade-all over N submissions made from the fixtures (reference, stubs, known mistakes,
//       a few attacks) on this machine: one CLI process, --jobs = cores;
//   (3) the same N submissions as S shards (grade-all --shard K/S, then merge): each shard a
//       fresh CLI process, run here one after another with --jobs = cores, as each would on its
//       own machine; the S-machine time is the slowest shard plus the merge. The merged
//       gradebook is compared with (2)'s.
//   (4) what fresh inputs add per submission: every exercise frozen (inputs, references, known
//       mistakes' outputs) with seeds derived from the secret and the submission, in this process,
//       for --n different submissions (CPU time; the first freeze, which loads the specs, apart).
// Every grade and grade-all run draws fresh inputs from a secret made for the benchmark.
// Run: npx tsx bench/grader.ts [--n 100] [--jobs 2] [--shards 4] [--parts 1,2,3,4].
// Targets: (1) < 10 s, (2) < 5 min for 100 on 2 cores. The machine may be shared:
// the load average is printed with the numbers; timings under load are not performance numbers.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freshSeeds } from '../grader/engine/fresh_seeds';
import { writeNewSecretFile } from '../grader/engine/instructor_secret';
import { loadExercises } from '../grader/engine/load_exercises';
import { PROJECT_ROOT } from '../grader/engine/project_root';
import { stripSolutions } from '../grader/release/strip_solutions';

const FILES = ['ex01-triplet.ts', 'ex02-n-pair.ts', 'ex03-infonce-bound.ts', 'ex04-nt-xent.ts', 'ex05-moco.ts'];
const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

/** One submission folder per kind: reference files overlaid with a fixture's files. */
export function makeSubmission(dir: string, kind: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of FILES) {
    const src = fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', f), 'utf8');
    const text = kind === 'stubs' ? stripSolutions(src, { sourcePath: `solutions/${f}`, exercisePath: `exercises/${f}` }).text : src;
    fs.writeFileSync(path.join(dir, f), text);
  }
  if (kind === 'reference' || kind === 'stubs') return;
  const fx = path.join(PROJECT_ROOT, 'grader', 'fixtures', kind);
  for (const f of fs.readdirSync(fx)) if (f.endsWith('.ts.txt')) fs.copyFileSync(path.join(fx, f), path.join(dir, f.replace(/\.txt$/, '')));
}

/**
 * A class of `n` submissions in `dir`, mostly honest work as in a real class: every third one is
 * a fixture kind in turn (known mistakes, attacks), the others alternate reference and stubs.
 */
export function makeClass(dir: string, n: number): void {
  const kinds = ['reference', 'stubs', ...['mistakes', 'attacks'].flatMap((k) => fs.readdirSync(path.join(PROJECT_ROOT, 'grader', 'fixtures', k)).map((d) => `${k}/${d}`))];
  for (let i = 0; i < n; i++) {
    const kind = i % 3 === 0 ? kinds[(i / 3) % kinds.length] : i % 3 === 1 ? 'reference' : 'stubs';
    makeSubmission(path.join(dir, `s${String(i).padStart(3, '0')}-${kind.replace('/', '-')}`), kind);
  }
}

/**
 * CPU seconds of this process and the children it reaped (the CLI processes it ran, with their
 * threads). Load-independent. Sandboxed children are killed, never reaped: the CLI reports them.
 */
export function cpuSeconds(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0) / 100;
}

/**
 * (4) The CPU time of freezing every exercise for one submission on fresh seeds (what grade-all
 * does per submission on top of grading it), over `n` submissions that differ by one comment.
 */
function freezeCost(secret: Uint8Array, n: number): void {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const files = (i: number) => new Map(FILES.map((f) => [f, `// submission ${i}\n${fs.readFileSync(path.join(PROJECT_ROOT, 'solutions', f), 'utf8')}`]));
  let c0 = cpu();
  const loaded = loadExercises(PROJECT_ROOT, ['public', 'hidden']);
  loaded.freeze(freshSeeds(secret, files(-1)));
  const first = cpu() - c0;
  c0 = cpu();
  loaded.freeze();
  const fixed = cpu() - c0;
  c0 = cpu();
  for (let i = 0; i < n; i++) loaded.freeze(freshSeeds(secret, files(i)));
  const each = (cpu() - c0) / n;
  console.log(
    `(4) fresh inputs per submission (every exercise frozen: inputs, references, known mistakes' outputs; in this process): ${each.toFixed(3)} CPU-s per submission over ${n} submissions; the first freeze with loading the specs ${first.toFixed(2)} CPU-s, the fixed seeds once ${fixed.toFixed(3)} CPU-s; load average ${load()}`,
  );
}

const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

function main(): void {
  const n = Number(arg('n', '100'));
  const jobs = Number(arg('jobs', String(os.cpus().length)));
  const shards = Number(arg('shards', '4'));
  const parts = arg('parts', '1,2,3,4').split(',').map(Number);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-grader-'));
  try {
    console.log(`machine: ${os.cpus().length} cores, load average ${load()} (a shared machine makes timings noisy)`);
    const secretFile = path.join(tmp, 'secret.txt');
    const secret = writeNewSecretFile(secretFile);
    if (parts.includes(4)) freezeCost(secret.bytes, Math.max(n, 5));
    if (parts.includes(1)) {
      makeSubmission(path.join(tmp, 'one'), 'reference');
      const c0 = cpuSeconds();
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'grade', path.join(tmp, 'one'), '--secret', secretFile, '--out', path.join(tmp, 'one-out')], { encoding: 'utf8' });
      // grade does not report its sandboxed children's CPU: (1) is a wall-clock target.
      const oneMs = Date.now() - t0;
      const total = /TOTAL (\d+\/\d+)/.exec(r.stdout)?.[1] ?? `? (exit ${r.status}: ${r.stderr.slice(-300)})`;
      console.log(
        `(1) grade one submission end to end (CLI, 5 exercises, ${total}, type-check on): ${(oneMs / 1000).toFixed(1)} s wall, ${(cpuSeconds() - c0).toFixed(1)} CPU-s of the CLI process (its sandboxed children are not counted)  (target < 10 s)`,
      );
    }
    if (n === 0 || (!parts.includes(2) && !parts.includes(3))) return;
    const subs = path.join(tmp, 'subs');
    makeClass(subs, n);
    const cli = (args: string[]): { ms: number; cpu: number; out: string } => {
      const c0 = cpuSeconds();
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const ms = Date.now() - t0;
      if (r.status !== 0 && r.status !== 3) throw new Error(`clab-grade ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
      // The CLI's own CPU (reaped) plus what it reports for its sandboxed children (killed, not reaped).
      const sandbox = Number(/sandboxed children used ([\d.]+) CPU-s/.exec(r.stdout)?.[1] ?? 0);
      return { ms, cpu: cpuSeconds() - c0 + sandbox, out: r.stdout };
    };
    if (parts.includes(2)) {
      const r = cli(['grade-all', subs, '--secret', secretFile, '--out', path.join(tmp, 'out'), '--jobs', String(jobs)]);
      const graded = (fs.readFileSync(path.join(tmp, 'out', 'gradebook.csv'), 'utf8').match(/,"graded"$/gm) ?? []).length;
      console.log(
        `(2) grade-all ${n} submissions on this machine (one CLI process, --jobs ${jobs}, type-check on): ${(r.ms / 1000).toFixed(1)} s wall, ${(r.ms / n / 1000).toFixed(2)} s per submission, ${r.cpu.toFixed(0)} CPU-s (${(r.cpu / n).toFixed(2)} per submission; ${(r.cpu / os.cpus().length).toFixed(0)} s if the cores were ours), ${graded} graded  (target < 300 s for 100 on 2 cores); load average ${load()}`,
      );
    }
    if (parts.includes(3)) {
      // Each shard a fresh CLI process, as on its own machine (specs frozen, canary, type-check warm-up each time).
      const runs = Array.from({ length: shards }, (_, i) => cli(['grade-all', subs, '--secret', secretFile, '--shard', `${i + 1}/${shards}`, '--out', path.join(tmp, `shard${i + 1}`), '--jobs', String(jobs)]));
      const merge = cli(['merge', ...runs.map((_, i) => path.join(tmp, `shard${i + 1}`)), '--out', path.join(tmp, 'merged')]);
      const cpu = runs.reduce((a, r) => a + r.cpu, 0) + merge.cpu;
      const same = parts.includes(2) ? (fs.readFileSync(path.join(tmp, 'merged', 'gradebook.csv'), 'utf8') === fs.readFileSync(path.join(tmp, 'out', 'gradebook.csv'), 'utf8') ? 'merged gradebook = (2)\'s' : 'merged gradebook DIFFERS from (2)\'s') : '';
      console.log(
        `(3) the same ${n} as ${shards} shards (one CLI process each, --jobs ${jobs}, run here one after another): shards ${runs.map((r) => (r.ms / 1000).toFixed(1)).join(' / ')} s, merge ${(merge.ms / 1000).toFixed(1)} s; on ${shards} machines like this one: ${((Math.max(...runs.map((r) => r.ms)) + merge.ms) / 1000).toFixed(1)} s (slowest shard + merge); ${cpu.toFixed(0)} CPU-s in all; ${same}; load average ${load()}`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main();
