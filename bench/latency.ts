// What students and instructors wait for, against the targets (an idle 2-core machine, median of 5):
//   check      `npm run check -- <stubs> --only ex03`, the fresh stubs                   <= 2 s
//   notebook   `await clab.check('ex03')` through lib/notebook's check (the compiled library, as a
//              notebook imports it), called from this process as a kernel would           <= 2 s
//   grade      `npm run grade -- <reference> --secret F`: one full submission, hidden tests,
//              inputs fresh for it (drawn from an instructor secret made for the benchmark)  <= 3 s
//   grade-all  100 submissions on this machine (bench/grader.ts's class, --jobs = cores,
//              --secret F: every submission frozen on its own fresh inputs)              <= 60 s
// Every run meets an edited file: before each repetition a comment line is appended to the
// exercise files, as a student saves before checking, so no cache of a file's own results can
// answer. Repetitions alternate between the commands (and between checkouts, with several
// --root), so they see the same load. One warm-up round first (the per-environment caches:
// the canary, the compiled library, the frozen public tests, the type-check snapshot).
//
//   npx tsx bench/latency.ts [--reps 5] [--n 100] [--only check,notebook,grade,grade-all]
//                            [--root DIR]... (default: this checkout; several compare checkouts)
//
// CPU seconds are the whole process tree's: the command and what it reaped (rusage), plus the
// sandboxed children, which the grader kills as a group so that nobody reaps them: their CPU is
// read from /proc every 20 ms while they run (the last <= 20 ms of each is missed). Wall time on
// a shared machine mostly measures the other jobs: the load average is printed beside it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeNewSecretFile } from '../grader/engine/instructor_secret';
import { PROJECT_ROOT } from '../grader/engine/project_root';
import { children } from '../grader/sandbox/process_tree_cpu';
import { makeClass, makeSubmission } from './grader';
import { loadLine, markdownTable, median } from './interleave';

const TARGETS: Record<string, number> = { check: 2, notebook: 2, grade: 3, 'grade-all': 60 };

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const roots = args.flatMap((a, i) => (a === '--root' ? [path.resolve(args[i + 1])] : []));
if (roots.length === 0) roots.push(PROJECT_ROOT);

/** One timed run: wall seconds, CPU seconds of the whole tree, and what the grader said. */
interface Run {
  wall: number;
  cpu: number;
  code: number | null;
  out: string;
}

const TICKS = 100; // USER_HZ

function statFields(pid: number | 'self'): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds of the children this process reaped (and of what they reaped). */
function reapedCpu(): number {
  const f = statFields('self')!;
  return (Number(f[13]) + Number(f[14])) / TICKS;
}

/**
 * Watches the process tree under `rootPid` (this process by default) for sandboxed children
 * (`harness.js` on their command line) and keeps each one's last CPU reading.
 * @returns stop(): their CPU seconds
 */
function watchSandboxChildren(rootPid = process.pid): () => number {
  const last = new Map<string, number>();
  const sample = (): void => {
    const stack = [rootPid];
    while (stack.length > 0) {
      const pid = stack.pop()!;
      for (const c of children(pid)) {
        stack.push(c);
        let cmd = '';
        try {
          cmd = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        if (!cmd.includes('harness.js')) continue;
        const f = statFields(c);
        if (f) last.set(`${c}:${f[19]}`, (Number(f[11]) + Number(f[12])) / TICKS);
      }
    }
  };
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    return [...last.values()].reduce((a, b) => a + b, 0);
  };
}

/** Runs a command to its end; CPU = what this process reaped from it + its sandboxed children. */
function timed(cmd: string, argv: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const c0 = reapedCpu();
    const t0 = Date.now();
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const stop = watchSandboxChildren();
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const sandbox = stop();
      resolve({ wall: (Date.now() - t0) / 1000, cpu: reapedCpu() - c0 + sandbox, code, out });
    });
  });
}

/** Appends a comment to every exercise file in `dir`: the next run meets changed files. */
function edit(dir: string, rep: number): void {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) fs.appendFileSync(path.join(dir, f), `\n// saved again (${rep})\n`);
}

interface Scenario {
  name: string;
  root: string;
  run: (rep: number) => Promise<Run>;
}

function npm(root: string, script: string, rest: string[]): Promise<Run> {
  return timed(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script, '--', ...rest], root);
}

