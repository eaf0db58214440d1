import type { Visibility } from '../specs/spec_types';
import { PROJECT_ROOT } from './project_root';

/** Options of the engine ({@link gradeSubmission}); every field has a default in {@link GRADE_DEFAULTS}. */
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
