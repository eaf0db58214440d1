import { prepareSandbox, SandboxSetup } from '../sandbox/prepare_sandbox';
import type { FrozenExercise } from './freeze_exercise';
import type { GradeOptions } from './grade_options';
import { CanaryVerdict, proveSandbox } from '../canary/prove_sandbox';

/** A sandbox set up for this machine and proven by the canary. */
export interface SandboxReady {
  setup: SandboxSetup;
  canary: CanaryVerdict;
  /** What was adapted and how the canary went, one line each, for stderr. */
  notes: string[];
  /** The notes the first time it is called in this process, then [] (a process says them once). */
  takeNotes(): string[];
}

const ready = new Map<string, Promise<SandboxReady>>();

/**
 * The sandbox for these options, set up ({@link prepareSandbox}: what the sandbox user can read,
 * staged if needed) and proven ({@link proveSandbox}: the canary), once per process. Rejects with
 * a GraderError when the sandbox cannot grade correctly here.
 * @param exercises the exercises to be graded (the canary runs their references' public tests)
 */
export function sandboxReady(opts: GradeOptions, exercises: FrozenExercise[]): Promise<SandboxReady> {
  const key = JSON.stringify([opts.projectRoot, opts.memoryMb, exercises.map((e) => e.id)]);
  let hit = ready.get(key);
  if (!hit) {
    hit = (async () => {
      const setup = prepareSandbox(opts.projectRoot, opts.memoryMb);
      const canary = await proveSandbox(setup, exercises, opts);
      const what = canary.references.length > 0 ? `the reference solutions (${canary.references.join(', ')}) and the grader's canary module` : "the grader's canary module";
      const notes = [...setup.notes];
      if (!canary.cached) notes.push(`sandbox: canary passed: ${what} got full marks in this sandbox (${canary.tests} test${canary.tests === 1 ? '' : 's'}, ${(canary.ms / 1000).toFixed(1)} s); the verdict is kept for this environment`);
      let taken = false;
      const takeNotes = (): string[] => (taken ? [] : ((taken = true), notes));
      return { setup, canary, notes, takeNotes };
    })();
    ready.set(key, hit);
    hit.catch(() => ready.delete(key)); // a failure is not remembered: the next call tries again
  }
  return hit;
}