function scenarios(root: string, tmp: string, only: string[], secretFile: string): Scenario[] {
  const label = roots.length > 1 ? ` (${path.basename(root)})` : '';
  const mine = fs.mkdtempSync(path.join(tmp, 'root-'));
  const stubs = path.join(mine, 'stubs');
  const reference = path.join(mine, 'reference');
  makeSubmission(stubs, 'stubs');
  makeSubmission(reference, 'reference');
  const out: Scenario[] = [];
  if (only.includes('check')) {
    out.push({ name: `check${label}`, root, run: (rep) => (edit(stubs, rep), npm(root, 'check', [stubs, '--only', 'ex03'])) });
  }
  if (only.includes('notebook')) {
    // The compiled library, as a notebook imports it (../dist/lib); its display goes to a sink, as in a kernel.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const notebook = require(path.join(root, 'dist', 'lib', 'notebook')) as typeof import('../lib/notebook');
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const display = require(path.join(root, 'dist', 'lib', 'display', 'display_bundle')) as typeof import('../lib/display/display_bundle');
    out.push({
      name: `notebook${label}`,
      root,
      run: async (rep) => {
        edit(stubs, rep);
        let shown = '';
        display.setDisplaySink((m) => (shown = String(m.data['text/plain'] ?? '')));
        const c0 = reapedCpu();
        const own = process.cpuUsage();
        const stop = watchSandboxChildren();
        const t0 = Date.now();
        try {
          await notebook.check('ex03', { root, dir: stubs });
        } finally {
          display.setDisplaySink(null);
        }
        const wall = (Date.now() - t0) / 1000;
        const u = process.cpuUsage(own);
        // This process's own part (spawning, parsing the JSON, the display) + the grader's tree.
        const cpu = (u.user + u.system) / 1e6 + reapedCpu() - c0 + stop();
        return { wall, cpu, code: 0, out: shown };
      },
    });
  }
  if (only.includes('grade')) {
    out.push({ name: `grade${label}`, root, run: (rep) => (edit(reference, rep), npm(root, 'grade', [reference, '--secret', secretFile, '--out', path.join(mine, 'grade-out')])) });
  }
  return out;
}

function score(r: Run): string {
  return /TOTAL (\d+\/\d+)/.exec(r.out)?.[1] ?? /Total (\d+) \/ (\d+) points/.exec(r.out)?.slice(1).join('/') ?? `exit ${r.code}`;
}

async function main(): Promise<void> {
  const reps = Number(arg('reps', '5'));
  const n = Number(arg('n', '100'));
  const only = arg('only', 'check,notebook,grade,grade-all').split(',');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-latency-'));
  const rows: string[][] = [['what', 'wall s (median)', 'wall min-max', 'CPU s (median)', 'target', 'result']];
  try {
    console.log(`machine: ${os.cpus()[0]?.model ?? '?'}; ${loadLine()}`);
    const secretFile = path.join(tmp, 'secret.txt');
    writeNewSecretFile(secretFile);
    const all = roots.flatMap((r) => scenarios(r, tmp, only, secretFile));
    const runs = all.map(() => [] as Run[]);
    for (let rep = 0; rep <= reps; rep++) {
      for (const [i, s] of all.entries()) {
        const r = await s.run(rep);
        if (r.code !== 0 && r.code !== 1) throw new Error(`${s.name}: exit ${r.code}\n${r.out.slice(-2000)}`);
        if (rep > 0) runs[i].push(r); // rep 0: the warm-up round
        console.log(`${rep === 0 ? 'warm-up' : `rep ${rep}`}: ${s.name} ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} CPU-s, ${score(r)}; ${loadLine()}`);
      }
    }
    for (const [i, s] of all.entries()) {
      const w = runs[i].map((r) => r.wall);
      const base = s.name.split(' ')[0];
      rows.push([s.name, median(w).toFixed(2), `${Math.min(...w).toFixed(2)}-${Math.max(...w).toFixed(2)}`, median(runs[i].map((r) => r.cpu)).toFixed(2), `<= ${TARGETS[base]}`, score(runs[i][0])]);
    }
    if (only.includes('grade-all')) {
      const subs = path.join(tmp, 'class');
      makeClass(subs, n);
      for (const root of roots) {
        const r = await timed(process.execPath, [path.join(root, 'grader', 'bin', 'clab-grade.js'), 'grade-all', subs, '--secret', secretFile, '--out', path.join(tmp, `class-out-${path.basename(root)}`)], root);
        if (r.code !== 0) throw new Error(`grade-all: exit ${r.code}\n${r.out.slice(-2000)}`);
        const label = roots.length > 1 ? ` (${path.basename(root)})` : '';
        console.log(`grade-all${label}: ${n} submissions, ${r.wall.toFixed(1)} s wall, ${r.cpu.toFixed(1)} CPU-s; ${loadLine()}`);
        rows.push([`grade-all ${n}${label}`, r.wall.toFixed(1), '1 run', r.cpu.toFixed(1), `<= ${TARGETS['grade-all']}`, `${(r.out.match(/(\d+) submissions/) ?? ['', '?'])[1]} graded`]);
      }
    }
    console.log(`\n${markdownTable(rows)}\n\n${reps} repetitions after one warm-up round; ${loadLine()}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
