// The grading session: what one check, grade or grade-all grades with, built once (the options,
// the exercises, the sandbox proven by the canary).
import type * as fs from 'node:fs';
import { proveSandbox } from './canary/prove_sandbox';
import { freshSeeds, FrozenExercise, gradeOptions, GradeOptions, GradeResult, gradeSubmission, InstructorSecret, loadExercises, LoadedExercises, loadPublicTests, readSubmission, Submission, warmTypecheck } from './engine';
import { FreezeWorkerGone, type PreparedSubmission, startFreezeWorker } from './engine/freeze_async';
import { GraderError, UsageError } from './exit_codes';
import { prepareSandbox, SandboxSetup } from './sandbox/prepare_sandbox';
import { SandboxProcess } from './sandbox/sandbox_process';

/** What a session does that a caller may watch: set up the sandbox, prove it with the canary. */
export type SessionEvent = 'sandbox-prepared' | 'canary-run';

/** What a verb asks of its session. */
export interface SessionRequest {
  /** The verb, for messages (`grade: --only names ...`). */
  verb: string;
  /** The engine options its flags set; every other option keeps its default. */
  options: Partial<GradeOptions>;
  /** Told of each {@link SessionEvent}. */
  observe?: (event: SessionEvent) => void;
  /** Grade against these instead of loading them (tests: a release's frozen public tests). */
  exercises?: LoadedExercises;
  /**
   * Grade every submission on fresh inputs, derived from this secret and the submission's files
   * (grade, grade-all); without it, every test keeps its fixed, published seed (check).
   */
  secret?: InstructorSecret;
  /**
   * With a secret: freeze each submission's exercises and compile its files in a worker thread
   * (freeze_async.ts), so the main thread keeps answering the children of the submissions already
   * running (grade-all; for one submission the worker's start costs more than it saves).
   */
  freezeInWorker?: boolean;
}

/**
 * What one command grades with, built once by {@link openGradingSession}: the options resolved,
 * the exercises loaded (specs and references, or a release's frozen public tests), and the
 * sandbox set up and proven by the canary.
 */
export interface GradingSession {
  readonly options: GradeOptions;
  readonly exercises: LoadedExercises;
  /** The sandbox, set up for this machine (what its user can read, staged if needed) and proven. */
  readonly sandbox: SandboxSetup;
  /** Reads a submission's exercise files (a folder or a .zip). @param stats its lstat, if taken already */
  read(source: string, stats?: fs.Stats): Submission;
  /**
   * The exercises this submission is graded on: every test's inputs, reference and mistake
   * outputs, public and hidden, from seeds derived from the secret and the submission's files
   * (frozen anew for each submission), or without a secret from the specs' fixed seeds (frozen
   * once per command). The one place that chooses a submission's inputs.
   */
  exercisesFor(submission: Submission): FrozenExercise[];
  /** Grades a submission read by {@link read}; never throws for anything the student did. */
  grade(submission: Submission, label: string): Promise<GradeResult>;
  /** CPU seconds the sandboxed children of this process used (they are killed, not reaped, so the process's own rusage misses them). */
  childCpuSeconds(): number;
  /** Ends what the session started for itself (the freeze worker); grading after it freezes on the calling thread. */
  close(): Promise<void>;
}

/**
 * Builds the grading session of one command: resolves the options, starts the type-check worker,
 * loads the exercises, checks `--only` against them, sets up the sandbox and proves it with the
 * canary (its notes go to stderr). Nothing is graded until the sandbox has given known-good code
 * full marks.
 * @throws GraderError (exit 4) when the specs or references do not load or the canary fails;
 *   UsageError (exit 2) when `--only` names an exercise that is not here
 */
export async function openGradingSession(request: SessionRequest): Promise<GradingSession> {
  const options = gradeOptions(request.options);
  if (options.typecheck) warmTypecheck(options.projectRoot);
  const what = options.visibilities.includes('hidden') ? 'the exercise specs' : 'the public tests';
  let exercises: LoadedExercises;
  let fixed: FrozenExercise[];
  try {
    // Public tests only (check): their fixed seeds make the same tests every time, kept frozen per environment.
    exercises = request.exercises ?? (options.visibilities.includes('hidden') ? loadExercises(options.projectRoot, options.visibilities) : loadPublicTests(options.projectRoot));
    fixed = exercises.freeze();
  } catch (e) {
    throw new GraderError(`could not load ${what}: ${(e as Error).message}`);
  }
  const ids = exercises.list.map((e) => e.id);
  const unknown = (options.only ?? []).filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new UsageError(`${request.verb}: --only names ${unknown.map((b) => JSON.stringify(b)).join(', ')}, not an exercise here; valid ids: ${ids.join(', ')}`);
  const secret = request.secret;
  // Started before the sandbox and the canary, so it loads the exercises while they run.
  const freezer = request.freezeInWorker && secret !== undefined && request.exercises === undefined ? startFreezeWorker(options.projectRoot, options.visibilities, secret.bytes) : null;
  const sandbox = prepareSandbox(options.projectRoot, options.memoryMb);
  request.observe?.('sandbox-prepared');
  // The canary runs the references' public tests: a failure here is exit 4, never a student's zero.
  const canary = await proveSandbox(sandbox, fixed, options);
  request.observe?.('canary-run');
  for (const note of sandbox.notes) process.stderr.write(`${note}\n`);
  if (!canary.cached) {
    const ran = canary.references.length > 0 ? `the reference solutions (${canary.references.join(', ')}) and the grader's canary module` : "the grader's canary module";
    process.stderr.write(`sandbox: canary passed: ${ran} got full marks in this sandbox (${canary.tests} test${canary.tests === 1 ? '' : 's'}, ${(canary.ms / 1000).toFixed(1)} s); the verdict is kept for this environment\n`);
  }
  const files = exercises.list.map((e) => e.file);
  // The specs are valid on every seed (specs/seed_sweep.test.ts): a failure is the grader's.
  const notDrawn = (e: unknown): GraderError => new GraderError(`could not draw fresh inputs: ${(e as Error).message}`);
  const exercisesFor = (submission: Submission): FrozenExercise[] => {
    if (secret === undefined) return exercises.freeze();
    try {
      return exercises.freeze(freshSeeds(secret.bytes, submission.files));
    } catch (e) {
      throw notDrawn(e);
    }
  };
  const prepared = async (submission: Submission): Promise<{ exercises: FrozenExercise[]; compiled?: PreparedSubmission['compiled'] }> => {
    if (freezer !== null) {
      try {
        return await freezer.prepare(submission.files);
      } catch (e) {
        if (!(e instanceof FreezeWorkerGone)) throw notDrawn(e);
      }
    }
    return { exercises: exercisesFor(submission) };
  };
  return {
    options,
    exercises,
    sandbox,
    read: (source, stats) => readSubmission(source, files, stats),
    exercisesFor,
    grade: async (submission, label) => {
      const { exercises: frozen, compiled } = await prepared(submission);
      return gradeSubmission(submission, frozen, label, options, sandbox, { secret: secret?.fingerprint ?? null, compiled });
    },
    childCpuSeconds: () => SandboxProcess.cpuSeconds,
    close: async () => {
      await freezer?.stop();
    },
  };
}
