import type { FrozenExercise } from './freeze_exercise';
import { gradeInSandbox } from './grade_in_sandbox';
import { GradeOptions, gradeOptions } from './grade_options';
import type { Submission } from './read_submission';
import type { GradeResult } from './result_types';
import { sandboxReady } from './sandbox_ready';

/**
 * Grades one submission: makes sure the sandbox can grade correctly here (set up for what its
 * user can read, and proven by the canary: once per process, the canary's verdict cached per
 * environment), then compiles, runs and scores it ({@link gradeInSandbox}). Never throws for
 * anything the student did; throws GraderError when the sandbox cannot grade correctly here.
 * @param submission the files, from readSubmission
 * @param exercises frozen exercises (see freezeExercise); the canary runs their references
 * @param label where the submission came from, for reports
 */
export async function gradeSubmission(submission: Submission, exercises: FrozenExercise[], label: string, overrides: Partial<GradeOptions> = {}): Promise<GradeResult> {
  const opts = gradeOptions(overrides);
  const { setup } = await sandboxReady(opts, exercises);
  return gradeInSandbox(submission, exercises, label, opts, setup);
}
