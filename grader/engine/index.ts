// The grading engine: load and freeze specs, read a submission, type-check, compile, refuse
// forbidden library uses, run in the sandbox, score; the result types; the option defaults.
// The verbs (grade, check, grade-all, release, merge) are thin layers over these exports.
export { PROJECT_ROOT, findProjectRoot } from './project_root';
export { GRADE_DEFAULTS, gradeOptions } from './grade_options';
export type { GradeOptions } from './grade_options';
export type { ExerciseResult, GradeResult, SandboxIsolation, TestResult, Visibility } from './result_types';
export { mapLimit } from './map_limit';
export { FROZEN_FILE, loadExercises } from './load_exercises';
export { DEFAULT_TOLERANCE, FIXED_SEEDS, freezeExercise } from './freeze_exercise';
export type { FrozenExercise, FrozenTest, SeedFor } from './freeze_exercise';
export { freshSeeds, normaliseSource, SECRET_MIN_BYTES, submissionDigest, testSeed } from './fresh_seeds';
export { readSubmission } from './read_submission';
export { statSubmission } from './stat_submission';
export { SubmissionError } from './submission_error';
export { GraderError } from './grader_error';
export type { Submission } from './read_submission';
export { gradeSubmission } from './grade_submission';
export { gradeInSandbox } from './grade_in_sandbox';
export { sandboxReady } from './sandbox_ready';
export type { SandboxReady } from './sandbox_ready';
export type { CanaryVerdict } from './prove_sandbox';
export { stopTypecheckWorker, warmTypecheck } from './typecheck_async';
