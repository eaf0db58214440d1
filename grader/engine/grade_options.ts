import { flag, type FlagValues } from '../command_line/flags';
import type { Visibility } from '../specs/spec_types';
import { PROJECT_ROOT } from './project_root';

/**
 * Options of the engine ({@link gradeSubmission}); every field has a default in {@link GRADE_DEFAULTS},
 * and {@link ENGINE_FLAGS} are the flags that set them.
 */
export interface GradeOptions {
  /** The trusted project (lib/, solutions/, node_modules/). */
  projectRoot: string;
  /** Which tests to run: ['public'] for `check`, both for `grade`. */
  visibilities: Visibility[];
  /** Time limit of one test (all its calls), ms, unless the test sets its own. */
  testTimeoutMs: number;
  /** Time to start a child and import the student's module, ms. */
  startupMs: number;
  /**
   * Time budget of one exercise (every child start-up and test of it), ms; when it is used up,
   * that exercise's remaining tests fail and no other exercise is touched. Default: see
   * {@link exerciseBudgetMs}.
   */
  exerciseBudgetMs?: number;
  /** V8 heap cap of the child, MB. */
  memoryMb: number;
  /** Bytes of student output kept per test. */
  outputBytes: number;
  /** Type-check the files (feedback only). */
  typecheck: boolean;
  /** Exercises graded at the same time within this submission. */
  concurrency: number;
  /** Only these exercise ids (default all). */
  only?: string[];
}

/**
 * The engine's defaults: the one place they are written (the verbs' flags show them in --help).
 *
 * Every time limit is measured on the sandbox's fair clock (sandbox/child_clock.ts): a child's
 * wall time minus the time it waited for a CPU that others held, and at least the CPU time it
 * used. Blocking counts in full; a busy machine does not, so these limits need no headroom for
 * load, and `grade` (exercises side by side) and `grade-all` (one at a time) charge the same.
 * - testTimeoutMs 5 s: on the fair clock the reference's slowest test takes about 0.25 s, a child
 *   start-up included (measured at load average 23 on 2 cores, where wall time was 4x that);
 *   5 s leaves room for a correct but naive implementation (loops instead of tensor ops). The
 *   experiment tests of ex03 set 15 s of their own.
 * - startupMs 15 s: starting Node and importing tfjs and the library take well under 1 s.
 * - the exercise budget (exerciseBudgetMs): 12 test limits, 60 s at the default 5 s, which
 *   scales with `--timeout-ms`. The reference uses 0.3 to 0.5 s of it per exercise; a
 *   submission whose five exercises all hang costs at most five budgets.
 */
export const GRADE_DEFAULTS: Readonly<GradeOptions> = Object.freeze({
  projectRoot: PROJECT_ROOT,
  visibilities: ['public', 'hidden'] as Visibility[],
  testTimeoutMs: 5000,
  startupMs: 15000,
  memoryMb: 512,
  outputBytes: 2000,
  typecheck: true,
  concurrency: 1,
});

/** Grade options with every default filled in (undefined overrides are ignored). */
export function gradeOptions(overrides: Partial<GradeOptions> = {}): GradeOptions {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<GradeOptions>;
  return { ...GRADE_DEFAULTS, visibilities: [...GRADE_DEFAULTS.visibilities], ...set };
}

/** Test limits in one exercise's default budget (see {@link GRADE_DEFAULTS}). */
const BUDGET_IN_TEST_LIMITS = 12;

/** The time budget of one exercise under these options: `exerciseBudgetMs`, else 12 test limits. */
export function exerciseBudgetMs(opts: GradeOptions): number {
  return opts.exerciseBudgetMs ?? BUDGET_IN_TEST_LIMITS * opts.testTimeoutMs;
}

/**
 * The flags that set engine options, with the engine's defaults. The verbs that grade (check,
 * grade, grade-all) list them among their own flags.
 */
export const ENGINE_FLAGS = {
  only: flag.list('ex01,ex04', 'only these exercises (default: all)'),
  'timeout-ms': flag.int('MS', "time limit of one test (on the sandbox's fair clock); each exercise's budget is 12 of them", GRADE_DEFAULTS.testTimeoutMs),
  'memory-mb': flag.int('MB', 'V8 heap cap of the sandboxed child', GRADE_DEFAULTS.memoryMb),
  'no-typecheck': flag.boolean('skip the strict type-check (its errors are feedback only, never points)'),
};

/** The engine options that {@link ENGINE_FLAGS} set. */
export function engineOptions(flags: FlagValues<typeof ENGINE_FLAGS>): Partial<GradeOptions> {
  return { only: flags.only, testTimeoutMs: flags['timeout-ms'], memoryMb: flags['memory-mb'], typecheck: !flags['no-typecheck'] };
}
