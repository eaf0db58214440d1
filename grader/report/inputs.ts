import type { ExerciseResult, InputSource } from '../engine/result_types';

/**
 * Where a submission's inputs came from, in one line, as the human reports say it: the fixed
 * seeds of the published public tests (`check`), or fresh seeds from the instructor secret
 * (its fingerprint, never the secret) and the submission's digest.
 */
export function inputsLine(i: InputSource): string {
  if (i.secret === null) return "inputs: each test's fixed seed, as published with the public tests (a grade runs the same tests on new inputs)";
  return `inputs: fresh for this submission: seeds derived from the instructor secret ${i.secret} and the submission digest ${i.digest.slice(0, 16)}`;
}

/** The seeds of an exercise's tests, in test order: `seeds: 401, 402, 403`. */
export function seedsLine(e: ExerciseResult): string {
  return `seeds: ${e.tests.map((t) => t.seed).join(', ')}`;
}
