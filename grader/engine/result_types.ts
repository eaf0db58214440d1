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

/** Whether a submission's course files are as released (the `--json` contract's type, without its one-line summary). */
export type CourseFilesCheck = Omit<GraderCourseFiles, 'summary'>;

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
  /** Set when the instructor gave a release manifest (`grade --manifest`, `grade-all --manifest`). */
  courseFiles?: CourseFilesCheck;
}
