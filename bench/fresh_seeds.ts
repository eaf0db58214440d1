// The fresh-seed sweep (grader/fixtures/seed_sweep.ts) at full size: every exercise frozen on N
// fresh seeds per test (default 500, the seeds `grade` would derive for N different
// submissions), and on each: the specs' rules (references finite, every known mistake differs
// somewhere, no two mistakes confused), the reference and every correct alternative at full
// marks, every known-mistake fixture named exactly where its mistake differs. Scored in this
// process on the tfjs `cpu` backend, the sandboxed child's. Also times the per-submission freeze
// (all five exercises: inputs, references, every known mistake) and prints the CPU time.
// Run: npm run bench:fresh-seeds -- [--seeds 500] [--first 0] [--only ex03,ex04]
// Exit 1 if anything failed; the first failures are printed in full.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { freezeExercise } from '../grader/engine/freeze_exercise';
import { seededRng } from '../lib/tensor';
import { earned, implementationProblems, implementations, loadInParent, scoreInParent, specProblems, sweepSeeds } from '../grader/fixtures/seed_sweep';
import { SPECS } from '../grader/specs';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const seeds = Number(arg('seeds', '500'));
  const first = Number(arg('first', '0'));
  const only = arg('only', '').split(',').filter(Boolean);
  await tf.setBackend('cpu');
  await tf.ready();
  const specs = SPECS.filter((s) => only.length === 0 || only.includes(s.id));
  // The first freeze in a process (JIT, module loading): what grade and grade-all paid once
  // per process when every submission met the same inputs.
  const [cc, cw] = [cpuMs(), Date.now()];
  for (const s of specs) freezeExercise(s);
  const cold = { cpu: cpuMs() - cc, wall: Date.now() - cw };
  const impls = implementations(specs).map((impl) => ({ impl, mod: loadInParent(impl, specs.find((s) => s.id === impl.ex)!) }));
  const correct = impls.filter((x) => x.impl.mistake === null);
  console.log(`fresh-seed sweep: ${seeds} seeds per test (rounds ${first}..${first + seeds - 1}), ${specs.reduce((a, s) => a + s.tests.length, 0)} tests, backend ${tf.getBackend()}`);
  console.log(`implementations: ${correct.length} correct (${specs.map((s) => `${s.id} ${correct.filter((x) => x.impl.ex === s.id).length}`).join(', ')}), ${impls.length - correct.length} known-mistake fixtures`);
  console.log(`machine: ${os.cpus().length} cores, load average ${load()} at the start`);
  const problems: string[] = [];
  const freezeCpu: number[] = [];
  const freezeWall: number[] = [];
  const perExercise = new Map<string, number[]>();
  const scores = new Map<string, Map<number, number>>(); // mistake fixture -> points -> seeds
  const failing = new Map<string, number>(); // mistake fixture + test -> seeds where it failed
  const redrawn = new Map<string, number>(); // test -> seeds where its first draw was refused
  const w0 = Date.now();
  const c0 = cpuMs();
  for (let i = first; i < first + seeds; i++) {
    const seedOf = sweepSeeds(i);
    const [fc, fw] = [cpuMs(), Date.now()];
    const frozen = specs.map((s) => {
      const c = cpuMs();
      const e = freezeExercise(s, ['public', 'hidden'], seedOf);
      perExercise.set(s.id, [...(perExercise.get(s.id) ?? []), cpuMs() - c]);
      return e;
    });
    freezeCpu.push(cpuMs() - fc);
    freezeWall.push(Date.now() - fw);
    specs.forEach((s, k) => {
      problems.push(...specProblems(frozen[k], s));
      // A test whose inputs are not its generator's first draw was drawn again (an unclear or confusable mistake).
      for (const t of frozen[k].tests) {
        const first = s.tests.find((x) => x.name === t.name)!.calls(seededRng(t.seed));
        if (JSON.stringify(first) !== JSON.stringify(t.calls)) redrawn.set(`${s.id} "${t.name}"`, (redrawn.get(`${s.id} "${t.name}"`) ?? 0) + 1);
      }
    });
    for (const { impl, mod } of impls) {
      const e = frozen[specs.findIndex((s) => s.id === impl.ex)];
      const verdicts = scoreInParent(e, mod);
      problems.push(...implementationProblems(impl, specs.find((s) => s.id === impl.ex)!, e, verdicts));
      if (impl.mistake !== null) {
        const key = `${impl.label} (${impl.ex})`;
        const m = scores.get(key) ?? new Map<number, number>();
        const p = earned(verdicts);
        m.set(p, (m.get(p) ?? 0) + 1);
        scores.set(key, m);
        for (const v of verdicts) {
          const k = `${key} fails "${v.test.name}"`;
          failing.set(k, (failing.get(k) ?? 0) + (v.passed ? 0 : 1));
        }
      }
    }
    if ((i - first + 1) % 50 === 0) console.log(`  ${i - first + 1} seeds, ${problems.length} problems, ${((Date.now() - w0) / 1000).toFixed(0)} s, load ${load()}`);
  }
  const wall = (Date.now() - w0) / 1000;
  const cpu = (cpuMs() - c0) / 1000;
  console.log(`\nswept ${seeds} seeds x ${specs.reduce((a, s) => a + s.tests.length, 0)} tests x ${impls.length} implementations in ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} CPU-s (load average ${load()} at the end)`);
  console.log(`freeze per submission (${specs.map((s) => s.id).join(' + ')}): median ${median(freezeCpu).toFixed(0)} CPU-ms, ${median(freezeWall).toFixed(0)} ms wall; max ${Math.max(...freezeCpu).toFixed(0)} CPU-ms`);
  console.log(`  the first freeze in this process (fixed seeds): ${cold.cpu.toFixed(0)} CPU-ms, ${cold.wall} ms wall`);
  console.log(`  per exercise, median CPU-ms: ${[...perExercise].map(([id, xs]) => `${id} ${median(xs).toFixed(1)}`).join(', ')}`);
  console.log(`tests drawn again on some seed (an unclear or confusable mistake on the first draw): ${redrawn.size === 0 ? 'none' : ''}`);
  for (const [k, n] of redrawn) console.log(`  ${k} on ${n} of ${seeds} seeds`);
  const varying = [...scores].filter(([, m]) => m.size > 1);
  console.log(`known-mistake fixtures whose points depend on the seed: ${varying.length === 0 ? 'none' : ''}`);
  for (const [key, m] of varying) {
    console.log(`  ${key}: ${[...m].sort(([a], [b]) => a - b).map(([p, n]) => `${p} points on ${n} seeds`).join(', ')}`);
    for (const [k, n] of failing) if (k.startsWith(`${key} fails`) && n > 0 && n < seeds) console.log(`    ${k.slice(key.length + 1)} on ${n} of ${seeds} seeds`);
  }
  if (problems.length > 0) {
    console.log(`\n${problems.length} PROBLEMS; the first 20:`);
    for (const p of problems.slice(0, 20)) console.log(`- ${p}`);
    process.exitCode = 1;
  } else {
    console.log('\nno problems: every correct implementation at full marks on every seed, every mistake named where it differs');
  }
}

void main();
