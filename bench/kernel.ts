// The project's kernel against tslab's own, interleaved in one run (npm run bench:kernel):
// start-up to the first idle, a trivial cell's round trip (right after start-up, and warm),
// memory at idle (bare, and with the library loaded), and notebook 03's wall time through
// nbclient. The project's kernel also runs from its TypeScript sources through tsx, to show what
// compiling it into dist/ saves.
//
//   npm run bench:kernel [-- --rounds=3] [--notebook] [--no-tsx]
//
// Rounds alternate the kernels (A, B, C, A, B, C, ...), so each sees the same load; medians are
// printed with the load average before and after. --notebook adds notebook 03 (minutes per
// kernel) after the rounds, once per kernel, alternated too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KernelClient, KERNEL_SPEC, ROOT } from '../kernel/test/kernel_client';
import { median } from './interleave';

interface Spec {
  name: string;
  argv: string[];
  env?: Record<string, string>;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a === undefined ? fallback : Number(a.slice(name.length + 3));
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench:kernel: --${name} must be a whole number >= 1, got ${a}`);
  return v;
};
const ROUNDS = option('rounds', 3);
/** Trivial cells right after start-up (the converter still warming up; the first is not counted) ... */
const TRIVIAL = 10;
/** ... and after them, once the converter is warm: mostly the kernel's own work and its hops. */
const WARM = 30;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

const ours = JSON.parse(fs.readFileSync(KERNEL_SPEC, 'utf8')) as { argv: string[]; env: Record<string, string> };
const SPECS: Spec[] = [
  { name: 'project kernel (dist/)', argv: ours.argv, env: ours.env },
  // tslab's own kernel, as its installer registers it (its own binary), with the same polling file watches.
  { name: 'tslab 1.0.22', argv: [path.join(ROOT, 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'], env: ours.env },
];
if (!flag('no-tsx')) SPECS.push({ name: 'project kernel (tsx)', argv: [process.execPath, '--require', require.resolve('tsx/cjs'), path.join(ROOT, 'kernel', 'main.ts'), '{connection_file}'], env: ours.env });

/** Resident memory of a process, in MB (Linux /proc; NaN elsewhere). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

interface Sample {
  startS: number;
  trips: number[];
  warmTrips: number[];
  bareMb: number;
  libMb: number;
}

async function measure(spec: Spec): Promise<Sample> {
  const kernel = await KernelClient.start({ spec, pollMs: 50 });
  try {
    // The kernel_info reply may come before the idle status on IOPub (tslab's does).
    for (let waited = 0; kernel.firstIdleAt === null; waited += 10) {
      if (waited > 60_000) throw new Error(`${spec.name}: no idle status on IOPub within 60 s of the kernel_info reply`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const startS = (kernel.firstIdleAt - kernel.startedAt) / 1000;
    const trips: number[] = [];
    for (let i = 0; i < TRIVIAL; i++) {
      const t0 = performance.now();
      await kernel.execute(`${i} + 1`);
      trips.push(performance.now() - t0);
    }
    const warmTrips: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const t0 = performance.now();
      await kernel.execute(`${i} * 2`);
      warmTrips.push(performance.now() - t0);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const bareMb = rssMb(kernel.child.pid!);
    const lib = await kernel.execute("import * as clab from '../dist/lib';\nawait clab.initBackend();");
    if (lib.reply.content.status !== 'ok') throw new Error(`${spec.name}: loading the library failed: ${JSON.stringify(lib.reply.content)}`);
    await new Promise((r) => setTimeout(r, 1000));
    return { startS, trips: trips.slice(1), warmTrips, bareMb, libMb: rssMb(kernel.child.pid!) };
  } finally {
    await kernel.shutdown().catch(() => kernel.close());
  }
}

/** Runs notebook 03 through nbclient with `spec`'s kernel; resolves to seconds (and whether it passed). */
async function notebook(spec: Spec): Promise<{ seconds: number; ok: boolean; why: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-bench-kernel-'));
  const name = `bench-${spec.name.replace(/\W+/g, '-')}`;
  try {
    fs.mkdirSync(path.join(dir, 'kernels', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'kernels', name, 'kernel.json'), JSON.stringify({ argv: spec.argv, display_name: name, language: 'typescript', env: spec.env }));
    const setup = await import(pathUrl(path.join(ROOT, 'scripts', 'setup.mjs')));
    const jupyter = await setup.findJupyter();
    const env = { ...setup.jupyterEnv(), JUPYTER_PATH: [dir, path.join(ROOT, '.jupyter-local', 'share', 'jupyter')].join(path.delimiter) };
    const t0 = performance.now();
    const out = path.join(dir, 'out.ipynb');
    const child = spawn(jupyter.python, [path.join(ROOT, 'scripts', 'execute_notebook.py'), path.join(ROOT, 'notebooks', '03-simclr.ipynb'), out, '--timeout=3600', `--kernel=${name}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    await new Promise((r) => child.on('close', r));
    const seconds = (performance.now() - t0) / 1000;
    const last = JSON.parse(text.trim().split('\n').pop() ?? '{}') as { ok?: boolean; failed?: { error?: string } };
    return { seconds, ok: last.ok === true, why: last.failed?.error?.split('\n')[0] ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function pathUrl(file: string): string {
  return `file://${file}`;
}

/** Median and quartiles of round trips, e.g. "18.2 ms (14.6-25.7)". */
function pooled(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (f: number) => s[Math.round((s.length - 1) * f)].toFixed(1);
  return `${median(s).toFixed(1)} ms (${at(0.25)}-${at(0.75)})`;
}

async function main(): Promise<void> {
  console.log(`bench:kernel: ${ROUNDS} round(s) of ${SPECS.map((s) => s.name).join(', ')}; ${os.cpus().length} cores, load average ${load()}`);
  const samples = SPECS.map(() => [] as Sample[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, spec] of SPECS.entries()) {
      const s = await measure(spec);
      samples[i].push(s);
      console.log(`  round ${r + 1} ${spec.name.padEnd(24)} start-up ${s.startS.toFixed(2)} s, trivial cell ${median(s.trips).toFixed(1)} ms (warm ${median(s.warmTrips).toFixed(1)}), RSS ${s.bareMb.toFixed(0)} MB bare, ${s.libMb.toFixed(0)} MB with the library (load ${load()})`);
    }
  }
  console.log('\n| kernel | start-up to first idle | trivial cell round trip | the same, warm | RSS at idle | RSS with the library loaded |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [i, spec] of SPECS.entries()) {
    const m = (f: (s: Sample) => number) => median(samples[i].map(f));
    console.log(`| ${spec.name} | ${m((s) => s.startS).toFixed(2)} s | ${pooled(samples[i].flatMap((s) => s.trips))} | ${pooled(samples[i].flatMap((s) => s.warmTrips))} | ${m((s) => s.bareMb).toFixed(0)} MB | ${m((s) => s.libMb).toFixed(0)} MB |`);
  }
  console.log(`(medians of ${ROUNDS} round(s); round trips pooled over the rounds, median (quartiles): ${TRIVIAL - 1} trivial cells a round after the first, then ${WARM} warm; load average now ${load()})`);
  if (flag('notebook')) {
    console.log('\nnotebook 03 (nbclient, per-cell timeout 3600 s):');
    for (const spec of SPECS.filter((s) => !s.name.includes('tsx'))) {
      const before = load();
      const n = await notebook(spec);
      console.log(`| ${spec.name} | ${n.seconds.toFixed(1)} s | ${n.ok ? 'ran to the end' : `FAILED: ${n.why}`} | load ${before} -> ${load()} |`);
    }
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
