// Grader benchmark: (1) one submission end to end through the CLI (a fresh process: tsx start,
// specs frozen, type-check, sandboxed children); (2) grade-all over N submissions made from the
// fixtures (reference, stubs, known mistakes, a few attacks) with --jobs = cores.
// Run: npx tsx bench/grader.ts [--n 100] [--jobs 2]. Targets (issue 4): (1) < 10 s, (2) < 5 min
// for 100 on 2 cores. The machine may be shared: the load average is printed with the numbers.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, stopTypecheckWorker } from '../grader/engine';
import { gradeAllCommand } from '../grader/grade_all/grade_all_command';
import { stripSolutions } from '../grader/single_source/strip_solutions';

const FILES = ['ex01-triplet.ts', 'ex02-n-pair.ts', 'ex03-infonce-bound.ts', 'ex04-nt-xent.ts', 'ex05-moco.ts'];
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};

/** One submission folder per kind: reference files overlaid with a fixture's files. */
function makeSubmission(dir: string, kind: string): void {
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

/** CPU seconds used by this process and its waited-for children (Linux /proc), load-independent. */
function cpuSeconds(): number {
  try {
    const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // fields after the command: state is [0]; utime, stime, cutime, cstime are fields 14-17 of stat
    const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0);
    return ticks / 100;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

async function main(): Promise<void> {
  const n = arg('n', 100);
  const jobs = arg('jobs', os.cpus().length);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-grader-'));
  try {
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (shared machine: timings are noisy)`);
    makeSubmission(path.join(tmp, 'one'), 'reference');
    const c0 = cpuSeconds();
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'grader', 'bin', 'clab-grade.js'), 'grade', path.join(tmp, 'one'), '--out', path.join(tmp, 'one-out')], { encoding: 'utf8' });
    const oneMs = Date.now() - t0;
    const total = /TOTAL (\d+\/\d+)/.exec(r.stdout)?.[1] ?? '?';
    const oneCpu = cpuSeconds() - c0;
    console.log(`(1) grade one submission end to end (CLI, 5 exercises, ${total}, type-check on): ${(oneMs / 1000).toFixed(1)} s wall, ${oneCpu.toFixed(1)} CPU-s  (target < 10 s)`);

    if (n === 0) return;
    const kinds = ['reference', 'stubs', ...['mistakes', 'attacks'].flatMap((k) => fs.readdirSync(path.join(PROJECT_ROOT, 'grader', 'fixtures', k)).map((d) => `${k}/${d}`))];
    // Mostly honest work, like a real class: every third submission is a fixture kind in turn.
    const subs = path.join(tmp, 'subs');
    for (let i = 0; i < n; i++) {
      const kind = i % 3 === 0 ? kinds[(i / 3) % kinds.length] : i % 3 === 1 ? 'reference' : 'stubs';
      makeSubmission(path.join(subs, `s${String(i).padStart(3, '0')}-${kind.replace('/', '-')}`), kind);
    }
    const c1 = cpuSeconds();
    const t1 = Date.now();
    const all = await gradeAllCommand({ dir: subs, out: path.join(tmp, 'out'), jobs, force: false, grade: {} });
    const allMs = Date.now() - t1;
    const graded = all.rows.filter((x) => x.status === 'graded').length;
    const allCpu = cpuSeconds() - c1;
    console.log(`(2) grade-all ${n} submissions, --jobs ${jobs}: ${(allMs / 1000).toFixed(1)} s wall, ${(allMs / n / 1000).toFixed(2)} s per submission, ${allCpu.toFixed(0)} CPU-s (${(allCpu / n).toFixed(2)} per submission; ${(allCpu / os.cpus().length).toFixed(0)} s if the cores were ours), ${graded} graded  (target < 300 s for 100 on 2 cores)`);
    console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    await stopTypecheckWorker();
  }
}

void main();
