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
  /** Time limit of one test (all its calls), ms. */
  testTimeoutMs: number;
  /** Time to start a child and import the student's module, ms. */
  startupMs: number;
  /** Time limit of the whole submission, ms. */
  submissionTimeoutMs: number;
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

/** The engine's defaults: the one place they are written (the verbs' flags show them in --help). */
export const GRADE_DEFAULTS: Readonly<GradeOptions> = Object.freeze({
  projectRoot: PROJECT_ROOT,
  visibilities: ['public', 'hidden'] as Visibility[],
  testTimeoutMs: 5000,
  startupMs: 15000,
  submissionTimeoutMs: 180000,
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

/**
 * The flags that set engine options, with the engine's defaults. The verbs that grade (check,
 * grade, grade-all) list them among their own flags.
 */
export const ENGINE_FLAGS = {
  only: flag.list('ex01,ex04', 'only these exercises (default: all)'),
  'timeout-ms': flag.int('MS', 'time limit of one test', GRADE_DEFAULTS.testTimeoutMs),
  'memory-mb': flag.int('MB', 'V8 heap cap of the sandboxed child', GRADE_DEFAULTS.memoryMb),
  'no-typecheck': flag.boolean('skip the strict type-check (its errors are feedback only, never points)'),
};

/** The engine options that {@link ENGINE_FLAGS} set. */
export function engineOptions(flags: FlagValues<typeof ENGINE_FLAGS>): Partial<GradeOptions> {
  return { only: flags.only, testTimeoutMs: flags['timeout-ms'], memoryMb: flags['memory-mb'], typecheck: !flags['no-typecheck'] };
}
