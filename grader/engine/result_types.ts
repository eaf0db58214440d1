// The result types: what the engine produces and every report consumes. Reports import only
// this file (and nothing else of the engine or the verbs).
import type { GraderCourseFiles } from '../../lib/notebook/grader_result';
import type { SandboxIsolation } from '../sandbox/sandbox_command';
import type { Visibility } from '../specs/spec_types';

export type { SandboxIsolation, Visibility };

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
  /** Time charged to this test on the sandbox's fair clock (a child start-up it needed included), ms. */
  ms: number;
  /** The limit that stopped this test, or null when none did. */
  stoppedBy: LimitName | null;
  /** The seed its inputs were drawn from (replay the test with it: `clab-grade replay`). */
  seed: number;
}

/**
 * The limits that can stop a test: its own time limit (`--timeout-ms`, or the test's), its
 * exercise's time budget, the time a child may take to start and import the module, and memory.
 */
export type LimitName = 'test timeout' | 'exercise budget' | 'start-up' | 'memory';

/** How long an exercise took and what stopped it (times on the sandbox's fair clock: grader/DESIGN.md, "The sandbox"). */
export interface ExerciseTime {
  /** Time charged to its sandboxed children (start-ups and tests): what its budget counts, ms. */
  ms: number;
  /** Its time budget, ms. */
  budgetMs: number;
  /** Wall time from its first child's start to its last test's end, ms. */
  wallMs: number;
  /** The limit that stopped the last of its tests that a limit stopped (the budget, when it ran out), or null. */
  stoppedBy: LimitName | null;
}

/** One exercise of one submission. */
export interface ExerciseResult {
  id: string;
  file: string;
  title: string;
  tests: TestResult[];
  /** Type errors, forbidden imports, load problems, arity warnings: shown, not scored by themselves. */
  notes: string[];
  time: ExerciseTime;
}

/** Whether a submission's course files are as released (the `--json` contract's type, without its one-line summary). */
export type CourseFilesCheck = Omit<GraderCourseFiles, 'summary'>;

/**
 * Where a submission's test inputs came from: each test's fixed, published seed (`check`), or
 * fresh seeds derived from the instructor secret and the submission's digest (`grade`, `grade-all`).
 */
export interface InputSource {
  /** `submissionDigest` of the submission's exercise files. */
  digest: string;
  /** The fingerprint of the instructor secret the seeds were derived from, or null for the fixed seeds. */
  secret: string | null;
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
  /** Where the tests' inputs came from (each test's own seed is in its result). */
  inputs: InputSource;
  /** Set when the instructor gave a release manifest (`grade --manifest`, `grade-all --manifest`). */
  courseFiles?: CourseFilesCheck;
}
