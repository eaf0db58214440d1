import type { SandboxIsolation } from '../sandbox/sandbox_command';
import type { Visibility } from '../specs/spec_types';

/** The outcome of one test, in the shape every report needs. */
export interface TestResult {
  exercise: string;
  name: string;
  visibility: Visibility;
  score: number;
  maxScore: number;
  status: 'passed' | 'failed';
  /** For the student: what was checked, expected, received, and a named mistake if recognised. */
  feedback: string;
  /** What the student's code printed during this test (truncated), '' if nothing. */
  output: string;
  /** Name of the known mistake the output matched (also said in `feedback`), else null. */
  knownMistake: string | null;
  ms: number;
}

/** One exercise of one submission. */
export interface ExerciseResult {
  id: string;
  file: string;
  title: string;
  tests: TestResult[];
  /** Type errors, forbidden imports, load problems, arity warnings: shown, not scored by themselves. */
  notes: string[];
}

/** A whole submission. */
export interface GradeResult {
  /** Where it came from (folder or zip), as given. */
  submission: string;
  exercises: ExerciseResult[];
  score: number;
  maxScore: number;
  /** Hidden tests that exist but were not run (the `check` verb). */
  hiddenNotRun: number;
  sandbox: SandboxIsolation;
  ms: number;
}

/** Options of {@link gradeSubmission}; every field has a default. */
export interface GradeOptions {
  /** The trusted project (lib/, solutions/, node_modules/). Default: this repository. */
  projectRoot: string;
  /** Which tests to run: ['public'] for `check`, both for `grade`. */
  visibilities: Visibility[];
  /** Time limit of one test (all its calls), ms. Default 5000. */
  testTimeoutMs: number;
  /** Time to start a child and import the student's module, ms. Default 15000. */
  startupMs: number;
  /** Time limit of the whole submission, ms. Default 180000. */
  submissionTimeoutMs: number;
  /** V8 heap cap of the child, MB. Default 512. */
  memoryMb: number;
  /** Bytes of student output kept per test. Default 2000. */
  outputBytes: number;
  /** Type-check the files (feedback only). Default true. */
  typecheck: boolean;
  /** Exercises graded at the same time within this submission. Default 1. */
  concurrency: number;
  /** Only these exercise ids (default all). */
  only?: string[];
}
