// The grading engine: load and freeze specs, read a submission, type-check, compile, refuse
// forbidden library uses, run in the sandbox, score; the result types; the options, their
// defaults and flags. The grading session (../grading_session.ts) puts it together for a verb.
export { PROJECT_ROOT, findProjectRoot } from './project_root';
export { ENGINE_FLAGS, engineOptions, GRADE_DEFAULTS, gradeOptions } from './grade_options';
export type { GradeOptions } from './grade_options';
export type { ExerciseResult, GradeResult, InputSource, SandboxIsolation, TestResult, Visibility } from './result_types';
export { mapLimit } from './map_limit';
export { FROZEN_FILE, loadExercises } from './load_exercises';
export { loadPublicTests } from './frozen_cache';
export type { LoadedExercises } from './load_exercises';
export { DEFAULT_TOLERANCE, FIXED_SEEDS, freezeExercise } from './freeze_exercise';
export type { FrozenExercise, FrozenTest, SeedOf } from './freeze_exercise';
export { freshSeeds, normaliseSource, SECRET_MIN_BYTES, submissionDigest, testSeed } from './fresh_seeds';
export { readSubmission, statSubmission } from './read_submission';
export type { Submission } from './read_submission';
export { gradeSubmission } from './grade_submission';
export type { GradeContext } from './grade_submission';
export { DEFAULT_SECRET_FILE, findSecret, readSecretFile, SECRET_ENV, secretFingerprint, writeNewSecretFile } from './instructor_secret';
export type { InstructorSecret } from './instructor_secret';
export { stopTypecheckWorker, warmTypecheck } from './typecheck_async';
